"""The built site in headless Chromium: home, article, search (Pagefind) in both editions, switcher, phone layout.

Every test runs in a tab that fails on console errors and on any request that leaves 127.0.0.1
(see the `guarded` fixture in conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from build_tools import browse, hant_table

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RAW_URL = yaml.safe_load(re.search(r"(?m)^  raw_url: .*$", (ROOT / "mkdocs.yml").read_text("utf-8")).group(0))["raw_url"]


def _articles() -> list[browse.ArticleInfo]:
    return browse.load_articles(DOCS)


def _url(page: str) -> str:
    """docs path -> site address ('articles/x.md' -> 'articles/x/')."""
    return page[: -len(".md")] + "/"


def _pages_containing(term: str) -> set[str]:
    """Article pages whose text has the term; a near-duplicate is searched through its canonical page only."""
    out = set()
    for path in sorted((DOCS / "articles").glob("*.md")):
        if path.name.endswith(".hant.md"):
            continue
        text = path.read_text(encoding="utf-8")
        head, _, body = text[4:].partition("\n---\n")
        if term in body and "\nduplicate_of:" not in "\n" + head:
            out.add(_url(f"articles/{path.name}"))
    return out


def _h1(page) -> str:
    return page.locator(".md-content h1").first.inner_text().replace("¶", "").strip()


def _search(page, query: str) -> list[str]:
    """Type a query into the header's search box (Pagefind's UI); returns the page addresses of the results, best first."""
    page.wait_for_function("() => document.querySelector('.pagefind-ui__search-input') !== null")
    if page.viewport_size["width"] < 960:
        page.click(".wk-search__toggle")  # the phone header shows a magnifier that opens the box
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    # The message names the number of results (找到 12 个 … 的结果); Pagefind shows 10 at a time, then "load more".
    page.wait_for_function("() => /\\d/.test(document.querySelector('.pagefind-ui__message')?.textContent || '')")
    total = int(re.search(r"\d+", page.inner_text(".pagefind-ui__message")).group(0))
    while (shown := page.locator(".pagefind-ui__result").count()) < total:
        page.click(".pagefind-ui__button")
        page.wait_for_function(f"() => document.querySelectorAll('.pagefind-ui__result').length > {shown}")
    # Each result's data loads on its own: until then the result is a placeholder without a link.
    count = "selector => document.querySelectorAll(selector).length"
    page.wait_for_function(f"() => ({count})('.pagefind-ui__result-link[href]') === ({count})('.pagefind-ui__result')")
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
    return [re.split(r"[?#]", re.sub(r"^https?://[^/]+/(hant/)?", "", h))[0] for h in hrefs]


def test_home_renders(guarded, base_url):
    page, _ = guarded
    page.goto(base_url)
    assert "工会工作文库" in page.title()
    assert _h1(page) == "工会工作文库"
    assert page.locator(".wk-stat").count() == 4
    assert f"{len(_articles())}" in page.locator(".wk-stat").first.inner_text()
    newest = page.locator(".md-content ul").first.locator("a")
    assert newest.count() == min(browse.NEWEST, len(_articles()))
    for label in ("按分类", "按年份", "按来源"):
        assert page.get_by_role("heading", name=label).count() == 1
    # two clicks: home -> a category chip -> an article
    page.locator(".wk-chips a").first.click()
    page.wait_for_load_state()
    assert "/browse/category/" in page.url
    page.locator(".md-content li a").first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url and page.locator(".wk-meta").count() == 1


def test_home_year_page_article(guarded, base_url):
    """Two clicks: home -> the newest year's page -> its first article; the year page links back to the index."""
    page, _ = guarded
    page.goto(base_url)
    newest = browse.browse_groups(_articles())["year"][0]
    page.get_by_role("link", name=newest.label).first.click()
    page.wait_for_load_state()
    assert page.url == base_url + newest.pages[0][: -len(".md")] + "/"
    assert _h1(page) == newest.label
    assert page.locator(".md-content li a").count() == min(len(newest.articles), browse.PAGE_SIZE)
    assert page.locator(f".md-content a[href$='#{newest.anchor}']").count() == 1
    page.locator(".md-content li a").first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url and _h1(page) == newest.articles[0].title


def test_article_shows_metadata_and_tags(guarded, base_url):
    page, _ = guarded
    tagged = next(a for a in _articles() if a.tags)
    page.goto(base_url + _url(tagged.page))
    meta = page.locator(".wk-meta")
    text = meta.inner_text()
    for key in ("日期", "分类", "原文字体", "原始文本"):
        assert key in text
    assert tagged.title in page.title()
    tags = page.locator(".md-tags .md-tag")
    assert sorted(t.strip() for t in tags.all_inner_texts()) == sorted(tagged.tags)
    # the raw source link leads to the file as received, in the repository (extra.raw_url), not into the site
    raw = page.locator("a.wk-raw")
    assert (ROOT / "sources" / tagged.meta["source_file"]).is_file()
    assert raw.evaluate("a => a.href") == RAW_URL + quote(tagged.meta["source_file"])
    assert page.locator(".md-sidebar--secondary .md-nav__link").count() >= 1  # the table of contents


def test_related_link_lands_on_an_article(guarded, base_url):
    page, _ = guarded
    with_related = [a for a in _articles() if a.meta.get("related")]
    if not with_related:
        pytest.xfail("no article has `related` in its front matter yet (corpus pass not run)")
    page.goto(base_url + _url(with_related[0].page))
    links = page.locator("#related + .wk-related a, .wk-related a")
    assert links.count() >= 1
    assert "共同的词语" in page.locator(".wk-related").inner_text() and page.locator(".wk-related li small").count() >= 1
    target = links.first.inner_text().strip()
    links.first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url
    assert _h1(page) == target
    assert page.locator(".wk-meta").count() == 1


def test_compilation_siblings_link_each_other(guarded, base_url):
    page, _ = guarded
    parts = [a for a in _articles() if int(a.meta.get("source_parts") or 1) > 1]
    if not parts:
        pytest.skip("no compilation in the corpus")
    page.goto(base_url + _url(parts[0].page))
    assert "共" in page.locator(".wk-meta").inner_text()
    sibling = page.locator(".wk-siblings a").first
    title = sibling.inner_text().strip()
    sibling.click()
    page.wait_for_load_state()
    assert _h1(page) == title


@pytest.mark.parametrize(("prefix", "query", "term"), [("", "职工之家", "职工之家"), ("hant/", "職工之家", "职工之家")])
def test_search_finds_the_articles_with_the_term(guarded, base_url, prefix, query, term):
    page, _ = guarded
    page.goto(base_url + prefix)
    found = _search(page, query)
    expected = _pages_containing(term)
    assert expected, f"no article contains {term}"
    assert set(found) >= expected, f"missing: {expected - set(found)}"
    assert any(f.startswith("terms/") and f != "terms/" for f in found), "the term's own index page is a result"
    articles = {f for f in found if f.startswith("articles/")}
    assert articles == expected, f"article results without the term: {articles - expected}"
    marks = page.locator(".pagefind-ui__result-excerpt mark").all_inner_texts()
    assert query in marks, f"the whole term is not highlighted: {marks[:10]}"


def test_traditional_results_read_in_traditional(guarded, base_url, built_site):
    """The Traditional edition searches the Simplified index: its results link to its own pages, with their
    titles as those pages have them and excerpts without a Simplified character."""
    page, _ = guarded
    page.goto(base_url + "hant/")
    found = _search(page, "勞動關係")
    assert found
    simplified_only = {chr(k) for k in hant_table.char_map()}
    for link in page.locator(".pagefind-ui__result-link").all():
        href = link.evaluate("a => a.href")
        assert href.startswith(base_url + "hant/"), href
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", (built_site / href[len(base_url) :] / "index.html").read_text("utf-8"), re.S)
        assert link.inner_text().strip() == re.sub(r"<[^>]+>", "", h1.group(1)).strip(), href
    excerpts = "".join(page.locator(".pagefind-ui__result-excerpt").all_inner_texts())
    assert "勞動關係" in excerpts and not simplified_only & set(excerpts), sorted(simplified_only & set(excerpts))


def test_a_page_load_does_not_fetch_the_sitemap(guarded, base_url):
    """Material fetches sitemap.xml beside every <link rel=alternate> (the RSS feed's): the whole site's would be
    2 MB at 10,000 articles on every page load; the feed's folder has an empty one."""
    page, _ = guarded
    fetched: list[str] = []
    page.on("requestfinished", lambda r: fetched.append(r.url))
    for path in ("", _url(_articles()[0].page), "hant/"):
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    sitemaps = {u[len(base_url) :] for u in fetched if u.endswith("sitemap.xml")}
    assert sitemaps <= {"rss/sitemap.xml", "hant/rss/sitemap.xml"}, sitemaps


def test_switcher_keeps_the_same_article(guarded, base_url):
    page, _ = guarded
    article = next(a for a in _articles() if a.meta.get("script") == "Hant")
    page.goto(base_url + _url(article.page))
    page.click("a[data-wk-switch]")
    page.wait_for_load_state()
    assert page.url == base_url + "hant/" + _url(article.page)
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    expected = article.meta.get("original_title") or article.title
    assert _h1(page) == expected
    page.click("a[data-wk-switch]")
    page.wait_for_load_state()
    assert page.url == base_url + _url(article.page)
    assert _h1(page) == article.title


@pytest.mark.parametrize("path", ["", "browse/year/", "browse/year/undated/", "hant/", "hant/browse/category/zongjie/", "about/"])
def test_switcher_on_other_pages(guarded, base_url, path):
    page, _ = guarded
    page.goto(base_url + path)
    href = page.locator("a[data-wk-switch]").evaluate("a => a.href")
    other = path[len("hant/") :] if path.startswith("hant/") else "hant/" + path
    assert href == base_url + other


@pytest.mark.parametrize("path", ["", "ARTICLE", "browse/year/", "browse/year/undated/", "browse/source/", "tags/", "hant/ARTICLE"])
def test_phone_has_no_horizontal_scroll(guarded, base_url, path):
    page, _ = guarded
    article = _url(max(_articles(), key=lambda a: len(str(a.meta.get("source_file", "")))).page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + path.replace("ARTICLE", article))
    page.wait_for_load_state("networkidle")
    width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= 390, f"{path}: page is {width}px wide on a 390px screen"


def test_phone_search_works(guarded, base_url):
    page, _ = guarded
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url)
    assert set(_search(page, "集体协商")) >= _pages_containing("集体协商")
    width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= 390, f"the open search box makes the page {width}px wide on a 390px screen"


def test_search_box_is_in_every_page_header(guarded, base_url):
    page, _ = guarded
    article = _url(_articles()[0].page)
    for path in ("", "browse/year/", article, "hant/", "hant/" + article):
        page.goto(base_url + path)
        # mounted once the list of index bundles (and, in the Traditional edition, its table) has loaded
        page.wait_for_selector("header .wk-search .pagefind-ui__search-input", state="attached", timeout=5000)
        assert page.locator("header .wk-search .pagefind-ui__search-input").count() == 1, path
    assert page.locator(".pagefind-ui__search-input").get_attribute("placeholder") == "搜尋"
