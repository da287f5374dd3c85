"""boilerplate.py: every rule catches its kind of line; running text is never caught."""

import pytest

from build_tools.article import Article, Source
from build_tools.boilerplate import RULES, classify, remove_chrome


@pytest.mark.parametrize("rule", RULES, ids=[f"{r.kind}:{r.example}" for r in RULES])
def test_each_rule_catches_its_example(rule):
    assert classify(rule.example, at_edge=True) == rule.kind


@pytest.mark.parametrize(
    "line",
    [
        "一、认真学习系列重要精神，始终把坚持正确的政治方向作为工会的根本",
        "同志们，新的形势赋予了工会组织新的任务。",
        "谢谢大家！",
        "（一）切实加强组织建设",
        "2020年，思礼镇工会联合会在示范区总工会的正确领导下，努力提高职工队伍素质。",
        "要完善与同级工会的联席会议制度，把党政所需、职工所急、工会所能的事更多地交给工会组织去办。",
        "贯穿一条思想主线———全面贯彻三个代表重要思想",
        "工会工作会议演讲",
    ],
)
def test_content_lines_are_not_chrome(line):
    assert classify(line, at_edge=True) is None


def test_edge_rules_do_not_fire_inside_the_body():
    # A sentence that names a source is content in the middle of an article.
    assert classify("来源：职工群众的意见和建议", at_edge=False) is None
    assert classify("来源：职工群众的意见和建议", at_edge=True) == "meta"


def _article(lines):
    return Article(Source("x.txt", "0", "utf-8"), lines, list(range(1, len(lines) + 1)))


BODY = "过去的一年，全县各级工会紧紧围绕党委和政府的中心工作，充分发挥群众组织的特点和优势，取得了新的成绩。"


def test_head_and_tail_chrome_go_and_are_recorded_with_their_kind():
    lines = [
        "当前位置：首页 > 工会新闻",
        "某某讲话",
        "2021-01-02 来源：某某网",
        BODY,
        BODY,
        "相关新闻",
        "工会召开会议",
        "网站地图 | 联系我们",
    ]
    article = remove_chrome(_article(lines))
    assert article.lines == ["某某讲话", BODY, BODY]
    assert [(c.kind, c.line) for c in article.changes] == [("breadcrumb", 1), ("meta", 3), ("related", 6), ("related", 7), ("related", 8)]


def test_pagination_glued_to_the_last_line_is_cut():
    article = remove_chrome(_article([BODY, "在乡党委和上级工会的正确领导1 2 下一頁"]))
    assert article.lines[-1] == "在乡党委和上级工会的正确领导"
    assert article.changes[0].kind == "pagination"


def test_lines_shared_by_many_sources_are_removed_at_the_edges():
    article = remove_chrome(_article(["某某文库", BODY, "欢迎投稿"]), common_lines=frozenset({"欢迎投稿", "某某文库"}))
    assert article.lines == [BODY]


def test_a_line_the_settings_keep_survives():
    article = _article([BODY, "联系电话：0571-12345678"])
    article.meta["_keep"] = frozenset({"联系电话：0571-12345678"})
    assert remove_chrome(article).lines == [BODY, "联系电话：0571-12345678"]


@pytest.mark.parametrize(
    "line",
    [
        "关于我们单位工会工作的几点思考",  # a title that starts like a footer link
        "职工朋友们如有困难和诉求，欢迎随时联系我们。",
        "不忘初心 牢记使命 建功立业",  # a slogan of four-character phrases
        "二、相关工作",
    ],
)
def test_lines_that_only_look_like_chrome_are_content(line):
    assert classify(line, at_edge=True) is None


def test_a_heading_named_like_a_related_list_does_not_cut_the_article():
    lines = [BODY, "二、相关内容", BODY, "三、下一步打算", BODY, BODY]
    assert remove_chrome(_article(lines)).lines == lines


def test_a_related_list_after_the_article_is_cut():
    lines = [BODY, BODY, "相关阅读", "某某工会召开会议", "某某工会开展活动"]
    assert remove_chrome(_article(lines)).lines == [BODY, BODY]


def test_forum_replies_are_cut_with_the_posters_name_above_them():
    lines = [
        BODY,
        BODY,
        "工友小李",
        "沙发",
        "发表于 2019-3-5 11:03 | 只看该作者",
        "写得很实在，收藏了，回去给我们主席看看，我们也要这样做。",
    ]
    article = remove_chrome(_article(lines))
    assert article.lines == [BODY, BODY]
