"""The corpus pass: the only step that sees all articles. Placeholder until the real pass lands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .article import Article


@dataclass
class CorpusResult:
    """What the corpus pass adds: front matter per article key, the term index, a report."""

    meta: dict[str, dict[str, Any]] = field(default_factory=dict)  # article key -> extra front matter
    terms: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # term -> [{page, title, sentence}]
    report: dict[str, Any] = field(default_factory=dict)


def corpus_pass(articles: list[Article], paths: dict[str, str]) -> CorpusResult:
    """Keywords, related articles, near-duplicates, compilation siblings and the term index."""
    return CorpusResult()
