"""What a convert checks before and while it writes: one run per --out, folders apart from --sources, and every
operating-system error a message naming the path (no traceback), with no hand edit lost."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, SOURCES, run_cli, tree_bytes

from build_tools import cli


def _args(root: Path, *extra: str) -> list[str]:
    folders = {"--sources": "src", "--out": "out", "--report": "r.json", "--cache-dir": "cache"}
    return ["convert", *(x for option, name in folders.items() for x in (option, str(root / name))), "--no-corpus", "-q", *extra]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(SOURCES, tmp_path / "src")
    return tmp_path


def test_a_second_run_on_the_same_out_refuses_with_a_message(root):
    (root / "out").mkdir()
    held = os.open(root / "out", os.O_RDONLY)  # another process holds the lock
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        status, stdout, stderr = run_cli(*_args(root))
        assert status == 2 and "Traceback" not in stdout + stderr
        assert f"another convert is writing into {root / 'out'}" in stderr and "--wait" in stderr
        assert not (root / "out" / "articles").exists()  # nothing written
    finally:
        os.close(held)


def test_a_second_run_waits_when_told(root):
    (root / "out").mkdir()
    held = os.open(root / "out", os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    threading.Timer(1.0, os.close, (held,)).start()
    started = time.monotonic()
    status, _, stderr = run_cli(*_args(root, "--wait", "60"))
    assert status == 0, stderr
    assert time.monotonic() - started >= 1.0
    assert any((root / "out" / "articles").glob("*.md"))


def test_two_converts_at_once_give_the_output_of_one(root, tmp_path):
    command = [sys.executable, "-m", "build_tools", *_args(root, "--wait", "300")]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outcomes
    assert all("Traceback" not in out + err for out, err in outcomes)
    alone = tmp_path / "alone"
    shutil.copytree(root / "src", alone / "src")
    assert run_cli(*_args(alone))[0] == 0
    assert tree_bytes(root / "out") == tree_bytes(alone / "out")


@pytest.mark.parametrize(
    ("out", "option"),
    [
        ("src", "--out"),  # the same folder
        ("src/pages", "--out"),  # inside it
        (".", "--sources"),  # around it
    ],
)
def test_out_must_be_apart_from_sources(root, out, option):
    before = tree_bytes(root / "src")
    status, stdout, stderr = run_cli("convert", "--sources", str(root / "src"), "--out", str(root / out), "--report", str(root / "r.json"))
    assert status == 2 and "Traceback" not in stdout + stderr
    assert f"error: {option}" in stderr
    assert tree_bytes(root / "src") == before and not (root / "r.json").exists()


@pytest.mark.parametrize("option", ["--report", "--cache-dir"])
def test_nothing_is_written_into_sources(root, option):
    before = tree_bytes(root / "src")
    args = _args(root)
    args[args.index(option) + 1] = str(root / "src" / "written-here.txt")
    status, _, stderr = run_cli(*args)
    assert status == 2 and f"error: {option}" in stderr
    assert tree_bytes(root / "src") == before


def _unwritable(root: Path, how: str) -> Path:
    """A path that cannot be written, even by root: under a regular file, or a folder where a file must go."""
    (root / "a-file").write_text("x", "utf-8")
    if how == "under-a-file":
        return root / "a-file" / "sub"
    if how == "a-folder":
        (root / "a-folder").mkdir()
        return root / "a-folder"
    return Path("/proc/self/no-such-folder")  # a file system where nothing can be created


@pytest.mark.parametrize("how", ["under-a-file", "a-folder", "proc"])
@pytest.mark.parametrize("option", ["--out", "--report"])
def test_an_unwritable_out_or_report_is_a_message(root, option, how):
    args = _args(root)
    path = _unwritable(root, how)
    if option == "--out" and how == "a-folder":
        path = root / "a-file"  # --out is a folder: a regular file in its place
    args[args.index(option) + 1] = str(path)
    status, stdout, stderr = run_cli(*args)
    assert status == 2 and "Traceback" not in stdout + stderr, stderr
    assert str(path) in stderr and stderr.startswith("error: ")


# The operating-system calls a convert makes to write; each fails in turn at its n-th call.
FAULTS = [("os", "replace"), ("os", "fsync"), ("os", "mkdir"), ("os", "open"), ("os", "unlink"), ("tempfile", "mkstemp")]


@pytest.mark.parametrize(("module", "name"), FAULTS)
def test_any_failing_write_is_a_message_and_costs_no_hand_edit(root, capsys, monkeypatch, module, name):
    assert cli.main(_args(root)) == 0
    page = next((root / "out" / "articles").glob("*.md"))
    edited = page.read_text("utf-8") + "\n手工补充的一段。\n"
    page.write_text(edited, "utf-8")
    capsys.readouterr()
    target = __import__(module)
    real = getattr(target, name)
    for nth in (1, 2, 5, 20):
        calls = []

        def failing(*args, _real=real, _nth=nth, _calls=calls, **kwargs):
            _calls.append(args)
            if len(_calls) == _nth:
                raise OSError(28, "No space left on device", str(args[0]) if args else None)
            return _real(*args, **kwargs)

        monkeypatch.setattr(target, name, failing)
        try:
            status = cli.main(_args(root))
        finally:
            monkeypatch.setattr(target, name, real)
        said = capsys.readouterr()
        if len(calls) >= nth:  # the fault happened: a message with the path, or a run that went on
            assert status in (0, 1, 2)
            if status == 2:
                assert said.err.startswith("error: ") and "No space left on device" in said.err
        assert "Traceback" not in said.out + said.err
        assert page.read_text("utf-8") == edited
    assert cli.main(_args(root)) == 0  # and the next run completes
    assert page.read_text("utf-8") == edited
    assert not list((root / "out").rglob("*.tmp"))


@pytest.mark.parametrize("option", ["--sources", "--out"])
@pytest.mark.parametrize("relative", [False, True])
def test_a_sources_or_out_folder_given_as_a_symbolic_link_is_refused(tmp_path, option, relative):
    real = {"--sources": tmp_path / "real-sources", "--out": tmp_path / "real-out"}
    for folder in real.values():
        folder.mkdir()
    (real["--sources"] / "a.txt").write_text("标题\n\n正文第一段，讲的是工会工作。\n", "utf-8")
    link = tmp_path / "link"
    link.symlink_to(real[option].name if relative else real[option])
    given = {**{k: str(v) for k, v in real.items()}, option: str(link)}
    code, _, err = run_cli(
        "convert",
        "--sources",
        given["--sources"],
        "--out",
        given["--out"],
        "-q",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--report",
        str(tmp_path / "r.json"),
    )
    assert code == 2 and f"{option} {link} is a symbolic link" in err and "Traceback" not in err
    assert list(real["--out"].iterdir()) == []


@pytest.mark.parametrize("where", ["o/cache", "o", "o/articles/cache"])
def test_a_cache_inside_out_is_refused(tmp_path, where):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "a.txt").write_text("标题\n\n正文第一段，讲的是工会工作。\n", "utf-8")
    code, _, err = run_cli(
        "convert",
        "--sources",
        str(tmp_path / "s"),
        "--out",
        str(tmp_path / "o"),
        "-q",
        "--cache-dir",
        str(tmp_path / where),
        "--report",
        str(tmp_path / "r.json"),
    )
    assert code == 2 and "is inside --out" in err and not (tmp_path / "o").exists()
