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
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from .forked import map_blocks
from .rows import Rows, joined, offsets, rows_at, spans

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


@dataclass
class Candidates:
    """What `candidates` found: each document's candidates, its own best alone, and the index they came from."""

    both: Rows  # own best plus every document that counts this one among its own best
    own: Rows
    index: Index

    def for_next_run(self) -> Candidates:
        """What a next run needs (`Known`): the own best and the postings, not the rest (a smaller state to save and load)."""
        empty = np.zeros(0, dtype=np.int64)
        queries = {"query_doc": empty, "query_word": empty, "query_weight": empty.astype(np.float64), "query_start": empty}
        return Candidates(Rows(empty, empty, empty.astype(np.float64)), self.own, replace(self.index, **queries))


def candidates(flat: Flat, per_doc: int, known: Known | None = None) -> Candidates:
    """For each vector, its `per_doc` best others by (index-approximated) cosine, best first, plus every
    vector that counts it among its own best (so at most about 2 * per_doc); and each one's own best alone
    (what a next run can reuse: `Known`).

    The index scores are summed with numpy, in blocks of documents, in the order a plain loop over the
    query words and their postings would add them (np.bincount adds in input order), so they are the
    same floats to the last bit and the ranking (ties to the lower document number) is the same.
    With `known` (the last run's) only the documents whose query words or postings changed are looked up
    again; the others keep their last best, which is what a lookup would give.
    """
    n = flat.count
    index = Index.build(flat)
    todo = np.arange(n) if known is None else known.stale(flat, index)
    block = max(1, BLOCK_CELLS // max(1, n))
    blocks = [(todo[start : start + block], per_doc) for start in range(0, len(todo), block)]
    found = map_blocks(_best, index, blocks, parallel=len(todo) >= PARALLEL_FROM)
    parts = [(docs[row], doc, score) for (docs, _), (row, doc, score) in zip(blocks, found, strict=True)]
    entries = tuple(
        np.concatenate([p[k] for p in parts]) if parts else np.zeros(0, dtype=dtype)
        for k, dtype in enumerate((np.int64, np.int64, np.float64))
    )
    if known is not None:
        entries = tuple(np.concatenate(pair) for pair in zip(entries, known.reused(todo), strict=True))
        if (entries[1] < 0).any():  # a document gone is still someone's candidate: cannot be (see `stale`), but if so...
            return candidates(flat, per_doc)
    own = Rows.grouped(n, *entries)
    # Symmetric: when b is among a's best, a is a candidate of b too (b's own query may have missed a).
    mine = own.owner
    back = ~lookup(np.sort(mine * n + own.doc), own.doc * n + mine)[0]
    both = Rows.of(
        n, np.concatenate((mine, own.doc[back])), np.concatenate((own.doc, mine[back])), np.concatenate((own.score, own.score[back]))
    )
    return Candidates(both, own, index)


def lookup(ordered: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of `values`: whether it is in `ordered` (sorted), and where. (np.isin would sort both arrays, or
    build a table as large as the range of the values.)"""
    if not len(ordered):
        return np.zeros(len(values), dtype=bool), np.zeros(len(values), dtype=np.int64)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return ordered[at] == values, at


@dataclass
class Known:
    """The last run's vectors and candidates (`candidates`), with how its documents map to this run's.

    `old_doc[d]` is this run's document d in the last run (-1: new), `old_to_new` the reverse (-1: gone;
    increasing where not -1: documents keep their relative order); `changed[d]` is True when d's vector is
    not the one it had (always for a new document). This run's flat keeps the last one's word numbers
    (Flat.join).
    """

    flat: Flat
    found: Candidates
    old_doc: np.ndarray
    old_to_new: np.ndarray
    changed: np.ndarray

    def stale(self, flat: Flat, index: Index) -> np.ndarray:
        """The documents whose lookup may give another result than last time: their vector changed, or a
        posting of one of their query words did (in its documents or weights)."""
        old = self.found.index
        moved = np.flatnonzero(self.changed)
        if len(moved) == flat.count:  # every vector changed (as when the article count moves IDF): all of them
            return moved
        replaced = self.old_doc[moved]
        old_rows = np.concatenate([np.flatnonzero(self.old_to_new < 0), replaced[replaced >= 0]])  # vectors gone or replaced
        words = np.unique(np.concatenate([flat.word[rows_at(flat.start, moved)], self.flat.word[rows_at(self.flat.start, old_rows)]]))
        differ = []
        for w in words.tolist():
            a, b = index.posting_start[w], index.posting_start[w + 1]
            c, d = (old.posting_start[w], old.posting_start[w + 1]) if w + 1 < len(old.posting_start) else (0, 0)
            same = b - a == d - c and np.array_equal(index.posting_doc[a:b], self.old_to_new[old.posting_doc[c:d]])
            if not (same and np.array_equal(index.posting_weight[a:b], old.posting_weight[c:d])):
                differ.append(w)
        asking = np.unique(index.query_doc[np.isin(index.query_word, differ)])
        return np.union1d(asking, np.union1d(moved, np.flatnonzero(self.old_doc < 0)))

    def reused(self, todo: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The last run's own best of every document not in `todo`, renumbered: entries (owner, doc, score)."""
        keep = self.old_doc >= 0
        keep[todo] = False
        mine = np.flatnonzero(keep)
        best = self.found.own
        at = rows_at(best.start, self.old_doc[mine])
        owner = np.repeat(mine, np.diff(best.start)[self.old_doc[mine]])
        return owner, self.old_to_new[best.doc[at]], best.score[at]


BLOCK_CELLS = 1 << 20  # documents x documents scores summed at once (8 MiB of floats)
# From this many documents, candidates and cosines are computed in forked workers (build_tools/forked.py):
# below it, starting them costs more than they save.
PARALLEL_FROM = 3000


def _best(index: Index, block: tuple[np.ndarray, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return index.best(*block)


@dataclass
class Index:
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
    def build(cls, flat: Flat) -> Index:
        """Arrays from the flattened vectors."""
        word, weight, starts = flat.word, flat.weight, flat.start
        doc = np.repeat(np.arange(flat.count, dtype=np.int64), np.diff(starts))
        query = np.arange(len(word)) - starts[doc] < QUERY_TERMS
        # Postings: by word, heaviest first (then lower document), at most MAX_POSTING each.
        order = np.lexsort((-weight, word))  # stable, and the entries are in document order: ties stay by document
        counts = np.bincount(word, minlength=flat.words)
        first = offsets(counts)
        kept = order[np.arange(len(order)) - first[word[order]] < MAX_POSTING]
        kept_counts = np.minimum(counts, MAX_POSTING)
        query_counts = np.bincount(doc[query], minlength=flat.count)
        return cls(
            n=flat.count,
            query_doc=doc[query],
            query_word=word[query],
            query_weight=weight[query],
            query_start=offsets(query_counts),
            posting_start=offsets(kept_counts),
            posting_doc=doc[kept],
            posting_weight=weight[kept],
        )

    def best(self, docs: np.ndarray, per_doc: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each of `docs` (increasing): its per_doc best others by index score, best first (ties: lower
        document), as entries (row in `docs`, other document, score)."""
        q = rows_at(self.query_start, docs)
        qword, qweight = self.query_word[q], self.query_weight[q]
        qdoc = np.repeat(np.arange(len(docs)), np.diff(self.query_start)[docs])
        lengths = self.posting_start[qword + 1] - self.posting_start[qword]
        entry = np.repeat(np.arange(len(qword)), lengths)  # one item per (query word, posting member), in loop order
        member = spans(self.posting_start[qword], lengths)
        cell = qdoc[entry] * self.n + self.posting_doc[member]
        rows = len(docs)
        scores = np.bincount(cell, weights=qweight[entry] * self.posting_weight[member], minlength=rows * self.n)
        # Every weight is a positive normal float, so is every sum of their products: 0.0 means "not a candidate".
        scores[np.arange(rows) * self.n + docs] = 0.0  # never itself
        found = np.flatnonzero(scores)
        value, col = scores[found], found % self.n
        bounds = np.searchsorted(found, np.arange(rows + 1) * self.n).tolist()
        tops = [_top(value[a:b], col[a:b], per_doc) for a, b in pairwise(bounds)]
        row = np.repeat(np.arange(rows), [len(d) for d, _ in tops])
        return row, np.concatenate([d for d, _ in tops] or [col[:0]]), np.concatenate([v for _, v in tops] or [value[:0]])


def _top(value: np.ndarray, doc: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The n highest values (ties: lower document), best first: (documents, values)."""
    if len(value) > n:
        kth = len(value) - n
        keep = value >= np.partition(value, kth)[kth]  # the n highest and any tied with the last of them
        value, doc = value[keep], doc[keep]
    order = np.lexsort((doc, -value))[:n]
    return doc[order], value[order]


def allowed(found: Rows, never: frozenset[int] = frozenset(), apart: Mapping[int, Collection[int]] | None = None) -> Rows:
    """Each document's candidates (`candidates`) it may list: documents in `never` are listed for nobody,
    those in `apart[doc]` not for doc."""
    n = len(found.start) - 1
    barred = np.zeros(max(1, n), dtype=bool)
    barred[list(never)] = True
    keep = ~barred[found.doc]
    for doc, skip in (apart or {}).items():
        a, b = found.start[doc], found.start[doc + 1]
        keep[a:b] &= ~np.isin(found.doc[a:b], list(skip))
    return found.where(keep)


@dataclass
class KnownPairs:
    """What a last run computed for pairs whose two vectors are unchanged, in this run's numbering: the cosine of
    each (keys: first * count + second, sorted) and the shared words of those it listed."""

    keys: np.ndarray
    cosines: np.ndarray
    shared: dict[tuple[int, int], list[str]]
    count: int

    def cosine(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """The known cosine of each pair (first[i], second[i]); NaN where it is not known."""
        found = np.full(len(first), np.nan)
        hit, at = lookup(self.keys, first * self.count + second)
        found[hit] = self.cosines[at[hit]]
        return found


def related(
    flat: Flat,
    allowed: Rows,
    n: int,
    preferred: frozenset[str] = frozenset(),
    known: Mapping[int, list[tuple[int, float, list[str]]]] | None = None,
    pairs: KnownPairs | None = None,
) -> tuple[list[list[tuple[int, float, list[str]]]], np.ndarray]:
    """For each document: up to n (other, cosine, shared words), best first, cosine >= MIN_SIMILARITY; and the
    cosine of every allowed pair (in the order of `allowed`: for the next run).

    `allowed` are the candidates each document may list (`allowed`); `preferred` are the words to show first
    as the reason (see `shared`). The exact cosine is computed for each candidate (the index may have cut a
    posting short). What a last run found and nothing it depends on changed is taken as it is: `known` gives
    whole lists of documents, `pairs` the cosines and shared words of pairs.
    """
    known = known or {}
    count = len(allowed.start) - 1
    first, second = allowed.owner, allowed.doc
    sims = np.full(len(first), np.nan) if pairs is None else pairs.cosine(first, second)
    todo = np.flatnonzero(np.isnan(sims))
    sims[todo] = cosines(flat, list(zip(first[todo].tolist(), second[todo].tolist(), strict=True)))
    listed = np.ones(count, dtype=bool)
    listed[list(known)] = False
    near = np.flatnonzero((sims >= MIN_SIMILARITY - 0.001) & listed[first])  # round(sim, 3) >= MIN_SIMILARITY is possible only for these
    rounded = np.array([round(sim, 3) for sim in sims[near].tolist()])
    good = near[rounded >= MIN_SIMILARITY]
    best = Rows.of(count, first[good], second[good], rounded[rounded >= MIN_SIMILARITY])
    docs, values = best.doc.tolist(), best.score.tolist()
    vectors: dict[int, dict[str, float]] = {}
    reasons = {} if pairs is None else pairs.shared

    def vector(doc: int) -> dict[str, float]:
        if doc not in vectors:
            vectors[doc] = flat.vector(doc)
        return vectors[doc]

    def reason(doc: int, other: int) -> list[str]:
        found = reasons.get((doc, other))
        return found if found is not None else shared(vector(doc), vector(other), preferred)

    result = []
    for doc, (a, b) in enumerate(pairwise(best.start.tolist())):
        if doc in known:
            result.append(known[doc])
            continue
        result.append(
            [(other, sim, reason(doc, other)) for other, sim in zip(docs[a : min(b, a + n)], values[a : min(b, a + n)], strict=True)]
        )
    return result, sims


COSINE_BLOCK = 128  # documents whose pairs are compared at once by `cosines`


def cosines(flat: Flat, pairs: list[tuple[int, int]]) -> list[float]:
    """The cosine of each pair (a, b) of unit vectors: the sum of the products of their shared words, added in
    the order of the shorter vector (the first when both are as long), computed with numpy.

    Every word of that vector contributes, a word the other lacks as w * 0.0 == 0.0, which leaves a sum of
    positive numbers as it was; np.cumsum adds left to right, one at a time: the same floats as a plain loop
    (tests/test_related.py).
    """
    if not pairs:
        return []
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
    values = map_blocks(_cosines_of, (flat, column, width), blocks, parallel=flat.count >= PARALLEL_FROM)
    for where, value in zip(chosen, values, strict=True):
        result[where] = value
    return result.tolist()


def _cosines_of(state: tuple[Flat, np.ndarray, int], block: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    flat, column, width = state
    return _block_cosines(flat, *block, column, width)


def _block_cosines(flat: Flat, docs: np.ndarray, short: np.ndarray, other: np.ndarray, column: np.ndarray, width: int) -> np.ndarray:
    """Cosines of pairs (short[i], other[i]), every short one among `docs` (sorted); `column` is all -1 (and left so)."""
    size = np.diff(flat.start)
    mine = rows_at(flat.start, docs)  # the words of the block's documents, each document's in vector order
    local = np.repeat(np.arange(len(docs)), size[docs])
    place = mine - flat.start[docs][local]  # position of each word in its vector
    words, which = np.unique(flat.word[mine], return_inverse=True)
    column[words] = np.arange(len(words))
    position = np.full((len(docs), len(words)), -1, dtype=np.int64)
    position[local, which] = place
    weights = np.zeros((len(docs), width))
    weights[local, place] = flat.weight[mine]
    row = np.searchsorted(docs, short)
    theirs = rows_at(flat.start, other)
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


@dataclass
class Flat:
    """Every vector's words (numbers into `names`) and weights, end to end."""

    word: np.ndarray
    weight: np.ndarray
    start: np.ndarray  # where each vector starts (count + 1 offsets)
    names: list[str]  # word number -> word

    @property
    def count(self) -> int:
        """How many vectors."""
        return len(self.start) - 1

    @property
    def words(self) -> int:
        """How many word numbers (at least 1: array sizes)."""
        return max(1, len(self.names))

    def vector(self, doc: int) -> dict[str, float]:
        """Vector `doc` as a dict (word -> weight, in its order)."""
        a, b = int(self.start[doc]), int(self.start[doc + 1])
        return dict(zip([self.names[w] for w in self.word[a:b].tolist()], self.weight[a:b].tolist(), strict=True))

    @classmethod
    def of(cls, vectors: list[dict[str, float]], names: list[str] | None = None) -> Flat:
        """Flatten `vectors`; words are numbered after `names` (kept as they are), in order of first appearance."""
        names = list(names or [])
        ids = {w: i for i, w in enumerate(names)}
        words: list[int] = []
        weights: list[float] = []
        sizes: list[int] = []
        for vector in vectors:
            for w in vector:
                if w not in ids:
                    ids[w] = len(names)
                    names.append(w)
            words.extend([ids[w] for w in vector])
            weights.extend(vector.values())
            sizes.append(len(vector))
        start = offsets(sizes)
        return cls(np.array(words, dtype=np.int64), np.array(weights, dtype=np.float64), start, names)

    def join(self, rows: np.ndarray, vectors: list[dict[str, float]]) -> Flat:
        """A new flat: for each d, this flat's vector rows[d] when rows[d] >= 0, else the next of `vectors`.

        Word numbers stay those of this flat (new words numbered after them), so the two can be compared.
        """
        extra = Flat.of(vectors, self.names)
        plan, start = joined(self.start, extra.start, rows)
        return Flat(plan.take(self.word, extra.word), plan.take(self.weight, extra.weight), start, extra.names)
