"""Exact and near-duplicate articles: which pairs are copies, and which copy is canonical.

Exact duplicates have the same text once reduced to letters and digits (`minhash.normalize`): the same
article posted by two sites, whatever their punctuation or spacing. Near-duplicates have a Jaccard
resemblance of their 5-character shingle sets of at least NEAR_THRESHOLD, or (for a copy cut off early)
at least CONTAIN_THRESHOLD of the smaller text's shingles found in the larger one.

Candidates come from MinHash LSH (build_tools/minhash.py) plus pairs the caller already knows to be
alike (the best related-article candidates); a candidate is checked on its signature first and, when the
estimate is anywhere near a threshold (VERIFY_MARGIN), on the exact shingle sets. Decisions rest on exact
values only, so they do not depend on hashing luck.

How the thresholds were measured (5-character shingles of letters and digits; minhash.jaccard and
minhash.containment on the pipeline's articles for sources/, and on edited copies of them):
- Seeds (9 articles after conversion, 36 pairs): seed 003 parts 4 and 5, one report posted twice with
  the second copy cut short, have Jaccard 0.945 and containment 0.981. Every other pair has Jaccard
  at most 0.023 and containment at most 0.058: texts of one genre (乡镇工会 work reports) that share
  stock phrases, which is the "same genre, different text" level.
- Edits of one text, a share of its sentences replaced by other sentences (seed 003 part 4, 68
  sentences; the 16-sentence test report of tests/test_corpus.py): 10% replaced gives 0.79 / 0.73,
  20% 0.65 / 0.63, 30% 0.60 / 0.46, 40% 0.40 / 0.41, 50% 0.31 / 0.28. Sentences dropped instead of
  replaced: 10% 0.90, 30% 0.74 / 0.63, 50% 0.46 / 0.44. A copy cut to its first 30%: Jaccard 0.29,
  containment 1.0.
- Synthetic corpus of 1,000 articles recombined from the seeds' sentences (build_tools/bench_corpus.py),
  every pair with an estimate of 0.2 or more checked exactly: distinct articles that share many
  sentences reach Jaccard 0.30 and containment 0.60 at most (430 pairs above 0.1, none above 0.31).
NEAR_THRESHOLD = 0.5 sits in the wide gap between 0.02-0.31 (same genre, shared sentences) and 0.95 (same
text): it takes a copy with up to about a quarter to a third of its sentences changed, and no two articles
that merely share some sentences. CONTAIN_THRESHOLD = 0.9 with at least CONTAIN_MIN_SHINGLES shingles in the smaller text: a
page-one-only copy of a paginated article is a duplicate, a short text that quotes a few stock phrases
of a long one is not.

Canonical: of a group of copies, the complete text (not flagged truncated) first, then the longer one,
then the earlier key. Every other copy points at the canonical one, and only at one it is itself
similar to (no chains: a copy of a copy that is far from the canonical stays on its own).
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from . import minhash

NEAR_THRESHOLD = 0.5
CONTAIN_THRESHOLD = 0.9
CONTAIN_MIN_SHINGLES = 200
VERIFY_MARGIN = 0.2  # check exactly when the Jaccard estimate is within this of NEAR_THRESHOLD (4.5 sd at 0.5)...
CONTAIN_MARGIN = 0.1  # ...or the containment estimate (derived from it and the sizes, noisier) within this
NEAR_MISS_FLOOR = 0.3  # verified pairs at least this similar but below threshold are reported as near misses
NEAR_MISS_REPORTED = 50
_CACHE = 256  # shingle sets kept at most while verifying


@dataclass(frozen=True)
class Pair:
    """A verified pair: a < b (document indices), exact resemblance and containment."""

    a: int
    b: int
    jaccard: float
    containment: float
    smaller: int  # shingles of the smaller text

    @property
    def duplicate(self) -> bool:
        """True when the pair passes either threshold."""
        contained = self.containment >= CONTAIN_THRESHOLD and self.smaller >= CONTAIN_MIN_SHINGLES
        return self.jaccard >= NEAR_THRESHOLD or contained


@dataclass
class Decision:
    """One article found to be a copy of a canonical one."""

    doc: int
    canonical: int
    kind: str  # "exact" | "near"
    similarity: float  # Jaccard resemblance (1.0 for exact copies)
    containment: float


@dataclass(frozen=True)
class Fingerprint:
    """What the duplicate search needs of one normalized text (minhash.normalize): its sha1 and length, its
    shingle count and MinHash signature. An empty text has an empty digest and takes no part."""

    digest: bytes
    chars: int
    size: int
    signature: bytes  # minhash.signature(...).tobytes()


# The exact values of a checked pair of distinct normalized texts: Jaccard, containment, shingles of the smaller.
Checked = tuple[float, float, int]


@dataclass
class Memory:
    """The pairs one run checked exactly, by the sha1 of their normalized texts: for the next run (a cache)."""

    checked: dict[tuple[bytes, bytes], Checked] = field(default_factory=dict)  # (smaller digest, larger digest) -> values


@dataclass
class Duplicates:
    """Every decision of the duplicate search, and what was looked at to make them."""

    decisions: dict[int, Decision] = field(default_factory=dict)  # copy -> decision
    copies: dict[int, list[int]] = field(default_factory=dict)  # canonical -> its copies, in order
    candidates: int = 0  # pairs proposed by LSH or the caller
    verified: int = 0  # pairs compared on their exact shingle sets
    near_misses: list[Pair] = field(default_factory=list)
    memory: Memory = field(default_factory=Memory)  # the pairs this run checked exactly

    def group(self, doc: int) -> set[int]:
        """The article, its canonical and every copy of that canonical."""
        canonical = self.decisions[doc].canonical if doc in self.decisions else doc
        return {canonical, *self.copies.get(canonical, [])}


def fingerprint(normal: str) -> Fingerprint:
    """The fingerprint of one normalized text (minhash.normalize)."""
    if not normal:
        return Fingerprint(b"", 0, 0, b"")
    hashes = minhash.shingle_array(normal)
    return Fingerprint(hashlib.sha1(normal.encode("utf-8")).digest(), len(normal), len(hashes), minhash.signature(hashes).tobytes())


def find_duplicates(
    prints: list[Fingerprint],
    text: Callable[[int], str],
    rank: list[int],
    extra: Iterable[tuple[int, int]] = (),
    known: Memory | None = None,
) -> Duplicates:
    """Decide which of the documents are copies, from their fingerprints (`prints`, one per document).

    `text(i)` gives document i's normalized text (minhash.normalize), asked for only for pairs that need an
    exact check; `rank` lists the documents best canonical first; `extra` are candidate pairs from elsewhere
    (e.g. most similar by words). `known` holds the pairs earlier runs checked (by sha1 of the normalized
    texts); the result's `memory` is this run's.
    """
    result = Duplicates()
    count = len(prints)
    position = {doc: r for r, doc in enumerate(rank)}
    known = known or Memory()
    digests: dict[int, bytes] = {}

    # Exact copies: one representative (best ranked) per distinct normalized text.
    by_digest: dict[bytes, int] = {}
    representative: dict[int, int] = {}
    sizes: dict[int, int] = {}
    signatures: dict[int, array] = {}
    for doc in rank:
        found = prints[doc]
        if not found.chars:
            continue
        if found.digest in by_digest:
            representative[doc] = by_digest[found.digest]
            continue
        by_digest[found.digest] = doc
        representative[doc] = doc
        digests[doc] = found.digest
        sizes[doc] = found.size
        signatures[doc] = array("Q", found.signature)
    reps = [doc for doc in rank if representative.get(doc) == doc]

    # Candidates: LSH over representatives, plus the caller's pairs mapped to representatives.
    found = minhash.lsh_pairs([signatures.get(i, _EMPTY_SIG) for i in range(count)], reps)
    rep = np.full(max(1, count), -1, dtype=np.int64)
    rep[list(representative)] = list(representative.values())
    hinted = np.array(list(extra), dtype=np.int64).reshape(-1, 2)
    a, b = rep[hinted[:, 0]], rep[hinted[:, 1]]
    ok = (a >= 0) & (b >= 0) & (a != b)
    keys = np.unique(np.concatenate((found[:, 0] * count + found[:, 1], np.minimum(a, b)[ok] * count + np.maximum(a, b)[ok])))
    ordered = list(zip((keys // count).tolist(), (keys % count).tolist(), strict=True))  # sorted, each pair once
    result.candidates = len(ordered)
    worth = _worth_checking(np.array(minhash.estimates(signatures, ordered)), ordered, sizes)
    todo = [pair for pair, keep in zip(ordered, worth.tolist(), strict=True) if keep]

    def key(pair: tuple[int, int]) -> tuple[bytes, bytes]:
        return min(digests[pair[0]], digests[pair[1]]), max(digests[pair[0]], digests[pair[1]])

    values = {pair: known.checked.get(key(pair)) for pair in todo}
    missing = [pair for pair, found in values.items() if not _is_checked(found)]
    uses = Counter(doc for pair in missing for doc in pair)
    cache: dict[int, set[int]] = {}

    def shingles(doc: int) -> set[int]:
        """The doc's shingle set, kept until its last pair is checked (and at most _CACHE of them)."""
        if doc not in cache:
            if len(cache) >= _CACHE:
                del cache[next(iter(cache))]
            cache[doc] = minhash.shingle_hashes(text(doc))
        found = cache[doc]
        uses[doc] -= 1
        if not uses[doc]:
            del cache[doc]
        return found

    for a, b in missing:
        sa, sb = shingles(a), shingles(b)
        values[(a, b)] = (round(minhash.jaccard(sa, sb), 3), round(minhash.containment(sa, sb), 3), min(len(sa), len(sb)))
    verified: list[Pair] = []
    for pair in todo:
        result.memory.checked[key(pair)] = values[pair]
        verified.append(Pair(*pair, *values[pair]))
    result.verified = len(verified)

    # Greedy, best ranked first: a representative is a copy of the most similar canonical ranked above it.
    partners: dict[int, list[Pair]] = {}
    for pair in verified:
        if pair.duplicate:
            partners.setdefault(pair.a, []).append(pair)
            partners.setdefault(pair.b, []).append(pair)
    canonical_of: dict[int, Pair] = {}
    for doc in reps:
        # Partners ranked above this one that stayed canonical; the most similar wins (then the best ranked).
        above = [p for p in partners.get(doc, []) if position[_other(p, doc)] < position[doc] and _other(p, doc) not in canonical_of]
        if above:
            canonical_of[doc] = min(above, key=lambda p: (-p.jaccard, -p.containment, position[_other(p, doc)]))

    for doc in rank:
        rep = representative.get(doc)
        if rep is None:
            continue
        if rep in canonical_of:
            pair = canonical_of[rep]
            canonical = _other(pair, rep)
            result.decisions[doc] = Decision(doc, canonical, "near", pair.jaccard, pair.containment)
        elif rep != doc:
            result.decisions[doc] = Decision(doc, rep, "exact", 1.0, 1.0)
    for doc in rank:
        if doc in result.decisions:
            result.copies.setdefault(result.decisions[doc].canonical, []).append(doc)

    misses = [p for p in verified if not p.duplicate and max(p.jaccard, p.containment) >= NEAR_MISS_FLOOR]
    misses.sort(key=lambda p: (-max(p.jaccard, p.containment), position[p.a], position[p.b]))
    result.near_misses = misses[:NEAR_MISS_REPORTED]
    return result


def _is_checked(found: object) -> bool:
    """A remembered check of the expected shape (a cache is trusted no further than that)."""
    return isinstance(found, tuple) and len(found) == 3 and all(type(v) is float for v in found[:2]) and type(found[2]) is int


def _worth_checking(est: np.ndarray, pairs: list[tuple[int, int]], sizes: dict[int, int]) -> np.ndarray:
    """For each pair: True when its Jaccard estimate `est` (or the containment derived from it and the sizes)
    is near enough a threshold to check. Elementwise, the same float operations as a plain loop."""
    a = np.array([sizes[p] for p, _ in pairs], dtype=np.int64)
    b = np.array([sizes[q] for _, q in pairs], dtype=np.int64)
    small, large = np.minimum(a, b), np.maximum(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        est_contain = np.where(small > 0, np.minimum(1.0, est * (small + large) / ((1.0 + est) * small)), 0.0)
    near = est >= NEAR_THRESHOLD - VERIFY_MARGIN
    contained = (small >= CONTAIN_MIN_SHINGLES) & (est_contain >= CONTAIN_THRESHOLD - CONTAIN_MARGIN)
    return near | contained


def _other(pair: Pair, doc: int) -> int:
    return pair.b if pair.a == doc else pair.a


_EMPTY_SIG = minhash.signature(set())
