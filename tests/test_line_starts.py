"""Every line start that Markdown or an extension of mkdocs.yml gives a meaning to, at the start of a source
line, comes out of the whole pipeline as the text it is: converted with each cleaning step switched off in turn
(settings `skip:`) and with all of them off, rendered with the Markdown extensions MkDocs itself loads from
mkdocs.yml, each block is one <p> (or the <hN> the pipeline made of it) whose text is the block's text; the
page's title survives its front matter and the browse pages' links as text too."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.config import load_config

from build_tools.article import Source
from build_tools.browse import md_text
from build_tools.decode import decode
from build_tools.pipeline import clean_source
from build_tools.publish import page_meta, render_original
from build_tools.render import render
from build_tools.settings import STEPS, SourceSettings

ROOT = Path(__file__).resolve().parents[1]

# What opens a block at the start of a line, per extension (MkDocs' builtins toc, tables and fenced_code
# included). An extension enabled in mkdocs.yml without an entry here fails test_every_enabled_extension_is_listed.
LINE_STARTS: dict[str, tuple[str, ...]] = {
    "core": (
        *("#", "# ", "## ", "### ", "###### ", "####### ", "#标题 #"),  # ATX headings (and closing hashes)
        *("- ", "* ", "+ ", "-", "1. ", "1) ", "12. ", "2021. ", "0) "),  # lists
        *("> ", ">", ">> "),  # block quotes
        *("    ", "\t", "  \t", "   # ", "   - ", "    - "),  # code indent, and up to three spaces before a marker
        *("---", "***", "___", "- - -", "* * *", "_ _ _", "===", "=", "--", "-- "),  # rules, setext underlines
        *("<div>", '<div markdown="1">', "<!-- ", "<script>", "<p>", "</div>", "<?php ", "<![CDATA["),  # HTML blocks
        *("[x]: http://example.org ", "[x]:", '[x]: <http://e.org> "t" ', "[^1]: ", "[^1]:"),  # references, footnotes
        *(
            "[x] ",
            "[x][] ",
            "![图](x.png) ",
            "<http://example.org> ",
            "\\",
            "\\# ",
            "\\\\# ",
            "&#35; ",
            "&amp; ",
            "'引号' ",
        ),  # inline at the start
    ),
    "toc": ("[TOC]", "[TOC] "),
    "tables": ("| ", "|", "|---|---|", "甲 | 乙 ", "| --- ", ":--- | "),
    "fenced_code": ("```", "``` ", "```python ", "~~~", "~~~ ", "~~~python "),
    "abbr": ("*[工会]: ", "*[HTML]: Hyper ", "*[x]:"),
    "admonition": ("!!! ", '!!! note "注意" ', "!!! warning ", "!!!"),
    "attr_list": ("{: .cls #id } ", "{#id} ", "{: ", "{:"),
    "md_in_html": ('<div markdown="1"> ', "<div markdown> ", '<span markdown="span"> '),
    "def_list": (": ", ":   ", ":", " : "),
    "pymdownx.details": ("??? ", "??? note ", '???+ note "标题" ', "???+ ", "???"),
    "pymdownx.superfences": ("```", "```mermaid ", "~~~", "~~~~ ", "```{.python} ", "````"),
}
TEXT = "各级工会组织要坚持以职工为中心，切实维护职工合法权益，推动工会工作高质量发展。"
TEXT_HANT = "各級工會組織要堅持以職工為中心，切實維護職工合法權益，推動工會工作高質量發展。"
SKIPS = [frozenset(), *(frozenset({step}) for step in sorted(STEPS)), frozenset(STEPS)]


def _mkdocs_markdown() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


@pytest.fixture(scope="module")
def md() -> markdown.Markdown:
    return _mkdocs_markdown()


def test_every_enabled_extension_is_listed():
    config = load_config(str(ROOT / "mkdocs.yml"))
    names = [e if isinstance(e, str) else type(e).__module__ for e in config.markdown_extensions]
    assert set(names) <= set(LINE_STARTS), sorted(set(names) - set(LINE_STARTS))
    assert len(names) >= 10  # the builtins and every extension of mkdocs.yml


class _Blocks(HTMLParser):
    """The top-level elements of rendered HTML as (tag, text, nested tags); a heading's ¶ permalink left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, list[str]]] = []
        self.depth = 0
        self.in_permalink = False
        self.stray: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.blocks.append((tag, "", []))
        elif tag == "a" and ("class", "headerlink") in attrs:
            self.in_permalink = True
        else:
            self.blocks[-1][2].append(tag)
        self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        if tag == "a":
            self.in_permalink = False

    def handle_startendtag(self, tag, attrs):
        (self.blocks[-1][2] if self.depth else self.stray).append(tag)

    def handle_comment(self, data):
        self.stray.append("<!--")

    def handle_data(self, data):
        if self.depth == 0:
            if data.strip():
                self.stray.append(data)
        elif not self.in_permalink:
            tag, text, nested = self.blocks[-1]
            self.blocks[-1] = (tag, text + data, nested)


def _rendered(md: markdown.Markdown, body: str) -> tuple[list[tuple[str, str, list[str]]], list[str]]:
    md.reset()
    parser = _Blocks()
    parser.feed(md.convert(body))
    parser.close()
    return parser.blocks, parser.stray


def _source(start: str, text: str, first: bool) -> str:
    """A page's text with `start` opening a line of running text and a line of its own, after a paragraph."""
    lines = [f"{start}{text}", text, start, text] if first else ["关于推进职工之家建设的意见", text, f"{start}{text}", start, text]
    return "\n".join([*lines, "此外，全面加强基层工会规范化建设，不断增强工会组织的吸引力和凝聚力。"]) + "\n"


def _check_page(md: markdown.Markdown, start: str, source: str, skip: frozenset[str]) -> int:
    """Convert `source`; assert every block of every article renders as itself; return how many blocks start like `start`."""
    lines = decode(source.encode("utf-8"))[0].split("\n")
    articles = clean_source(Source("x.txt", "0" * 64, "utf-8"), lines, SourceSettings(skip=skip), frozenset())
    assert articles, (start, skip)
    starting = 0
    for article in articles:
        meta = page_meta(article)
        pages = [(render(article, meta), False)]
        if article.meta.get("script") == "Hant" and any(b.original for b in article.blocks):  # as publish.publish
            pages.append((render_original(article), True))
        for page, original in pages:
            _, front, body = page.split("---\n", 2)
            if not original:
                assert yaml.safe_load(front)["title"] == meta["title"]
            expected = [
                (f"h{b.level}" if b.kind == "heading" else "p", (b.original if original and b.original else b.text)) for b in article.blocks
            ]
            blocks, stray = _rendered(md, body)
            context = (repr(start), sorted(skip), body)
            assert stray == [], context
            assert [(tag, text) for tag, text, _ in blocks] == expected, context
            assert all(nested == [] for _, _, nested in blocks), context
        starting += sum(b.text.startswith(start.strip()) for b in article.blocks)
        # the title as the browse pages link it
        items, stray = _rendered(md, f"- [{md_text(meta['title'])}](x.md)\n")
        assert stray == [] and items == [("ul", "\n" + " ".join(meta["title"].split()) + "\n", ["li", "a"])], (start, meta["title"])
    return starting


CASES = sorted({start for starts in LINE_STARTS.values() for start in starts})


@pytest.mark.parametrize("start", CASES, ids=[repr(s) for s in CASES])
def test_a_line_start_stays_text_whatever_step_is_off(md, start):
    kept = 0
    for skip in SKIPS:
        for text in (TEXT, TEXT_HANT):
            for first in (False, True):
                kept += _check_page(md, start, _source(start, text, first), skip)
    # the case is real: with the cleaning steps off, the pipeline kept lines that open with it
    assert kept > 0 or not start.strip(), start
