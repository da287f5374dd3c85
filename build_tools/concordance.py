"""The term index: which domain terms a text uses, and the sentence where each first appears.

A term is used when segmentation yields it as a word, or yields a longer word that contains it
(工资集体协商 uses 集体协商 too; a word jieba knows such as 市总工会 uses 总工会). A term is never found
inside a word it is not part of: 创建家园 segments as 创建 / 家园, so it does not use 建家.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .terms import domain_terms

SENTENCE_END = re.compile(r"[。！？；!?;]")
SENTENCE_CHARS = 80  # a longer sentence is cut to about this many characters around the term
CLAUSE_END = re.compile(r"[，、：,:]")
CLAUSE_SLACK = 20  # how far inside the window a clause end may be to cut there
ELLIPSIS = "…"


@lru_cache(maxsize=65536)
def terms_in(word: str) -> tuple[str, ...]:
    """Domain terms the word is or contains, in dictionary order."""
    if len(word) < 2:
        return ()
    return tuple(t for t in domain_terms() if t in word)


def sentence_at(text: str, pos: int, term: str) -> str:
    """The sentence of `text` around position `pos` (where `term` starts), cut to about SENTENCE_CHARS."""
    start = 0
    for match in SENTENCE_END.finditer(text, 0, pos):
        start = match.end()
    end_match = SENTENCE_END.search(text, pos + len(term))
    end = end_match.end() if end_match else len(text)
    while start < pos and text[start].isspace():
        start += 1
    sentence = text[start:end].strip()
    pos -= start
    if len(sentence) <= SENTENCE_CHARS:
        return sentence
    half = (SENTENCE_CHARS - len(term)) // 2
    left = max(0, pos - half)
    right = min(len(sentence), left + SENTENCE_CHARS)
    left = max(0, right - SENTENCE_CHARS)
    # Prefer to cut where a clause ends (，、：) when one is near the edge of the window.
    if left > 0:
        clause = CLAUSE_END.search(sentence, left, min(pos, left + CLAUSE_SLACK))
        if clause:
            left = clause.end()
    if right < len(sentence):
        ends = [m.end() for m in CLAUSE_END.finditer(sentence, max(pos + len(term), right - CLAUSE_SLACK), right)]
        if ends:
            right = ends[-1]
    cut = sentence[left:right]
    return (ELLIPSIS if left > 0 else "") + cut + (ELLIPSIS if right < len(sentence) else "")
