"""What a page needs to read well, applied by the MkDocs hooks (build_tools/mkdocs_hooks.py) to every page.

- join_cjk_lines: a line break inside a paragraph between two Chinese characters is dropped (browsers show
  it as a space: 工会工作 文章); breaks next to Latin text, and everything inside <pre>, are kept.
- wide_quotes: the curly quotes next to Chinese text drawn full-width (Noto Sans CJK and most system CJK
  fonts draw “ ” ‘ ’ as narrow Latin quotes: 要“四抓”：) in a <w-q> element that wenku.css sets to the font's
  full-width forms ("fwid"); quotes between Latin text stay as they are.
- outline: an article's headings as a folded list ("本文目录") for narrow screens, where Material shows a
  page's table of contents only in the navigation drawer, and articles are not in the navigation.
- fix_page: the page's language as zh-Hans (Material writes "zh") and the skip link ("跳转至") aimed at the
  start of the content instead of the first heading, past the information block.
"""

from __future__ import annotations

import html
import re
from typing import Any

# Han, CJK punctuation and full-width forms: where a line break is not a word space.
_CJK = r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’…—]"
_BREAK = re.compile(rf"(?<={_CJK})[ \t]*\n[ \t]*(?={_CJK})")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S | re.I)
CONTENT_ID = "wk-content"  # the skip link's target: the article element
_SKIP = re.compile(r'<div data-md-component="skip">.*?</div>', re.S)
_ARTICLE = '<article class="md-content__inner md-typeset">'
_LANG = re.compile(r'<html lang="zh"')
OUTLINE_MIN = 2  # headings an article needs to get an outline
_HAN = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_QUOTE = re.compile(rf"(?<={_HAN})[“‘”’]|[“‘”’](?={_HAN})")
_TAG = re.compile(r"(<[^>]*>)")
_RAW = re.compile(r"(<(pre|code|script|style)\b.*?</\2>)", re.S | re.I)


def join_cjk_lines(text: str) -> str:
    """`text` (HTML) with every line break between two CJK characters removed, outside <pre> blocks."""
    parts = _PRE.split(text)
    return "".join(p if i % 2 else _BREAK.sub("", p) for i, p in enumerate(parts))


def wide_quotes(text: str) -> str:
    """`text` (HTML) with each curly quote that touches a Chinese character wrapped in <w-q>, outside tags and code."""
    out = []
    for i, chunk in enumerate(_RAW.split(text)):
        if i % 3 == 1:
            out.append(chunk)
        elif i % 3 == 0:
            out += [part if j % 2 else _QUOTE.sub(lambda m: f"<w-q>{m[0]}</w-q>", part) for j, part in enumerate(_TAG.split(chunk))]
    return "".join(out)


def _entries(toc: Any) -> list[Any]:
    """The headings to list: under a single top-level heading (the page's title), its sections."""
    items = list(toc or [])
    if len(items) == 1 and getattr(items[0], "level", 1) == 1:
        items = list(items[0].children or [])
    return items


def _items(entries: list[Any]) -> str:
    out = []
    for e in entries:
        title = html.escape(html.unescape(str(e.title)), quote=False)
        sub = _items(list(e.children or []))
        out.append(f'<li><a href="{html.escape(str(e.url), quote=True)}">{title}</a>{sub}</li>')
    return f"<ul>{''.join(out)}</ul>" if out else ""


def outline(toc: Any, label: str) -> str:
    """A folded list of the page's headings (`toc`: MkDocs' table of contents), or '' when it has too few."""
    entries = _entries(toc)
    count = sum(1 for _ in _walk(entries))
    if count < OUTLINE_MIN:
        return ""
    label = html.escape(label, quote=True)
    body = f"<details><summary>{label}</summary>{_items(entries)}</details>"
    return f'<nav class="wk-outline" aria-label="{label}" data-pagefind-ignore>{body}</nav>\n'


def _walk(entries: list[Any]):
    for e in entries:
        yield e
        yield from _walk(list(e.children or []))


def fix_page(output: str, lang: str, skip_label: str) -> str:
    """The built page with its language (`lang`, e.g. zh-Hans) and a skip link (`skip_label`) to the content's start."""
    output = _LANG.sub(f'<html lang="{lang}"', output, count=1)
    if _ARTICLE in output and _SKIP.search(output):
        link = f'<div data-md-component="skip"><a href="#{CONTENT_ID}" class="md-skip">{html.escape(skip_label)}</a></div>'
        output = _SKIP.sub(lambda _: link, output, count=1)
        output = output.replace(_ARTICLE, f'<article class="md-content__inner md-typeset" id="{CONTENT_ID}" tabindex="-1">', 1)
    return output
