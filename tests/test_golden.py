"""Golden pages: the five seeds converted exactly as checked in under tests/golden/.

The expected pages were read line by line against the raw seeds. After a deliberate change to the
pipeline, regenerate them with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`, read the
diff (`git diff tests/golden`), and commit it with the change that caused it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from conftest import SOURCES, run_cli

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    status, _, stderr = run_cli(
        "convert", "--sources", str(SOURCES), "--out", str(out), "--report", str(out / "report.json"), "-q", "--no-corpus"
    )
    assert status == 0, stderr
    return out / "articles"


def test_pages_match_the_golden_pages(converted):
    produced = {p.name: p.read_text(encoding="utf-8") for p in sorted(converted.glob("*.md"))}
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.glob("*.md"):
            old.unlink()
        for name, text in produced.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*.md"))}
    assert sorted(produced) == sorted(expected)
    for name, text in expected.items():
        assert produced[name] == text, name


def _meta(converted: Path) -> dict[str, dict]:
    pages = {}
    for path in converted.glob("*.md"):
        if path.name.endswith(".hant.md"):
            continue
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        meta["_body"] = text.split("---\n", 2)[2]
        pages[f"{meta['source_file'][:3]}#{meta['source_part']}"] = meta
    return pages


def test_what_the_issue_asks_of_the_seeds(converted):
    pages = _meta(converted)
    assert {k: (m["title"], m.get("date")) for k, m in pages.items()} == {
        "000#1": ("工会工作会议演讲", "2020-09-07"),
        "001#1": ("开创我市工会工作新局面", None),
        "002#1": ("贯彻十九大精神，开创工会工作新局面", "2018-10-12"),
        "003#1": ("乡镇工会联合会2013年度工作总结", "2013"),
        "003#2": ("思礼镇工会联合会工作总结", "2020"),
        "003#3": ("乡镇工会联合会工作总结", "2015"),
        "003#4": ("乡镇工会联合会工作报告专题", None),
        "003#5": ("乡镇工会联合会工作报告", None),
        "004#1": ("基层工会工作专题报告", "2022-08-20"),
    }
    assert sorted(k for k, m in pages.items() if m.get("truncated")) == ["000#1", "003#5"]
    assert pages["002#1"]["publisher"] == "江西省南昌市总工会"
    assert pages["000#1"]["source"] == "个人技术集锦"
    assert pages["004#1"]["tags"] == ["基层", "工会工作", "专题报告"]
    assert pages["004#1"]["category"] == "心得"
    assert {k for k, m in pages.items() if m["script"] == "Hant"} == {"001#1", "003#1", "003#2", "003#3", "003#4", "003#5"}
    bodies = "".join(m["_body"] for m in pages.values())
    for chrome in [
        "您的当前位置",
        "来源:个人技术集锦",
        "因篇幅问题",
        "Top",
        "浏览量",
        "字体大小",
        "ICP备",
        "相关热词",
        "版权所有",
        "下一页",
        "(huì)",
        "\n|\n",
    ]:
        assert chrome not in bodies, chrome
    for kept in ["xx届三中全会", "XX年全镇共有59人参活", "“职工之家”", "中国梦□劳动美", "号召广大职工", "“职工的苦，就是我们的苦"]:
        assert kept in bodies, kept
    assert "## 一、认真学习系列重要精神" in pages["000#1"]["_body"]
    assert "### （一）强“管理”、抓“规范”，切实加强工会组织建设" in pages["003#2"]["_body"]
    assert "## 贯穿一条思想主线———全面贯彻三个代表重要思想" in pages["004#1"]["_body"]
    assert "\n1、认真做好基层工会组织建设" in pages["003#1"]["_body"]  # the OCR slip l、 read as 1、
    assert "随着" in pages["003#5"]["_body"] and "随著" not in bodies
