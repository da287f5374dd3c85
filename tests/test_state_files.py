"""Every state file (state.STATE_FILES), damaged in every way, costs no traceback, no hand edit, no duplicate page,
and touches nothing outside --out; the run names the file, and the next run is quiet again."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import shutil
import stat
import zlib
from pathlib import Path

import pytest
from conftest import SOURCES, tree_bytes
from conftest import convert_args as _args
from conftest import run_convert as _run

from build_tools import cli, corpus_state, state
from build_tools.cache import Entry
from build_tools.write import sha256_text

EDIT = ("党的十九大是", "党的十九大（经校对）是")
VICTIM = "outside/victim.md"  # a file beside --out that a state file tries to have deleted or written
HAND_PAGE = "index.md"  # a page inside --out the tool did not write
# Damage that leaves a file that can be read, and damage that makes it something else than a regular file.
CONTENT = ("deleted", "empty", "truncated", "garbled", "wrong-type", "bad-paths", "deeply-nested")
# Things that are not a regular file, planted where a state file goes: never read through, replaced or deleted.
KINDS = ("folder", "symlink-out", "symlink-folder-out", "symlink-in", "dangling-symlink", "fifo")
PATH_FILES = (state.MANIFEST, state.JOURNAL, state.ADDRESSES)  # the files that name paths


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """Seeds converted (cache and corpus state filled), one page edited by hand, a hand-written page and a
    file outside --out, and a journal as a killed run leaves it."""
    root = tmp_path_factory.mktemp("base")
    shutil.copytree(SOURCES, root / "src")
    status = cli.main(_args(root))
    assert status == 0
    docs = root / "docs"
    manifest = json.loads((docs / ".generated.json").read_text("utf-8"))
    edited = next(e["path"] for k, e in manifest.items() if k.startswith("002_"))
    page = docs / edited
    page.write_text(page.read_text("utf-8").replace(*EDIT), "utf-8")
    (root / "edited.txt").write_text(edited, "utf-8")
    (docs / HAND_PAGE).write_text("# 手写的首页\n", "utf-8")
    (root / VICTIM).parent.mkdir()
    (root / VICTIM).write_text("not the tool's\n", "utf-8")
    journal = [json.dumps({"key": k, "path": e["path"], "sha256": e["sha256"]}, ensure_ascii=False) for k, e in manifest.items()]
    (docs / ".generated.journal").write_text("\n".join(journal) + "\n", "utf-8")
    return root


def _targets(root: Path, spec: state.StateFile) -> list[Path]:
    folder = root / ("docs" if spec.folder == "out" else "build/cache")
    found = sorted(folder.glob(spec.name))
    assert found, f"no {spec.name} in {folder}"
    return found


def _wrong_type(spec: state.StateFile, rng: random.Random) -> bytes:
    if spec is state.MANIFEST:
        return rng.choice([b"[]", b'"x"', b"null", b'{"a.txt#1": "articles/a.md"}', b'{"a.txt#1": {"path": 5, "sha256": []}}'])
    if spec is state.JOURNAL:
        return b'[1, 2]\n"x"\n{"key": 5}\n'
    if spec is state.ADDRESSES:
        return b'{"articles/a.md": true}\n'
    if spec is state.CORPUS_STATE:
        payload = pickle.dumps((corpus_state.version(), {"not": "a state"}))
        return zlib.crc32(payload).to_bytes(4, "big") + payload
    if spec is state.CACHE_ENTRY:
        payload = pickle.dumps(Entry(articles="not a list"))  # type: ignore[arg-type]
        return zlib.crc32(payload).to_bytes(4, "big") + payload
    raise AssertionError(f"no wrong type for {spec.name}")


def _bad_paths(root: Path, spec: state.StateFile, path: Path) -> bytes:
    """Entries naming a file outside --out (relative, absolute, through a link) and a page the tool did not write,
    each with the hash of that file, so that a run trusting them would delete it as a page whose source is gone."""
    docs = root / "docs"
    (docs / "articles/link.md").symlink_to(root / VICTIM)
    victim = sha256_text((root / VICTIM).read_text("utf-8"))
    hand = sha256_text((docs / HAND_PAGE).read_text("utf-8"))
    names = [
        ("../outside/victim.md", victim),
        (str(root / VICTIM), victim),
        ("articles/link.md", victim),
        ("articles/../../outside/victim.md", victim),
        (HAND_PAGE, hand),
    ]
    names += [("articles/.x.md", victim)]
    if spec is state.ADDRESSES:
        return (path.read_text("utf-8") + "".join(f"{n}\n" for n, _ in names)).encode()
    entries = {f"gone{i}.txt#1": {"path": n, "sha256": h} for i, (n, h) in enumerate(names)}
    if spec is state.MANIFEST:  # and an unedited page claimed by a second, gone article too
        manifest = json.loads(path.read_text("utf-8"))
        edited = (root / "edited.txt").read_text("utf-8")
        entries["gone-twin.txt#1"] = next(e for e in manifest.values() if e["path"] != edited and not e["path"].endswith(".hant.md"))
        return json.dumps({**manifest, **entries}).encode()
    return (path.read_text("utf-8") + "".join(json.dumps({"key": k, **e}) + "\n" for k, e in entries.items())).encode()


def _damage(root: Path, spec: state.StateFile, damage: str, rng: random.Random) -> list[Path]:
    targets = _targets(root, spec)
    for path in targets:
        data = path.read_bytes()
        if damage == "deleted":
            path.unlink()
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "truncated":  # a random offset, not next to a line end (that could be a shorter valid file)
            cuts = [i for i in range(1, max(2, len(data))) if b"\n" not in data[i - 1 : i + 1]]
            path.write_bytes(data[: rng.choice(cuts)])
        elif damage == "garbled":  # bytes that are never UTF-8 nor a valid checksum, at a random place
            at = rng.randrange(max(1, len(data)))
            path.write_bytes(data[:at] + b"\xff\xfe\x00\x9c" + data[at + 4 :])
        elif damage == "wrong-type":
            path.write_bytes(_wrong_type(spec, rng))
        elif damage == "deeply-nested":  # valid JSON nested deeper than a parser recurses, on every line
            depth = rng.randrange(20_000, 100_000)
            path.write_bytes(b"[" * depth + b"]" * depth + b"\n")
        elif damage == "bad-paths":
            path.write_bytes(_bad_paths(root, spec, path))
        elif damage == "folder":
            path.unlink()
            path.mkdir()
        elif damage == "symlink-out":
            copy = root / "outside" / f"copy-{path.name}"
            copy.write_bytes(data)
            path.unlink()
            path.symlink_to(copy)
        elif damage == "symlink-folder-out":  # a folder outside, as a cache entry's folder or a state file
            path.unlink()
            path.symlink_to(root / "outside", target_is_directory=True)
        elif damage == "symlink-in":  # a page of --out: replacing the link would be harmless, writing through it not
            path.unlink()
            path.symlink_to(root / "docs" / HAND_PAGE)
        elif damage == "dangling-symlink":  # a write through it would create the file it names
            path.unlink()
            path.symlink_to(root / "outside" / "made-by-a-write")
        elif damage == "fifo":
            path.unlink()
            os.mkfifo(path)
    return targets


def _kind(path: Path) -> tuple[int, str]:
    """What is at `path`, without following it: its type and, for a link, where it points."""
    mode = path.lstat().st_mode
    return stat.S_IFMT(mode), os.readlink(path) if stat.S_ISLNK(mode) else ""


def _cases():
    for spec in state.STATE_FILES:
        for damage in CONTENT + KINDS:
            if damage == "bad-paths" and spec not in PATH_FILES:
                continue
            yield pytest.param(spec, damage, id=f"{spec.name}-{damage}")


def _pages(docs: Path) -> set[str]:
    return {p.name for p in (docs / "articles").iterdir() if p.name.endswith(".md")}


def _must_say(spec: state.StateFile, damage: str) -> bool:
    """Whether the run must name the file: damage it can see (a lost file, a cut at the end of the journal as a
    killed run leaves it, or an empty record of addresses are states like any other)."""
    if damage in KINDS:
        return True
    if damage == "deleted":
        return False
    if damage == "truncated" and spec is state.JOURNAL:
        return False
    return not (damage == "empty" and spec in (state.JOURNAL, state.ADDRESSES))


@pytest.mark.parametrize(("spec", "damage"), list(_cases()))
def test_a_damaged_state_file_costs_nothing(base, tmp_path, capsys, spec, damage):
    root = tmp_path / "run"
    shutil.copytree(base, root, symlinks=True)
    docs = root / "docs"
    edited = (root / "edited.txt").read_text("utf-8")
    edited_text = (docs / edited).read_text("utf-8")
    pages = _pages(docs)
    rng = random.Random(f"{spec.name}{damage}")
    targets = _damage(root, spec, damage, rng)
    outside = tree_bytes(root / "outside")
    hand = (docs / HAND_PAGE).read_bytes()

    status, said = _run(root, capsys)

    assert "Traceback" not in said
    if _must_say(spec, damage):
        assert any(str(t) in said for t in targets), said
    assert status == 0, said  # the other files are converted
    assert (docs / edited).read_text("utf-8") == edited_text  # the hand edit
    assert _pages(docs) - {"link.md"} == pages  # no page lost, none duplicated as -2.md
    assert tree_bytes(root / "outside") == outside  # nothing outside --out written or deleted
    assert (docs / HAND_PAGE).read_bytes() == hand
    if damage in CONTENT:  # repaired: the next run has nothing to say about it
        _, again = _run(root, capsys)
        assert not any(str(t) in again for t in targets), again
        return
    planted = [_kind(t) for t in targets]
    assert all(f"{t}: " in said and state.LEFT_ALONE in said for t in targets[:1]), said
    pages_bytes = tree_bytes(docs / "articles")
    status, again = _run(root, capsys)  # the next run is not worse: the same pages, still converted, still said
    assert status == 0 and "Traceback" not in again, again
    assert tree_bytes(docs / "articles") == pages_bytes
    assert [_kind(t) for t in targets] == planted  # never replaced nor deleted
    assert tree_bytes(root / "outside") == outside and (docs / HAND_PAGE).read_bytes() == hand


def test_every_state_file_is_in_the_table(base):
    """The table is the list: every dot-file a run leaves in --out and every file in the cache is one of its files."""
    root = base
    docs, cache = root / "docs", root / "build/cache"
    listed_out = {s.name for s in state.STATE_FILES if s.folder == "out"}
    left = {p.name for p in docs.iterdir() if p.name.startswith(".") and p.is_file()}
    assert left - {".terms.json"} <= listed_out  # .terms.json is an output of each run (the term index), not kept state
    for path in cache.rglob("*"):
        if path.is_file():
            rel = path.relative_to(cache)
            assert any(rel.match(s.name) for s in state.STATE_FILES if s.folder == "cache"), rel


def test_the_addresses_are_written_atomically(tmp_path, monkeypatch):
    """A failed write of the address list leaves the old one whole (it used to be written in place)."""
    from build_tools import addresses

    docs = tmp_path / "docs"
    (docs / "articles").mkdir(parents=True)
    (docs / "articles/a.md").write_text("---\ntitle: a\n---\n", "utf-8")
    addresses.record(docs)
    before = (docs / addresses.FILE).read_bytes()
    (docs / "articles/b.md").write_text("---\ntitle: b\n---\n", "utf-8")

    def fail(*args):
        raise OSError(28, "No space left on device", str(docs))

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        addresses.record(docs)
    assert (docs / addresses.FILE).read_bytes() == before == b"articles/a.md\n"
    assert sorted(p.name for p in docs.iterdir()) == [addresses.FILE, "articles"]  # no temporary file left


def test_check_names_a_damaged_manifest_and_address_list(base, tmp_path):
    from build_tools.check import run_check

    root = tmp_path / "run"
    shutil.copytree(base, root, symlinks=True)
    docs = root / "docs"
    (docs / ".generated.json").write_bytes(b'{"a.txt#1": {"path": "../x.md", "sha256": "' + hashlib.sha256().hexdigest().encode() + b'"}}')
    (docs / ".addresses.txt").write_bytes(b"articles/a.md\n\xff\xfe\n")
    problems = [p for p in run_check(docs, root / "src", root / "mkdocs.yml") if p.error]
    files = {p.file for p in problems}
    assert str(docs / ".generated.json") in files and str(docs / ".addresses.txt") in files
    assert all("Traceback" not in p.message for p in problems)


@pytest.mark.parametrize("kind", ["symlink-outside", "symlink-inside", "file"])
def test_an_articles_folder_that_is_not_a_folder_is_a_message(base, tmp_path, capsys, kind):
    """Pages go into a real folder only: a linked articles/ would put them (and the deletions) elsewhere."""
    root = tmp_path / "run"
    shutil.copytree(base, root, symlinks=True)
    docs = root / "docs"
    shutil.copytree(docs / "articles", root / "outside/articles")
    shutil.rmtree(docs / "articles")
    if kind == "symlink-outside":
        (docs / "articles").symlink_to(root / "outside/articles")
    elif kind == "symlink-inside":
        (docs / "elsewhere").mkdir()
        (docs / "articles").symlink_to(docs / "elsewhere")
    else:
        (docs / "articles").write_text("x", "utf-8")
    outside = tree_bytes(root / "outside")
    status, said = _run(root, capsys)
    assert status == 2 and "Traceback" not in said
    assert f"{docs / 'articles'}: " in said
    assert tree_bytes(root / "outside") == outside
