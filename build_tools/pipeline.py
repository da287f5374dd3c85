"""Run every step over every source: raw bytes in, articles out. The only module that knows the order."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import repair
from .article import Article, Source
from .boilerplate import fold, is_body, remove_chrome
from .decode import DecodeError, decode
from .metadata import extract_metadata
from .numbering import starts_numbered
from .pinyin import remove_pinyin
from .punctuation import restore_punctuation
from .script import convert_script
from .settings import SourceSettings, apply_settings_after, apply_settings_before
from .split import split_compilation
from .structure import build_blocks
from .unwrap import join_wrapped

# A short line in this many sources (and at least this share of them) is chrome of a shared template.
COMMON_LINE_MIN_SOURCES = 3
COMMON_LINE_MIN_SHARE = 0.02
COMMON_LINE_MAX_CHARS = 40


@dataclass
class Refusal:
    """A source file that gave no page, and why."""

    path: str
    reason: str


@dataclass
class Result:
    """Articles and refusals of one conversion run."""

    articles: list[Article] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)


def find_sources(root: Path) -> list[Path]:
    """Every *.txt under root, in a stable order."""
    return sorted((p for p in root.rglob("*.txt") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())


def read_source(path: Path, root: Path) -> tuple[Source, list[str]]:
    """Decode one file; raise DecodeError with the reason when it is not usable text."""
    data = path.read_bytes()
    text, encoding = decode(data)
    rel = path.relative_to(root).as_posix()
    return Source(rel, hashlib.sha256(data).hexdigest(), encoding), text.split("\n")


def common_lines(texts: list[list[str]]) -> frozenset[str]:
    """Folded short lines that recur in many sources: a shared site template, not content."""
    counts: Counter[str] = Counter()
    for lines in texts:
        counts.update({fold(line) for line in lines if _may_be_template(line)})
    threshold = max(COMMON_LINE_MIN_SOURCES, int(COMMON_LINE_MIN_SHARE * len(texts)))
    return frozenset(line for line, n in counts.items() if n >= threshold and line)


def _may_be_template(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= COMMON_LINE_MAX_CHARS and not starts_numbered(text) and not any(p in text for p in "。,，;；!！?？:：")


def clean_source(source: Source, lines: list[str], settings: SourceSettings, common: frozenset[str]) -> list[Article]:
    """All steps for one decoded source; returns its articles (empty when nothing but chrome)."""
    article = Article(source=source, lines=lines, line_numbers=list(range(1, len(lines) + 1)), skip=settings.skip)
    article = repair_damage(article)
    article = remove_pinyin(article)
    article = apply_settings_before(article, settings)
    article = remove_chrome(article, common)
    articles = []
    for part in split_compilation(article):
        part = join_wrapped(part)
        part = restore_punctuation(part)
        part = convert_script(part)
        part = build_blocks(part)
        part = extract_metadata(part)
        part = apply_settings_after(part, settings)
        if any(is_body(b.text) or len(b.text) > 10 for b in part.blocks if b.kind != "heading"):
            articles.append(part)
    return articles


def repair_damage(article: Article) -> Article:
    """Repair GBK-shift garbles and mark lost characters (see repair.py); record each."""
    if "repair" in article.skip:
        return article
    model = repair.Model.from_text("\n".join(article.lines))
    lines = []
    for line, number in zip(article.lines, article.line_numbers, strict=True):
        if "?" in line:
            line, damages = repair.repair_line(line, model)
            for d in damages:
                article.record("repair", d.kind, d.original, d.replacement, number)
                article.meta.setdefault("_damage", {})[(number, d.original)] = d
        lines.append(line)
    return article.with_lines(lines)


def convert(root: Path, settings_for, progress=None) -> Result:
    """Convert every source under `root`. `settings_for(rel_path)` gives each source's settings."""
    result = Result()
    decoded: list[tuple[Source, list[str]]] = []
    paths = find_sources(root)
    for path in paths:
        rel = path.relative_to(root).as_posix()
        try:
            source, lines = read_source(path, root)
        except DecodeError as error:
            result.refused.append(Refusal(rel, str(error)))
            continue
        except OSError as error:
            result.refused.append(Refusal(rel, f"cannot read: {error.strerror or error}"))
            continue
        decoded.append((source, lines))
        result.encodings[rel] = source.encoding
    common = common_lines([lines for _, lines in decoded])
    for n, (source, lines) in enumerate(decoded, 1):
        if progress:
            progress(n, len(decoded), source.path)
        try:
            settings = settings_for(source.path)
            articles = clean_source(source, lines, settings, common)
        except ValueError as error:  # bad settings for this source
            result.refused.append(Refusal(source.path, str(error)))
            continue
        if not articles:
            result.refused.append(Refusal(source.path, "nothing but site chrome: no article text left after cleaning"))
            continue
        result.articles.extend(articles)
    return result
