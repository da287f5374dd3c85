"""Whitespace compaction of built pages: fewer bytes, the same rendering."""

from build_tools.html_compact import compact


def test_indentation_and_blank_lines_go() -> None:
    page = '\n<!doctype html>\n<html>\n  <body>\n    \n\n    <div class="a">\n      <span>职工</span>\n    </div>\n  </body>\n</html>\n'
    assert compact(page) == '<!doctype html>\n<html>\n<body>\n<div class="a">\n<span>职工</span>\n</div>\n</body>\n</html>\n'


def test_whitespace_between_inline_elements_stays_whitespace() -> None:
    # "<a>标题</a> <span>" must not become "<a>标题</a><span>": the space is visible.
    assert compact("<li><a>标题</a> <span>共同词语</span></li>") == "<li><a>标题</a> <span>共同词语</span></li>\n"
    assert compact("<p>\n      <a>甲</a>\n      <a>乙</a>\n</p>") == "<p>\n<a>甲</a>\n<a>乙</a>\n</p>\n"


def test_preformatted_text_scripts_and_styles_are_kept() -> None:
    pre = "<pre><code>第一行\n    缩进的第二行\n\n\n第五行</code></pre>"
    script = '<script>\n  var s = "a\n\n   b";\n</script>'
    style = "<style>\n  .x {\n    color: red;\n  }\n</style>"
    text = "<TEXTAREA>\n  保留\n</TEXTAREA>"
    page = f"<div>\n    {pre}\n    {script}\n    {style}\n    {text}\n</div>"
    assert compact(page) == f"<div>\n{pre}\n{script}\n{style}\n{text}\n</div>\n"


def test_text_within_a_line_is_untouched() -> None:
    line = "<p>工会  组织\t是 职工 自愿结合的群众组织。</p>"
    assert compact(line) == line + "\n"
