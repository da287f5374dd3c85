"""The corpus pass: the only step that sees all articles, and the only one that links them.

Takes every converted article and the page path of each (article key -> "articles/x.md"); gives the
extra front matter of each page, the term index and a report. Nothing is dropped: a copy keeps its
page and says which article it copies; every decision is in the report.

Front matter added (fields left out when empty; the schema is in CONTRIBUTING.md):
    keywords      up to KEYWORDS words, heaviest TF-IDF first (build_tools/keywords.py)
    terms         domain-dictionary terms the article uses, in dictionary order (build_tools/concordance.py)
    related       up to RELATED {page, title, shared} other articles, most similar first (build_tools/related.py)
    duplicate_of  {page, title, similarity} on a copy: the canonical text (build_tools/duplicates.py)
    duplicates    [{page, title, similarity}] on the canonical text: its copies
    siblings      {part, parts, previous, next, all} on each part of a compilation

Work is close to linear in the number of articles: each article comes segmented and fingerprinted
from the conversion (features.py); candidates come from an inverted index (related) and MinHash LSH
(duplicates), never all pairs. No timing goes into the output: the same articles give the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import duplicates as dup
from . import minhash
from . import related as rel
from .analysis import collect
from .article import Article
from .features import normal_text, with_features
from .keywords import Weighting, heaviest_all
from .publish import article_key
from .summary import title_of
from .terms import domain_terms

KEYWORDS = 8
RELATED = 5
RELATED_CANDIDATES = 20  # index candidates looked at per article before exclusions and the threshold
COMMON_SHARE = 0.5  # a domain term in more than this share of articles is not preferred as a shared term
DUPLICATE_HINTS = 3  # best related candidates per article are also checked as possible copies


@dataclass
class CorpusResult:
    """What the corpus pass adds: front matter per article key, the term index, a report."""

    meta: dict[str, dict[str, Any]] = field(default_factory=dict)  # article key -> extra front matter
    terms: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # term -> [{page, title, sentence}]
    report: dict[str, Any] = field(default_factory=dict)


def _link(page: str, title: str, **extra: Any) -> dict[str, Any]:
    return {"page": page, "title": title, **extra}


def siblings(articles: list[Article], paths: dict[str, str], titles: list[str]) -> dict[int, dict[str, Any]]:
    """For each part of a compilation (same source, parts > 1): its place and its siblings, both ways."""
    groups: dict[str, list[int]] = {}
    for i, article in enumerate(articles):
        if article.parts > 1:
            groups.setdefault(article.source.path, []).append(i)
    result = {}
    for members in groups.values():
        members.sort(key=lambda i: articles[i].part)
        every = [{"part": articles[i].part, "page": paths[article_key(articles[i])], "title": titles[i]} for i in members]
        for n, i in enumerate(members):
            entry: dict[str, Any] = {"part": articles[i].part, "parts": articles[i].parts}
            if n > 0:
                entry["previous"] = _link(every[n - 1]["page"], every[n - 1]["title"])
            if n + 1 < len(members):
                entry["next"] = _link(every[n + 1]["page"], every[n + 1]["title"])
            entry["all"] = [dict(e) for e in every]
            result[i] = entry
    return result


def _memory_version() -> str:
    """What a remembered checked pair depends on besides the texts: the shingling and rounding code."""
    return hashlib.sha256(Path(minhash.__file__).read_bytes() + Path(dup.__file__).read_bytes()).hexdigest()


def load_memory(path: Path | None) -> dup.Memory:
    """What the last run's duplicate search learnt; nothing when there is none, it is unreadable or of other code."""
    if path is None:
        return dup.Memory()
    try:
        with path.open("rb") as handle:
            version, memory = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
        return dup.Memory()
    valid = version == _memory_version() and isinstance(memory, dup.Memory)
    return memory if valid and isinstance(memory.checked, dict) else dup.Memory()


def save_memory(path: Path | None, memory: dup.Memory) -> None:
    """Keep this run's memory (only this run's texts: those gone since are dropped); an unwritable cache is no error."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump((_memory_version(), memory), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def corpus_pass(articles: list[Article], paths: dict[str, str], memory_file: Path | None = None) -> CorpusResult:
    """Keywords, related articles, near-duplicates, compilation siblings and the term index.

    `paths` maps each article key (publish.article_key) to its page path under the docs folder.
    Returns extra front matter per article key, the term index (term -> [{page, title, sentence}]) and
    the report of every duplicate decision. Each article's features (features.py) come with it from the
    conversion, or are computed here. `memory_file` keeps the pairs checked exactly between runs.
    """
    n = len(articles)
    features = [a.features for a in with_features(articles)]
    keys = [article_key(a) for a in articles]
    pages = [paths[k] for k in keys]
    titles = [title_of(a) for a in articles]
    key_order = sorted(range(n), key=lambda i: (articles[i].source.path, articles[i].part))

    # 1. Each article's words (segmented with it); IDF learnt from this corpus.
    analyses, words = collect([f.segmentation for f in features])
    vocabulary = {w: i for i, w in enumerate(words)}
    ids = np.frombuffer(b"".join(a.words.tobytes() for a in analyses), dtype=np.uint32)
    df = np.bincount(ids, minlength=len(words)).tolist()  # vocabulary id -> articles using the word
    weighting = Weighting.learn(dict(zip(words, df, strict=True)), n)
    keywords: list[list[str]] = []
    vectors: list[dict[str, float]] = []
    for ranked, weights in heaviest_all([(a.words, a.counts) for a in analyses], words, weighting, rel.VECTOR_TERMS):
        keywords.append(ranked[:KEYWORDS])
        vectors.append(rel.unit_vector(dict(zip(ranked, weights, strict=True)), ranked))

    # 2. Candidates by words; 3. copies (exact and near), canonical first by completeness, length, key.
    flat = rel.Flat.of(vectors)
    found = rel.candidates(vectors, RELATED_CANDIDATES, flat)
    hints = [(i, j) for i, cands in enumerate(found) for j, _ in cands[:DUPLICATE_HINTS]]
    prints = [f.fingerprint for f in features]
    position = {doc: r for r, doc in enumerate(key_order)}
    rank = sorted(range(n), key=lambda i: (bool(articles[i].meta.get("truncated")), -prints[i].chars, position[i]))
    copies = dup.find_duplicates(prints, lambda i: normal_text(articles[i]), rank, hints, load_memory(memory_file))
    save_memory(memory_file, copies.memory)

    # 4. Related: never itself, its copies or its canonical, nor anybody's copy.
    groups = {i: copies.group(i) for i in range(n) if i in copies.decisions or i in copies.copies}
    preferred = frozenset(t for t in domain_terms() if t in vocabulary and df[vocabulary[t]] <= COMMON_SHARE * n)
    related = rel.related(vectors, found, RELATED, preferred, never=frozenset(copies.decisions), apart=groups, flat=flat)

    # 5. Compilations.
    sibling = siblings(articles, paths, titles)

    # Front matter.
    result = CorpusResult()
    for i in range(n):
        meta: dict[str, Any] = {}
        if keywords[i]:
            meta["keywords"] = keywords[i]
        if analyses[i].terms:
            meta["terms"] = list(analyses[i].terms)
        if related[i]:
            meta["related"] = [_link(pages[j], titles[j], shared=terms) for j, _, terms in related[i]]
        if i in copies.decisions:
            d = copies.decisions[i]
            meta["duplicate_of"] = _link(pages[d.canonical], titles[d.canonical], similarity=d.similarity)
        if i in copies.copies:
            meta["duplicates"] = [_link(pages[c], titles[c], similarity=copies.decisions[c].similarity) for c in copies.copies[i]]
        if i in sibling:
            meta["siblings"] = sibling[i]
        result.meta[keys[i]] = meta

    # The term index: every article but copies (their canonical text is listed), in key order.
    index: dict[str, list[dict[str, str]]] = {}
    for i in key_order:
        if i in copies.decisions:
            continue
        for term, sentence in analyses[i].terms.items():
            index.setdefault(term, []).append({"page": pages[i], "title": titles[i], "sentence": sentence})
    order = {t: k for k, t in enumerate(domain_terms())}
    result.terms = dict(sorted(index.items(), key=lambda kv: order[kv[0]]))

    result.report = _report(keys, pages, copies, related, key_order, len(result.terms))
    return result


def _report(
    keys: list[str],
    pages: list[str],
    copies: dup.Duplicates,
    related: list[list[tuple[int, float, list[str]]]],
    key_order: list[int],
    terms: int,
) -> dict[str, Any]:
    """Every duplicate decision with its values and thresholds; what was compared; who has no related article."""
    decisions = []
    for i in key_order:
        if i in copies.decisions:
            d = copies.decisions[i]
            decisions.append(
                {
                    "article": keys[i],
                    "page": pages[i],
                    "duplicate_of": keys[d.canonical],
                    "canonical_page": pages[d.canonical],
                    "kind": d.kind,
                    "similarity": d.similarity,
                    "containment": d.containment,
                }
            )
    return {
        "articles": len(keys),
        "thresholds": {
            "near_duplicate_jaccard": dup.NEAR_THRESHOLD,
            "cut_off_copy_containment": dup.CONTAIN_THRESHOLD,
            "cut_off_copy_min_shingles": dup.CONTAIN_MIN_SHINGLES,
            "related_min_cosine": rel.MIN_SIMILARITY,
        },
        "pairs_considered": copies.candidates,
        "pairs_verified": copies.verified,
        "duplicates": decisions,
        "near_misses": [
            {"a": keys[p.a], "b": keys[p.b], "similarity": p.jaccard, "containment": p.containment} for p in copies.near_misses
        ],
        "related": {
            "linked_pairs": sum(len(r) for r in related),
            "without_related": [keys[i] for i in key_order if not related[i]],
        },
        "terms_indexed": terms,
    }
