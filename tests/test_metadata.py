"""metadata.py: fields recovered from removed chrome and from the text."""

import pytest

from build_tools.article import Article, Block, Source
from build_tools.metadata import category_of, extract_metadata, find_date, year_of


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["2020-09-07 来源:个人技术集锦"], "2020-09-07"),
        (["发布时间: 2022-08-20 15:40:03 浏览:"], "2022-08-20"),
        (["发布日期：2021/5/3"], "2021-05-03"),
        (["2019年3月5日 星期二"], "2019-03-05"),
        (["发布日期：民国110年5月3日"], "2021-05-03"),
        (["成文日期：2021年3月"], "2021-03"),
        (["浏览量：2020"], ""),
        (["2020-13-45"], ""),
    ],
)
def test_dates(lines, expected):
    assert find_date(lines) == expected


def test_year_from_title_or_opening_words():
    assert year_of("乡镇工会联合会2013年度工作总结", "") == "2013"
    assert year_of("工作总结", "2020年，思礼镇工会联合会在示范区总工会领导下") == "2020"
    assert year_of("工作总结", "去年，全镇各级工会在2019年取得成绩") == ""


def test_category_prefers_the_breadcrumb_then_the_title():
    assert category_of(["当前位置:首页 > 心得体会 >"], "基层工会工作专题报告") == "心得"
    assert category_of([], "在县总工会全委会议上的讲话") == "讲话"
    assert category_of([], "2013年度工作总结") == "总结"
    assert category_of([], "职工之家") == ""


def _with_removed(removed, blocks, title="标题"):
    article = Article(Source("x.txt", "0", "utf-8"), [], [], meta={"title": title})
    for line in removed:
        kind = "truncation" if "篇幅" in line else "meta"
        article.record("boilerplate", kind, line)
    article.blocks = [Block("paragraph", b) for b in blocks]
    return extract_metadata(article)


def test_fields_from_chrome():
    meta = _with_removed(
        [
            "发布时间：2018-10-12 浏览量：49,931",
            "来源：市总工会 作者：张三",
            "相关热词搜索：基层 工会工作、专题报告",
            "江西省南昌市总工会 赣ICP备18016234号-1",
        ],
        ["全文完。"],
    ).meta
    assert {k: meta.get(k) for k in ("date", "views", "source", "author", "tags", "publisher")} == {
        "date": "2018-10-12",
        "views": 49931,
        "source": "市总工会",
        "author": "张三",
        "tags": ["基层", "工会工作", "专题报告"],
        "publisher": "江西省南昌市总工会",
    }
    assert "truncated" not in meta


def test_truncation_from_a_notice_or_a_cut_sentence():
    assert _with_removed(["因篇幅问题不能全部显示，请点此查看更多更全内容"], ["全文完。"]).meta["truncated"] is True
    assert _with_removed([], ["各位代表，让我们高举伟大旗帜，在乡党委和上级工会的正确领导"]).meta["truncated"] is True
    assert "truncated" not in _with_removed([], ["谢谢大家！"]).meta


def test_texts_ending_in_other_closing_marks_are_not_truncated():
    assert "truncated" not in _with_removed([], ["The union held its annual meeting in the city hall."]).meta
    assert "truncated" not in _with_removed([], ["三是加强队伍建设，提高工会干部的业务能力；"]).meta
