"""Segment every article once: its content-word counts and the sentence where each domain term first appears.

Segmentation (jieba, pure Python) is most of the corpus pass's time, so for a large corpus it runs in
worker processes, one per CPU (forked: they inherit the loaded dictionary). The result does not depend on
how many workers ran: each article is segmented on its own and the results come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
import tracemalloc
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .concordance import sentence_at, terms_in
from .keywords import is_content_word
from .terms import domain_terms, tokenizer

PARALLEL_FROM = 1500  # articles: below this, starting workers costs more than it saves

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


def analyze_all(documents: list[list[str]]) -> tuple[list[Analysis], list[str]]:
    """Analyses of every document (texts as for `segment`) and the shared vocabulary (id -> word)."""
    tokenizer()  # load the dictionary once, before any fork
    workers = min(os.cpu_count() or 1, 8)
    if len(documents) >= PARALLEL_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        chunk = max(1, min(64, len(documents) // (workers * 16)))
        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
            return _collect(pool.imap(segment, documents, chunksize=chunk))
    return _collect(map(segment, documents))


def _worker_start() -> None:
    """A forked worker inherits the parent's allocation tracing (a benchmark's), which slows jieba tenfold."""
    if tracemalloc.is_tracing():
        tracemalloc.stop()


def _collect(segmented: Iterator[tuple[list[tuple[str, int]], dict[str, str]]]) -> tuple[list[Analysis], list[str]]:
    """Intern each document's words into one vocabulary as the results arrive (in input order)."""
    vocabulary: dict[str, int] = {}
    words: list[str] = []
    analyses = []
    for pairs, found in segmented:
        ids = array("I")
        counts = array("I")
        for word, count in pairs:
            wid = vocabulary.get(word)
            if wid is None:
                wid = vocabulary[word] = len(words)
                words.append(word)
            ids.append(wid)
            counts.append(count)
        analyses.append(Analysis(ids, counts, found))
    return analyses, words
