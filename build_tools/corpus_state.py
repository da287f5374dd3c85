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
makes it unusable (cache.code_version), and so does a damaged file (a CRC-32 of the pickle is checked before
it is loaded) or any doubt about its shape. Then the pass starts afresh, and so it does when too many of
the words it numbered are no longer used (`worn`).
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import duplicates as dup
from . import related as rel
from . import safe_pickle
from . import state as state_files
from .analysis import Numbered
from .cache import code_version, store
from .files import NotRegular, read_regular
from .keywords import Weighting
from .rows import Rows

Related = list[tuple[int, float, list[str]]]
FILE = state_files.CORPUS_STATE.name  # in the cache folder


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
    """The state saved at `path`; None when there is none, it is of other code, or (said on stderr) it is damaged
    (its checksum), unreadable, not a regular file or of a wrong shape: then the pass starts afresh."""
    if path is None:
        return None
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return None
    except NotRegular as error:
        return _damaged(path, f"{error.strerror}{state_files.NOT_A_FILE}")
    except OSError as error:
        return _damaged(path, f"{error.strerror or error}, cannot be read")
    checksum, payload = data[:4], data[4:]
    if len(data) < 4 or int.from_bytes(checksum, "big") != zlib.crc32(payload):
        return _damaged(path, "damaged (its checksum does not match)")
    try:
        saved, state = safe_pickle.loads(payload)  # type: ignore[misc]  # data classes only: a pickle cannot run code
    except Exception:  # a cache: whatever is wrong with it, it is not used
        return _damaged(path, "damaged (not a state)")
    if saved != version():
        return None
    return state if _well_formed(state) else _damaged(path, "of a wrong shape")


def _damaged(path: Path, problem: str) -> None:
    state_files.warn(path, problem, state_files.action(state_files.CORPUS_STATE, problem, "not used"))


def _well_formed(state: object) -> bool:
    """True when `state` is a State whose tables all have one row per document."""
    if not isinstance(state, State) or not isinstance(state.memory, dup.Memory):
        return False
    n = len(state.keys)
    rows = (len(state.found.own.start) - 1, len(state.allowed.start) - 1, state.flat.count, len(state.numbered.start) - 1)
    return len(state.digests) == len(state.related) == n and all(r == n for r in rows) and len(state.cosines) == len(state.allowed.doc)


def save(path: Path | None, state: State) -> None:
    """Keep `state` for the next run: its pickle after a CRC-32 of it (cache.store: atomically, and a cache that
    cannot be written is no error)."""
    if path is not None:
        payload = pickle.dumps((version(), state), protocol=pickle.HIGHEST_PROTOCOL)
        store(path, zlib.crc32(payload).to_bytes(4, "big") + payload, path.parent)


def worn(state: State) -> bool:
    """True when more than a fifth of the words the state has numbered are used by no document any more (words
    of articles since edited or removed stay numbered, so the tables would grow with every edit): then the
    pass numbers them afresh."""
    used_words = np.count_nonzero(np.bincount(state.numbered.ids, minlength=len(state.numbered.words)))
    used_names = len(np.unique(state.flat.word))
    return used_words < 0.8 * len(state.numbered.words) or used_names < 0.8 * len(state.flat.names)


@dataclass
class Match:
    """How this run's documents map to the last run's (documents kept keep their relative order)."""

    old_doc: np.ndarray  # this run's document -> the last run's number of the same key, -1 for a new one
    old_to_new: np.ndarray  # the last run's document -> this run's, -1 for one gone
    same_words: np.ndarray  # True where the document's segmentation is the one it had
    new_of: list[int]  # old_to_new as a list


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
