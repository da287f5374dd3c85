"""The site's search index: Pagefind over the Simplified edition, in shards of bounded memory.

What Pagefind reads is not the published page but a staged copy whose indexed text (the elements marked
data-pagefind-body) is cut into overlapping character pairs, coded (build_tools/search_text.py): every
substring of the text is then a phrase of index words, and the search box cuts the query the same way. Pagefind runs
without a language of its own segmentation (LANGUAGE "und", npm `pagefind`, node_modules/.bin/pagefind):
its Chinese segmentation (jieba in the index, Intl.Segmenter in the browser) would cut the pairs again.

One index serves both editions: the Traditional edition's search box converts the query to Simplified
and the results back (build_tools/hant_table.py, assets/javascripts/wenku-search.js). Pagefind's
memory grows with the pages it indexes in one run (Chinese segmentation: 4.4 GB for 11,000 articles),
so the pages go into shards of at most SHARD_PAGES, indexed one after the other
into pagefind/, pagefind-2/, ...; the browser searches them together (Pagefind's mergeIndex), and
pagefind/wenku-bundles.json lists them for it. Each shard is Pagefind's command line run over a scratch
folder holding the staged copies of the shard's pages (same relative paths, so the same addresses).
Only pages with an element marked data-pagefind-body are indexed (build_tools/mkdocs_hooks.py decides).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from build_tools import search_text

ROOT = Path(__file__).resolve().parent.parent
PAGEFIND = ROOT / "node_modules" / ".bin" / "pagefind"  # npm pagefind, pinned in package.json (make setup)
SHARD_PAGES = 3000
LANGUAGE = "und"  # no language: Pagefind leaves the words as search_text cuts them, in the index and the browser
BUNDLES_FILE = "wenku-bundles.json"
MARK = "data-pagefind-body"


DUPLICATE = re.compile(r'<div data-wk-duplicate-of="([^"]+)">')


def scan(site_dir: Path, skip: tuple[str, ...] = ()) -> tuple[list[Path], dict[Path, list[str]]]:
    """The built pages Pagefind indexes (marked ones), in a stable order, folders in `skip` left out; and for
    each canonical page, the text (inner HTML) of its near-duplicates, which is indexed with it."""
    pages, copies = [], {}
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).parts
        if rel[0] in skip:
            continue
        text = path.read_text(encoding="utf-8")
        if MARK in text:
            pages.append(path)
        for m in DUPLICATE.finditer(text):
            target = site_dir / html.unescape(m.group(1)) / "index.html"
            copies.setdefault(target, []).append(text[m.end() : _end(text, "div", m.end())])
    return pages, copies


def indexed_pages(site_dir: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    """The built pages Pagefind indexes (see `scan`)."""
    return scan(site_dir, skip)[0]


def shards(pages: list[Path], size: int = SHARD_PAGES) -> list[list[Path]]:
    """Pages cut into runs of at most `size`, as evenly as possible (3,001 pages: 1,501 + 1,500)."""
    if not pages:
        return []
    count = -(-len(pages) // size)
    step, extra = divmod(len(pages), count)
    out, start = [], 0
    for k in range(count):
        end = start + step + (1 if k < extra else 0)
        out.append(pages[start:end])
        start = end
    return out


def bundle_name(k: int) -> str:
    """The folder of shard k (0-based): pagefind/, pagefind-2/, ..."""
    return "pagefind" if k == 0 else f"pagefind-{k + 1}"


_BLOCK_TAGS = "address article blockquote br dd details div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li ol p pre section"
BLOCKS = frozenset([*_BLOCK_TAGS.split(" "), "summary", "table", "td", "th", "tr", "ul"])  # each starts a new block of text
_VOID_TAGS = "area base br col embed hr img input link meta source track wbr"
VOID = frozenset(_VOID_TAGS.split(" "))
HEADINGS = frozenset(f"h{k}" for k in range(1, 7))  # kept as headings: Pagefind weighs their words more
_BODY = re.compile(r"<(\w+)\b[^>]*\sdata-pagefind-body\b[^>]*>")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)


class _Blocks(HTMLParser):
    """The text of an element's inner HTML as blocks (tag, text); what data-pagefind-ignore marks is left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._text: list[str] = []
        self._tag = "p"
        self._ignored: list[str] = []  # open elements, from the first ignored one down

    def _flush(self) -> None:
        text = "".join(self._text).strip()
        if text:
            self.blocks.append((self._tag, text))
        self._text, self._tag = [], "p"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._ignored or any(k == "data-pagefind-ignore" for k, _ in attrs):
            if tag not in VOID:
                self._ignored.append(tag)
            return
        if tag in BLOCKS:
            self._flush()
            if tag in HEADINGS:
                self._tag = tag

    def handle_endtag(self, tag: str) -> None:
        if self._ignored:
            if tag in self._ignored:
                while self._ignored and self._ignored.pop() != tag:
                    pass
            return
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._ignored:
            self._text.append(data)


def _end(page: str, tag: str, start: int) -> int:
    """Where the element `tag` opened just before `start` closes (nested elements of the same name counted)."""
    depth, pattern = 1, re.compile(rf"<(/?){tag}\b[^>]*>")
    for m in pattern.finditer(page, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return len(page)


def encoded_body(inner: str) -> str:
    """An indexed element's inner HTML with its text cut into search words (search_text), one element a block."""
    parser = _Blocks()
    parser.feed(inner)
    parser.close()
    parser._flush()
    out, first = [], True
    for tag, text in parser.blocks:
        words = search_text.tokens(text)
        if not words:
            continue
        lead = "" if first else search_text.SEP + " "
        out.append(f"<{tag}>{lead}{html.escape(' '.join(words), quote=False)}</{tag}>")
        first = False
    return "".join(out)


def staged_page(page: str, copies: list[str] | tuple[str, ...] = ()) -> str:
    """The copy of a built page that Pagefind reads: each data-pagefind-body element's text encoded
    (encoded_body), the first one followed by the text of the page's near-duplicates (`copies`, inner HTML);
    the title, which Pagefind takes from the first <h1>, given as metadata beforehand."""
    out, pos = [], 0
    h1 = _H1.search(page)
    title = re.sub(r"<[^>]+>", "", h1.group(1)).strip() if h1 else ""
    for m in _BODY.finditer(page):
        if m.start() < pos:
            continue
        end = _end(page, m.group(1), m.end())
        meta = ""
        if not out and title:
            meta = f'<span data-pagefind-meta="title[data-wk-title]" data-wk-title="{html.escape(html.unescape(title))}"></span>'

        inner = "".join([page[m.end() : end], *(f"<div>{c}</div>" for c in (copies if not out else ()))])
        out += [page[pos : m.start()], meta, m.group(0), encoded_body(inner)]
        pos = end
    out.append(page[pos:])
    return "".join(out)


def _stage(site_dir: Path, pages: list[Path], scratch: Path, copies: dict[Path, list[str]]) -> None:
    """`scratch` made to hold the staged copies of the pages (staged_page) at their paths under `site_dir`."""
    if scratch.exists():
        shutil.rmtree(scratch)
    for page in pages:
        target = scratch / page.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(staged_page(page.read_text(encoding="utf-8"), copies.get(page, [])), encoding="utf-8")


def _pagefind(site: Path, out: Path) -> None:
    """Pagefind's command line over `site`, its bundle written to `out`; raises with its output when it fails."""
    if not PAGEFIND.exists():
        raise RuntimeError(f"{PAGEFIND} is missing: run `make setup` (npm ci installs the pinned Pagefind)")
    cmd = [str(PAGEFIND), "--site", str(site), "--output-path", str(out), "--force-language", LANGUAGE, "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"pagefind exited with {proc.returncode}: {(proc.stdout + proc.stderr).strip()[-2000:]}")


def build(site_dir: Path, scratch: Path, skip: tuple[str, ...] = (), size: int = SHARD_PAGES) -> list[str]:
    """Index the marked pages of `site_dir` into its pagefind*/ folders, one shard at a time (staged under
    `scratch`, removed afterwards); returns the bundle folders written."""
    for old in site_dir.glob("pagefind*"):
        if old.is_dir():
            shutil.rmtree(old)
    names = []
    try:
        pages, copies = scan(site_dir, skip)
        for k, shard in enumerate(shards(pages, size)):
            name = bundle_name(k)
            _stage(site_dir, shard, scratch, copies)
            _pagefind(scratch, (site_dir / name).resolve())
            names.append(name)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)
    if names:
        listing = {"bundles": [f"{n}/" for n in names]}
        (site_dir / names[0] / BUNDLES_FILE).write_text(json.dumps(listing) + "\n", encoding="utf-8")
    return names
