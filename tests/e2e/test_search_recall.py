"""Search finds every article that contains the query, in both editions, at the seed library and at 1,000 sources.

Queries are drawn when the test runs from the built library (tests/e2e/recall.py says how) with a seed printed
in every failure: WENKU_RECALL_SEED=<seed> repeats a run. Every query is typed into the header's search box in
headless Chromium, the reader's path; the tab fails on a console error or a request off 127.0.0.1.

The 1,000-source library (build_tools.synth, the bench's generator) is built once per session (about half a
minute). `make test` searches a random sample of it (RECALL_SAMPLE queries of each kind); `make recall`
(WENKU_RECALL_FULL=1) searches the full sample of the issue: every term, 200 words, 50 phrases, RECALL_SAMPLE of
each kind typed into the box and the others through `window.wenkuSearch` (wenku-search.js: the box's own
conversion and cut over Pagefind's API, checked equal to the box on every typed query), which lists a
term's hundreds of results without rendering them.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.browser import serve

from . import recall

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("WENKU_RECALL_SEED") or random.SystemRandom().randrange(1 << 30))
FULL = os.environ.get("WENKU_RECALL_FULL") == "1"
RECALL_SAMPLE = 5  # queries of each kind at 1,000 sources in `make test` (the full sample: `make recall`)


def _check(guarded, base_url: str, lib: recall.Library, queries: dict[str, list[str]], edition: str, typed_max: int | None = None) -> None:
    page, _ = guarded
    out = recall.run(page, base_url, lib, queries, edition, typed_max)
    print(f"recall {edition or 'hans'} (seed {SEED}, {out.typed} typed into the box): {out.summary()}")
    assert not out.disagree, f"seed {SEED}, {edition or 'hans'}: the box and wenkuSearch differ: " + "\n".join(out.disagree[:20])
    for line in out.ambiguous:  # reported, not failed: a Traditional text with two readings in the library (dev/search.md)
        print(f"recall {edition} (seed {SEED}), ambiguous: {line}")
    assert not out.misses, f"seed {SEED} (WENKU_RECALL_SEED={SEED} repeats it), {edition or 'hans'}: " + "\n".join(out.misses[:20])


@pytest.fixture(scope="module")
def seed_library(built_site) -> recall.Library:
    return recall.load(built_site)


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_seed_library_every_article_with_the_query_is_found(guarded, base_url, seed_library, edition):
    queries = recall.draw(seed_library, SEED)
    assert queries["terms"] and len(queries["words"]) == 200 and len(queries["phrases"]) == 50, {k: len(v) for k, v in queries.items()}
    _check(guarded, base_url, seed_library, queries, edition)


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> Path:
    """1,000 synthetic sources (synth seed 1), converted and built as `make site` does (both editions)."""
    from build_tools import bench, site, synth

    root = tmp_path_factory.mktemp("recall1000")
    synth.generate(1000, root / "sources", 1)
    (root / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "about.md", root / "docs" / "about.md")
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")
    cmd = [sys.executable, "-m", "build_tools", "convert", "--sources", str(root / "sources"), "--out", str(root / "docs")]
    cmd += ["--cache-dir", str(root / "cache"), "--report", str(root / "report.json")]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    bench._configs(root, None)
    assert site.build(root / "site", root=root) == 0
    return root / "site"


@pytest.fixture(scope="module")
def synthetic(synthetic_site):
    with serve(synthetic_site) as url:
        yield url, recall.load(synthetic_site)


@pytest.mark.parametrize("edition", ["", "hant/"])
def test_1000_sources_every_article_with_the_query_is_found(guarded, synthetic, edition):
    url, lib = synthetic
    assert len(lib.texts) > 1000
    queries = recall.draw(lib, SEED)
    rng = random.Random(SEED)
    queries = {kind: rng.sample(qs, len(qs) if FULL else min(RECALL_SAMPLE, len(qs))) for kind, qs in queries.items()}
    # every query of `make test`'s sample typed into the box; the full sample's others through wenkuSearch
    _check(guarded, url, lib, queries, edition, RECALL_SAMPLE)
