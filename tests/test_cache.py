"""The conversion cache: same bytes with and without it; only what changed is converted again."""

from __future__ import annotations

import shutil

import pytest
from conftest import SOURCES, run_cli, tree_bytes

from build_tools import cache as cache_mod
from build_tools import synth
from build_tools.cache import Cache, Entry, RecordingSet
from build_tools.pipeline import convert
from build_tools.settings import SourceSettings, load, settings_path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The five seeds and 20 generated sources in one folder."""
    src = tmp_path_factory.mktemp("cache") / "src"
    shutil.copytree(SOURCES, src)
    synth.generate(20, src / "synth", 5)
    return src


def _settings(src):
    return lambda rel: load(settings_path(src / rel))


def _key(articles):
    return [(a.source, a.part, a.parts, a.blocks, a.changes, {k: v for k, v in a.meta.items() if k != "_damage"}) for a in articles]


def test_output_is_byte_identical_with_and_without_the_cache(corpus, tmp_path):
    outputs = []
    for name, extra in (
        ("none", ["--no-cache"]),
        ("cold", ["--cache-dir", str(tmp_path / "c")]),
        ("warm", ["--cache-dir", str(tmp_path / "c")]),
    ):
        out = tmp_path / name
        status, stdout, stderr = run_cli(
            "convert", "--sources", str(corpus), "--out", str(out / "docs"), "--report", str(out / "r.json"), *extra
        )
        assert status == 0, stdout + stderr
        outputs.append(tree_bytes(out))
        if name == "warm":
            assert "cache: 25 source(s) unchanged" in stdout
    assert outputs[0] == outputs[1] == outputs[2]
    assert not (tmp_path / "c").exists() or list((tmp_path / "c").rglob("*.pickle"))


def test_no_cache_neither_reads_nor_writes(corpus, tmp_path):
    status, _, _ = run_cli(
        "convert",
        "--sources",
        str(corpus),
        "--out",
        str(tmp_path / "d"),
        "--report",
        str(tmp_path / "r.json"),
        "--no-cache",
        "--cache-dir",
        str(tmp_path / "c"),
        "-q",
    )
    assert status == 0
    assert not (tmp_path / "c").exists()


def test_a_changed_source_alone_is_converted_again(corpus, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    cache = Cache(tmp_path / "c")
    first = convert(src, _settings(src), cache=cache)
    assert (cache.hits, cache.misses) == (0, 25)
    target = src / "000_a2c4d270b463a5d9.txt"  # UTF-8
    assert "工会".encode() in target.read_bytes()
    target.write_bytes(target.read_bytes().replace("工会".encode(), "工会组织".encode(), 1))
    cache = Cache(tmp_path / "c")
    second = convert(src, _settings(src), cache=cache)
    assert (cache.hits, cache.misses) == (24, 1)
    assert _key(second.articles) == _key(convert(src, _settings(src)).articles)
    assert _key(second.articles) != _key(first.articles)


def test_a_rebuild_segments_only_the_changed_source(corpus, tmp_path, monkeypatch):
    from build_tools import features

    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    convert(src, _settings(src), cache=Cache(tmp_path / "c"))
    target = src / "000_a2c4d270b463a5d9.txt"
    target.write_bytes(target.read_bytes().replace("工会".encode(), "工会组织".encode(), 1))
    segmented: list[str] = []
    real = features.segment
    monkeypatch.setattr(features, "segment", lambda texts: segmented.append(texts[-1]) or real(texts))
    rebuilt = convert(src, _settings(src), cache=Cache(tmp_path / "c"))
    assert segmented == [a.meta["title"] for a in rebuilt.articles if a.source.path == target.name]  # its one article
    fresh = convert(src, _settings(src))
    assert [a.features for a in rebuilt.articles] == [a.features for a in fresh.articles]


def test_the_cache_keeps_one_entry_per_source(corpus, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    convert(src, _settings(src), cache=Cache(tmp_path / "c"))

    def entries() -> list[str]:
        return sorted(p.name for p in (tmp_path / "c").rglob("*") if p.is_file())

    first = entries()
    assert len(first) == 25
    (tmp_path / "c" / first[0][:2] / f".{first[0]}.tmp-12345").write_bytes(b"a killed run's leftover (cache.store's name)")
    (tmp_path / "c" / "checked-pairs.pickle").write_bytes(b"what an older version kept here")
    (tmp_path / "c" / ".corpus-state.pickle.tmp-12345").write_bytes(b"a killed run's leftover")
    target = src / "000_a2c4d270b463a5d9.txt"
    target.write_bytes(target.read_bytes() + "\n各级工会要把职工之家建设好。\n".encode())
    next(src.glob("synth/*.txt")).unlink()  # a source removed
    convert(src, _settings(src), cache=Cache(tmp_path / "c"))
    second = entries()
    assert len(second) == 24  # the old version of the edited source and the removed source's entry are gone
    assert len(set(first) - set(second)) == 2 and len(set(second) - set(first)) == 1


def test_a_settings_change_converts_that_source_again(corpus, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    convert(src, _settings(src), cache=Cache(tmp_path / "c"))
    (src / "000_a2c4d270b463a5d9.yml").write_text("meta: {category: 讲话}\n", encoding="utf-8")
    cache = Cache(tmp_path / "c")
    result = convert(src, _settings(src), cache=cache)
    assert (cache.hits, cache.misses) == (24, 1)
    assert [a.meta["category"] for a in result.articles if a.source.path.startswith("000_")] == ["讲话"]


def test_a_code_change_invalidates_everything(corpus, tmp_path, monkeypatch):
    convert(corpus, _settings(corpus), cache=Cache(tmp_path / "c"))
    monkeypatch.setattr(cache_mod, "pipeline_version", lambda: "another version of the code")
    cache = Cache(tmp_path / "c")
    convert(corpus, _settings(corpus), cache=cache)
    assert (cache.hits, cache.misses) == (0, 25)


def test_the_version_covers_the_conversion_modules_only():
    modules = cache_mod.conversion_modules()
    converted = ("pipeline", "decode", "repair", "pinyin", "boilerplate", "split", "unwrap", "script", "structure", "metadata")
    made_with_an_article = ("features", "analysis", "duplicates", "minhash")  # its segmentation and fingerprint, cached with it
    for name in (*converted, "settings", *made_with_an_article):
        assert name in modules
    for name in ("site", "browse", "bench", "synth", "corpus", "publish", "render", "cli"):
        assert name not in modules
    assert len(cache_mod.pipeline_version()) == 64


def test_new_template_lines_reconvert_exactly_the_sources_that_have_them(tmp_path):
    """common_lines depends on every source: an entry is valid while its recorded questions get the same answers."""
    src = tmp_path / "src"
    synth.generate(12, src, 9)
    shutil.copy(SOURCES / "000_a2c4d270b463a5d9.txt", src / "z0.txt")
    cache = Cache(tmp_path / "c")
    convert(src, lambda rel: SourceSettings(), cache=cache)
    # Three new sources whose last line is the same short footer as a line added at the end of z0.txt: it becomes template chrome.
    footer = "本站文章均来自网友投稿"
    (src / "z0.txt").write_bytes((SOURCES / "000_a2c4d270b463a5d9.txt").read_bytes() + f"\n{footer}\n".encode())
    for n in range(3):
        (src / f"new{n}.txt").write_text(
            f"工会工作第{n}篇\n{'各级工会要把职工之家建设摆在突出位置，切实维护职工合法权益。' * 3}\n{footer}\n", "utf-8"
        )
    cache = Cache(tmp_path / "c")
    cached = convert(src, lambda rel: SourceSettings(), cache=cache)
    fresh = convert(src, lambda rel: SourceSettings())
    assert _key(cached.articles) == _key(fresh.articles)
    assert cache.misses == 4 and cache.hits == 12  # z0 changed, three new ones; the twelve others asked nothing about the footer
    assert not any(footer in b.text for a in fresh.articles for b in a.blocks)


def test_entry_validity_follows_the_answers():
    probe = RecordingSet({"a", "b"})
    assert "a" in probe and "c" not in probe
    entry = cache_mod.make_entry([], probe)
    assert entry.asked == ["a", "c"] and entry.hits == ["a"]
    assert entry.valid_for(frozenset({"a", "x"}))
    assert not entry.valid_for(frozenset({"x"}))
    assert not entry.valid_for(frozenset({"a", "c"}))
    assert isinstance(Entry([]), Entry)


def test_a_damaged_cache_file_is_a_miss(corpus, tmp_path):
    cache = Cache(tmp_path / "c")
    convert(corpus, _settings(corpus), cache=cache)
    for path in (tmp_path / "c").rglob("*.pickle"):
        path.write_bytes(b"not a pickle")
    cache = Cache(tmp_path / "c")
    result = convert(corpus, _settings(corpus), cache=cache)
    assert cache.misses == 25 and not result.refused


def test_store_is_atomic_and_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "c" / "entry.pickle"
    cache_mod.store(target, b"first")
    cache_mod.store(target, b"second")
    assert target.read_bytes() == b"second" and sorted(p.name for p in target.parent.iterdir()) == ["entry.pickle"]

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_mod.os, "replace", refuse)
    cache_mod.store(target, b"third")  # a cache that cannot be written is no error...
    assert target.read_bytes() == b"second" and sorted(p.name for p in target.parent.iterdir()) == [
        "entry.pickle"
    ]  # ...and leaves no temporary


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_source_changed_during_the_run_cannot_poison_the_cache(corpus, tmp_path, monkeypatch, jobs):
    """The key is made from one read of the file; when the file changes before it is decoded, the entry is still
    stored under the key of the bytes it was made from, so a later run never publishes the other version."""
    import hashlib

    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    source = src / "002_47b2b54c788b8743.txt"
    first = source.read_bytes()
    second = first.replace("浏览量:49931".encode(), "浏览量:77777".encode())
    real_load = Cache.load
    changed = []

    def load_then_edit(self, key):  # the key was just made from the first bytes; now the file changes
        if not changed and key == cache_mod.source_key(source.name, hashlib.sha256(first).hexdigest(), SourceSettings()):
            source.write_bytes(second)
            changed.append(key)
        return real_load(self, key)

    monkeypatch.setattr(Cache, "load", load_then_edit)
    racy = convert(src, _settings(src), cache=Cache(tmp_path / "c"), jobs=jobs)
    monkeypatch.setattr(Cache, "load", real_load)
    assert changed
    [article] = [a for a in racy.articles if a.source.path == source.name]
    assert article.source.sha256 == hashlib.sha256(second).hexdigest() and article.meta["views"] == 77777
    for path in (tmp_path / "c").rglob("*.pickle"):  # every entry is under the key of the bytes it was made from
        entry = cache_mod.unpack(path.read_bytes())
        made_from = entry.articles[0].source
        assert path.stem == cache_mod.source_key(made_from.path, made_from.sha256, _settings(src)(made_from.path))
    for data, views in ((first, 49931), (second, 77777)):  # later runs publish what the file holds
        source.write_bytes(data)
        again = convert(src, _settings(src), cache=Cache(tmp_path / "c"), jobs=jobs)
        [article] = [a for a in again.articles if a.source.path == source.name]
        assert article.meta["views"] == views and article.source.sha256 == hashlib.sha256(data).hexdigest()


def test_prune_deletes_only_the_caches_own_files(tmp_path):
    """A --cache-dir pointed at the wrong folder (`.`, docs/) loses none of the files that were there."""
    root = tmp_path / "c"
    cache = Cache(root)
    kept, gone = "a" * 64, "ab" + "0" * 62
    cache.put(kept, b"x")
    cache.put(gone, b"y")
    foreign = ["js/app.js", "db/data.pickle", "ab/notes.txt", "ab/photo.pickle", ".notes.tmp-1", "aa/" + "1" * 64 + ".pickle"]
    for name in foreign:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("theirs", "utf-8")
    (root / f"ab/.{gone}.pickle.tmp-42").write_bytes(b"killed run")
    assert cache.prune(keep={kept}) == 2
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert left == sorted([f"aa/{kept}.pickle", *foreign])
