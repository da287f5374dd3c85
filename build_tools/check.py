"""`python -m build_tools check`: what a contributor must fix before publishing.

Checks every page under docs/articles: front matter against the schema (file and line of each
error), duplicate addresses, pages whose source is gone, generated pages edited by hand (a notice,
not an error), and that no published address disappeared without a redirect; and the links and
anchors of every page under docs/, in both editions (build_tools/links.py).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import addresses, files
from .dates import DATE_FORM, not_in_calendar  # one test of a date for the text, settings files and pages
from .settings import FRONT_MATTER  # one schema for settings files and pages
from .write import load_manifest, sha256_text

ADDRESSES = addresses.FILE  # every address ever published, one per line (docs-relative .md path)
REQUIRED = {key: FRONT_MATTER[key] for key in ("title", "source_file", "source_part")}
OPTIONAL = {key: kind for key, kind in FRONT_MATTER.items() if key not in REQUIRED}


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the strings written (2020-13-01 is an error to report, not a crash)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Problem:
    """One finding: file, line, message; errors fail the check, notices do not."""

    file: str
    line: int
    message: str
    error: bool = True

    def __str__(self) -> str:
        return f"{'error' if self.error else 'note'}: {self.file}:{self.line}: {self.message}"


def front_matter(path: Path) -> tuple[dict[str, Any] | None, list[Problem], str]:
    """Parse a page's front matter; return (data, problems, body)."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None, [Problem(str(path), 1, "no front matter: the page must start with a line '---'")], text
    end = text.find("\n---\n", 4)
    if end < 0:
        return None, [Problem(str(path), 1, "front matter is not closed by a line '---'")], text
    try:
        data = yaml.load(text[4:end], Loader=_Loader) or {}
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else 1
        return None, [Problem(str(path), line, f"front matter is not valid YAML: {error.problem}")], text
    if not isinstance(data, dict):
        return None, [Problem(str(path), 2, "front matter must be a mapping of fields")], text
    return data, [], text[end + 5 :]


def _line_of(path: Path, key: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return n
    return 1


def check_schema(path: Path, data: dict[str, Any]) -> list[Problem]:
    """Field types and formats of one page's front matter."""
    problems = []
    for key, kind in REQUIRED.items():
        if key not in data:
            problems.append(Problem(str(path), 1, f"missing required field '{key}'"))
        elif not isinstance(data[key], kind) or data[key] in ("", None):
            problems.append(Problem(str(path), _line_of(path, key), f"'{key}' must be a non-empty {kind.__name__}"))
    for key, value in data.items():
        if key in REQUIRED:
            continue
        if key not in OPTIONAL:
            problems.append(Problem(str(path), _line_of(path, key), f"unknown field '{key}' (see the schema in CONTRIBUTING.md)"))
        elif not isinstance(value, OPTIONAL[key]) or (OPTIONAL[key] is int and isinstance(value, bool)):
            problems.append(Problem(str(path), _line_of(path, key), f"'{key}' must be a {OPTIONAL[key].__name__}, got {value!r}"))
    if "date" in data and not DATE_FORM.match(str(data["date"])):
        problems.append(
            Problem(str(path), _line_of(path, "date"), f"date {data['date']!r} is not 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (quote it)")
        )
    elif "date" in data and not_in_calendar(str(data["date"])):
        problems.append(Problem(str(path), _line_of(path, "date"), f"date {not_in_calendar(str(data['date']))}"))
    return problems


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: MkDocs' own tags (!ENV, !!python/…) are read as nothing."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def redirects(config: Path) -> set[str]:
    """Old addresses that the configuration redirects (plugin mkdocs-redirects, redirect_maps)."""
    if not config.exists():
        return set()
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("redirects"), dict):
            return set((plugin["redirects"].get("redirect_maps") or {}).keys())
    return set()


def run_check(docs: Path, sources: Path, config: Path) -> list[Problem]:
    """Every problem of the docs folder, sorted by file and line."""
    problems: list[Problem] = []
    pages = sorted(p for p in (docs / "articles").glob("*.md") if not p.name.endswith(".hant.md")) if (docs / "articles").exists() else []
    strange = _not_regular(docs)
    pages = [p for p in pages if p not in strange]
    manifest, damaged = _state_of(docs)
    problems += damaged + list(strange.values())
    hashes = {entry["path"]: entry["sha256"] for entry in manifest.values()}
    existing = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    claimed: dict[tuple[str, int], Path] = {}
    for page in pages:
        rel = page.relative_to(docs).as_posix()
        data, found, _body = front_matter(page)
        problems += found
        if data is None:
            continue
        problems += check_schema(page, data)
        claim = (str(data.get("source_file")), data.get("source_part"))
        if claim in claimed:
            problems.append(
                Problem(str(page), 1, f"{claim[0]} part {claim[1]} is already the page {claimed[claim].name}: keep one of the two")
            )
        claimed.setdefault(claim, page)
        source = data.get("source_file")
        if isinstance(source, str) and not (sources / source).resolve().is_relative_to(sources.resolve()):
            problems.append(
                Problem(str(page), _line_of(page, "source_file"), f"source_file {source!r} is outside {sources}: name a file under it")
            )
        elif isinstance(source, str) and not (sources / source).exists():
            problems.append(
                Problem(
                    str(page),
                    _line_of(page, "source_file"),
                    f"its source {source} is gone: restore it, or delete the page and declare a redirect",
                )
            )
        if rel in hashes and sha256_text(page.read_text("utf-8")) != hashes[rel]:
            problems.append(
                Problem(
                    str(page),
                    1,
                    "edited by hand: kept by every rebuild (make a settings file beside the source for a fix that survives re-conversion)",
                    error=False,
                )
            )
    problems += check_links(docs, config)
    for pending in sorted(docs.rglob("*.md.new")):
        problems.append(
            Problem(
                str(pending),
                1,
                f"a regenerated version waits to be merged into {pending.name.removesuffix('.new')}: merge it, then delete this file",
            )
        )
    recorded = docs / ADDRESSES
    known, unusable = addresses.read(docs)
    problems += [Problem(str(recorded), 1, what.partition(": ")[2] + ": run convert to repair it") for what in unusable]
    if known:
        moved = redirects(config)
        for address in known:
            if address not in existing and address not in moved:
                problems.append(
                    Problem(
                        str(recorded),
                        1,
                        f"published address {address} would disappear: add it to plugins.redirects.redirect_maps in {config.name}",
                    )
                )
    return sorted(problems, key=lambda p: (p.file, p.line, p.message))


def check_links(docs: Path, config: Path) -> list[Problem]:
    """Every link of every page under docs/, in both editions, anchors included (build_tools/links.py)."""
    from .links import check_links as broken_links

    return [Problem(str(docs / found.page), found.line, found.message) for found in broken_links(docs, config)]


def record_addresses(docs: Path) -> None:
    """Add every current article address to the record (it only grows; addresses.record)."""
    addresses.record(docs)


def _not_regular(docs: Path) -> dict[Path, Problem]:
    """Every link, FIFO, device... under the docs folder: an error each (the site would publish what a link points to)."""
    found = {}
    for path in sorted(docs.rglob("*")):
        kind = files.kind(path.lstat().st_mode)
        if kind and kind != "a folder":
            found[path] = Problem(str(path), 1, f"{kind}, not a regular file: pages and their files must be regular files (copy it)")
    return found


def _state_of(docs: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The manifest's usable entries and, as errors, what convert would warn about it (convert repairs it)."""
    found: list[Problem] = []
    manifest = load_manifest(
        docs, lambda path, problem, _action: found.append(Problem(str(path), 1, f"{problem}: run convert to repair it"))
    )
    return manifest, found


def cmd_check(args: argparse.Namespace) -> int:
    """Print problems; exit 1 when any is an error."""
    problems = run_check(args.docs, args.sources, args.config)
    for problem in problems:
        print(problem, file=sys.stderr if problem.error else sys.stdout)
    errors = sum(p.error for p in problems)
    print(f"check: {errors} error(s), {len(problems) - errors} note(s) in {args.docs}")
    return 1 if errors else 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the `check` command."""
    p = sub.add_parser("check", help="check front matter, links, stale and hand-edited pages, vanished addresses")
    p.add_argument("--docs", type=Path, default=Path("docs"), help="the docs folder (default: docs)")
    p.add_argument("--sources", type=Path, default=Path("sources"), help="the raw sources folder (default: sources)")
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration with redirects (default: mkdocs.yml)")
    p.set_defaults(func=cmd_check)
