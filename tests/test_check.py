"""check.py: schema errors with file and line, vanished addresses, stale sources."""

import shutil

import pytest
from conftest import SOURCES, run_cli

from build_tools.check import record_addresses, run_check


def _converted(tmp_path):
    src, docs = tmp_path / "src", tmp_path / "docs"
    shutil.copytree(SOURCES, src)
    assert run_cli("convert", "--sources", str(src), "--out", str(docs), "--report", str(tmp_path / "r.json"), "-q", "--no-corpus")[0] == 0
    return src, docs


def test_fresh_conversion_passes(tmp_path):
    src, docs = _converted(tmp_path)
    assert [p for p in run_check(docs, src, tmp_path / "mkdocs.yml") if p.error] == []


def test_broken_front_matter_is_reported_with_file_and_line(tmp_path):
    src, docs = _converted(tmp_path)
    page = sorted((docs / "articles").glob("*.md"))[0]
    lines = page.read_text(encoding="utf-8").split("\n")
    lines[2] = "date: 2020-13-01"
    lines.insert(3, "colour: red")
    page.write_text("\n".join(lines), encoding="utf-8")
    messages = [str(p) for p in run_check(docs, src, tmp_path / "mkdocs.yml")]
    assert f"error: {page}:3: date '2020-13-01' is not 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (quote it)" in messages
    assert f"error: {page}:4: unknown field 'colour' (see the schema in CONTRIBUTING.md)" in messages
    note = "edited by hand: kept by every rebuild (make a settings file beside the source for a fix that survives re-conversion)"
    assert f"note: {page}:1: {note}" in messages
    page.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    assert any(p.line == 2 and "not valid YAML" in p.message for p in run_check(docs, src, tmp_path / "mkdocs.yml"))


def test_removing_a_source_without_redirect_fails_with_what_to_do(tmp_path):
    src, docs = _converted(tmp_path)
    record_addresses(docs)
    (src / "002_47b2b54c788b8743.txt").unlink()
    _status, stdout, _ = run_cli("convert", "--sources", str(src), "--out", str(docs), "--report", str(tmp_path / "r.json"), "--no-corpus")
    assert "its source is gone" in stdout
    problems = [p for p in run_check(docs, src, tmp_path / "mkdocs.yml") if p.error]
    assert len(problems) == 1
    assert "guanche-shijiu-da-jingshen" in problems[0].message
    assert "add it to plugins.redirects.redirect_maps in mkdocs.yml" in problems[0].message
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - redirects:\n      redirect_maps:\n        " + problems[0].message.split()[2] + ": index.md\n",
        encoding="utf-8",
    )
    assert [p for p in run_check(docs, src, tmp_path / "mkdocs.yml") if p.error] == []


def test_a_title_fix_keeps_the_address(tmp_path):
    src, docs = _converted(tmp_path)
    before = sorted(p.name for p in (docs / "articles").glob("*.md"))
    (src / "004_8a327c4800c8d62b.yml").write_text("meta:\n  title: 基层工会工作的几点思考\n", encoding="utf-8")
    assert run_cli("convert", "--sources", str(src), "--out", str(docs), "--report", str(tmp_path / "r.json"), "-q", "--no-corpus")[0] == 0
    assert sorted(p.name for p in (docs / "articles").glob("*.md")) == before
    page = docs / "articles" / "jiceng-gonghuigongzuo-zhuantibaogao.md"
    assert "title: 基层工会工作的几点思考" in page.read_text(encoding="utf-8")


def test_bad_settings_name_the_file_and_the_rest_is_converted(tmp_path):
    src, docs = _converted(tmp_path)
    (src / "000_a2c4d270b463a5d9.yml").write_text("skip: [pinyn]\n", encoding="utf-8")
    status, stdout, stderr = run_cli(
        "convert", "--sources", str(src), "--out", str(docs), "--report", str(tmp_path / "r.json"), "--no-corpus"
    )
    assert status == 1
    assert "REFUSED 000_a2c4d270b463a5d9.txt:" in stdout and "skip: unknown step(s) ['pinyn']" in stdout
    assert "Traceback" not in stdout + stderr
    pages = [p for p in (docs / "articles").glob("*.md") if not p.name.endswith(".hant.md")]
    assert len(pages) == 9  # the page of the refused source is kept, not removed


def test_two_pages_for_one_source_part_are_reported(tmp_path):
    src, docs = _converted(tmp_path)
    page = docs / "articles" / "jiceng-gonghuigongzuo-zhuantibaogao.md"
    copy = docs / "articles" / "jiceng-copy.md"
    copy.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    messages = [str(p) for p in run_check(docs, src, tmp_path / "mkdocs.yml") if p.error]
    # pages are checked in name order: jiceng-copy.md comes first and keeps the claim
    assert messages == [f"error: {page}:1: 004_8a327c4800c8d62b.txt part 1 is already the page jiceng-copy.md: keep one of the two"]


def test_a_source_file_outside_the_sources_is_an_error(tmp_path):
    src, docs = _converted(tmp_path)
    page = docs / "articles" / "jiceng-gonghuigongzuo-zhuantibaogao.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("source_file: 004_8a327c4800c8d62b.txt", "source_file: ../../etc/hostname"),
        encoding="utf-8",
    )
    messages = [p.message for p in run_check(docs, src, tmp_path / "mkdocs.yml") if p.error]
    assert messages == [f"source_file '../../etc/hostname' is outside {src}: name a file under it"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("meta: {title: [1, 2]}", "meta.title: must be str, got [1, 2]"),
        ("meta: {title: 12}", "meta.title: must be str, got 12"),
        ('meta: {truncated: "no"}', "meta.truncated: must be bool, got 'no'"),
        ('meta: {date: "2020-13"}', "meta.date: '2020-13' is not YYYY-MM-DD, YYYY-MM or YYYY (quote it)"),
        ("meta: {date: 2020-02-31}", "day is out of range for month"),
        ("parts: {x: {title: a}}", "parts: must map part numbers"),
    ],
)
def test_settings_of_the_wrong_type_are_refused_by_name(tmp_path, settings, message):
    src, docs = _converted(tmp_path)
    (src / "004_8a327c4800c8d62b.yml").write_text(settings + "\n", encoding="utf-8")
    status, stdout, stderr = run_cli(
        "convert", "--sources", str(src), "--out", str(docs), "--report", str(tmp_path / "r.json"), "--no-corpus"
    )
    assert status == 1
    assert "Traceback" not in stdout + stderr
    refusal = next(line for line in stdout.splitlines() if "REFUSED 004_8a327c4800c8d62b.txt" in line)
    assert "004_8a327c4800c8d62b.yml" in refusal and message in refusal


def test_a_pending_regenerated_version_is_reported(tmp_path):
    src, docs = _converted(tmp_path)
    pending = docs / "articles" / "jiceng-gonghuigongzuo-zhuantibaogao.md.new"
    pending.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    messages = [str(p) for p in run_check(docs, src, tmp_path / "mkdocs.yml") if p.error]
    wait = "a regenerated version waits to be merged into jiceng-gonghuigongzuo-zhuantibaogao.md: merge it, then delete this file"
    assert messages == [f"error: {pending}:1: {wait}"]


@pytest.mark.parametrize("kind", ["symlink-outside", "symlink-inside", "fifo"])
def test_a_page_that_is_not_a_regular_file_is_an_error(tmp_path, kind):
    """A link in docs/ would publish what it points to (/etc/passwd); a FIFO would block the check."""
    import os

    src, docs = _converted(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: 机密\nsource_file: 000_a2c4d270b463a5d9.txt\nsource_part: 1\n---\n", "utf-8")
    strange = docs / "articles" / "strange.md"
    if kind == "symlink-outside":
        strange.symlink_to(secret)
    elif kind == "symlink-inside":
        strange.symlink_to(next((docs / "articles").glob("*.md")))
    else:
        os.mkfifo(strange)
    problems = [p for p in run_check(docs, src, tmp_path / "mkdocs.yml") if p.error]
    assert [p.file for p in problems] == [str(strange)]
    assert "not a regular file" in problems[0].message
