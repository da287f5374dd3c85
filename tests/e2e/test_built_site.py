"""The built site as files (no browser): both editions, search index, feed, raw texts, size, no third-party hosts."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from build_tools import browse
from build_tools.mkdocs_hooks import WORKER_FIX

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = browse.load_articles(ROOT / "docs")


def _html(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_both_editions_have_every_article(built_site):
    for a in ARTICLES:
        slug = Path(a.page).stem
        assert (built_site / "articles" / slug / "index.html").is_file()
        assert (built_site / "hant" / "articles" / slug / "index.html").is_file()
    for name in ("index.html", "404.html", "sitemap.xml", "feed.xml", "search/search_index.json"):
        assert (built_site / name).is_file(), name
        assert (built_site / "hant" / name).is_file(), f"hant/{name}"


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


def test_search_index_is_segmented(built_site):
    for edition, term in (("", "职工之家"), ("hant", "職工之家")):
        index = json.loads((built_site / edition / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert "\\u200b" in index["config"]["separator"]
        texts = [d["text"] for d in index["docs"]]
        tokens = {t for text in texts for t in re.split(r"[\s\u200b]+", re.sub(r"<[^>]+>", " ", text))}
        assert term in tokens, f"{edition or 'hans'}: {term} is not a token of the index"
        long_runs = [t for t in tokens if len(t) > 12 and all("\u4e00" <= c <= "\u9fff" for c in t)]
        assert len(long_runs) < len(tokens) * 0.01, f"unsegmented runs: {long_runs[:5]}"
        worker = next((built_site / edition / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
        assert WORKER_FIX in worker.read_text(encoding="utf-8")


def test_hant_index_is_traditional(built_site):
    index = json.loads((built_site / "hant" / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["title"] + d["text"] for d in index["docs"])
    assert "工會" in text and "工会" not in text


def test_raw_texts_are_byte_identical(built_site):
    names = {str(a.meta["source_file"]) for a in ARTICLES if a.meta.get("source_file")}
    assert names
    for name in names:
        assert (built_site / "raw" / name).read_bytes() == (ROOT / "sources" / name).read_bytes()


def test_feed_lists_newest_articles_by_their_own_date(built_site):
    for edition in ("", "hant"):
        tree = ET.parse(built_site / edition / "feed.xml")
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
        index = json.loads((edition / "search" / "search_index.json").read_text(encoding="utf-8"))
        pages = {d["location"].split("#")[0] for d in index["docs"]}
        for copy in copies:
            assert f"articles/{Path(copy.page).stem}/" not in pages
            assert f"articles/{Path(copy.meta['duplicate_of']['page']).stem}/" in pages
