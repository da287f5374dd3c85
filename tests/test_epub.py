"""The e-books (build_tools/epub.py) and the page helpers (build_tools/reading.py), without a browser."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from build_tools import browse, epub, reading

ROOT = Path(__file__).resolve().parent.parent
XHTML = "{http://www.w3.org/1999/xhtml}"
HOSTILE_TITLE = '</title><script>alert("t")</script>&amp; <b>标题</b> ]]> "\'&'
HOSTILE_BODY = (
    '<p onclick="steal()">正文<a href="javascript:alert(1)">链接</a><img src="x" onerror="alert(2)"/></p>'
    "<script>alert(3)</script><style>body{display:none}</style><iframe src='//evil'></iframe>"
    '<form action="//evil"><input name="q"/></form><!-- <script>alert(4)</script> -->'
    '<h2 id="x">小节<a class="headerlink" href="#x">¶</a></h2><p>引<w-q>“</w-q>号<w-q>”</w-q></p>'
)


def _docs(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith(".xhtml")}


def _book(tmp_path: Path, chapters: list[epub.Chapter]) -> Path:
    books = epub.plan(chapters, [("讲话", "讲话", "jianghua"), ("报告", "报告", "baogao")], library_title="工会工作文库")
    return epub.write(books, tmp_path, lang="zh-Hans", site_name="工会工作文库", intro="{count} 篇")[0]


def test_web_text_cannot_inject_anything_into_an_ebook(tmp_path):
    path = _book(tmp_path, [epub.Chapter.of("articles/x.md", HOSTILE_TITLE, "2020-01-02", "讲话", HOSTILE_BODY)])
    assert epub.check(path) == []
    docs = _docs(path)
    chapter = ElementTree.fromstring(docs["EPUB/a00001.xhtml"])  # well-formed XHTML
    assert chapter.findtext(f".//{XHTML}h1") == HOSTILE_TITLE  # shown as text, exactly
    assert chapter.findtext(f".//{XHTML}title") == HOSTILE_TITLE
    everything = b"".join(docs.values()).decode("utf-8")
    for tag in ("script", "style", "iframe", "form", "input", "img", "a", "w-q"):
        assert not any(el.tag == f"{XHTML}{tag}" for el in chapter.iter()), tag
    assert not re.search(r"\son\w+=|javascript:|//evil", everything)
    text = "".join(chapter.itertext())
    assert "正文链接" in text and "小节" in text and "¶" not in text and "引“号”" in text
    nav = ElementTree.fromstring(docs["EPUB/nav.xhtml"])
    assert HOSTILE_TITLE in ["".join(a.itertext()) for a in nav.iter(f"{XHTML}a")]


def test_books_are_newest_first_per_category_and_the_same_every_time(tmp_path, monkeypatch):
    chapters = [
        epub.Chapter.of(f"articles/a{i}.md", f"文章{i}", f"20{20 - i:02d}-01-01", "讲话" if i % 2 else "报告", f"<p>第{i}篇</p>")
        for i in range(6)
    ]
    books = epub.plan(chapters, [("讲话", "讲话", "jianghua"), ("报告", "报告", "baogao"), ("论文", "论文", "lunwen")], library_title="库")
    assert [b.name for b in books] == ["wenku.epub", "wenku-jianghua.epub", "wenku-baogao.epub"]  # no book without articles
    assert [c.title for c in books[1].chapters] == ["文章1", "文章3", "文章5"]
    first = epub.render(books[0], lang="zh-Hant", site_name="库", intro="x")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600 * 24 * 400)  # a later day: the same bytes
    assert epub.render(books[0], lang="zh-Hant", site_name="库", intro="x") == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        opf = z.read("EPUB/content.opf").decode()
        spine = re.findall(r'<itemref idref="([^"]+)"', opf)
        hrefs = dict(re.findall(r'<item href="([^"]+)" id="([^"]+)"', opf)[::1])
        by_id = {i: h for h, i in hrefs.items()}
        assert "<dc:language>zh-Hant</dc:language>" in opf and "2020-01-01T00:00:00Z" in opf
        titles = [re.search(r"<h1>(.*?)</h1>", z.read(f"EPUB/{by_id[s]}").decode()) for s in spine if s in by_id]
        # the title page, then the articles newest first, as given
        assert [t.group(1) for t in titles if t] == ["库"] + [f"文章{i}" for i in range(6)]


@pytest.mark.parametrize(
    "damage,expected",
    [
        (lambda z, n, d: d if n != "mimetype" else b"text/plain", "mimetype"),
        (lambda z, n, d: d.replace(b"</body>", b"<p></body>") if n.endswith("a00001.xhtml") else d, "not well-formed"),
        (lambda z, n, d: None if n.endswith("nav.xhtml") else d, "missing"),
    ],
)
def test_the_structural_check_finds_broken_books(tmp_path, damage, expected):
    good = _book(tmp_path, [epub.Chapter.of("articles/x.md", "题", "2020", "讲话", "<p>文</p>")])
    bad = tmp_path / "bad.epub"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = damage(src, info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info, data)
    problems = epub.check(bad)
    assert any(expected in p for p in problems), problems
    assert epub.check(good) == []


def test_line_breaks_between_chinese_characters_are_joined_everywhere_but_code():
    # every hand-written page's paragraphs, rendered as Markdown renders them (lines kept, \n between)
    pages = [p for p in (ROOT / "docs").glob("*.md")]
    assert pages
    for page in pages:
        text = browse._FRONT.sub("", page.read_text(encoding="utf-8"))
        paragraphs = [p for p in text.split("\n\n") if "\n" in p.strip() and not p.lstrip().startswith(("-", "|", "#", "```", "<"))]
        for p in paragraphs:
            joined = reading.join_cjk_lines(f"<p>{p}</p>")
            assert not re.search(r"[\u4e00-\u9fff，。、：；]\n[\u4e00-\u9fff]", joined), (page.name, joined)
    assert reading.join_cjk_lines("<p>工会\n工作 and\nLatin</p><pre>代码\n两行</pre>") == "<p>工会工作 and\nLatin</p><pre>代码\n两行</pre>"


def test_quotes_are_widened_next_to_chinese_text_only():
    out = reading.wide_quotes('<p title="要“四抓”">要“四抓”：<code>“码”</code> say “hi”</p><pre>“中”</pre>')
    assert out == '<p title="要“四抓”">要<w-q>“</w-q>四抓<w-q>”</w-q>：<code>“码”</code> say “hi”</p><pre>“中”</pre>'


def test_fix_page_sets_the_language_and_aims_the_skip_link_at_the_content():
    page = (
        '<html lang="zh" class="no-js"><body><div data-md-component="skip"><a href="#yi" class="md-skip">跳转至</a></div>'
        '<article class="md-content__inner md-typeset"><dl class="wk-meta"></dl><h2 id="yi">一</h2></article></body></html>'
    )
    out = reading.fix_page(page, "zh-Hans", "跳轉至")
    assert out.startswith('<html lang="zh-Hans"')
    assert '<a href="#wk-content" class="md-skip">跳轉至</a>' in out
    assert '<article class="md-content__inner md-typeset" id="wk-content" tabindex="-1">' in out
    # a page without headings gets the link too
    assert 'href="#wk-content"' in reading.fix_page(page.replace('<a href="#yi" class="md-skip">跳转至</a>', ""), "zh-Hans", "跳转至")


def test_tags_leave_the_navigation_when_no_article_has_a_tag(tmp_path):
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import get_navigation

    from build_tools import mkdocs_hooks

    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path), "nav": [{"首页": "index.md"}, {"浏览": ["browse/year.md", "tags.md"]}]})
    config.validate()
    pages = ("index.md", "browse/year.md", "tags.md")
    for page in pages:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("# x\n", encoding="utf-8")
    files = Files([File(p, str(tmp_path), str(tmp_path / "site"), use_directory_urls=True) for p in pages])

    def nav_pages(tagged: bool) -> list[str]:
        mkdocs_hooks.S.articles = {"articles/a.md": browse.ArticleInfo("articles/a.md", {"tags": ["职工"] if tagged else []})}
        nav = mkdocs_hooks.on_nav(get_navigation(files, config), config=config, files=files)
        flat = [c.file.src_uri for item in nav.items for c in (item.children or [item])]
        assert flat == [p.file.src_uri for p in nav.pages]
        return flat

    assert nav_pages(tagged=True) == list(pages)
    assert nav_pages(tagged=False) == ["index.md", "browse/year.md"]


def test_a_library_past_the_limit_gets_category_books_only_and_links_only_those(monkeypatch):
    """At WHOLE_LIBRARY_MAX articles the whole library's book is still written and linked; one article more and the
    home and category pages link only the category books, and plan writes only those."""
    from types import SimpleNamespace

    from build_tools import mkdocs_hooks

    chapters = [epub.Chapter.of(f"articles/a{i}.md", f"文章{i}", "2020-01-01", "讲话", "<p>x</p>") for i in range(3)]
    categories = [("讲话", "讲话", "jianghua")]
    assert [b.name for b in epub.plan(chapters, categories, library_title="库", whole=False)] == ["wenku-jianghua.epub"]
    monkeypatch.setattr(mkdocs_hooks.S, "ebooks", True)
    monkeypatch.setattr(mkdocs_hooks.S, "categories", categories)
    home, index = SimpleNamespace(url=""), SimpleNamespace(url="browse/category/")
    for count in (epub.WHOLE_LIBRARY_MAX, epub.WHOLE_LIBRARY_MAX + 1):
        monkeypatch.setattr(mkdocs_hooks.S, "articles", {f"articles/a{i}.md": None for i in range(count)})
        pages = mkdocs_hooks._ebook_links("index.md", home) + mkdocs_hooks._ebook_links("browse/category.md", index)
        links = re.findall(r'href="([^"]+\.epub)"', pages)
        whole = count <= epub.WHOLE_LIBRARY_MAX
        assert epub.has_whole_library(count) == whole
        assert ("download/ebooks/wenku.epub" in links) == whole and ("../../download/ebooks/wenku.epub" in links) == whole, links
        assert "../../download/ebooks/wenku-jianghua.epub" in links
