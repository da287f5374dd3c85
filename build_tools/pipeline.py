"""Run every step over every source: raw bytes in, articles out. The only module that knows the order."""

from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import repair
from .article import Article, Source
from .boilerplate import fold, is_body, remove_chrome
from .cache import Cache, Entry, RecordingSet, make_entry, source_key
from .content import detect_content
from .decode import DecodeError, decode
from .features import with_features
from .files import NotRegular, read_regular
from .forked import cpu_workers, fork_context, stop_tracing
from .metadata import extract_metadata
from .numbering import starts_numbered
from .pinyin import remove_pinyin
from .punctuation import restore_punctuation
from .script import convert_script
from .settings import SourceSettings, apply_settings_after, apply_settings_before
from .sources import scan
from .split import HEADLINE_WORDS, split_compilation
from .structure import build_blocks
from .terms import tokenizer
from .unwrap import join_wrapped

# A short line in this many sources (and at least this share of them) is chrome of a shared template.
COMMON_LINE_MIN_SOURCES = 3
COMMON_LINE_MIN_SHARE = 0.02
COMMON_LINE_MAX_CHARS = 40


NO_MAIN_TEXT = "nothing but site chrome: no main text found (not one line of running text, a sentence with its punctuation)"


class NoMainText(ValueError):
    """A source whose main text cannot be found: refused by name, like an empty file."""


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
    """Every regular *.txt under root, in a stable order (sources.scan: links, FIFOs, folders named *.txt are not)."""
    return scan(root).files


def read_source(path: Path, root: Path) -> tuple[Source, list[str]]:
    """Decode one file; raise DecodeError with the reason when it is not usable text (OSError when it cannot be
    read, files.NotRegular when it is no longer a regular file)."""
    data = read_regular(path)
    text, encoding = decode(data)
    rel = path.relative_to(root).as_posix()
    return Source(rel, hashlib.sha256(data).hexdigest(), encoding), text.split("\n")


def common_lines(texts: list[list[str]]) -> frozenset[str]:
    """Folded short lines that recur in many sources: a shared site template, not content."""
    return common_from([template_candidates(lines) for lines in texts])


def template_candidates(lines: list[str]) -> frozenset[str]:
    """The folded short lines of one source that could be part of a site template (what common_lines counts)."""
    return frozenset(fold(line) for line in lines if _may_be_template(line))


def common_from(candidates: list[frozenset[str]]) -> frozenset[str]:
    """common_lines from each source's template_candidates."""
    counts: Counter[str] = Counter()
    for found in candidates:
        counts.update(found)
    threshold = max(COMMON_LINE_MIN_SOURCES, int(COMMON_LINE_MIN_SHARE * len(candidates)))
    return frozenset(line for line, n in counts.items() if n >= threshold and line)


def _may_be_template(line: str) -> bool:
    """A line a site's template could repeat: short, no sentence marks, not numbered, and not a headline
    (a title shared by several sources, 工会工作总结, is content)."""
    text = line.strip()
    return (
        0 < len(text) <= COMMON_LINE_MAX_CHARS
        and not starts_numbered(text)
        and not any(p in text for p in "。,，;；!！?？:：")
        and not HEADLINE_WORDS.search(fold(text))
    )


def clean_source(source: Source, lines: list[str], settings: SourceSettings, common: frozenset[str]) -> list[Article]:
    """All steps for one decoded source; returns its articles (empty when nothing but chrome)."""
    article = Article(source=source, lines=lines, line_numbers=list(range(1, len(lines) + 1)), skip=settings.skip)
    article = repair_damage(article)
    article = remove_pinyin(article)
    article = apply_settings_before(article, settings)
    article = detect_content(article, settings.content)
    if article.meta.get("_no_main_text"):
        raise NoMainText(NO_MAIN_TEXT)
    article = remove_chrome(article, common)
    articles: list[Article] = []
    dropped: list[Article] = []
    for part in split_compilation(article):
        part = join_wrapped(part)
        part = restore_punctuation(part)
        part = convert_script(part)
        part = build_blocks(part)
        part = extract_metadata(part)
        part = apply_settings_after(part, settings)
        if _has_text(part):
            articles.append(part)
        else:
            dropped.append(part)
    if articles:
        for part in dropped:  # said in the report of the source, on its first article
            articles[0].record("split", "empty-part", f"part {part.part} of {part.parts}: {part.meta.get('title', '')}", "", 0)
    return articles


def _has_text(article: Article) -> bool:
    """An article has text of its own: running text, or (in a compilation) any paragraph at all."""
    blocks = [b for b in article.blocks if b.kind != "heading"]
    if article.parts > 1:
        return bool(blocks)
    return any(is_body(b.text) or len(b.text) > 10 for b in blocks)


def repair_damage(article: Article) -> Article:
    """Repair GBK-shift garbles and mark lost characters (see repair.py); record each."""
    if "repair" in article.skip or not any("?" in line for line in article.lines):
        return article
    model = repair.Model.from_text("\n".join(article.lines))  # only for texts that have a "?" to look at
    lines = []
    for line, number in zip(article.lines, article.line_numbers, strict=True):
        if "?" in line:
            line, damages = repair.repair_line(line, model)
            for d in damages:
                article.record("repair", d.kind, d.original, d.replacement, number)
                article.meta.setdefault("_damage", {}).setdefault(number, []).append(d)
        lines.append(line)
    return article.with_lines(lines)


def convert(root: Path, settings_for, progress=None, *, cache: Cache | None = None, jobs: int | None = None) -> Result:
    """Convert every source under `root`. `settings_for(rel_path)` gives each source's settings.

    `cache` (build_tools/cache.py) gives back the articles of sources converted before with the same bytes,
    settings, code and template lines; only the others are decoded and converted (and stored). `jobs` is the
    number of worker processes: None means one per CPU when at least PARALLEL_FROM sources need the work,
    else none; 1 means none. The result is the same whichever is used, in the same order.
    """
    result = Result()
    found: list[_Found] = []
    listed = scan(root)
    result.refused.extend(Refusal(rel, reason) for rel, reason in listed.refused)
    for path in listed.files:
        rel = path.relative_to(root).as_posix()
        item = _Found(path, rel)
        if cache is not None:  # the key needs the bytes' hash (without a cache, decoding reads the file)
            try:
                sha256 = hashlib.sha256(read_regular(path)).hexdigest()
                item.settings = settings_for(rel)
                item.key = source_key(rel, sha256, item.settings)
                item.entry = cache.load(item.key)
            except OSError as error:
                item.refusal = _cannot_read(error)
            except ValueError:  # bad settings: reported below, as without a cache
                pass
        if item.entry is not None:  # no need to decode it to know its encoding and template lines
            item.encoding, item.candidates = item.entry.encoding, frozenset(item.entry.candidates)
        found.append(item)
    _decode_all(root, [f for f in found if not f.refusal and f.entry is None], jobs)
    for item in found:
        if item.refusal:
            result.refused.append(Refusal(item.rel, item.refusal))
    decoded = [f for f in found if not f.refusal]
    for item in decoded:
        result.encodings[item.rel] = item.encoding
    common = common_from([item.candidates for item in decoded])
    total = len(decoded)
    done = 0
    todo: list[_Found] = []
    for item in decoded:
        try:
            if item.settings is None:  # not read for a cache key
                item.settings = settings_for(item.rel)
        except ValueError as error:  # bad settings for this source
            item.outcome = str(error)
            continue
        if item.entry is not None and item.entry.valid_for(common):
            cache.hits += 1
            item.outcome = item.entry
            done += 1
            if progress:
                progress(done, total, item.rel)
            continue
        if cache is not None:
            cache.misses += 1
        todo.append(item)
    _decode_all(root, [f for f in todo if f.lines is None], jobs)  # entries of the cache that are stale
    workers = _workers(jobs, len(todo))
    work = ((f.source, f.lines, f.settings, f.encoding, f.candidates, cache, f.key) for f in todo)
    if workers > 1:
        tokenizer()  # loaded once here (the corpus pass needs it too): forked workers inherit it
        with ProcessPoolExecutor(workers, mp_context=fork_context(), initializer=_worker_start, initargs=(common,)) as pool:
            converted = pool.map(_convert_one, work, chunksize=_chunk(len(todo), workers))
            done = _collect(todo, converted, progress, done, total)
    else:
        _use_common(common)
        done = _collect(todo, map(_convert_one, work), progress, done, total)
    for item in decoded:
        if isinstance(item.outcome, str):
            result.refused.append(Refusal(item.rel, item.outcome))
        elif item.outcome is not None and not item.outcome.articles:
            result.refused.append(Refusal(item.rel, "nothing but site chrome: no article text left after cleaning"))
        elif item.outcome is not None:
            result.articles.extend(item.outcome.articles)
    if cache is not None:  # entries of older versions of these sources, of removed sources, of other code
        cache.prune(keep={item.key for item in found if item.key})
    return result


@dataclass
class _Found:
    """One source file on its way through `convert`."""

    path: Path
    rel: str
    refusal: str = ""  # why the file cannot be read or decoded
    key: str = ""  # its cache key, when there is a cache
    entry: Entry | None = None  # what the cache holds for it (valid or not: checked once common_lines is known)
    source: Source | None = None
    lines: list[str] | None = None
    encoding: str = ""
    candidates: frozenset[str] = frozenset()
    settings: SourceSettings | None = None
    outcome: Entry | str | None = None  # its entry, or the reason it gave no article


def _decode_one(path: Path, root: Path) -> tuple[Source, list[str], frozenset[str]] | str:
    """Read and decode one file: its Source, lines and template candidates, or why it cannot be used."""
    try:
        source, lines = read_source(path, root)
    except DecodeError as error:
        return str(error)
    except OSError as error:
        return _cannot_read(error)
    return source, lines, template_candidates(lines)


def _cannot_read(error: OSError) -> str:
    if isinstance(error, NotRegular):
        return f"{error.strerror}, not a regular file (it changed while the conversion ran)"
    return f"cannot read: {error.strerror or error}"


def _decode_all(root: Path, items: list[_Found], jobs: int | None) -> None:
    """Decode the files that need it (in workers for many); the others take encoding and candidates from the cache."""
    workers = _workers(jobs, len(items))
    paths = [f.path for f in items]
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=fork_context(), initializer=stop_tracing) as pool:
            decoded = list(pool.map(_decode_one, paths, [root] * len(paths), chunksize=_chunk(len(paths), workers)))
    else:
        decoded = [_decode_one(p, root) for p in paths]
    for item, outcome in zip(items, decoded, strict=True):
        if isinstance(outcome, str):
            item.refusal = outcome
        else:
            item.source, item.lines, item.candidates = outcome
            item.encoding = item.source.encoding


def _chunk(count: int, workers: int) -> int:
    return max(1, min(16, count // (workers * 8)))


# From this many sources to convert, `convert` uses worker processes (unless told how many): below it, starting
# them (each loads jieba's dictionary and OpenCC) costs more than it saves.
PARALLEL_FROM = 200
_common: frozenset[str] = frozenset()


def _workers(jobs: int | None, count: int) -> int:
    if count < 2:
        return 1
    if jobs is None:
        return cpu_workers() if count >= PARALLEL_FROM else 1
    return max(1, min(jobs, count))


def _use_common(common: frozenset[str]) -> None:
    """Give this process (a worker, or the main one converting serially) the template lines of this run."""
    global _common
    _common = common


def _worker_start(common: frozenset[str]) -> None:
    """Start a worker process: the template lines, and no allocation tracing."""
    _use_common(common)
    stop_tracing()


def _convert_one(item: tuple[Source, list[str], SourceSettings, str, frozenset[str], Cache | None, str]) -> bytes | str:
    """Convert one source: its entry (articles with their features, and the template-line questions asked),
    pickled once for both the cache (written here) and the process that collects it; or why it failed."""
    source, lines, settings, encoding, candidates, cache, key = item
    probe = RecordingSet(_common)
    try:
        articles = clean_source(source, lines, settings, probe)
    except ValueError as error:  # bad settings for this source
        return str(error)
    done = [a.with_lines([], []) for a in with_features(articles)]  # the text is in the blocks now: lines not kept
    data = pickle.dumps(make_entry(done, probe, encoding, candidates), protocol=pickle.HIGHEST_PROTOCOL)
    if cache is not None and key:  # keyed by the bytes converted (the file may have changed since `key` was made)
        cache.put(source_key(source.path, source.sha256, settings), data)
    return data


def _collect(todo: list[_Found], converted, progress, done: int, total: int) -> int:
    """Keep each converted source's outcome; report progress; return the count done."""
    for item, outcome in zip(todo, converted, strict=True):
        item.outcome = pickle.loads(outcome) if isinstance(outcome, bytes) else outcome
        if item.key and item.source is not None:  # the key of the bytes converted, kept by Cache.prune
            item.key = source_key(item.rel, item.source.sha256, item.settings)
        item.lines = None  # the text is no longer needed
        done += 1
        if progress:
            progress(done, total, item.rel)
    return done
