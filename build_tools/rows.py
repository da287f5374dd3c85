"""Rows: a list of values for each document, stored end to end in numpy arrays.

Row d of a table with offsets `start` is values[start[d]:start[d + 1]]. The corpus pass keeps every
per-document list this way (word ids, vectors, candidates): a few arrays instead of millions of Python
objects, quick to compute with, to save and to load (build_tools/corpus_state.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np


def offsets(sizes: np.ndarray | list[int]) -> np.ndarray:
    """The offsets `start` of rows of these sizes (len(sizes) + 1 of them, from 0)."""
    return np.concatenate(([0], np.cumsum(sizes, dtype=np.int64))).astype(np.int64)


def spans(first: np.ndarray, size: np.ndarray) -> np.ndarray:
    """first[i], first[i] + 1, ..., first[i] + size[i] - 1 for each i, end to end."""
    owner = np.repeat(np.arange(len(size)), size)
    before = np.cumsum(size) - size
    return (first[owner] + np.arange(len(owner)) - before[owner]).astype(np.int64)


def rows_at(start: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The positions of rows `docs` (in that order) of a table with offsets `start`."""
    docs = np.asarray(docs, dtype=np.int64)
    return spans(start[docs], start[docs + 1] - start[docs])


def joined(old_start: np.ndarray, new_start: np.ndarray, rows: np.ndarray) -> tuple[Joined, np.ndarray]:
    """How to build a table whose row d is row rows[d] of an old table when rows[d] >= 0, else the next row of
    a new one: the pieces to copy (see `Joined`) and the table's offsets. Consecutive rows that are consecutive
    in their table are copied as one piece, so a table that is mostly the old one costs a few copies."""
    rows = np.asarray(rows, dtype=np.int64)
    new, mine = rows < 0, rows >= 0
    rank = np.cumsum(new) - 1  # which row of the new table
    first = np.zeros(len(rows), dtype=np.int64)
    size = np.zeros(len(rows), dtype=np.int64)
    first[mine], size[mine] = old_start[rows[mine]], np.diff(old_start)[rows[mine]]
    first[new], size[new] = new_start[rank[new]], np.diff(new_start)[rank[new]]
    if not len(rows):
        return Joined([]), offsets(size)
    # A piece starts where the table changes, or where a row does not follow the previous one in its table.
    breaks = np.flatnonzero(np.concatenate(([True], (new[1:] != new[:-1]) | (first[1:] != first[:-1] + size[:-1]))))
    ends = first[breaks] + np.add.reduceat(size, breaks)
    pieces = list(zip(new[breaks].tolist(), first[breaks].tolist(), ends.tolist(), strict=True))
    return Joined(pieces), offsets(size)


@dataclass
class Joined:
    """Pieces (from the new table?, first, end) to copy, in order: see `joined`."""

    pieces: list[tuple[bool, int, int]]

    def take(self, old: np.ndarray, new: np.ndarray) -> np.ndarray:
        """The values of the joined table, from the old table's values and the new one's."""
        parts = [(new if fresh else old)[a:b] for fresh, a, b in self.pieces]
        return np.concatenate(parts) if parts else old[:0]


@dataclass
class Rows:
    """A list of (document, score) for each document, best first (higher score, then lower document)."""

    start: np.ndarray
    doc: np.ndarray
    score: np.ndarray

    @classmethod
    def of(cls, n: int, owner: np.ndarray, doc: np.ndarray, score: np.ndarray) -> Rows:
        """Rows of n documents from entries (owner, doc, score) in any order."""
        order = np.lexsort((doc, -score, owner))
        return cls(offsets(np.bincount(owner, minlength=n)), doc[order].astype(np.int64), score[order].astype(np.float64))

    @classmethod
    def grouped(cls, n: int, owner: np.ndarray, doc: np.ndarray, score: np.ndarray) -> Rows:
        """Rows of n documents from entries (owner, doc, score) where each owner's entries are already best first
        (in any order of owners): only brought together, not sorted again."""
        order = np.argsort(owner, kind="stable")
        return cls(offsets(np.bincount(owner, minlength=n)), doc[order].astype(np.int64), score[order].astype(np.float64))

    def where(self, keep: np.ndarray) -> Rows:
        """The entries where `keep` is True (in their order)."""
        return Rows(offsets(np.bincount(self.owner[keep], minlength=len(self.start) - 1)), self.doc[keep], self.score[keep])

    @property
    def owner(self) -> np.ndarray:
        """The document each entry belongs to."""
        return np.repeat(np.arange(len(self.start) - 1), np.diff(self.start))

    @property
    def place(self) -> np.ndarray:
        """Each entry's place in its row (0: the best)."""
        return np.arange(len(self.doc)) - self.start[self.owner]

    def lists(self) -> list[list[tuple[int, float]]]:
        """As plain lists."""
        docs, scores = self.doc.tolist(), self.score.tolist()
        return [list(zip(docs[a:b], scores[a:b], strict=True)) for a, b in pairwise(self.start.tolist())]
