"""Word segmentation (build_tools/terms.py): rjieba cuts exactly as jieba does, domain terms whole."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from build_tools import terms

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[str]:
    """Real text: the seeds' converted articles and the imitated sites' raw texts."""
    pages = sorted((ROOT / "docs" / "articles").glob("*.md")) + sorted((ROOT / "tests" / "fixtures" / "sites").glob("*.txt"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in pages]


def test_segmenter_cuts_every_text_as_jieba_does():
    reference = terms.jieba_tokenizer()
    texts = _texts()
    assert len(texts) > 20
    for text in texts:
        assert terms.tokenizer().lcut(text, HMM=False) == reference.lcut(text, HMM=False)
    # and the short windows `crosses_word` cuts, at every line break of the seeds
    for text in texts[:9]:
        lines = text.splitlines()
        for a, b in itertools.pairwise(lines):
            window = a[-4:] + b[:4]
            assert terms.tokenizer().lcut(window) == reference.lcut(window, HMM=False), window


def test_domain_terms_are_cut_whole():
    for term in ("职工之家", "集体协商", "劳模精神", "送温暖"):
        assert term in terms.tokenizer().lcut(f"各级工会要做好{term}工作")
    assert terms.words("建设职工之家，发挥工会组织作用") == ["建设", "职工之家", "，", "发挥", "工会组织", "作用"]


def test_new_word_guessing_is_refused():
    with pytest.raises(ValueError):
        terms.tokenizer().lcut("职工之家", HMM=True)


def test_dictionary_frequencies_are_jiebas_own():
    freq, _ = terms._general_dictionary()  # the whole dictionary as jieba loads it
    prefix = next(w for w, f in freq.items() if f == 0 and len(w) > 2)  # only the start of longer words
    words = [*terms.domain_terms(), "工会", "职工", "中华人民共和国", prefix, "不是一个词语"]
    assert "不是一个词语" not in freq
    assert terms._frequencies_in_dictionary(frozenset(words)) == {w: freq[w] for w in words if freq.get(w)}
    assert terms.term_frequencies() == {t: max(freq.get(t, 0), 20000) for t in terms.domain_terms()}
