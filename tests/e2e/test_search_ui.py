"""The search box narrows and orders results: filters by category, year and source, newest first, the date and
category of each result, and an empty result that says so and offers the term index, in both editions."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from build_tools import hant
from build_tools.browser import serve

from . import recall

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def library(built_site) -> recall.Library:
    return recall.load(built_site)


def _meta(built_site, page: str) -> dict[str, str]:
    """The 日期 / 分类 / 发布 or 来源 rows of an article's metadata block, as the page shows them."""
    text = (built_site / page / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<dl class="wk-meta".*?</dl>', text, re.S).group(0)
    rows = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", block, re.S)
    return {k: re.sub(r"<[^>]+>", "", v) for k, v in rows}


def _common_word(library: recall.Library) -> str:
    """The domain term found in the most articles (so that its results have several categories and dates)."""
    counts = Counter({t: len(library.containing(t)) for t in recall.draw(library, 0, 0, 0)["terms"]})
    return counts.most_common(1)[0][0]


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_filters_narrow_the_results_by_category(guarded, base_url, built_site, library, edition):
    page, _ = guarded
    word = _common_word(library)
    typed = hant.to_hant(word) if edition else word
    page.goto(base_url + edition)
    everything = recall.search_all(page, typed)
    # Pagefind draws the filter panel once its filter index has loaded, after the results at times
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 3", timeout=10000)
    names = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    expected_names = ["分类", "年份", "来源"] if not edition else ["分類", "年份", "來源"]
    assert sorted(n.strip() for n in names) == sorted(expected_names), names
    block = page.locator(".pagefind-ui__filter-block").first
    # Pagefind opens every filter when its first panel had one filter of few values (filters.svelte)
    if not block.evaluate("details => details.open"):
        page.locator(".pagefind-ui__filter-name").first.click()
    label = block.locator(".pagefind-ui__filter-label").first
    category = re.sub(r"\s*\(\d+\)$", "", label.inner_text()).strip()
    label.click()
    page.wait_for_function("() => /找到/.test(document.querySelector('.pagefind-ui__message')?.textContent || '')")
    page.wait_for_timeout(300)
    narrowed = recall.search_all(page, typed)
    assert narrowed and set(narrowed) < set(everything), (len(narrowed), len(everything))
    for result in narrowed:
        shown = _meta(built_site, edition + result)["分類" if edition else "分类"]
        assert shown == category, (result, shown, category)


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_the_filter_panel_is_complete_when_a_filter_index_arrives_late(guarded, built_site, library, edition):
    """Each filter's index in turn arrives two seconds after the others, later than the first results: the panel
    still ends with every filter (Pagefind's UI alone keeps the filters of its first search: dev/search.md)."""
    page, _ = guarded
    word = _common_word(library)
    typed = hant.to_hant(word) if edition else word
    chunks = sorted(p.name for p in built_site.glob("pagefind*/filter/*.pf_filter"))
    assert len(chunks) == 3, chunks
    expected = ["分类", "年份", "来源"] if not edition else ["分類", "年份", "來源"]
    for late in chunks:
        with serve(built_site, late={late: 2.0}) as url:
            page.goto(url + edition)
            recall.search_all(page, typed)
            page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 3", timeout=15000)
            names = page.locator(".pagefind-ui__filter-name").all_inner_texts()
            assert sorted(n.strip() for n in names) == sorted(expected), (late, names)


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_results_show_date_and_category_and_sort_newest_first(guarded, base_url, built_site, library, edition):
    page, _ = guarded
    word = _common_word(library)
    page.goto(base_url + edition)
    recall.search_all(page, hant.to_hant(word) if edition else word)
    page.select_option(".wk-search__order select", "newest")
    found = recall.search_all(page, hant.to_hant(word) if edition else word)
    articles = [f for f in found if f.startswith("articles/")]
    assert len(articles) == len(library.containing(word))
    tags = page.locator(".pagefind-ui__result").all_inner_texts()
    category = "分類" if edition else "分类"
    dates = []
    for result, text in zip(found, tags, strict=True):
        meta = _meta(built_site, edition + result)
        assert f"日期: {meta['日期']}" in text and f"{category}: {meta[category]}" in text, (result, text)
        dates.append(meta["日期"])
    dated = [d for d in dates if re.match(r"\d{4}", d)]
    assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated, dates


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_excerpts_are_the_articles_text(guarded, base_url, library, edition):
    """Each result's excerpt is decoded text around the query, never the index's codes (Pagefind glues a "." to the
    last word of a block without closing punctuation: "活lkr_gbs." was shown)."""
    page, _ = guarded
    page.goto(base_url + edition)
    terms = recall.draw(library, 0, 0, 0)["terms"]
    for term in random.Random().sample(terms, min(8, len(terms))):
        recall.search_all(page, hant.to_hant(term) if edition else term)
        for text in page.locator(".pagefind-ui__result-excerpt").all_inner_texts():
            assert not re.search(r"[0-9a-z]{3,4}_", text), (term, text)
            assert (hant.to_hant(term) if edition else term) in text, (term, text)


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_an_empty_result_says_so_and_offers_the_term_index(guarded, base_url, library, edition):
    page, _ = guarded
    text = "\n".join(b for blocks in library.texts.values() for b in blocks)
    rng = random.Random(len(text))
    chars = sorted(set(re.findall(r"[\u4e00-\u9fff]", text)))
    while (absent := rng.choice(chars) + rng.choice(chars) + rng.choice(chars)) in text:
        pass
    page.goto(base_url + edition)
    assert recall.search_all(page, hant.to_hant(absent) if edition else absent) == []
    empty = page.locator(".wk-search__empty")
    empty.wait_for(state="visible")
    empty.locator("a").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(edition + "terms"), page.url
    assert page.locator(".md-content h1").first.inner_text().startswith("术语" if not edition else "術語")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_results_drawer_is_readable_on_desktop_and_phone(guarded, base_url, library, width):
    """Filters, their values, the order select and the results' tags in at least 12 px (Pagefind's own scale gave
    10 px); the order on a row of its own, the filters under it from the same left edge (not pushed aside by it)."""
    page, _ = guarded
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url)
    recall.search_all(page, _common_word(library))
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 3", timeout=10000)
    block = page.locator(".pagefind-ui__filter-block").first
    if not block.evaluate("details => details.open"):
        block.locator(".pagefind-ui__filter-name").click()
    kinds = [".pagefind-ui__filter-name", ".pagefind-ui__filter-label", ".wk-search__order", ".pagefind-ui__result-tag"]
    sizes = page.evaluate("ks => ks.map(k => parseFloat(getComputedStyle(document.querySelector(k)).fontSize))", kinds)
    assert all(size >= 12 for size in sizes), dict(zip(kinds, sizes, strict=True))
    order, panel = page.evaluate(
        "ks => ks.map(k => document.querySelector(k).getBoundingClientRect().toJSON())", [".wk-search__order", ".pagefind-ui__filter-panel"]
    )
    assert order["bottom"] <= panel["top"] and abs(panel["left"] - order["left"]) < 1, (order, panel)
