"""The search index's words (build_tools/search_text.py) and the search box's copy of them (wenku-search.js)."""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from build_tools import search_text

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "overrides" / "assets" / "javascripts" / "wenku-search.js"
DOCS = sorted(p for p in (ROOT / "docs" / "articles").glob("*.md"))


def _lines() -> list[str]:
    """Every line of the library's pages, with their mix of Chinese, digits, Latin, punctuation and spaces."""
    return [ln for p in DOCS for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]


def test_every_substring_of_a_chinese_run_is_a_run_of_consecutive_words():
    rng = random.Random(7)
    for line in rng.sample(_lines(), 60):
        tokens = search_text.tokens(line)
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", line):
            i = rng.randrange(len(run) - 1)
            part = run[i : i + rng.randint(2, len(run) - i)]
            needle = search_text.query(part).strip('"').split(" ")
            assert any(tokens[k : k + len(needle)] == needle for k in range(len(tokens))), (part, line)


def test_decode_gives_the_text_back_without_spaces_next_to_chinese():
    for line in _lines():
        text = re.sub(r"\s+", " ", line).strip()
        kept = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "\0", text)  # between two Chinese runs: kept
        expected = re.sub(r"(?<=[\u4e00-\u9fff]) | (?=[\u4e00-\u9fff])", "", kept).replace("\0", " ")
        assert search_text.decode(" ".join(search_text.tokens(line))) == expected, line


def test_white_space_between_chinese_runs_breaks_a_phrase():
    assert search_text.tokens("工会 会议")[1:2] == [search_text.SEP]
    assert search_text.decode(" ".join(search_text.tokens("工会 会议"))) == "工会 会议"
    assert search_text.query("工会会议").count(" ") == 2 and search_text.query("工会会议").startswith('"')
    assert search_text.query("工会") == search_text.code("工会") and search_text.uncode(search_text.code("工会")) == "工会"
    assert search_text.query("维权 送温暖") == " ".join(search_text.code(w) for w in ("维权", "送温", "温暖"))
    assert search_text.uncode("OA") is None and search_text.uncode(search_text.code("会")) == "会"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_search_box_cuts_and_decodes_as_the_index_does():
    """wenku-search.js's tokens/query/decode, run in Node on the library's lines, give what search_text gives."""
    src = SCRIPT.read_text(encoding="utf-8")
    body = src[src.index("  const SEP =") : src.index("  const escape =")]
    lines = _lines()
    js = f"const f = new Function({json.dumps(body + '; return {tokens, query, decode, SEP};')})();\n"
    js += "const lines = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
    js += "const ended = (t) => f.tokens(t).join(' ') + '. ' + f.SEP + ' ' + f.tokens(t).join(' ');\n"
    js += "console.log(JSON.stringify(lines.map((t) => [f.tokens(t), f.query(t), f.decode(f.tokens(t).join(' ')), f.decode(ended(t))])));\n"
    out = subprocess.run(["node", "-e", js], input=json.dumps(lines), capture_output=True, text=True, check=True).stdout
    for line, (tokens, query, decoded, decoded_ended) in zip(lines, json.loads(out), strict=True):
        assert tokens == search_text.tokens(line), line
        assert query == search_text.query(line), line
        assert decoded == search_text.decode(" ".join(search_text.tokens(line))), line
        assert decoded_ended == search_text.decode(_pagefind_ended(line, line)), line


def _pagefind_ended(first: str, second: str) -> str:
    """Two blocks as Pagefind's content holds them: the first ends with "." (Pagefind adds it to a block whose text
    has no closing punctuation, glued to its last word), then SEP (build_tools/search_index.py), then the second."""
    return " ".join(search_text.tokens(first)) + ". " + search_text.SEP + " " + " ".join(search_text.tokens(second))


def test_decode_reads_the_full_stop_pagefind_adds_to_a_block():
    """A block ending in Chinese characters comes back as its text, not its last code (a reader saw "活lkr_gbs.")."""
    lines = [line for line in _lines() if re.search(r"[\u4e00-\u9fff]$", line.strip())]
    assert len(lines) > 10
    for first, second in itertools.pairwise(lines):
        expected = search_text.decode(" ".join(search_text.tokens(first))) + " " + search_text.decode(" ".join(search_text.tokens(second)))
        assert search_text.decode(_pagefind_ended(first, second)) == expected, first
