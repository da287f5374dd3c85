"""Find the main text of a page, before the chrome rules: classify every line as content or chrome from what
it is and where it stands (the ideas of jusText and trafilatura, applied to text instead of HTML).

Each non-blank line is weighed (`weigh`): a line of running text (long, with sentence punctuation) counts for
its length, any other line (a menu label, a widget, a counter, a link headline) against. The main text is the
densest contiguous region: the run of lines with the largest sum (`densest`), which never crosses an end marker
(comments, related articles, an editor's credit: `END_MARKERS`). A short line between two content lines is
kept with them (a sub-heading); a long line inside a menu run is not (its weight cannot pay for the run).
Above the region stand the headline and its meta lines: the headline is chosen (title.py) and kept as the
first line, the meta lines between it and the text are taken out (metadata.py reads dates, sources and
authors back from them), everything above the headline is the site's header. Below the region, the lines
that sign the text (an organisation, a date) stay; the rest is the page's footer.

Every removed line is recorded with the reason (`Change.kind`); a source's settings switch the step off
(`skip: [content]`) or name the article's first and last line (`content: {first: …, last: …}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .article import Article
from .article_date import is_adoption
from .boilerplate import TAIL_SECTIONS, classify, fold, is_body
from .numbering import starts_numbered
from .split import BYLINE, NOT_NAMES, is_title_like, part_marker
from .title import ORGANISATION, choose_title, has_date

# --- the rules, as data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    """How much a line weighs for or against being part of the main text."""

    text_min_chars: int = 10  # a line with a full stop or ending like a sentence counts (its length) from here
    long_min_chars: int = 40  # a line without a full stop counts from this length with two clause marks
    soft_min_chars: int = 16  # a line of Chinese words without punctuation, this long: a verse, a blog's sentence
    phrase_min_chars: int = 6  # a shorter line of Chinese words: a sub-heading or a link label
    min_han_share: float = 0.6  # of the characters of a soft line or a phrase
    soft: int = -1  # soft lines: neutral inside a run; the region grows over a run of them at its ends
    grow_min_lines: int = 3  # ... of at least this many lines (a single one above the text is its headline)
    code: int = -1  # a line of program code inside an article (import json, def parse():)
    phrase: int = -4
    chrome: int = -12  # any other line: a menu label, a widget, a counter, a truncated link headline
    max_separator_share: float = 0.08  # more separators (| > » · /) than this share: a menu, never text
    max_digit_share: float = 0.5  # more digits than this share: a counter or a list of dates, never text
    chars_per_mark: int = 50  # a long line with fewer clause marks than one per this many characters: joined links
    first_share: float = 0.3  # the first region (in page order) this big against the best one is the article:
    first_min_sum: int = 100  # articles come before their comments and related lists


WEIGHTS = Weights()

SENTENCE_MARKS = "，。；：！？、"  # Chinese sentence punctuation (and its halfwidth forms below, after NFKC)
_CLAUSE = re.compile(r"[,，;；:：!！?？、。]")
_SENTENCE_END = re.compile(r"[。！？!?…”」』）)\]】:：]$")
ORIGINAL_TITLE = re.compile(r"^[(（]?(本文)?(原标题|原题|原文标题)[:：]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TRUNCATED = re.compile(r"(\.{3}|…)$")
CODE = re.compile(
    r"^(import|from|def|class|return|if|elif|else|for|while|try|except|with|print|var|let|const|function|#include)\b|[=(){}\[\];]"
)
_SEPARATORS = re.compile(r"[|｜>»›·•/\\]")
_DIGITS = re.compile(r"\d")
# Clauses of six Han characters or more with a space between them: a sentence that uses spaces as punctuation
# (a blog's, a verse's), not a menu of words (期货 债券 银行).
SPACED = re.compile(r"[\u4e00-\u9fff]{6}[ \u3000]+[\"“「]?[\u4e00-\u9fff]{6}")

# Lines that end an article: what follows is comments, related or recommended articles, or the page's footer.
# Short lines only (a sentence that mentions 评论 is text); a numbered line is a heading of the article.
END_MARKERS = re.compile(
    r"^(热门|最新|全部|精彩|网友|用户)?(评论|跟贴|跟帖|留言)(\s*[(（]?\d+[)）]?\s*条?)?$|^(发表|我要|查看)(评论|跟贴)"
    r"|^(相关|延伸|推荐|热点|热门|更多|精彩|猜你|为你)(阅读|新闻|文章|推荐|报道|喜欢|专题|链接|视频|图集|内容|资讯)"
    r"|^(责任编辑|责编|编辑)\s*[:：]|^[(（\[【]\s*(责任编辑|编辑|责编)\s*[:：]"
    r"|^(参考资料|参考文献|参考来源|词条图册|词条标签)$"  # an encyclopedia entry's references and its furniture
)
END_MARKER_MAX_CHARS = 24
# A line right under the text that signs it stays: an organisation, a date, a closing mark.
SIGNATURE = re.compile(
    rf"^\S{{2,30}}{ORGANISATION}$"
    r"|^(\d{4}|[一二][〇零○一二三四五六七八九]{3})\s*年.{1,8}[日号]?$|^[(（]\s*完\s*[)）]$"
    r"|^[\u4e00-\u9fff，,]{2,12}[。！!]$"  # a closing sentence: 谢谢大家！
)
SIGNATURE_LINES = 3  # at most this many signature lines right under the text
# Lines between the headline and the text that belong to the article: a lead in brackets, a salutation.
LEAD = re.compile(r"^[【\[]\s*(编者按|编前语|编者的话|导语|引言|摘要)\s*[】\]]|[:：,，]$")
HEADLINE_DATE_GAP = 4  # a headline that opens the region has its date line within this many lines
# The title is looked for among this many lines above the main text.
HEAD_WINDOW = 40


@dataclass(frozen=True)
class Region:
    """Where the main text is: indexes of its first and last line, and how it was found."""

    first: int
    last: int
    how: str


# --- weighing lines ----------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def weigh(line: str, weights: Weights = WEIGHTS) -> int:
    """The weight of one non-blank line: its length when it is running text, a small or large penalty otherwise."""
    text = "".join(line.split())  # the patterns know both widths of every mark: no NFKC needed
    n = len(text)
    if not n or len(_SEPARATORS.findall(text)) > weights.max_separator_share * n:
        return weights.chrome
    if len(_DIGITS.findall(text)) > weights.max_digit_share * n:
        return weights.chrome
    clauses = len(_CLAUSE.findall(text))
    if n >= weights.long_min_chars and clauses * weights.chars_per_mark < n:
        return weights.chrome  # a ticker of headlines glued together, a line of keywords
    if ORIGINAL_TITLE.match(text):
        return weights.chrome  # the headline as first published: not the article's text
    ends = bool(_SENTENCE_END.search(text)) and clauses >= 1 and text[-1] not in ")）]】"
    if n >= weights.text_min_chars and ("。" in text or ends or (n >= weights.long_min_chars and clauses >= 2)):
        if "。" not in text and classify(line, at_edge=True):
            return weights.chrome  # a meta line, a toolbar, a footer line (boilerplate.RULES), however long
        return n
    if text.isascii() and CODE.search(line.strip()):
        return weights.code
    han = len(_HAN.findall(text))
    if han >= weights.min_han_share * n and not _TRUNCATED.search(text):
        if n >= weights.soft_min_chars:
            return weights.soft
        if n >= weights.phrase_min_chars:
            return weights.phrase
    return weights.chrome


def spaced_text(weights: list[int], lines: list[str], rules: Weights = WEIGHTS) -> list[int]:
    """Soft lines whose clauses are parted by spaces (`SPACED`) count for their length when the line above or under
    is one too, or both are soft: a blog's paragraphs. A lone one is a headline with a space in it (上半句 下半句),
    next to its meta line, and stays soft."""
    spaced = [w == rules.soft and bool(SPACED.search(line)) for w, line in zip(weights, lines, strict=True)]
    out = list(weights)
    for k, yes in enumerate(spaced):
        near = [j for j in (k - 1, k + 1) if 0 <= j < len(spaced)]
        if yes and (any(spaced[j] for j in near) or (len(near) == 2 and all(weights[j] == rules.soft for j in near))):
            out[k] = len("".join(lines[k].split()))
    return out


def is_end_marker(line: str) -> bool:
    """A short line after which the page holds comments, related articles or credits, not the article."""
    if not 0 < len(line.strip()) <= 2 * END_MARKER_MAX_CHARS:  # before folding: most lines are long
        return False
    folded = fold(line)
    if not 0 < len(folded) <= END_MARKER_MAX_CHARS or starts_numbered(folded):
        return False
    return bool(END_MARKERS.search(folded) or TAIL_SECTIONS.search(folded))


def densest(weights: list[int], barriers: set[int], rules: Weights = WEIGHTS) -> tuple[int, int] | None:
    """(first, last) of the main run of positions: in each stretch between barriers the run with the largest sum
    of weights (starting and ending on a positive weight); of these the first one in page order that weighs at
    least `first_share` of the heaviest (and `first_min_sum`); None when no weight is positive."""
    runs: list[tuple[int, int, int]] = []  # (sum, first, last) of each stretch's best run
    best: tuple[int, int, int] | None = None
    total, start = 0, -1
    for i, w in enumerate([*weights, None]):
        if w is None or i in barriers:
            if best is not None:
                runs.append(best)
            best, total, start = None, 0, -1
            continue
        if start < 0 or total <= 0:
            if w <= 0:
                total, start = 0, -1
                continue
            total, start = 0, i
        total += w
        if w > 0 and (best is None or total > best[0]):
            best = (total, start, i)
    if not runs:
        return None
    heaviest = max(r[0] for r in runs)
    floor = min(heaviest, max(rules.first_min_sum, rules.first_share * heaviest))
    first = next(r for r in runs if r[0] >= floor)
    return first[1], first[2]


def grow(weights: list[int], first: int, last: int, barriers: set[int], rules: Weights = WEIGHTS) -> tuple[int, int]:
    """Extend a run over the soft lines and code right around it (a blog's unpunctuated sentences, a program),
    when there are at least `grow_min_lines` of them."""
    mild = {rules.soft, rules.code}
    top = first
    while top > 0 and weights[top - 1] in mild and top - 1 not in barriers:
        top -= 1
    bottom = last
    while bottom + 1 < len(weights) and weights[bottom + 1] in mild and bottom + 1 not in barriers:
        bottom += 1
    return (top if first - top >= rules.grow_min_lines else first), (bottom if bottom - last >= rules.grow_min_lines else last)


# --- the step ------------------------------------------------------------------------------------------------


def _matching(lines: list[str], label: str, start: int = 0) -> int:
    """Index of the first line from `start` that is `label` (or starts with it when it ends in …), -1 when none."""
    prefix = label.endswith("…")
    want = fold(label.removesuffix("…"))
    for i in range(start, len(lines)):
        got = fold(lines[i])
        if got == want or (prefix and want and got.startswith(want)):
            return i
    return -1


def find_region(lines: list[str], marks: dict[str, str] | None = None) -> Region | None:
    """The main text of `lines`: named by hand in `marks` ({first, last}), else the densest region."""
    if marks:
        first = _matching(lines, marks["first"]) if marks.get("first") else next((i for i, line in enumerate(lines) if line.strip()), -1)
        last = _matching(lines, marks["last"], max(first, 0)) if marks.get("last") else len(lines) - 1
        if first < 0 or last < 0:
            missing = "first" if first < 0 else "last"
            raise ValueError(f"content.{missing}: {marks[missing]!r} is not a line of the source")
        return Region(first, last, "settings")
    indexes = [i for i, line in enumerate(lines) if line.strip()]
    weights = spaced_text([weigh(lines[i]) for i in indexes], [lines[i] for i in indexes])
    barriers = {k for k, i in enumerate(indexes) if is_end_marker(lines[i])}
    found = densest(weights, barriers)
    if found is None:
        return None
    first, last = grow(weights, *found, barriers)
    last = later_sections(weights, last, barriers)
    return Region(indexes[first], indexes[last], "densest")


def later_sections(weights: list[int], last: int, barriers: set[int], rules: Weights = WEIGHTS) -> int:
    """The last position of the text with the later sections of one article: a run of text under the chosen one
    that weighs `first_min_sum` or more, before any barrier, however many short lines stand between them (an
    encyclopedia entry's tables and lists between its sections of prose). Related lists and comments stand after
    a barrier; a site's footer holds no run this heavy."""
    total, start, best = 0, -1, last
    for j in range(last + 1, len(weights)):
        if j in barriers:
            break
        w = weights[j]
        if start < 0 or total <= 0:
            if w <= 0:
                total, start = 0, -1
                continue
            total, start = 0, j
        total += w
        if w > 0 and total >= rules.first_min_sum:
            best = j
    return best


def _signed(lines: list[str], last: int) -> int:
    """The last line of the text with the signature lines right under it (an organisation, a date)."""
    taken = 0
    for i in range(last + 1, len(lines)):
        text = fold(lines[i])
        if not text:
            continue
        if taken >= SIGNATURE_LINES or not SIGNATURE.search(text) or is_end_marker(text):
            break
        last, taken = i, taken + 1
    return last


def _past_headline(lines: list[str], first: int, last: int) -> int:
    """The first line of the text when the region opens with its headline (a line like a title, an exclamation
    of a headline, with a date line right under it): the next line of running text after the date."""
    if not is_title_like(lines[first]) or "。" in lines[first]:
        return first
    below = [i for i in range(first + 1, last + 1) if lines[i].strip()][:HEADLINE_DATE_GAP]
    dated = next((i for i in below if weigh(lines[i]) <= 0 and has_date(lines[i])), -1)
    if dated < 0:
        return first
    return next((i for i in range(dated + 1, last + 1) if lines[i].strip() and weigh(lines[i]) > 0), first)


def _belongs(text: str) -> bool:
    """A line between the headline and the text that is part of the article: a lead, a salutation, a numbered
    heading, running text, a law's adoption note (its date is read from it: article_date.is_adoption)."""
    if is_adoption(text):
        return True
    return bool(LEAD.search(text) or starts_numbered(text) or is_body(text)) and not classify(text, True)


def _is_name(text: str) -> bool:
    folded = fold(text)
    return bool(BYLINE.fullmatch(folded)) and folded not in NOT_NAMES


def _kind(line: str, where: str) -> str:
    """Why a line outside the main text is taken out: its kind of chrome (what metadata.py reads dates, sources,
    breadcrumbs back from), else where it stands (header, head-meta, end-marker, footer)."""
    return classify(line, at_edge=True) or where


def detect_content(article: Article, marks: dict[str, str] | None = None) -> Article:
    """Keep the headline and the main text of a page; record every other line with the reason it went."""
    if "content" in article.skip:
        return article
    lines, numbers = article.lines, article.line_numbers
    region = find_region(lines, marks)
    if region is None:
        article.meta["_no_main_text"] = True
        return article
    first, last = region.first, region.last if region.how == "settings" else _signed(lines, region.last)
    if region.how != "settings":
        first = _past_headline(lines, first, last)
    opening = next((i for i in range(max(0, first - HEAD_WINDOW), first) if part_marker(lines[i])), first)
    first = opening  # a compilation's first part marker (第一篇：…) opens the text: the split step reads it
    done: set[int] = set()  # lines recorded already
    pick = choose_title(lines[max(0, first - HEAD_WINDOW) : first], lines, first)
    title_at = max(0, first - HEAD_WINDOW) + pick.index if pick else -1
    if pick:
        article.record("content", "title", lines[title_at].strip(), f"{pick.text} ({pick.reason})", numbers[title_at])
        article.meta["_title"] = pick.text
        for i in pick.lines:
            if i != pick.index:  # the other lines of a headline broken over lines
                at = max(0, first - HEAD_WINDOW) + i
                article.record("content", "title-line", lines[at].strip(), "", numbers[at])
                done.add(at)
        while region.how != "settings" and first < last and is_title_like(lines[first]) and fold(pick.text) in fold(lines[first]):
            article.record("content", "repeated-title", lines[first].strip(), "", numbers[first])  # a caption that repeats it
            done.add(first)
            first = next((i for i in range(first + 1, last + 1) if lines[i].strip()), last)
    keep = article.meta.get("_keep", frozenset())
    keep_lines: list[str] = []
    keep_numbers: list[int] = []
    for i, (line, number) in enumerate(zip(lines, numbers, strict=True)):
        text = line.strip()
        if not text:
            if first <= i <= last:
                keep_lines.append(line)
                keep_numbers.append(number)
            continue
        if first <= i <= last or text in keep:
            keep_lines.append(line)
            keep_numbers.append(number)
        elif i == title_at or i in done:
            continue  # recorded above; the split step takes the chosen title
        elif i < first and i > title_at >= 0 and _belongs(text):
            keep_lines.append(line)  # a lead, a salutation, a heading or an adoption note between the headline and the text
            keep_numbers.append(number)
        elif i < first and i > title_at >= 0 and _is_name(text) and "_byline" not in article.meta:
            article.meta["_byline"] = re.sub(r"\s+", "", fold(text))  # a name alone under the title: its author
            article.record("content", "byline", text, "", number)
        elif i < first:
            article.record("content", _kind(line, "head-meta" if i > title_at >= 0 else "header"), text, "", number)
        else:
            article.record("content", _kind(line, "end-marker" if is_end_marker(text) else "footer"), text, "", number)
    if region.how == "settings":
        article.record("content", "marked", lines[first].strip()[:40], lines[last].strip()[:40], numbers[first])
    return article.with_lines(keep_lines, keep_numbers)
