"""Segment an article: its content-word counts and the sentence where each domain term first appears.

Each article is segmented once, when it is converted (build_tools/features.py: in the conversion's workers,
kept in its cache); `number` then numbers the words of every article in one vocabulary for the corpus pass.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .concordance import sentence_at, terms_in
from .keywords import is_content_word
from .rows import joined, offsets
from .terms import domain_terms, tokenizer

_content: dict[str, bool] = {}


def segment(texts: list[str]) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """Content words with counts (first appearance order) and domain term -> first sentence.

    `texts` are the article's blocks followed by its title; a term seen only in the title gets the title
    as its sentence.
    """
    tok = tokenizer()
    counts: Counter[str] = Counter()
    found: dict[str, str] = {}
    last = len(texts) - 1
    for n, text in enumerate(texts):
        tokens = tok.lcut(text, HMM=False)
        block_counts = Counter(tokens)
        counts.update(block_counts)
        if not any(t not in found for w in block_counts for t in terms_in(w)):
            continue
        pos = 0
        for word in tokens:
            for term in terms_in(word):
                if term not in found:
                    found[term] = text if n == last else sentence_at(text, pos + word.index(term), term)
            pos += len(word)
    words = []
    for word, count in counts.items():
        known = _content.get(word)
        if known is None:
            known = _content[word] = is_content_word(word)
        if known:
            words.append((word, count))
    order = {t: i for i, t in enumerate(domain_terms())}
    return words, dict(sorted(found.items(), key=lambda kv: order[kv[0]]))


# One segmentation, packed (few objects: quick to save, load and hand over): its content words joined by
# newlines (a content word is Han characters only), their counts as the bytes of an array("I"), its terms.
Packed = tuple[str, bytes, dict[str, str]]


def pack(segmented: tuple[list[tuple[str, int]], dict[str, str]]) -> Packed:
    """`segment`'s result, packed."""
    pairs, found = segmented
    return "\n".join(w for w, _ in pairs), array("I", [c for _, c in pairs]).tobytes(), found


def digest(packed: Packed) -> bytes:
    """The sha1 of a packed segmentation's words and counts (what a document's vector is made of)."""
    words, counts, _ = packed
    return hashlib.sha1(words.encode("utf-8") + b"\0" + counts).digest()


@dataclass
class Numbered:
    """Every document's content words (in order of first appearance) as numbers into `words`, in rows
    (build_tools/rows.py)."""

    words: list[str]
    ids: np.ndarray  # uint32
    start: np.ndarray

    @classmethod
    def empty(cls) -> Numbered:
        """No document, no word."""
        return cls([], np.zeros(0, dtype=np.uint32), offsets([]))

    def row(self, doc: int) -> np.ndarray:
        """Document doc's word numbers."""
        return self.ids[self.start[doc] : self.start[doc + 1]]


def number(packed: list[Packed], last: Numbered | None = None, rows: np.ndarray | None = None) -> Numbered:
    """Number the words of each document (its segmentation `packed`) into one vocabulary.

    With `last` (an earlier numbering) and `rows` (for each document, its row in `last` when its words are the
    ones it had there, else -1), those documents keep their numbers, the others are numbered, new words after
    last's: what stays the same is not looked at again.
    """
    last = last or Numbered.empty()
    rows = np.full(len(packed), -1, dtype=np.int64) if rows is None else rows
    vocabulary = {w: i for i, w in enumerate(last.words)}
    intern = vocabulary.setdefault
    ids: list[int] = []
    sizes: list[int] = []
    for d in np.flatnonzero(rows < 0).tolist():
        text = packed[d][0]
        mine = [intern(w, len(vocabulary)) for w in text.split("\n")] if text else []
        ids.extend(mine)
        sizes.append(len(mine))
    plan, start = joined(last.start, offsets(sizes), rows)
    return Numbered(list(vocabulary), plan.take(last.ids, np.array(ids, dtype=np.uint32)), start)
