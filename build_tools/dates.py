"""Calendar dates: the one test of "is this a date" for the text (metadata.py), settings files (settings.py)
and the front matter `check` reads (check.py). A date is YYYY-MM-DD, YYYY-MM or YYYY, and a day that exists:
2023-02-30, 2021-13-01 and 2100-02-29 are not dates; 2024-02-29 is."""

from __future__ import annotations

import calendar
import re

# The written form (months 01-12, days 01-31); is_date and not_in_calendar also ask the calendar.
DATE_FORM = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")

# Chinese numerals of a written-out date (二〇二一年二月三十日, 二零二一年十二月): digits, and ten for months and days.
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "两": 2}


def real_day(year: int, month: int, day: int | None = None) -> bool:
    """The calendar has this month (1-12) of `year`, and this day of it when a day is given."""
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def is_date(text: str) -> bool:
    """`text` is YYYY, YYYY-MM or YYYY-MM-DD naming a month or a day that exists (leap years included)."""
    return DATE_FORM.match(text) is not None and not_in_calendar(text) == ""


def not_in_calendar(text: str) -> str:
    """Why a date of the right form names no month or day ("2023 has no day 2023-02-30: February has 28 days"), or ""."""
    match = DATE_FORM.match(text)
    if not match or match.group(2) is None:
        return ""
    year, month = int(match.group(1)), int(match.group(2))
    if match.group(3) is None or real_day(year, month, int(match.group(3))):
        return ""
    days = calendar.monthrange(year, month)[1]
    return f"{text} names no day: {calendar.month_name[month]} {year} has {days} days"


def chinese_number(text: str) -> int | None:
    """A year written digit by digit (二〇二一) or a month or day up to 31 (十二, 三十, 二十一); None otherwise."""
    if not text or any(c not in _DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        value = 0
        for c in text:
            value = value * 10 + _DIGITS[c]
        return value
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
