"""unwrap.py, numbering.py, structure.py, punctuation.py, split.py on small inputs."""

import pytest

from build_tools.article import Article, Source
from build_tools.punctuation import fullwidth
from build_tools.split import clean_title, part_marker, split_compilation
from build_tools.structure import build_blocks
from build_tools.unwrap import join_wrapped, should_join


def _article(lines):
    return Article(Source("x.txt", "0", "utf-8"), lines, list(range(1, len(lines) + 1)))


@pytest.mark.parametrize(
    ("line", "following", "joined"),
    [
        ("这些成绩的取得，是乡党委正确领", "导、乡人民政府大力支持的结果。", True),  # 领|导 splits a word
        ("为广大职工办好事、实事是工会工", "作的出发点和归宿。", True),
        ("二、围绕中心，服务大局，充分发挥工会职能，努力开创我乡工会工作新", "局面", True),  # a heading's tail
        ("各级工会要紧紧围绕党委中心工作", "，切实履行维权职责。", True),  # a line never starts with a comma
        ("一、提高认识、统一思想、加强领导", "为确实有效提高工会的凝聚力、号召力和战斗力，把热爱工会工作的同志选拔上来。", False),
        ("关心职工生活，办好工会实事", "为广大职工办好事、实事是工会工作的出发点和归宿。", False),
        ("工作取得了新进展。", "二是抓经费保障。", False),
        ("三年多来，我乡基层联合工会紧紧围绕乡党委、政府的中心工作，结合县总工会的", "（一）切实加强组织建设", False),
    ],
)
def test_hard_wraps_are_joined_and_real_breaks_kept(line, following, joined):
    assert should_join(line, following) is joined


def test_join_records_the_change_and_keeps_line_numbers():
    article = join_wrapped(_article(["这些成绩的取得，是乡党委正确领", "导、乡人民政府大力支持的结果。", "", "下一段。"]))
    assert article.lines == ["这些成绩的取得，是乡党委正确领导、乡人民政府大力支持的结果。", "", "下一段。"]
    assert article.line_numbers == [1, 3, 4]
    assert article.changes[0].kind == "joined"


def test_headings_by_numbering_level():
    lines = [
        "一、加强组织建设",
        "各级工会要把组建工作摆在突出位置，扩大覆盖面，增强凝聚力和吸引力。",
        "（一）切实加强基层工会建设",
        "l、建立工会干部档案。",
        "2、建立健全各项规章制度。",
        "贯穿一条思想主线———全面贯彻重要思想",
        "（二）工会组织不健全。部分单位在机构设置中没有独立的工会，工作开展困难。",
    ]
    blocks = build_blocks(_article(lines)).blocks
    assert [(b.kind, b.level, b.text[:6]) for b in blocks] == [
        ("heading", 2, "一、加强组织"),
        ("paragraph", 0, "各级工会要把"),
        ("heading", 3, "（一）切实加"),
        ("item", 0, "1、建立工会"),  # the OCR slip l、 is read as 1、
        ("item", 0, "2、建立健全"),
        ("heading", 3, "贯穿一条思想"),
        ("item", 0, "（二）工会组"),  # a long numbered sentence is a paragraph, not a heading
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("贯彻十九大精神,开创工会工作新局面", "贯彻十九大精神，开创工会工作新局面"),
        ("主要任务是:以理论为指导;全面落实", "主要任务是：以理论为指导；全面落实"),
        ("召开全委(扩大)会议", "召开全委（扩大）会议"),
        ("今年7-9月,完成3.5%的增长", "今年7-9月，完成3.5%的增长"),
        ("Powered by MkDocs, version 1.6", "Powered by MkDocs, version 1.6"),
        ("加入世界贸易组织(WTO)以来", "加入世界贸易组织(WTO)以来"),
    ],
)
def test_halfwidth_punctuation_in_chinese_becomes_fullwidth(line, expected):
    assert fullwidth(line) == expected


@pytest.mark.parametrize(
    ("line", "number", "rest"),
    [
        ("第一篇:乡镇工会工作总结", 1, "乡镇工会工作总结"),
        ("【篇2】职工之家建设", 2, "职工之家建设"),
        ("篇三：工作计划", 3, "工作计划"),
        ("第十二篇", 12, ""),
    ],
)
def test_part_markers(line, number, rest):
    assert part_marker(line) == (number, rest)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("乡镇工会联合会工作报告(精选)", "乡镇工会联合会工作报告"),
        ("工会工作总结（通用5篇）", "工会工作总结"),
        ("基层工会工作专题报告_无忧范文网", "基层工会工作专题报告"),
        ("工会工作", "工会工作"),
        ("[经验交流] 谈谈基层工会如何建家", "谈谈基层工会如何建家"),  # a forum's board label
        ("【转载】基层工会如何建家", "基层工会如何建家"),  # a provenance label
        ("【置顶】职工之家建设经验", "职工之家建设经验"),  # a status label
        ("【理论学习】基层工会如何建家", "【理论学习】基层工会如何建家"),  # a column tag belongs to the headline
    ],
)
def test_title_decorations_are_stripped(title, expected):
    assert clean_title(title) == expected


def test_a_compilation_splits_in_order_and_drops_repeated_titles():
    body = "各级工会要把组建工作摆在突出位置，扩大覆盖面，增强凝聚力和吸引力。"
    lines = [
        "工会工作总结3篇",
        "第一篇:工会工作总结",
        body,
        "第二篇:工会工作总结",
        "思礼镇工会工作总结",
        body,
        "第三篇:工作计划",
        "工作计划",
        body,
    ]
    parts = split_compilation(_article(lines))
    assert [(p.part, p.parts, p.meta["title"], p.lines) for p in parts] == [
        (1, 3, "工会工作总结", [body]),
        (2, 3, "思礼镇工会工作总结", [body]),  # the more specific title line wins
        (3, 3, "工作计划", [body]),
    ]
    assert parts[0].meta["compilation"] == "工会工作总结"


def test_markers_out_of_order_do_not_split():
    lines = ["第二篇:甲", "正文内容很长很长很长很长很长很长很长很长很长很长很长。", "第一篇:乙"]
    assert len(split_compilation(_article(lines))) == 1


def test_a_sentence_naming_a_first_piece_is_not_a_compilation():
    lines = [
        "读书活动总结",
        "第一篇：《劳动者之歌》，讲述了一位老工人坚守岗位三十年的故事。",
        "第二篇：《大国工匠》，记录了八位工匠的成长经历，大家读后深受感动。",
    ]
    parts = split_compilation(_article(lines))
    assert len(parts) == 1 and parts[0].meta["title"] == "读书活动总结"


def test_fullwidth_sentence_ends_are_not_joined():
    assert not should_join("今年全镇工会工作取得了较好的成绩！", "XX镇工会")
    assert not should_join("今年的主要任务是：", "一是加强组织建设")


def test_a_name_under_the_title_is_its_byline_not_its_first_paragraph():
    body = "各位委员，同志们：现在，我代表常委会向全委会议报告工作，请予审议。"
    article = split_compilation(_article(["团结奋进担当作为", "刘建华", body]))[0]
    assert (article.meta["title"], article.meta["_byline"], article.lines) == ("团结奋进担当作为", "刘建华", [body])
    assert split_compilation(_article(["工作总结", "前言", body]))[0].lines == ["前言", body]
    assert "_byline" not in split_compilation(_article(["工作总结", "昨天", body]))[0].meta  # a relative date
