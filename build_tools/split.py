"""Split a compilation (第一篇:… 第五篇:…) into one article each; find each article's title."""

from __future__ import annotations

import os
import re
from dataclasses import replace

from .article import Article
from .boilerplate import fold, is_body
from .numbering import CN, starts_numbered
from .script import to_simplified

# Markers that open one article of a compilation, as template sites write them.
PART_MARKERS = (
    re.compile(rf"^第\s*([{CN}\d]+)\s*篇\s*[:：、.．]?\s*"),  # 第一篇: (seed 003)
    re.compile(rf"^[【\[]?\s*篇\s*([{CN}\d]+)\s*[】\]]?\s*[:：、.．]?\s*"),  # 篇一: 【篇1】
    re.compile(rf"^[【\[]\s*第\s*([{CN}\d]+)\s*篇\s*[】\]]\s*[:：]?\s*"),  # 【第一篇】
    re.compile(rf"^(?:精选)?范文\s*([{CN}\d]+)\s*[:：]\s*"),  # 范文一:
)

# Decorations template sites add to titles: (精选), (通用5篇), _xx范文网.
TITLE_DECORATIONS = (
    re.compile(
        r"\s*[(（【\[]\s*(精选|通用|范文|最新|推荐|热门|完整版|优秀|荐|范本|模板|全文|word版|可编辑)?\s*(\d+篇)?\s*(精选|通用|范文|大全)?[)）】\]]\s*$"
    ),
    re.compile(r"\s*[_|｜-]\s*[^_|｜-]{1,12}(网|站|网站|频道|平台|文库|之家)\s*$"),
    re.compile(r"\s*[(（]?\s*(精选|通用)?\s*\d+\s*篇\s*[)）]?\s*$"),
    re.compile(r"\s*[\[【][^\]】]{1,6}[\]】]\s*$"),  # forum titles end with [复制链接]
)
# Labels before a title: a forum's board in square brackets ([经验交流]) and a provenance or status label
# (【转载】, 【置顶】). A column tag in 【】 is part of the headline (【资讯汇总】…, 【理论学习】…) and stays.
TITLE_PREFIX = re.compile(r"^\s*(\[[^\]]{1,6}\]|【\s*(转载|转帖|原创|置顶|精华|推荐|荐|热|新|图|组图|视频|独家)\s*】)\s*")

TITLE_MAX_CHARS = 60
META_GAP = 3  # source lines between a title and the date/source line under it


def _cn_number(text: str) -> int:
    """一 -> 1, 十二 -> 12, 3 -> 3."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + digits.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return digits.get(tens, 0) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(text, 0)


def part_marker(line: str) -> tuple[int, str] | None:
    """(number, rest of the line) when `line` opens an article of a compilation.

    The rest must be a title or nothing: "第一篇：《劳动者之歌》，讲述了……。" is a sentence about a book.
    """
    text = line.strip()
    for pattern in PART_MARKERS:
        match = pattern.match(text)
        if match:
            rest = text[match.end() :].strip()
            if rest and not is_title_like(rest):
                return None
            return _cn_number(match.group(1)), rest
    return None


def clean_title(title: str) -> str:
    """Strip template-site decorations from a title (matched on its Simplified form, cut from the original)."""
    title = title.strip()
    for pattern in TITLE_DECORATIONS:
        match = pattern.search(to_simplified(title))
        if match and match.start() > 0 and len(to_simplified(title)) == len(title):
            title = title[: match.start()]
    prefix = TITLE_PREFIX.match(title)
    if prefix and title[prefix.end() :].strip():
        title = title[prefix.end() :]
    return title.strip()


def is_title_like(line: str) -> bool:
    """A short line that is not a sentence of running text and not a numbered heading.

    A headline may hold a comma or an exclamation mark (青溪驿站再升级！劳动者有了暖心港湾) but
    not a full stop, and does not end with a comma or colon.
    """
    text = line.strip()
    return (
        0 < len(text) <= TITLE_MAX_CHARS
        and not starts_numbered(text)
        and "。" not in text
        and text[-1] not in "，,：:；;、"
        and (not is_body(text) or len(text) <= TITLE_MAX_CHARS // 2 + 10)
    )


def _same_title(a: str, b: str) -> bool:
    """Two title lines name the same article: equal, or one ends the other (思礼镇工会工作总结 / 工会工作总结)."""
    fa, fb = fold(clean_title(a)), fold(clean_title(b))
    if not fa or not fb:
        return False
    short, long_ = sorted((fa, fb), key=len)
    if long_.startswith(short) and len(short) >= 4:
        return True
    common = len(os.path.commonprefix([short[::-1], long_[::-1]]))  # noqa: RUF071 - strings, not paths: the shared ending
    return common >= max(4, int(0.6 * len(short)))


# What a headline holds, and what a site's name looks like (scored by `_title_score`).
HEADLINE_WORDS = re.compile(r"工会|职工|劳模|劳动|工人|总结|讲话|报告|通知|意见|心得|计划|会议|工作|建设|活动|维权|协商")
SITE_NAME = re.compile(r"(网|论坛|社区|平台|文库|数字报|博客|资料库|官网|频道|门户|之窗)$|\s[-—|_]\s|[|｜_]")


def _title_score(line: str, followed_by_meta: bool) -> float:
    """How much a line at the head of a page looks like its headline."""
    text = fold(line)
    score = min(len(text), 30) / 10
    score += 3 if followed_by_meta else 0
    score += 2 if HEADLINE_WORDS.search(text) else 0
    score -= 4 if SITE_NAME.search(text) else 0
    score -= 2 if len(text) <= 4 else 0
    return score


# A name alone on the line under a title is its author (speeches, forum posts): two to six Han
# characters (a username may be longer than a name), nothing else.
BYLINE = re.compile(r"[\u4e00-\u9fff](\s?[\u4e00-\u9fff]){1,5}")
# Short lines under a title that are not names.
NOT_NAMES = frozenset(
    {"前言", "引言", "摘要", "概述", "综述", "序言", "目录", "正文", "附件", "说明", "讲话", "发言", "全文", "原文"}
    | {"今天", "昨天", "前天", "今日", "昨日", "前日", "刚刚", "刚才"}  # a relative date under a headline (a news site's)
)


def _pick_title(article: Article, lines: list[str], numbers: list[int]) -> int:
    """Index of the title among the title-like lines that open the text.

    Sites print their name and navigation above the title and the date/source line right
    under it: each candidate is scored (`_title_score`: length, a meta line the chrome remover
    took out within META_GAP lines below it, headline words, not a site's name); the best wins,
    the first on a tie.
    """
    head = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if is_body(line) and not is_title_like(line):
            break
        if is_title_like(line):
            head.append(i)
        if len(head) >= 12:
            break
    if len(head) <= 1:
        return 0
    meta_lines = {c.line for c in article.changes if c.kind == "meta" and c.line}
    scores = [(_title_score(lines[i], any(numbers[i] < m <= numbers[i] + META_GAP for m in meta_lines)), -k, i) for k, i in enumerate(head)]
    return max(scores)[2]


def take_title(article: Article, title: str = "") -> Article:
    """Set meta["title"] from `title` or the first title-like line; drop repeated title lines after it."""
    lines, numbers = list(article.lines), list(article.line_numbers)
    while lines and not lines[0].strip():
        lines.pop(0), numbers.pop(0)
    title = title or article.meta.pop("_title", "")  # chosen by the content step among the lines above the text
    if not title and lines and is_title_like(lines[0]):
        pick = _pick_title(article, lines, numbers)
        for _ in range(pick):  # lines above the title are a site's header (name, navigation)
            article.record("split", "header", lines.pop(0).strip(), "", numbers.pop(0))
        title = lines.pop(0).strip()
        numbers.pop(0)
    # Repeated or more specific title lines right after the title (seed 003 parts 2, 3, 5).
    while lines and (not lines[0].strip() or (title and is_title_like(lines[0]) and _same_title(title, lines[0]))):
        line = lines.pop(0).strip()
        number = numbers.pop(0)
        if line:
            if len(fold(line)) > len(fold(clean_title(title))):
                title = line  # the more specific title wins
            article.record("split", "repeated-title", line, "", number)
    article.meta["title"] = clean_title(title) if title else ""
    if title and lines and BYLINE.fullmatch(fold(lines[0])) and fold(lines[0]) not in NOT_NAMES:
        name = re.sub(r"\s+", "", fold(lines.pop(0)))
        article.record("split", "byline", name, "", numbers.pop(0))
        article.meta.setdefault("_byline", name)
    return article.with_lines(lines, numbers)


# Chrome that speaks of the end of the whole text, not of every article in it.
ENDING_KINDS = frozenset({"truncation", "pagination"})


def _changes_within(article: Article, bounds: tuple[int, int], outer: tuple[int, int], last: bool) -> list:
    """The changes recorded inside one part, plus the chrome around the whole compilation.

    Chrome above the first part and below the last (site header, date, source, footer) describes
    every article of the compilation; a truncation notice or pagination belongs to the last one.
    """
    lo, hi = bounds
    first_line, last_line = outer
    out = []
    for c in article.changes:
        inside = lo <= c.line <= hi
        around = c.line < first_line or c.line > last_line
        if inside or (around and (c.kind not in ENDING_KINDS or last)):
            out.append(c)
    return out


def _line_span(article: Article, start: int, end: int) -> tuple[int, int]:
    """Source line numbers of the first and last line of lines[start:end]."""
    nums = article.line_numbers
    lo = nums[start] if start < len(nums) else 0
    hi = nums[end - 1] if 0 <= end - 1 < len(nums) else 10**9
    return lo, hi


def split_compilation(article: Article) -> list[Article]:
    """One article per part marker when the text holds two or more in order; else the article itself."""
    starts = [(i, *m) for i, line in enumerate(article.lines) if (m := part_marker(line))]
    numbers_seen = [n for _, n, _ in starts]
    if "split" in article.skip or len(starts) < 2 or numbers_seen != sorted(numbers_seen) or numbers_seen[0] != 1:
        return [take_title(article)]
    chosen = article.meta.pop("_title", "")  # the content step's title names the whole compilation
    head = article.lines[: starts[0][0]]
    for line, number in zip(head, article.line_numbers, strict=False):
        if line.strip():
            article.record("split", "compilation-title", line.strip(), "", number)
    parts = []
    bounds = [i for i, _, _ in starts] + [len(article.lines)]
    outer = (_line_span(article, starts[0][0], len(article.lines))[0], _line_span(article, starts[0][0], len(article.lines))[1])
    for k, (start, _number, rest) in enumerate(starts):
        end = bounds[k + 1]
        part = replace(
            article,
            lines=article.lines[start + 1 : end],
            line_numbers=article.line_numbers[start + 1 : end],
            meta=dict(article.meta),
            changes=_changes_within(article, _line_span(article, start, end), outer, last=k == len(starts) - 1),
            part=k + 1,
            parts=len(starts),
        )
        if chosen:
            part.meta["compilation"] = clean_title(chosen)
        elif head and any(line.strip() for line in head):
            part.meta["compilation"] = clean_title(next(line for line in head if line.strip()))
        parts.append(take_title(part, rest))
    return parts
