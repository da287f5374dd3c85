"""Numbering markers of Chinese documents (一、 (一) 1、 一是 ———), as data."""

from __future__ import annotations

import re

CN = "一二三四五六七八九十百零〇"

# (name, pattern, heading level or 0 for a numbered paragraph). Order matters: first match wins.
MARKERS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("part", re.compile(rf"^第[{CN}\d]+(部分|章|节)\s*"), 2),  # 第一部分 (reports)
    ("cn", re.compile(rf"^[{CN}]+\s*[、.．]\s*"), 2),  # 一、 (seeds 000, 001, 003)
    ("cn-paren", re.compile(rf"^[(（]\s*[{CN}]+\s*[)）]\s*[、.．]?\s*"), 3),  # (一) (seed 003)
    ("num", re.compile(r"^\d{1,2}\s*[、．]\s*|^\d{1,2}\.(?!\d)\s*"), 0),  # 1、 1. (seed 003)
    ("num-paren", re.compile(r"^[(（]\s*\d{1,2}\s*[)）]\s*"), 0),  # (1)
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]\s*"), 0),  # ①
    ("cn-shi", re.compile(rf"^[{CN}]+是\s*[,，:：]?"), 0),  # 一是 二是 (seed 003)
)

# OCR-like slips in a list number: "l、" for "1、" (seed 003), "I." for "1.".
OCR_DIGIT = re.compile(r"^[lI|]\s*(?=[、．.])")


def marker(line: str) -> tuple[str, int] | None:
    """The numbering kind at the start of `line` and its heading level, or None."""
    text = line.strip()
    for name, pattern, level in MARKERS:
        if pattern.match(text):
            return name, level
    return None


def starts_numbered(line: str) -> bool:
    """True when the line opens with a numbering marker (a new heading or item begins here)."""
    return marker(OCR_DIGIT.sub("1", line.strip())) is not None


def fix_ocr_digit(line: str) -> str:
    """l、 -> 1、: a letter standing where the list number 1 belongs."""
    return OCR_DIGIT.sub("1", line.lstrip()) if OCR_DIGIT.match(line.lstrip()) else line
