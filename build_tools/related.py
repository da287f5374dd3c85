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

import itertools
import math
from collections.abc import Callable

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


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def shared(a: dict[str, float], b: dict[str, float], preferred: frozenset[str] = frozenset(), n: int = SHARED_TERMS) -> list[str]:
    """The words two vectors share: `preferred` ones first, each group by the weight it adds to the similarity.

    The caller prefers the domain terms that are not in most articles of the corpus: 劳模精神 tells a
    reader why two texts belong together; 工会工作, in every text of this library, does not.
    """
    order = {t: i for i, t in enumerate(a)}
    common = [t for t in a if t in b]
    return sorted(common, key=lambda t: (t not in preferred, -(a[t] * b[t]), order[t]))[:n]


def candidates(vectors: list[dict[str, float]], per_doc: int) -> list[list[tuple[int, float]]]:
    """For each vector, its `per_doc` best others by (index-approximated) cosine, best first, plus every
    vector that counts it among its own best (so at most about 2 * per_doc)."""
    postings: dict[str, list[tuple[int, float]]] = {}
    for doc, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings.setdefault(term, []).append((doc, weight))
    for term, posting in postings.items():
        if len(posting) > MAX_POSTING:
            posting.sort(key=lambda p: (-p[1], p[0]))
            postings[term] = posting[:MAX_POSTING]
    best: list[dict[int, float]] = []
    for doc, vector in enumerate(vectors):
        scores: dict[int, float] = {}
        get = scores.get
        for term, weight in itertools.islice(vector.items(), QUERY_TERMS):
            for other, w in postings[term]:
                scores[other] = get(other, 0.0) + weight * w
        scores.pop(doc, None)
        best.append(dict(sorted(scores.items(), key=lambda s: (-s[1], s[0]))[:per_doc]))
    # Symmetric: when b is among a's best, a is a candidate of b too (b's own query may have missed a).
    for doc in range(len(best)):
        for other, score in list(best[doc].items()):
            if doc not in best[other]:
                best[other][doc] = score
    return [sorted(found.items(), key=lambda s: (-s[1], s[0])) for found in best]


def related(
    vectors: list[dict[str, float]],
    found: list[list[tuple[int, float]]],
    allowed: Callable[[int, int], bool],
    n: int,
    preferred: frozenset[str] = frozenset(),
) -> list[list[tuple[int, float, list[str]]]]:
    """For each document: up to n (other, cosine, shared words), best first, cosine >= MIN_SIMILARITY.

    `found` are the candidates of `candidates`; `allowed(doc, other)` says whether other may be listed;
    `preferred` are the words to show first as the reason (see `shared`).
    The exact cosine is recomputed for each candidate (the index may have cut a posting short).
    """
    result = []
    for doc, cands in enumerate(found):
        scored = []
        for other, _ in cands:
            if allowed(doc, other):
                sim = round(cosine(vectors[doc], vectors[other]), 3)
                if sim >= MIN_SIMILARITY:
                    scored.append((other, sim))
        scored.sort(key=lambda s: (-s[1], s[0]))
        result.append([(other, sim, shared(vectors[doc], vectors[other], preferred)) for other, sim in scored[:n]])
    return result
