"""render.py and write.py: escaping of web text, front matter, atomic writes, hand edits."""

import markdown
import yaml

from build_tools.article import Article, Block, Source
from build_tools.render import escape, front_matter, render
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
