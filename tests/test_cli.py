"""The convert command end to end: bad input is named, good input converted, output deterministic."""

import codecs
import shutil
from pathlib import Path

import yaml
from conftest import SOURCES, run_cli

BODY = "各级工会要把职工之家建设摆在突出位置，扩大覆盖面，增强凝聚力和吸引力，切实维护职工合法权益。"


def _pages(out: Path) -> dict[str, dict]:
    pages = {}
    for path in sorted(p for p in (out / "articles").glob("*.md") if not p.name.endswith(".hant.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        pages[meta["source_file"] + "#" + str(meta["source_part"])] = {"path": path, "meta": meta, "body": text.split("---\n", 2)[2]}
    return pages


def _write_corpus(src: Path) -> None:
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_bytes(b"  \r\n\r\n\t ")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (src / "chrome.txt").write_text("当前位置：首页 > 工会新闻\n版权所有：某某网 2010-2024\n京ICP备12345678号\nTOP\n", encoding="utf-8")
    (src / "gbk 文件.txt").write_bytes(f"企业工会工作总结\r\n发布时间：2021-03-04\r\n{BODY}\r\n".encode("gb18030"))
    (src / "big5.txt").write_bytes(f"產業總工會新聞\n{BODY}".encode("big5", errors="ignore") + "維護勞工權益。".encode("big5"))
    (src / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + f"学校工会工作计划\n{BODY}\n".encode("utf-16-le"))
    (src / "nul.txt").write_bytes(f"含有空字节的文章\n{BODY}".encode().replace("，".encode(), "，\x00".encode()))
    (src / "long.txt").write_text("超长一行的文章\n" + BODY * 25000 + "\n", encoding="utf-8")
    (src / "inject.txt").write_text(
        "<script>alert(1)</script>标题\n---\ntitle: hacked\n"
        + BODY
        + "\n# 不是标题\n[点我](javascript:alert(1))\n<img src=x onerror=alert(2)>\n{{ config }}\n"
        + f"{BODY}\n{BODY}\n",  # markup inside the article (below the text, a short line is the page's footer)
        encoding="utf-8",
    )
    (src / "same-a.txt").write_text(f"同一个标题\n{BODY}\n", encoding="utf-8")
    (src / "same-b.txt").write_text(f"同一个标题\n{BODY}再补充一句不同的话。\n", encoding="utf-8")
    sub = src / "子目录"
    sub.mkdir()
    (sub / "../../escape.txt").resolve()  # a name cannot lead outside: pages are named by slug
    (sub / "子文件.txt").write_text(f"子目录里的文章\n{BODY}\n", encoding="utf-8")


def test_bad_input_is_named_the_rest_converted(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    _write_corpus(src)
    status, stdout, stderr = run_cli("convert", "--sources", str(src), "--out", str(out), "--report", str(tmp_path / "r.json"))
    assert status == 1
    assert "Traceback" not in stdout + stderr
    for name, reason in [
        ("empty.txt", "empty file"),
        ("blank.txt", "empty file"),
        ("binary.txt", "binary data"),
        ("chrome.txt", "nothing but site chrome"),
    ]:
        assert f"REFUSED {name}: {reason}" in stdout
    pages = _pages(out)
    assert sorted(pages) == sorted(
        f"{n}#1"
        for n in [
            "gbk 文件.txt",
            "big5.txt",
            "utf16.txt",
            "nul.txt",
            "long.txt",
            "inject.txt",
            "same-a.txt",
            "same-b.txt",
            "子目录/子文件.txt",
        ]
    )
    assert pages["gbk 文件.txt#1"]["meta"]["title"] == "企业工会工作总结"
    assert pages["gbk 文件.txt#1"]["meta"]["date"] == "2021-03-04"
    assert pages["big5.txt#1"]["meta"]["title"] == "产业总工会新闻"
    assert pages["big5.txt#1"]["meta"]["script"] == "Hant"
    assert pages["utf16.txt#1"]["meta"]["title"] == "学校工会工作计划"
    assert "\x00" not in pages["nul.txt#1"]["body"] and BODY in pages["nul.txt#1"]["body"]
    assert pages["long.txt#1"]["body"].count(BODY) == 25000  # a 3.4 MB line, whole
    # two sources with the same title get two different addresses
    assert pages["same-a.txt#1"]["path"] != pages["same-b.txt#1"]["path"]
    assert all(p["path"].parent == out / "articles" for p in pages.values())


def test_untrusted_text_is_escaped(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    _write_corpus(src)
    run_cli("convert", "--sources", str(src), "--out", str(out), "--report", str(tmp_path / "r.json"))
    page = _pages(out)["inject.txt#1"]
    assert page["meta"]["title"] == "<script>alert(1)</script>标题"  # kept as data, quoted in YAML
    assert "title" not in page["body"].split("\n")[0]
    body = page["body"]
    assert "<script" not in body and "<img" not in body
    assert "\\# 不是标题" in body
    assert "\\[点我\\](javascript:alert(1))" in body
    assert "\\{\\{ config \\}\\}" in body


def test_same_input_same_bytes(tmp_path):
    outs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        status, _, _ = run_cli("convert", "--sources", str(SOURCES), "--out", str(out), "--report", str(tmp_path / f"r{n}.json"), "-q")
        assert status == 0
        outs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outs[0] == outs[1]
    assert (tmp_path / "r1.json").read_bytes() == (tmp_path / "r2.json").read_bytes()


def test_hand_edit_survives_a_rebuild_and_a_source_change_is_a_conflict(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(SOURCES, src)
    args = ("convert", "--sources", str(src), "--out", str(out), "--report", str(tmp_path / "r.json"), "--no-corpus")
    assert run_cli(*args)[0] == 0
    page = next(p["path"] for k, p in _pages(out).items() if k.startswith("002_"))
    edited = page.read_text(encoding="utf-8").replace("党的十九大是", "党的十九大（经校对）是")
    page.write_text(edited, encoding="utf-8")
    status, stdout, _ = run_cli(*args)
    assert status == 0
    assert page.read_text(encoding="utf-8") == edited
    assert "edited by hand, kept" in stdout
    source = src / "002_47b2b54c788b8743.txt"
    source.write_bytes(source.read_bytes().replace("浏览量:49931".encode(), "浏览量:50000".encode()))
    status, stdout, _ = run_cli(*args)
    assert page.read_text(encoding="utf-8") == edited
    assert "views: 50000" in page.with_name(page.name + ".new").read_text(encoding="utf-8")
    assert "merge by hand" in stdout


def test_help_explains_every_option():
    status, stdout, _ = run_cli("convert", "--help")
    assert status == 0
    for option in ("--sources", "--out", "--report", "--force", "--no-corpus", "--verbose", "--quiet"):
        assert option in stdout


def test_traditional_sources_keep_their_own_text_for_the_traditional_edition(tmp_path):
    out = tmp_path / "out"
    run_cli("convert", "--sources", str(SOURCES), "--out", str(out), "--report", str(tmp_path / "r.json"), "-q", "--no-corpus")
    hant = sorted(p.name for p in (out / "articles").glob("*.hant.md"))
    assert len(hant) == 6  # seed 001 and the five articles of seed 003 are Traditional
    page = (out / "articles" / "kaichuang-woshi-gonghuigongzuo-xin-jumian.hant.md").read_text(encoding="utf-8")
    assert "title: 開創我市工會工作新局面" in page
    assert "## 一、進一步解放思想，改革創新，推進工會工作新發展" in page
    assert "(chuàng)" not in page and "创" not in page


def test_a_title_shared_by_many_sources_is_kept(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for n in range(4):
        (src / f"{n}.txt").write_text(f"工会工作总结\n{BODY}第{n}份。\n", encoding="utf-8")
    run_cli("convert", "--sources", str(src), "--out", str(out), "--report", str(tmp_path / "r.json"), "-q", "--no-corpus")
    assert [p["meta"]["title"] for p in _pages(out).values()] == ["工会工作总结"] * 4


def test_a_new_article_never_lands_on_a_hand_written_page(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (out / "articles").mkdir(parents=True)
    mine = "---\ntitle: 我写的页面\nsource_file: none.txt\nsource_part: 1\n---\n\n手写的内容。\n"
    (out / "articles" / "gonghuigongzuo-zongjie.md").write_text(mine, encoding="utf-8")
    (src / "a.txt").write_text(f"工会工作总结\n{BODY}\n", encoding="utf-8")
    run_cli("convert", "--sources", str(src), "--out", str(out), "--report", str(tmp_path / "r.json"), "-q", "--no-corpus")
    assert (out / "articles" / "gonghuigongzuo-zongjie.md").read_text(encoding="utf-8") == mine
    assert _pages(out)["a.txt#1"]["path"].name == "gonghuigongzuo-zongjie-2.md"


def test_a_page_without_a_title_line_is_named_by_its_first_clause(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text(f"{BODY}\n{BODY}\n", encoding="utf-8")
    run_cli("convert", "--sources", str(src), "--out", str(out), "--report", str(tmp_path / "r.json"), "-q", "--no-corpus")
    assert _pages(out)["a.txt#1"]["meta"]["title"] == "各级工会要把职工之家建设摆在突出位置"
