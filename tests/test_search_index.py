"""Pagefind shards (build_tools/search_index.py): which pages, how they are cut, where they go."""

from __future__ import annotations

import json
import re
from pathlib import Path

from build_tools import search_index, search_text


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
    counts = [json.loads((site / n / "pagefind-entry.json").read_text())["languages"][search_index.LANGUAGE]["page_count"] for n in names]
    assert counts == [2, 2, 1]
    assert not (tmp_path / "scratch").exists() and (site / "articles" / "a0" / "index.html").is_file()
    # a rebuild with fewer pages leaves no stale shard behind
    assert search_index.build(site, tmp_path / "scratch", skip=("hant",), size=10) == ["pagefind"]
    assert not (site / "pagefind-2").exists()


def test_the_staged_copy_indexes_coded_pairs_and_keeps_the_page_title():
    page = (
        '<html lang="zh"><body><h1>职工 &amp; 之家</h1><dl class="wk-meta"><dd>讲话</dd></dl>'
        '<div data-pagefind-body><h2>建设<a class="headerlink" data-pagefind-ignore href="#x">¶</a></h2>'
        "<p>建设<strong>职工</strong>之家，<em>2013</em>年</p><div><p>送温暖</p></div></div><p>页脚</p></body></html>"
    )
    staged = search_index.staged_page(page)
    assert staged.startswith('<html lang="zh"><body><h1>职工 &amp; 之家</h1><dl class="wk-meta"><dd>讲话</dd></dl>')
    assert staged.endswith("<p>页脚</p></body></html>"), "only the marked element changes"
    assert 'data-pagefind-meta="title[data-wk-title]" data-wk-title="职工 &amp; 之家"' in staged
    body = staged.split("<div data-pagefind-body>", 1)[1].rsplit("</div>", 1)[0]
    code = search_text.code
    assert body == (
        f"<h2>{code('建设')}</h2>"
        f"<p>{search_text.SEP} {' '.join(code(w) for w in ('建设', '设职', '职工', '工之', '之家'))} ，2013 {code('年')}</p>"
        f"<p>{search_text.SEP} {code('送温')} {code('温暖')}</p>"
    )
    assert search_text.decode(re.sub(r"<[^>]+>", " ", body)) == "建设 建设职工之家，2013年 送温暖"


def test_a_near_duplicate_is_indexed_with_its_canonical_page(tmp_path):
    site = tmp_path / "site"
    _page(site / "articles" / "a" / "index.html", "职工之家")
    copy = site / "articles" / "b" / "index.html"
    copy.parent.mkdir(parents=True)
    copy.write_text('<html><body><h1>副本</h1><div data-wk-duplicate-of="articles/a/"><p>送温暖<div>维权</div></p></div></body></html>')
    pages, copies = search_index.scan(site)
    assert [p.parent.name for p in pages] == ["a"], "the copy itself is not indexed"
    assert copies == {site / "articles" / "a" / "index.html": ["<p>送温暖<div>维权</div></p>"]}
    staged = search_index.staged_page(pages[0].read_text(), copies[pages[0]])
    body = staged.split("data-pagefind-body>", 1)[1].split("</main>", 1)[0]
    assert search_text.decode(re.sub(r"<[^>]+>", " ", body)) == "职工之家 职工之家。 送温暖 维权"
