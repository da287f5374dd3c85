"""related.candidates (numpy) gives exactly what the plain loop over the inverted index gives."""

from __future__ import annotations

import itertools
import random

import pytest

from build_tools import related


def plain_candidates(vectors: list[dict[str, float]], per_doc: int) -> list[list[tuple[int, float]]]:
    """The inverted-index search written as plain loops (what related.candidates did before numpy)."""
    postings: dict[str, list[tuple[int, float]]] = {}
    for doc, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings.setdefault(term, []).append((doc, weight))
    for term, posting in postings.items():
        if len(posting) > related.MAX_POSTING:
            posting.sort(key=lambda p: (-p[1], p[0]))
            postings[term] = posting[: related.MAX_POSTING]
    best: list[dict[int, float]] = []
    for doc, vector in enumerate(vectors):
        scores: dict[int, float] = {}
        for term, weight in itertools.islice(vector.items(), related.QUERY_TERMS):
            for other, w in postings[term]:
                scores[other] = scores.get(other, 0.0) + weight * w
        scores.pop(doc, None)
        best.append(dict(sorted(scores.items(), key=lambda s: (-s[1], s[0]))[:per_doc]))
    for doc in range(len(best)):
        for other, score in list(best[doc].items()):
            if doc not in best[other]:
                best[other][doc] = score
    return [sorted(found.items(), key=lambda s: (-s[1], s[0])) for found in best]


def candidate_lists(vectors: list[dict[str, float]], per_doc: int) -> list[list[tuple[int, float]]]:
    """related.candidates of the vectors, as plain lists."""
    return related.candidates(related.Flat.of(vectors), per_doc).both.lists()


def random_vectors(seed: int, count: int, words: int, terms: int, levels: int) -> list[dict[str, float]]:
    """Unit vectors over a small vocabulary; few weight levels, so equal scores (ties) are common."""
    rng = random.Random(seed)
    vectors = []
    for _ in range(count):
        chosen = rng.sample(range(words), rng.randint(0, terms))
        weights = {f"w{t}": rng.randint(1, levels) / levels for t in chosen}
        vectors.append(related.unit_vector(weights, sorted(weights, key=lambda w: -weights[w])))
    return vectors


@pytest.mark.parametrize(("seed", "count", "block"), [(1, 60, 1 << 20), (2, 200, 1000), (3, 150, 1), (4, 1, 1 << 20), (5, 0, 1 << 20)])
def test_candidates_are_the_plain_loops_floats_and_order(seed, count, block, monkeypatch):
    monkeypatch.setattr(related, "MAX_POSTING", 16)  # postings cut short, as words in many documents are
    monkeypatch.setattr(related, "QUERY_TERMS", 12)
    monkeypatch.setattr(related, "BLOCK_CELLS", block)  # one document per block up to all in one
    vectors = random_vectors(seed, count, words=40, terms=25, levels=3)
    assert candidate_lists(vectors, 5) == plain_candidates(vectors, 5)


def test_candidates_with_the_real_parameters():
    vectors = random_vectors(9, 300, words=400, terms=120, levels=50)
    assert candidate_lists(vectors, 20) == plain_candidates(vectors, 20)


def plain_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The cosine of two unit vectors as a plain loop: the products of their shared words, in the shorter's order."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


@pytest.mark.parametrize("block", [1, 3, 32])
def test_cosines_are_the_floats_of_cosine(block, monkeypatch):
    monkeypatch.setattr(related, "COSINE_BLOCK", block)
    rng = random.Random(block)
    vectors = [*random_vectors(11, 80, words=60, terms=30, levels=7), {}, {"w1": 1.0}]
    pairs = [(rng.randrange(len(vectors)), rng.randrange(len(vectors))) for _ in range(3000)]
    expected = [plain_cosine(vectors[a], vectors[b]) for a, b in pairs]
    assert related.cosines(related.Flat.of(vectors), pairs) == expected
    assert related.cosines(related.Flat.of(vectors), []) == []


def test_forked_workers_give_the_serial_result(monkeypatch):
    from build_tools import forked

    rng = random.Random(11)
    words = [f"词{i}" for i in range(300)]
    vectors = []
    for _ in range(120):
        chosen = rng.sample(words, rng.randint(1, 60))
        vectors.append(related.unit_vector({w: rng.random() + 0.01 for w in chosen}, chosen))
    pairs = [(rng.randrange(120), rng.randrange(120)) for _ in range(2000)]
    serial = candidate_lists(vectors, 10), related.cosines(related.Flat.of(vectors), pairs)
    forks: list[int] = []
    real = forked.map_blocks
    monkeypatch.setattr(related, "PARALLEL_FROM", 0)
    monkeypatch.setattr(related, "map_blocks", lambda *a, **k: forks.append(k["parallel"]) or real(*a, **k))
    monkeypatch.setattr(related, "BLOCK_CELLS", 120 * 7)  # several blocks of documents
    monkeypatch.setattr(related, "COSINE_BLOCK", 5)
    assert (candidate_lists(vectors, 10), related.cosines(related.Flat.of(vectors), pairs)) == serial
    assert forks == [True, True]
