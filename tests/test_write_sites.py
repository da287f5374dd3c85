"""Every path a convert writes (pages, a .md.new, state files, the term index, cache entries and their folders, the
report), found by running one, replaced by a link to a folder outside: nothing is written through it, nothing there
is deleted, the link stays as it was, and the run names it (no traceback). And a hard link planted at a page's path:
the page is replaced by a rename, the other name keeps its content."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import SOURCES, tree_bytes
from conftest import convert_args as _args
from conftest import run_convert as _run

from build_tools import cli

EDIT = "\n手工补充的一段。\n"


def _change_a_source(root: Path, stamp: str) -> None:
    """A changed paragraph at the end of the first source (its page is the edited one)."""
    source = sorted((root / "src").glob("*.txt"))[0]
    source.write_bytes(source.read_bytes() + f"\n\n补充说明第{stamp}条：工会工作要常抓不懈。\n".encode())


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """Seeds converted; the first source's page edited by hand and its source changed, so that a run writes a
    .md.new beside it too; a folder outside with a file in it."""
    root = tmp_path_factory.mktemp("sites")
    shutil.copytree(SOURCES, root / "src")
    assert cli.main(_args(root)) == 0
    first = sorted((root / "src").glob("*.txt"))[0].name
    page = next(p for p in (root / "docs/articles").glob("*.md") if f"source_file: {first}" in p.read_text("utf-8"))
    page.write_text(page.read_text("utf-8") + EDIT, "utf-8")
    _change_a_source(root, "一")
    assert cli.main(_args(root)) == 0
    assert page.with_name(page.name + ".new").is_file()
    (root / "outside").mkdir()
    (root / "outside/kept.txt").write_text("not the tool's\n", "utf-8")
    return root


def _sites(root: Path) -> list[str]:
    """Every file and folder a run wrote, relative to root (the folders given on the command line excepted)."""
    found = [p for folder in ("docs", "build/cache") for p in sorted((root / folder).rglob("*"))]
    return [p.relative_to(root).as_posix() for p in found] + ["build/report.json"]


def _site_cases() -> list[str]:
    """The sites of a real run of the seeds, listed when the tests are collected; and the .md.new of the edited
    page (found in the fixture)."""
    with tempfile.TemporaryDirectory() as scratch, open(os.devnull, "w") as quiet:
        root = Path(scratch)
        shutil.copytree(SOURCES, root / "src")
        with contextlib.redirect_stderr(quiet), contextlib.redirect_stdout(quiet):
            assert cli.main(_args(root)) == 0
        sites = _sites(root)
    assert any(s.startswith("docs/articles/") for s in sites) and any(s.startswith("build/cache/") for s in sites)
    return [*sites, "docs/articles/{new}"]


@pytest.mark.parametrize("site", _site_cases())
def test_no_write_goes_through_a_link_to_a_folder_outside(base, tmp_path, capsys, site):
    root = tmp_path / "run"
    shutil.copytree(base, root, symlinks=True)
    if site == "docs/articles/{new}":
        site = next(p for p in (root / "docs/articles").glob("*.md.new")).relative_to(root).as_posix()
    path = root / site
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(root / "outside", target_is_directory=True)
    outside = tree_bytes(root / "outside")
    _change_a_source(root, "二")  # the edited page's source changes again: its .md.new is written

    status, said = _run(root, capsys)

    assert "Traceback" not in said
    assert tree_bytes(root / "outside") == outside and sorted(os.listdir(root / "outside")) == ["kept.txt"]
    assert path.is_symlink() and os.readlink(path) == str(root / "outside")
    assert str(path.parent) in said and path.name in said, said  # named, with what was done
    if site != "build/report.json" and site != "docs/articles":
        assert status in (0, 1), said  # the other files are converted
        assert status == 0 or site.startswith("docs/articles/"), said  # 1: a page left alone is a refusal


def test_a_hard_link_at_a_page_path_keeps_the_other_names_content(base, tmp_path, capsys):
    """A page is replaced by a rename, never written in place: a hard link to a file outside, planted at the path
    of a page whose source changed, leaves that file as it was (the page becomes a new file)."""
    root = tmp_path / "run"
    shutil.copytree(base, root, symlinks=True)
    source = sorted((root / "src").glob("*.txt"))[1]
    page = next(p for p in (root / "docs/articles").glob("*.md") if f"source_file: {source.name}\n" in p.read_text("utf-8"))
    other = root / "outside/other-name.md"
    os.replace(page, other)
    os.link(other, page)  # one file under two names, holding the page as generated (not a hand edit)
    before = other.read_bytes()
    more = "补充说明：工会工作要常抓不懈，各级工会组织要把维护职工合法权益放在首位，认真倾听职工群众的意见和呼声，"
    more += "及时帮助解决职工生产生活中的实际困难，切实把党和政府的温暖送到职工心坎上。"  # running text (content.py)
    source.write_bytes(source.read_bytes() + f"\n\n{more}\n".encode())

    status, said = _run(root, capsys)

    assert status == 0 and "Traceback" not in said, said
    assert other.read_bytes() == before
    assert page.read_bytes() != before and "常抓不懈" in page.read_text("utf-8")
    assert page.stat().st_ino != other.stat().st_ino
