"""Main-content detection (build_tools/content.py), title choice (title.py) and the article's date (article_date.py):
each rule of their tables on lines of its kind, and the step on whole pages."""

from __future__ import annotations

import pytest

from build_tools import content
from build_tools.article import Article, Source
from build_tools.article_date import choose_date, dates_in
from build_tools.content import WEIGHTS, densest, detect_content, find_region, grow, is_end_marker, weigh
from build_tools.pipeline import NO_MAIN_TEXT, clean_source
from build_tools.settings import SettingsError, SourceSettings, validate
from build_tools.title import candidate_text, choose_title

TEXT = "各级工会要把职工之家建设摆在突出位置，扩大覆盖面，增强凝聚力和吸引力，切实维护职工合法权益。"


def _article(lines: list[str], skip: frozenset[str] = frozenset()) -> Article:
    return Article(Source("x.txt", "0", "utf-8"), lines, list(range(1, len(lines) + 1)), skip=skip)


# --- weighing lines: each kind of line of Weights ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "weight"),
    [
        (TEXT, len(TEXT)),  # running text counts for its length
        ("同志们，让我们携手奋进！", 12),  # a sentence that ends like one
        ("我们来看这样一个场景：", 11),  # a lead-in to what follows
        ("首页", WEIGHTS.chrome),  # a menu label
        ("首页 | 新闻 | 图片 | 评论 | 共青团 | 娱乐", WEIGHTS.chrome),  # a bar of separators
        ("2019-09-09 19:32:27", WEIGHTS.chrome),  # digits: a date, a counter
        ("原文链接：某某网站的报道，转载请注明出处！", WEIGHTS.chrome),  # a chrome rule of boilerplate.py, like a sentence
        ("法国全国大罢工再次严重影响交通未成年人网游防沉迷调查实名认证难有游戏可让儿童充值付款雄安等地区试点交通强国建设", WEIGHTS.chrome),
        ("import json", WEIGHTS.code),  # program code in an article
        ("一波波接續性低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣", WEIGHTS.soft),  # a blog's sentence
        ("二、活动内容安排", WEIGHTS.phrase),  # a sub-heading
        ("新竹旅遊景點~~~柿餅加工廠 金漢觀光果園...", WEIGHTS.chrome),  # a truncated link headline
    ],
)
def test_each_kind_of_line_weighs_as_its_kind(line, weight):
    assert weigh(line) == weight


@pytest.mark.parametrize(
    "line",
    ["热门评论", "网友评论 12条", "相关阅读", "推荐阅读：", "责任编辑：张三", "（责任编辑：李四）", "猜你喜欢", "参考资料", "参考文献"],
)
def test_end_markers(line):
    assert is_end_marker(line)


@pytest.mark.parametrize("line", ["二、相关工作", "职工们的评论很热烈，大家纷纷表示支持这一做法。", "编辑部", "参考资料显示"])
def test_not_end_markers(line):
    assert not is_end_marker(line)  # a numbered heading, a sentence, a word that only starts like a marker


def test_densest_run_never_crosses_a_barrier_and_the_first_big_run_wins():
    assert densest([-12, 50, -12, 60, -12], set()) == (1, 3)  # a short line between two text lines is kept
    assert densest([-12, 150, -12, 400], {2}) == (1, 1)  # ... not across an end marker: the first run is big enough
    assert densest([40, -12, 300, 200], {1}) == (2, 3)  # too small against the heaviest: not the article
    assert densest([-12, -4, -1], set()) is None


def test_later_sections_of_one_article_join_it_up_to_a_barrier():
    c = WEIGHTS.chrome
    table = [c] * 40  # an encyclopedia entry's table of short cells between two sections of prose
    weights = [300, *table, 120, c, c, 150]
    assert content.later_sections(weights, 0, set()) == len(weights) - 1
    assert content.later_sections(weights, 0, {30}) == 0  # references, comments, related lists: a barrier
    assert content.later_sections([300, c, 60, c], 0, set()) == 0  # a disclaimer under the text is not a section
    cells = [cell for year in range(2001, 2021) for cell in (str(year), "（作曲）", "某某歌手")]
    entry = ["某某歌手", TEXT, TEXT, TEXT, "主要作品", *cells, "社会活动", TEXT, TEXT, TEXT, "参考资料", "1.", TEXT]
    region = find_region(entry)
    assert region is not None and (region.first, region.last) == (1, len(entry) - 4)


def test_the_region_grows_over_a_run_of_soft_lines_only():
    s = WEIGHTS.soft
    assert grow([s, s, s, 50, s], 3, 3, set()) == (0, 3)  # three soft lines above; one below is a headline's kind
    assert grow([s, 50], 1, 1, set()) == (1, 1)


# A blog that parts its clauses with spaces instead of punctuation, under a sidebar of punctuated link lines.
SPACED_BLOG = [
    "清晨沿着山路一路向上走去 雾气还停留在半山腰的树林之间",
    "来到营地时落叶已经铺满整条小路 脚下发出沙沙的声音",
    "营区里的枫树大多已经转成金黄色 远处山头还有几株红叶",
    "午后雨势渐渐停歇下来 大家围坐在一起煮茶聊天",
]


def test_lines_parted_by_spaces_count_as_text_in_a_run_only():
    lines = ["最新文章", "【游记】山中一日。红叶与溪流", "【食记】老街小吃，好吃又好逛！", "游记分类", "登入", "跳到主文", *SPACED_BLOG]
    weights = content.spaced_text([weigh(line) for line in lines], lines)
    assert weights[6:] == [len("".join(line.split())) for line in SPACED_BLOG]
    region = find_region(lines)
    assert region is not None and (region.first, region.last) == (6, 9)
    headline = ["首页 > 最新消息", "本会举办劳动节表扬大会 呼吁落实团体协约保障权益", "发布日期：2021年5月3日　点阅数：1527", TEXT]
    assert content.spaced_text([weigh(line) for line in headline], headline)[1] == WEIGHTS.soft  # a headline alone
    menu = ["期货 债券 银行 保险 外汇 黄金", "期货 债券 银行 保险 外汇 黄金"]
    assert content.spaced_text([weigh(line) for line in menu], menu) == [weigh(line) for line in menu]  # words, not clauses


# --- the step on whole pages ------------------------------------------------------------------------------------

PAGE = [
    "首页",
    "新闻",
    "财经",
    "当前位置：首页 > 工会动态 > 正文",
    "市总工会开展金秋助学活动",
    "2021-09-01 10:30 来源：市总工会",
    "分享到：",
    TEXT,
    "一、活动安排",
    TEXT,
    "某某市总工会",
    "热门评论",
    "网友甲",
    TEXT,
    "版权所有 某某市总工会",
]


def test_the_headline_and_the_text_are_kept_and_every_other_line_recorded_with_its_reason():
    article = detect_content(_article(list(PAGE)))
    assert article.lines == [TEXT, "一、活动安排", TEXT, "某某市总工会"]  # the signature under the text stays
    assert article.meta["_title"] == "市总工会开展金秋助学活动"
    kinds = {c.before: c.kind for c in article.changes if c.step == "content"}
    assert kinds["新闻"] == "header" and kinds["首页"] == "breadcrumb" and kinds["当前位置：首页 > 工会动态 > 正文"] == "breadcrumb"
    assert kinds["2021-09-01 10:30 来源：市总工会"] == "meta" and kinds["热门评论"] == "end-marker"
    assert kinds["网友甲"] == "footer"
    title = next(c for c in article.changes if c.kind == "title")
    assert "a date line 1 under it" in title.after


def test_the_step_switched_off_leaves_the_page_alone():
    article = detect_content(_article(list(PAGE), skip=frozenset({"content"})))
    assert article.lines == PAGE and not article.changes


def test_first_and_last_line_named_by_hand():
    article = detect_content(_article(list(PAGE)), {"first": "市总工会开展金秋…", "last": "网友甲"})
    assert article.lines[0] == "市总工会开展金秋助学活动" and article.lines[-1] == "网友甲"
    with pytest.raises(ValueError, match=r"content\.last"):
        find_region(PAGE, {"last": "不在页面上的一行"})


def test_a_page_without_running_text_is_refused_by_name():
    article = detect_content(_article(["首页", "新闻", "登录", "2021-09-01"]))
    assert article.meta["_no_main_text"]
    with pytest.raises(ValueError, match="no main text"):
        clean_source(Source("x.txt", "0", "utf-8"), ["首页", "新闻", "登录"], SourceSettings(), frozenset())
    assert NO_MAIN_TEXT.startswith("nothing but site chrome")


def test_settings_name_the_article_lines():
    assert validate({"content": {"first": " 第一行 ", "last": "最后一行"}}, "x.yml").content == {"first": "第一行", "last": "最后一行"}
    for bad in ({"first": ""}, {"start": "x"}, ["x"]):
        with pytest.raises(SettingsError, match="content"):
            validate({"content": bad}, "x.yml")


# --- titles ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("原标题：视界丨这个地方为何老外却说了不得", "视界丨这个地方为何老外却说了不得"),
        ("（原标题：民警电话遭停机，靠拨打频次识别诈骗）", "民警电话遭停机，靠拨打频次识别诈骗"),
        ("正在阅读：儿歌一分钱被改成一元钱", "儿歌一分钱被改成一元钱"),
        ("债券市场是否存在泡沫？首席投资官们这么说_新浪财经_新浪网", "债券市场是否存在泡沫？首席投资官们这么说_新浪财经"),
        ("姚明对周琦说了啥？周琦上下半场判若两人 - 网易体育", "姚明对周琦说了啥？周琦上下半场判若两人"),
    ],
)
def test_title_prefixes_and_site_names_are_cut(line, title):
    assert candidate_text(line) == title


@pytest.mark.parametrize(
    "line",
    ["登录/注册", "2019-09-09 19:32:27", "http://www.example.com/a.html", "作者：王文", "首页 > 新闻 > 正文", "检索词：送温暖    [检索]"],
)
def test_never_a_title(line):
    assert candidate_text(line) == ""  # a navigation label, a date, a URL, a byline, a breadcrumb, a form


def test_the_headline_with_its_date_under_it_wins_over_a_menu_and_a_site_name():
    head = ["某某日报数字报", "2021年03月08日 星期一", "要闻推荐列表", "女职工维权行动月启动", "本报记者 李华", "2021-03-07 10:00"]
    pick = choose_title(head, [*head, TEXT], len(head))
    assert pick is not None and pick.text == "女职工维权行动月启动"


@pytest.mark.parametrize(
    ("head", "title"),
    [
        # a sub-title between the headline and its date line
        (["> 要闻", "全省职工技能大赛今日开幕", "三千名选手同场竞技二十个工种", "时间：2021-03-07 10:00"], "全省职工技能大赛今日开幕"),
        # an author's box under the headline
        (["观点", "李明：让劳动者共享发展成果", "李明某某大学劳动关系学院教授", "分享", "2021-03-07 10:00"], "李明：让劳动者共享发展成果"),
        # a document's series label as the page's first line is not a headline above the title
        (["市总工会全委会议材料之一", "", "奋力谱写新时代工会工作新篇章", "刘建华", "（2021年1月15日）"], "奋力谱写新时代工会工作新篇章"),
    ],
)
def test_a_sub_title_or_an_author_box_under_the_headline_does_not_win(head, title):
    pick = choose_title(head, [*head, TEXT], len(head))
    assert pick is not None and pick.text == title


@pytest.mark.parametrize(
    ("head", "title"),
    [
        # an official document's title: the issuer, then 关于……
        (
            ["通知公告", "某某市总工会", "关于开展职工技能竞赛活动的通知", "发布时间：2021-03-07"],
            "某某市总工会关于开展职工技能竞赛活动的通知",
        ),
        # a line that ends in 及 goes on on the next one
        (
            ["通知公告", "关于做好困难职工帮扶工作及", "推进职工之家建设的意见", "发布时间：2021-03-07"],
            "关于做好困难职工帮扶工作及推进职工之家建设的意见",
        ),
    ],
)
def test_a_headline_broken_over_lines_is_one_title(head, title):
    pick = choose_title(head, [*head, TEXT], len(head))
    assert pick is not None and pick.text == title
    article = detect_content(_article([*head, TEXT]))
    assert article.meta["_title"] == title and article.lines == [TEXT]


# --- dates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("2019-06-12 08:30", "2019-06-12"),
        ("2016/09/03 21:05:33", "2016-09-03"),
        ("2020年03月05日10:12", "2020-03-05"),
        ("发布于 2020年3月5日 10:12", "2020-03-05"),
        ("二〇二〇年三月五日", "2020-03-05"),
        ("《某刊》2001年4月号", "2001-04"),
        ("发布时间：18-03-0823:16", "2018-03-08"),
        ("发布时间:18-03-08", "2018-03-08"),  # as folded (NFKC): a halfwidth colon before a two-digit year
        ("Dec 28 Sat 2013 00:28", "2013-12-28"),
        ("金融市场棱镜2019-09-23 07:48", "2019-09-23"),
    ],
)
def test_every_date_form(line, date):
    assert dates_in(line)[0][0] == date


def test_the_date_under_the_title_wins_over_today_a_list_and_a_comment():
    lines = ["今天是：2021年11月20日 星期六", "标题", "发布时间：2021-11-18 09:36", TEXT, "相关新闻2021-11-19", "网友 2021-11-21 10:00"]
    article = _article(lines)
    for number in (1, 3, 5, 6):
        article.record("content", "meta", lines[number - 1], "", number)
    article.record("content", "title", "标题", "标题 (x)", 2)
    article = article.with_lines([TEXT], [4])
    date, why = choose_date(article)
    assert date == "2021-11-18" and "a label word" in why


@pytest.mark.parametrize(
    ("note", "date"),
    [
        ("（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）", "2007-06-29"),
        ("(2018年12月29日某某市总工会第十五届委员会第三次全体会议修订)", "2018-12-29"),
        ("（二〇二〇年三月五日市人民政府第十次常务会议通过）", "2020-03-05"),
    ],
)
def test_an_adoption_note_under_the_title_is_text_and_gives_the_date(note, date):
    lines = ["首页 > 法规", "某某市职工权益保障条例", note, TEXT, "2021-11-19 相关新闻：工会动态"]
    article = detect_content(_article(lines))
    assert article.meta["_title"] == "某某市职工权益保障条例" and article.lines == [note, TEXT]
    assert choose_date(article)[0] == date


def test_a_hand_mark_that_names_no_line_refuses_the_source_with_the_reason():
    settings = SourceSettings(content={"first": "不在页面上的一行"})
    with pytest.raises(ValueError, match=r"content\.first: '不在页面上的一行' is not a line of the source"):
        clean_source(Source("x.txt", "0", "utf-8"), list(PAGE), settings, frozenset())
