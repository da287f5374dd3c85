"""Render an article as Markdown with YAML front matter. Web text is escaped: it can never become
HTML, script, a link, front matter, a heading or any other Markdown construct."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from .article import Article, Block
from .invisible import strip_format

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
# What opens a block at the start of a line, beyond the characters escaped anywhere above (* _ [ { ` | < > &):
# core Markdown: heading #, list - + and 1. 1), rule and setext underline - =; the extensions of mkdocs.yml:
# admonition !!!, pymdownx.details ??? / ???+, def_list ": ", pymdownx.superfences ~~~. Its first character is
# written as a backslash escape where Python-Markdown has one (# + - ! . ), as a character reference otherwise
# (a backslash before = ? : ~ would be shown). tests/test_line_starts.py renders every line start of every
# extension mkdocs.yml enables through the whole pipeline.
_LINE_START = re.compile(r"^(\s*)([#+=!?:~-]|\d+(?=[.)]))")
_START_ESCAPE = {"#": "\\#", "+": "\\+", "-": "\\-", "!": "\\!", "=": "&#61;", "?": "&#63;", ":": "&#58;", "~": "&#126;"}
_NEWLINES = re.compile("\r\n?|\n")  # where Python-Markdown starts a new line

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

_DUMP_OPTIONS = {"allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 10**6}
# libyaml's emitter (PyYAML's C extension, many times faster) writes what the pure-Python one writes, except
# that it escapes characters outside the Basic Multilingual Plane (\U0001F600) and the line separators NEL,
# LS and PS (\N, \L, \P) where the Python emitter keeps them as they are. Its output holding any of these
# escapes is dumped again in Python, so pages are the same bytes whichever emitter is installed.
_C_DUMPER = getattr(yaml, "CSafeDumper", None)
_C_ONLY_ESCAPES = re.compile(r"\\[ULNP]")


def escape(text: str) -> str:
    """Escape web text so Markdown renders it literally (each of its lines, should it have several)."""
    if "\n" in text or "\r" in text:  # a blank line would end the paragraph: one line each, none empty
        return "\n".join(escape(line) for line in _NEWLINES.split(text) if line.strip(" \t"))
    if text[:1] in (" ", "\t"):  # four spaces or a tab would make a code block; the page would not show them
        text = text.lstrip(" \t")
    text = _INLINE_RE.sub(lambda m: _INLINE[m.group(0)], text)
    match = _LINE_START.match(text)
    if match:
        if match.group(2).isdigit():  # "1." would start an ordered list
            end = match.end()
            return text[:end] + "\\" + text[end:]
        start = match.start(2)
        return text[:start] + _START_ESCAPE[text[start]] + text[start + 1 :]
    return text


def escape_heading(text: str) -> str:
    """`escape` for the text of an ATX heading, whose closing #s Markdown would drop (C# -> C)."""
    text = escape(text)
    if text.endswith("#"):
        before = text[:-1]
        if (len(before) - len(before.rstrip("\\"))) % 2 == 0:  # not already escaped (an escaped backslash is "\\\\")
            return before + "\\#"
    return text


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter: known keys in schema order, empty values left out, safe_dump quoting, no format
    characters (build_tools/invisible.py) in any text: a settings file's title has not been decoded."""
    meta = {k: _visible(v) for k, v in meta.items()}
    ordered = {k: meta[k] for k in KEY_ORDER if meta.get(k) not in (None, "", [], {})}
    ordered |= {k: v for k, v in meta.items() if k not in ordered and v not in (None, "", [], {})}
    return f"---\n{dump_yaml(ordered)}---\n"


def _visible(value: Any) -> Any:
    """`value` with the format characters taken out of every string in it."""
    kind = type(value)
    if kind is str:
        return strip_format(value)
    if kind is list:
        return [_visible(v) for v in value]
    if kind is dict:
        return {k: _visible(v) for k, v in value.items()}
    return value


def dump_yaml(data: dict[str, Any]) -> str:
    """`yaml.safe_dump` of front matter with the options above: the same text, written faster.

    PyYAML builds a node per value and resolves each scalar (most of a page's time). Here the layout of
    block mappings and sequences is written directly and each distinct scalar (or key) is dumped by
    PyYAML once, alone, and its text reused: a one-line scalar is written the same wherever it stands
    in block context. Anything else (a multi-line scalar, an empty or nested list, another type) makes
    the whole document go through PyYAML.
    """
    if not data:
        return _dump(data)
    out: list[str] = []
    try:
        _mapping(data, 0, "", out)
    except _Unusual:
        return _dump(data)
    return "".join(out)


class _Unusual(Exception):
    """A value the direct writer leaves to PyYAML."""


_SCALARS = (str, int, float, bool, type(None))
_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")  # what PyYAML writes as a line break (then indents)


def _mapping(data: dict[str, Any], indent: int, lead: str, out: list[str]) -> None:
    """A block mapping at `indent`; its first key comes after `lead` (e.g. the "- " of a sequence item)."""
    pad = " " * indent
    for key, value in data.items():
        head = f"{lead}{_key_text(key) if type(key) is str else _unusual()}"
        lead = pad
        kind = type(value)
        if kind in _SCALARS:
            out.append(f"{head}: {_scalar_text(kind, value)}\n")
        elif kind is dict and value:
            out.append(f"{head}:\n")
            _mapping(value, indent + 2, " " * (indent + 2), out)
        elif kind is list and value:
            out.append(f"{head}:\n")
            _sequence(value, indent, out)
        else:
            _unusual()


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    """A block sequence under a mapping key at `indent` (its dashes at the key's indent, as PyYAML writes it)."""
    dash = " " * indent + "- "
    for item in items:
        kind = type(item)
        if kind in _SCALARS:
            out.append(f"{dash}{_scalar_text(kind, item)}\n")
        elif kind is dict and item:
            _mapping(item, indent + 2, dash, out)
        else:
            _unusual()


def _unusual() -> str:
    raise _Unusual


# A string PyYAML certainly writes plain, as it is: Han characters, Chinese punctuation, ASCII letters, digits
# and _ / . - only (no space, no YAML indicator), not starting like a number, a boolean, null or a date would
# (no digit, sign or dot, none of yYnNtTfFoO) so that no implicit type can claim it.
_PLAIN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fffA-MP-SU-XZa-mp-su-xz_/]"
    "[\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e\u3001\u3002\u300a-\u300f\u2018-\u201d\u2026\u00b7A-Za-z0-9_/.-]*"
)


def _scalar_text(kind: type, value: Any) -> str:
    """How PyYAML writes this scalar as a block sequence item or mapping value (one line), or _Unusual."""
    if kind is str and _PLAIN.fullmatch(value):
        return value
    return _dumped_scalar(kind, value)


@lru_cache(maxsize=1 << 16)
def _dumped_scalar(kind: type, value: Any) -> str:
    """`_scalar_text` by PyYAML (once per distinct value: `kind` keeps True apart from 1)."""
    dumped = _dump([value])
    if not (dumped.startswith("- ") and dumped.endswith("\n")) or _BREAKS.search(dumped, 0, len(dumped) - 1):
        raise _Unusual
    return dumped[2:-1]


@lru_cache(maxsize=1024)
def _key_text(key: str) -> str:
    """How PyYAML writes this mapping key (a simple key on one line), or _Unusual."""
    dumped = _dump({key: 0})
    if not dumped.endswith(": 0\n") or _BREAKS.search(dumped, 0, len(dumped) - 1) or dumped.startswith("? "):
        raise _Unusual
    return dumped[: -len(": 0\n")]


def _dump(data: Any) -> str:
    """`yaml.safe_dump(data)` with the options above, by libyaml when it gives the same text."""
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
        text = block.original if original and block.original else block.text
        out.append(f"{'#' * block.level} {escape_heading(text)}" if block.kind == "heading" else escape(text))
    return "\n\n".join(out) + "\n"


def render(article: Article, meta: dict[str, Any]) -> str:
    """The whole page: front matter from `meta`, then the body."""
    return front_matter(meta) + "\n" + render_blocks(article.blocks)
