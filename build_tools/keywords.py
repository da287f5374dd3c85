"""Content words and their TF-IDF weights, learnt from the corpus itself.

A text becomes a bag of content words: jieba segmentation with the domain dictionary (so 职工之家 or
工资集体协商 is never cut in two), minus stop words (build_tools/data/stopwords.txt), single characters,
numbers and anything without a Han character.

Weights are TF-IDF over this corpus. The inverse document frequency is smoothed with a prior taken from
jieba's own general-language IDF table, counted as `PRIOR_DOCS` pseudo-documents:

    idf(w) = log((N + PRIOR_DOCS) / (df(w) + PRIOR_DOCS * p(w)))     p(w) = exp(-generic_idf(w))

With a large corpus the corpus counts dominate; with the five seeds alone (N = 9) the prior still tells
that 我们 or 发展 are everyday words while 职代会 is not. Domain terms get a small boost (`DOMAIN_BOOST`):
the dictionary is the project's own statement of what matters.

N and df(w) are counted coarsely above EXACT_COUNTS (`coarse`: their COUNT_BITS highest bits, a step of at
most 1/32 of the count): an IDF moves by at most 3% for it, and one edited article (df of a word one up or
down) rarely moves any IDF at all, so a rebuild recomputes the vectors of the few articles whose words'
IDF did move instead of all of them (build_tools/corpus_state.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import jieba
import numpy as np

from .terms import domain_terms

STOPWORDS_FILE = Path(__file__).with_name("data") / "stopwords.txt"
GENERIC_IDF_FILE = Path(jieba.__file__).with_name("analyse") / "idf.txt"
EXACT_COUNTS = 64  # counts below this are exact
COUNT_BITS = 6  # larger counts keep their COUNT_BITS highest bits
PRIOR_DOCS = 20.0  # how many documents jieba's general-language IDF counts for
DOMAIN_BOOST = 1.5  # weight factor for terms of the domain dictionary

_HAN = re.compile(r"[\u3400-\u9fff]")
# Numbers written in Han numerals, with an optional counter: 三个, 二十, 一是, 第五, 两项 (十九大 is kept: a name).
_NUMERAL = re.compile(r"^第?[零〇一二三四五六七八九十百千万亿两几数]+[个是项次条点届名人位年月日号篇批期种类]?$")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stop-word list (comments and blanks skipped)."""
    words = set()
    for raw in STOPWORDS_FILE.read_text(encoding="utf-8").splitlines():
        word = raw.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


@lru_cache(maxsize=1)
def _domain() -> frozenset[str]:
    return frozenset(domain_terms())


def is_content_word(word: str) -> bool:
    """True for a word worth counting: two or more characters, Han only, not a stop word, not a numeral."""
    return len(word) >= 2 and all(_HAN.match(c) for c in word) and word not in stopwords() and not _NUMERAL.match(word)


def generic_idf(vocabulary: set[str]) -> tuple[dict[str, float], float]:
    """jieba's general-language IDF for the words of `vocabulary`, and the median IDF for unknown words."""
    found: dict[str, float] = {}
    values = []
    with GENERIC_IDF_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.rstrip("\n").partition(" ")
            if not value:
                continue
            number = float(value)
            values.append(number)
            if word in vocabulary:
                found[word] = number
    values.sort()
    median = values[len(values) // 2] if values else 10.0
    return found, median


def coarse(count: int) -> int:
    """`count` below EXACT_COUNTS; above, its COUNT_BITS highest bits (the rest zero): 100 -> 100, 1000 -> 992."""
    drop = max(0, count.bit_length() - COUNT_BITS) if count >= EXACT_COUNTS else 0
    return count >> drop << drop


@dataclass
class Weighting:
    """Inverse document frequencies of one corpus: turns word counts into TF-IDF weights."""

    idf: dict[str, float]
    generic: dict[str, float]  # the generic IDF each word was given (jieba's, or the median for a word it lacks)

    @classmethod
    def learn(cls, df: dict[str, int], n: int, generic: dict[str, float] | None = None) -> Weighting:
        """IDF from document frequencies `df` over `n` documents (both `coarse`), smoothed by jieba's generic IDF.

        `generic` is a previous Weighting's: when it has every word, jieba's file is not read again.
        """
        if generic is None or not all(w in generic for w in df):
            found, median = generic_idf(set(df))
            generic = {w: found.get(w, median) for w in df}
        idf = {}
        total = coarse(n) + PRIOR_DOCS
        for word in sorted(df):  # sorted: the same dict order whatever the input order
            prior = math.exp(-generic[word])
            idf[word] = math.log(total / (coarse(df[word]) + PRIOR_DOCS * prior))
        return cls(idf, {w: generic[w] for w in df})


def heaviest_all(
    documents: list[tuple[np.ndarray, np.ndarray]], words: list[str], weighting: Weighting, n: int
) -> list[tuple[list[str], list[float]]]:
    """For each document (vocabulary ids of its words in order of first appearance, their counts): its n
    heaviest words and their weights, heaviest first (ties: seen first).

    A word's weight is (1 + ln count) * idf, times DOMAIN_BOOST for a domain term; words weighing 0 are left
    out. Computed with numpy for every document at once: the same floats as that formula in a plain loop
    (a product of two floats is the same product there, and 1 + ln(count) is taken from Python), which
    tests/test_corpus.py checks.
    """
    if not documents:
        return []
    domain = _domain()
    idf = np.array([weighting.idf.get(w, 0.0) for w in words], dtype=np.float64)
    boosted = np.array([w in domain for w in words], dtype=bool)
    ids = np.frombuffer(b"".join(d[0].tobytes() for d in documents), dtype=np.uint32).astype(np.int64)
    counts = np.frombuffer(b"".join(d[1].tobytes() for d in documents), dtype=np.uint32).astype(np.int64)
    sizes = np.array([len(d[0]) for d in documents], dtype=np.int64)
    distinct = np.flatnonzero(np.bincount(counts))  # the counts that occur (counts are small: bincount, no sort)
    tf = np.zeros(int(distinct.max()) + 1 if len(distinct) else 1)
    tf[distinct] = [1.0 + math.log(c) for c in distinct.tolist()]
    weight = tf[counts] * idf[ids]
    weight = np.where(boosted[ids], weight * DOMAIN_BOOST, weight)
    doc = np.repeat(np.arange(len(documents)), sizes)
    keep = weight > 0
    ids, weight, doc = ids[keep], weight[keep], doc[keep]
    order = np.lexsort((-weight, doc))  # stable: equal weights stay in order of first appearance
    ids, weight, doc = ids[order], weight[order], doc[order]
    bounds = np.searchsorted(doc, np.arange(len(documents) + 1))
    top = np.arange(len(doc)) - bounds[doc] < n  # the first n of each document
    ends = np.searchsorted(doc[top], np.arange(len(documents) + 1)).tolist()
    names = [words[i] for i in ids[top].tolist()]
    weight_list = weight[top].tolist()
    return [(names[a:b], weight_list[a:b]) for a, b in pairwise(ends)]
