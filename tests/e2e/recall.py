"""Search recall, as a reader gets it: queries drawn from a built library, typed into its search box in Chromium.

The queries are chosen when the test runs, from the built Simplified pages (never listed in the code under test):
(a) every domain term of build_tools/data/terms.txt that occurs in the library, (b) words of 2 to 4 Chinese
characters drawn at random from the articles' own segmentation (build_tools.terms.words, distinct words),
(c) phrases of 5 to 8 characters cut at random places from random sentences (inside one run of Chinese
characters), and (d) each of these converted to Traditional (build_tools.hant), typed in the Traditional edition.
Expected for a query: every article whose text has it; a near-duplicate (not indexed) by its canonical page.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from build_tools import hant, search_index
from build_tools.terms import domain_terms
from build_tools.terms import words as segment

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_CUT = re.compile(r'<h2 id="(?:compilation|related)"|</article>')
_DROP = re.compile(r'<dl class="wk-meta".*?</dl>|<div class="admonition.*?</div>|<a [^>]*class="md-content__button.*?</a>', re.S)
_CANONICAL = re.compile(r'<div class="admonition note">\s*<p class="admonition-title">近似重复</p>\s*<p>[^<]*<a href="([^"]+)"')


@dataclass
class Library:
    """The articles of a built site: their text (blocks) and the page that represents each in search."""

    texts: dict[str, list[str]] = field(default_factory=dict)  # "articles/x/" -> its text, block by block
    represented_by: dict[str, str] = field(default_factory=dict)  # article -> itself, or its canonical page

    _hant: list[tuple[str, str]] = field(default_factory=list)  # (block, its Traditional form), made when needed

    def other_reading(self, typed: str, simple: str) -> bool:
        """Whether the Traditional text `typed` also stands for another Simplified text of the library than `simple`
        (著眼 is both 着眼 and 著眼 when the library has both): no conversion of the query can find both."""
        if not self._hant:
            self._hant = [(b, hant.to_hant(b)) for blocks in self.texts.values() for b in blocks]
        for block, trad in self._hant:
            if len(block) != len(trad):
                continue
            at = trad.find(typed)
            while at >= 0:
                if block[at : at + len(typed)] != simple:
                    return True
                at = trad.find(typed, at + 1)
        return False

    def containing(self, query: str) -> set[str]:
        """The pages search must list for `query`: every article with it in one of its blocks, as represented."""
        return {self.represented_by[p] for p, blocks in self.texts.items() if any(query in b for b in blocks)}


def article_blocks(page: str) -> list[str]:
    """An article page's own text (after its <h1>, without the metadata block, notices and lists), by block."""
    start = page.find("</h1>")
    end = _CUT.search(page, start)
    inner = _DROP.sub("", page[start + 5 : end.start() if end else len(page)])
    parser = search_index._Blocks()
    parser.feed(inner)
    parser.close()
    parser._flush()
    return [html.unescape(text) for _, text in parser.blocks]


def load(site: Path) -> Library:
    """Every article of the built Simplified edition at `site`."""
    lib = Library()
    for path in sorted((site / "articles").glob("*/index.html")):
        key = f"articles/{path.parent.name}/"
        page = path.read_text(encoding="utf-8")
        lib.texts[key] = article_blocks(page)
        m = None if "data-pagefind-body" in page else _CANONICAL.search(page)
        if m:
            target = (Path("/x") / key / m.group(1)).resolve()  # relative link -> site path
            lib.represented_by[key] = target.relative_to("/x").as_posix().rstrip("/") + "/"
        else:
            lib.represented_by[key] = key
    return lib


def draw(lib: Library, seed: int, words: int = 200, phrases: int = 50) -> dict[str, list[str]]:
    """The Simplified queries of each kind (a, b, c), drawn with `seed`."""
    rng = random.Random(seed)
    text = "\n".join(b for blocks in lib.texts.values() for b in blocks)
    terms = sorted(t for t in domain_terms() if t in text)
    vocab = sorted({w for blocks in lib.texts.values() for b in blocks for w in segment(b) if 2 <= len(w) <= 4 and _HAN_RUN.fullmatch(w)})
    runs = [r for blocks in lib.texts.values() for b in blocks for r in _HAN_RUN.findall(b) if len(r) >= 5]
    cut = []
    while len(cut) < phrases and runs:
        run = rng.choice(runs)
        n = rng.randint(5, min(8, len(run)))
        start = rng.randrange(len(run) - n + 1)
        cut.append(run[start : start + n])
    return {"terms": terms, "words": rng.sample(vocab, min(words, len(vocab))), "phrases": cut}


def traditional(queries: dict[str, list[str]]) -> dict[str, list[tuple[str, str]]]:
    """(d): each query as the Traditional edition's reader types it, with the Simplified text it stands for."""
    return {kind: [(hant.to_hant(q), q) for q in qs] for kind, qs in queries.items()}


def search_all(page, query: str) -> list[str]:
    """Type `query` into the header's search box, load every result ("load more"); the result pages, best first."""
    box = page.locator(".pagefind-ui__search-input")
    box.wait_for(state="attached")  # Pagefind's UI mounts after the page's load: not there yet is not hidden
    if not box.is_visible():
        page.click(".wk-search__toggle")  # a narrow header shows a button that opens the box
    box.fill(query)
    # The message names the query between spaces ("找到 3 个 维权 的相关结果"): waiting for the query alone would
    # take the previous message for this one when the query is a word of the message itself (结果, 相关).
    page.wait_for_function(
        """q => { const m = document.querySelector('.pagefind-ui__message');
                 const t = m ? m.textContent : '';
                 return t.includes(' ' + q + ' 的相') && (t.startsWith('未找到') || /找到 [\\d,]+ /.test(t)); }""",
        arg=query,
        timeout=30000,
    )
    message = page.inner_text(".pagefind-ui__message")
    if message.startswith("未找到"):
        return []
    total = int(re.search(r"找到 ([\d,]+) ", message).group(1).replace(",", ""))
    # "Load more" until every result is listed, clicked in the page (one round trip, not one per ten results); the
    # addresses are read once the message is this query's and every result is listed with its link. A search run
    # again meanwhile (wenku-search.js completing the filter panel) lists ten again: the loop goes on.
    hrefs = page.evaluate(
        """async ([q, total]) => {
             const results = () => document.querySelectorAll('.pagefind-ui__result');
             const settled = () => { const m = document.querySelector('.pagefind-ui__message');
               return m && m.textContent.includes(' ' + q + ' 的相') && /找到 [\\d,]+ /.test(m.textContent); };
             // up to 20 s without progress (one more result listed or linked); the links are read only once all
             // results are listed (reading a thousand of them every few ms slows the page down)
             const tick = () => new Promise(r => setTimeout(r, 10));
             for (let t = Date.now(), shown = -1, done = 0, clicked = 0; Date.now() - t < 20000; await tick()) {
               const listed = results().length;
               const links = listed === total ? document.querySelectorAll('.pagefind-ui__result-link[href]').length : 0;
               if (links === total && settled() && results().length === total) {
                 const hrefs = [...document.querySelectorAll('.pagefind-ui__result-link')].map(e => e.getAttribute('href'));
                 if (hrefs.length === total && hrefs.every(Boolean)) return hrefs;
               }
               if (listed + links > done) (done = listed + links), (t = Date.now());
               const button = listed < total && document.querySelector('.pagefind-ui__button');
               if (button && (listed !== shown || Date.now() - clicked > 1000)) { shown = listed; clicked = Date.now(); button.click(); }
               if (!button) shown = -1;
             }
             return null; }""",
        [query, total],
    )
    if hrefs is None:
        listed = page.locator(".pagefind-ui__result").count()
        raise AssertionError(f"{query!r}: the message says {total} results, {listed} could be listed ({message!r})")
    return [_site_page(h) for h in hrefs]


def search_api(page, query: str) -> list[str]:
    """The result pages of `query` from the page's `window.wenkuSearch` (wenku-search.js: the box's conversion and
    cut, Pagefind's API without its UI): what the box lists, without rendering every result (fast at 1,000 sources)."""
    return [_site_page(h) for h in page.evaluate("q => window.wenkuSearch(q)", query)]


def _site_page(href: str) -> str:
    """A result's address as a page of the site ("articles/x/"), whichever edition and host."""
    return re.split(r"[?#]", re.sub(r"^(https?://[^/]+)?/(hant/)?", "", href))[0]


@dataclass
class Outcome:
    """Per kind of query: how many queries, how many found every expected page, the misses."""

    queries: dict[str, int] = field(default_factory=dict)
    complete: dict[str, int] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)  # expected (query, page) pairs
    found: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    disagree: list[str] = field(default_factory=list)  # queries whose box results differ from search_api's
    typed: int = 0  # queries typed into the box (the others went through search_api)
    ambiguous: list[str] = field(default_factory=list)  # Traditional misses of a text with two readings

    def add(self, kind: str, query: str, expected: set[str], got: list[str], ambiguous: bool = False) -> None:
        missing = expected - set(got)
        if missing and ambiguous:
            why = "the Traditional text has two readings in the library"
            self.ambiguous.append(f"{kind} {query!r}: {len(missing)} of {len(expected)} missing ({why})")
        self.queries[kind] = self.queries.get(kind, 0) + 1
        self.complete[kind] = self.complete.get(kind, 0) + (not missing)
        self.pages[kind] = self.pages.get(kind, 0) + len(expected)
        self.found[kind] = self.found.get(kind, 0) + len(expected) - len(missing)
        if missing and not ambiguous:
            self.misses.append(f"{kind} {query!r}: {len(missing)} of {len(expected)} missing, e.g. {sorted(missing)[:3]}")

    def summary(self) -> str:
        """One line per kind: queries fully found, and articles found of those expected."""
        return "; ".join(
            f"{k}: {self.complete[k]}/{n} queries complete, {self.found[k]}/{self.pages[k]} articles"
            f" ({100 * self.found[k] / max(1, self.pages[k]):.1f}%)"
            for k, n in self.queries.items()
        )


def run(page, base_url: str, lib: Library, queries: dict[str, list[str]], edition: str, typed_max: int | None = None) -> Outcome:
    """Search every query in one edition ('' or 'hant/'); Traditional queries stand for their Simplified text.

    The first `typed_max` queries of each kind (None: all) are typed into the box, and searched with search_api
    too, whose results must be the same; the others are searched with search_api only."""
    page.goto(base_url + edition)
    page.wait_for_selector(".pagefind-ui__search-input", state="attached")
    page.wait_for_function("typeof window.wenkuSearch === 'function'")
    out = Outcome()
    items = traditional(queries) if edition else {k: [(q, q) for q in qs] for k, qs in queries.items()}
    for kind, pairs in items.items():
        for number, (typed, simple) in enumerate(pairs):
            got = search_api(page, typed)
            if typed_max is None or number < typed_max:
                out.typed += 1
                listed = search_all(page, typed)
                if sorted(listed) != sorted(got):
                    out.disagree.append(f"{kind} {typed!r}: box {sorted(set(listed) ^ set(got))[:5]} (of {len(listed)}) vs API {len(got)}")
                got = listed
            expected = lib.containing(simple)
            out.add(kind, typed, expected, got, bool(edition) and not expected <= set(got) and lib.other_reading(typed, simple))
    return out
