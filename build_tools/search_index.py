"""The site's search index: Pagefind over the Simplified edition, in shards of bounded memory.

One index serves both editions: the Traditional edition's search box converts the query to Simplified
and the results back (build_tools/hant_table.py, assets/javascripts/wenku-search.js). Pagefind's
Chinese segmentation costs about 400 KB of memory per page while it indexes (4.4 GB for 11,000
articles in one run), so the pages go into shards of at most SHARD_PAGES, indexed one after the other
into pagefind/, pagefind-2/, ...; the browser searches them together (Pagefind's mergeIndex), and
pagefind/wenku-bundles.json lists them for it. Each shard is Pagefind's command line run over a scratch
folder holding hard links to the shard's pages (same relative paths, so the same addresses); Pagefind's
Python API would take them one by one, 20 times slower (118 s instead of 6 s for 1,100 pages).
Only pages with an element marked data-pagefind-body are indexed (build_tools/mkdocs_hooks.py decides).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

SHARD_PAGES = 3000
LANGUAGE = "zh-cn"
BUNDLES_FILE = "wenku-bundles.json"
MARK = "data-pagefind-body"


def indexed_pages(site_dir: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    """The built pages Pagefind indexes (marked ones), in a stable order; folders in `skip` are left out."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).parts
        if rel[0] in skip:
            continue
        if MARK in path.read_text(encoding="utf-8"):
            pages.append(path)
    return pages


def shards(pages: list[Path], size: int = SHARD_PAGES) -> list[list[Path]]:
    """Pages cut into runs of at most `size`, as evenly as possible (3,001 pages: 1,501 + 1,500)."""
    if not pages:
        return []
    count = -(-len(pages) // size)
    step, extra = divmod(len(pages), count)
    out, start = [], 0
    for k in range(count):
        end = start + step + (1 if k < extra else 0)
        out.append(pages[start:end])
        start = end
    return out


def bundle_name(k: int) -> str:
    """The folder of shard k (0-based): pagefind/, pagefind-2/, ..."""
    return "pagefind" if k == 0 else f"pagefind-{k + 1}"


def _stage(site_dir: Path, pages: list[Path], scratch: Path) -> None:
    """`scratch` made to hold the pages at their paths under `site_dir`: hard links (copies across file systems)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    for page in pages:
        target = scratch / page.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, target)
        except OSError:
            shutil.copyfile(page, target)


def _pagefind(site: Path, out: Path) -> None:
    """Pagefind's command line over `site`, its bundle written to `out`; raises with its output when it fails."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out), "--force-language", LANGUAGE, "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"pagefind exited with {proc.returncode}: {(proc.stdout + proc.stderr).strip()[-2000:]}")


def build(site_dir: Path, scratch: Path, skip: tuple[str, ...] = (), size: int = SHARD_PAGES) -> list[str]:
    """Index the marked pages of `site_dir` into its pagefind*/ folders, one shard at a time (staged under
    `scratch`, removed afterwards); returns the bundle folders written."""
    for old in site_dir.glob("pagefind*"):
        if old.is_dir():
            shutil.rmtree(old)
    names = []
    try:
        for k, pages in enumerate(shards(indexed_pages(site_dir, skip), size)):
            name = bundle_name(k)
            _stage(site_dir, pages, scratch)
            _pagefind(scratch, (site_dir / name).resolve())
            names.append(name)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)
    if names:
        listing = {"bundles": [f"{n}/" for n in names]}
        (site_dir / names[0] / BUNDLES_FILE).write_text(json.dumps(listing) + "\n", encoding="utf-8")
    return names
