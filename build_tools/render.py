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

_DUMP_OPTIONS = {"allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 10**6}
# libyaml's emitter (PyYAML's C extension, many times faster) writes what the pure-Python one writes, except
# that it escapes characters outside the Basic Multilingual Plane (\U0001F600) and the line separators NEL,
# LS and PS (\N, \L, \P) where the Python emitter keeps them as they are. Its output holding any of these
# escapes is dumped again in Python, so pages are the same bytes whichever emitter is installed.
_C_DUMPER = getattr(yaml, "CSafeDumper", None)
_C_ONLY_ESCAPES = re.compile(r"\\[ULNP]")


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
    return f"---\n{dump_yaml(ordered)}---\n"


def dump_yaml(data: dict[str, Any]) -> str:
    """`yaml.safe_dump` of front matter with the options above, by libyaml when it gives the same text."""
    if _C_DUMPER is not None:
        try:
            dumped = yaml.dump(data, Dumper=_C_DUMPER, **_DUMP_OPTIONS)
        except (yaml.YAMLError, UnicodeError):
            dumped = None
        if dumped is not None and not _C_ONLY_ESCAPES.search(dumped):
            return dumped
    return yaml.safe_dump(data, **_DUMP_OPTIONS)


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
