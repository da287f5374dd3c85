"""The e-books of the built site (build_tools/epub.py): every edition, the whole library and every category,
newest first with the information block, linked from the home and category pages, valid EPUB."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pytest

from build_tools import browse, epub

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = browse.load_articles(ROOT / "docs")
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck
XHTML = "{http://www.w3.org/1999/xhtml}"


def _h1(page: Path) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
    assert m, page
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()


def _chapters(book: Path) -> list[ElementTree.Element]:
    """The book's article documents in reading order (after the title page and the table of contents)."""
    with zipfile.ZipFile(book) as z:
        opf = z.read("EPUB/content.opf").decode("utf-8")
        by_id = {i: h for h, i in re.findall(r'<item href="([^"]+)" id="([^"]+)"', opf)}
        spine = [by_id[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf) if i in by_id]
        return [ElementTree.fromstring(z.read(f"EPUB/{h}")) for h in spine if h.startswith("a")]


@pytest.mark.parametrize("edition", ["", "hant"])
def test_every_edition_has_the_library_and_each_category_as_a_valid_ebook(built_site, edition):
    site = built_site / edition if edition else built_site
    folder = site / "download" / "ebooks"
    groups = browse.browse_groups(ARTICLES)["category"]
    expected = {epub.book_name()} | {epub.book_name(PurePosixPath(g.pages[0]).stem) for g in groups}
    assert {p.name for p in folder.glob("*.epub")} == expected
    for book in sorted(folder.glob("*.epub")):
        assert epub.check(book) == [], book
    # the whole library: every article, newest first, in the edition's script, each with its information block
    newest = browse.newest_first(ARTICLES)
    chapters = _chapters(folder / epub.book_name())
    titles = [c.findtext(f".//{XHTML}h1") for c in chapters]
    assert titles == [_h1(site / "articles" / PurePosixPath(a.page).stem / "index.html") for a in newest]
    assert all(c.find(f".//{XHTML}dl[@class='wk-meta']") is not None for c in chapters)
    for g in groups:
        book = folder / epub.book_name(PurePosixPath(g.pages[0]).stem)
        assert len(_chapters(book)) == len(g.articles), book


@pytest.mark.parametrize("edition", ["", "hant"])
def test_home_and_category_pages_link_the_ebooks(built_site, edition):
    site = built_site / edition if edition else built_site
    groups = browse.browse_groups(ARTICLES)["category"]
    pages = ["index.html", "browse/category/index.html"] + [f"{g.pages[0][:-3]}/index.html" for g in groups]
    for page in pages:
        text = (site / page).read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]+\.epub)"', text)
        assert links, page
        for link in links:
            assert (site / page).parent.joinpath(link).resolve().is_file(), (page, link)


def test_epubcheck_accepts_the_ebooks(built_site):
    """Debian's epubcheck (a Java program) where it is installed; CI installs it (.ci/run)."""
    java = shutil.which("java")
    if not (EPUBCHECK.is_file() and java):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("epubcheck is not installed (apt-get install epubcheck); .ci/run installs it")
        pytest.skip("epubcheck is not installed (apt-get install epubcheck)")
    for edition in (built_site, built_site / "hant"):
        book = edition / "download" / "ebooks" / epub.book_name()
        run = subprocess.run([java, "-jar", str(EPUBCHECK), str(book)], capture_output=True, text=True, timeout=300)
        assert run.returncode == 0 and "No errors or warnings detected" in run.stdout + run.stderr, run.stdout + run.stderr
