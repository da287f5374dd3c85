"""What a page says of its article in a line: its title and its description (no YAML, no Markdown here).

The conversion needs the title too (an article is segmented with its title: build_tools/features.py), so
these live apart from render.py: the conversion cache depends on this small module only.
"""

from __future__ import annotations

import re

from .article import Article

SUMMARY_CHARS = 120


def summary(article: Article) -> str:
    """The first paragraph, cut at a sentence end near SUMMARY_CHARS: the page description."""
    text = next((b.text for b in article.blocks if b.kind == "paragraph" and len(b.text) > 20), "")
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = max(text.rfind(p, 0, SUMMARY_CHARS) for p in "。；！？")
    return text[: cut + 1] if cut > 40 else text[:SUMMARY_CHARS] + "…"


def fallback_title(text: str, limit: int = 24) -> str:
    """A title for a page whose source has none: its first clause, or its first words up to `limit`."""
    clause = re.split(r"[，。；：！？,;:!?]", text, maxsplit=1)[0].strip()
    if 4 <= len(clause) <= limit:
        return clause
    return text[:limit].rstrip() + ("…" if len(text) > limit else "")


def title_of(article: Article) -> str:
    """The page's title: the article's own, else its first clause (fallback_title), else its source file."""
    return str(article.meta.get("title") or fallback_title(summary(article)) or article.source.path)
