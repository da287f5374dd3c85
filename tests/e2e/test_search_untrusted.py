"""Web text in the search UI stays text: titles, sources and excerpts that carry HTML are shown, never run.

Pagefind's UI writes result titles, excerpts, metadata and filter values into the page as HTML, so every value the
index holds must be escaped for that; a library whose front matter and body carry markup is built in full (both
editions, Pagefind included) and searched in Chromium.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_tools.browser import serve

from . import recall

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
# Each payload sets window.__pwned if it ever runs; each is also looked for as text on the page.
PAYLOADS = [
    "<img src=x onerror=window.__pwned=1>",
    '"><svg onload=window.__pwned=2>',
    "<script>window.__pwned=3</script>",
    "&lt;img src=x onerror=window.__pwned=4&gt;",
]


@pytest.fixture(scope="module")
def evil_search(tmp_path_factory):
    from build_tools import bench, site

    root = tmp_path_factory.mktemp("evilsearch")
    articles = root / "docs" / "articles"
    articles.mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "about.md", root / "docs" / "about.md")
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")
    for i, payload in enumerate(PAYLOADS):
        meta = {
            "title": f"标题{i}{payload}",
            "date": f"202{i}-03-04",
            "author": payload,
            "source": f"来源{payload}",
            "publisher": f"单位{i}{payload}",
            "category": "讲话",
            "tags": [f"标签{payload}"],
            "description": f"摘要{payload}",
        }
        body = f"职工之家建设第{i}篇。{payload.replace('<', '&lt;')}\n\n职工之家是职工的家。\n"
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body
        (articles / f"evil{i}.md").write_text(text, encoding="utf-8")
    bench._configs(root, None)
    assert site.build(root / "site", root=root) == 0
    with serve(root / "site") as url:
        yield url


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_markup_in_titles_sources_and_text_is_shown_as_text(guarded, evil_search, edition):
    page, _ = guarded
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(evil_search + edition)
    found = recall.search_all(page, "职工之家")
    assert sorted(f for f in found if f.startswith("articles/")) == [f"articles/evil{i}/" for i in range(len(PAYLOADS))], found
    # Pagefind draws the filter panel once its filter index has loaded, after the results at times
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 3")
    for block in page.locator(".pagefind-ui__filter-block").all():
        if not block.evaluate("details => details.open"):  # all open when Pagefind's first panel had one filter
            block.locator(".pagefind-ui__filter-name").click()
    # the values of an opened filter are drawn after it opens: wait until the sources' are there
    page.wait_for_function(
        """ps => { const t = [...document.querySelectorAll('.pagefind-ui__filter-label')].map(e => e.innerText).join(' ');
                  return ps.every(p => t.includes(p)); }""",
        arg=PAYLOADS,
        timeout=10000,
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert not dialogs
    injected = page.evaluate(
        """() => [...document.querySelectorAll('.pagefind-ui img[src="x"], .pagefind-ui svg[onload], .pagefind-ui script')]
                 .map(e => e.outerHTML)"""
    )
    assert not injected
    titles = " ".join(page.locator(".pagefind-ui__result-title").all_inner_texts())
    labels = " ".join(page.locator(".pagefind-ui__filter-label").all_inner_texts())
    for payload in PAYLOADS:  # what the page says is the text as written, markup characters included
        assert payload in titles.replace("標題", "标题"), (payload, titles)
        assert payload in labels, (payload, labels)
