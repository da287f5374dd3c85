"""E-books of the library (PyPI `ebooklib`): one EPUB 3 per category and, up to WHOLE_LIBRARY_MAX articles, one of
the whole library, per edition.

Built by the MkDocs hooks (build_tools/mkdocs_hooks.py) at the end of each edition's build from the same
converted pages the site shows: each article's information block, notices and text as rendered HTML (the
Traditional edition's already converted), newest first, with a table of contents. Into the e-book goes
only what a reader needs off the site: links become their text (they lead to the site's pages), the
headings' ¶ anchors and folding go, and anything active (script, style, frames, forms, event attributes)
is removed, whatever a page holds. Titles and every other string are escaped.

Same input, same output: the book's identifier comes from its name, its date from its newest article,
and the zip entries carry a fixed timestamp. `python -m build_tools.epub check FILE...` checks a book's
structure (what tests/test_epub.py and, where Debian's epubcheck is installed, epubcheck check too).
"""

from __future__ import annotations

import argparse
import html
import io
import re
import sys
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from ebooklib import epub
from lxml import etree
from lxml import html as lxml_html

ACTIVE = ("script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea", "select", "link", "meta", "base", "img")
UNWRAP = ("a", "details", "nav", "span", "w-q")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip entries' timestamp (the earliest a zip can hold)
NAMESPACE = uuid.UUID("6f1d7d2e-3f0c-4b7a-9a51-2b1f5d0e9c11")  # book identifiers: uuid5 of this and the book's name
STYLE = """body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; line-height: 1.8; }
h1 { font-size: 1.4em; line-height: 1.4; margin: 1.5em 0 .8em; }
dl.wk-meta { font-size: .85em; margin: 0 0 1.2em; padding: .6em .8em; border-left: .2em solid #a4262c; background: #f5f5f5; }
dl.wk-meta dt { float: left; clear: left; width: 5em; color: #595959; }
dl.wk-meta dd { margin: 0 0 .2em 5.5em; }
.admonition { border: 1px solid #ccc; padding: .2em .8em; margin: 1em 0; font-size: .9em; }
.admonition-title { font-weight: bold; }
"""
_EMPTY_ID = re.compile(r"^\s*$")


@dataclass(frozen=True)
class Chapter:
    """One article of a book: its docs page, title, date, category and rendered HTML (zlib-compressed)."""

    page: str
    title: str
    date: str
    category: str
    packed: bytes

    @classmethod
    def of(cls, page: str, title: str, date: str, category: str, fragment: str) -> Chapter:
        return cls(page, title, date, category, zlib.compress(fragment.encode("utf-8"), 6))

    @property
    def fragment(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")


@dataclass(frozen=True)
class Book:
    """One e-book: its file name under the e-book folder, its title and its chapters (newest first)."""

    name: str
    title: str
    chapters: tuple[Chapter, ...]


def clean(fragment: str) -> str:
    """An article's rendered HTML as e-book XHTML body content: links as text, nothing active, well-formed."""
    root = lxml_html.fragment_fromstring(fragment or "<p></p>", create_parent="div")
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el, keep_children=False)
    for el in list(root.iter(*ACTIVE)):
        _drop(el, keep_children=False)
    for el in list(root.iter()):
        if (el.tag == "a" and "headerlink" in (el.get("class") or "")) or el.tag == "summary":
            _drop(el, keep_children=False)
    for el in list(root.iter(*UNWRAP)):
        el.drop_tag()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name in list(el.attrib):
            if name.startswith("on") or name.startswith("data-") or name in ("style", "href", "src", "tabindex", "markdown"):
                del el.attrib[name]
        if "id" in el.attrib and _EMPTY_ID.match(el.attrib["id"]):
            del el.attrib["id"]
    parts = [html.escape(root.text or "", quote=False)] + [etree.tostring(child, method="xml", encoding="unicode") for child in root]
    return "".join(parts)


def _drop(el, keep_children: bool) -> None:
    """Removes `el` (keeping the text after it in place)."""
    parent = el.getparent()
    if parent is None:
        return
    if keep_children:
        el.drop_tag()
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _chapter_html(c: Chapter) -> str:
    return f"<h1>{html.escape(c.title, quote=False)}</h1>\n{clean(c.fragment)}"


def _mtime(chapters: tuple[Chapter, ...]) -> datetime:
    """The book's date: its newest article's (2020-09-07, 2020-09, 2020), else the epoch."""
    for c in chapters:
        m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", c.date)
        if m:
            try:
                return datetime(int(m[1]), int(m[2] or 1), int(m[3] or 1), tzinfo=UTC)
            except ValueError:
                continue
    return datetime(1980, 1, 1, tzinfo=UTC)


def render(book: Book, *, lang: str, site_name: str, intro: str) -> bytes:
    """The EPUB 3 of `book` as bytes (`intro`: the title page's text; `lang`: zh-Hans or zh-Hant)."""
    e = epub.EpubBook()
    e.set_identifier(f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{lang}/{book.name}')}")
    e.set_title(book.title)
    e.set_language(lang)
    e.add_author(site_name)
    css = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=STYLE.encode("utf-8"))
    e.add_item(css)
    title_page = epub.EpubHtml(title=book.title, file_name="title.xhtml", lang=lang)
    title_page.content = f"<h1>{html.escape(book.title, quote=False)}</h1><p>{html.escape(intro, quote=False)}</p>"
    title_page.add_item(css)
    e.add_item(title_page)
    chapters = []
    for n, c in enumerate(book.chapters, 1):
        ch = epub.EpubHtml(title=c.title, file_name=f"a{n:05d}.xhtml", lang=lang)
        ch.content = _chapter_html(c)
        ch.add_item(css)
        e.add_item(ch)
        chapters.append(ch)
    e.toc = [epub.Link("title.xhtml", book.title, "title"), *chapters]
    e.add_item(epub.EpubNcx())
    nav = epub.EpubNav()
    nav.add_item(css)
    e.add_item(nav)
    e.spine = [title_page, "nav", *chapters]
    out = io.BytesIO()
    epub.write_epub(out, e, {"mtime": _mtime(book.chapters), "raise_exceptions": True})
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp fixed (ebooklib stamps the time of writing)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# The whole library's book holds the category books again in one file. Past this many articles it is tens of
# megabytes (39 MB at 10,000 articles, bench), more than a phone's reader opens comfortably, and it doubles the
# e-books' share of the site (GitHub Pages allows 1 GB): then only the category books are written and linked.
WHOLE_LIBRARY_MAX = 2000


def has_whole_library(articles: int) -> bool:
    """Whether a library of `articles` articles gets a book of the whole library (WHOLE_LIBRARY_MAX)."""
    return articles <= WHOLE_LIBRARY_MAX


def plan(chapters: list[Chapter], categories: list[tuple[str, str, str]], *, library_title: str, whole: bool = True) -> list[Book]:
    """The books to write: the whole library (if `whole`) and one per category ((category, label, slug) in order).

    `chapters` are newest first; a category with no chapter gets no book. File names: book_name().
    """
    books = [Book(book_name(), library_title, tuple(chapters))] if whole else []
    for category, label, slug in categories:
        mine = tuple(c for c in chapters if c.category == category)
        if mine:
            books.append(Book(book_name(slug), f"{library_title}：{label}", mine))
    return books


def book_name(slug: str = "") -> str:
    """The file name of the whole library's book ('wenku.epub') or of a category's ('wenku-jianghua.epub')."""
    return f"wenku-{slug}.epub" if slug else "wenku.epub"


def write(books: list[Book], out_dir: Path, *, lang: str, site_name: str, intro: str) -> list[Path]:
    """Writes every book into `out_dir`; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for book in books:
        path = out_dir / book.name
        path.write_bytes(render(book, lang=lang, site_name=site_name, intro=intro.format(count=len(book.chapters))))
        paths.append(path)
    return paths


# ---------------------------------------------------------------- structural check


def check(path: Path) -> list[str]:
    """What is wrong with the EPUB at `path` as a container ([] when nothing): the OCF layout, the package
    document, every manifest item present, every XHTML document well-formed, the spine and the navigation."""
    problems: list[str] = []
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{path}: not a zip: {exc}"]
    with z:
        infos = z.infolist()
        if not infos or infos[0].filename != "mimetype" or infos[0].compress_type != zipfile.ZIP_STORED:
            problems.append("the first entry must be an uncompressed 'mimetype'")
        elif z.read("mimetype") != b"application/epub+zip":
            problems.append("mimetype is not application/epub+zip")
        names = set(z.namelist())
        try:
            container = ElementTree.fromstring(z.read("META-INF/container.xml"))
        except (KeyError, ElementTree.ParseError) as exc:
            return [*problems, f"META-INF/container.xml: {exc}"]
        ns = {"c": "urn:oasis:names:tc:opendocument:xmlns:container", "opf": "http://www.idpf.org/2007/opf"}
        rootfile = container.find(".//c:rootfile", ns)
        opf_path = rootfile.get("full-path") if rootfile is not None else None
        if not opf_path or opf_path not in names:
            return [*problems, "container.xml names no package document that exists"]
        opf = ElementTree.fromstring(z.read(opf_path))
        base = PurePosixPath(opf_path).parent
        for key in ("identifier", "title", "language"):
            if not (opf.findtext(f".//{{http://purl.org/dc/elements/1.1/}}{key}") or "").strip():
                problems.append(f"package document has no dc:{key}")
        items = {i.get("id"): i for i in opf.iterfind(".//opf:manifest/opf:item", ns)}
        for item in items.values():
            href = str(base / item.get("href", "")) if str(base) != "." else item.get("href", "")
            if href not in names:
                problems.append(f"manifest item missing from the zip: {href}")
                continue
            if item.get("media-type") == "application/xhtml+xml":
                try:
                    ElementTree.fromstring(z.read(href))
                except ElementTree.ParseError as exc:
                    problems.append(f"{href}: not well-formed XHTML: {exc}")
        if not any("nav" in (i.get("properties") or "").split() for i in items.values()):
            problems.append("no navigation document (manifest item with properties='nav')")
        spine = [r.get("idref") for r in opf.iterfind(".//opf:spine/opf:itemref", ns)]
        if not spine:
            problems.append("empty spine")
        problems += [f"spine names an unknown item: {ref}" for ref in spine if ref not in items]
    return [f"{path.name}: {p}" for p in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.epub", description="check the structure of EPUB files")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="structural check of EPUB files (prints what is wrong; exit 1 if anything)")
    c.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    problems = [p for f in args.files for p in check(f)]
    for p in problems:
        print(p, file=sys.stderr)
    print(f"epub: {len(args.files)} file(s) checked, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
