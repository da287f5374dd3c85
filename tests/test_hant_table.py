"""The Traditional edition's result conversion table (build_tools/hant_table.py), learnt from real pages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

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


def test_a_traditional_character_of_two_simplified_ones_is_read_by_its_neighbours():
    """著 is 着's form (着眼 -> 著眼) and 著 itself (著作): the query table learns which one each context means."""
    table = _learnt(["要着眼于长远，着力解决困难。", "他的著作很多，成绩显著。"])
    for word in ("着眼于", "着力", "著作", "显著", "成绩显著"):
        assert hant_table.to_simplified(table, hant.to_hant(word)) == word, word


def test_every_word_of_the_library_typed_in_traditional_comes_back_or_is_truly_ambiguous():
    """Every 2-4 character run of the library holding a two-way character (著, 么, 才 ...), typed as the edition
    shows it, comes back as itself, unless another run of the library has the same Traditional form."""
    table = _learnt(PAGES)
    han_runs = [m.group(0) for p in PAGES for m in re.finditer(r"[\u4e00-\u9fff]+", p)]
    runs = {h[i : i + n] for h in han_runs for n in (2, 3, 4) for i in range(len(h) - n + 1)}
    two_way = [r for r in sorted(runs) if hant_table.two_way().search(hant.to_hant(r))]
    assert len(two_way) > 50
    forms: dict[str, set[str]] = {}
    for r in runs:
        forms.setdefault(hant.to_hant(r), set()).add(r)
    wrong = [r for r in two_way if hant_table.to_simplified(table, hant.to_hant(r)) != r and len(forms[hant.to_hant(r)]) == 1]
    assert not wrong, wrong[:20]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_search_box_turns_traditional_queries_back_as_the_table_does():
    """wenku-search.js's toSimplified, run in Node with the library's table, gives what to_simplified gives."""
    table = _learnt(PAGES)
    src = (ROOT / "overrides" / "assets" / "javascripts" / "wenku-search.js").read_text(encoding="utf-8")
    start = src.index("  const toSimplified =")
    body = src[start : src.index("\n  };\n", start) + 5]
    queries = sorted({hant.to_hant(p[i : i + 6]) for p in PAGES for i in range(0, len(p) - 6, 97)})
    js = f"const f = new Function({json.dumps(body + '; return toSimplified;')})();\n"
    js += "const [table, qs] = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
    js += "console.log(JSON.stringify(qs.map((q) => f(table, q))));\n"
    out = subprocess.run(["node", "-e", js], input=json.dumps([table, queries]), capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [hant_table.to_simplified(table, q) for q in queries]
