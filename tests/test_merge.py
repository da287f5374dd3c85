"""The merge of a `.md.new`, step by step as CONTRIBUTING.md says, converges: the next convert writes no `.md.new`
again and `check` passes, without --force; and a later change of the source is a new conflict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SOURCES

from build_tools import cli
from build_tools.check import run_check

SOURCE = "002_47b2b54c788b8743.txt"
EDIT = ("党的十九大是", "党的十九大（经校对）是")


def _convert(root: Path, capsys) -> tuple[int, str]:
    args = ["convert", "--sources", str(root / "src"), "--out", str(root / "docs"), "--report", str(root / "r.json")]
    status = cli.main([*args, "--cache-dir", str(root / "cache"), "--no-corpus"])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def _errors(root: Path) -> list[str]:
    return [str(p) for p in run_check(root / "docs", root / "src", root / "mkdocs.yml") if p.error]


def _change_source(root: Path, before: bytes, after: bytes) -> None:
    source = root / "src" / SOURCE
    data = source.read_bytes()
    assert before in data
    source.write_bytes(data.replace(before, after))


@pytest.fixture
def conflict(tmp_path, capsys) -> tuple[Path, Path]:
    """A page edited by hand whose source then changed: the new version waits beside it."""
    shutil.copytree(SOURCES, tmp_path / "src")
    assert _convert(tmp_path, capsys)[0] == 0
    manifest = json.loads((tmp_path / "docs/.generated.json").read_text("utf-8"))
    page = tmp_path / "docs" / next(e["path"] for k, e in manifest.items() if k.startswith(SOURCE))
    page.write_text(page.read_text("utf-8").replace(*EDIT), "utf-8")
    _change_source(tmp_path, "浏览量:49931".encode(), "浏览量:50000".encode())
    status, said = _convert(tmp_path, capsys)
    assert status == 0 and "merge by hand" in said
    assert page.with_name(page.name + ".new").exists()
    assert any(".md.new" in e for e in _errors(tmp_path))
    return tmp_path, page


def _merge(page: Path) -> str:
    """CONTRIBUTING: merge the changes you need into the page, delete the .md.new."""
    new = page.with_name(page.name + ".new")
    merged = new.read_text("utf-8").replace(*EDIT)  # the new version, with the hand edit made again
    page.write_text(merged, "utf-8")
    new.unlink()
    return merged


def test_a_merged_page_stays_merged(conflict, capsys):
    root, page = conflict
    merged = _merge(page)
    for _ in range(2):  # converges: the same at every later run
        status, said = _convert(root, capsys)
        assert status == 0, said
        assert not page.with_name(page.name + ".new").exists()
        assert page.read_text("utf-8") == merged
        assert "edited by hand, kept" in said and "merge by hand" not in said
        assert _errors(root) == []


def test_keeping_ones_own_version_is_a_merge_too(conflict, capsys):
    root, page = conflict
    mine = page.read_text("utf-8")
    page.with_name(page.name + ".new").unlink()  # nothing of the new version wanted
    assert _convert(root, capsys)[0] == 0
    assert page.read_text("utf-8") == mine and not page.with_name(page.name + ".new").exists()
    assert _errors(root) == []


def test_taking_the_new_version_whole_ends_the_hand_edit(conflict, capsys):
    root, page = conflict
    new = page.with_name(page.name + ".new")
    new.replace(page)
    assert _convert(root, capsys)[0] == 0
    _change_source(root, "浏览量:50000".encode(), "浏览量:50001".encode())
    status, said = _convert(root, capsys)
    assert "merge by hand" not in said
    assert status == 0 and "views: 50001" in page.read_text("utf-8")  # generated again: no hand edit left
    assert not new.exists() and _errors(root) == []


def test_a_later_source_change_is_a_new_conflict(conflict, capsys):
    root, page = conflict
    merged = _merge(page)
    assert _convert(root, capsys)[0] == 0
    _change_source(root, "浏览量:50000".encode(), "浏览量:50001".encode())
    status, said = _convert(root, capsys)
    assert status == 0 and "merge by hand" in said
    assert page.read_text("utf-8") == merged
    assert "views: 50001" in page.with_name(page.name + ".new").read_text("utf-8")


def test_the_merge_waits_while_the_new_version_is_there(conflict, capsys):
    root, page = conflict
    new = page.with_name(page.name + ".new")
    page.write_text(new.read_text("utf-8").replace(*EDIT), "utf-8")  # merged, but the .md.new not deleted yet
    status, said = _convert(root, capsys)
    assert status == 0 and new.exists() and "merge by hand" in said
    assert any(".md.new" in e for e in _errors(root))
