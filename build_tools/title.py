"""Choose a page's title among the lines above its main text (content.py calls it).

A candidate is a line that could be a headline (`candidate_text`: not a navigation label, a date, a URL, a
byline or a meta line; prefixes such as 原标题： and site names such as _新浪网 or ` - 网易` cut). Each is scored
(`SCORES`): a date line right under it, the same headline repeated elsewhere on the page (the <title>-like
line and the headline), its closeness to the main text, its length. The best wins; the report says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .boilerplate import classify, fold
from .split import SITE_NAME

# What a title is cut of before it is compared or kept.
PREFIXES = re.compile(r"^\s*[(（]?\s*(本文)?(原标题|原题|正在阅读|标题)\s*[:：]\s*|^原创(?=\S)|^原创\s+")
SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s|——)\s*[^_|｜]{1,20}$")
# Lines that are never a title.
DATE_LINE = re.compile(
    r"(19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[-/月]\s*\d{1,2}\s*日?\s+\d{1,2}:\d{2}|^\d{1,2}:\d{2}|[一二][〇零○]\S{2}年"
)
URL = re.compile(r"https?://|www\.|\.(com|cn|net|org|html?)\b|/col/|\.aspx?|index\.")
BYLINE = re.compile(
    r"^(作者|记者|编辑|责任编辑|责编|来源|文|图|摄影|通讯员|撰文|撰稿|执笔|本报|发布|发表|分享|微信号|功能介绍)\s*[:：/|丨]?"
)
NAV_WORDS = re.compile(
    r"登录|注册|首页|导航|扫码|二维码|下载|客户端|APP|浏览器|无障碍|English|繁体|简体|帐号|账号|收藏|订阅|关注我们|设为", re.I
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SEPARATORS = re.compile(r"[|｜»›·•]|\s[>/]\s")  # between menu labels (a breadcrumb's > is a rule of boilerplate.py)
TODAY = re.compile(r"今天|今日|星期|周[一二三四五六日天]$|天气")
FIELDS = re.compile(r"\S\s{3,}\S|[\[【]\s*(检索|搜索|提交|确定)\s*[\]】]")  # fields laid out with wide spaces, a form
# A headline broken over lines (an official document's: 发文机关 / 关于……及 / ……的决议): a line ending like this goes
# on on the next one, a line beginning like this goes on from the one above, a 关于 line from its issuer above.
GOES_ON = re.compile(r"(及|和|与|暨|的|之|对|在|为|关于|、)$")
GOES_ON_FROM = re.compile(r"^(及|和|与|暨)")
ORGANISATION = r"(工会|委员会|委|局|厅|部|办公室|办|院|所|中心|协会|学会|公司|集团|政府|党委|支部|小组|社|站)"
ISSUER = re.compile(rf"^\S{{2,30}}{ORGANISATION}$")
MIN_CHARS, MAX_CHARS = 2, 80
PREFIX_MAX_CHARS = 8  # a label before a repeated headline: 原标题：, 正在阅读：
SHORT_CHARS = 5  # a shorter candidate may be a label: it wins only when no longer line is a candidate


@dataclass(frozen=True)
class Scores:
    """What a candidate gains or loses."""

    date_below: float = 8.0  # a date line right under it: the headline and its meta line ...
    date_step: float = 1.0  # ... less this much for each line between them, up to `date_gap` lines
    date_gap: int = 6
    date_line_max_chars: int = 40  # a date line is short (a paragraph that names a date is not one)
    first_line: float = 4.0  # the page's first line, repeated further down: the <title> the dump kept
    repeated: float = 4.0  # the same text elsewhere on the page (the <title> line and the headline)
    nearest: float = 4.0  # closeness to the main text: this much for the line right above it, less further up
    per_line_away: float = 0.25
    length: float = 5.0  # up to this much for a long line (full at `full_length` characters)
    full_length: int = 30
    original_title: float = -3.0  # a 原标题：… line: the headline the page shows wins over it
    site_name: float = -4.0  # ends like a site's name: 数字报, 网, 论坛, 频道
    sentence: float = -6.0  # a full stop: a paragraph, not a headline
    under_headline: float = -3.0  # right under another headline-like line: a sub-title or an author's box ...
    headline_min_chars: int = 10  # ... of this length at least (a shorter line may be a list's label), and not
    # the page's first line (a site's header, a document's series label: 会议材料之一)


SCORES = Scores()


@dataclass(frozen=True)
class Pick:
    """The chosen title: its index among the lines given, its text, and why it won."""

    index: int
    text: str
    reason: str
    lines: tuple[int, ...] = ()  # every line of a headline broken over lines (indexes among the lines given)


@lru_cache(maxsize=1 << 16)
def candidate_text(line: str) -> str:
    """The line as a title (prefixes and site names cut), or "" when it cannot be one."""
    text = line.strip()
    bracketed = text[:1] in "（(" and text[-1:] in "）)"
    text = PREFIXES.sub("", text).strip()
    if bracketed and text[-1:] in "）)" and text[:1] not in "（(":
        text = text[:-1].strip()  # （原标题：…）
    elif bracketed:
        text = text[1:-1].strip()
    if text[:1] == "《" and text[-1:] == "》" and "《" not in text[1:]:
        text = text[1:-1].strip()
    cut = SITE_SUFFIX.search(text)
    if cut and cut.start() >= 10:
        text = text[: cut.start()].strip()
    folded = fold(text)
    han = len(_CJK.findall(folded))
    if not MIN_CHARS <= len(folded) <= MAX_CHARS or han < 2:
        return ""
    if (DATE_LINE.search(folded) and len(folded) < 30) or URL.search(folded) or BYLINE.match(folded):
        return ""
    if NAV_WORDS.search(folded) and len(folded) < 16:
        return ""
    if len(_SEPARATORS.findall(folded)) > max(1, len(folded) // 15) or folded[-1] in ":：,，;；、":
        return ""
    if classify(text, at_edge=True) or FIELDS.search(text):
        return ""
    return text


def has_date(line: str) -> bool:
    """A date line under a headline: a date that is not a header's "today" (2021年03月08日 星期一)."""
    folded = fold(line)
    return len(folded) <= SCORES.date_line_max_chars and bool(DATE_LINE.search(folded)) and not TODAY.search(folded)


def _same_headline(key: str, other: str) -> bool:
    """`other` is the headline `key` again: the same line, with a site's name after it (the <title>: 标题_新浪网)
    or a short label before it (原标题：标题); not a paragraph that begins with the same words."""
    if not other.endswith(key) and not other.startswith(key):
        return False
    if other == key:
        return True
    if other.startswith(key):
        return bool(SITE_SUFFIX.match(other[len(key) :]))
    return len(other) - len(key) <= PREFIX_MAX_CHARS


def choose_title(head: list[str], page: list[str], main_start: int) -> Pick | None:
    """The best title among `head` (the lines right above the main text, which starts at page[main_start])."""
    indexes = [i for i, line in enumerate(head) if line.strip()]
    first_line = next((i for i, line in enumerate(page) if line.strip()), -1)
    offset = main_start - len(head)  # head[i] is page[offset + i]
    stripped = [line.strip() for line in page if line.strip()]  # a page repeats its headline in the same form
    best: tuple[tuple[bool, float], int, str, str] | None = None
    for rank, i in enumerate(reversed(indexes)):
        text = candidate_text(head[i])
        if not text:
            continue
        above = indexes[len(indexes) - rank - 2] if rank + 1 < len(indexes) else -1
        key = fold(text)
        score = SCORES.nearest - SCORES.per_line_away * rank
        reasons = [f"{rank} lines above the text"]
        below = [line for line in page[offset + i + 1 : offset + i + 1 + 3 * SCORES.date_gap] if line.strip()][: SCORES.date_gap]
        dated = next((k for k, line in enumerate(below) if has_date(line)), -1)
        if dated >= 0:
            score += SCORES.date_below - SCORES.date_step * dated
            reasons.append(f"a date line {dated + 1} under it")
        repeated = sum(1 for other in stripped if _same_headline(text, other)) >= 2
        if repeated:
            score += SCORES.repeated
            reasons.append("repeated on the page")
        if offset + i == first_line and repeated:
            score += SCORES.first_line
            reasons.append("the page's first line")
        score += SCORES.length * min(len(key), SCORES.full_length) / SCORES.full_length
        if PREFIXES.match(head[i].strip()):
            score += SCORES.original_title
            reasons.append("an original-title line")
        if SITE_NAME.search(key):
            score += SCORES.site_name
            reasons.append("a site's name")
        if "。" in key:
            score += SCORES.sentence
            reasons.append("holds a full stop")
        if above >= 0 and offset + above != first_line and len(fold(candidate_text(head[above]))) >= SCORES.headline_min_chars:
            score += SCORES.under_headline
            reasons.append("under another headline")
        rival = (len(key) >= SHORT_CHARS, score)  # a short line wins only when no longer one is a candidate
        if best is None or rival > best[0]:
            best = (rival, i, text, ", ".join(reasons))
    if best is None:
        return None
    span = headline_lines(head, indexes, best[1])
    if len(span) == 1:
        return Pick(best[1], best[2], f"score {best[0][1]:.1f}: {best[3]}", span)
    text = "".join(candidate_text(head[i]) for i in span)
    return Pick(best[1], text, f"score {best[0][1]:.1f}: {best[3]}, one headline over {len(span)} lines", span)


def headline_lines(head: list[str], indexes: list[int], index: int) -> tuple[int, ...]:
    """The lines of the headline at head[index]: with the lines around it when it is broken over lines (a line
    that ends in `GOES_ON` and the next one, a line that begins with `GOES_ON_FROM` and the one above, an issuer
    and the 关于 line under it)."""

    def joined(upper: int, lower: int) -> bool:
        a, b = fold(candidate_text(head[upper])), fold(candidate_text(head[lower]))
        return bool(a and b) and bool(GOES_ON.search(a) or GOES_ON_FROM.match(b) or (b.startswith("关于") and ISSUER.match(a)))

    at = indexes.index(index)
    top = bottom = at
    while top > 0 and joined(indexes[top - 1], indexes[top]):
        top -= 1
    while bottom + 1 < len(indexes) and joined(indexes[bottom], indexes[bottom + 1]):
        bottom += 1
    span = tuple(indexes[top : bottom + 1])
    if sum(len(fold(candidate_text(head[i]))) for i in span) > MAX_CHARS:
        return (index,)
    return span
