"""What one corpus pass keeps for the next (build/cache/corpus-state.pickle), so a rebuild redoes only what changed.

The corpus pass (build_tools/corpus.py) is a chain of pure functions of the articles. The state holds
the last run's intermediate results, each with what it depended on, and a result is reused only when
none of that changed, so a rebuild gives the same bytes as a run without a state (tests/test_corpus_state.py):

- a document's word numbers depend on its segmentation (compared by its sha1, Features.digest);
- a document's vector depends on its segmentation and the IDF of its words (the last run's IDF is kept;
  counts are coarse, build_tools/keywords.py, so one edit rarely moves any);
- a document's index candidates depend on its vector and the postings of its query words
  (related.Known.stale compares them);
- the cosine of a pair of documents depends on their two vectors, its shared words on these and the
  preferred words; a document's related list on its vector, the candidates it may list and their vectors,
  and the preferred words;
- the duplicate search keeps the pairs it checked exactly, by the sha1 of their texts (duplicates.Memory).

The state is tied to the code: a change to the corpus pass's modules, build_tools/data/ or the libraries
makes it unusable (cache.code_version), and so does any doubt about its shape. Then the pass starts afresh.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import duplicates as dup
from . import related as rel
from .analysis import Numbered
from .cache import code_version
from .keywords import Weighting
from .rows import Rows

Related = list[tuple[int, float, list[str]]]


@dataclass
class State:
    """The last corpus pass's results, by its document numbers."""

    keys: list[str]  # article key of each document
    digests: list[bytes]  # each document's Features.digest (of its words and counts)
    numbered: Numbered  # each document's words, numbered
    weighting: Weighting  # the IDF the vectors were weighted with
    flat: rel.Flat  # the vectors
    found: rel.Candidates  # each document's own best candidates and the index's postings (Candidates.kept)
    allowed: Rows  # the candidates each document could list
    cosines: np.ndarray  # the cosine of each of those pairs (in the order of allowed.doc)
    related: list[Related]  # each document's related list
    preferred: frozenset[str]  # the words shown first as reasons
    memory: dup.Memory  # the pairs the duplicate search checked exactly


def version() -> str:
    """What a state depends on besides the articles: the corpus pass's code, its data, the libraries."""
    return code_version("corpus")


def load(path: Path | None) -> State | None:
    """The state saved at `path`; None when there is none, it is unreadable or of other code."""
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            saved, state = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError, MemoryError):
        return None
    if saved != version() or not isinstance(state, State) or not isinstance(state.memory, dup.Memory):
        return None
    n = len(state.keys)
    if not (
        len(state.digests)
        == len(state.found.own.start) - 1
        == len(state.allowed.start) - 1
        == len(state.related)
        == state.flat.count
        == len(state.numbered.start) - 1
        == n
    ) or len(state.cosines) != len(state.allowed.doc):
        return None
    return state


def save(path: Path | None, state: State) -> None:
    """Keep `state` for the next run (atomically); a cache that cannot be written is no error."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        with tmp.open("wb") as handle:
            pickle.dump((version(), state), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


@dataclass
class Match:
    """How this run's documents map to the last run's (documents kept keep their relative order)."""

    old_doc: np.ndarray  # this run's document -> the last run's number of the same key, -1 for a new one
    old_to_new: np.ndarray  # the last run's document -> this run's, -1 for one gone
    same_words: np.ndarray  # True where the document's segmentation is the one it had
    new_of: list[int]  # old_to_new as a list

    def to_new(self, docs: list[int]) -> list[int]:
        """The last run's document numbers `docs` in this run's numbering (-1 for one gone)."""
        return [self.new_of[d] for d in docs]


def match(state: State, keys: list[str], digests: list[bytes]) -> Match | None:
    """Map this run's documents (keys, segmentation digests) to the state's; None when the documents kept
    are not in the same order (then nothing is reused)."""
    where = {k: i for i, k in enumerate(state.keys)}
    old_doc = np.array([where.get(k, -1) for k in keys], dtype=np.int64)
    kept = old_doc >= 0
    if (np.diff(old_doc[kept]) <= 0).any():
        return None
    old_to_new = np.full(len(state.keys), -1, dtype=np.int64)
    old_to_new[old_doc[kept]] = np.flatnonzero(kept)
    same = np.array([o >= 0 and state.digests[o] == d for o, d in zip(old_doc.tolist(), digests, strict=True)], dtype=bool)
    return Match(old_doc, old_to_new, same, old_to_new.tolist())
