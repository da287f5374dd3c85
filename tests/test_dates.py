"""Impossible calendar dates (2023-02-30, 2021-13-01, 二〇二一年二月三十日) are rejected wherever a date is read:
in the text (metadata.find_date), in settings files (settings.validate) and in front matter (check).
The cases are the whole calendar of years that test every leap rule: every month 00-13, every day 00-32."""

from __future__ import annotations

import datetime

import pytest

from build_tools.boilerplate import fold
from build_tools.check import check_schema
from build_tools.dates import chinese_number, is_date
from build_tools.metadata import find_date
from build_tools.settings import SettingsError, validate

# 1900 and 2100: not leap (centuries); 2000: leap (400); 2023: common; 2024: leap; 1999, 2099: ends of the range.
YEARS = (1900, 1999, 2000, 2023, 2024, 2099, 2100)
TEXT_YEARS = tuple(y for y in YEARS if 1900 <= y <= 2099)  # the years the text's date patterns read
MONTHS = range(0, 14)
DAYS = range(0, 33)
CN_DIGITS = "〇一二三四五六七八九"


def _exists(y: int, m: int, d: int) -> bool:
    try:
        datetime.date(y, m, d)
    except ValueError:
        return False
    return True


def _cn(n: int) -> str:
    """A month or day in Chinese numerals (十二, 三十, 二十一)."""
    tens, ones = divmod(n, 10)
    if not tens:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


CALENDAR = [(y, m, d) for y in YEARS for m in MONTHS for d in DAYS]
TEXT_CALENDAR = [(y, m, d) for y, m, d in CALENDAR if y in TEXT_YEARS and 1 <= m <= 12 and 1 <= d <= 31]


def test_is_date_agrees_with_the_calendar():
    for y, m, d in CALENDAR:
        assert is_date(f"{y:04d}-{m:02d}-{d:02d}") == _exists(y, m, d), (y, m, d)
        assert is_date(f"{y:04d}-{m:02d}") == (1 <= m <= 12), (y, m)
    assert is_date("2024") and not is_date("2024-2-1") and not is_date("24-02-01") and not is_date("2024-02-01 ")


# How pages write a date: the field's form -> a line of site chrome holding it.
TEXT_FORMS = {
    "iso": lambda y, m, d: f"发布时间：{y}-{m:02d}-{d:02d} 10:20",
    "slashes": lambda y, m, d: f"日期:{y}/{m}/{d}",
    "chinese": lambda y, m, d: f"{y}年{m}月{d}日 来源：某市总工会",
    "day-first": lambda y, m, d: f"{d:02d}/{m:02d}/{y}",
    "roc": lambda y, m, d: f"民國{y - 1911}年{m}月{d}日",
    "numerals": lambda y, m, d: "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{_cn(m)}月{_cn(d)}日",
}


@pytest.mark.parametrize("form", sorted(TEXT_FORMS))
def test_a_date_in_the_text_is_read_only_when_the_day_exists(form):
    write = TEXT_FORMS[form]
    for y, m, d in TEXT_CALENDAR:
        if form == "roc" and y < 1912:
            continue
        expected = f"{y:04d}-{m:02d}-{d:02d}" if _exists(y, m, d) else ""
        assert find_date([fold(write(y, m, d))]) == expected, write(y, m, d)  # as extract_metadata reads chrome


def test_an_impossible_date_gives_way_to_the_next_real_one():
    assert find_date(["2023-02-30 浏览:12", "发布于 2023-03-01"]) == "2023-03-01"
    assert find_date(["二〇二一年二月三十日", "二〇二一年十二月"]) == "2021-12"
    assert find_date(["2021-13-01"]) == ""


def test_chinese_numerals():
    assert [chinese_number(_cn(n)) for n in range(1, 40)] == list(range(1, 40))
    assert chinese_number("二〇二一") == 2021 and chinese_number("二零二一") == 2021
    assert chinese_number("十十") is None and chinese_number("一百") is None and chinese_number("") is None


def test_a_settings_file_with_an_impossible_date_is_refused():
    for y, m, d in CALENDAR:
        text = f"{y:04d}-{m:02d}-{d:02d}"
        if _exists(y, m, d):
            assert validate({"meta": {"date": text}}, "x.yml").meta["date"] == text
        else:
            with pytest.raises(SettingsError, match=r"x\.yml: meta\.date: "):
                validate({"parts": {1: {"date": text}}, "meta": {"date": text}}, "x.yml")
    with pytest.raises(SettingsError, match="2023-02-30 names no day: February 2023 has 28 days"):
        validate({"parts": {2: {"date": "2023-02-30"}}}, "x.yml")


def test_check_reports_an_impossible_date_in_front_matter(tmp_path):
    page = tmp_path / "p.md"
    page.write_text('---\ntitle: t\ndate: "x"\nsource_file: a.txt\nsource_part: 1\n---\n', encoding="utf-8")
    for y, m, d in CALENDAR:
        text = f"{y:04d}-{m:02d}-{d:02d}"
        problems = check_schema(page, {"title": "t", "date": text, "source_file": "a.txt", "source_part": 1})
        assert (problems == []) == _exists(y, m, d), text
        assert all(p.line == 3 and text in p.message for p in problems)
    (found,) = check_schema(page, {"title": "t", "date": "2100-02-29", "source_file": "a.txt", "source_part": 1})
    assert found.message == "date 2100-02-29 names no day: February 2100 has 28 days"


def test_the_site_build_reads_past_an_impossible_unquoted_date():
    """YAML reads an unquoted 2020-02-30 as a timestamp and fails: the site's page lists skip that front matter
    (check names the page and the date) instead of stopping the build with a traceback."""
    from build_tools.browse import read_front_matter

    assert read_front_matter("---\ntitle: t\ndate: 2020-02-30\n---\n") == {}
    assert read_front_matter("---\ntitle: t\ndate: 2020-02-29\n---\n") == {"title": "t", "date": datetime.date(2020, 2, 29)}
