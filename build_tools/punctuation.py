"""Give Chinese text its own punctuation back: halfwidth , : ; ! ? ( ) beside Han characters become fullwidth.

Many sites run a fullwidth-to-halfwidth normalisation over the whole page (all five seeds
have "," and ":" inside Chinese sentences). Readers expect "，" and "：" there; ASCII
punctuation between Latin letters or digits ("7-9月", "3.5%", "Powered by") is left alone.
"""

from __future__ import annotations

import re

from .article import Article

_HAN = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’□]"
# Marks a sentence, a paragraph or a heading can end with (fullwidth and halfwidth): a line ending
# otherwise may go on in the next line (unwrap) or was cut (metadata's truncation test).
CLOSING = frozenset("。！？；：…”’」』）】》—!?;:.)")
FULLWIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
# A halfwidth mark with a Han character (or Chinese punctuation) on either side.
_MARK = re.compile(rf"(?<={_HAN})\s*([,:;!?])|([,:;!?])(?=\s*{_HAN})")
# Brackets around text that holds a Han character: (一) -> （一）, (精选) -> （精选）.
_PARENS = re.compile(rf"\(([^()]*{_HAN}[^()]*)\)")


def fullwidth(line: str) -> str:
    """Convert halfwidth punctuation in Chinese context to fullwidth; leave other text alone."""
    line = _MARK.sub(lambda m: FULLWIDTH[m.group(1) or m.group(2)], line)
    return _PARENS.sub(r"（\1）", line)


def restore_punctuation(article: Article) -> Article:
    """Apply `fullwidth` to every line; record how many lines changed."""
    if "punctuation" in article.skip:
        return article
    lines = [fullwidth(line) for line in article.lines]
    changed = sum(a != b for a, b in zip(article.lines, lines, strict=True))
    if changed:
        article.record("punctuation", "fullwidth", f"{changed} lines with halfwidth punctuation", "fullwidth")
    for key in ("title", "compilation"):
        if article.meta.get(key):
            article.meta[key] = fullwidth(article.meta[key])
    return article.with_lines(lines)
