"""Format characters (Unicode category Cf: ZWSP, ZWJ, ZWNJ, LRM, RLM, LRE..PDF, LRI..PDI, BOM, soft hyphen, word
joiner, tags...) never reach a page: not its body, title, front matter, the site's titles or the feed.
Every Cf code point of the running Python's unicodedata is tried, one at a time and all together."""

from __future__ import annotations

import sys
import unicodedata

import yaml

from build_tools import mkdocs_hooks
from build_tools.article import Source
from build_tools.decode import decode
from build_tools.invisible import FORMAT, strip_format
from build_tools.pipeline import clean_source
from build_tools.publish import page_meta
from build_tools.render import front_matter, render
from build_tools.settings import SourceSettings, validate

FORMAT_CHARS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
TITLE = "关于推进职工之家建设的意见"
BODY = "各级工会组织要坚持以职工为中心，切实维护职工合法权益，推动工会工作高质量发展。"


def _cf(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cf"})


def test_the_list_is_every_format_character_and_nothing_else():
    assert len(FORMAT_CHARS) > 150
    assert [f"U+{ord(c):04X}" for c in FORMAT_CHARS if not FORMAT.fullmatch(c)] == []
    # what else it takes out is unassigned in this Python (a format character of a later Unicode version)
    others = [c for c in range(sys.maxunicode + 1) if FORMAT.fullmatch(chr(c)) and unicodedata.category(chr(c)) != "Cf"]
    assert all(unicodedata.category(chr(c)) == "Cn" for c in others), [hex(c) for c in others]


def test_each_format_character_is_taken_out_of_text():
    for c in FORMAT_CHARS:
        assert strip_format(f"工{c}会{c}") == "工会", f"U+{ord(c):04X}"
        assert decode(f"{TITLE[:3]}{c}{TITLE[3:]}\n{BODY}{c}\n".encode())[0] == f"{TITLE}\n{BODY}\n", f"U+{ord(c):04X}"


def _page(source_text: str, settings: SourceSettings) -> str:
    lines = decode(source_text.encode("utf-8"))[0].split("\n")
    (article,) = clean_source(Source("x.txt", "0" * 64, "utf-8"), lines, settings, frozenset())
    return render(article, page_meta(article))


def test_no_format_character_reaches_a_page():
    spread = "".join(f"{a}{c}" for a, c in zip(BODY * 6, FORMAT_CHARS, strict=False))
    page = _page(f"{TITLE[:2]}{''.join(FORMAT_CHARS)}{TITLE[2:]}\n{spread}\n{BODY}\n", SourceSettings())
    assert _cf(page) == []
    assert yaml.safe_load(page.split("---\n")[1])["title"] == TITLE


def test_a_settings_file_cannot_bring_them_into_front_matter():
    marked = "".join(FORMAT_CHARS[::3]) + "新" + "".join(FORMAT_CHARS[1::3]) + "标题" + "".join(FORMAT_CHARS[2::3])
    settings = validate({"meta": {"title": marked, "author": marked, "tags": [marked, "基层"]}}, "x.yml")
    page = _page(f"{TITLE}\n{BODY}\n{BODY}\n", settings)
    assert _cf(page) == []
    meta = yaml.safe_load(page.split("---\n")[1])
    assert (meta["title"], meta["author"], meta["tags"]) == ("新标题", "新标题", ["新标题", "基层"])
    assert _cf(front_matter({"title": "a", "related": [{"title": marked, "shared": [marked]}]})) == []


def test_a_hand_edited_front_matter_shows_none_on_the_site():
    marked = "".join(FORMAT_CHARS) + "标题"
    meta = {key: marked for key in mkdocs_hooks.ESCAPED_KEYS} | {"tags": [marked], "keywords": [marked]}
    mkdocs_hooks._escape_meta(meta)
    assert all(_cf(str(value)) == [] for value in meta.values())
    assert meta["title"] == "标题" and meta["tags"] == ["标题"]
