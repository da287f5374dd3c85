"""MkDocs hooks of 工会工作文库 (mkdocs.yml `hooks:`), shared by both editions.

- on_config: reads the edition and the folders.
- on_files: adds the generated pages (home, browse, tags, terms; build_tools/browse.py) and, when
  `extra.raw_url` is unset or in the offline copy, the raw source texts (site/raw/) to the build;
  keeps the Traditional originals (*.hant.md) out of it.
- on_page_markdown: puts the metadata block, notices, compilation and related links around each
  article; converts every page to Traditional in the zh-Hant edition; escapes every front-matter
  string, because MkDocs renders titles and meta through Jinja without autoescaping.
- on_page_content: marks what Pagefind indexes (build_tools/site.py runs it after the build): an article's own
  text, a hand-written page's text, a term page's title; nothing else (see SEARCH_ARTICLE).
- on_post_page: compacts the page's whitespace (build_tools/html_compact.py).
- on_post_build: writes the RSS feed (rss/feed.xml, FEED) of the newest articles by their own date.
The edition is `extra.edition` of the configuration: 'hans' (mkdocs.yml) or 'hant' (mkdocs.hant.yml).
"""

from __future__ import annotations

import html
import json
import logging
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from pymdownx.slugs import slugify

# MkDocs loads hooks by file path, not as part of the package: make `build_tools` importable.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from build_tools import browse, epub, hant, hant_table, html_compact, offline_search, reading, site_pages  # noqa: E402
from build_tools.invisible import strip_format  # noqa: E402

log = logging.getLogger("mkdocs.hooks.wenku")

META_TERMS = 8  # terms listed in an article's metadata block
ESCAPED_KEYS = ("title", "description", "author", "source", "publisher", "original_title", "compilation")
FEED_ITEMS = 20
FEED = "rss/feed.xml"  # in a folder of its own: see on_post_build
EMPTY_SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
QUALITY_LABEL = {"repaired": "已修复", "lost": "字符缺失", "unrecoverable": "无法恢复"}

# What Pagefind indexes (it reads only elements marked data-pagefind-body once any page has one):
# - an article: its own text only. The metadata block, notices, sibling and related-article lists name other
#   articles' titles and terms; indexed, every page would match every title. Near-duplicates: nothing (they
#   are found through their canonical page, like `search: exclude` did for the built-in search).
# - a hand-written page (about, performance...): its whole text.
# - a term page: its title (术语：职工之家) only. Its quoted sentences repeat the articles' text, so indexing
#   them would list the term page for every word of every quoted sentence; by title, a search for the term
#   finds the page that lists every article using it and its sentences, next to the articles themselves.
# - home, browse, tag and the term index pages: nothing (lists of titles).
SEARCH_ARTICLE, SEARCH_PAGE, SEARCH_TITLE = "article", "page", "title"
# - a near-duplicate: not indexed itself; its text marked data-wk-duplicate-of (its canonical page), which
#   search_index.py indexes with the canonical page, so that the canonical page stands for it in every search.
SEARCH_DUPLICATE = "duplicate"
BODY_START, BODY_END = "<!-- wk-search-body -->", "<!-- /wk-search-body -->"
BOOK_START, BOOK_END = "<!-- wk-book -->", "<!-- /wk-book -->"  # what of an article goes into the e-books
HEADING_ID_CHARS = 12  # see heading_id
_SLUGIFY = slugify(case="lower")  # mkdocs.yml's toc slugify, which heading_id cuts short
HANT_TABLE = "wenku-hant.json"  # the Traditional edition's conversion table (assets/javascripts/)


@dataclass
class _State:
    edition: str = "hans"
    root: Path = Path()
    docs_dir: Path = Path()
    sources_dir: Path = Path()
    raw_url: str = ""  # where the raw texts are read (extra.raw_url); "" = copied into the site as raw/
    exclude: str = ""  # ' data-search-exclude' on the lists around an article, for Material's search (offline copy only)
    articles: dict[str, browse.ArticleInfo] = field(default_factory=dict)
    term_paths: dict[str, str] = field(default_factory=dict)
    term_counts: dict[str, int] = field(default_factory=dict)  # term -> number of articles using it
    listed_on: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, article page) -> browse page
    originals: dict[str, str] = field(default_factory=dict)  # article page -> its own Traditional Markdown
    feed: list[dict[str, str]] = field(default_factory=list)
    search: dict[str, str] = field(default_factory=dict)  # page -> what Pagefind indexes of it (SEARCH_ARTICLE...)
    canonical: dict[str, str] = field(default_factory=dict)  # near-duplicate page -> its canonical page
    # The Traditional edition searches the Simplified index and converts its results in the browser with
    # a table learnt from this build's own conversions (build_tools/hant_table.py); None when not needed.
    learner: hant_table.Learner | None = None
    # E-books (build_tools/epub.py): each article's rendered information block, notices and text, and which
    # browse page links which book (page -> (label, slug)); none in the offline copy.
    ebooks: bool = True
    chapters: dict[str, epub.Chapter] = field(default_factory=dict)
    ebook_pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    categories: list[tuple[str, str, str]] = field(default_factory=list)


S = _State()


def is_hant() -> bool:
    return S.edition == "hant"


def tr(text: str) -> str:
    """Text in the edition's script."""
    return hant.to_hant(text) if is_hant() else text


# ---------------------------------------------------------------- config


@event_priority(100)  # before Material's search plugin reads its dictionaries (offline_search.configure)
def on_config(config, **kwargs):
    global S
    S = _State()
    S.edition = str(config.extra.get("edition") or "hans")
    S.root = Path(config.config_file_path or ".").resolve().parent
    S.docs_dir = Path(config.docs_dir)
    S.sources_dir = S.root / str(config.extra.get("sources_dir") or "sources")
    # The raw texts are as large as the library's text (70 MB at 10,000 sources): the site links the
    # repository's copy; the offline copy, read without a network, carries its own under raw/.
    offline = config.plugins.get("material/offline")
    if not (offline is not None and offline.config.enabled):
        S.raw_url = str(config.extra.get("raw_url") or "")
    else:
        S.ebooks = False
    # Material's own search runs only in the offline copy; the templates read this flag (else Pagefind).
    config.extra["material_search"] = material_search = _material_search(config)
    if is_hant() and not material_search:
        S.learner = hant_table.Learner()
    if material_search:
        S.exclude = " data-search-exclude"
        offline_search.configure(config.plugins["material/search"].config, is_hant(), S.root / "build" / "search")
    config.mdx_configs.setdefault("toc", {})["slugify"] = heading_id
    site_pages.configure(config, tr)
    return config


def heading_id(value: str, separator: str) -> str:
    """A heading's anchor: its text as pymdownx slugifies it, cut to HEADING_ID_CHARS characters.

    A Chinese section heading is often a whole sentence; its full text as the anchor appears three times
    per heading (id, ¶ link, table of contents): 350 bytes per page on average. The toc extension keeps
    anchors unique (_1, _2) when two headings begin alike.
    """
    return _SLUGIFY(value, separator)[:HEADING_ID_CHARS].rstrip(separator)


# ---------------------------------------------------------------- files


def on_files(files: Files, config, **kwargs):
    pages, articles, term_paths, S.listed_on = browse.generate_pages(S.docs_dir, "../" if is_hant() else "", S.exclude)
    S.articles = {a.page: a for a in articles}
    S.term_paths = term_paths
    S.term_counts = {term: len(uses) for term, uses in browse.load_terms(S.docs_dir).items()}
    for f in list(files):
        if f.src_uri.startswith("articles/") and f.src_uri.endswith(".hant.md"):
            S.originals[f.src_uri[: -len(".hant.md")] + ".md"] = Path(f.abs_src_path).read_text(encoding="utf-8")
            files.remove(f)
    newest = browse.newest_first(articles)[: browse.NEWEST]
    if S.ebooks:
        for g in browse.browse_groups(articles)["category"]:
            slug = PurePosixPath(g.pages[0]).stem
            S.categories.append((g.name, tr(g.label), slug))
            S.ebook_pages.update({p: (tr(g.label), slug) for p in g.pages})
    site_pages.set_not_found(config, newest=[(_title_of(a.page), a.page) for a in newest], tr=tr)
    for path, text in pages.items():
        if files.get_file_from_path(path) is None:  # a hand-written page of the same name wins
            files.append(File.generated(config, path, content=text))
    if not is_hant() and not S.raw_url:
        for name in sorted({str(a.meta.get("source_file")) for a in articles if a.meta.get("source_file")}):
            src = raw_source(name)
            if src is not None and files.get_file_from_path(f"raw/{name}") is None:
                files.append(File.generated(config, f"raw/{name}", abs_src_path=str(src)))
    return files


def raw_source(name: str) -> Path | None:
    """The raw text a page names in `source_file`, only when it is a file inside the sources folder.

    A page's front matter is data a contributor (or web text) can set: `/etc/hostname` or `../x`
    must never be published.
    """
    root = S.sources_dir.resolve()
    path = (root / name).resolve()
    return path if path.is_file() and path.is_relative_to(root) else None


# ---------------------------------------------------------------- pages


def _escape_meta(meta: dict[str, Any]) -> None:
    """Every source-derived string of the front matter HTML-escaped in place (titles, tags, description...)."""
    for key in ESCAPED_KEYS:
        if meta.get(key) is not None:
            meta[key] = html.escape(strip_format(str(meta[key])), quote=True)
    for key in ("tags", "keywords"):
        if isinstance(meta.get(key), list):
            meta[key] = [html.escape(strip_format(str(v)), quote=True) for v in meta[key]]


def _root_prefix(page) -> str:
    """Relative URL from the page's address to the edition's root ('articles/x/' -> '../../')."""
    return "../" * page.url.count("/")


def _link(from_page: str, target: str, title: str) -> str:
    return f"[{browse.md_text(title)}]({browse.rel(from_page, target)})"


def _title_of(page_path: str, fallback: str = "") -> str:
    a = S.articles.get(page_path)
    if a is None:
        return fallback or PurePosixPath(page_path).stem
    if is_hant() and a.meta.get("original_title"):
        return str(a.meta["original_title"])
    return tr(a.title)


def _siblings(a: browse.ArticleInfo) -> list[tuple[int, str]]:
    """(part, page) of every article of the same compilation, from the corpus pass or from source_file."""
    sib = a.meta.get("siblings")
    if isinstance(sib, dict) and isinstance(sib.get("all"), list):
        out = [(int(s.get("part") or 0), str(s.get("page"))) for s in sib["all"] if isinstance(s, dict)]
        return sorted(p for p in out if p[1] in S.articles)
    src = a.meta.get("source_file")
    if not src or int(a.meta.get("source_parts") or 1) <= 1:
        return []
    same = [(int(b.meta.get("source_part") or 0), b.page) for b in S.articles.values() if b.meta.get("source_file") == src]
    return sorted(same)


def _search_attrs(a: browse.ArticleInfo) -> dict[str, str]:
    """Pagefind's filters, sort key and result metadata, as attributes of the metadata block's rows (日期, 分类,
    the row linking the source group): Simplified edition only, the one indexed (search_index.py). An undated
    article sorts as 0000 (last, newest first) instead of leaving the date-sorted results."""
    if is_hant() or S.exclude:
        return {}

    def as_filter(value: str) -> str:
        """A filter value as the attribute's text: Pagefind 1.6.0's indexer decodes the raw attribute twice and its
        filter panel writes the value as HTML, so web text is escaped three times to reach the reader as text
        (tests/e2e/test_search_untrusted.py searches a library of markup in Chromium)."""
        return html.escape(html.escape(html.escape(value)), quote=True)

    return {
        "日期": f' data-pagefind-meta="date" data-pagefind-sort="date[data-wk-date]" data-wk-date="{as_filter(a.date or "0000")}"'
        + f' data-pagefind-filter="年份[data-wk-year]" data-wk-year="{as_filter(a.year or "未注明")}"',
        "分类": f' data-pagefind-filter="分类[data-wk-category]" data-wk-category="{as_filter(a.category)}" data-pagefind-meta="category"',
        "origin": f' data-pagefind-filter="来源[data-wk-source]" data-wk-source="{as_filter(a.origin)}"',
    }


def _meta_block(a: browse.ArticleInfo, page) -> str:
    m, here = a.meta, a.page
    rows: list[tuple[str, str]] = []
    attrs = _search_attrs(a)
    rows.append(("日期", browse.md_text(a.date) if a.date else "未注明"))
    # Every article is in a category group and a source group ("未分类", "未注明出处" at worst).
    rows.append(("分类", f"[{browse.md_text(a.category)}]({browse.rel(here, S.listed_on[('category', here)])})"))
    origin_link = browse.rel(here, S.listed_on[("source", here)])
    if m.get("publisher"):
        rows.append(("发布", f"[{browse.md_text(m['publisher'])}]({origin_link})"))
        attrs["发布"] = attrs.get("origin", "")
    if m.get("source"):
        src = browse.md_text(m["source"])
        rows.append(("来源", src if m.get("publisher") else f"[{src}]({origin_link})"))
        if not m.get("publisher"):
            attrs["来源"] = attrs.get("origin", "")
    if m.get("author"):
        rows.append(("作者", browse.md_text(m["author"])))
    if m.get("script") == "Hant":
        note = "繁体"
        if m.get("original_title"):
            note += f"（原题：{browse.md_text(m['original_title'])}）"
        rows.append(("原文字体", note))
    else:
        rows.append(("原文字体", "简体"))
    sibs = _siblings(a)
    if len(sibs) > 1:
        idx = next((i for i, (_, p) in enumerate(sibs) if p == here), 0)
        text = f"第 {idx + 1} 篇，共 {len(sibs)} 篇"
        if idx > 0:
            text += f" · 上一篇：{_link(here, sibs[idx - 1][1], _title_of(sibs[idx - 1][1]))}"
        if idx < len(sibs) - 1:
            text += f" · 下一篇：{_link(here, sibs[idx + 1][1], _title_of(sibs[idx + 1][1]))}"
        rows.append(("合集", text))
    if m.get("views"):
        rows.append(("原网页浏览", browse.md_text(m["views"])))
    src_file = m.get("source_file")
    if src_file and raw_source(str(src_file)) is not None:
        path = "/".join(quote(p) for p in PurePosixPath(str(src_file)).parts)
        href = S.raw_url.rstrip("/") + "/" + path if S.raw_url else _root_prefix(page) + ("../" if is_hant() else "") + "raw/" + path
        rows.append(
            ("原始文本", f'<a href="{html.escape(href, quote=True)}" class="wk-raw">{html.escape(str(src_file))}</a>（收到时的原样）')
        )
    used = [t for t in (m.get("terms") or []) if isinstance(t, str) and t in S.term_paths]
    if used:
        # The most distinctive terms (used by the fewest articles) in dictionary order; the rest are counted.
        shown = set(sorted(used, key=lambda t: (S.term_counts.get(t, 0), used.index(t)))[:META_TERMS])
        links = "、".join(f"[{browse.md_text(t)}]({browse.rel(here, S.term_paths[t])})" for t in used if t in shown)
        rest = "、".join(f"[{browse.md_text(t)}]({browse.rel(here, S.term_paths[t])})" for t in used if t not in shown)
        more = f'<details class="wk-more"><summary>其余 {len(used) - len(shown)} 个</summary>、{rest}</details>' if rest else ""
        rows.append(("术语", links + more))
    lines = [f'<dl class="wk-meta"{S.exclude} markdown="span">']
    lines += [f"<dt>{key}</dt><dd{attrs.get(key, '')}>{value}</dd>" for key, value in rows]
    lines.append("</dl>")
    return "\n".join(lines) + "\n"


def _notices(a: browse.ArticleInfo) -> str:
    m, here, out = a.meta, a.page, []
    if m.get("truncated"):
        out.append('!!! warning "文字不完整"\n    原网页只登出了这篇文章的一部分，后面的文字缺失。\n')
    dup = m.get("duplicate_of")
    if isinstance(dup, dict) and dup.get("page") in S.articles:
        sim = dup.get("similarity")
        pct = f"（相似度 {round(float(sim) * 100)}%）" if isinstance(sim, int | float) else ""
        link = _link(here, str(dup["page"]), _title_of(str(dup["page"]), str(dup.get("title") or "")))
        out.append(f'!!! note "近似重复"\n    这篇文章与 {link} 几乎相同{pct}，可能是同一篇文章的另一个版本。\n')
    dups = [d for d in (m.get("duplicates") or []) if isinstance(d, dict) and d.get("page") in S.articles]
    if dups:
        links = "、".join(_link(here, str(d["page"]), _title_of(str(d["page"]), str(d.get("title") or ""))) for d in dups)
        out.append(f'!!! note "近似版本"\n    另有与本文几乎相同的版本：{links}。\n')
    quality = [q for q in (m.get("quality") or []) if isinstance(q, dict)]
    if quality:
        repaired = sum(1 for q in quality if q.get("kind") == "repaired")
        damaged = len(quality) - repaired
        kind = "danger" if damaged else "info"
        head = "原文有损" if damaged else "已修复的文字"
        summary = []
        if repaired:
            summary.append(f"{repaired} 处已按上下文修复")
        if damaged:
            summary.append(f"{damaged} 处缺失或无法恢复（文中以 ? 表示）")
        items = []
        for q in quality:
            label = QUALITY_LABEL.get(str(q.get("kind")), str(q.get("kind") or ""))
            item = f"    - {label}：{browse.md_text(q.get('text', ''))}"
            if q.get("repaired_as"):
                item += f" → {browse.md_text(q['repaired_as'])}"
            if q.get("context"):
                item += f" <span class='wk-ctx'>{browse.md_text(q['context'])}</span>"
            items.append(item)
        out.append(f'!!! {kind} "{head}"\n    原网页的文字有损坏：{"，".join(summary)}。\n\n' + "\n".join(items) + "\n")
    return "\n".join(out)


def _footer(a: browse.ArticleInfo) -> str:
    m, here, out = a.meta, a.page, []
    sibs = _siblings(a)
    if len(sibs) > 1:
        out.append("## 同一合集的文章 {#compilation}\n")
        out.append(f'<div class="wk-siblings"{S.exclude} markdown>\n')
        for n, (_, p) in enumerate(sibs, 1):
            t = browse.md_text(_title_of(p))
            out.append(f"{n}. **{t}**（本篇）" if p == here else f"{n}. [{t}]({browse.rel(here, p)})")
        out.append("\n</div>\n")
    related = [r for r in (m.get("related") or []) if isinstance(r, dict) and r.get("page") in S.articles and r.get("page") != here]
    if related:
        out.append("## 相关文章 {#related}\n")
        out.append(f'<div class="wk-related"{S.exclude} markdown>\n')
        if any(r.get("shared") for r in related):
            out.append("标题后的小字是两篇共同的词语。\n")
        for r in related:
            shared = [str(s) for s in (r.get("shared") or [])]
            why = f" <small>{'、'.join(browse.md_text(s) for s in shared)}</small>" if shared else ""
            out.append(f"- {_link(here, str(r['page']), _title_of(str(r['page']), str(r.get('title') or '')))}{why}")
        out.append("\n</div>\n")
    return "\n".join(out)


def _strip_front(text: str) -> str:
    m = re.match(r"\A---\s*\n.*?\n---\s*\n", text, re.S)
    return text[m.end() :] if m else text


@event_priority(100)  # before the tags and search plugins see the page
def on_page_markdown(markdown: str, page, config, files, **kwargs):
    src = page.file.src_uri
    a = S.articles.get(src)
    meta = page.meta
    if a is not None:
        body = markdown
        if is_hant():
            hans_body, body = body, tr(body)
            if S.learner is not None:  # every article, its own Traditional text or not: results show its conversion
                S.learner.observe(hans_body, body)
                S.learner.observe(a.title, tr(a.title))
            if src in S.originals:
                body = _strip_front(S.originals[src])
        if isinstance(meta.get("duplicate_of"), dict):
            meta["search"] = {"exclude": True}  # a near-duplicate is found through its canonical page only
        hans_header = _meta_block(a, page) + "\n" + _notices(a)
        header = tr(hans_header)
        if S.learner is not None:  # the results' date and category read as the page's (未注明 -> 未註明)
            S.learner.observe(hans_header, header)
        footer = tr(_footer(a))
        if not isinstance(meta.get("duplicate_of"), dict):
            S.search[src] = SEARCH_ARTICLE
            body = f"{BODY_START}\n\n{body.strip()}\n\n{BODY_END}\n"
        elif not is_hant() and not S.exclude and str(meta["duplicate_of"].get("page") or "") in S.articles:
            S.search[src] = SEARCH_DUPLICATE  # its text is indexed with its canonical page (search_index.py)
            S.canonical[src] = str(meta["duplicate_of"]["page"])
            body = f"{BODY_START}\n\n{body.strip()}\n\n{BODY_END}\n"
        markdown = f"{BOOK_START}\n\n{header}\n{body.rstrip()}\n\n{BOOK_END}\n\n{footer}"
        if is_hant():
            meta["title"] = _title_of(src)
            for key in ("description", "source", "publisher", "author", "category"):
                if isinstance(meta.get(key), str):
                    meta[key] = tr(meta[key])
            if isinstance(meta.get("tags"), list):
                meta["tags"] = [tr(str(t)) for t in meta["tags"]]
        S.feed.append(
            {
                "page": src,
                "url": page.url,
                "date": a.date,
                "title": str(meta.get("title") or a.title),
                "description": str(meta.get("description") or ""),
                "category": str(meta.get("category") or ""),
            }
        )
    else:
        markdown += _ebook_links(src, page)
    if a is None and is_hant():
        markdown = tr(markdown)
        for key in ("title", "description"):
            if isinstance(meta.get(key), str):
                meta[key] = tr(meta[key])
    if a is None and not getattr(page.file, "generated_by", None):
        S.search[src] = SEARCH_PAGE
    elif src.startswith("terms/") and src != "terms/index.md":
        S.search[src] = SEARCH_TITLE
    if getattr(page.file, "generated_by", None):
        page.edit_url = None
    _escape_meta(meta)
    return markdown


def _ebook_links(src: str, page) -> str:
    """The e-book links of the home page, the category index and a category's pages (Markdown; '' elsewhere)."""
    if not S.ebooks or not S.categories:
        return ""
    root = _root_prefix(page) + site_pages.EBOOKS

    def link(slug: str, text: str) -> str:
        return f'<a href="{html.escape(root + epub.book_name(slug), quote=True)}" download>{html.escape(text)}</a>'

    whole = epub.has_whole_library(len(S.articles))
    if src == "index.md":
        more = f'<a href="{_root_prefix(page)}browse/category/#ebooks">按分类</a>'
        if not whole:
            return f"\n\n电子书（EPUB，可在手机上离线阅读）：每个分类一本，见{more}。\n"
        return f"\n\n电子书（EPUB，可在手机上离线阅读）：{link('', '整个文库')}；各分类的电子书见{more}。\n"
    if src == "browse/category.md":
        items = "\n".join(f"- {link(slug, label)}" for _, label, slug in S.categories)
        also = f"，也可以下载{link('', '整个文库')}" if whole else ""
        intro = f"每个分类一本 EPUB（新的在前，含信息栏和目录）{also}："
        return f"\n\n## 电子书 {{#ebooks}}\n\n{intro}\n\n{items}\n"
    if src in S.ebook_pages:
        label, slug = S.ebook_pages[src]
        return f"\n\n本分类的电子书：{link(slug, f'{label}（EPUB）')}，新的在前，可在手机上离线阅读。\n"
    return ""


def on_page_content(html_text: str, page, config, files, **kwargs):
    """Marks what Pagefind indexes of the page (see SEARCH_ARTICLE...); unmarked pages are not indexed.

    Also joins the lines of Chinese paragraphs and gives an article its outline for narrow screens (build_tools/reading.py).
    """
    mode = S.search.get(page.file.src_uri)
    html_text = reading.wide_quotes(reading.join_cjk_lines(html_text))
    a = S.articles.get(page.file.src_uri)
    if BOOK_START in html_text and BOOK_END in html_text:
        start, end = html_text.index(BOOK_START), html_text.index(BOOK_END)
        if S.ebooks and a is not None:
            fragment = html_text[start + len(BOOK_START) : end].replace(BODY_START, "").replace(BODY_END, "")
            S.chapters[a.page] = epub.Chapter.of(a.page, _title_of(a.page), a.date, a.category, fragment)
        html_text = html_text.replace(BOOK_START, "", 1).replace(BOOK_END, "", 1)
    if page.file.src_uri in S.articles and (outline := reading.outline(page.toc, tr("本文目录"))):
        html_text = html_text.replace(BODY_START, outline + BODY_START, 1) if BODY_START in html_text else outline + html_text
    html_text = html_text.replace('class="headerlink"', 'class="headerlink" data-pagefind-ignore')  # the ¶ of headings
    if mode == SEARCH_ARTICLE and BODY_START in html_text and BODY_END in html_text:
        return html_text.replace(BODY_START, "<div data-pagefind-body>", 1).replace(BODY_END, "</div>", 1)
    if mode == SEARCH_DUPLICATE and BODY_START in html_text and BODY_END in html_text:
        canonical = html.escape(S.canonical[page.file.src_uri][: -len(".md")] + "/", quote=True)
        return html_text.replace(BODY_START, f'<div data-wk-duplicate-of="{canonical}">', 1).replace(BODY_END, "</div>", 1)
    html_text = html_text.replace(BODY_START, "").replace(BODY_END, "")
    if mode == SEARCH_PAGE:
        return f"<div data-pagefind-body>\n{html_text}\n</div>"
    if mode == SEARCH_TITLE:
        if "<h1" in html_text:
            return html_text.replace("<h1", "<h1 data-pagefind-body", 1)
        # page.title is already HTML-escaped (_escape_meta); Material leaves out its own <h1> when the content has one.
        return f"<h1 data-pagefind-body>{page.title}</h1>\n{html_text}"
    return html_text


def on_post_page(output: str, page, config, **kwargs):
    """Compacts the page's whitespace (build_tools/html_compact.py): a third of its bytes, rendered the same."""
    return html_compact.compact(reading.fix_page(output, "zh-Hant" if is_hant() else "zh-Hans", tr("跳转至")))


def on_post_template(output_content: str, template_name: str, config, **kwargs):
    """The 404 page (a static template, which on_post_page never sees) gets the same language and skip link."""
    if template_name != "404.html":
        return output_content
    return on_post_page(output_content, None, config)


def on_nav(nav, config, files, **kwargs):
    """标签 leaves the navigation when no article has a tag (its page would be empty)."""
    if not any(a.tags for a in S.articles.values()):
        site_pages.drop_from_nav(nav, "tags.md")
    return nav


def on_page_context(context, page, config, nav, **kwargs):
    if getattr(page.file, "generated_by", None):
        page.edit_url = None
    return context


# ---------------------------------------------------------------- feed


def _rfc822(date: str) -> str:
    y, mo, d = ([*date.split("-"), "01", "01"])[:3]
    try:
        return format_datetime(datetime(int(y), int(mo), int(d), tzinfo=UTC))
    except ValueError:
        return ""


def feed_text(text: str) -> str:
    """A text of the feed: RSS readers render a title, a description... as HTML, so web text is HTML-escaped
    (it shows as text), then XML-escaped (the feed stays XML); its format characters (invisible.py) go first."""
    return xml_escape(html.escape(strip_format(" ".join(text.split())), quote=True))


def feed_link(url: str) -> str:
    """An address of the feed: percent-encoded, then XML-escaped."""
    return xml_escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~"))


def feed_xml(items: list[dict[str, str]], *, site_url: str, site_name: str, description: str, lang: str) -> str:
    """RSS 2.0 of the newest dated articles, by their own date; every field escaped (feed_text); deterministic."""
    dated = sorted((i for i in items if i["date"]), key=lambda i: (i["date"], i["page"]), reverse=True)[:FEED_ITEMS]
    base = site_url if site_url.endswith("/") else site_url + "/"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{feed_text(site_name)}</title>",
        f"<link>{feed_link(base)}</link>",
        f"<description>{feed_text(description)}</description>",
        f"<language>{feed_text(lang)}</language>",
        f'<atom:link href="{feed_link(base + FEED)}" rel="self" type="application/rss+xml"/>',
    ]
    for i in dated:
        link = feed_link(base + i["url"])
        out += ["<item>", f"<title>{feed_text(i['title'])}</title>", f"<link>{link}</link>", f'<guid isPermaLink="true">{link}</guid>']
        if _rfc822(i["date"]):
            out.append(f"<pubDate>{_rfc822(i['date'])}</pubDate>")
        if i["category"]:
            out.append(f"<category>{feed_text(i['category'])}</category>")
        if i["description"]:
            out.append(f"<description>{feed_text(i['description'])}</description>")
        out.append("</item>")
    out += ["</channel>", "</rss>"]
    return "\n".join(out) + "\n"


def _material_search(config) -> bool:
    plugin = config.plugins.get("material/search")
    return bool(plugin is not None and plugin.config.enabled)


def _write_ebooks(config) -> None:
    """The e-books of this edition (build_tools/epub.py) into download/ebooks/ of its site."""
    import time

    started = time.monotonic()
    chapters = [S.chapters[a.page] for a in browse.newest_first(list(S.articles.values())) if a.page in S.chapters]
    books = epub.plan(chapters, S.categories, library_title=config.site_name, whole=epub.has_whole_library(len(S.articles)))
    intro = tr("{count} 篇文章，新的在前。每篇开头是信息栏：日期、分类、来源和原文的情况。") + " " + str(config.site_url or "")
    lang = "zh-Hant" if is_hant() else "zh-Hans"
    paths = epub.write(books, Path(config.site_dir) / site_pages.EBOOKS, lang=lang, site_name=config.site_name, intro=intro)
    log.info("wrote %d e-books (%d articles) in %.1fs", len(paths), len(chapters), time.monotonic() - started)


def on_post_build(config, **kwargs):
    if config.extra.get("material_search") and not offline_search.patch_search_worker(Path(config.site_dir)):
        log.warning("search worker not patched: Material's query segmentation changed; check whole-word Chinese queries")
    scripts = Path(config.site_dir) / "assets" / "javascripts"
    if S.learner is not None:
        table = json.dumps(S.learner.table(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        scripts.mkdir(parents=True, exist_ok=True)
        (scripts / HANT_TABLE).write_text(table + "\n", encoding="utf-8")
    text = feed_xml(
        S.feed,
        site_url=str(config.site_url or ""),
        site_name=config.site_name,
        description=str(config.site_description or ""),
        lang="zh-Hant" if is_hant() else "zh-Hans",
    )
    if S.ebooks and S.chapters:
        _write_ebooks(config)
    feed = Path(config.site_dir) / FEED
    feed.parent.mkdir(parents=True, exist_ok=True)
    feed.write_text(text, encoding="utf-8")
    # Material's script fetches "sitemap.xml" next to every <link rel="alternate"> of a page, the feed's
    # included: next to a feed at the root that would be the whole site's sitemap (2 MB at 10,000 articles)
    # on every page load. Beside the feed's own folder it finds this empty one.
    (feed.parent / "sitemap.xml").write_text(EMPTY_SITEMAP, encoding="utf-8")
