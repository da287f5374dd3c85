"""Remove site chrome: breadcrumbs, meta lines, footers, keyword lines, pagination, stray marks.

A line is judged by what it is, not by which site it came from: every rule below
describes a kind of line common to Chinese web pages. Rules match a folded copy of
the line (Simplified, halfwidth), so one rule covers both scripts. Removed lines are
recorded with their kind; the metadata step reads date, source, tags… back from them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .article import Article
from .numbering import starts_numbered
from .script import to_simplified


@dataclass(frozen=True)
class Rule:
    """A kind of chrome line. `where` is "anywhere" or "edge" (head or tail of the page)."""

    kind: str
    pattern: re.Pattern[str]
    where: str
    note: str  # where such lines were seen
    example: str  # a line of this kind (not from a seed), checked by tests/test_boilerplate.py


def _rule(kind: str, pattern: str, where: str, note: str, example: str) -> Rule:
    return Rule(kind, re.compile(pattern, re.IGNORECASE), where, note, example)


_DATE = r"(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{4}年\d{1,2}月)"

RULES: tuple[Rule, ...] = (
    # --- navigation -------------------------------------------------------------
    _rule(
        "breadcrumb",
        r"^(您|你)?的?(当前|现在)?(所在)?的?位置\s*[:>»]",
        "edge",
        "seed 000 您的当前位置:首页正文; seed 004",
        "当前位置：首页 > 工会动态 > 正文",
    ),
    _rule("breadcrumb", r"^(首页|主页|网站首页)\s*([>»/›→]|$)", "edge", "首页 > 工会新闻 > 正文 (news portals)", "首页 > 基层风采"),
    _rule(
        "breadcrumb",
        r"^[^\s>»›→]{1,12}(\s*(>>|[>»›→])\s*[^\s>»›→]{1,12}){1,}(\s*(>>|[>»›→])\s*.{0,60})$",
        "edge",
        "A > B > C trails of short labels",
        "网站首页 » 工作研究 » 经验交流",
    ),
    # --- meta lines at the head -------------------------------------------------
    _rule(
        "meta",
        rf"^{_DATE}(\s*\d{{1,2}}:\d{{2}}(:\d{{2}})?)?\s*(来源|作者|浏览|点击|阅读|编辑|发布|栏目)",
        "edge",
        "seed 000 2020-09-07 来源:…",
        "2021-03-15 09:30 来源：市总工会 作者：宣教部",
    ),
    _rule(
        "meta", r"^(发布|发表|更新|上传|录入|成文|印发)(时间|日期|于)\s*[::]?", "edge", "seed 002/004 发布时间:…", "发布日期：2019年5月6日"
    ),
    _rule("meta", rf"^(发表于|发布于|posted on)\s*{_DATE}", "edge", "forum posts 发表于 2019-3-5", "发表于 2019-3-5 10:22"),
    _rule("meta", rf"^{_DATE}(\s+\d{{1,2}}:\d{{2}}(:\d{{2}})?)?$", "edge", "a date alone on a line", "2023年6月18日"),
    _rule("meta", r"^(来源|信息来源|稿源|文章来源|出处)\s*[::]", "edge", "来源:xx总工会", "信息来源：区总工会办公室"),
    _rule(
        "meta",
        r"^(作者|文|撰稿|撰文|编辑|责任编辑|责编|审核|审校|校对|初审|复审|终审|编审|供稿|通讯员|记者|摄影|图)\s*[::/|]",
        "edge",
        "作者:/责任编辑:/审核: (news, WeChat)",
        "责任编辑：王小明",
    ),
    _rule(
        "meta",
        r"^(浏览|点击|阅读|点阅|访问|查看)(量|数|次数|人次)?\s*[::]?\s*[\d,.万]*\s*次?$",
        "anywhere",
        "seed 004 浏览:; 点阅数:123",
        "点击数：1,203",
    ),
    _rule(
        "meta",
        r"^(索引号|发文机关|发文字号|主题分类|成文日期|发布机构|文号|有效性)\s*[::]",
        "edge",
        "government site document header",
        "索引号：11330000002482870P/2021-00123",
    ),
    _rule(
        "meta",
        r"(浏览|点击|阅读|访问)(量|数|次数)?\s*[::]\s*\d[\d,]*\s*(次)?$",
        "edge",
        "seed 002 …浏览量:49931",
        "作者：李华 发布时间：2020-01-02 阅读量：356",
    ),
    _rule("tools", r"^(字体|字号)(大小)?\s*[::]", "edge", "seed 002 字体大小:【默认", "字号：大 中 小"),
    _rule(
        "tools",
        r"^[\[【]?\s*(大|中|小|默认)\s*[\]】]?(\s*[\[【]?\s*(大|中|小|默认)\s*[\]】]?){1,3}$",
        "edge",
        "【大】【中】【小】",
        "【大】【中】【小】",
    ),
    _rule(
        "tools",
        r"^([\[【(]?\s*(打印|关闭|关闭窗口|打印本页|收藏|分享|分享到|返回|返回顶部|回到顶部|返回页首|回上一页|列印|字体|纠错|我要纠错|推荐|评论|举报|复制链接|下载)\s*[\]】)]?\s*[|/]?\s*){1,8}$",
        "anywhere",
        "【打印】【关闭】, 回上一頁 列印",
        "【打印】【关闭】",
    ),
    _rule("tools", r"^分享(到|至)?\s*[::]?", "anywhere", "分享到: 微信 微博", "分享到：微信 微博 QQ空间"),
    # --- WeChat and document-sharing sites --------------------------------------
    _rule(
        "tools",
        r"(点击|点)上方\S{0,6}(关注|订阅)|长按(识别)?(二维码|关注)|扫(一扫|码)(关注|下载)|^阅读原文$",
        "anywhere",
        "WeChat article copies",
        "点击上方蓝字关注我们",
    ),
    _rule(
        "tools",
        r"(文档贡献者|本文档由\S*上传|下载文档|下载此文档|文档格式|举报该文档|付费下载|立即下载|加入VIP|开通VIP)",
        "anywhere",
        "document-sharing sites",
        "本文档由用户上传，下载文档请登录",
    ),
    # --- truncation notices -------------------------------------------------------
    _rule(
        "truncation",
        r"(因篇幅(问题|原因|所限)|篇幅(有限|所限)).{0,20}(不能|无法|未能)",
        "anywhere",
        "seed 000 因篇幅问题不能全部显示",
        "由于篇幅所限，本文未能全部展示",
    ),
    _rule(
        "truncation",
        r"(点此|点击|请点|登录)\S{0,6}(查看|阅读|下载)\S{0,4}(更多|全文|完整)",
        "anywhere",
        "请点此查看更多更全内容",
        "请点击这里查看全文内容",
    ),
    _rule(
        "truncation",
        r"(还剩|剩余)\s*\d+\s*页(未读)?|^(继续阅读|展开全文|阅读全文|查看全文|余下全文)\S{0,4}$",
        "anywhere",
        "还剩3页未读,继续阅读",
        "还剩3页未读，继续阅读",
    ),
    # --- pagination ---------------------------------------------------------------
    _rule(
        "pagination",
        r"^((上一页|下一页|首页|尾页|末页|上页|下页|\d{1,3}|[\[【]\d{1,3}[\]】]|<<|>>|«|»)\s*){2,}$",
        "anywhere",
        "seed 003 1 2 下一頁",
        "上一页 1 2 3 下一页",
    ),
    _rule("pagination", r"^第\s*\d+\s*页\s*[/,,]?\s*共\s*\d+\s*页$|^共\s*\d+\s*页$", "anywhere", "第1页/共3页", "第1页/共3页"),
    _rule("pagination", r"^(上一篇|下一篇|上一条|下一条)\s*[::]", "edge", "上一篇:… 下一篇:…", "下一篇：关于开展金秋助学活动的通知"),
    # --- keyword lines --------------------------------------------------------------
    _rule("keywords", r"^(文章标签|分类专栏)\s*[:：]", "edge", "blogs: 分类专栏： 文章标签：", "文章标签： 工会 培训"),
    _rule(
        "keywords",
        r"^(相关)?(热词|热词搜索|关键词|关键字|标签|Tags?)\s*(搜索)?\s*[::]",
        "edge",
        "seed 004 相关热词搜索: 基层 工会工作 专题报告",
        "关键词：职工之家 送温暖",
    ),
    # --- footers ----------------------------------------------------------------------
    _rule(
        "legal",
        r"版权所有|版权归|copyright|\(c\)\s*\d{4}|©|all rights reserved|未经(授权|许可|同意).{0,10}(转载|复制|镜像|使用)",
        "edge",
        "seed 004 版权所有:…",
        "Copyright © 2008-2022 某某市总工会 版权所有",
    ),
    _rule(
        "legal",
        r"ICP\s*(备|证)|公网安备|网站标识码|网站识别码|政府网站找错|powered by|技术支持\s*[::]",
        "edge",
        "seed 002/004 footers, government sites",
        "浙ICP备05012345号-2 浙公网安备33010602001234号",
    ),
    _rule(
        "legal",
        r"^(\s*[|｜·/]?\s*(网站地图|免责声明|隐私政策|联系我们|关于我们|设为首页|加入收藏|意见反馈|网站声明|帮助中心))+\s*$",
        "edge",
        "footer link rows (a sentence that says 联系我们 is content)",
        "关于我们 | 联系我们 | 网站地图",
    ),
    _rule("legal", r"^(主办|承办|协办|运营|维护)(单位)?\s*[::]", "edge", "government site footers 主办单位:", "主办单位：某某省总工会"),
    _rule(
        "contact",
        r"^(电话|联系电话|热线|服务热线|传真|邮箱|电子邮箱|e-?mail|地址|通讯地址|邮编|邮政编码|QQ|微信号)\s*[::]",
        "edge",
        "seed 002 电话:… 邮箱:… 地址:…",
        "联系电话：0571-12345678",
    ),
    _rule(
        "contact", r"[\w.+-]+@[\w-]+\.[\w.]+\s*$|^\d{3,4}-\d{7,8}", "edge", "a bare e-mail address or phone number", "gonghui@example.cn"
    ),
    # --- more kinds of chrome, from imitated sites (tests/fixtures/sites) ------------------
    _rule(
        "meta",
        r"^[(（]\s*(责任编辑|编辑|责编|作者|来源|审核)\s*[:：]",
        "edge",
        "news portals close with (责任编辑:…)",
        "（责任编辑：张三、李四）",
    ),
    _rule(
        "meta",
        rf"^\S{{1,20}}\s+({_DATE}|于\s*{_DATE}).{{0,40}}(发表于|发布|阅读)",
        "edge",
        "WeChat 'account date time 发表于浙江', blogs 'name 于 date 发布'",
        "工会公众号 2022-05-16 18:30 发表于江苏",
    ),
    _rule("meta", rf"^{_DATE}\s*(星期|周)[一二三四五六日天]$", "edge", "newspapers: 2021年03月08日 星期一", "2020年5月4日 星期一"),
    _rule(
        "meta",
        rf"^(时间|日期|发布)\s*[:：]\s*{_DATE}",
        "edge",
        "template sites: 时间：2023-06-12 11:08:35 来源：…",
        "时间：2021-01-02 10:00 栏目：工作总结",
    ),
    _rule("meta", r"^本帖最后由.{1,30}编辑$", "anywhere", "forum edit notes", "本帖最后由 工会老兵 于 2020-1-2 10:00 编辑"),
    _rule(
        "meta",
        r"^(标\s*题|题\s*名|年\s*份|页\s*数|全\s*文|文\s*种|分\s*类|栏\s*目)\s*[:：]",
        "edge",
        "government and archive metadata tables",
        "题名：关于加强工会工作的意见",
    ),
    _rule(
        "meta",
        r"第\s*\d{1,3}\s*版|^(上一版|下一版)",
        "edge",
        "newspaper e-paper: 第04版 / 上一版",
        "《某某工人报》（2020年1月2日 第 3 版）",
    ),
    _rule("meta", r"^本报(记者|讯|通讯员)", "edge", "newspaper bylines", "本报记者 王五"),
    _rule(
        "meta", r"^(本版)?(责编|美编|编辑|校对|签名)\s*[:：]", "edge", "newspaper credits, forum signatures", "本版责编：张三    美编：李四"
    ),
    _rule(
        "meta", r"^(最后)?(更新|修改)(日期|时间)\s*[:：]", "edge", "最后更新日期：28/04/2023 (Hong Kong sites)", "最后更新日期：01/02/2022"
    ),
    _rule(
        "meta",
        r"^(阅读|浏览|下载|点击)\s*[\d.]+\s*万?\s*次|^主题\s*\d+\s+帖子\s*\d+",
        "edge",
        "counters; forum user stats",
        "阅读 3.5万 次    下载 12 次",
    ),
    _rule("tools", r"[★☆]{3,}", "edge", "star ratings of document-sharing sites", "★★★☆☆ 3.2分"),
    _rule("meta", rf"^[(（]\s*{_DATE}\s*[)）]$", "edge", "speeches give their date in brackets under the title", "（2020年1月15日）"),
    _rule(
        "tools",
        r"^(\s*[\[【]\s*[^\]】\s]{1,8}(\s+[^\]】\s]{1,8}){0,3}\s*[\]】]\s*[|/]?)+\s*$",
        "edge",
        "toolbars of bracketed labels: [收藏本文] [下载Word版], 【发表评论】【告诉好友】",
        "【引用】【导出】【反馈】",
    ),
    _rule(
        "tools",
        r"^(?=.*[\u4e00-\u9fff])[^\s。，,;；!！?？]{1,12}((\s{2,}|\s*[|｜·•/]\s*)[^\s。，,;；!！?？]{1,12}){2,}$",
        "edge",
        "navigation bars: short labels separated by wide spaces or bars",
        "要闻  通知公告  工会动态  视频",
    ),
    _rule(
        "tools",
        r"^(?=.*[\u4e00-\u9fff])(?=(^|.*\s)[^\s]{1,2}(\s|$))[^\s。，,;；!！?？]{1,4}(\s+[^\s。，,;；!！?？]{1,4}){2,}$",
        "edge",
        "rows of tiny labels: 分享 收藏 点赞 在看 (one of them two characters at most: 不忘初心 牢记使命 is a slogan)",
        "转发 收藏 点赞 在看",
    ),
    _rule(
        "tools",
        r"^扫(一扫|码)|^(打赏|关注|点赞|在看|收藏|举报|回复|沙发|板凳|地板|楼主)$",
        "edge",
        "WeChat, blogs and forums",
        "扫一扫分享本页",
    ),
    _rule("pagination", r"^<?\s*(上一篇|下一篇)\b|(上一篇|下一篇)\s*>?$", "edge", "< 上一篇  下一篇 >", "下一篇 >"),
    _rule(
        "legal",
        r"^(本文|原文)(链接|地址|网址)\s*[:：]|仅代表(作者|个人)(本人)?(观点|立场)|不代表本(站|网|刊)|版权声明|转载请(注明|保留|附上)|仅供.{0,12}(学习|研究|参考)使用|最佳(解析度|分辨率|浏览)",
        "edge",
        "disclaimers and copyright notices",
        "本文仅代表作者个人观点，不代表本站立场",
    ),
    _rule(
        "contact",
        r"^(投稿邮箱|投稿|会址|服务时间|办公时间|咨询电话|值班电话)\s*[:：]",
        "edge",
        "contact blocks of union sites",
        "投稿邮箱：tougao@example.cn",
    ),
    _rule("stray", r"^[(（]\s*完\s*[)）]$|^[—-]\s*\d{1,3}\s*[—-]$|^▼.*▼$", "anywhere", "end marks (完), PDF page numbers — 2 —", "— 12 —"),
    # --- stray marks --------------------------------------------------------------------
    _rule("stray", r"^(top|返回|更多|more|>>|»|\||｜|/|·|•|-+|_+|=+|\*+|#+)$", "anywhere", "seed 000 Top; seed 001 |", "TOP"),
)

# Headers after which everything to the end of the page is a list of links, when they
# come after the last paragraph of the article (news portals, template sites).
TAIL_SECTIONS = re.compile(
    r"(相关(新闻|文章|阅读|链接|连结|推荐|内容|范文|文档)|往期(推荐|回顾|精选)|猜你喜欢|推荐阅读|热门(文章|推荐|范文)|热点排行"
    r"|延伸阅读|你可能(还)?(感兴趣|喜欢)|精彩推荐|最新(文章|更新)|网友评论|发表评论|喜欢此内容|范文推荐)"
)
TAIL_SECTION_MAX_CHARS = 40
# A list of links after a "related" header holds little running text; more than this share of the
# article's running text after it means the header is a heading of the article ("二、相关工作").
RELATED_BODY_SHARE = 0.25
REPLY_LABEL_MAX = 12  # characters of a poster's name or floor label above a reply header
# A forum reply header after the first post began: everything from here on is replies.
REPLY_HEADER = re.compile(rf"^(\S{{1,20}}\s+)?发表于\s*{_DATE}")

# Pagination glued to the end of the last line: "…的正確領導1 2 下一頁" (seed 003).
TRAILING_PAGINATION = re.compile(r"\s*(\d{1,3}\s+){1,9}\d{0,3}\s*(下一页|下页|尾页|末页)\s*$")

# Lines without 页 (or 頁, its Traditional form) cannot end in pagination: not converted to look for it.
_PAGE_WORD = re.compile("[页頁]")

# A line of the article body: long enough and with sentence punctuation.
_BODY = re.compile(r"[。,;!?]")
BODY_MIN_CHARS = 30
# A line that is not body but may be chrome must be short.
CHROME_MAX_CHARS = 120


@lru_cache(maxsize=1 << 16)
def fold(line: str) -> str:
    """The form rules match: halfwidth (NFKC), Simplified, trimmed."""
    return to_simplified(unicodedata.normalize("NFKC", line)).strip()


@lru_cache(maxsize=1 << 16)
def classify(line: str, at_edge: bool) -> str | None:
    """Return the kind of chrome `line` is, or None when it is content."""
    folded = fold(line)
    if not folded:
        return None
    if len(folded) > CHROME_MAX_CHARS:
        return None
    for rule in RULES:
        if rule.where == "edge" and not at_edge:
            continue
        if rule.pattern.search(folded):
            return rule.kind
    return None


@lru_cache(maxsize=1 << 16)
def is_body(line: str) -> bool:
    """A line of running text (as opposed to a label, a title or a heading): long, with a full stop
    or at least two clause marks (a headline may hold one exclamation mark or comma)."""
    text = line.strip()
    if len(text) < BODY_MIN_CHARS:
        return False
    if "。" in text:  # NFKC keeps every 。 (the check below, without normalizing)
        return True
    folded = unicodedata.normalize("NFKC", text)
    return "。" in folded or len(_BODY.findall(folded)) >= 2


def _cut_point(lines: list[str], first: int) -> tuple[int, str]:
    """Index where the article ends and lists of links or replies begin (len(lines) when none).

    A short "related news / comments" header, or a forum reply header, after the text began;
    only when the text before it outweighs the text after it, so an article is never cut in two.
    """
    sizes = [len(line.strip()) if is_body(line) else 0 for line in lines]
    total = sum(sizes)
    before = 0
    for i, line in enumerate(lines):
        if i > first:
            folded = fold(line)
            kind = ""
            if len(folded) <= TAIL_SECTION_MAX_CHARS and TAIL_SECTIONS.search(folded):
                kind = "related"
            elif REPLY_HEADER.match(folded):
                kind = "replies"
            after = total - before
            if kind and not starts_numbered(line) and before >= after and (kind == "replies" or after <= RELATED_BODY_SHARE * before):
                while kind == "replies" and i > first + 1 and lines[i - 1].strip() and len(lines[i - 1].strip()) <= REPLY_LABEL_MAX:
                    i -= 1  # the poster's name and floor ("沙发") stand above a reply header
                return i, kind
        before += sizes[i]
    return len(lines), ""


def remove_chrome(article: Article, common_lines: frozenset[str] = frozenset()) -> Article:
    """Drop chrome lines; record each with its kind. `common_lines` are folded lines seen in many sources."""
    if "boilerplate" in article.skip:
        return article
    lines, numbers = list(article.lines), list(article.line_numbers)
    body = [i for i, line in enumerate(lines) if is_body(line) and classify(line, at_edge=True) is None]
    cut, cut_kind = _cut_point(lines, body[0] if body else len(lines))
    body = [i for i in body if i < cut]
    first, last = (body[0], body[-1]) if body else (len(lines), -1)
    keep_lines: list[str] = []
    keep_numbers: list[int] = []
    keep = article.meta.get("_keep", frozenset())
    for i, (line, number) in enumerate(zip(lines, numbers, strict=True)):
        at_edge = i < first or i > last
        if line.strip() in keep:
            keep_lines.append(line)
            keep_numbers.append(number)
            continue
        kind = cut_kind if i >= cut else classify(line, at_edge)
        if kind is None and at_edge and fold(line) in common_lines:
            kind = "repeated"
        if kind is None:
            found = TRAILING_PAGINATION.search(to_simplified(line)) if _PAGE_WORD.search(line) else None
            stripped = line[: found.start()] if found else line
            if stripped != line and fold(stripped):
                article.record("boilerplate", "pagination", line[len(stripped) :].strip(), "", number)
                line = stripped
        if kind is None:
            keep_lines.append(line)
            keep_numbers.append(number)
        elif line.strip():
            article.record("boilerplate", kind, line.strip(), "", number)
    return article.with_lines(keep_lines, keep_numbers)
