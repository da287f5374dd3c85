"""The site build is strict: any MkDocs warning (a broken link or anchor in a hand-written page, in an article's
own Traditional text) fails `python -m build_tools site`, in each edition."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools import site

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture
def root(tmp_path) -> Path:
    """A copy of the project's site set-up around a small docs/ (the golden pages, about.md, the assets)."""
    for name in ("mkdocs.yml", "mkdocs.hant.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("build_tools", "overrides"):
        (tmp_path / name).symlink_to(ROOT / name)
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    shutil.copy(ROOT / "docs" / "about.md", docs / "about.md")
    shutil.copytree(GOLDEN, docs / "articles")
    return tmp_path


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_warning_lines_are_found():
    lines = ["INFO    -  Building documentation", "WARNING -  Doc file 'a.md' contains a link 'b.md'", "ERROR   -  x", "x WARNING - y"]
    assert site.warnings_in(lines) == lines[1:3]


@pytest.mark.parametrize("edition", ["hans", "hant"])
def test_a_broken_link_in_a_hand_written_page_fails_the_build(root, edition, capsys):
    _append(root / "docs" / "about.md", "\n见[不存在的页面](nothere.md)。\n")
    assert site.build(root / "site", root=root, editions=(edition,)) == 1
    err = capsys.readouterr().err
    assert "nothere.md" in err and f"the {edition} edition" in err


def test_a_broken_anchor_in_an_article_s_own_traditional_text_fails_that_edition(root, capsys):
    hant = sorted((root / "docs" / "articles").glob("*.hant.md"))[0]
    assert site.build(root / "site", root=root, editions=("hant",)) == 0  # the pages as they are build cleanly
    _append(hant, "\n見[第一節](#沒有這一節)。\n")
    assert site.build(root / "site", root=root, editions=("hant",)) == 1
    assert "沒有這一節" in capsys.readouterr().err
