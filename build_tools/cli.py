"""Command line: `python -m build_tools convert --sources DIR --out DIR` and friends."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import check, corpus_state, lock, pipeline, publish, report, settings, site, state
from .cache import Cache
from .corpus import CorpusResult, corpus_pass
from .files import describe, in_the_way
from .write import PAGES_DIR, PageWriter, atomic_write, dumps_indented

# The term index (term -> where it is used), for the site's term pages; a dot-file, so not published as is.
TERMS_FILE = ".terms.json"


def _progress(n: int, total: int, name: str) -> None:
    if (sys.stderr.isatty() or total >= 50) and (n == total or n % max(1, total // 20) == 0 or sys.stderr.isatty()):
        width = 30
        done = width * n // total
        end = "\n" if n == total else "\r"
        print(f"  [{'#' * done}{'.' * (width - done)}] {n}/{total} {name[:40]:<40}", end=end, file=sys.stderr)


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Python's cycle collector off for the block (and back as it was after).

    A conversion holds millions of long-lived objects (articles, segmentations, vectors) and makes few
    reference cycles: the collector's full passes over them were a third of a rebuild at 10,000 sources
    and freed next to nothing. Memory is still freed by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert every source; write pages, the report; exit 1 when any file was refused, 2 when the run could not
    run (bad folders, another run on --out)."""
    if not args.sources.is_dir():
        print(f"error: --sources {args.sources}: not a directory", file=sys.stderr)
        return 2
    problem = overlap(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.out.exists() and not args.out.is_dir():
        print(f"error: --out {args.out}: not a directory", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        with lock.hold(args.out, args.wait), _without_cycle_collector():
            return _convert(args)
    except lock.Busy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 2


def overlap(args: argparse.Namespace) -> str:
    """Why --out, --report or --cache-dir cannot be used with these --sources ("" when they can): the sources
    are never written, and pages written among them would be converted as sources."""
    for option, path in (("--sources", args.sources), ("--out", args.out)):
        if path.is_symlink():
            return f"{option} {path} is a symbolic link: give the folder itself (a link can be re-pointed between runs)"
    sources = args.sources.resolve()
    out = args.out.resolve()
    if out == sources or out.is_relative_to(sources):
        return f"--out {args.out} is {'--sources' if out == sources else 'inside --sources'} {args.sources}: pick a folder apart from it"
    if sources.is_relative_to(out):
        return f"--sources {args.sources} is inside --out {args.out}: pick folders apart from each other"
    for option, path in (("--report", args.report), ("--cache-dir", args.cache_dir)):
        if path.resolve().is_relative_to(sources):
            return f"{option} {path} is inside --sources {args.sources}: the sources are never written"
    if _among_the_pages(args.report.resolve(), out):
        return (
            f"--report {args.report} is a page or a file the tool keeps in --out {args.out}: put it elsewhere (default build/report.json)"
        )
    if args.cache_dir.resolve().is_relative_to(out):
        return f"--cache-dir {args.cache_dir} is inside --out {args.out}: the cache would be published with the pages"
    return ""


def _among_the_pages(report: Path, out: Path) -> bool:
    """Whether the report would replace (or be taken for) a page, a .md.new or a file a run keeps in --out: inside
    articles/, a Markdown file anywhere in --out, a state file or the term index."""
    if not report.is_relative_to(out):
        return False
    inner = report.relative_to(out)
    kept = {s.name for s in state.STATE_FILES if s.folder == "out"} | {TERMS_FILE}
    return inner.parts[0] == PAGES_DIR or report.name.endswith((".md", ".md.new")) or str(inner) in kept


def _convert(args: argparse.Namespace) -> int:
    sources: Path = args.sources

    def settings_for(rel: str) -> settings.SourceSettings:
        return settings.load(settings.settings_path(sources / rel))

    cache = None if args.no_cache or _cache_refused(args.cache_dir) else Cache(args.cache_dir)
    result = pipeline.convert(sources, settings_for, progress=None if args.quiet else _progress, cache=cache, jobs=args.jobs)
    writer = PageWriter(args.out, force=args.force)
    paths = publish.assign_paths(result.articles, writer)
    corpus = (
        CorpusResult()
        if args.no_corpus
        else corpus_pass(result.articles, paths, None if cache is None else args.cache_dir / corpus_state.FILE)
    )
    published = publish.publish(result.articles, writer, paths, extra_meta=corpus.meta, refused=frozenset(r.path for r in result.refused))
    _write_terms(args.out / TERMS_FILE, corpus.terms)
    check.record_addresses(args.out)
    data = report.build_report(result, published, corpus.report)
    report.write_report(data, args.report)
    if not args.quiet:
        print(f"converted {len(result.articles)} article(s) from {len(data['sources'])} source(s) into {args.out}")
        print(report.summary_text(data, verbose=args.verbose))
        print(f"report: {args.report}")
        if cache is not None and cache.hits:
            print(f"cache: {cache.hits} source(s) unchanged, taken from {args.cache_dir}; {cache.misses} converted")
    elif result.refused:
        print(report.summary_text({**data, "sources": {}}), file=sys.stderr)
    blocked = [o for o in published.outcomes if o.status.startswith("not-regular")]
    for outcome in blocked if args.quiet else ():  # -q prints refusals: these pages are not written
        kind = outcome.status.removeprefix("not-regular: ")
        print(f"  ! {args.out / outcome.path}: {kind}, not a regular file: left alone, the page is not written", file=sys.stderr)
    return 1 if result.refused or blocked else 0


def _cache_refused(folder: Path) -> bool:
    """True (said on stderr) when --cache-dir cannot be the cache's folder: the run goes on without a cache."""
    problem = Cache.usable(folder)
    if problem:
        print(f"warning: --cache-dir {folder}: {problem}; {state.LEFT_ALONE}: every source is converted, no cache kept", file=sys.stderr)
    return bool(problem)


def _write_terms(path: Path, terms: dict) -> None:
    """The term index, unless something that is not a regular file is at its path (said, and left as it is)."""
    what = in_the_way(path)
    if what:
        state.warn(path, f"{what}{state.NOT_A_FILE}", f"{state.LEFT_ALONE}: the term index is not written, the site has no term pages")
        return
    atomic_write(path, dumps_indented(terms, sort_keys=True) + "\n")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every command and option explained."""
    parser = argparse.ArgumentParser(
        prog="python -m build_tools", description="工会工作文库: turn raw scraped texts into a clean, cross-linked site."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("convert", help="convert every *.txt under --sources into Markdown pages under --out")
    conv.add_argument("--sources", type=Path, default=Path("sources"), help="folder of raw texts (never modified; default: sources)")
    conv.add_argument(
        "--out", type=Path, default=Path("docs"), help="folder the pages are written into, nothing outside it (default: docs)"
    )
    conv.add_argument(
        "--report", type=Path, default=Path("build/report.json"), help="where the JSON build report goes (default: build/report.json)"
    )
    conv.add_argument("--force", action="store_true", help="regenerate pages even where they were edited by hand (the edits are lost)")
    conv.add_argument("--no-corpus", action="store_true", help="skip the corpus pass (related articles, duplicates, term index)")
    conv.add_argument(
        "--cache-dir",
        type=Path,
        default=Path("build/cache"),
        help="where converted sources are kept between runs, so only changed ones are converted again (default: build/cache)",
    )
    conv.add_argument("--no-cache", action="store_true", help="convert every source again; neither read nor write the cache")
    conv.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help=f"worker processes for the conversion (default: one per CPU from {pipeline.PARALLEL_FROM} sources to convert, else 1)",
    )
    conv.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when another convert is writing into --out, wait up to this long for it (default: 0, refuse at once)",
    )
    conv.add_argument("--verbose", "-v", action="store_true", help="list every change of every step on the terminal")
    conv.add_argument("--quiet", "-q", action="store_true", help="print only refusals")
    conv.set_defaults(func=cmd_convert)
    site.add_parser(sub)
    check.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except OSError as error:  # a folder or file that cannot be read or written: said with its path, no traceback
        print(f"error: {describe(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: every file written so far is whole (atomic writes), the next run goes on
        print("interrupted: the pages written so far are complete; run again to finish", file=sys.stderr)
        return 130
