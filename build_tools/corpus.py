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

from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from . import corpus_state as state_mod
from . import duplicates as dup
from . import related as rel
from .analysis import Numbered, Packed, number
from .article import Article
from .features import normal_text, with_features
from .keywords import Weighting, heaviest_all
from .publish import article_key
from .rows import Rows, rows_at
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


def corpus_pass(articles: list[Article], paths: dict[str, str], state_file: Path | None = None) -> CorpusResult:
    """Keywords, related articles, near-duplicates, compilation siblings and the term index.

    `paths` maps each article key (publish.article_key) to its page path under the docs folder.
    Returns extra front matter per article key, the term index (term -> [{page, title, sentence}]) and
    the report of every duplicate decision. Each article's features (features.py) come with it from the
    conversion, or are computed here. `state_file` keeps this run's results for the next, which reuses
    what did not change (build_tools/corpus_state.py): the same result, sooner.
    """
    n = len(articles)
    features = [a.features for a in with_features(articles)]
    keys = [article_key(a) for a in articles]
    pages = [paths[k] for k in keys]
    titles = [title_of(a) for a in articles]
    key_order = sorted(range(n), key=lambda i: (articles[i].source.path, articles[i].part))
    digests = [f.digest for f in features]
    last = state_mod.load(state_file)
    memory = dup.Memory() if last is None else last.memory
    matched = None if last is None or state_mod.worn(last) else state_mod.match(last, keys, digests)
    # From here on the last run's results are reused only when `matched` is not None (and then `last` is that run's).

    # 1. Each article's words (segmented with it); IDF learnt from this corpus.
    packed = [f.segmentation for f in features]
    kept_rows = None if matched is None else np.where(matched.same_words, matched.old_doc, -1)  # articles with the words they had
    numbered = number(packed, None if matched is None else last.numbered, kept_rows)
    words = numbered.words
    vocabulary = {w: i for i, w in enumerate(words)}
    df = np.bincount(numbered.ids, minlength=len(words)).tolist()  # vocabulary id -> articles using the word
    weighting = Weighting.learn({w: d for w, d in zip(words, df, strict=True) if d}, n, None if last is None else last.weighting.generic)
    flat, changed = _vectors(numbered, packed, weighting, last, matched)
    keywords = [[flat.names[w] for w in flat.word[a : min(b, a + KEYWORDS)].tolist()] for a, b in pairwise(flat.start.tolist())]

    # 2. Candidates by words; 3. copies (exact and near), canonical first by completeness, length, key.
    known = None if matched is None else rel.Known(last.flat, last.found, matched.old_doc, matched.old_to_new, changed)
    found = rel.candidates(flat, RELATED_CANDIDATES, known)
    first = found.both.place < DUPLICATE_HINTS
    hints = list(zip(found.both.owner[first].tolist(), found.both.doc[first].tolist(), strict=True))
    prints = [f.fingerprint for f in features]
    position = {doc: r for r, doc in enumerate(key_order)}
    rank = sorted(range(n), key=lambda i: (bool(articles[i].meta.get("truncated")), -prints[i].chars, position[i]))
    copies = dup.find_duplicates(prints, lambda i: normal_text(articles[i]), rank, hints, memory)

    # 4. Related: never itself, its copies or its canonical, nor anybody's copy.
    groups = {i: copies.group(i) for i in range(n) if i in copies.decisions or i in copies.copies}
    preferred = frozenset(t for t in domain_terms() if t in vocabulary and 0 < df[vocabulary[t]] <= COMMON_SHARE * n)
    allowed = rel.allowed(found.both, never=frozenset(copies.decisions), apart=groups)
    same_preferred = matched is not None and preferred == last.preferred  # shared words depend on them
    reused = _known_related(last, matched, allowed, changed) if same_preferred else {}
    pairs = None if matched is None else _known_pairs(last, matched, changed, n, with_shared=same_preferred)
    related, cosines = rel.related(flat, allowed, RELATED, preferred, reused, pairs)
    state_mod.save(
        state_file,
        state_mod.State(
            keys, digests, numbered, weighting, flat, found.for_next_run(), allowed, cosines, related, preferred, copies.memory
        ),
    )

    # 5. Compilations.
    sibling = siblings(articles, paths, titles)

    # Front matter.
    result = CorpusResult()
    for i in range(n):
        meta: dict[str, Any] = {}
        if keywords[i]:
            meta["keywords"] = keywords[i]
        if features[i].segmentation[2]:
            meta["terms"] = list(features[i].segmentation[2])
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
        for term, sentence in features[i].segmentation[2].items():
            index.setdefault(term, []).append({"page": pages[i], "title": titles[i], "sentence": sentence})
    order = {t: k for k, t in enumerate(domain_terms())}
    result.terms = dict(sorted(index.items(), key=lambda kv: order[kv[0]]))

    result.report = _report(keys, pages, copies, related, key_order, len(result.terms))
    return result


def _vectors(
    numbered: Numbered, packed: list[Packed], weighting: Weighting, last: state_mod.State | None, matched: state_mod.Match | None
) -> tuple[rel.Flat, np.ndarray]:
    """Each document's vector: its VECTOR_TERMS heaviest words, unit length; and which differ from the last run's.

    A document keeps its last vector when its words and their IDF are the ones it had.
    """
    n = len(packed)
    redo = np.ones(n, dtype=bool)
    words = numbered.words
    if matched is not None:
        moved = [i for i, w in enumerate(words) if w in weighting.idf and last.weighting.idf.get(w) != weighting.idf[w]]
        redo = ~matched.same_words
        uses = np.flatnonzero(np.isin(numbered.ids, moved))  # positions of those words (a few: no array per word)
        redo[np.searchsorted(numbered.start, uses, side="right") - 1] = True
    todo = np.flatnonzero(redo).tolist()
    documents = [(numbered.row(i), np.frombuffer(packed[i][1], dtype=np.uint32)) for i in todo]
    vectors = [
        rel.unit_vector(dict(zip(ranked, weights, strict=True)), ranked)
        for ranked, weights in heaviest_all(documents, words, weighting, rel.VECTOR_TERMS)
    ]
    if matched is None:
        return rel.Flat.of(vectors), redo
    flat = last.flat.join(np.where(redo, -1, matched.old_doc), vectors)
    changed = redo.copy()
    for i in todo:  # recomputed, and perhaps the same as before
        old = int(matched.old_doc[i])
        if old >= 0 and _same_row(flat, i, last.flat, old):
            changed[i] = False
    return flat, changed


def _same_row(a: rel.Flat, i: int, b: rel.Flat, j: int) -> bool:
    """True when vector i of `a` is vector j of `b` (the same word numbers and weights: `b` is what `a` was joined to)."""
    x, y = slice(a.start[i], a.start[i + 1]), slice(b.start[j], b.start[j + 1])
    return np.array_equal(a.word[x], b.word[y]) and np.array_equal(a.weight[x], b.weight[y])


def _known_related(last: state_mod.State, matched: state_mod.Match, allowed: Rows, changed: np.ndarray) -> dict[int, state_mod.Related]:
    """The documents whose related list is the last run's: same vector, same candidates allowed, none of
    whose vectors changed (and the same preferred words: the caller checks). Their lists, renumbered."""
    old = last.allowed
    size, old_size = np.diff(allowed.start), np.diff(old.start)
    mapped = matched.old_doc >= 0
    alike = mapped & ~changed
    alike[mapped] &= size[mapped] == old_size[matched.old_doc[mapped]]
    docs = np.flatnonzero(alike)
    mine, theirs = rows_at(allowed.start, docs), rows_at(old.start, matched.old_doc[docs])
    owner = np.repeat(np.arange(len(docs)), size[docs])
    bad = (allowed.doc[mine] != matched.old_to_new[old.doc[theirs]]) | changed[allowed.doc[mine]]
    alike[docs[np.bincount(owner, weights=bad, minlength=len(docs)) > 0]] = False
    new_of = matched.new_of
    return {
        doc: [(new_of[o], sim, terms) for o, sim, terms in last.related[o_doc]]
        for doc, o_doc in zip(np.flatnonzero(alike).tolist(), matched.old_doc[alike].tolist(), strict=True)
    }


def _known_pairs(last: state_mod.State, matched: state_mod.Match, changed: np.ndarray, n: int, with_shared: bool) -> rel.KnownPairs:
    """The last run's cosines of the pairs whose two vectors are unchanged, renumbered; and their shared words
    `with_shared` (when the preferred words are the same: the caller checks)."""
    first, second = matched.old_to_new[last.allowed.owner], matched.old_to_new[last.allowed.doc]
    ok = (first >= 0) & (second >= 0)
    ok[ok] &= ~changed[first[ok]] & ~changed[second[ok]]
    keys = first[ok] * n + second[ok]
    order = np.argsort(keys)
    shared = {}
    new_of = matched.new_of
    for old, listed in enumerate(last.related if with_shared else []):
        doc = new_of[old]
        if doc >= 0 and not changed[doc]:
            for other, _, terms in listed:
                if new_of[other] >= 0 and not changed[new_of[other]]:
                    shared[(doc, new_of[other])] = terms
    return rel.KnownPairs(keys[order], last.cosines[ok][order], shared, n)


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
