"""The benchmark corpus generator: deterministic, varied, and convertible by the pipeline without refusals."""

from __future__ import annotations

import re

from conftest import run_cli

from build_tools import synth


def _bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = _bytes_of(tmp_path / "a", 30, 7)
    assert a == _bytes_of(tmp_path / "b", 30, 7)
    assert a != _bytes_of(tmp_path / "c", 30, 8)
    assert len(a) == 30


def _bytes_of(folder, n, seed):
    synth.generate(n, folder, seed)
    return _bytes(folder)


def test_the_corpus_has_what_real_sources_have(tmp_path):
    files = _bytes_of(tmp_path / "s", 150, 1)
    texts = []
    not_utf8 = 0
    for data in files.values():
        try:
            texts.append(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            not_utf8 += 1
            texts.append(data.decode("gb18030"))
    assert not_utf8 > 0
    assert any("\r\n" in t for t in texts)
    assert any(re.search(r"[\u4e00-\u9fff]\([a-zàáǎèéěìíǐòóǒùúǔǜü]+\)", t) for t in texts), "pinyin annotations"
    assert any("會" in t and "(" not in t.split("會")[1][:1] for t in texts), "Traditional without pinyin"
    assert any("第一篇:" in t and "第二篇:" in t for t in texts), "compilations"
    assert all(("ICP备" in t or "ICP備" in t) for t in texts), "every page has site chrome"


def test_the_pipeline_converts_a_generated_corpus_with_no_refusals(tmp_path):
    synth.generate(40, tmp_path / "src", 3)
    out = tmp_path / "out"
    status, stdout, stderr = run_cli(
        "convert", "--sources", str(tmp_path / "src"), "--out", str(out), "--report", str(tmp_path / "r.json"), "--no-cache", "-q"
    )
    assert status == 0, stdout + stderr
    assert "REFUSED" not in stdout + stderr
    pages = [p for p in (out / "articles").glob("*.md") if not p.name.endswith(".hant.md")]
    assert len(pages) >= 40
    text = "".join(p.read_text("utf-8") for p in pages)
    assert "ICP" not in text and "Copyright" not in text and "(huì)" not in text
