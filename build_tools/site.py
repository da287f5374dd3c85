"""`python -m build_tools site`: build both editions of the site into site/.

Layout (why): the Simplified edition is the site's root (site/, the address people share; GitHub Pages'
404.html is served from the root) and the Traditional edition a complete second site under site/hant/,
with the same page paths, so the switcher maps /articles/x/ <-> /hant/articles/x/ without a lookup.
Each edition is one MkDocs configuration (mkdocs.yml, mkdocs.hant.yml: Material supports one language
per configuration). The home, browse, tag and term pages are generated at build time by
build_tools/mkdocs_hooks.py (from build_tools/browse.py), so nothing generated lands in docs/.
The two builds run in parallel; the Traditional one goes to a scratch folder and is moved into
site/hant/ once the Simplified build (which empties site/) is done.

Search: after the MkDocs builds, Pagefind (npm `pagefind`, over text cut in character pairs: build_tools/search_text.py)
indexes the Simplified edition into site/pagefind/ (and pagefind-2/... at scale: build_tools/search_index.py):
only what the hooks mark with data-pagefind-body (an article's text, a hand-written page's text, a term
page's title). The Traditional edition searches the same index: its search box converts the query to
Simplified and the results back (build_tools/hant_table.py). The offline copy (OFFLINE=true,
build_tools/offline.py) skips it and keeps Material's own search, because Pagefind fetches its index in
pieces and browsers refuse that from file://.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from build_tools import search_index

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"hans": "mkdocs.yml", "hant": "mkdocs.hant.yml"}
HANT_DIR = "hant"
# Material's own search (lunr's languages and the search worker, 1.2 MB per edition), which no page loads: every
# page's __config says "search": null, Pagefind searches the site. The offline copy keeps them: it searches with it.
UNUSED_THEME_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")


def _command(config: Path, site_dir: Path, strict: bool) -> list[str]:
    """The MkDocs build of one edition. Not `--quiet`: MkDocs' strict mode counts only the warnings it logs, and
    `--quiet` stops them from being logged, so `--quiet --strict` lets every warning through (exit 0)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    return [*cmd, "--strict"] if strict else cmd


# MkDocs' log lines: "WARNING -  Doc file 'about.md' contains a link ..."; INFO lines say nothing about the build.
_LEVEL = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+-\s")


def warnings_in(lines: list[str]) -> list[str]:
    """The WARNING and ERROR lines of MkDocs' output (which a strict build must not have)."""
    return [ln for ln in lines if (m := _LEVEL.match(ln)) and m.group(1) not in ("DEBUG", "INFO")]


def _offline() -> bool:
    from build_tools.offline import is_offline_build

    return is_offline_build()


def index(site_dir: Path, scratch: Path) -> int:
    """Pagefind over the Simplified edition (build_tools/search_index.py); returns the exit status."""
    started = time.monotonic()
    try:
        bundles = search_index.build(site_dir, scratch, skip=(HANT_DIR,))
    except Exception as exc:  # Pagefind's command failed (search_index says how), or a file could not be written
        print(f"site: Pagefind failed: {exc}", file=sys.stderr)
        return 1
    print(f"site: indexed the site with Pagefind into {', '.join(bundles)} in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return 0


def build(site_dir: Path, *, root: Path = ROOT, strict: bool = True, editions: tuple[str, ...] = ("hans", "hant")) -> int:
    """Build the editions into `site_dir` (Simplified at its root, Traditional under hant/); returns the exit status."""
    site_dir = site_dir.resolve()
    scratch = (root / "build" / "site-hant").resolve()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "PYTHONPATH": str(root)}
    jobs: dict[str, tuple[subprocess.Popen, Path]] = {}
    started = time.monotonic()
    for edition in editions:
        out = site_dir if edition == "hans" else scratch
        cmd = _command(root / EDITIONS[edition], out, strict)
        print(f"site: building {edition} -> {out if edition == 'hans' else site_dir / HANT_DIR}", file=sys.stderr)
        jobs[edition] = (subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), out)
    status = 0
    for edition, (proc, _) in jobs.items():
        output, _ = proc.communicate()
        lines = [ln for ln in output.splitlines() if ln.strip() and not _noise(ln) and not ln.startswith(("INFO", "DEBUG"))]
        if lines:
            print("\n".join(f"  [{edition}] {ln}" for ln in lines), file=sys.stderr)
        if proc.returncode:
            print(f"site: the {edition} edition failed (exit {proc.returncode}); see the messages above", file=sys.stderr)
            status = 1
        elif strict and warnings_in(lines):  # MkDocs' own count missed one (a plugin's logger, a changed default)
            print(f"site: the {edition} edition has {len(warnings_in(lines))} warning(s) (strict build); see above", file=sys.stderr)
            status = 1
    if status == 0 and not _offline():
        for _, out in jobs.values():
            _drop_unused(out)
        if "hans" in jobs:
            status = index(site_dir, (root / "build" / "pagefind-shard").resolve())
        else:
            print("site: no search index: the Traditional edition searches the Simplified one's", file=sys.stderr)
    if "hant" in jobs and status == 0:
        target = site_dir / HANT_DIR
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(scratch), str(target))
    if status == 0:
        pages = sum(1 for _ in site_dir.rglob("index.html"))
        print(f"site: built {pages} pages into {site_dir} in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return status


def _drop_unused(edition_dir: Path) -> None:
    """Delete UNUSED_THEME_FILES from a built edition (folders only: a link there is left as it is)."""
    for name in UNUSED_THEME_FILES:
        path = edition_dir / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)


def _noise(line: str) -> bool:
    """jieba's start-up chatter and Material's end-of-life banner, which say nothing about the build."""
    noise = ("Building prefix dict", "Loading model", "Prefix dict has been built", "Dumping model", "Material for MkDocs", "│", "Zensical")
    return any(n in line for n in noise)


def cmd_site(args: argparse.Namespace) -> int:
    """Build the site (both editions unless --edition)."""
    editions = ("hans", "hant") if args.edition == "both" else (args.edition,)
    return build(args.site_dir, strict=not args.no_strict, editions=editions)


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the `site` command."""
    p = sub.add_parser("site", help="generate home/browse/term pages and build the zh-Hans and zh-Hant editions into site/")
    p.add_argument("--site-dir", type=Path, default=ROOT / "site", help="where the site goes (default: site/; zh-Hant under its hant/)")
    p.add_argument("--edition", choices=("both", "hans", "hant"), default="both", help="build only one edition (default: both)")
    p.add_argument("--no-strict", action="store_true", help="let warnings through instead of failing (for drafts)")
    p.set_defaults(func=cmd_site)
