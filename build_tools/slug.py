"""Readable, deterministic page addresses from titles: 基层工会工作专题报告 -> jiceng-gonghui-gongzuo-zhuanti-baogao."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from .terms import plain_tokenizer

MAX_WORDS = 8
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """Pinyin of the title's first words, one word per hyphen-separated part; ASCII letters and digits only."""
    parts = []
    for word in plain_tokenizer().lcut(title, HMM=False):
        syllables = "".join(lazy_pinyin(word, style=Style.NORMAL, errors=lambda s: s))
        part = _NOT_SLUG.sub("-", syllables.lower()).strip("-")
        if part:
            parts.append(part)
        if len(parts) >= MAX_WORDS:
            break
    return "-".join(parts)[:80].strip("-") or "article"


def unique(slug: str, taken: set[str]) -> str:
    """`slug`, or slug-2, slug-3… when it is taken; adds the result to `taken`."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate
