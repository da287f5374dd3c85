"""Join lines that were hard-wrapped in the middle of a sentence, a word or a heading."""

from __future__ import annotations

import re

from .article import Article
from .boilerplate import is_body
from .numbering import starts_numbered
from .script import to_simplified
from .terms import crosses_word

# Characters a paragraph or heading can end with; a line ending otherwise may continue.
TERMINAL = set("。!?;:…”’」』)】》!?;:.")
# Characters that never begin a line of Chinese text: the line before was cut.
NEVER_START = set(",，、。;；:：!！?？)）”’」』】》")
# A following line this short, with no punctuation, is the tail of the line before (seed 003 "局面").
FRAGMENT_MAX = 6
# A line of running text at least this long that ends on a character is cut, not finished.
LONG_LINE = 40
INDENT = re.compile(r"^(\s{2,}|\t)")
_PUNCT = re.compile(r"[,，。;；:：!！?？、]")


def should_join(line: str, following: str) -> bool:
    """Whether `following` continues `line` (the break between them is a hard wrap)."""
    left, right = line.rstrip(), following.strip()
    if not left or not right or left[-1] in TERMINAL or starts_numbered(right):
        return False
    if right[0] in NEVER_START:
        return True
    if INDENT.match(following) and not INDENT.match(line):
        return False  # an indented line opens a paragraph (PDF copies mark paragraphs only so)
    if len(right) <= FRAGMENT_MAX and not _PUNCT.search(right) and len(left) > 2 * FRAGMENT_MAX:
        return True
    if is_body(left) and left[-1].isalpha() and len(left.strip()) >= LONG_LINE and not starts_numbered(left):
        return True  # running text never ends a paragraph on a bare character (seed 003 part 5)
    return crosses_word(to_simplified(left[-4:]), to_simplified(right[:4]))


def join_wrapped(article: Article) -> Article:
    """Join hard-wrapped lines (blank lines always separate paragraphs); record each join."""
    if "unwrap" in article.skip:
        return article
    lines: list[str] = []
    numbers: list[int] = []
    for line, number in zip(article.lines, article.line_numbers, strict=True):
        if lines and lines[-1].strip() and line.strip() and should_join(lines[-1], line):
            article.record("unwrap", "joined", f"{lines[-1].strip()[-8:]}⏎{line.strip()[:8]}", "joined", number)
            lines[-1] = lines[-1].rstrip() + line.strip()
            continue
        lines.append(line)
        numbers.append(number)
    return article.with_lines(lines, numbers)
