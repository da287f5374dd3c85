"""script.py: detection, t2s conversion, mainland 着 phrases."""

import pytest

from build_tools.script import converter, detect_script, fix_zhe, to_simplified


def test_traditional_is_detected_and_simplified_is_not():
    assert detect_script("開創我市工會工作新局面，維護職工合法權益") == "Hant"
    assert detect_script("开创我市工会工作新局面，维护职工合法权益") == "Hans"
    assert detect_script("2020 ABC") == "Hans"


def test_t2s_converts_and_leaves_simplified_alone():
    assert to_simplified("開創我市工會工作新局面") == "开创我市工会工作新局面"
    assert to_simplified("慰藉着职工的心") == "慰藉着职工的心"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("隨著經濟體制深刻變革", "随着经济体制深刻变革"),
        ("這意味著", "这意味着"),
        ("著力在發展上下功夫", "着力在发展上下功夫"),
        ("成績顯著", "成绩显著"),
        ("顯著重要", "显著重要"),
        ("魯迅的著作", "鲁迅的著作"),
        ("著名勞模", "著名劳模"),
    ],
)
def test_zhe_phrases_follow_mainland_usage(text, expected):
    assert to_simplified(text) == expected


def test_fix_zhe_is_idempotent():
    assert fix_zhe(fix_zhe("随著")) == "随着"


def test_converter_accepts_names_of_either_package():
    assert converter("s2t").convert("职工之家") == "職工之家"
