"""The built site as files (no browser): both editions, Pagefind indexes, feed, raw texts, size, no third-party hosts."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import yaml

from build_tools import browse, search_index, site

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = browse.load_articles(ROOT / "docs")


def _html(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_both_editions_have_every_article(built_site):
    for a in ARTICLES:
        slug = Path(a.page).stem
        assert (built_site / "articles" / slug / "index.html").is_file()
        assert (built_site / "hant" / "articles" / slug / "index.html").is_file()
    for name in ("index.html", "404.html", "sitemap.xml", "rss/feed.xml", "rss/sitemap.xml"):
        assert (built_site / name).is_file(), name
        assert (built_site / "hant" / name).is_file(), f"hant/{name}"
    for name in ("pagefind/pagefind-entry.json", "pagefind/pagefind-ui.js", "pagefind/wenku-bundles.json"):
        assert (built_site / name).is_file(), name  # one index for both editions
    assert not (built_site / "hant" / "pagefind").exists()
    for edition in (built_site, built_site / "hant"):
        assert not (edition / "search").exists(), "Material's own search index is built (only the offline copy has it)"


def test_no_request_to_third_party_hosts(built_site):
    external = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="(?:https?:)?//(?!127\.0\.0\.1|localhost)', re.I)
    for path in _html(built_site):
        text = path.read_text(encoding="utf-8")
        bad = [m for m in external.findall(text) if 'rel="canonical"' not in m and "alternate" not in m]
        assert not bad, f"{path}: {bad}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path


def test_navigation_does_not_list_articles(built_site):
    """Per-page size must not grow with the corpus: no article appears in any page's sidebar navigation."""
    for path in (built_site / "articles").rglob("index.html"):
        text = path.read_text(encoding="utf-8")
        nav = text.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
        assert "articles/" not in nav, f"{path}: the sidebar lists articles"
        assert len(text.encode()) < 120_000, f"{path}: {len(text.encode())} bytes"


def _indexed(edition: Path) -> dict[str, str]:
    """Page address -> its HTML, for every page with an element that Pagefind indexes (data-pagefind-body)."""
    out = {}
    for path in _html(edition):
        if path.parts[len(edition.parts)] in ("hant", "pagefind"):
            continue
        text = path.read_text(encoding="utf-8")
        if "data-pagefind-body" in text:
            out[path.parent.relative_to(edition).as_posix() + "/"] = text
    return out


def _body(text: str) -> str:
    """The text inside an article's data-pagefind-body element (it holds no nested <div>)."""
    return text.split("<div data-pagefind-body>", 1)[1].split("</div>", 1)[0]


def test_one_simplified_index_serves_both_editions(built_site):
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [search_index.LANGUAGE]
    indexed = _indexed(built_site)
    assert entry["languages"][search_index.LANGUAGE]["page_count"] == len(indexed)
    assert json.loads((built_site / "pagefind" / "wenku-bundles.json").read_text("utf-8")) == {"bundles": ["pagefind/"]}
    articles = {p for p in indexed if p.startswith("articles/")}
    canonical = {f"articles/{Path(a.page).stem}/" for a in ARTICLES if not isinstance(a.meta.get("duplicate_of"), dict)}
    assert articles == canonical
    assert {"about/"} <= set(indexed), "the hand-written pages are searchable"
    assert not {"", "browse/year/", "browse/category/", "tags/", "terms/"} & set(indexed), "lists of titles are not indexed"
    # the Traditional edition's table converts its results (build_tools/hant_table.py)
    table = json.loads((built_site / "hant" / "assets" / "javascripts" / "wenku-hant.json").read_text("utf-8"))
    assert table["chars"]["会"] == "會" and table["t2s"]["會"] == "会"


def test_only_the_article_text_and_term_titles_are_indexed(built_site):
    indexed = _indexed(built_site)
    for page, text in indexed.items():
        if page.startswith("articles/"):
            assert text.count("data-pagefind-body") == 1, page
            body = _body(text)
            for outside in ("wk-meta", "wk-related", "wk-siblings", "md-nav", "md-footer", 'class="admonition'):
                assert outside not in body, f"{page}: {outside} is indexed"
            assert len(re.sub(r"<[^>]+>", "", body)) > 200, page
        elif page.startswith("terms/"):
            assert re.search(r"<h1 data-pagefind-body[^>]*>术语：", text), f"{page}: the title is not what is indexed"
            assert text.count("data-pagefind-body") == 1, page


def test_published_pages_are_for_readers(built_site):
    """No page of the published site is written in English or reports on benchmarks (developer notes live in dev/)."""
    developer = re.compile(r"benchmark|\bbench\b|make bench|基准测试|性能与规模|Zensical|results\.json", re.I)
    for path in _html(built_site):
        if path.parts[len(built_site.parts)] in ("pagefind", "raw"):
            continue
        text = path.read_text(encoding="utf-8").partition('<div class="md-content"')[2]
        text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>|&\w+;", " ", text, flags=re.S)
        latin, han = len(re.findall(r"[A-Za-z]+", text)), len(re.findall(r"[\u4e00-\u9fff]", text))
        page = path.relative_to(built_site).as_posix()
        assert latin <= max(20, han // 10), f"{page}: {latin} Latin words for {han} Chinese characters (a page in English?)"
        assert not developer.search(text), f"{page}: talks about benchmarks or tooling ({developer.search(text).group(0)})"


def test_same_docs_give_the_same_site(built_site, tmp_path):
    """Deterministic: a second build of the same docs/ is byte for byte the same, Pagefind's index included."""
    from build_tools import site

    again = tmp_path / "site"
    assert site.build(again) == 0

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = tree(built_site), tree(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_raw_texts_are_linked_in_the_repository_not_copied(built_site):
    # extra.raw_url: the raw texts would double the site's size at 10,000 sources (dev/performance.md).
    raw_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").split("\nextra:\n", 1)[1].split("\n\n", 1)[0])["raw_url"]
    assert raw_url.startswith("https://github.com/") and raw_url.endswith("/blob/main/sources/")
    assert not (built_site / "raw").exists() and not (built_site / "hant" / "raw").exists()
    linked = 0
    for a in ARTICLES:
        if a.meta.get("source_file"):
            href = raw_url + quote(str(a.meta["source_file"]))
            for edition in (built_site, built_site / "hant"):
                assert f'href="{href}"' in (edition / "articles" / Path(a.page).stem / "index.html").read_text("utf-8"), a.page
            linked += 1
    assert linked == len(ARTICLES)


def test_feed_lists_newest_articles_by_their_own_date(built_site):
    for edition in ("", "hant"):
        tree = ET.parse(built_site / edition / "rss" / "feed.xml")
        items = tree.getroot().findall("./channel/item")
        dated = [a for a in ARTICLES if a.date]
        assert len(items) == min(len(dated), 20)
        dates = [i.findtext("pubDate") for i in items]
        assert all(dates)
        from email.utils import parsedate_to_datetime

        stamps = [parsedate_to_datetime(d) for d in dates]
        assert stamps == sorted(stamps, reverse=True)
        assert all(i.findtext("link").startswith("https://") for i in items)


def test_article_pages_have_description_and_edit_link(built_site):
    a = ARTICLES[0]
    text = (built_site / "articles" / Path(a.page).stem / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="' in text
    assert f"edit/main/docs/{a.page}" in text
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "edit/main/docs/index.md" not in home  # generated pages have no Markdown to edit


def test_headings_keep_chinese_ids(built_site):
    text = (built_site / "browse" / "year" / "index.html").read_text(encoding="utf-8")
    assert 'id="y-' in text
    art = next(p for p in (built_site / "articles").rglob("index.html") if "<h2" in p.read_text(encoding="utf-8"))
    ids = re.findall(r'<h2 id="([^"]+)"', art.read_text(encoding="utf-8"))
    assert ids and not all(re.fullmatch(r"_\d*", i) for i in ids)


def test_search_lists_a_near_duplicate_only_through_its_canonical_page(built_site):
    copies = [a for a in ARTICLES if isinstance(a.meta.get("duplicate_of"), dict)]
    assert copies, "the seeds hold a near-duplicate (seed 003 parts 4 and 5)"
    for edition in (built_site, built_site / "hant"):
        indexed = _indexed(edition)
        for copy in copies:
            assert f"articles/{Path(copy.page).stem}/" not in indexed
            assert f"articles/{Path(copy.meta['duplicate_of']['page']).stem}/" in indexed


def test_browse_pages_are_split_by_group_in_both_editions(built_site):
    """browse/year/ is an index of years; each year's articles are on its own page(s), each article on exactly one."""
    _, groups = browse.browse_pages(ARTICLES)
    for edition in (built_site, built_site / "hant"):
        index = (edition / "browse" / "year" / "index.html").read_text(encoding="utf-8")
        seen: list[str] = []
        for g in groups["year"]:
            for page in g.pages:
                address = page[: -len(".md")] + "/"
                if page == g.pages[0]:
                    assert f'href="{Path(page).stem}/"' in index, f"{page} is not linked from browse/year/"
                text = (edition / address / "index.html").read_text(encoding="utf-8")
                assert len(text.encode()) < 200_000, page
                seen += re.findall(r'href="\.\./\.\./\.\./articles/([^/"]+)/"', text)
        assert sorted(seen) == sorted(Path(a.page).stem for a in ARTICLES)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for g in groups["year"] + groups["category"]:
        for page in g.pages:
            assert f'href="{page[: -len(".md")]}/"' in home, f"{page} not linked from the home page"


def test_the_sidebar_shows_every_browse_entry(built_site):
    # A child index.md must not be swallowed as its section's page (Material's navigation.indexes did that to 术语).
    for edition, labels in (
        (built_site, ["按分类", "按年份", "按来源", "标签", "术语"]),
        (built_site / "hant", ["按分類", "按年份", "按來源", "標籤", "術語"]),
    ):
        html = (edition / "browse" / "year" / "index.html").read_text(encoding="utf-8")
        shown = re.findall(r'class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', html)
        assert [label for label in shown if label in labels] == labels, edition


def test_headings_have_short_anchors_that_the_table_of_contents_reaches(built_site):
    from build_tools.mkdocs_hooks import HEADING_ID_CHARS

    checked = 0
    for path in sorted((built_site / "articles").glob("*/index.html")):
        text = path.read_text(encoding="utf-8")
        ids = set(re.findall(r'<h[1-6] id="([^"]+)"', text))
        toc = text.split('data-md-component="toc"', 1)[1].split("</nav>", 1)[0] if 'data-md-component="toc"' in text else ""
        for target in re.findall(r'href="#([^"]+)"', toc):
            assert target in ids, f"{path}: the table of contents links #{target}, which no heading has"
            checked += 1
        for anchor in ids:
            assert len(re.sub(r"_\d+$", "", anchor)) <= HEADING_ID_CHARS, f"{path}: #{anchor}"
    assert checked > 10


def test_no_material_search_markup_where_pagefind_searches(built_site):
    pages = sorted((built_site / "articles").glob("*/index.html")) + sorted((built_site / "terms").glob("*/index.html"))
    assert len(pages) > 20
    for path in pages:
        assert "data-search-exclude" not in path.read_text(encoding="utf-8"), path


def test_icons_come_from_the_stylesheet_not_inline_svg(built_site):
    """Material's header and button icons as CSS masks (docs/assets/wenku.css): a kilobyte less per page."""
    css = (built_site / "assets" / "wenku.css").read_text(encoding="utf-8")
    for edition in (built_site, built_site / "hant"):
        page = (edition / "articles" / Path(ARTICLES[0].page).stem / "index.html").read_text(encoding="utf-8")
        assert "<path" not in page
        icons = set(re.findall(r'<svg class="wk-i (wk-i--[\w-]+)"', page))
        assert {"wk-i--menu", "wk-i--magnify", "wk-i--file-edit-outline", "wk-i--arrow-up"} <= icons
        for icon in icons:
            assert f'svg.{icon} {{ --wk-i: url("data:image/svg+xml,' in css, icon


def test_material_search_files_that_no_page_loads_are_not_published(built_site):
    """Material's lunr and search worker are dropped from both editions: every page's __config has no search (Pagefind
    searches), so no page could load them (the offline copy keeps them: test_offline)."""
    for edition in (built_site, built_site / "hant"):
        for name in site.UNUSED_THEME_FILES:
            assert not (edition / name).exists(), edition / name
    for path in _html(built_site):
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', path.read_text(encoding="utf-8"), re.S)
        if config:
            assert json.loads(config.group(1))["search"] is None, path
