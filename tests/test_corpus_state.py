"""A corpus pass that reuses the last run's results (build_tools/corpus_state.py) gives what a fresh pass gives."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from conftest import SOURCES

from build_tools import corpus_state, keywords, related, synth
from build_tools.article import Block, Source
from build_tools.corpus import corpus_pass
from build_tools.pipeline import convert
from build_tools.publish import article_key
from build_tools.settings import load, settings_path

SENTENCE = "各级工会要把职工之家建设摆在更加突出的位置，推动职代会制度落到实处。"


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    """The seeds and 120 generated sources, converted (with their features)."""
    src = tmp_path_factory.mktemp("state") / "src"
    shutil.copytree(SOURCES, src)
    synth.generate(120, src / "synth", 3)
    return convert(src, lambda rel: load(settings_path(src / rel))).articles


def _paths(articles):
    return {article_key(a): f"articles/{article_key(a).replace('/', '_').replace('#', '-')}.md" for a in articles}


def _same(a, b):
    assert a.meta == b.meta
    assert a.terms == b.terms
    assert a.report == b.report


def _appended(article, text=SENTENCE):
    return dataclasses.replace(article, blocks=[*article.blocks, Block("paragraph", text)], features=None)


@pytest.fixture
def coarse(monkeypatch):
    """Counts coarse from 8 on (the real threshold is 64): a corpus of 130 articles then behaves like a large one."""
    monkeypatch.setattr(keywords, "EXACT_COUNTS", 8)
    monkeypatch.setattr(keywords, "COUNT_BITS", 3)


def test_a_rebuild_after_each_kind_of_edit_is_a_fresh_pass(articles, tmp_path, coarse):
    state = tmp_path / "corpus-state.pickle"
    current = list(articles)
    corpus_pass(current, _paths(current), state)
    middle = len(current) // 2
    new = dataclasses.replace(current[3], source=Source("zz_new.txt", "0" * 64, "utf-8"), features=None)
    edits = [
        ("one sentence appended", lambda arts: [*arts[:middle], _appended(arts[middle]), *arts[middle + 1 :]]),
        ("nothing changed", lambda arts: arts),
        ("an article removed", lambda arts: arts[:5] + arts[6:]),
        ("an article added", lambda arts: [*arts, new]),
        (
            "a copy of another article",
            lambda arts: [*arts[:10], dataclasses.replace(arts[10], blocks=arts[40].blocks, features=None), *arts[11:]],
        ),
        (
            "many words changed",
            lambda arts: [_appended(a, "劳模精神工匠精神职工之家集体协商。") if i % 7 == 0 else a for i, a in enumerate(arts)],
        ),
        # 劳模精神 in more than half the articles: no longer a preferred reason (shared words change, cosines do not)
        ("a domain term everywhere", lambda arts: [_appended(a, "弘扬劳模精神。") if i % 3 else a for i, a in enumerate(arts)]),
        ("ten articles removed: the article count moves its coarse step", lambda arts: arts[10:]),
        ("the articles in another order", lambda arts: arts[::-1]),
        ("none left", lambda arts: []),
        ("all back", lambda arts: list(articles)),
    ]
    for name, edit in edits:
        current = edit(current)
        paths = _paths(current)
        rebuilt = corpus_pass(current, paths, state)
        _same(rebuilt, corpus_pass(current, paths))
        assert corpus_state.load(state).keys == [article_key(a) for a in current], name
        if name == "a domain term everywhere":
            assert "劳模精神" not in corpus_state.load(state).preferred


def test_an_unchanged_corpus_is_looked_up_again_nowhere(articles, tmp_path, monkeypatch):
    state = tmp_path / "corpus-state.pickle"
    paths = _paths(articles)
    first = corpus_pass(articles, paths, state)
    looked_up: list[int] = []
    real_best = related.Index.best
    monkeypatch.setattr(related.Index, "best", lambda self, docs, per_doc: looked_up.extend(docs) or real_best(self, docs, per_doc))
    real_cosines = related.cosines
    compared: list[int] = []
    monkeypatch.setattr(related, "cosines", lambda flat, pairs: compared.extend(pairs) or real_cosines(flat, pairs))
    again = corpus_pass(articles, paths, state)
    _same(first, again)
    assert looked_up == [] and compared == []


def test_one_appended_sentence_recomputes_few_vectors(articles, tmp_path, monkeypatch, coarse):
    from build_tools import corpus

    state = tmp_path / "corpus-state.pickle"
    corpus_pass(articles, _paths(articles), state)
    weighted: list[int] = []
    real = corpus.heaviest_all
    monkeypatch.setattr(corpus, "heaviest_all", lambda docs, *rest: weighted.append(len(docs)) or real(docs, *rest))
    compared: list[int] = []
    real_cosines = related.cosines
    monkeypatch.setattr(related, "cosines", lambda flat, pairs: compared.append(len(pairs)) or real_cosines(flat, pairs))
    edited = [*articles[:50], _appended(articles[50]), *articles[51:]]
    rebuilt = corpus_pass(edited, _paths(edited), state)
    fresh = corpus_pass(edited, _paths(edited))
    _same(rebuilt, fresh)
    assert 1 <= weighted[0] < len(articles) // 2  # vectors: the edited article's and those whose words' IDF moved
    assert 1 <= compared[0] < compared[1] // 2  # cosines: the pairs with one of those vectors


def test_a_state_of_other_code_or_damaged_is_not_used(articles, tmp_path, monkeypatch):
    state = tmp_path / "corpus-state.pickle"
    paths = _paths(articles)
    fresh = corpus_pass(articles, paths, state)
    assert corpus_state.load(state) is not None
    monkeypatch.setattr(corpus_state, "version", lambda: "other code")
    assert corpus_state.load(state) is None
    _same(corpus_pass(articles, paths, state), fresh)
    state.write_bytes(b"not a pickle")
    assert corpus_state.load(state) is None
    _same(corpus_pass(articles, paths, state), fresh)
    monkeypatch.undo()
    data = bytearray(state.read_bytes())
    data[len(data) // 2] ^= 0x10  # one bit flipped in the middle of the pickle: caught by the checksum
    state.write_bytes(bytes(data))
    assert corpus_state.load(state) is None
    _same(corpus_pass(articles, paths, state), fresh)
    assert not list(tmp_path.glob(".*.tmp-*"))  # no temporary file left behind


def test_words_no_article_uses_any_more_are_dropped_in_time(articles, tmp_path):
    state = tmp_path / "corpus-state.pickle"
    corpus_pass(articles, _paths(articles), state)
    few = articles[:3]  # most words of the corpus gone: still numbered in the state, used by no article
    _same(corpus_pass(few, _paths(few), state), corpus_pass(few, _paths(few)))
    assert corpus_state.worn(corpus_state.load(state))
    _same(corpus_pass(few, _paths(few), state), corpus_pass(few, _paths(few)))  # this pass numbers them afresh
    again = corpus_state.load(state)
    assert not corpus_state.worn(again)
    assert set(again.numbered.ids.tolist()) == set(range(len(again.numbered.words)))  # every word numbered is used
