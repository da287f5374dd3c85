"""The adversarial sweep of issue 18 (dev/untrusted-files.md lists every case): what an attacker or a careless
contributor can put in --sources, --out, the cache or the command line. Every run names what it refused or left,
without a traceback; converts the rest; keeps the hand edit; and leaves the folder outside as it was."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import shutil
import subprocess
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SOURCES, tree_bytes

from build_tools import browse, cli, safe_pickle

EDIT = "\n手工补充的一段。\n"
TEXT = "{title}\n\n正文第一段，讲的是工会工作的经验和做法。\n"


def _args(root: Path, **given: str) -> list[str]:
    folders = {"--sources": "src", "--out": "docs", "--report": "build/report.json", "--cache-dir": "build/cache"} | given
    return ["convert", *(x for option, name in folders.items() for x in (option, str(root / name))), "-q"]


def _run(root: Path, capsys, **given: str) -> tuple[int, str]:
    status = cli.main(_args(root, **given))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """Seeds converted (cache, corpus state), one page edited by hand, a folder outside with a file in it."""
    root = tmp_path_factory.mktemp("sweep")
    shutil.copytree(SOURCES, root / "src")
    assert cli.main(_args(root)) == 0
    page = _pages(root)[0]
    page.write_text(page.read_text("utf-8") + EDIT, "utf-8")
    (root / "edited.txt").write_text(page.name, "utf-8")
    (root / "outside").mkdir()
    (root / "outside/kept.txt").write_text("not the tool's\n", "utf-8")
    return root


def _pages(root: Path) -> list[Path]:
    return sorted(p for p in (root / "docs/articles").glob("*.md") if not p.name.endswith(".hant.md"))


@pytest.fixture
def root(base, tmp_path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(base, copy, symlinks=True)
    return copy


@dataclass(frozen=True)
class Case:
    """Something planted before a run, what the run must exit with and say (`{root}` is the tree), and
    what must hold afterwards."""

    plant: Callable[[Path], dict[str, str] | None]  # may return changed command-line folders
    status: int
    says: str
    after: Callable[[Path], bool] = lambda root: True


def _source(name: str, title: str | None) -> Callable[[Path], None]:
    """A new source (None: an empty file)."""
    return lambda root: (root / "src" / name).write_text("" if title is None else TEXT.format(title=title), "utf-8") and None


def _loop(root: Path) -> None:
    os.symlink("loop-b", root / "src/loop-a")
    os.symlink("loop-a", root / "src/loop-b")


def _report_at(where: Callable[[Path], str]) -> Callable[[Path], dict[str, str]]:
    return lambda root: {"--report": where(root)}


def _cache_as(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def plant(root: Path) -> None:
        shutil.rmtree(root / "build/cache")
        make(root / "build/cache")

    return plant


def _pickles_that_run_code(root: Path) -> None:
    """Every cache file (entries and corpus state) replaced by a pickle that would create a file when loaded,
    with a valid CRC-32."""

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {root / 'outside/PWNED'}",))

    data = pickle.dumps(Payload())
    files = [p for p in (root / "build/cache").rglob("*.pickle")]
    assert len(files) > 1
    for path in files:
        path.write_bytes(zlib.crc32(data).to_bytes(4, "big") + data)


def _copy_a_page_and_lose_the_manifest(root: Path) -> None:
    """A contributor copies a page (front matter and all) to start a new one, and the manifest is lost."""
    page = _pages(root)[1]
    shutil.copy(page, page.with_name("aaa-copy.md"))  # sorts before the page it copies
    (root / "copied.txt").write_text(page.name, "utf-8")
    (root / "docs/.generated.json").unlink()


def _md_new_as_folder(root: Path) -> None:
    page = root / "docs/articles" / (root / "edited.txt").read_text("utf-8")
    page.with_name(page.name + ".new").mkdir()
    _change_the_edited_source(root)


def _change_the_edited_source(root: Path) -> None:
    page = root / "docs/articles" / (root / "edited.txt").read_text("utf-8")
    name = next(line for line in page.read_text("utf-8").splitlines() if line.startswith("source_file: ")).split(": ", 1)[1]
    source = root / "src" / name
    source.write_bytes(source.read_bytes() + "\n\n补充说明：工会工作要常抓不懈。\n".encode())


def _hard_link_at_manifest(root: Path) -> None:
    os.link(root / "docs/.generated.json", root / "outside/manifest-other-name.json")
    _source("new.txt", "新增的标题")(root)


def _edited(root: Path) -> str:
    return (root / "docs/articles" / (root / "edited.txt").read_text("utf-8")).read_text("utf-8")


CASES = {
    # sources
    "a source named *.TXT": Case(_source("UPPER.TXT", "大写后缀"), 1, "REFUSED UPPER.TXT: its name ends in '.TXT'"),
    "a loop of links in --sources": Case(_loop, 0, ""),  # neither a *.txt nor a folder: not a source (it stopped the run)
    "a settings file without its source": Case(
        lambda root: (root / "src/gone.yml").write_text("skip: [pinyin]\n", "utf-8") and None,
        1,
        "REFUSED gone.yml: a settings file with no source gone.txt",
    ),
    "a settings file named .yaml": Case(
        lambda root: (
            (root / "src" / (sorted(p.stem for p in (root / "src").glob("*.txt"))[0] + ".yaml")).write_text("skip: [x]\n", "utf-8") and None
        ),
        1,
        "settings files end in '.yml'",
    ),
    "a source named with '#', spaces and a backslash": Case(_source("a #1 \\ b.txt", "井号和反斜杠"), 0, ""),
    "a source named like an option": Case(_source("--force.txt", "像选项的名字"), 0, ""),
    "an empty source": Case(_source("empty.txt", None), 1, "REFUSED empty.txt: empty file"),
    # the command line
    "--report on a hand-edited page": Case(
        _report_at(lambda root: f"docs/articles/{(root / 'edited.txt').read_text('utf-8')}"), 2, "is a page or a file the tool keeps"
    ),
    "--report on the manifest": Case(_report_at(lambda root: "docs/.generated.json"), 2, "is a page or a file the tool keeps"),
    "--report as a new page": Case(_report_at(lambda root: "docs/articles/report.json"), 2, "is a page or a file the tool keeps"),
    "--report as a Markdown page of --out": Case(_report_at(lambda root: "docs/report.md"), 2, "is a page or a file the tool keeps"),
    "--report at the top of --out": Case(
        _report_at(lambda root: "docs/report.json"), 0, "", lambda root: (root / "docs/report.json").is_file()
    ),
    "--report a folder": Case(lambda root: {"--report": "outside"}, 2, "{root}/outside: cannot write: a folder"),
    "--cache-dir a file": Case(
        _cache_as(lambda path: path.write_text("x", "utf-8")), 0, "--cache-dir {root}/build/cache: a file, not a folder"
    ),
    "--cache-dir a FIFO": Case(_cache_as(os.mkfifo), 0, "--cache-dir {root}/build/cache: a FIFO (named pipe), not a folder"),
    "--cache-dir a link to a folder outside": Case(
        _cache_as(lambda path: path.symlink_to(path.parent.parent / "outside")), 0, "--cache-dir {root}/build/cache: a symbolic link"
    ),
    "--cache-dir the report's path": Case(lambda root: {"--cache-dir": "build/report.json"}, 0, "a file, not a folder"),
    # state files and the cache
    "cache files that run code when unpickled": Case(
        _pickles_that_run_code, 0, "corpus-state.pickle: damaged", lambda root: not (root / "outside/PWNED").exists()
    ),
    "a page copied, front matter and all, and the manifest lost": Case(
        _copy_a_page_and_lose_the_manifest,
        0,
        "2 pages name",
        lambda root: (
            (root / "docs/articles/aaa-copy.md").exists()
            and not (root / "docs/articles" / ((root / "copied.txt").read_text("utf-8") + ".new")).exists()
        ),
    ),
    "a folder named x.md among the pages": Case(
        lambda root: (root / "docs/articles/folder.md").mkdir(),
        0,
        "",
        lambda root: "folder.md" not in (root / "docs/.addresses.txt").read_text("utf-8"),
    ),
    "a folder where a .md.new goes": Case(_md_new_as_folder, 1, "a folder at "),
    "a hard link at the manifest's path": Case(
        _hard_link_at_manifest,
        0,
        "",
        lambda root: (
            "new.txt" not in (root / "outside/manifest-other-name.json").read_text("utf-8")
            and "new.txt" in (root / "docs/.generated.json").read_text("utf-8")
        ),
    ),
    "a file named as the tool's temporary files": Case(
        lambda root: (root / "docs/.notes.md.abcdefgh.tmp").write_text("x", "utf-8") and None,
        0,
        "",
        lambda root: not (root / "docs/.notes.md.abcdefgh.tmp").exists(),  # the tool's namespace (documented)
    ),
    "a dot-file among the pages": Case(
        lambda root: (root / "docs/articles/.draft.md").write_text("草稿\n", "utf-8") and None,
        0,
        "",
        lambda root: (root / "docs/articles/.draft.md").read_text("utf-8") == "草稿\n",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_planted_case_is_named_and_costs_nothing_else(root, capsys, name):
    case = CASES[name]
    given = case.plant(root) or {}
    outside = {k: v for k, v in tree_bytes(root / "outside").items() if k != "manifest-other-name.json"}
    edited = _edited(root)
    pages = {p.name for p in _pages(root)}

    status, said = _run(root, capsys, **given)

    assert "Traceback" not in said
    assert status == case.status, said
    assert case.says.format(root=root) in said, said
    assert case.after(root), said
    assert {k: v for k, v in tree_bytes(root / "outside").items() if k != "manifest-other-name.json"} == outside
    assert _edited(root) == edited  # the hand edit
    if status != 2:  # converted: no page lost
        assert pages <= {p.name for p in _pages(root)}


def test_every_entry_of_a_real_run_loads_without_running_code(base):
    """The restricted unpickler rebuilds every cache file a run writes (a class it refused would make each warm run
    convert that source again)."""
    files = sorted((base / "build/cache").rglob("*.pickle"))
    assert len(files) > 1
    for path in files:
        assert safe_pickle.loads(path.read_bytes()[4:]) is not None, path


def test_ctrl_c_is_a_message(root, capsys, monkeypatch):
    from build_tools import publish

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(publish, "publish", interrupted)
    _change_the_edited_source(root)
    assert cli.main(_args(root)) == 130
    assert "interrupted" in capsys.readouterr().err
    assert EDIT in _edited(root)


def test_a_term_index_that_is_a_fifo_does_not_block_the_site(root):
    (root / "docs/.terms.json").unlink()
    os.mkfifo(root / "docs/.terms.json")
    assert browse.load_terms(root / "docs") == {}


def test_a_hard_link_source_is_converted_as_a_copy_is(tmp_path, capsys):
    """Decided (dev/untrusted-files.md): a hard link is a regular file and cannot be told from a copy; git never makes
    one, so a pull request cannot plant one."""
    text = TEXT.format(title="硬链接的来源")
    for name in ("copy", "link"):
        (tmp_path / name / "src").mkdir(parents=True)
    (tmp_path / "elsewhere.txt").write_text(text, "utf-8")
    os.link(tmp_path / "elsewhere.txt", tmp_path / "link/src/a.txt")
    (tmp_path / "copy/src/a.txt").write_text(text, "utf-8")
    for name in ("copy", "link"):
        assert _run(tmp_path / name, capsys)[0] == 0
    assert tree_bytes(tmp_path / "link/docs") == tree_bytes(tmp_path / "copy/docs")


def test_two_converts_sharing_a_cache_give_each_its_own_output(root, tmp_path):
    """Different --out, one --cache-dir, at once: each output is that of a run alone (the cache's temporary files
    are per process, entries are renamed into place)."""
    from conftest import ROOT

    shutil.copytree(root / "src", root / "src2")
    (root / "src2/extra.txt").write_text(TEXT.format(title="另一个来源"), "utf-8")
    runs = []
    for out, src in (("o1", "src"), ("o2", "src2"), ("o3", "src")):
        command = [os.sys.executable, "-m", "build_tools", *_args(root, **{"--out": out, "--sources": src, "--report": f"{out}.json"})]
        runs.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    said = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], said
    alone = tmp_path / "alone"
    shutil.copytree(root / "src2", alone / "src")
    assert cli.main(_args(alone)) == 0
    assert tree_bytes(root / "o1") == tree_bytes(root / "o3")
    assert tree_bytes(root / "o2") == tree_bytes(alone / "docs")


@contextlib.contextmanager
def _small_tmpfs(tmp_path: Path, size: str = "4m"):
    """A small tmpfs at tmp_path/mnt (skips when this user cannot mount one)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (the failing writes are also simulated in tests/test_run_guards.py)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_is_a_message_and_the_next_run_completes(root, tmp_path, capsys):
    with _small_tmpfs(tmp_path) as mount:
        shutil.copytree(root / "docs", mount / "docs")
        _change_the_edited_source(root)
        for page in _pages(root)[1:]:  # every other page to be written again
            source_line = next(line for line in page.read_text("utf-8").splitlines() if line.startswith("source_file: "))
            source = root / "src" / source_line.split(": ", 1)[1]
            source.write_bytes(source.read_bytes().replace("工会".encode(), "工会组织".encode(), 1))
        edited = (mount / "docs/articles" / (root / "edited.txt").read_text("utf-8")).read_text("utf-8")
        with open(mount / "fill", "wb") as fill, contextlib.suppress(OSError):
            while True:
                fill.write(b"\0" * 65536)
                fill.flush()
        status, said = _run(root, capsys, **{"--out": str(mount / "docs")})
        assert status == 2 and "No space left on device" in said and "Traceback" not in said, said
        assert said.startswith("error: ") or "\nerror: " in said
        assert (mount / "docs/articles" / (root / "edited.txt").read_text("utf-8")).read_text("utf-8") == edited
        assert not list((mount / "docs").rglob("*.tmp"))
        (mount / "fill").unlink()
        status, said = _run(root, capsys, **{"--out": str(mount / "docs")})
        assert status == 0, said
        assert json.loads((mount / "docs/.generated.json").read_text("utf-8"))


def test_a_read_only_out_is_a_message(root, tmp_path, capsys):
    with _small_tmpfs(tmp_path) as mount:
        shutil.copytree(root / "docs", mount / "docs")
        _change_the_edited_source(root)
        _source("new.txt", "新增的标题")(root)
        before = tree_bytes(mount / "docs")
        assert subprocess.run(["mount", "-o", "remount,ro", str(mount)], capture_output=True).returncode == 0
        status, said = _run(root, capsys, **{"--out": str(mount / "docs")})
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], capture_output=True)
        assert status == 2 and "Read-only file system" in said and f"{mount / 'docs'}" in said and "Traceback" not in said, said
        assert tree_bytes(mount / "docs") == before
