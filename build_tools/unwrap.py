"""Join lines that were hard-wrapped in the middle of a sentence, a word or a heading."""

from __future__ import annotations

import re
from collections import Counter

from .article import Article
from .boilerplate import is_body
from .numbering import starts_numbered
from .punctuation import CLOSING
from .script import to_simplified
from .terms import crosses_word

# Characters a paragraph or heading can end with; a line ending otherwise may continue.
# Characters that never begin a line of Chinese text: the line before was cut.
NEVER_START = set(",，、。;；:：!！?？)）”’」』】》")
# A following line this short, with no punctuation, is the tail of the line before (seed 003 "局面").
FRAGMENT_MAX = 6
# A line of running text at least this long that ends on a character is cut, not finished.
LONG_LINE = 40
INDENT = re.compile(r"^(\s{2,}|\t)")
_PUNCT = re.compile(r"[,，。;；:：!！?？、]")


def wrap_width(lines: list[str]) -> int:
    """The width a copy from a PDF or a terminal was wrapped at, or 0 when the text is not wrapped.

    Wrapped text has lines of (nearly) the same length ending without punctuation: at least half
    of its long lines (headings ending without punctuation are far fewer).
    """
    long_lines = [line.strip() for line in lines if len(line.strip()) >= 20]
    ends = [len(text) for text in long_lines if text[-1] not in CLOSING and not starts_numbered(text)]
    if len(ends) < 3:
        return 0
    counts = Counter(ends)
    width, n = max(counts.items(), key=lambda kv: (kv[1] + counts.get(kv[0] - 1, 0) + counts.get(kv[0] + 1, 0), kv[0]))
    near = n + counts.get(width - 1, 0) + counts.get(width + 1, 0)
    return width if near >= max(3, len(long_lines) // 2) else 0


def should_join(line: str, following: str, width: int = 0) -> bool:
    """Whether `following` continues `line` (the break between them is a hard wrap)."""
    left, right = line.rstrip(), following.strip()
    if not left or not right or left[-1] in CLOSING or starts_numbered(right):
        return False
    if right[0] in NEVER_START:
        return True
    if INDENT.match(following) and not INDENT.match(line):
        return False  # an indented line opens a paragraph (PDF copies mark paragraphs only so)
    if len(right) <= FRAGMENT_MAX and not _PUNCT.search(right) and len(left) > 2 * FRAGMENT_MAX:
        return True
    if width and len(left.strip()) >= width - 2 and not starts_numbered(left):
        return True  # a line as wide as the wrap width that does not end a sentence goes on
    if is_body(left) and left[-1].isalpha() and len(left.strip()) >= LONG_LINE and not starts_numbered(left):
        return True  # running text never ends a paragraph on a bare character (seed 003 part 5)
    return crosses_word(to_simplified(left[-4:]), to_simplified(right[:4]))


def join_wrapped(article: Article) -> Article:
    """Join hard-wrapped lines (blank lines always separate paragraphs); record each join."""
    if "unwrap" in article.skip:
        return article
    lines: list[str] = []
    numbers: list[int] = []
    width = wrap_width(article.lines)
    for line, number in zip(article.lines, article.line_numbers, strict=True):
        if (
            lines
            and lines[-1].strip()
            and line.strip()
            and should_join(lines[-1], line, width if len(lines[-1].strip()) <= width + 2 else 0)
        ):
            article.record("unwrap", "joined", f"{lines[-1].strip()[-8:]}⏎{line.strip()[:8]}", "joined", number)
            lines[-1] = lines[-1].rstrip() + line.strip()
            continue
        lines.append(line)
        numbers.append(number)
    return article.with_lines(lines, numbers)
