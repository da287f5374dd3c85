"""The site's frame around the pages, set up by the MkDocs hooks (build_tools/mkdocs_hooks.py): what the
templates under overrides/ read from `config.extra`.

- configure: the Traditional edition's palette toggle names and footer note in its script; the footer's links
  (feed, e-books, offline copy: overrides/partials/copyright.html); one storage scope for both editions.
- set_not_found: what the 404 page (overrides/404.html) lists: the newest articles and the browse pages.
- drop_from_nav: a page taken out of the navigation (标签 when no article has a tag).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from build_tools import offline

# The 404 page's entry points: (label, page), in the Simplified edition's words.
BROWSE = (
    ("按分类", "browse/category.md"),
    ("按年份", "browse/year.md"),
    ("按来源", "browse/source.md"),
    ("术语", "terms/index.md"),
    ("关于本文库", "about.md"),
)
FEED = "rss/feed.xml"
EBOOKS = "download/ebooks/"  # build_tools/epub.py writes an edition's e-books here


def page_url(page: str) -> str:
    """The address of a docs page under directory URLs ('browse/year.md' -> 'browse/year/', 'index.md' -> '')."""
    path = PurePosixPath(page)
    parent = "" if str(path.parent) == "." else f"{path.parent}/"
    return parent if path.stem == "index" else f"{parent}{path.stem}/"


def configure(config: Any, tr: Callable[[str], str]) -> None:
    """The edition's strings of the frame in its script and the footer's links (config.extra.wk_footer)."""
    palette = config.theme.get("palette")
    if isinstance(palette, list):
        for option in palette:
            if isinstance(option, dict) and isinstance(option.get("toggle"), dict) and option["toggle"].get("name"):
                option["toggle"]["name"] = tr(str(option["toggle"]["name"]))
    if config.get("copyright"):
        config["copyright"] = tr(str(config["copyright"]))
    site_root = "../" if str(config.extra.get("edition")) == "hant" else ""
    # Material keeps the reader's choices (the colour scheme) under its `extra.scope`, by default each edition's
    # own root: the site's root for both, so that a choice made in one edition holds in the other.
    path = urlsplit(str(config.get("site_url") or "/")).path or "/"
    if site_root and path.rstrip("/").endswith("/hant"):
        path = path.rstrip("/")[: -len("hant")]
    config.extra.setdefault("scope", path)
    links = [(tr("RSS 订阅"), FEED)]
    if not offline.is_offline_build():
        links.append((tr("电子书"), "browse/category/#ebooks"))
        if offline.ZIP_PATH.is_file():
            links.append((tr("离线版"), f"{site_root}{offline.DOWNLOAD_DIR}/{offline.ZIP_NAME}"))
    config.extra["wk_footer"] = [{"label": label, "href": href} for label, href in links]


def set_not_found(config: Any, newest: list[tuple[str, str]], tr: Callable[[str], str]) -> None:
    """The 404 page's lists (config.extra.wk_404): `newest` as (title, docs page), the browse pages, its strings."""
    config.extra["wk_404"] = {
        "title": tr("找不到这一页"),
        "text": tr("这个地址没有页面：可能输入有误，或者页面已经改名。可以用页面上方的搜索框查找，或者从下面的文章和目录进入。"),
        "search": tr("搜索文库"),
        "newest_heading": tr("最新文章"),
        "browse_heading": tr("浏览"),
        "home": tr("回到首页"),
        "newest": [{"title": title, "url": page_url(page)} for title, page in newest],
        "browse": [{"title": tr(label), "url": page_url(page)} for label, page in BROWSE],
    }


def drop_from_nav(nav: Any, src_uri: str) -> None:
    """Takes the page `src_uri` out of the navigation tree (its sections' children and the top level)."""

    def keep(item: Any) -> bool:
        file = getattr(item, "file", None)
        return not (file is not None and file.src_uri == src_uri)

    def prune(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            if getattr(item, "children", None):
                item.children = prune(item.children)
            if keep(item):
                out.append(item)
        return out

    nav.items = prune(nav.items)
    nav.pages = [p for p in nav.pages if keep(p)]
