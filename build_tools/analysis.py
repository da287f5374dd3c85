"""Segment every article once: its content-word counts and the sentence where each domain term first appears.

Segmentation (jieba, pure Python) is most of the corpus pass's time, so for a large corpus it runs in
worker processes, one per CPU (forked: they inherit the loaded dictionary). The result does not depend on
how many workers ran: each article is segmented on its own and the results come back in input order.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import marshal
import multiprocessing
import os
import sys
import tracemalloc
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba

from .concordance import sentence_at, terms_in
from .keywords import is_content_word
from .terms import domain_terms, tokenizer

# Articles from which forked workers pay for their start-up (346 synthetic articles: 2.95 s -> 2.67 s, 2 busy cores).
PARALLEL_FROM = 300

_content: dict[str, bool] = {}


@dataclass
class Analysis:
    """What segmentation tells about one article, kept compact (vocabulary ids, not strings)."""

    words: array  # vocabulary ids of its content words, in order of first appearance
    counts: array  # how often each occurs
    terms: dict[str, str]  # domain term -> sentence where it first appears, in dictionary order


def segment(texts: list[str]) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """Content words with counts (first appearance order) and domain term -> first sentence.

    `texts` are the article's blocks followed by its title; a term seen only in the title gets the title
    as its sentence.
    """
    tok = tokenizer()
    counts: Counter[str] = Counter()
    found: dict[str, str] = {}
    last = len(texts) - 1
    for n, text in enumerate(texts):
        tokens = tok.lcut(text, HMM=False)
        block_counts = Counter(tokens)
        counts.update(block_counts)
        if not any(t not in found for w in block_counts for t in terms_in(w)):
            continue
        pos = 0
        for word in tokens:
            for term in terms_in(word):
                if term not in found:
                    found[term] = text if n == last else sentence_at(text, pos + word.index(term), term)
            pos += len(word)
    words = []
    for word, count in counts.items():
        known = _content.get(word)
        if known is None:
            known = _content[word] = is_content_word(word)
        if known:
            words.append((word, count))
    order = {t: i for i, t in enumerate(domain_terms())}
    return words, dict(sorted(found.items(), key=lambda kv: order[kv[0]]))


def analyze_all(documents: list[list[str]], cache_file: Path | None = None) -> tuple[list[Analysis], list[str]]:
    """Analyses of every document (texts as for `segment`) and the shared vocabulary (id -> word).

    With `cache_file`, segmentations of documents seen in the last run (same texts, same dictionary and
    code) are taken from it, and it is rewritten with this run's: a rebuild segments only what changed.
    """
    keys = [_key(texts) for texts in documents]
    cached = _load(cache_file)
    todo: dict[str, int] = {}  # key -> first document with it: a text that occurs twice is segmented once
    for i, key in enumerate(keys):
        if key not in cached:
            todo.setdefault(key, i)
    fresh = dict(zip(todo, map(_pack, _segment_all([documents[i] for i in todo.values()])), strict=True))
    results = [fresh[key] if key in fresh else cached[key] for key in keys]
    if cache_file is not None and (fresh or len(cached) != len(set(keys))):
        _save(cache_file, dict(zip(keys, results, strict=True)))
    return _collect(results)


# One segmentation, packed (few objects: quick to save, load and hand over): its content words joined by
# newlines (a content word is Han characters only), their counts as the bytes of an array("I"), its terms.
Packed = tuple[str, bytes, dict[str, str]]


def _pack(segmented: tuple[list[tuple[str, int]], dict[str, str]]) -> Packed:
    pairs, found = segmented
    return "\n".join(w for w, _ in pairs), array("I", [c for _, c in pairs]).tobytes(), found


def _valid(entry: object) -> bool:
    """A cache entry of the expected shape (a cache file is trusted no further than that)."""
    return (
        isinstance(entry, tuple)
        and len(entry) == 3
        and isinstance(entry[0], str)
        and isinstance(entry[1], bytes)
        and isinstance(entry[2], dict)
        and len(entry[1]) == 4 * (entry[0].count("\n") + 1 if entry[0] else 0)
    )


def _segment_all(documents: list[list[str]]) -> list[tuple[list[tuple[str, int]], dict[str, str]]]:
    """`segment` over every document, in worker processes for a large corpus; results in input order."""
    if not documents:
        return []
    tokenizer()  # load the dictionary once, before any fork
    workers = min(os.cpu_count() or 1, 8)
    if len(documents) >= PARALLEL_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        chunk = max(1, min(64, len(documents) // (workers * 16)))
        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
            return list(pool.imap(segment, documents, chunksize=chunk))
    return [segment(texts) for texts in documents]


@lru_cache(maxsize=1)
def _version() -> str:
    """What a segmentation depends on besides the text: this code, the word lists, jieba's version."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in [
        here / "analysis.py",
        here / "keywords.py",
        here / "concordance.py",
        here / "terms.py",
        *sorted((here / "data").glob("*.txt")),
    ]:
        digest.update(path.read_bytes())
    digest.update(jieba.__version__.encode())
    digest.update(importlib.metadata.version("rjieba").encode())  # the segmenter (terms.Segmenter)
    return digest.hexdigest()


def _key(texts: list[str]) -> str:
    return hashlib.sha256(("\x1f".join(texts) + "\x1e" + _version()).encode("utf-8")).hexdigest()


def _load(cache_file: Path | None) -> dict[str, Packed]:
    """The cached segmentations; nothing when the file is missing, unreadable or of another Python or code."""
    if cache_file is None or not cache_file.exists():
        return {}
    try:
        version, data = marshal.loads(cache_file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if version != _file_version() or not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if _valid(v)}


def _file_version() -> str:
    """marshal's format is Python's own: a file from another Python (or code) is not read."""
    return f"{sys.version} {marshal.version} {_version()}"


def _save(cache_file: Path, data: dict[str, Packed]) -> None:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache_file.with_suffix(".tmp")
    tmp.write_bytes(marshal.dumps((_file_version(), data)))
    os.replace(tmp, cache_file)


def _worker_start() -> None:
    """A forked worker inherits the parent's allocation tracing (a benchmark's), which slows jieba tenfold."""
    if tracemalloc.is_tracing():
        tracemalloc.stop()


def _collect(packed: list[Packed]) -> tuple[list[Analysis], list[str]]:
    """Intern each document's words into one vocabulary, in input order (ids in order of first appearance)."""
    vocabulary: dict[str, int] = {}
    intern = vocabulary.setdefault
    analyses = []
    for joined, counts, found in packed:
        ids = array("I", [intern(w, len(vocabulary)) for w in joined.split("\n")] if joined else [])
        number = array("I")
        number.frombytes(counts)
        analyses.append(Analysis(ids, number, found))
    return analyses, list(vocabulary)
