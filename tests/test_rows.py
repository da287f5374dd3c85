"""build_tools/rows.py: tables of per-document lists stored end to end."""

from __future__ import annotations

import random
from itertools import pairwise

import numpy as np
import pytest

from build_tools.rows import Rows, joined, offsets, rows_at


def table(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    return offsets([len(r) for r in rows]), np.array([v for r in rows for v in r], dtype=np.int64)


def plain_join(old: list[list[int]], new: list[list[int]], rows: list[int]) -> list[list[int]]:
    """Row d: old[rows[d]] when rows[d] >= 0, else the next of `new`."""
    fresh = iter(new)
    return [old[r] if r >= 0 else next(fresh) for r in rows]


@pytest.mark.parametrize("seed", range(8))
def test_joined_is_the_plain_join(seed):
    rng = random.Random(seed)
    old = [[rng.randrange(100) for _ in range(rng.randrange(4))] for _ in range(rng.randrange(0, 30))]
    count = rng.randrange(0, 40)
    kept = sorted(rng.sample(range(len(old)), min(len(old), rng.randrange(0, count + 1))))
    rows = [-1] * count
    for place, row in zip(sorted(rng.sample(range(count), len(kept))), kept, strict=True):
        rows[place] = row
    new = [[rng.randrange(100, 200) for _ in range(rng.randrange(4))] for r in rows if r < 0]
    (old_start, old_values), (new_start, new_values) = table(old), table(new)
    plan, start = joined(old_start, new_start, np.array(rows, dtype=np.int64))
    values = plan.take(old_values, new_values)
    expected = plain_join(old, new, rows)
    assert [values[a:b].tolist() for a, b in pairwise(start.tolist())] == expected
    if all(r >= 0 for r in rows) and rows == list(range(len(rows))):
        assert len(plan.pieces) <= 1  # an unchanged table is one copy


def test_rows_at_and_rows_of():
    start, values = table([[1, 2], [], [3], [4, 5, 6]])
    assert values[rows_at(start, np.array([3, 0]))].tolist() == [4, 5, 6, 1, 2]
    made = Rows.of(3, np.array([2, 0, 0, 2]), np.array([5, 7, 6, 1]), np.array([0.5, 0.1, 0.9, 0.5]))
    assert made.lists() == [[(6, 0.9), (7, 0.1)], [], [(1, 0.5), (5, 0.5)]]  # best first, ties: lower document
    assert made.where(made.doc != 7).lists() == [[(6, 0.9)], [], [(1, 0.5), (5, 0.5)]]
