"""render.py and write.py: escaping of web text, front matter, atomic writes, hand edits."""

import random

import markdown
import pytest
import yaml

from build_tools import render as render_module
from build_tools.article import Article, Block, Source
from build_tools.render import _DUMP_OPTIONS, dump_yaml, escape, front_matter, render
from build_tools.write import PageWriter


def _html(text: str) -> str:
    return markdown.markdown(escape(text), extensions=["toc", "attr_list", "md_in_html", "tables", "abbr", "footnotes"])


def test_html_and_script_stay_text():
    html = _html('<script>alert(1)</script> & <img src=x onerror="alert(2)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markdown_constructs_stay_text():
    for line in [
        "# 不是标题",
        "- 不是列表",
        "1. 不是列表",
        "> 不是引用",
        "---",
        "[链接](javascript:alert(1))",
        "**粗体** _斜体_",
        "| a | b |",
        "{: .cls }",
    ]:
        html = _html(line)
        assert html.startswith("<p>"), (line, html)
        assert "<a" not in html and "<strong" not in html and "<em" not in html and "<table" not in html, (line, html)


def test_front_matter_cannot_be_broken_out_of():
    text = front_matter({"title": "标题\n---\ntitle: hacked", "tags": ["a: b", "- c"]})
    assert text.startswith("---\n") and text.endswith("---\n")
    assert yaml.safe_load(text.strip("-\n")) == {"title": "标题\n---\ntitle: hacked", "tags": ["a: b", "- c"]}


def test_a_body_line_of_dashes_cannot_end_front_matter():
    article = Article(Source("x.txt", "0", "utf-8"), [], [])
    article.blocks = [Block("paragraph", "---"), Block("paragraph", "title: hacked")]
    page = render(article, {"title": "真标题"})
    assert page.count("\n---\n") == 1
    assert yaml.safe_load(page.split("---\n")[1]) == {"title": "真标题"}


def test_hand_edit_is_kept_and_conflict_written_beside(tmp_path):
    writer = PageWriter(tmp_path)
    assert writer.write("a.txt#1", "articles/a.md", "v1\n").status == "written"
    writer.save()
    page = tmp_path / "articles/a.md"
    page.write_text("v1 edited by hand\n", encoding="utf-8")
    writer = PageWriter(tmp_path)
    assert writer.write("a.txt#1", "articles/a.md", "v1\n").status == "kept-edit"
    assert writer.write("a.txt#1", "articles/a.md", "v2\n").status == "conflict"
    assert page.read_text(encoding="utf-8") == "v1 edited by hand\n"
    assert (tmp_path / "articles/a.md.new").read_text(encoding="utf-8") == "v2\n"
    forced = PageWriter(tmp_path, force=True)
    assert forced.write("a.txt#1", "articles/a.md", "v2\n").status == "forced"
    assert page.read_text(encoding="utf-8") == "v2\n"
    assert not (tmp_path / "articles/a.md.new").exists()


def test_no_path_outside_the_output_folder(tmp_path):
    writer = PageWriter(tmp_path)
    try:
        writer.write("a.txt#1", "../escape.md", "x")
    except ValueError as error:
        assert "outside" in str(error)
    else:
        raise AssertionError("a path outside the output folder was accepted")
    assert not (tmp_path.parent / "escape.md").exists()


def test_no_temporary_files_are_left(tmp_path):
    writer = PageWriter(tmp_path)
    writer.write("a.txt#1", "articles/a.md", "x\n")
    writer.save()
    assert sorted(p.name for p in tmp_path.rglob("*")) == [".generated.json", "a.md", "articles"]


_TRICKY = [
    "工会工作总结",
    "yes",
    "null",
    "~",
    "1.0",
    "- 列表",
    "键: 值",
    "# 注释",
    " 前后空格 ",
    "it's",
    'say "hi"',
    "back\\slash \\U0001F600",
    "line\nbreak",
    "tab\tand\rcarriage",
    "\ufeffbom",
    "笑😀脸",
    "\U00020000 extension B",
    "next\x85line",
    "line\u2028separator",
    "para\u2029separator",
    "\x00\x07\x1b control",
    "\u3000全角空格",
    "---",
    "...",
    "Yes",
    "on",
    "Off",
    "True",
    "Null",
    "abc-def",
    "articles/gonghui-gongzuo.md",
    "《工会法》、职工…",
    "a:b",
    "2020-01-02",
    "0123",
    "1e5",
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
]


def _shapes(text: str) -> list[dict]:
    return [
        {"title": text, "source_part": 1, "truncated": True},
        {"keywords": [text, "职工之家"]},
        {"related": [{"page": "articles/a.md", "title": text, "shared": [text]}], "duplicate_of": {"similarity": 0.945}},
    ]


@pytest.mark.parametrize("text", _TRICKY)
def test_front_matter_is_what_pure_python_yaml_writes(text):
    """libyaml does the dumping when it can; the text is always the pure-Python emitter's."""
    for data in _shapes(text):
        assert dump_yaml(data) == yaml.safe_dump(data, **_DUMP_OPTIONS)


def _random_texts(alphabet: str, seed: int, count: int, lengths: tuple[int, int]) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(*lengths))) for _ in range(count)]


def test_front_matter_of_random_text_is_what_pure_python_yaml_writes():
    for text in _random_texts("ab 工会:#-?'\"\\\n\t{}[],&*!|>%@`~=01.e\x85\u2028\ufeff😀", 7, 3000, (0, 8)):
        for data in _shapes(text):
            assert dump_yaml(data) == yaml.safe_dump(data, **_DUMP_OPTIONS), repr(text)


def test_front_matter_without_libyaml(monkeypatch):
    monkeypatch.setattr(render_module, "_C_DUMPER", None)
    data = _shapes("笑😀脸 yes")[2]
    assert dump_yaml(data) == yaml.safe_dump(data, **_DUMP_OPTIONS)


def test_text_written_as_it_is_is_what_pyyaml_writes():
    """Strings the writer knows to be plain (Han, Chinese punctuation, letters, digits, _ / . -) are."""
    for text in _random_texts("工会职工之家，。、《》“”…·！？ABNOTYZabnotyz019_/.-", 11, 5000, (1, 6)):
        data = {"title": text, "keywords": [text]}
        assert dump_yaml(data) == yaml.safe_dump(data, **_DUMP_OPTIONS), repr(text)
