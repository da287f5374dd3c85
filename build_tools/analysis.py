"""Segment an article: its content-word counts and the sentence where each domain term first appears.

Each article is segmented once, when it is converted (build_tools/features.py: in the conversion's workers,
kept in its cache); `collect` then numbers the words of every article in one vocabulary for the corpus pass.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass

from .concordance import sentence_at, terms_in
from .keywords import is_content_word
from .terms import domain_terms, tokenizer

_content: dict[str, bool] = {}


@dataclass
class Analysis:
    """What segmentation tells about one article, kept compact (vocabulary ids, not strings)."""

    words: array  # vocabulary ids of its content words, in order of first appearance
    counts: array  # how often each occurs
    terms: dict[str, str]  # domain term -> sentence where it first appears, in dictionary order


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


def collect(packed: list[Packed]) -> tuple[list[Analysis], list[str]]:
    """Intern each document's words into one vocabulary, in input order (ids in order of first appearance)."""
    vocabulary: dict[str, int] = {}
    intern = vocabulary.setdefault
    analyses = []
    for joined, counts, found in packed:
        ids = array("I", [intern(w, len(vocabulary)) for w in joined.split("\n")] if joined else [])
        number = array("I")
        number.frombytes(counts)
        analyses.append(Analysis(ids, number, found))
    return analyses, list(vocabulary)
