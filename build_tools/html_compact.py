"""Whitespace compaction of the built HTML pages (mkdocs_hooks.on_post_page).

Material's templates indent every line and leave blank lines between blocks: a third of an article
page's bytes at 10,000 pages × 2 editions. Runs of whitespace that start or end a line become one
newline; a browser renders them exactly as before, because whitespace between tags collapses to one
space anyway and a newline is whitespace. Text inside <pre>, <textarea>, <script> and <style> is
copied as it is.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_LINE_EDGE = re.compile(r"[ \t\r\f\v]*\n\s*")


def compact(page: str) -> str:
    """The page with indentation, trailing spaces and blank lines removed outside preformatted parts."""
    parts = _KEEP.split(page)
    out = []
    # re.split with two groups gives [text, whole, tag-name, text, whole, tag-name, ...]
    for i in range(0, len(parts), 3):
        out.append(_LINE_EDGE.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out).strip() + "\n"
