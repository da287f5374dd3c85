"""The offline copy (`make offline`): unpacked from its zip, it works from file:// in headless Chromium.

The zip is built afresh from the current docs/ into a temporary folder, unpacked, and opened with
file:// addresses only: an article shows its metadata block, a related link (or, without related
articles, a link to a sibling of the same compilation) lands on a real article page, search answers,
and the Traditional edition is there too. No console error, no request to any network address.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from build_tools import browse, offline, offline_search

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    """The offline zip built from docs/, unpacked; returns its top folder (the one holding index.html)."""
    work = tmp_path_factory.mktemp("offline")
    zip_path = work / offline.ZIP_NAME
    assert offline.build(work / "site", zip_path) == 0, "the offline build failed; run `make offline` to see why"
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        assert names == sorted(names), "zip entries are not sorted"
        assert {i.date_time for i in zf.infolist()} == {offline.ZIP_TIME}
        zf.extractall(work / "unpacked")
    top = work / "unpacked" / offline.TOP
    assert (top / "index.html").is_file() and (top / "hant" / "index.html").is_file()
    return top


@pytest.fixture
def file_page(context):
    """A tab that records console errors and aborts (and records) every request that is not file:, data: or blob:."""
    errors: list[str] = []
    foreign: list[str] = []

    def route(r):
        if urlparse(r.request.url).scheme in ("file", "data", "blob", "about"):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    page = context.new_page()  # the session's Chromium (conftest.py), which also allows file:// pages
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}") if urlparse(r.url).scheme == "file" else None)
    page.route("**/*", route)
    yield page
    page.close()
    assert not foreign, f"the offline copy asked the network for: {foreign}"
    assert not errors, f"console errors: {errors}"


def _h1(page) -> str:
    return page.locator(".md-content h1").first.inner_text().replace("¶", "").strip()


def _article_with_links() -> tuple[browse.ArticleInfo, str]:
    """An article with related articles (else one of a compilation) and the selector of those links."""
    articles = browse.load_articles(DOCS)
    assert articles, "docs/articles/ is empty; run `make convert`"
    related = [a for a in articles if a.meta.get("related")]
    if related:
        return related[0], ".wk-related a"
    parts = [a for a in articles if int(a.meta.get("source_parts") or 1) > 1]
    if parts:
        return parts[0], ".wk-siblings a"
    pytest.skip("no article has related articles or siblings")


def test_zip_has_no_directory_urls_and_no_online_shim(unpacked):
    assert (unpacked / "articles").is_dir() and not (unpacked / "articles" / "index.html").exists()
    assert (unpacked / offline.SHIM_PATH).is_file()
    assert (unpacked / "search" / "search_index.js").is_file()  # Material's own search: Pagefind cannot load from file://
    assert not (unpacked / "pagefind").exists() and not (unpacked / "hant" / "pagefind").exists()
    for page in unpacked.rglob("*.html"):
        assert "unpkg.com" not in page.read_text(encoding="utf-8"), page
    # Material's search indexes an article's text, not the metadata block or related list around it
    js = (unpacked / "search" / "search_index.js").read_text(encoding="utf-8")
    text = " ".join(d["text"] for d in json.loads(js.split("=", 1)[1].strip().rstrip(";"))["docs"])
    assert "工会" in text and "原文字体" not in text and "两篇共同的词语" not in text


def test_article_and_its_links_from_file_url(file_page, unpacked):
    page = file_page
    article, selector = _article_with_links()
    url = (unpacked / article.page).with_suffix(".html").as_uri()
    page.goto(url)
    assert _h1(page) == article.title
    meta = page.locator(".wk-meta")
    assert meta.count() == 1
    for key in ("日期", "原始文本"):
        assert key in meta.inner_text()
    links = page.locator(selector)
    assert links.count() >= 1
    target = links.first.inner_text().strip()
    links.first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and "/articles/" in page.url and page.url.endswith(".html")
    assert _h1(page) == target
    assert page.locator(".wk-meta").count() == 1
    # the raw text the metadata block links to is in the zip as well
    raw = page.locator("a.wk-raw")
    assert raw.count() == 1
    href = raw.first.evaluate("a => a.href")
    received = (ROOT / "sources" / raw.inner_text()).read_bytes()
    assert href.startswith("file://") and Path(unquote(urlparse(href).path)).read_bytes() == received


def test_search_works_offline(file_page, unpacked):
    page = file_page
    page.goto((unpacked / "index.html").as_uri())
    assert _h1(page) == "工会工作文库"
    page.click(".md-search__input")
    page.fill(".md-search__input", "工会")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    first = page.locator(".md-search-result__item > a.md-search-result__link").first.get_attribute("href")
    assert first and ".html" in first


@pytest.mark.parametrize(("edition", "term"), [("", "职工之家"), ("hant", "職工之家")])
def test_offline_search_index_keeps_terms_whole(unpacked, edition, term):
    """The offline copy's own search (Material's) cuts each edition with a dictionary in its script, the domain
    terms included, and its worker tries the whole query as one word (build_tools/offline_search.py)."""
    js = (unpacked / edition / "search" / "search_index.js").read_text(encoding="utf-8")
    texts = [d["text"] for d in json.loads(js.split("=", 1)[1].strip().rstrip(";"))["docs"]]
    tokens = {t for text in texts for t in re.split(r"[\s\u200b]+", re.sub(r"<[^>]+>", " ", text))}
    assert term in tokens, f"{edition or 'hans'}: {term} is not a word of the index"
    worker = next((unpacked / edition / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert offline_search.WORKER_FIX in worker.read_text(encoding="utf-8")


@pytest.mark.parametrize(("edition", "query"), [("", "职工之家"), ("hant", "職工之家")])
def test_offline_search_highlights_the_whole_term(file_page, unpacked, edition, query):
    page = file_page
    page.goto((unpacked / edition / "index.html").as_uri())
    page.click(".md-search__input")
    page.fill(".md-search__input", query)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result mark", timeout=15000)
    marks = page.locator(".md-search-result mark").all_inner_texts()
    assert query in marks, f"the whole term is not highlighted: {marks[:10]}"


def test_traditional_edition_and_switcher(file_page, unpacked):
    page = file_page
    page.goto((unpacked / "index.html").as_uri())
    page.locator("[data-wk-switch]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/hant/index.html")
    assert _h1(page) == "工會工作文庫"


def test_a_large_library_gets_no_offline_copy(tmp_path, monkeypatch, capsys):
    """Above offline.MAX_ARTICLES the copy is not built (an older zip is removed) and publishing has nothing to do."""
    docs = tmp_path / "docs"
    (docs / "articles").mkdir(parents=True)
    for name in ("a.md", "b.md", "c.md", "c.hant.md"):
        (docs / "articles" / name).write_text("---\ntitle: t\n---\n\n正文。\n", encoding="utf-8")
    assert offline.article_count(docs) == 3
    zip_path = tmp_path / "download" / offline.ZIP_NAME
    zip_path.parent.mkdir()
    zip_path.write_bytes(b"old")
    monkeypatch.setattr(offline, "MAX_ARTICLES", 2)
    assert offline.build(tmp_path / "out", zip_path, docs) == 0
    assert not zip_path.exists() and not (tmp_path / "out").exists()
    assert "3 articles, more than 2" in capsys.readouterr().err
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html></html>")
    assert offline.publish(site, zip_path) == 0 and not (site / offline.DOWNLOAD_DIR).exists()


def test_the_zip_is_published_once_and_both_home_pages_link_it(tmp_path, monkeypatch):
    zip_path = tmp_path / offline.ZIP_NAME
    zip_path.write_bytes(b"PK")
    site = tmp_path / "site"
    (site / "hant").mkdir(parents=True)
    for root in (site, site / "hant"):
        (root / "index.html").write_text("<html></html>")
    assert offline.publish(site, zip_path) == 0
    assert (site / "download" / offline.ZIP_NAME).read_bytes() == b"PK" and not (site / "hant" / "download").exists()
    monkeypatch.setattr(offline, "ZIP_PATH", zip_path)
    assert f'href="download/{offline.ZIP_NAME}"' in offline.link_markdown()
    assert f'href="../download/{offline.ZIP_NAME}"' in offline.link_markdown("../")
