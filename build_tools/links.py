"""Links of every page under docs/, in both editions, as `python -m build_tools check` validates them.

A page is rendered with the Markdown extensions of the MkDocs configuration (and the anchors the site's hooks
give headings: mkdocs_hooks.heading_id), so every form Markdown allows is found the way MkDocs finds it: inline
links and images (with titles, <angle-bracket> destinations), reference links and every reference definition
(used or not), autolinks, raw HTML href and src. Each relative target must be a page or file the site has
(docs/ or a page the hooks generate: home, browse, tags, terms), not outside docs/, and its #anchor an id of
that page (a heading, an attr_list id, an HTML id); `#a` alone, an anchor of the page itself. Links with a
scheme (https:, mailto:) or to another host (//) are not followed; a link to /x is an error: the site is served
under a sub-path, where it would lead off the site.

The Traditional edition renders each article from its own Traditional text (x.hant.md) when it has one, every
other page converted by OpenCC (build_tools/hant.py); its anchors are those of the converted headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import markdown
import yaml
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")  # extensions MkDocs always loads before mkdocs.yml's
# Only a page holding one of these can have a link (generated article text escapes every [ and <).
_MAY_LINK = re.compile(r"\]\s*[(\[:]|<[A-Za-z]|\]$", re.M)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FRONT = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)
HANT_SUFFIX = ".hant.md"


@dataclass(frozen=True)
class LinkProblem:
    """A link that does not lead where it says: page (docs-relative), line in its file, message."""

    page: str
    line: int
    message: str


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: MkDocs' own tags (!ENV, !!python/...) are read as nothing."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def extensions(config: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The Markdown extensions and their settings MkDocs builds with from `config` (its builtins first), the
    toc extension giving headings the anchors the site's hooks give them."""
    from build_tools.mkdocs_hooks import heading_id

    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader) if config.exists() else {}
    names, settings = list(MKDOCS_BUILTINS), {}
    for item in (data or {}).get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        settings[name] = {k: v for k, v in (options or {}).items() if v is not None}
    settings.setdefault("toc", {})["slugify"] = heading_id
    return names, settings


class _Targets(HTMLParser):
    """The href and src of every element of rendered HTML, and every id (or <a name>) it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


class _MarkdownLinks(Treeprocessor):
    """Collects the links MkDocs resolves against the source file (the href of <a>, the src of <img> in the
    element tree: Markdown's own links, images and autolinks); raw HTML stays out of the tree, as in MkDocs."""

    def run(self, root: Element) -> None:
        self.md.wenku_links = [el.get("href") for el in root.iter("a") if el.get("href")] + [  # type: ignore[attr-defined]
            el.get("src") for el in root.iter("img") if el.get("src")
        ]


class _LinksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_MarkdownLinks(md), "wenku_links", 1)  # after inline links and the toc


@dataclass
class Rendered:
    """What a page's Markdown holds: its Markdown links, its raw HTML links (in order) and its anchors."""

    links: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class Renderer:
    """Renders Markdown as MkDocs does with one configuration's extensions."""

    def __init__(self, config: Path) -> None:
        names, settings = extensions(config)
        self.md = markdown.Markdown(extensions=[*names, _LinksExtension()], extension_configs=settings)

    def render(self, text: str) -> Rendered:
        self.md.reset()
        self.md.wenku_links = []  # type: ignore[attr-defined]
        html = self.md.convert(text)
        parser = _Targets()
        parser.feed(html)
        parser.close()
        tree: list[str] = list(self.md.wenku_links)  # type: ignore[attr-defined]
        left = list(tree)
        raw = []
        for url in parser.links:
            if url in left:
                left.remove(url)
            else:
                raw.append(url)
        # reference definitions a page makes but never uses are links too (fixed the day they are used)
        unused = [url for url, _title in self.md.references.values() if url not in tree]
        return Rendered(tree + unused, raw, parser.ids)


def strip_front(text: str) -> tuple[str, int]:
    """A page's Markdown without its front matter, and how many lines the front matter took."""
    text = text.replace("\r\n", "\n")
    match = _FRONT.match(text)
    return (text[match.end() :], text[: match.end()].count("\n")) if match else (text, 0)


@dataclass
class Site:
    """The pages of one edition: docs-relative path -> a function giving its Markdown body (None: no such page)."""

    name: str
    bodies: dict[str, Callable[[], str]]
    files: set[str]  # every other file the site publishes from docs/ (images, styles...)
    renderer: Renderer
    _rendered: dict[str, Rendered] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # address without its last / -> page

    def __post_init__(self) -> None:
        self.urls = {page_url(page).rstrip("/"): page for page in self.bodies}

    _texts: dict[str, str] = field(default_factory=dict)

    def body(self, page: str) -> str:
        """The page's Markdown in this edition (made once)."""
        if page not in self._texts:
            self._texts[page] = self.bodies[page]()
        return self._texts[page]

    def rendered(self, page: str) -> Rendered:
        if page not in self._rendered:
            self._rendered[page] = self.renderer.render(self.body(page))
        return self._rendered[page]


def _resolve(page: str, path: str) -> str | None:
    """`path` (relative to `page`'s folder) as a docs-relative path; None when it leaves docs/."""
    parts: list[str] = []
    for part in PurePosixPath(page).parent.joinpath(path).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def _split(url: str) -> tuple[str, str] | str:
    """(path, anchor) of a link within the site; otherwise a str: "" for another site's link, or why it fails."""
    if _SCHEME.match(url) or url.startswith("//"):
        return ""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.startswith("/"):
        return f"absolute link {url}: write it relative to this page (the site is served under a sub-path)"
    return path, unquote(parts.fragment)


def check_target(site: Site, page: str, url: str) -> str:
    """Why `url` on `page` leads nowhere in `site` ("" when it is fine, or not a link this site can check)."""
    split = _split(url)
    if isinstance(split, str):
        return split
    path, anchor = split
    target = page if not path else _resolve(page, path)
    if target is None:
        return f"link {url} leads outside docs/"
    if target.endswith(HANT_SUFFIX) or target.endswith(".md.new"):
        return f"link to {url}: that file is not published; link {target.split('/')[-1].split('.')[0]}.md"
    if target not in site.bodies:
        if target in site.files:
            return "" if not anchor else f"link {url}: {target} is not a page, it has no anchors"
        if (target.rstrip("/") + "/index.md") in site.bodies or (target.rstrip("/") + ".md") in site.bodies:
            return f"link {url} names a page by its address: link its Markdown file (x.md) instead"
        return f"broken link to {url}: no page or file {target} under docs/"
    if anchor and anchor not in site.rendered(target).ids:
        where = "this page" if target == page else target
        return f"link {url}: {where} has no anchor #{anchor}"
    return ""


# What the build writes besides the pages and the files of docs/ (the hooks' feed, Material's assets and sitemap,
# Pagefind, the raw texts and the offline zip, the other edition): where a raw HTML link, which MkDocs leaves
# as it is, may lead too.
BUILD_OUTPUTS = (
    "rss/feed.xml",
    "rss/sitemap.xml",
    "sitemap.xml",
    "sitemap.xml.gz",
    "404.html",
    "pagefind/",
    "search/",
    "assets/javascripts/",
    "assets/stylesheets/",
    "assets/images/",
    "raw/",
    "download/",
    "hant/",
)


def page_url(page: str) -> str:
    """A page's address under the edition's root (use_directory_urls): about.md -> about/, x/index.md -> x/."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _built(path: str) -> bool:
    """The build writes `path` (BUILD_OUTPUTS: a file, or anything in a folder)."""
    return any(path == out.rstrip("/") or (out.endswith("/") and path.startswith(out)) for out in BUILD_OUTPUTS)


def check_raw(site: Site, page: str, url: str) -> str:
    """`check_target` for a raw HTML link: relative to the page's address, not its file; to a page by its address."""
    split = _split(url)
    if isinstance(split, str):
        return split
    path, anchor = split
    target = page if not path else None
    if path:
        resolved = _resolve(page_url(page) + "_", path)  # "_": the page's address is a folder
        if resolved is None:
            return f"link {url} leads outside the site"
        target = site.urls.get(resolved)
        if target is None:
            if resolved in site.files or _built(resolved):
                return ""
            if resolved.endswith(".md"):
                return f"link {url} in HTML: MkDocs leaves it as written, a .md file the site does not have; link {page_url(resolved)}"
            return f"broken link to {url}: the site has no page or file {resolved}"
    if anchor and anchor not in site.rendered(target).ids:
        return f"link {url}: {'this page' if target == page else target} has no anchor #{anchor}"
    return ""


def _line_of(text: str, url: str, offset: int) -> int:
    """The line of the page's file where `url` is written (1 when it cannot be found)."""
    for form in (url, unquote(url), url.replace("&", "&amp;")):
        at = text.find(form)
        if at >= 0:
            return offset + text.count("\n", 0, at) + 1
    return 1


def _files(docs: Path) -> tuple[dict[str, tuple[str, int]], set[str]]:
    """The Markdown files under `docs` (path -> body without front matter, lines of front matter) and the others."""
    pages: dict[str, tuple[str, int]] = {}
    others: set[str] = set()
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs).as_posix()
        hidden = any(part.startswith(".") for part in PurePosixPath(rel).parts)
        if path.is_symlink() or not path.is_file() or hidden or rel.endswith(".md.new"):
            continue
        if rel.endswith(".md"):
            pages[rel] = strip_front(path.read_text(encoding="utf-8", errors="replace"))
        else:
            others.add(rel)
    return pages, others


def check_links(docs: Path, config: Path) -> list[LinkProblem]:
    """Broken links and anchors of every page under `docs`, in the Simplified and the Traditional edition."""
    from build_tools import browse, hant

    files, others = _files(docs)
    generated = browse.generate_pages(docs)[0]
    published = {rel for rel in files if not rel.endswith(HANT_SUFFIX)} | set(generated)

    def hans_body(rel: str) -> str:
        return files[rel][0] if rel in files else strip_front(generated[rel])[0]

    def own_text(rel: str) -> str | None:
        """The file of an article's own Traditional text, when it has one."""
        original = rel.removesuffix(".md") + HANT_SUFFIX
        return original if rel.startswith("articles/") and original in files else None

    def hant_body(rel: str) -> str:
        original = own_text(rel)
        return files[original][0] if original else hant.to_hant(hans_body(rel))

    renderer = Renderer(config)
    hans = Site("hans", {rel: (lambda rel=rel: hans_body(rel)) for rel in published}, others, renderer)
    hant_site = Site("hant", {rel: (lambda rel=rel: hant_body(rel)) for rel in published}, others, renderer)
    problems: list[LinkProblem] = []
    seen: set[tuple[str, int]] = set()
    for page in sorted(rel for rel in files if rel in published):
        may_link = bool(_MAY_LINK.search(files[page][0]))  # OpenCC leaves ASCII as it is: no link, none in either edition
        for site in (hans, hant_site):
            if not (may_link or (site is hant_site and own_text(page))):
                continue
            body = site.body(page)
            if not _MAY_LINK.search(body):
                continue
            file = (own_text(page) or page) if site is hant_site else page
            label = "in the Traditional edition: " if site is hant_site and file == page else ""
            rendered = site.rendered(page)
            found = [(url, check_target) for url in dict.fromkeys(rendered.links)]
            for url, check in [*found, *((url, check_raw) for url in dict.fromkeys(rendered.raw))]:
                reason = check(site, page, url)
                if not reason:
                    continue
                line = _line_of(body, url, files[file][1])
                if (file, line) not in seen or not label:  # a link broken in both editions is said once
                    seen.add((file, line))
                    problems.append(LinkProblem(file, line, label + reason))
    return problems
