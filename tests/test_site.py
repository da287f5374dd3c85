"""The site's building blocks without a browser: OpenCC choice, generated pages, escaping of untrusted text."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import opencc
import pytest

from build_tools import browse, hant
from build_tools.mkdocs_hooks import feed_xml

ROOT = Path(__file__).resolve().parents[1]

# Words of this corpus and what the Traditional edition must show: the glyphs Taiwan and Hong Kong readers
# expect (為 群眾 著 裡), and no vocabulary swap (联系 stays 聯繫, 项目 stays 項目, 信息 stays 信息).
HANT_WORDS = {
    "工会": "工會",
    "职工之家": "職工之家",
    "职工娘家人": "職工娘家人",  # OpenCC alone gives the variant 孃 in these
    "爹娘": "爹娘",
    "亲娘": "親娘",
    "姑娘": "姑娘",
    "集体协商": "集體協商",
    "工资集体协商": "工資集體協商",
    "为职工办实事": "為職工辦實事",
    "职工群众": "職工群眾",
    "着力": "著力",
    "里面": "裡面",
    "联系群众": "聯繫群眾",
    "项目": "項目",
    "信息化": "信息化",
    "数据": "數據",
    "干部": "幹部",
    "发挥": "發揮",
    "台账": "臺賬",
    "送温暖": "送溫暖",
    "线上": "線上",
    "厂务公开": "廠務公開",
    "劳动关系": "勞動關係",
    "征求意见": "徵求意見",
}


@pytest.mark.parametrize(("hans", "expected"), sorted(HANT_WORDS.items()))
def test_hant_words(hans, expected):
    assert hant.to_hant(hans) == expected


def _traditional_source_lines() -> list[str]:
    """Han-only lines of the Traditional seed sources (pinyin annotations dropped)."""
    import re

    lines = []
    for path in sorted((ROOT / "sources").glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if text.count("會") > text.count("会"):
            text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", text)
            lines += [ln for ln in text.splitlines() if len(ln) > 20]
    return lines


def test_s2tw_reproduces_the_traditional_sources_best():
    """Round trip of the corpus's own Traditional text: t2s, then each candidate; s2tw must agree most."""
    lines = _traditional_source_lines()
    if not lines:
        pytest.skip("no Traditional source in sources/")
    import difflib

    t2s = opencc.OpenCC("t2s.json")
    scores = {}
    for cfg in ("s2t", "s2tw", "s2twp", "s2hk"):
        conv = opencc.OpenCC(f"{cfg}.json")
        same = total = 0
        for line in lines:
            back = conv.convert(t2s.convert(line))
            blocks = difflib.SequenceMatcher(None, line, back, autojunk=False).get_matching_blocks()
            same += sum(b.size for b in blocks)
            total += len(line)
        scores[cfg] = same / total
    assert hant.OPENCC_CONFIG == "s2tw"
    assert scores["s2tw"] == max(scores.values()), scores
    assert scores["s2tw"] > 0.985, scores  # measured: s2t .978, s2tw .989, s2twp .987, s2hk .984
    print(scores)


def test_md_text_escapes_html_and_markdown():
    evil = '<script>alert(1)</script> "><img src=x onerror=alert(1)> [x](javascript:alert(1)) *b* `c`'
    out = browse.md_text(evil)
    assert "<" not in out and ">" not in out and '"' not in out
    assert "\\[" in out and "\\*" in out and "\\`" in out


def test_newest_first_orders_partial_dates():
    arts = [
        browse.ArticleInfo(f"articles/{n}.md", {"date": d}) for n, d in (("a", "2020"), ("b", "2020-09-07"), ("c", None), ("d", "2021-01"))
    ]
    assert [a.page for a in browse.newest_first(arts)] == ["articles/d.md", "articles/b.md", "articles/a.md", "articles/c.md"]


def _links(page: str, text: str) -> set[str]:
    """The docs paths a generated page links to ('browse/year/2020.md'), anchors dropped."""
    import posixpath
    import re

    out = set()
    for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text):
        out.add(posixpath.normpath(posixpath.join(posixpath.dirname(page), target)))
    return out


def _assert_two_clicks(pages: dict[str, str], articles: list[browse.ArticleInfo]) -> None:
    """Every article is linked from some page that the home page links to."""
    one_click = _links("index.md", pages["index.md"])
    pages_linked = {p for p in one_click if not p.startswith("articles/")}
    assert pages_linked <= set(pages) | {"about.md"}, pages_linked - set(pages)
    two_clicks = set().union(*(_links(p, pages[p]) for p in one_click if p in pages))
    missing = [a.page for a in articles if a.page not in two_clicks]
    assert not missing, f"not two clicks from home: {missing[:5]}"


def test_every_article_is_two_clicks_from_home():
    pages, articles, _, _ = browse.generate_pages(ROOT / "docs")
    _assert_two_clicks(pages, articles)
    assert "](browse/year.md)" in pages["index.md"]
    for kind in ("category", "year", "source"):
        listed = [p for p in pages if p.startswith(f"browse/{kind}/")]
        for a in articles:  # each article on exactly one page of each kind
            assert sum(f"({'../' * 2}{a.page})" in pages[p] for p in listed) == 1, f"{a.page} in browse/{kind}/"


def _synthetic(n: int = 1000) -> list[browse.ArticleInfo]:
    """n articles with front matter like the pipeline's: a crowded year and category, many sources, some undated."""
    import random

    rng = random.Random(7)
    out = []
    for i in range(n):
        year = 2024 if i % 2 else rng.choice(range(2005, 2024))
        date = (
            ""
            if i % 37 == 0
            else rng.choice([f"{year}", f"{year}-{rng.randint(1, 12):02d}", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
        )
        meta = {
            "title": f"第{i}篇工会工作总结",
            "date": date,
            "category": "总结" if i % 3 else rng.choice((*browse.CATEGORIES, "其他")),
            "publisher": rng.choice(["某市总工会", "某某县总工会", "工会 2", "工会"]) if i % 5 else f"单位{i % 60}",
            "source_file": f"s{i // 2}.txt",
        }
        if i % 11 == 0:
            meta.pop("category")
        out.append(browse.ArticleInfo(f"articles/a{i:04d}.md", meta))
    return out


def test_browse_pages_scale():
    articles = _synthetic(1000)
    browse_pg, groups = browse.browse_pages(articles)
    pages = {"index.md": browse.home_page(articles, 0, groups), **browse_pg}
    _assert_two_clicks(pages, articles)
    group_pages = [p for p in browse_pg if p.count("/") == 2]
    assert len(group_pages) == sum(len(g.pages) for gs in groups.values() for g in gs)
    paged = [g for gs in groups.values() for g in gs if len(g.pages) > 1]
    assert paged, "the synthetic corpus has groups of more than PAGE_SIZE articles"
    for page in group_pages:
        assert re.fullmatch(r"browse/(year|category|source)/[a-z0-9-]+\.md", page), page
        items = pages[page].count("\n- [")
        assert 0 < items <= browse.PAGE_SIZE, (page, items)
        assert len(pages[page].encode()) < 80_000, page
    for kind in ("category", "year", "source"):
        assert len(pages[f"browse/{kind}.md"].encode()) < 40_000, kind
    # every article exactly once across the year pages, newest first within a year
    on_year_pages = [
        link for p in group_pages if p.startswith("browse/year/") for link in re.findall(r"\(\.\./\.\./(articles/[^)]+)\)", pages[p])
    ]
    assert sorted(on_year_pages) == sorted(a.page for a in articles)
    assert [g.name for g in groups["year"]][-1] == "" and "年份不详" in pages["browse/year.md"]
    # numbered pages link each other in order
    for g in paged:
        for i, page in enumerate(g.pages):
            nxt = "下一页" in pages[page]
            prev = "上一页" in pages[page]
            assert nxt == (i + 1 < len(g.pages)) and prev == (i > 0), page
            if i + 1 < len(g.pages):
                assert g.pages[i + 1] in _links(page, pages[page])
    # deterministic and unique addresses
    again, _ = browse.browse_pages(list(reversed(articles)))
    assert sorted(again) == sorted(browse_pg)


def test_term_pages_quote_the_newest_articles_up_to_a_limit():
    # 250 articles use 职工之家, dated 2000-01-01 onwards; 2 use 劳模精神.
    dates = {f"articles/a{i:03d}.md": f"{2000 + i // 12}-{i % 12 + 1:02d}-01" for i in range(250)}
    terms = {
        "职工之家": [{"page": p, "title": f"文章{p[-6:-3]}", "sentence": f"建设职工之家{p[-6:-3]}。"} for p in dates],
        "劳模精神": [
            {"page": "articles/a001.md", "title": "文章001", "sentence": "弘扬劳模精神。"},
            {"page": "articles/gone.md", "title": "已删除", "sentence": "不在文库里的劳模精神。"},
            {"page": "articles/a200.md", "title": "文章200", "sentence": "劳模精神。"},
        ],
    }
    pages, paths = browse.term_pages(terms, dates)
    home = pages[paths["职工之家"]]
    quoted = re.findall(r"建设<mark>职工之家</mark>(\d{3})", home)
    assert len(quoted) == browse.TERM_USES
    assert quoted[:3] == ["249", "248", "247"] and quoted[-1] == str(250 - browse.TERM_USES)  # newest first
    assert f"共 250 篇，这里是最新的 {browse.TERM_USES} 篇" in home
    # the rest: a link that opens the search with the term (wenku-search.js reads ?q=)
    assert "[在搜索中查看全部 250 篇](?q=%E8%81%8C%E5%B7%A5%E4%B9%8B%E5%AE%B6)" in home
    small = pages[paths["劳模精神"]]
    assert re.findall(r"\[(文章\d{3})\]", small) == ["文章200", "文章001"] and "已删除" not in small
    back, intro = small.split("\n\n")[1:3]
    assert "共" not in intro and "(../terms/index.md)" in back  # all quoted, and a link back to the term index
    index = pages["terms/index.md"]
    assert "职工之家</a>" not in index and "<small>250 篇</small>" in index and "<small>2 篇</small>" in index


def test_feed_is_escaped_and_sorted():
    items = [
        {"page": "a.md", "url": "a/", "date": "2019", "title": "<b>x</b> & y", "description": "", "category": ""},
        {"page": "b.md", "url": "b/", "date": "2020-05-01", "title": "B", "description": "d<", "category": "讲话"},
        {"page": "c.md", "url": "c/", "date": "", "title": "undated", "description": "", "category": ""},
    ]
    xml = feed_xml(items, site_url="https://example.org/x/", site_name="S", description="D", lang="zh-Hans")
    assert xml.index("<title>B</title>") < xml.index("&amp;lt;b&amp;gt;x&amp;lt;/b&amp;gt; &amp;amp; y")
    assert "undated" not in xml and "d&amp;lt;" in xml


EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> Path:
    """A strict build of the Simplified edition over a corpus whose titles and meta carry HTML."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    tmp = tmp_path_factory.mktemp("evil")
    docs = tmp / "docs"
    (docs / "articles").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "about.md", docs / "about.md")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    meta = {
        "title": "标题" + EVIL,
        "date": "2021-03-04",
        "author": EVIL,
        "source": EVIL,
        "publisher": "单位" + EVIL,
        "category": "讲话",
        "tags": ["标签" + EVIL],
        "description": "摘要" + EVIL,
        "script": "Hant",
        "original_title": "標題" + EVIL,
        "source_file": "evil.txt",
        "source_part": 1,
        "truncated": True,
        "quality": [{"kind": "unrecoverable", "text": EVIL, "context": EVIL}],
        "related": [{"page": "articles/other.md", "title": EVIL, "shared": [EVIL]}],
        "duplicate_of": {"page": "articles/other.md", "title": EVIL, "similarity": 0.93},
        "terms": ["职工之家"],
    }
    import yaml

    (docs / "articles" / "evil.md").write_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n正文提到职工之家。\n", encoding="utf-8"
    )
    other = {
        "title": "另一篇" + EVIL,
        "date": "2020",
        "category": "总结",
        "related": [{"page": "articles/evil.md", "title": "t", "shared": ["职工"]}],
    }
    (docs / "articles" / "other.md").write_text("---\n" + yaml.safe_dump(other, allow_unicode=True) + "---\n\n正文。\n", encoding="utf-8")
    escape = {"title": "越界", "source_file": "/etc/hostname", "source_part": 1}
    (docs / "articles" / "escape.md").write_text("---\n" + yaml.safe_dump(escape, allow_unicode=True) + "---\n\n正文。\n", encoding="utf-8")
    terms = {"职工之家": [{"page": "articles/evil.md", "title": EVIL, "sentence": "正文提到职工之家。" + EVIL}]}
    (docs / ".terms.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
    cfg = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp / "site"), strict=True)
    build(cfg)
    return tmp / "site"


class _Elements(HTMLParser):
    """Every start tag with its attributes (values as the browser reads them) and the text of every script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag) -> None:
        self._in_script = False

    def handle_data(self, data) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_untrusted_text_is_shown_as_text_everywhere(evil_site):
    checked = 0
    for path in evil_site.rglob("*.html"):
        parsed = _Elements()
        parsed.feed(path.read_text(encoding="utf-8"))
        assert not [t for t, _ in parsed.tags if t == "img" and ("src", "x") in _], path  # no element made of web text
        assert not [a for _, attrs in parsed.tags for a, _ in attrs if a.startswith("on")], path  # no handler
        assert not [s for s in parsed.scripts if "alert(1)" in s], path  # no script made of web text
        # Pagefind shows its filter values and result metadata as HTML: once the parser has read the
        # attribute, what is left must still be text (escaped again), not markup.
        assert not [v for _, attrs in parsed.tags for a, v in attrs if a.startswith("data-wk-") and "<" in (v or "")], path
        checked += 1
    assert checked > 5
    page = (evil_site / "articles" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
    assert "<title>标题&lt;script&gt;" in page
    assert "两篇共同的词语" in page and "<small>" in page and "近似重复" in page and "文字不完整" in page and "原文有损" in page
    # Pagefind indexes the marked body and takes the result's title from the <h1>: both escaped text.
    # evil.md is a near-duplicate (duplicate_of), so only other.md is indexed.
    assert "data-pagefind-body" not in page and "<h1>标题&lt;script&gt;" in page
    other = (evil_site / "articles" / "other" / "index.html").read_text(encoding="utf-8")
    assert "<div data-pagefind-body>" in other and "<h1>另一篇&lt;script&gt;" in other
    tags = (evil_site / "tags" / "index.html").read_text(encoding="utf-8")
    assert "标签&lt;script&gt;" in tags
    feed = (evil_site / "rss" / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in feed


def test_a_source_file_outside_the_sources_is_never_published(evil_site):
    assert not [p for p in evil_site.rglob("*") if "hostname" in p.name]
    page = (evil_site / "articles" / "escape" / "index.html").read_text(encoding="utf-8")
    assert "/etc/hostname" not in page
