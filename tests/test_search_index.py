"""Pagefind shards (build_tools/search_index.py): which pages, how they are cut, where they go."""

from __future__ import annotations

import json
from pathlib import Path

from build_tools import search_index


def test_shards_are_even_and_bounded():
    pages = [Path(f"p{i}") for i in range(3001)]
    cut = search_index.shards(pages, 3000)
    assert [len(s) for s in cut] == [1501, 1500]
    assert [p for s in cut for p in s] == pages
    assert [len(s) for s in search_index.shards(pages[:7], 3)] == [3, 2, 2]
    assert search_index.shards([], 3) == []
    assert [search_index.bundle_name(k) for k in range(3)] == ["pagefind", "pagefind-2", "pagefind-3"]


def _page(path: Path, body: str, marked: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mark = " data-pagefind-body" if marked else ""
    head = f'<!doctype html><html lang="zh"><head><title>{body}</title></head>'
    path.write_text(f"{head}<body><main{mark}><h1>{body}</h1><p>{body}。</p></main></body></html>")


def test_marked_pages_are_indexed_in_shards_and_listed(tmp_path):
    site = tmp_path / "site"
    for i in range(5):
        _page(site / "articles" / f"a{i}" / "index.html", f"职工之家第{i}篇")
    _page(site / "index.html", "首页", marked=False)
    _page(site / "hant" / "articles" / "a0" / "index.html", "職工之家")
    assert [p.relative_to(site).as_posix() for p in search_index.indexed_pages(site, skip=("hant",))] == [
        f"articles/a{i}/index.html" for i in range(5)
    ]
    names = search_index.build(site, tmp_path / "scratch", skip=("hant",), size=2)
    assert names == ["pagefind", "pagefind-2", "pagefind-3"]
    assert json.loads((site / "pagefind" / "wenku-bundles.json").read_text()) == {"bundles": ["pagefind/", "pagefind-2/", "pagefind-3/"]}
    counts = [json.loads((site / n / "pagefind-entry.json").read_text())["languages"]["zh-cn"]["page_count"] for n in names]
    assert counts == [2, 2, 1]
    assert not (tmp_path / "scratch").exists() and (site / "articles" / "a0" / "index.html").is_file()
    # a rebuild with fewer pages leaves no stale shard behind
    assert search_index.build(site, tmp_path / "scratch", skip=("hant",), size=10) == ["pagefind"]
    assert not (site / "pagefind-2").exists()
