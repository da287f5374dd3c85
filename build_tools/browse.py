"""Generated pages of the site: home, browse by category / year / source, tags index, term pages.

Takes the front matter of every page under docs/articles/ (and the term index docs/.terms.json)
and returns Markdown text per page path; the MkDocs hook (mkdocs_hooks.py) adds these pages to the
build at build time, so nothing generated is written into docs/ and `mkdocs serve` shows them too.
Every piece of text that comes from a source (titles, publishers, tags, sentences) goes through
`md_text` so it is shown as text, never as Markdown or HTML.
"""

from __future__ import annotations

import html
import json
import re
import stat
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import yaml

from .files import read_regular

# The categories the pipeline assigns, in the order readers see them.
CATEGORIES = ("讲话", "报告", "总结", "计划", "通知", "心得", "经验", "新闻", "论文")
NO_CATEGORY = "未分类"
NO_SOURCE = "未注明出处"
NO_YEAR = "年份不详"
PAGE_SIZE = 200  # articles on one browse page (a year, a category or a source); more go on numbered pages
NEWEST = 10  # articles listed on the home page
TOP_TAGS = 40  # tags shown on the home page
TERM_USES = 100  # articles quoted on a term page, newest first

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT = re.compile(r"\A---\s*\n(.*?\n)---\s*(?:\n|\Z)", re.S)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")


def md_text(value: Any) -> str:
    """`value` as inline Markdown that renders as exactly that text: HTML and Markdown characters escaped
    (~, which Python-Markdown cannot backslash-escape, as a character reference)."""
    text = " ".join(str(value).split())
    text = html.escape(text, quote=True)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("~", "&#126;")


@dataclass
class ArticleInfo:
    """One article page: its path under docs/ ('articles/x.md') and its front matter."""

    page: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or PurePosixPath(self.page).stem)

    @property
    def date(self) -> str:
        return str(self.meta.get("date") or "")

    @property
    def year(self) -> str:
        return self.date[:4] if re.match(r"\d{4}", self.date) else ""

    @property
    def category(self) -> str:
        return str(self.meta.get("category") or NO_CATEGORY)

    @property
    def origin(self) -> str:
        """Where the text was published: the publisher, else the named source."""
        return str(self.meta.get("publisher") or self.meta.get("source") or NO_SOURCE)

    @property
    def tags(self) -> list[str]:
        tags = self.meta.get("tags") or []
        return [str(t) for t in tags if str(t).strip()] if isinstance(tags, list) else []


def read_front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of a Markdown page as a dict ({} when there is none or it is not a mapping)."""
    m = _FRONT.match(text)
    if not m:
        return {}
    try:
        data = yaml.load(m.group(1), Loader=_LOADER)
    except (yaml.YAMLError, ValueError):  # ValueError: an impossible unquoted date (2020-13-01), which check reports
        return {}
    return data if isinstance(data, dict) else {}


def _regular(path: Path) -> bool:
    """Whether `path` is a regular file itself (not a link to one)."""
    return stat.S_ISREG(path.lstat().st_mode)


def load_articles(docs_dir: Path) -> list[ArticleInfo]:
    """Every docs/articles/*.md (not the *.hant.md originals) with its front matter, in path order."""
    out = []
    for path in sorted((docs_dir / "articles").glob("*.md")):
        if path.name.endswith(".hant.md") or not _regular(path):
            continue  # a link, FIFO or device is check's error (check._not_regular), never read: a FIFO would block
        meta = read_front_matter(path.read_text(encoding="utf-8"))
        out.append(ArticleInfo(page=f"articles/{path.name}", meta=meta))
    return out


def load_terms(docs_dir: Path) -> dict[str, list[dict[str, str]]]:
    """The term index docs/.terms.json ({} when absent, unreadable, or not a regular file: never read through a link,
    never blocking on a FIFO)."""
    path = docs_dir / ".terms.json"
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def newest_first(articles: list[ArticleInfo]) -> list[ArticleInfo]:
    """Dated articles newest first ('2020-09-07' after '2020-09' after '2020' of the same year), then undated."""
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date, a.page), reverse=True)
    undated = sorted((a for a in articles if not a.date), key=lambda a: a.page)
    return dated + undated


def rel(from_page: str, to_page: str) -> str:
    """Relative Markdown link from one docs path to another ('browse/year.md' -> '../articles/x.md')."""
    depth = len(PurePosixPath(from_page).parent.parts)
    return "../" * depth + to_page


def anchor_id(prefix: str, name: str) -> str:
    """A stable heading id: prefix + the name with anything but letters, digits and Han removed."""
    cleaned = re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-_").lower()
    return f"{prefix}-{cleaned}" if cleaned else prefix


def term_slug(term: str, taken: set[str]) -> str:
    """Page name of a term's page: its pinyin (职工之家 -> zhigongzhijia), unique within `taken`."""
    from pypinyin import lazy_pinyin

    from .slug import unique

    return unique(re.sub(r"[^a-z0-9]+", "-", "".join(lazy_pinyin(term)).lower()).strip("-") or "term", taken)


def _item(a: ArticleInfo, from_page: str, *, show: tuple[str, ...] = ("date", "category", "origin")) -> str:
    parts = [f"[{md_text(a.title)}]({rel(from_page, a.page)})"]
    extra = []
    if "date" in show and a.date:
        extra.append(md_text(a.date))
    if "category" in show and a.meta.get("category"):
        extra.append(md_text(a.category))
    if "origin" in show and a.origin != NO_SOURCE:
        extra.append(md_text(a.origin))
    if extra:
        parts.append('<span class="wk-list-meta">' + " · ".join(extra) + "</span>")
    return "- " + " ".join(parts)


def _grouped(articles: list[ArticleInfo], key) -> dict[str, list[ArticleInfo]]:
    groups: dict[str, list[ArticleInfo]] = defaultdict(list)
    for a in newest_first(articles):
        groups[key(a)].append(a)
    return groups


def category_order(groups: dict[str, list[ArticleInfo]]) -> list[str]:
    """Known categories in their fixed order, any other names after them, 未分类 last."""
    known = [c for c in CATEGORIES if c in groups]
    other = sorted(c for c in groups if c not in CATEGORIES and c != NO_CATEGORY)
    return known + other + ([NO_CATEGORY] if NO_CATEGORY in groups else [])


def year_order(groups: dict[str, list[ArticleInfo]]) -> list[str]:
    return sorted((y for y in groups if y), reverse=True) + ([""] if "" in groups else [])


def source_order(groups: dict[str, list[ArticleInfo]]) -> list[str]:
    return sorted((s for s in groups if s != NO_SOURCE), key=lambda s: (-len(groups[s]), s)) + ([NO_SOURCE] if NO_SOURCE in groups else [])


def _page(title: str, body: list[str], *, description: str, hide: tuple[str, ...] = ()) -> str:
    front = {"title": title, "description": description}
    if hide:
        front["hide"] = list(hide)
    fm = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    return f"---\n{fm}---\n\n" + "\n".join(body).rstrip() + "\n"


@dataclass
class Group:
    """One browse group (a year, a category, a source) and its numbered pages under browse/<kind>/."""

    kind: str  # 'year', 'category' or 'source'
    name: str  # the group's key ('' for no year)
    label: str  # what readers see ('2024 年', '讲话', '年份不详')
    articles: list[ArticleInfo]
    pages: list[str]  # 'browse/year/2024.md', 'browse/year/2024-2.md', …

    @property
    def anchor(self) -> str:
        return anchor_id(KIND_ANCHOR[self.kind], self.name or "none")


KIND_ANCHOR = {"year": "y", "category": "c", "source": "s"}
KIND_TITLE = {"year": "按年份浏览", "category": "按分类浏览", "source": "按来源浏览"}


def _page_names(slug: str, n_pages: int) -> list[str]:
    return [slug] + [f"{slug}-{i}" for i in range(2, n_pages + 1)]


def _pages_of(kind: str, base: str, n_articles: int, taken: set[str]) -> list[str]:
    """The page paths of a group: base, base-2… (PAGE_SIZE articles each), none of them taken by another group."""
    n_pages = max(1, -(-n_articles // PAGE_SIZE))
    slug, n = base, 1
    while any(name in taken for name in _page_names(slug, n_pages)):
        n += 1
        slug = f"{base}-{n}"
    names = _page_names(slug, n_pages)
    taken.update(names)
    return [f"browse/{kind}/{name}.md" for name in names]


def browse_groups(articles: list[ArticleInfo]) -> dict[str, list[Group]]:
    """The year, category and source groups in reading order, each with its page paths (deterministic slugs)."""
    from .slug import slugify

    out: dict[str, list[Group]] = {}
    years = _grouped(articles, lambda a: a.year)
    taken = {"index"}  # browse/year/index.md would be the address of browse/year.md
    out["year"] = [
        Group("year", y, f"{y} 年" if y else NO_YEAR, years[y], _pages_of("year", y or "undated", len(years[y]), taken))
        for y in year_order(years)
    ]
    cats = _grouped(articles, lambda a: a.category)
    taken = {"index"}
    out["category"] = [
        Group("category", c, c, cats[c], _pages_of("category", slugify(c), len(cats[c]), taken)) for c in category_order(cats)
    ]
    srcs = _grouped(articles, lambda a: a.origin)
    taken = {"index"}
    out["source"] = [Group("source", s, s, srcs[s], _pages_of("source", slugify(s), len(srcs[s]), taken)) for s in source_order(srcs)]
    return out


GROUP_SHOW = {"year": ("date", "category", "origin"), "category": ("date", "origin"), "source": ("date", "category")}
INDEX_INTRO = {
    "year": "按文章自身的日期排列，新的在前；只知年份或月份的文章排在该年之末。选一个年份查看它的文章。",
    "category": "按文章体裁浏览：讲话、报告、总结、计划、通知、心得、经验、新闻、论文。",
    "source": "按发布单位或来源网站浏览。",
}
INDEX_DESCRIPTION = {
    "year": "工会工作文库的文章，按年份排列的时间线。",
    "category": "工会工作文库的文章，按体裁分类。",
    "source": "工会工作文库的文章，按发布单位与来源。",
}


def _pager(g: Group, i: int) -> str:
    here = g.pages[i]
    links = []
    if i > 0:
        links.append(f"[← 上一页]({rel(here, g.pages[i - 1])})")
    links.append(f"第 {i + 1} / {len(g.pages)} 页")
    if i + 1 < len(g.pages):
        links.append(f"[下一页 →]({rel(here, g.pages[i + 1])})")
    return '<div class="wk-pager" markdown>\n' + " · ".join(links) + "\n</div>"


def group_pages(g: Group) -> dict[str, str]:
    """The numbered pages of one group: at most PAGE_SIZE articles each, newest first, with 上一页/下一页."""
    out = {}
    index = f"browse/{g.kind}.md"
    for i, page in enumerate(g.pages):
        chunk = g.articles[i * PAGE_SIZE : (i + 1) * PAGE_SIZE]
        body = [
            f"[{KIND_TITLE[g.kind]}]({rel(page, index)}#{g.anchor}) › {md_text(g.label)} <small>{len(g.articles)} 篇</small>",
            "",
        ]
        if len(g.pages) > 1:
            body += [_pager(g, i), ""]
        body += [_item(a, page, show=GROUP_SHOW[g.kind]) for a in chunk] + [""]
        if len(g.pages) > 1:
            body += [_pager(g, i), ""]
        plain = g.label if g.kind == "year" else f"{'分类' if g.kind == 'category' else '来源'}：{g.label}"
        suffix = f"（第 {i + 1} 页）" if i else ""
        out[page] = _page(plain + suffix, body, description=f"工会工作文库：{plain}的文章{suffix}。")
    return out


def index_page(kind: str, groups: list[Group]) -> str:
    """browse/<kind>.md: every group with its article count, linking to the group's pages."""
    page = f"browse/{kind}.md"
    body = [INDEX_INTRO[kind], ""]
    for g in groups:
        line = f'- <span id="{g.anchor}"></span>[{md_text(g.label)}]({rel(page, g.pages[0])}) <small>{len(g.articles)} 篇</small>'
        if len(g.pages) > 1:
            line += " " + " ".join(f"[{n}]({rel(page, p)})" for n, p in enumerate(g.pages[1:], start=2))
        body.append(line)
    return _page(KIND_TITLE[kind], body, description=INDEX_DESCRIPTION[kind])


def browse_pages(articles: list[ArticleInfo]) -> tuple[dict[str, str], dict[str, list[Group]]]:
    """browse/year.md, browse/category.md, browse/source.md and every group page under them."""
    groups = browse_groups(articles)
    pages: dict[str, str] = {}
    for kind in ("category", "year", "source"):
        pages[f"browse/{kind}.md"] = index_page(kind, groups[kind])
        for g in groups[kind]:
            pages.update(group_pages(g))
    return pages, groups


def tags_page() -> str:
    body = ["文章的标签（来自原网页的关键词）。每个标签下列出带有它的文章。", "", "<!-- material/tags -->"]
    return _page("标签", body, description="工会工作文库的标签索引。")


def term_pages(terms: dict[str, list[dict[str, str]]], dates: dict[str, str], exclude: str = "") -> tuple[dict[str, str], dict[str, str]]:
    """The term index page and one concordance page per term; returns (pages, term -> page path).

    `exclude` is the attribute that keeps the quoted sentences out of Material's search index (the offline
    copy's: " data-search-exclude"); Pagefind indexes only what is marked for it.
    `dates` maps each article page to its date. A term page quotes the TERM_USES newest articles' sentences
    (a term most articles use would otherwise make a page of every article: megabytes at 10,000 articles).
    """
    known_pages = dates.keys()
    taken: set[str] = set()
    paths: dict[str, str] = {}
    pages: dict[str, str] = {}
    usable = {t: [u for u in uses if isinstance(u, dict) and u.get("page") in known_pages] for t, uses in terms.items()}
    usable = {t: uses for t, uses in usable.items() if uses}
    for term in sorted(usable, key=lambda t: (-len({u["page"] for u in usable[t]}), t)):
        paths[term] = f"terms/{term_slug(term, taken)}.md"
    index = ["工会工作的常用术语，以及用到它们的文章和原句。", ""]
    for term, path in paths.items():
        n = len({u["page"] for u in usable[term]})
        index.append(f"- [{md_text(term)}]({rel('terms/index.md', path)}) <small>{n} 篇</small>")
    if not paths:
        index.append("术语索引尚未生成。")
    pages["terms/index.md"] = _page("术语", index, description="工会工作文库的术语索引。")
    for term, path in paths.items():
        uses = sorted(usable[term], key=lambda u: (u["page"], u.get("sentence", "")))
        uses.sort(key=lambda u: dates.get(u["page"], ""), reverse=True)  # newest first; stable, so by page within a date
        n = len({u["page"] for u in uses})
        if len(uses) > TERM_USES:
            every = f"[在搜索中查看全部 {n} 篇](?q={quote(term)})"  # wenku-search.js opens the box with ?q=
            intro = f"用到“{md_text(term)}”的文章共 {n} 篇，这里是最新的 {TERM_USES} 篇及原句（{every}）："
        else:
            intro = f"用到“{md_text(term)}”的文章及原句（最新的在前）："
        # the way back to the term index, as a browse group page leads back to its index
        body = [f"[术语]({rel(path, 'terms/index.md')}) › {md_text(term)} <small>{n} 篇</small>", "", intro, ""]
        # The quoted sentences stay out of the search index: searching a word should find the
        # articles (and this term's own page by its title), not every term page that quotes it.
        body += [f'<div class="wk-concordance"{exclude} markdown>', ""]
        for use in uses[:TERM_USES]:
            sentence = md_text(use.get("sentence", ""))
            marked = sentence.replace(md_text(term), f"<mark>{md_text(term)}</mark>")
            title = use.get("title") or PurePosixPath(use["page"]).stem
            body.append(f"- [{md_text(title)}]({rel(path, use['page'])})：{marked}")
        body += ["", "</div>"]
        pages[path] = _page(f"术语：{term}", body, description=f"工会工作文库中用到“{term}”的文章和原句。")
    return pages, paths


def home_page(articles: list[ArticleInfo], terms_count: int, groups: dict[str, list[Group]], site_root: str = "") -> str:
    """The home page: what the library holds, the newest articles, entry points by category, year and tag."""
    page = "index.md"
    n = len(articles)
    years = sorted({a.year for a in articles if a.year})
    origins = {a.origin for a in articles if a.origin != NO_SOURCE}
    raw_files = {str(a.meta.get("source_file")) for a in articles if a.meta.get("source_file")}
    span = f"{years[0]}—{years[-1]} 年" if len(years) > 1 else (f"{years[0]} 年" if years else "年份不详")
    body = [
        "# 工会工作文库",
        "",
        "讲话、报告、总结、心得……从网上收集的工会工作文章，清理、校对、互相链接，可用简体或繁體阅读，可全文检索。",
        "",
        '<div class="wk-stats" markdown>',
        f'<span class="wk-stat"><strong>{n}</strong> 篇文章</span>',
        f'<span class="wk-stat"><strong>{len(raw_files)}</strong> 份原始文本</span>',
        f'<span class="wk-stat"><strong>{len(origins)}</strong> 个来源</span>',
        f'<span class="wk-stat"><strong>{span}</strong></span>',
        "</div>",
        "",
        "## 最新文章",
        "",
    ]
    body += [_item(a, page) for a in newest_first(articles)[:NEWEST]]
    body += ["", f"[按年份查看全部 {n} 篇 →](browse/year.md)", ""]

    for kind, heading in (("category", "按分类"), ("year", "按年份"), ("source", "按来源")):
        shown = groups[kind][:TOP_TAGS] if kind == "source" else groups[kind]
        body += [f"## {heading}", "", '<div class="wk-chips" markdown>']
        for g in shown:
            body.append(f"[{md_text(g.label)} <small>{len(g.articles)}</small>]({g.pages[0]})")
            # every numbered page of a group shown here is linked too: any article is two clicks from home
            body += [f"[{md_text(g.label)} <small>第 {n} 页</small>]({p})" for n, p in enumerate(g.pages[1:], start=2)]
        if len(shown) < len(groups[kind]):
            body.append(f"[全部 {len(groups[kind])} 个来源 →](browse/{kind}.md)")
        body += ["</div>", ""]

    tag_counts = Counter(t for a in articles for t in a.tags)
    if tag_counts:
        body += ["## 按标签", "", '<div class="wk-chips" markdown>']
        body += [
            f"[{md_text(t)} <small>{c}</small>](tags.md)" for t, c in sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]
        ]
        body += ["</div>", ""]
    if terms_count:
        body += [f"也可以从 [{terms_count} 个工会术语](terms/index.md) 查找用到它们的文章和原句。", ""]
    body += ["[关于本文库](about.md)：文字从哪里来，怎样清理，怎样纠错。", ""]
    from build_tools.offline import link_markdown  # the offline zip, only once `make offline` has built it

    if download := link_markdown(site_root):
        body += [download, ""]
    return _page("工会工作文库", body, description=f"工会工作文库：{n} 篇工会工作文章，可按分类、年份、来源和标签浏览。", hide=("toc",))


def listed_on(groups: dict[str, list[Group]]) -> dict[tuple[str, str], str]:
    """(kind, article page) -> the browse page that lists the article in its group of that kind."""
    return {(kind, a.page): g.pages[i // PAGE_SIZE] for kind, gs in groups.items() for g in gs for i, a in enumerate(g.articles)}


def generate_pages(
    docs_dir: Path, site_root: str = "", exclude: str = ""
) -> tuple[dict[str, str], list[ArticleInfo], dict[str, str], dict[tuple[str, str], str]]:
    """All generated pages for the articles under `docs_dir`: (path -> Markdown, the articles, term -> term
    page, where each article is listed: `listed_on`).

    `site_root` leads from this edition's root to the site's (the Traditional edition's: "../"), where the
    offline zip is published once for both editions; `exclude` as for `term_pages`."""
    articles = load_articles(docs_dir)
    terms = load_terms(docs_dir)
    term_pg, term_paths = term_pages(terms, {a.page: a.date for a in articles}, exclude)
    browse_pg, groups = browse_pages(articles)
    pages = {"index.md": home_page(articles, len(term_paths), groups, site_root), **browse_pg, "tags.md": tags_page(), **term_pg}
    return pages, articles, term_paths, listed_on(groups)
