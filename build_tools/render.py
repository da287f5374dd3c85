"""Render an article as Markdown with YAML front matter. Web text is escaped: it can never become
HTML, script, a link, front matter, a heading or any other Markdown construct."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .article import Article, Block

# Characters that Markdown (Python-Markdown with the extensions in mkdocs.yml) gives a meaning to
# anywhere in a line; each is written as a backslash escape or an entity.
_INLINE = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "{": "\\{",
    "}": "\\}",
    "|": "&#124;",
}
_INLINE_RE = re.compile("[" + re.escape("".join(_INLINE)) + "]")
# At the start of a line these open a heading, list, rule, quote, table or setext underline.
_LINE_START = re.compile(r"^(\s*)([#+=!-]|\d+(?=[.)]))")

# Order of the front-matter keys (the schema is in CONTRIBUTING.md); others follow in the order set.
KEY_ORDER = (
    "title",
    "date",
    "author",
    "source",
    "publisher",
    "category",
    "tags",
    "views",
    "truncated",
    "script",
    "original_title",
    "description",
    "compilation",
    "source_file",
    "source_part",
    "source_parts",
    "source_sha256",
    "quality",
)
SUMMARY_CHARS = 120


def escape(text: str) -> str:
    """Escape web text so Markdown renders it literally."""
    text = _INLINE_RE.sub(lambda m: _INLINE[m.group(0)], text)
    match = _LINE_START.match(text)
    if match:
        if match.group(2).isdigit():  # "1." would start an ordered list
            end = match.end()
            return text[:end] + "\\" + text[end:]
        return text[: match.start(2)] + "\\" + text[match.start(2) :]
    return text


def summary(article: Article) -> str:
    """The first paragraph, cut at a sentence end near SUMMARY_CHARS: the page description."""
    text = next((b.text for b in article.blocks if b.kind == "paragraph" and len(b.text) > 20), "")
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = max(text.rfind(p, 0, SUMMARY_CHARS) for p in "。；！？")
    return text[: cut + 1] if cut > 40 else text[:SUMMARY_CHARS] + "…"


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter: known keys in schema order, empty values left out, safe_dump quoting."""
    ordered = {k: meta[k] for k in KEY_ORDER if meta.get(k) not in (None, "", [], {})}
    ordered |= {k: v for k, v in meta.items() if k not in ordered and v not in (None, "", [], {})}
    dumped = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6)
    return f"---\n{dumped}---\n"


def render_blocks(blocks: list[Block], original: bool = False) -> str:
    """The Markdown body for `blocks` (the source's own script when `original`)."""
    out = []
    for block in blocks:
        text = escape(block.original if original and block.original else block.text)
        out.append(f"{'#' * block.level} {text}" if block.kind == "heading" else text)
    return "\n\n".join(out) + "\n"


def render(article: Article, meta: dict[str, Any]) -> str:
    """The whole page: front matter from `meta`, then the body."""
    return front_matter(meta) + "\n" + render_blocks(article.blocks)
