"""The measuring instrument of `make eval` (build_tools/evaluate.py) and the labels it reads (tests/fixtures/real/)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from build_tools import evaluate
from build_tools.article import Block
from build_tools.evaluate import EvalError, Page, article_lines, normalise, overlap, parse_page
from build_tools.render import _INLINE, front_matter, render_blocks

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
SITES = ROOT / "tests" / "fixtures" / "sites"
LABELS = sorted(REAL.glob("*.expect.yaml"))


# --- the scorer -------------------------------------------------------------------------------------------


def test_normalise_ignores_width_spacing_script_and_quote_style():
    assert normalise("ＡＢＣ　１２３！") == normalise("ABC 123!")
    assert normalise("工會 工作\n總結") == normalise("工会工作总结")
    assert normalise("“中国梦”") == normalise('"中国梦"')
    assert normalise("劳动") != normalise("劳働")


def test_overlap_counts_bigrams_with_their_repeats():
    same = overlap("工会工作", "工会工作")
    assert (same.expected, same.got, same.common, same.precision, same.recall, same.f1) == (3, 3, 3, 1.0, 1.0, 1.0)
    # 哈哈哈哈 has the bigram 哈哈 three times; 哈哈哈 gives it twice
    part = overlap("哈哈哈哈", "哈哈哈")
    assert (part.expected, part.got, part.common) == (3, 2, 2)
    assert part.precision == 1.0 and part.recall == pytest.approx(2 / 3)
    # chrome around the article lowers precision, not recall
    noisy = overlap("职工之家", "首页职工之家")
    assert (noisy.common, noisy.precision, noisy.recall) == (3, 3 / 5, 1.0)
    assert noisy.f1 == pytest.approx(2 * 0.6 / 1.6)


def test_overlap_of_nothing_is_zero_not_an_error():
    assert (overlap("工会", "").precision, overlap("工会", "").recall, overlap("工会", "").f1) == (0.0, 0.0, 0.0)
    assert overlap("", "工会").precision == 0.0


DUMP = [
    "首页 | 新闻",
    "标题",
    "2020-01-02 来源：某报",
    "",
    "第一段话，",
    "分享到：",
    "第二段话。",
    "相关阅读",
    "旧闻一",
    "旧闻二",
    "结束语。",
    "版权所有",
]


def test_article_lines_cut_the_span_and_drop_the_chrome_inside():
    spec = {"first_line": "第一段话，", "last_line": "结束语。", "not_article": ["分享到：", {"from": "相关阅读", "to": "旧闻二"}]}
    assert article_lines(DUMP, spec) == ["第一段话，", "第二段话。", "结束语。"]


def test_article_lines_match_a_line_by_its_beginning_only_with_the_mark():
    assert article_lines(DUMP, {"first_line": "第二段…", "last_line": "结束…"}) == [
        "第二段话。",
        "相关阅读",
        "旧闻一",
        "旧闻二",
        "结束语。",
    ]
    with pytest.raises(EvalError, match=r"x\.expect\.yaml"):
        article_lines(DUMP, {"first_line": "第二段", "last_line": "结束语。"}, "x.expect.yaml")


def test_article_lines_take_last_line_after_first_line():
    lines = ["结束语。", "第一段话，", "结束语。"]
    assert article_lines(lines, {"first_line": "第一段话，", "last_line": "结束语。"}) == ["第一段话，", "结束语。"]
    with pytest.raises(EvalError, match="first_line or last_line"):
        article_lines(["结束语。", "第一段话，"], {"first_line": "第一段话，", "last_line": "结束语。"})


def test_article_lines_name_a_run_without_its_end():
    with pytest.raises(EvalError, match="has no end"):
        article_lines(DUMP, {"first_line": "第一段话，", "last_line": "结束语。", "not_article": [{"from": "相关阅读", "to": "版权所有"}]})


# Every character render.py escapes, and every line start that would open Markdown structure.
TRICKY = ["".join(_INLINE), *(f"{start}工会" for start in ("#", "##", "-", "+", "=", "!", "1.", "12)", "> ", "   #")), "a\\b &amp; <b>"]


@pytest.mark.parametrize("text", TRICKY)
def test_parse_page_gives_back_the_text_render_wrote(text):
    blocks = [Block("heading", f"小标题{text}", 2), Block("paragraph", text), Block("item", text)]
    page = parse_page(front_matter({"title": text, "date": "2020-01-02", "source_file": "a.txt"}) + "\n" + render_blocks(blocks))
    assert page.meta["title"] == text and page.meta["source_file"] == "a.txt"
    body = text.lstrip(" \t")  # render drops a block's leading blanks (they would open a code block)
    assert page.blocks == [("heading", f"小标题{text}"), ("text", body), ("text", body)]


def test_score_real_compares_body_title_and_date(tmp_path):
    (tmp_path / "a.txt").write_text("\n".join(DUMP), "utf-8")
    spec = {"site": "example.cn", "title": "标题", "date": "2020-01-02", "first_line": "第一段话，", "last_line": "结束语。"}
    spec["not_article"] = ["分享到：", {"from": "相关阅读", "to": "旧闻二"}]
    (tmp_path / "a.expect.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    good = Page(
        {"title": "标 题", "date": date(2020, 1, 2), "source_file": "a.txt"}, [("text", "第一段话，第二段话。"), ("text", "结束语。")]
    )
    [row] = evaluate.score_real(tmp_path, {"a.txt": [good]})
    assert (row["precision"], row["recall"], row["title_ok"], row["date_ok"], row["date_got"]) == (1.0, 1.0, True, True, "2020-01-02")
    chrome = Page({"title": "首页 | 新闻", "source_file": "a.txt"}, [("text", "第一段话，第二段话。相关阅读")])
    [row] = evaluate.score_real(tmp_path, {"a.txt": [chrome]})
    assert row["title_ok"] is False and row["date_ok"] is False and row["precision"] < 1.0 and row["recall"] < 1.0
    [row] = evaluate.score_real(tmp_path, {})
    assert (row["pages_written"], row["f1"], row["title_ok"]) == (0, 0.0, False)


def test_summary_counts_dates_only_where_the_text_gives_one():
    rows = [
        {"site": "a", "expected_bigrams": 4, "got_bigrams": 8, "common_bigrams": 4, "precision": 0.5, "recall": 1.0, "f1": 2 / 3}
        | {"title_ok": True, "date_expected": "2020-01-02", "date_got": "2020-01-02", "date_ok": True},
        {"site": "b", "expected_bigrams": 6, "got_bigrams": 2, "common_bigrams": 2, "precision": 1.0, "recall": 1 / 3, "f1": 0.5}
        | {"title_ok": False, "date_expected": None, "date_got": "2019", "date_ok": False},
    ]
    summary = evaluate.summarise_real(rows)
    assert summary["content_micro"] == {"precision": 0.6, "recall": 0.6, "f1": pytest.approx(0.6)}
    assert summary["content_macro"]["precision"] == 0.75
    assert (summary["title"], summary["date"], summary["dates_in_text"], summary["date_invented"]) == (0.5, 1.0, 1, 1)
    assert [s["site"] for s in evaluate.by_site(rows)] == ["a", "b"]


def test_score_sites_reads_the_imitated_sites_form(tmp_path):
    spec = {
        "articles": [
            {"title": "工会工作总结", "date": "2023-04", "first_line": "一年来", "last_line": "展望", "must_contain": ["职工之家"]}
        ]
    }
    spec["must_not_contain"] = ["版权所有"]
    (tmp_path / "101_x.expect.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    page = Page(
        {"title": "工会工作总结", "date": "2023-04"}, [("heading", "一、概况"), ("text", "一年来，建成职工之家。"), ("text", "展望明年。")]
    )
    [row] = evaluate.score_sites(tmp_path, {"101_x.txt": [page]})
    assert {k: v["ok"] for k, v in row.items() if k != "file"} == dict.fromkeys(
        ("parts", "title", "date", "first_line", "last_line", "contains", "chrome"), 1
    )
    page.blocks.append(("text", "版权所有 2023"))
    [row] = evaluate.score_sites(tmp_path, {"101_x.txt": [page]})
    assert row["chrome"] == {"ok": 0, "of": 1} and row["last_line"] == {"ok": 0, "of": 1}


def test_eval_cli_writes_the_same_json_twice(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    for spec_path in LABELS[:2]:  # two real pages are enough to run the whole path
        name = spec_path.name.removesuffix(".expect.yaml")
        (real / spec_path.name).write_bytes(spec_path.read_bytes())
        (real / f"{name}.txt").write_bytes((REAL / f"{name}.txt").read_bytes())
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"eval{n}.json"
        command = [sys.executable, "-m", "build_tools.evaluate", "--real", str(real), "--sites", str(tmp_path / "none"), "--json", str(out)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        assert "real pages: 2 pages" in done.stdout
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    result = json.loads(outputs[0])
    assert sorted(p["page"] for p in result["real"]["pages"]) == sorted(p.name.removesuffix(".expect.yaml") for p in LABELS[:2])
    assert set(result["targets_met"]) == set(evaluate.TARGETS)


def test_eval_names_a_label_that_does_not_fit(tmp_path):
    (tmp_path / "a.txt").write_text("\n".join(DUMP), "utf-8")
    (tmp_path / "a.expect.yaml").write_text(
        yaml.safe_dump({"site": "x", "title": "t", "first_line": "没有这行", "last_line": "结束语。"}), "utf-8"
    )
    command = [
        sys.executable,
        "-m",
        "build_tools.evaluate",
        "--real",
        str(tmp_path),
        "--sites",
        str(tmp_path / "none"),
        "--json",
        str(tmp_path / "e.json"),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "a.expect.yaml" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "e.json").exists()


# --- the labels of the development set ----------------------------------------------------------------------

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_development_set_is_large_and_varied_enough():
    sites = {yaml.safe_load(p.read_text("utf-8"))["site"] for p in LABELS}
    assert len(LABELS) >= 60 and len(sites) >= 30
    assert {p.name.removesuffix(".expect.yaml") for p in LABELS} == {p.stem for p in REAL.glob("*.txt")}


@pytest.mark.parametrize("spec_path", LABELS, ids=[p.name.removesuffix(".expect.yaml") for p in LABELS])
def test_label_fits_its_dump(spec_path):
    name = spec_path.name.removesuffix(".expect.yaml")
    spec = yaml.safe_load(spec_path.read_text("utf-8"))
    lines = (REAL / f"{name}.txt").read_text("utf-8").split("\n")
    assert set(spec) <= {"site", "origin", "title", "date", "first_line", "last_line", "not_article"}
    assert spec["site"] and spec["title"] and spec["origin"]
    assert spec["date"] is None or (isinstance(spec["date"], str) and DATE.match(spec["date"]))
    kept = article_lines(lines, spec, spec_path.name)
    assert kept and kept[0].strip() and kept[-1].strip()
    # every not_article entry names something inside the article span
    span = article_lines(lines, {**spec, "not_article": []})
    for entry in spec.get("not_article") or []:
        text = entry if isinstance(entry, str) else entry["from"]
        assert any(evaluate._matches(line, text) for line in span), (name, entry)
    # the origin is listed with its licence
    repo_path = spec["origin"].split("@", 1)[1].split(":", 1)[1].split(" (", 1)[0]
    assert f"| `{name}.txt` |" in (REAL / "ORIGIN.md").read_text("utf-8") and repo_path in (REAL / "ORIGIN.md").read_text("utf-8")


def test_licences_of_the_origins_are_kept():
    origin = (REAL / "ORIGIN.md").read_text("utf-8")
    for licence in {yaml.safe_load(p.read_text("utf-8"))["origin"].rsplit("(", 1)[1].rstrip(")") for p in LABELS}:
        assert (REAL / "LICENSES" / licence).is_file() and licence in origin


def test_imitated_sites_are_scored_with_every_expectation():
    """score_sites counts what tests/test_sites.py checks: one tally per title, date, line, kept and chrome string."""
    specs = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(SITES.glob("*.expect.yaml"))]
    rows = evaluate.score_sites(SITES, {})
    arts = [a for s in specs for a in s["articles"]]
    assert sum(r["title"]["of"] for r in rows) == len(arts)
    assert sum(r["contains"]["of"] for r in rows) == sum(len(a.get("must_contain") or []) for a in arts)
    assert sum(r["chrome"]["of"] for r in rows) == sum(len(s.get("must_not_contain") or []) for s in specs)
    assert all(r["title"]["ok"] == 0 for r in rows)  # nothing written, nothing right


def test_a_conversion_that_fails_is_an_error_not_a_zero_score(tmp_path, monkeypatch):
    def crashed(command, **kwargs):
        return subprocess.CompletedProcess(command, 2, stdout=None, stderr="Traceback: boom")

    monkeypatch.setattr(evaluate.subprocess, "run", crashed)
    with pytest.raises(EvalError, match="exit status 2"):
        evaluate.convert(tmp_path)
