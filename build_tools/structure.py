"""Turn cleaned lines into blocks: headings by numbering level, paragraphs, numbered items."""

from __future__ import annotations

import re

from .article import Article, Block
from .boilerplate import is_body
from .numbering import fix_ocr_digit, marker

# A sub-heading joined by a long dash: 贯穿一条思想主线———全面贯彻… (seed 004).
DASH_HEADING = re.compile(r"^[^。！？!?]{2,30}(—{2,}|─{2,}|-{3,})[^。！？!?]{2,40}$")
HEADING_MAX_CHARS = 50
_SENTENCE_END = re.compile(r"[。！？!?；;]")


def _heading_level(text: str, has_cn_headings: bool) -> int:
    """Heading level of a line (2 for 一、, 3 for (一), …) or 0 when it is not a heading."""
    if len(text) > HEADING_MAX_CHARS or _SENTENCE_END.search(text[:-1]) or text[-1] in "。；;":
        return 0
    found = marker(text)
    if found:
        return found[1]
    if DASH_HEADING.match(text):
        return 3 if has_cn_headings else 2
    return 0


def build_blocks(article: Article) -> Article:
    """Fill `article.blocks` from its lines; the lines stay as they are."""
    lines = [fix_ocr_digit(line).strip() for line in article.lines]
    for before, after, number in zip(article.lines, lines, article.line_numbers, strict=True):
        if before.strip() != after:
            article.record("structure", "ocr-digit", before.strip()[:12], after[:12], number)
    originals = article.meta.pop("original_lines", None) or [""] * len(lines)
    pairs = [(line, fix_ocr_digit(o).strip()) for line, o in zip(lines, originals, strict=True) if line]
    lines = [line for line, _ in pairs]
    has_cn = any((marker(line) or ("", 0))[1] == 2 for line in lines)
    has_paren = any((marker(line) or ("", 0))[1] == 3 for line in lines)
    blocks: list[Block] = []
    for i, text in enumerate(lines):
        level = _heading_level(text, has_cn)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not level and _numbered_label(text, following):
            level = 4 if has_paren else 3 if has_cn else 2
        if not level and _unnumbered_heading(text, following):
            level = 3 if has_cn else 2
        kind = "heading" if level else "item" if marker(text) else "paragraph"
        blocks.append(Block(kind, text, level, pairs[i][1]))
    article.blocks = blocks
    return article


NUMBERED_LABEL_MAX = 20
_ANY_PUNCT = re.compile(r"[，。；：、！？,;:!?]")


def _numbered_label(text: str, following: str) -> bool:
    """A short numbered line with no punctuation at all (1.坚持党建带工建) over running text: a heading."""
    return (
        bool(marker(text))
        and len(text) <= NUMBERED_LABEL_MAX
        and not _ANY_PUNCT.search(text)
        and bool(following)
        and not _numbered_label(following, "x")
    )


def _unnumbered_heading(text: str, following: str) -> bool:
    """A short line without sentence punctuation, followed by running text (seed 003 part 5)."""
    return (
        bool(following)
        and len(text) <= 30
        and not _SENTENCE_END.search(text)
        and text[-1] not in "：:，,、"
        and is_body(following)
        and not marker(text)
    )
