"""The article's own date among all the dates of the chrome around it (metadata.py calls `choose_date`).

Every date of every line the chrome steps took out is a candidate, in every form people write (`DATE_FORMS`:
2019-06-12 08:30, 2016/09/03, 18-03-08, 2020年3月5日10:12, 二〇二〇年三月五日, 2001年4月号, Dec 28 Sat 2013); a
year, a month and a day split over lines (2019 / 09/07 / 19:02) are read as one. Each candidate is scored
(`DATE_SCORES`): close under the title, label words on its line (发布, 发表于, 时间, 日期, 更新, 来源), a time of day;
a header's "today" (今天是, 星期), a line of a list (a headline with its date), a line under the end of the
article (related lists, comments) count against. `date` keeps the precision the text gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .article import Article
from .boilerplate import fold
from .dates import chinese_number, real_day

_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
# Each form: a pattern with named groups y (or yy: two digits, or cy: written out), m (or mon, cm), d (or cd).
DATE_FORMS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)"),  # 2019-06-12, 2020年3月5日
    re.compile(r"民国\s*(?P<roc>\d{2,3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})"),  # 民國110年5月3日
    re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})"),  # day first: 28/04/2023
    re.compile(r"(?<![\d\-/.])(?P<yy>\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?=\d{1,2}:\d{2}|[^\d\-]|$)"),  # 18-03-08
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)"),  # 2021年3月, 2001年4月号
    re.compile(
        r"(?P<cy>[一二][〇零○一二三四五六七八九]{3})\s*年\s*(?P<cm>[一二三四五六七八九十]{1,2})\s*月"
        r"(?:\s*(?P<cd>[一二三四五六七八九十]{1,3})\s*[日号])?"
    ),  # 二〇二〇年三月五日
    re.compile(
        r"\b(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<d>\d{1,2})\b\D{0,12}?(?P<y>(?:19|20)\d{2})", re.I
    ),  # Dec 28 Sat 2013
)
TIME_OF_DAY = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
LABELS = re.compile(r"发布|发表|时间|日期|更新|来源|稿源|出处|编辑|作者|记者|posted", re.I)
TODAY = re.compile(r"今天|今日|星期|周[一二三四五六日天]|天气")
# A headline of a list with its date glued after it: 华为发布业界首款5G SoC芯片：麒麟990 5G2019-09-06
LISTED = re.compile(r"[\u4e00-\u9fff]{6}")
# A law's or a resolution's adoption note, kept as text under its title: its date is the article's.
ADOPTION = re.compile(r"^[(（]\s*((19|20)\d{2}|[一二][〇零○一二三四五六七八九]{3})\s*年.{2,80}(通过|批准|公布|修订|修正|印发)\s*[)）]$")
_SPLIT_YEAR = re.compile(r"^(19|20)\d{2}$")
_SPLIT_DAY = re.compile(r"^\d{1,2}[/-]\d{1,2}$")


@dataclass(frozen=True)
class DateScores:
    """What a date candidate gains or loses."""

    near_title: float = 6.0  # on the lines right under the title (less for each line further down)
    per_line: float = 0.5
    above_title: float = -2.0
    label: float = 3.0
    time_of_day: float = 2.0
    today: float = -6.0
    listed: float = -4.0
    after_text: float = -3.0  # under the end of the article: related lists, comments, footers
    day: float = 1.0  # a full date over a month alone


DATE_SCORES = DateScores()


def dates_in(line: str) -> list[tuple[str, int]]:
    """The dates written in one (folded) line: (YYYY-MM-DD or YYYY-MM, position), each span read once."""
    found: list[tuple[str, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_FORMS:
        for match in pattern.finditer(line):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            value = _value(match.groupdict())
            if value:
                found.append((value, match.start()))
                taken.append(match.span())
    return sorted(found, key=lambda f: f[1])


def _value(parts: dict[str, str | None]) -> str:
    if parts.get("cy"):
        year, month = chinese_number(parts["cy"] or ""), chinese_number(parts["cm"] or "")
        day = chinese_number(parts["cd"]) if parts.get("cd") else None
        if year is None or month is None or (parts.get("cd") and day is None):
            return ""
    else:
        if parts.get("yy"):
            year = 2000 + int(parts["yy"] or 0)
        elif parts.get("roc"):
            year = 1911 + int(parts["roc"] or 0)
        else:
            year = int(parts["y"] or 0)
        month = _MONTHS[parts["mon"].lower()[:3]] if parts.get("mon") else int(parts["m"] or 0)
        day = int(parts["d"]) if parts.get("d") else None
    if not (1900 <= year <= 2099 and real_day(year, month, day)):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}" if day is not None else f"{year:04d}-{month:02d}"


def _joined(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines with a date split over them (2019 / 09/07) joined into one."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        number, text = lines[i]
        if _SPLIT_YEAR.match(text) and i + 1 < len(lines) and _SPLIT_DAY.match(lines[i + 1][1]):
            extra = lines[i + 2][1] if i + 2 < len(lines) and TIME_OF_DAY.fullmatch(lines[i + 2][1]) else ""
            out.append((number, f"{text}/{lines[i + 1][1]} {extra}".strip()))
            i += 3 if extra else 2
            continue
        out.append((number, text))
        i += 1
    return out


def is_adoption(line: str) -> bool:
    """An adoption note: （2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）."""
    text = line.strip()
    return text[:1] in "(（" and len(text) < 200 and bool(ADOPTION.match(fold(text)))  # most lines: no fold


def choose_date(article: Article) -> tuple[str, str]:
    """(date, why) of the best date among the removed chrome lines, ("", "") when they give none."""
    removed = [(c.line, fold(c.before)) for c in article.changes if not c.after and c.step in ("boilerplate", "content")]
    removed += [(n, fold(line)) for n, line in zip(article.line_numbers, article.lines, strict=True) if is_adoption(line)]
    title_line = next((c.line for c in article.changes if c.step == "content" and c.kind == "title"), 0)
    text_lines = [n for n in article.line_numbers if n]
    start = title_line or (text_lines[0] if text_lines else 0)
    end = text_lines[-1] if text_lines else 0
    best: tuple[float, int, str, str] | None = None
    for number, line in _joined(sorted(removed)):
        for value, position in dates_in(line):
            score, why = _score(line, position, value, number, start, end)
            if best is None or score > best[0]:
                best = (score, -number, value, why)
    return (best[2], best[3]) if best else ("", "")


def _score(line: str, position: int, value: str, number: int, start: int, end: int) -> tuple[float, str]:
    s = DATE_SCORES
    score, why = 0.0, []
    if number and start and number >= start and (not end or number <= end):
        score += max(0.0, s.near_title - s.per_line * (number - start))
        why.append(f"{number - start} lines under the title")
    elif number and start and number < start:
        score += s.above_title
        why.append("above the title")
    if number and end and number > end:
        score += s.after_text
        why.append("under the text")
    if LABELS.search(line):
        score += s.label
        why.append("a label word")
    if TIME_OF_DAY.search(line):
        score += s.time_of_day
        why.append("a time of day")
    if TODAY.search(line):
        score += s.today
        why.append("a header's today")
    if LISTED.search(line[:position]) and not LABELS.search(line[:position]):
        score += s.listed
        why.append("a headline before it")
    if len(value) == 10:
        score += s.day
    return score, f"score {score:.1f}: " + ", ".join(why or ["no sign"])
