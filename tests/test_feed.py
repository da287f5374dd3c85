"""The RSS feed: a feed reader renders its titles and descriptions as HTML, so web text in them must come out as
text (HTML-escaped, then XML-escaped), without format characters, in every field."""

from __future__ import annotations

import sys
import unicodedata
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import pytest

from build_tools.mkdocs_hooks import feed_xml

# What scraped pages carry that a reader would run or render: tags, event handlers, an entity written as
# text (it must show as "&lt;", not "<"), CDATA and comment openers, quotes, a character reference.
ATTACKS = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "<a href='javascript:alert(3)'>点击</a>",
    "&lt;script&gt;alert(4)&lt;/script&gt;",
    "&#60;b&#62;粗&#60;/b&#62;",
    "]]><script>alert(5)</script><![CDATA[",
    "<!-- 注释 --><style>body{display:none}</style>",
    "\"'<>&",
)
FORMAT_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
FIELDS = ("title", "description", "category")


class _Tags(HTMLParser):
    """Collects the elements an HTML renderer would make of a text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_comment(self, data):
        self.tags.append("!--")

    def handle_data(self, data):
        self.text.append(data)


def _as_reader_shows(text: str) -> tuple[list[str], str]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.tags, "".join(parser.text)


def _visible(text: str) -> str:
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def _items(attack: str) -> list[dict[str, str]]:
    # the format characters are spread through the values, between the Han characters a reader would see
    marked = "工" + FORMAT_CHARS[::2] + "会" + attack + FORMAT_CHARS[1::2]
    return [{"page": "articles/a.md", "url": "articles/a/", "date": "2021-03-04"} | {f: f + marked for f in FIELDS}]


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_field_of_the_feed_shows_its_text_as_text(attack):
    site = "站" + attack
    xml = feed_xml(_items(attack), site_url="https://example.org/x/", site_name=site, description=site, lang="zh-Hans")
    channel = ET.fromstring(xml).find("channel")  # still well-formed XML
    item = channel.find("item")
    fields = {"title": item, "description": item, "category": item}
    checked = 0
    for field, parent in fields.items():
        tags, shown = _as_reader_shows(parent.find(field).text)
        assert tags == [], (field, parent.find(field).text)
        assert shown == _visible(_items(attack)[0][field]), field
        checked += 1
    for field in ("title", "description"):
        tags, shown = _as_reader_shows(channel.find(field).text)
        assert tags == [] and shown == _visible(site), field
    assert checked == len(FIELDS)


def test_no_format_character_reaches_the_feed():
    xml = feed_xml(_items("标题"), site_url="https://example.org/x/", site_name="站", description="描述", lang="zh-Hans")
    assert len(FORMAT_CHARS) > 100  # every Cf code point the running Python knows
    left = sorted({f"U+{ord(c):04X}" for c in xml if unicodedata.category(c) == "Cf"})
    assert left == []
    assert "<title>title工会标题</title>" in xml


def test_links_are_addresses_escaped_for_xml():
    items = [{"page": "a.md", "url": "articles/a&b <c>/", "date": "2021", "title": "t", "description": "", "category": ""}]
    xml = feed_xml(items, site_url="https://example.org/x/", site_name="S", description="D", lang="zh-Hans")
    link = ET.fromstring(xml).find("channel/item/link").text
    assert link == "https://example.org/x/articles/a&b%20%3Cc%3E/"
    assert unescape(link) == link
