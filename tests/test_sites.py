"""Generalisation: raw texts imitating sites the seeds do not come from (tests/fixtures/sites/).

Each `NNN_name.txt` has `NNN_name.expect.yaml` with what a perfect cleaner gives. Every single
expectation (a title, a date, a chrome string that must go…) is one test. Expectations the pipeline
does not meet yet are listed in `known_gaps.list` and run as strict xfail: fixing one makes its test
XPASS and fail until the line is removed from the list, so the list only shrinks.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from build_tools.pipeline import convert
from build_tools.settings import SourceSettings

SITES = Path(__file__).parent / "fixtures" / "sites"
KNOWN_GAPS = {line.strip() for line in (SITES / "known_gaps.list").read_text("utf-8").splitlines() if not line.startswith("#")} - {""}


def _norm(text: str) -> str:
    """Compare as a reader would: halfwidth/fullwidth and spacing do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _checks() -> list[tuple[str, str, object]]:
    checks = []
    for spec_path in sorted(SITES.glob("*.expect.yaml")):
        name = spec_path.name.removesuffix(".expect.yaml")
        spec = yaml.safe_load(spec_path.read_text("utf-8"))
        checks.append((f"{name}:parts", name, len(spec["articles"])))
        for i, art in enumerate(spec["articles"], 1):
            for key in ("title", "date", "author", "source", "publisher", "category", "tags", "truncated", "script"):
                checks.append((f"{name}#{i}:{key}", name, (i, key, art.get(key))))
            for key in ("first_line", "last_line"):
                if art.get(key):
                    checks.append((f"{name}#{i}:{key}", name, (i, key, art[key])))
            for n, heading in enumerate(art.get("headings") or [], 1):
                checks.append((f"{name}#{i}:heading{n}", name, (i, "heading", heading)))
            for n, text in enumerate(art.get("must_contain") or [], 1):
                checks.append((f"{name}#{i}:contains{n}", name, (i, "contains", text)))
        for n, text in enumerate(spec.get("must_not_contain") or [], 1):
            checks.append((f"{name}:chrome{n}", name, (0, "absent", text)))
    return checks


CHECKS = _checks()


@pytest.fixture(scope="module")
def converted():
    result = convert(SITES, lambda rel: SourceSettings())
    by_source: dict[str, list] = {}
    for article in result.articles:
        by_source.setdefault(article.source.path.removesuffix(".txt"), []).append(article)
    return by_source


def _evaluate(articles, expected) -> bool:
    if isinstance(expected, int):
        return len(articles) == expected
    i, key, value = expected
    if key == "absent" and not _norm(value):  # a control or space character: look for it as is
        return all(value not in a.meta.get("title", "") + "".join(b.text for b in a.blocks) for a in articles)
    if key == "absent":
        return all(_norm(value) not in _norm(a.meta.get("title", "") + "".join(b.text for b in a.blocks)) for a in articles)
    if i > len(articles):
        return False
    article = articles[i - 1]
    paragraphs = [b.text for b in article.blocks if b.kind != "heading"]
    if key == "first_line":
        return bool(paragraphs) and _norm(paragraphs[0]).startswith(_norm(value))
    if key == "last_line":
        return bool(paragraphs) and _norm(paragraphs[-1]).startswith(_norm(value))
    if key == "heading":
        return any(_norm(b.text).startswith(_norm(value)) for b in article.blocks if b.kind == "heading")
    if key == "contains":
        return _norm(value) in _norm("".join(b.text for b in article.blocks))
    actual = article.meta.get(key)
    if key == "truncated":
        return bool(actual) == bool(value)
    if key == "script":
        return actual == (value or "Hans")
    if key == "tags":
        return (actual or []) == (value or [])
    if value is None:
        return actual in (None, "")
    return _norm(str(actual or "")) == _norm(str(value))


@pytest.mark.parametrize(
    ("check_id", "name", "expected"),
    [pytest.param(*c, marks=pytest.mark.xfail(strict=True, reason="known gap")) if c[0] in KNOWN_GAPS else c for c in CHECKS],
    ids=[c[0] for c in CHECKS],
)
def test_site_expectation(converted, check_id, name, expected):
    assert _evaluate(converted.get(name, []), expected), check_id


def test_known_gaps_name_real_checks():
    assert {c[0] for c in CHECKS} >= KNOWN_GAPS
