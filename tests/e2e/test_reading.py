"""Reading the built site in headless Chromium: accessibility (axe-core, PyPI axe-playwright-python) on every
page type of both editions, light and dark, desktop and phone, and what the styles do (computed in the browser).

The site is served as GitHub Pages serves it (build_tools/pages_server.py: under /gonghui-wenku/, gzip,
404.html for unknown addresses), so the 404 page is the one readers get.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from build_tools import browse, hant
from build_tools.browser import Guard, browser_context, open_search
from build_tools.pages_server import serving

from .conftest import _need_chromium

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
SERIOUS = ("serious", "critical")
HAN = r"[\u4e00-\u9fff]"
HTTP_404 = "console.error: Failed to load resource: the server responded with a status of 404 (Not Found)"


@pytest.fixture(scope="module")
def site_url(built_site) -> str:
    with serving(built_site) as url:
        yield url


def _article(built_site: Path) -> str:
    """The article page with the most of what an article can show: related, compilation, near-duplicate notice."""

    def score(path: Path) -> int:
        text = path.read_text(encoding="utf-8")
        return sum(marker in text for marker in ('class="wk-related"', 'class="wk-siblings"', "近似", 'class="wk-more"'))

    best = max(sorted((built_site / "articles").glob("*/index.html")), key=score)
    return f"articles/{best.parent.name}/"


def page_types(built_site: Path) -> dict[str, str]:
    """One page of each type (site paths, Simplified edition), chosen from the built site."""
    group = re.search(r'href="([a-z][a-z0-9-]*/)"', (built_site / "browse" / "category" / "index.html").read_text("utf-8"))
    term = re.search(r'href="([a-z][a-z0-9-]*/)"', (built_site / "terms" / "index.html").read_text("utf-8"))
    assert group and term
    return {
        "home": "",
        "article": _article(built_site),
        "browse index": "browse/category/",
        "browse group": f"browse/category/{group.group(1)}",
        "browse year": "browse/year/",
        "tags": "tags/",
        "term index": "terms/",
        "term": f"terms/{term.group(1)}",
        "about": "about/",
        "404": "no-such-page/",
        "search": "",
    }


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_axe_finds_nothing_serious_on_any_page_type(built_site, site_url, device, scheme):
    from axe_playwright_python.sync_playwright import Axe

    _need_chromium()
    axe = Axe()
    phone = device == "phone"
    found = []
    with browser_context(viewport=VIEWPORTS[device], color_scheme=scheme, is_mobile=phone, has_touch=phone) as ctx:
        page = ctx.new_page()
        guard = Guard()
        guard.attach(page)
        for edition in ("", "hant/"):
            for kind, path in page_types(built_site).items():
                page.goto(site_url + edition + path)
                if kind == "404" and edition:  # the root's 404.html leads to the Traditional one
                    page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
                page.wait_for_load_state("networkidle")
                if kind == "404":  # the page itself is the one expected 404
                    assert sorted(guard.errors[-2:]) == sorted([HTTP_404, f"HTTP 404: {site_url}{edition}{path}"]), guard.errors
                    del guard.errors[-2:]
                expected = "slate" if scheme == "dark" else "default"
                assert page.get_attribute("body", "data-md-color-scheme") == expected, (edition, kind)
                if kind == "search":
                    open_search(page, "工会", phone)
                results = axe.run(page).response
                for v in results["violations"]:
                    if v["impact"] in SERIOUS:
                        found.append(f"{edition}{path} ({kind}): {v['id']} {v['impact']}: {[n['target'] for n in v['nodes']][:3]}")
        assert not guard.errors, guard.errors
        assert not guard.foreign, guard.foreign
    assert not found, "\n".join(found)


def _sized_page(context, device: str):
    page = context.new_page()
    page.set_viewport_size(VIEWPORTS[device])
    yield page
    page.close()


@pytest.fixture
def phone_page(context):
    yield from _sized_page(context, "phone")


@pytest.fixture
def desktop_page(context):
    yield from _sized_page(context, "desktop")


@pytest.mark.parametrize("edition,lang,font", [("", "zh-Hans", "Noto Sans CJK SC"), ("hant/", "zh-Hant", "Noto Sans CJK TC")])
def test_chinese_text_in_a_cjk_font_with_full_width_quotes(built_site, site_url, desktop_page, edition, lang, font):
    page = desktop_page
    page.goto(site_url + edition + _article(built_site))
    assert page.evaluate("document.documentElement.lang") == lang
    family = page.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).fontFamily")
    assert family.split(",")[0].strip('" ') == font
    # every curly quote next to Chinese text is as wide as a Chinese character of its font size (measured
    # without Chromium's trimming of punctuation at the ends of lines, text-spacing-trim)
    widths = page.evaluate(
        """() => (document.body.style.textSpacingTrim = 'space-all', [...document.querySelectorAll('article p w-q')]).map(q =>
             q.getBoundingClientRect().width / parseFloat(getComputedStyle(q).fontSize))"""
    )
    assert widths, "no curly quote next to Chinese text in the article"
    assert all(0.9 < w < 1.1 for w in widths), widths


def test_titles_small_print_and_links_read_clearly(built_site, site_url, desktop_page):
    page = desktop_page
    for path in ("", _article(built_site), "about/"):
        page.goto(site_url + path)
        h1 = page.evaluate(
            "(() => { const s = getComputedStyle(document.querySelector('.md-typeset h1')); return [s.fontWeight, s.color]; })()"
        )
        body = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).color")
        assert int(h1[0]) >= 600 and h1[1] == body, (path, h1, body)
        opacities = page.evaluate("[...document.querySelectorAll('.md-typeset small')].map(e => getComputedStyle(e).opacity)")
        assert all(o == "1" for o in opacities), (path, opacities)
        undecorated = page.evaluate(
            """[...document.querySelectorAll('.md-typeset p a, .md-typeset li a, .md-typeset dd a')]
                 .filter(a => !a.closest('.wk-chips, .wk-outline') && !a.classList.contains('headerlink'))
                 .filter(a => getComputedStyle(a).textDecorationLine !== 'underline').map(a => a.textContent)"""
        )
        assert not undecorated, (path, undecorated)


def test_justified_on_wide_screens_only(built_site, site_url, desktop_page, phone_page):
    article = _article(built_site)
    for page, expected in ((desktop_page, {"justify"}), (phone_page, {"start", "left"})):
        page.goto(site_url + article)
        aligns = set(page.evaluate("[...document.querySelectorAll('article.md-typeset p')].map(p => getComputedStyle(p).textAlign)"))
        assert aligns and aligns <= expected, aligns


def test_no_stray_spaces_between_chinese_characters_of_hand_written_pages(site_url, desktop_page):
    page = desktop_page
    source = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    assert re.search(rf"{HAN}\n{HAN}", source) or re.search(rf"[，。、]\n{HAN}", source), "about.md has no line break inside a paragraph"
    for edition in ("", "hant/"):
        page.goto(site_url + edition + "about/")
        texts = page.evaluate("[...document.querySelectorAll('.md-typeset p, .md-typeset li')].map(p => p.textContent)")
        stray = [t for t in texts if re.search(rf"(?:{HAN}|[，。、；：])\s+{HAN}", t)]
        assert not stray, stray


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_skip_link_leads_to_the_start_of_the_content(built_site, site_url, desktop_page, edition):
    page = desktop_page
    page.goto(site_url + edition + _article(built_site))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Enter")
    # the focus is on the content, before the page title and the information block
    assert page.evaluate(
        """(() => { const f = document.activeElement;
             return f.contains(document.querySelector('.md-typeset h1')) && f.contains(document.querySelector('.wk-meta')); })()"""
    )


def test_dark_mode_follows_the_system_and_the_toggle_is_remembered(site_url):
    _need_chromium()
    with browser_context(viewport=VIEWPORTS["phone"], color_scheme="dark", is_mobile=True, has_touch=True) as ctx:
        page = ctx.new_page()
        page.goto(site_url)
        page.wait_for_load_state("networkidle")
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        assert page.evaluate(scheme) == "slate"
        dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.click("[data-md-component=palette] label:not([hidden])")
        page.wait_for_function(f"{scheme} === 'default'")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != dark_bg
        page.goto(site_url + "hant/about/")  # the choice holds on other pages and in the other edition
        assert page.evaluate(scheme) == "default"


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_phone_readers_get_the_article_outline(built_site, site_url, phone_page, desktop_page, edition):
    article = _article(built_site)
    page = phone_page
    page.goto(site_url + edition + article)
    headings = page.evaluate("[...document.querySelectorAll('.md-typeset h2[id], .md-typeset h3[id]')].map(h => h.id)")
    assert len(headings) >= 2
    page.click(".wk-outline summary")
    links = page.evaluate("[...document.querySelectorAll('.wk-outline a')].filter(a => a.offsetParent).map(a => a.hash.slice(1))")
    assert [_unquote(link) for link in links] == headings
    page.click(f".wk-outline a >> nth={len(links) - 1}")
    assert _unquote(page.evaluate("location.hash").lstrip("#")) == headings[-1]
    desktop_page.goto(site_url + edition + article)  # wide screens have the sidebar's table of contents instead
    assert desktop_page.evaluate("getComputedStyle(document.querySelector('.wk-outline')).display") == "none"


def _unquote(value: str) -> str:
    from urllib.parse import unquote

    return unquote(value)


def test_information_block_shows_every_term_on_request(built_site, site_url, desktop_page):
    page = desktop_page
    path = next(
        f"articles/{p.parent.name}/"
        for p in sorted((built_site / "articles").glob("*/index.html"))
        if 'class="wk-more"' in p.read_text("utf-8")
    )
    page.goto(site_url + path)
    dd = ".wk-meta details.wk-more"
    summary = page.text_content(f"{dd} summary")
    hidden = page.evaluate(f"document.querySelectorAll('{dd} a').length")
    assert summary == f"其余 {hidden} 个" and hidden > 0
    assert page.evaluate(f"[...document.querySelectorAll('{dd} a')].every(a => !a.checkVisibility())")
    page.click(f"{dd} summary")
    assert page.evaluate(f"[...document.querySelectorAll('{dd} a')].every(a => a.checkVisibility())")


@pytest.mark.parametrize("edition,title,lang", [("", "找不到这一页", "zh-Hans"), ("hant/", "找不到這一頁", "zh-Hant")])
def test_404_page_helps_readers_on(built_site, site_url, phone_page, edition, title, lang):
    page = phone_page
    # GitHub Pages (and pages_server) serve the root's 404.html for every unknown address, the Traditional
    # edition's too: there it shows hant/404.html in its place, at the address the reader typed
    missing = f"{edition}no/such/page-{random.randrange(10**6)}/"
    response = page.goto(site_url + missing)
    assert response.status == 404
    page.wait_for_function(f"document.documentElement.lang === {lang!r}")
    assert page.url == site_url + missing
    assert page.text_content(".md-typeset h1") == title
    newest = browse.newest_first(browse.load_articles(ROOT / "docs"))[: browse.NEWEST]
    links = page.evaluate("[...document.querySelectorAll('.md-typeset li a')].map(a => a.href)")
    assert len(links) == len(newest) + len({"browse/category/", "browse/year/", "browse/source/", "terms/", "about/"})
    for href in links:
        with urlopen(href) as r:
            assert r.status == 200, href
    switch = page.get_attribute("[data-wk-switch]", "href")
    assert "//" not in switch.split("://", 1)[-1], switch
    page.click("[data-wk-open-search]")
    page.fill(".pagefind-ui__search-input", "工会")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)


def test_footer_has_the_note_the_feed_and_the_ebooks(site_url, desktop_page):
    page = desktop_page
    for edition in ("", "hant/"):
        page.goto(site_url + edition)
        assert len(page.text_content(".md-copyright__highlight").strip()) > 10
        hrefs = page.evaluate("[...document.querySelectorAll('.wk-footer-links a')].map(a => a.href)")
        assert any(h.endswith("rss/feed.xml") for h in hrefs) and any("#ebooks" in h for h in hrefs), hrefs
        for href in hrefs:
            with urlopen(href.split("#")[0]) as r:
                assert r.status == 200, href


def test_term_pages_lead_back_to_the_term_index(built_site, site_url, desktop_page):
    page = desktop_page
    term = page_types(built_site)["term"]
    for edition in ("", "hant/"):
        page.goto(site_url + edition + term)
        back = page.evaluate("[...document.querySelectorAll('.md-typeset p a')].map(a => a.href)")
        assert site_url + edition + "terms/" in back, back


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_an_address_with_q_opens_the_search_with_it(built_site, site_url, desktop_page, edition):
    """A term page quoting only the newest articles links ?q=TERM for all of them: the box opens with that search."""
    page = desktop_page
    term = random.choice(sorted(browse.load_terms(ROOT / "docs")))
    page.goto(site_url + edition + page_types(built_site)["term"] + "?q=" + quote(term))
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    shown = page.input_value(".pagefind-ui__search-input")
    assert shown == (hant.to_hant(term) if edition else term)
    message = page.text_content(".pagefind-ui__message")
    assert f" {shown} " in message and int(re.search(r"[\d,]+", message).group(0).replace(",", "")) > 0, message
    assert page.evaluate("document.activeElement.matches('.pagefind-ui__search-input')")
