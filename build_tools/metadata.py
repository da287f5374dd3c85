"""Recover metadata (date, author, source, publisher, category, tags, views, truncation) from the text
and from the site chrome the cleaner removed."""

from __future__ import annotations

import re

from .article import Article
from .article_date import choose_date
from .boilerplate import fold
from .dates import chinese_number, real_day
from .punctuation import CLOSING

_SEP = r"\s*[:：]\s*"
_DATE_RE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
# Each field: patterns tried in order over the removed chrome lines (folded to Simplified, halfwidth).
DATE_PATTERNS = (
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"),  # 2020-09-07, 2021年5月3日
    re.compile(r"民国\s*(?P<roc>\d{2,3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})"),  # Taiwan 民國110年5月3日
    re.compile(r"(?<!\d)(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})"),  # Hong Kong, day first: 28/04/2023
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)"),  # 2021年3月
    # written out, as official documents date themselves: 二〇二一年五月三日, 二零二一年十二月
    re.compile(
        r"(?P<cy>[一二][〇零○一二三四五六七八九]{3})\s*年\s*(?P<cm>[一二三四五六七八九十]{1,2})\s*月"
        r"(?:\s*(?P<cd>[一二三四五六七八九十]{1,3})\s*[日号])?"
    ),
)
AUTHOR_PATTERNS = (
    re.compile(rf"(?:^|\s)(?:作者|撰稿|撰文|执笔){_SEP}(?P<v>[^\s:：|]{{2,20}})"),
    re.compile(r"^文\s*[/／|]\s*(?P<v>[^\s:：|/]{2,20})"),
    re.compile(r"^(?:本报)?(?:记者|通讯员)\s+(?P<v>[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3})(?:\s|$)"),  # 本报记者 李  华
    re.compile(r"^本帖最后由\s*(?P<v>\S{2,20})\s+于"),  # forums: the post's author edited it
    re.compile(rf"^(?P<v>[^\s\d]{{2,20}})\s+于\s*{_DATE_RE}.{{0,12}}发布"),  # blogs: 周立新 于 2021-07-09 16:20 发布
)
SOURCE_PATTERNS = (re.compile(rf"(?:来源|信息来源|稿源|文章来源|出处){_SEP}(?P<v>[^\s|]{{2,40}}?)(?=\s|$|作者|编辑|浏览|发布)"),)
_NAME = r"[\u4e00-\u9fff][^\s©|:：,，。.;；]{1,29}?"
PUBLISHER_PATTERNS = (
    re.compile(rf"版权所有{_SEP}(?:©|\(c\))?\s*(?P<v>{_NAME})(?=\s|\d{{4}}|未经|$|[,，。.])"),  # 版权所有：无忧范文网 (seed 004)
    re.compile(rf"(?P<v>{_NAME})\s*版权所有"),  # 江城工人报社版权所有, … fwxs.cn 范文先生网 版权所有
    re.compile(rf"版权所有\s*(?:©|\(c\))?\s*(?:\d{{4}}(?:\s*-\s*\d{{4}})?)?\s*(?P<v>{_NAME})(?=\s|$|[,，。.])"),  # 版權所有 © 2023 港九…
    re.compile(rf"(?:主办单位|主办){_SEP}(?P<v>{_NAME})(?=\s|$|[,，。.])"),
    re.compile(rf"(?:copyright|©)\s*(?:©|\(c\))?\s*(?:\d{{4}}(?:\s*-\s*\d{{4}})?)?\s*(?P<v>{_NAME})(?=\s|$|版权|all|[,，。.])", re.I),
    re.compile(rf"^(?P<v>{_NAME})\s+\S{{0,2}}ICP\s*[备证]"),  # 江西省南昌市总工会 赣ICP备… (seed 002)
    re.compile(rf"powered by\s+(?P<v>{_NAME})(?=\s|$|©)", re.I),
)
# A metadata table that names the title (government sites, archives): 标  题：… / 题名：…
DECLARED_TITLE = re.compile(r"^(?:标\s*题|题\s*名)\s*[:：]\s*(?P<v>.{2,80})$")
VIEWS = re.compile(r"(?:浏览|点击|阅读|点阅|访问)(?:量|数|次数)?\s*[:：]?\s*(?P<v>\d[\d,]*)")
TAG_LINE = re.compile(r"^(?:相关)?(?:热词|热词搜索|关键词|关键字|标签|tags?)\s*(?:搜索)?\s*[:：]\s*(?P<v>.+)$", re.I)
TAG_SPLIT = re.compile(r"[\s,，、;；|/]+")
BREADCRUMB_SEP = re.compile(r"\s*[>»›→/]\s*")

# Canonical categories and the words that name them, in a breadcrumb label or a title.
# The breadcrumb (the site's own filing) wins over the title.
CATEGORIES = (
    ("心得", ("心得", "体会", "感悟", "感想")),
    ("讲话", ("讲话", "演讲", "致辞", "发言", "讲稿", "致词")),
    ("计划", ("计划", "要点", "规划", "安排", "方案")),
    ("总结", ("总结", "述职")),
    ("报告", ("报告", "汇报")),
    ("通知", ("通知", "通告", "公告", "决定", "意见", "办法")),
    ("经验", ("经验", "交流", "做法")),
    ("论文", ("论文", "调研", "研究", "浅谈", "浅析", "思考", "探讨")),
    ("新闻", ("新闻", "动态", "要闻", "资讯", "快讯", "简讯")),
)


def _first(patterns: tuple[re.Pattern[str], ...], lines: list[str]) -> str:
    for pattern in patterns:
        for line in lines:
            match = pattern.search(line)
            if match:
                value = match.group("v").strip(" :：,，。")
                return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", value)
    return ""


def find_date(lines: list[str]) -> str:
    """The first full or partial date in `lines`: YYYY-MM-DD, YYYY-MM or "" (years come from `year_of`)."""
    for line in lines:
        for pattern in DATE_PATTERNS:
            match = pattern.search(line)
            if not match:
                continue
            found = _numbers(match.groupdict())
            if found is None:
                continue
            year, month, day = found
            if not (1900 <= year <= 2099 and real_day(year, month, day)):  # 2023-02-30, 2021-13-01: not dates
                continue
            return f"{year:04d}-{month:02d}-{day:02d}" if day is not None else f"{year:04d}-{month:02d}"
    return ""


def _numbers(parts: dict[str, str | None]) -> tuple[int, int, int | None] | None:
    """Year, month and day (None when not given) of a DATE_PATTERNS match; None when a numeral is not one."""
    if parts.get("cy"):
        year, month = chinese_number(parts["cy"]), chinese_number(parts["cm"] or "")
        day = chinese_number(parts["cd"]) if parts.get("cd") else None
        if year is None or month is None or (parts.get("cd") and day is None):
            return None
        return year, month, day
    year = int(parts["y"]) if parts.get("y") else 1911 + int(parts["roc"] or 0)
    return year, int(parts["m"] or 0), int(parts["d"]) if parts.get("d") else None


_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_OPENING = re.compile(r"^((?:19|20)\d{2})\s*年(?!\d)")


def year_of(title: str, first_paragraph: str) -> str:
    """The year a report names for itself: in its title (2013年度工作总结) or as its opening words (2020年，…)."""
    match = _YEAR_IN_TITLE.search(title) or _YEAR_OPENING.match(first_paragraph.strip())
    return match.group(1) if match else ""


# How a text opens tells its kind when its title does not: a work report asks to be reviewed,
# a speech greets its audience. Checked on the first two paragraphs, in this order.
OPENINGS = (
    ("报告", re.compile(r"报告工作|作工作报告|请予审议|提请大会审议")),
    ("讲话", re.compile(r"^(同志们|各位代表|各位领导|各位来宾)|讲几点意见|讲几点看法")),
    ("新闻", re.compile(r"^(近日|日前|本报讯|记者从|\d{1,2}月\d{1,2}日)|记者(近日)?从.{1,20}(了解|获悉)")),
)


def category_of(breadcrumbs: list[str], title: str, opening: list[str] | None = None) -> str:
    """Canonical category from the breadcrumb's labels (last first), the title's kind word, then the opening."""
    labels = [label for crumb in breadcrumbs for label in BREADCRUMB_SEP.split(fold(crumb).split(":")[-1].split("：")[-1])]
    for text in [*reversed([label for label in labels if label and label not in ("首页", "正文")]), title]:
        for name, words in CATEGORIES:
            if any(word in text for word in words):
                return name
    for paragraph in (opening or [])[:2]:
        for name, pattern in OPENINGS:
            if pattern.search(paragraph):
                return name
    return ""


def is_cut(lines: list[str]) -> bool:
    """The text stops mid-sentence: its last line does not end with closing punctuation."""
    last = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return bool(last) and last[-1] not in CLOSING and len(last) > 15


def extract_metadata(article: Article) -> Article:
    """Fill article.meta from removed chrome and the text; keep values a contributor set in settings."""
    removed = [fold(c.before) for c in article.changes if not c.after and c.step in ("boilerplate", "content")]
    meta = article.meta
    title = meta.get("title", "")
    paragraphs = [b.text for b in article.blocks if b.kind != "heading"]
    date, why = choose_date(article)
    if date and "date" not in meta:
        article.record("metadata", "date", why, date)
    date = date or find_date(removed) or year_of(title, paragraphs[0] if paragraphs else "")
    declared = _first((DECLARED_TITLE,), removed)
    if declared:
        meta["title"] = declared
        title = declared
    fields = {
        "date": date,
        "author": _first(AUTHOR_PATTERNS, removed) or meta.pop("_byline", ""),
        "source": _first(SOURCE_PATTERNS, removed),
        "publisher": _first(PUBLISHER_PATTERNS, removed),
        "category": category_of(article.removed("breadcrumb"), title, paragraphs),
    }
    tags: list[str] = []
    for line in removed:
        match = TAG_LINE.match(line)
        if match:
            tags += [t for t in TAG_SPLIT.split(match.group("v")) if t and t not in tags]
    views = _first((VIEWS,), removed)
    kinds = {c.kind for c in article.changes}
    truncated = "truncation" in kinds or is_cut([b.text for b in article.blocks])
    for key, value in fields.items():
        if value and key not in meta:
            meta[key] = value
    if tags and "tags" not in meta:
        meta["tags"] = tags
    if views and "views" not in meta:
        meta["views"] = int(views.replace(",", ""))
    if truncated:
        meta.setdefault("truncated", True)
    return article
