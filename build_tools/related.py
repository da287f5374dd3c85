"""Related articles: cosine similarity of TF-IDF word vectors, found through an inverted index.

Each article is represented by its VECTOR_TERMS heaviest content words (build_tools/keywords.py),
scaled to unit length. Two articles are as related as the cosine of these vectors; the words both
vectors hold are the reason shown to the reader (domain terms first, see `shared`).

Candidates never come from all pairs: an inverted index maps each word to the articles whose vector
holds it, and an article's scores are summed over the postings of its QUERY_TERMS heaviest words only.
A word in more than MAX_POSTING vectors keeps the MAX_POSTING articles where it weighs most (a word
everybody uses cannot make anyone related), so the work is at most QUERY_TERMS * MAX_POSTING per
article: linear. The index score only ranks candidates; the cosine shown and compared with
MIN_SIMILARITY is recomputed exactly from the two vectors.

MIN_SIMILARITY was measured (VECTOR_TERMS = 80): on the seeds (nine trade-union articles from five
sites) the best match of each article scores 0.09-0.21 (0.97 for the near-duplicate pair), and pairs of
seeds range from 0.02 to 0.21; the two test texts written for tests/test_corpus.py score 0.12 with each
other and 0.04-0.12 with the seeds. A trade-union text against an unrelated one (a weather report, a
recipe) scores 0.00-0.016: what such texts share is stop words or everyday words the IDF weighs near
zero. 0.05 is three times the unrelated level and keeps three to five related articles per seed.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .forked import map_blocks

VECTOR_TERMS = 80
QUERY_TERMS = 30  # an article looks for candidates through its heaviest QUERY_TERMS words
MAX_POSTING = 64
MIN_SIMILARITY = 0.05
SHARED_TERMS = 4


def unit_vector(weights: dict[str, float], ranked: list[str]) -> dict[str, float]:
    """The first VECTOR_TERMS words of `ranked` with their weights, scaled to length 1."""
    top = ranked[:VECTOR_TERMS]
    norm = math.sqrt(sum(weights[w] ** 2 for w in top))
    return {w: weights[w] / norm for w in top} if norm else {}


def shared(a: dict[str, float], b: dict[str, float], preferred: frozenset[str] = frozenset(), n: int = SHARED_TERMS) -> list[str]:
    """The words two vectors share: `preferred` ones first, each group by the weight it adds to the similarity.

    The caller prefers the domain terms that are not in most articles of the corpus: 劳模精神 tells a
    reader why two texts belong together; 工会工作, in every text of this library, does not.
    """
    common = list(filter(b.__contains__, a))  # in a's order, so its index breaks the last ties as a's order would
    keyed = zip([t not in preferred for t in common], [-(a[t] * b[t]) for t in common], range(len(common)), common, strict=True)
    return [t for *_, t in sorted(keyed)[:n]]


def candidates(vectors: list[dict[str, float]], per_doc: int, flat: Flat | None = None) -> list[list[tuple[int, float]]]:
    """For each vector, its `per_doc` best others by (index-approximated) cosine, best first, plus every
    vector that counts it among its own best (so at most about 2 * per_doc).

    The index scores are summed with numpy, in blocks of documents, in the order a plain loop over the
    query words and their postings would add them (np.bincount adds in input order), so they are the
    same floats to the last bit and the ranking (ties to the lower document number) is the same.
    """
    n = len(vectors)
    index = _Index.build(flat or Flat.of(vectors))
    block = max(1, BLOCK_CELLS // max(1, n))
    blocks = [(start, min(n, start + block), per_doc) for start in range(0, n, block)]
    best = [found for part in map_blocks(_best, index, blocks, parallel=n >= PARALLEL_FROM) for found in part]
    # Symmetric: when b is among a's best, a is a candidate of b too (b's own query may have missed a).
    for doc in range(len(best)):
        for other, score in list(best[doc].items()):
            if doc not in best[other]:
                best[other][doc] = score
    return [sorted(found.items(), key=lambda s: (-s[1], s[0])) for found in best]


BLOCK_CELLS = 1 << 20  # documents x documents scores summed at once (8 MiB of floats)
# From this many documents, candidates and cosines are computed in forked workers (build_tools/forked.py):
# below it, starting them costs more than they save.
PARALLEL_FROM = 3000


def _best(index: _Index, block: tuple[int, int, int]) -> list[dict[int, float]]:
    return index.best(*block)


@dataclass
class _Index:
    """The inverted index as arrays: postings (cut to MAX_POSTING) per word, query words per document."""

    n: int
    query_doc: np.ndarray  # per query word of every document, in document then vector order: the document,
    query_word: np.ndarray  # the word id
    query_weight: np.ndarray  # and its weight
    query_start: np.ndarray  # where each document's query words start (n + 1 offsets)
    posting_start: np.ndarray  # where each word's posting starts in posting_doc / posting_weight
    posting_doc: np.ndarray
    posting_weight: np.ndarray

    @classmethod
    def build(cls, flat: Flat) -> _Index:
        """Arrays from the flattened vectors."""
        word, weight, starts = flat.word, flat.weight, flat.start
        doc = np.repeat(np.arange(flat.count, dtype=np.int64), np.diff(starts))
        query = np.arange(len(word)) - starts[doc] < QUERY_TERMS
        # Postings: by word, heaviest first (then lower document), at most MAX_POSTING each.
        order = np.lexsort((doc, -weight, word))
        counts = np.bincount(word, minlength=flat.words)
        first = np.concatenate(([0], np.cumsum(counts)))
        kept = order[np.arange(len(order)) - first[word[order]] < MAX_POSTING]
        kept_counts = np.minimum(counts, MAX_POSTING)
        query_counts = np.bincount(doc[query], minlength=flat.count)
        return cls(
            n=flat.count,
            query_doc=doc[query],
            query_word=word[query],
            query_weight=weight[query],
            query_start=np.concatenate(([0], np.cumsum(query_counts))),
            posting_start=np.concatenate(([0], np.cumsum(kept_counts))),
            posting_doc=doc[kept],
            posting_weight=weight[kept],
        )

    def best(self, lo: int, hi: int, per_doc: int) -> list[dict[int, float]]:
        """For documents lo..hi-1: their per_doc best others by index score, best first (ties: lower document)."""
        q = slice(self.query_start[lo], self.query_start[hi])
        qword, qweight, qdoc = self.query_word[q], self.query_weight[q], self.query_doc[q] - lo
        lengths = self.posting_start[qword + 1] - self.posting_start[qword]
        entry = np.repeat(np.arange(len(qword)), lengths)  # one item per (query word, posting member), in loop order
        offsets = np.concatenate(([0], np.cumsum(lengths)))[:-1]
        member = self.posting_start[qword][entry] + np.arange(len(entry)) - offsets[entry]
        cell = qdoc[entry] * self.n + self.posting_doc[member]
        rows = hi - lo
        scores = np.bincount(cell, weights=qweight[entry] * self.posting_weight[member], minlength=rows * self.n)
        # Every weight is a positive normal float, so is every sum of their products: 0.0 means "not a candidate".
        scores[np.arange(rows) * self.n + np.arange(lo, hi)] = 0.0  # never itself
        found = np.flatnonzero(scores)
        value, col = scores[found], found % self.n
        bounds = np.searchsorted(found, np.arange(rows + 1) * self.n).tolist()
        return [_top(value[a:b], col[a:b], per_doc) for a, b in pairwise(bounds)]


def _top(value: np.ndarray, doc: np.ndarray, n: int) -> dict[int, float]:
    """The n highest values (ties: lower document) as document -> value, best first."""
    if len(value) > n:
        kth = len(value) - n
        keep = value >= np.partition(value, kth)[kth]  # the n highest and any tied with the last of them
        value, doc = value[keep], doc[keep]
    return {d: -v for v, d in sorted(zip((-value).tolist(), doc.tolist(), strict=True))[:n]}


def related(
    vectors: list[dict[str, float]],
    found: list[list[tuple[int, float]]],
    n: int,
    preferred: frozenset[str] = frozenset(),
    never: frozenset[int] = frozenset(),
    apart: Mapping[int, Collection[int]] | None = None,
    flat: Flat | None = None,
) -> list[list[tuple[int, float, list[str]]]]:
    """For each document: up to n (other, cosine, shared words), best first, cosine >= MIN_SIMILARITY.

    `found` are the candidates of `candidates`; `preferred` are the words to show first as the reason (see
    `shared`); documents in `never` are listed for nobody, those in `apart[doc]` not for doc. `flat` is
    `Flat.of(vectors)` when the caller has it already.
    The exact cosine is recomputed for each candidate (the index may have cut a posting short).
    """
    apart = apart or {}
    pairs: list[tuple[int, int]] = []
    for doc, cands in enumerate(found):
        skip = apart.get(doc, ())
        pairs.extend([(doc, other) for other, _ in cands if other not in never and other not in skip])
    sims = np.array(cosines(vectors, pairs, flat))
    near = np.flatnonzero(sims >= MIN_SIMILARITY - 0.001)  # round(sim, 3) >= MIN_SIMILARITY is possible only for these
    scored: list[list[tuple[int, float]]] = [[] for _ in found]
    for k, sim in zip(near.tolist(), sims[near].tolist(), strict=True):
        sim = round(sim, 3)
        if sim >= MIN_SIMILARITY:
            doc, other = pairs[k]
            scored[doc].append((other, sim))
    result = []
    for doc, best in enumerate(scored):
        best.sort(key=lambda s: (-s[1], s[0]))
        result.append([(other, sim, shared(vectors[doc], vectors[other], preferred)) for other, sim in best[:n]])
    return result


COSINE_BLOCK = 128  # documents whose pairs are compared at once by `cosines`


def cosines(vectors: list[dict[str, float]], pairs: list[tuple[int, int]], flat: Flat | None = None) -> list[float]:
    """The cosine of each pair (a, b) of unit vectors: the sum of the products of their shared words, added in
    the order of the shorter vector (the first when both are as long), computed with numpy.

    Every word of that vector contributes, a word the other lacks as w * 0.0 == 0.0, which leaves a sum of
    positive numbers as it was; np.cumsum adds left to right, one at a time: the same floats as a plain loop
    (tests/test_related.py).
    """
    if not pairs:
        return []
    flat = flat or Flat.of(vectors)
    size = np.diff(flat.start)
    first = np.array([a for a, _ in pairs], dtype=np.int64)
    second = np.array([b for _, b in pairs], dtype=np.int64)
    swap = size[second] < size[first]
    short, other = np.where(swap, second, first), np.where(swap, first, second)
    order = np.argsort(short, kind="stable")
    result = np.zeros(len(pairs))
    column = np.full(flat.words, -1, dtype=np.int64)
    width = max(1, int(size.max()))
    docs = np.unique(short)
    bounds = np.searchsorted(short[order], docs[::COSINE_BLOCK])
    chosen, blocks = [], []
    for n, block in enumerate(np.split(docs, range(COSINE_BLOCK, len(docs), COSINE_BLOCK))):
        chosen.append(order[bounds[n] : bounds[n + 1] if n + 1 < len(bounds) else len(order)])
        blocks.append((block, short[chosen[-1]], other[chosen[-1]]))
    values = map_blocks(_cosines_of, (flat, column, width), blocks, parallel=len(vectors) >= PARALLEL_FROM)
    for where, value in zip(chosen, values, strict=True):
        result[where] = value
    return result.tolist()


def _cosines_of(state: tuple[Flat, np.ndarray, int], block: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    flat, column, width = state
    return _block_cosines(flat, *block, column, width)


def _block_cosines(flat: Flat, docs: np.ndarray, short: np.ndarray, other: np.ndarray, column: np.ndarray, width: int) -> np.ndarray:
    """Cosines of pairs (short[i], other[i]), every short one among `docs` (sorted); `column` is all -1 (and left so)."""
    size = np.diff(flat.start)
    mine = _entries(flat, docs)  # the words of the block's documents, each document's in vector order
    local = np.repeat(np.arange(len(docs)), size[docs])
    place = mine - flat.start[docs][local]  # position of each word in its vector
    words, which = np.unique(flat.word[mine], return_inverse=True)
    column[words] = np.arange(len(words))
    position = np.full((len(docs), len(words)), -1, dtype=np.int64)
    position[local, which] = place
    weights = np.zeros((len(docs), width))
    weights[local, place] = flat.weight[mine]
    row = np.searchsorted(docs, short)
    theirs = _entries(flat, other)
    pair = np.repeat(np.arange(len(other)), size[other])
    col = column[flat.word[theirs]]
    known = col >= 0
    pair, theirs, col = pair[known], theirs[known], col[known]
    at = position[row[pair], col]
    shared_word = at >= 0
    matched = np.zeros((len(other), width))
    matched[pair[shared_word], at[shared_word]] = flat.weight[theirs[shared_word]]
    column[words] = -1
    return np.cumsum(weights[row] * matched, axis=1)[:, -1]


def _entries(flat: Flat, docs: np.ndarray) -> np.ndarray:
    """Indices into flat.word / flat.weight of every word of each of `docs`, in order."""
    size = np.diff(flat.start)[docs]
    owner = np.repeat(np.arange(len(docs)), size)
    offsets = np.concatenate(([0], np.cumsum(size)))[:-1]
    return flat.start[docs][owner] + np.arange(len(owner)) - offsets[owner]


@dataclass
class Flat:
    """Every vector's words (numbered in order of first appearance) and weights, end to end."""

    word: np.ndarray
    weight: np.ndarray
    start: np.ndarray  # where each vector starts (count + 1 offsets)
    words: int  # how many distinct words

    @property
    def count(self) -> int:
        """How many vectors."""
        return len(self.start) - 1

    @classmethod
    def of(cls, vectors: list[dict[str, float]]) -> Flat:
        """Flatten `vectors` (once per corpus pass: `candidates`, `related` and `cosines` take it)."""
        ids: dict[str, int] = {}
        words: list[int] = []
        weights: list[float] = []
        sizes: list[int] = []
        for vector in vectors:
            words.extend([ids.setdefault(w, len(ids)) for w in vector])
            weights.extend(vector.values())
            sizes.append(len(vector))
        start = np.concatenate(([0], np.cumsum(sizes, dtype=np.int64)))
        return cls(np.array(words, dtype=np.int64), np.array(weights, dtype=np.float64), start, max(1, len(ids)))
