"""The Traditional edition's result conversion table (build_tools/hant_table.py), learnt from real pages."""

from __future__ import annotations

from pathlib import Path

from build_tools import hant, hant_table

ROOT = Path(__file__).resolve().parent.parent
PAGES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs" / "articles").glob("*.md")) if not p.name.endswith(".hant.md")]


def _learnt(texts: list[str]) -> dict[str, dict[str, str]]:
    learner = hant_table.Learner()
    for text in texts:
        learner.observe(text, hant.to_hant(text))
    return learner.table()


def test_the_table_converts_the_library_as_opencc_does():
    assert len(PAGES) >= 5
    table = _learnt(PAGES)
    for text in PAGES:
        assert hant_table.convert(table, text) == hant.to_hant(text)


def test_a_character_converts_by_its_neighbours():
    # 系 is 係 in 关系 and 繫 in 联系 but stays 系 in 体系; 并 is 並 in 并且 but 併 in 合并; 发 is 髮 in 头发.
    table = _learnt(["劳动关系和谐，联系群众，体系完善。", "并且要合并机构。", "头发花白的劳模发言。", "构建工会职工组织。", "密切"])
    for text in ("构建和谐劳动关系", "密切联系职工", "工会组织体系", "并且", "合并", "头发", "发言"):
        assert hant_table.convert(table, text) == hant.to_hant(text), text
    assert hant_table.convert({**table, "both": {}, "left": {}, "right": {}}, "劳动关系") != hant.to_hant("劳动关系")


def test_the_usual_form_wins_where_a_context_is_mostly_usual():
    # "，并" is followed by 並 (并且, 并将) far more often than by 併 (并入): the majority decides.
    texts = ["制度，并实行考核。", "会议，并将结果上报。", "人员，并取得成绩。", "两个工会，并入总会。"]
    table = _learnt(texts)
    assert hant_table.convert(table, "工作，并实行") == "工作，並實行"
    assert hant_table.convert(table, "两个工会，并入") == "兩個工會，併入"


def test_a_traditional_query_becomes_simplified_for_the_index():
    table = _learnt(PAGES)
    assert hant_table.to_simplified(table, "職工之家") == "职工之家"
    assert hant_table.to_simplified(table, "工會 abc") == "工会 abc"


def test_texts_that_do_not_align_are_skipped():
    learner = hant_table.Learner()
    learner.observe("职工之家", "職工")
    learner.observe("职工\n之家", "職工之家")
    assert learner.skipped == 2 and learner.pairs == 0


def test_a_query_typed_as_the_edition_converts_finds_the_simplified_text():
    """了解 -> 瞭解 (an OpenCC phrase): OpenCC's t2s leaves 瞭 as it is; the table learns 瞭 -> 了 from the build."""
    learner = hant_table.Learner()
    text = "我们要了解职工的困难。\n工会干部深入了解情况。"
    learner.observe(text, hant.to_hant(text))
    table = learner.table()
    for word in ("了解", "困难", "工会干部"):
        assert hant_table.to_simplified(table, hant.to_hant(word)) == word, hant.to_hant(word)
