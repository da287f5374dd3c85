"""Benchmark of the corpus pass on synthetic articles: `python -m build_tools.bench_corpus 1000 10000`.

The synthetic articles are recombined from the seeds' sentences (deterministic from a seed number):
each article draws paragraphs of 2-5 random sentences, so articles share stock phrases and some
sentences as real reports of one genre do, without whole paragraphs repeating. One article in fifty is
a near-duplicate of an earlier one (a few sentences replaced), one in a hundred an exact copy, and one
source in forty is a compilation of three parts.

`bench(n, seed)` returns the wall time of `corpus_pass` and, from a second run under tracemalloc,
its peak traced memory (of the main process: see `bench`); plus what the pass found, to check the run
was a fair one.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from typing import Any

from .article import Article, Block, Source
from .corpus import corpus_pass
from .publish import article_key
from .synth import near_copy, seed_material


def synthetic(n: int, seed: int) -> tuple[list[Article], dict[str, str]]:
    """n articles and their page paths, the same for the same (n, seed)."""
    rng = random.Random(seed)
    sentences, titles = seed_material()  # the seeds' sentences, and their headings as titles
    articles: list[Article] = []
    bodies: list[list[str]] = []
    source_no = 0
    while len(articles) < n:
        source_no += 1
        parts = 3 if source_no % 40 == 0 else 1
        parts = min(parts, n - len(articles))
        for part in range(1, parts + 1):
            roll = rng.random()
            if bodies and roll < 0.02:  # near-duplicate
                body = near_copy(rng, bodies, sentences)
            elif bodies and roll < 0.03:  # exact copy
                body = [list(p) for p in rng.choice(bodies)]
            else:
                body = [[rng.choice(sentences) for _ in range(rng.randint(2, 5))] for _ in range(rng.randint(8, 24))]
            bodies.append(body)
            blocks = [Block("paragraph", "".join(p)) for p in body]
            source = Source(f"synthetic/{source_no:05d}.txt", f"{source_no:064x}", "utf-8")
            title = f"{rng.choice(titles)}（{len(articles) + 1}）"
            articles.append(Article(source, [], blocks=blocks, meta={"title": title}, part=part, parts=parts))
    paths = {article_key(a): f"articles/s{i:05d}.md" for i, a in enumerate(articles)}
    return articles, paths


def bench(n: int, seed: int) -> dict[str, Any]:
    """Time (s) and peak traced memory (MiB) of corpus_pass on n synthetic articles, and what it found."""
    articles, paths = synthetic(n, seed)
    chars = sum(len(b.text) for a in articles for b in a.blocks)
    start = time.perf_counter()
    result = corpus_pass(articles, paths)
    seconds = time.perf_counter() - start
    # The first run gave every article its features (segmentation, fingerprint: features.py), so this traced
    # run measures what the pass itself keeps, not the segmenter's scratch memory.
    tracemalloc.start()
    try:
        corpus_pass(articles, paths)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    report = result.report
    return {
        "articles": n,
        "chars": chars,
        "seconds": round(seconds, 2),
        "peak_mib": round(peak / 2**20, 1),
        "pairs_considered": report["pairs_considered"],
        "pairs_verified": report["pairs_verified"],
        "duplicates": len(report["duplicates"]),
        "exact": sum(1 for d in report["duplicates"] if d["kind"] == "exact"),
        "without_related": len(report["related"]["without_related"]),
    }


def main(argv: list[str] | None = None) -> int:
    """Print one benchmark line per size asked for."""
    parser = argparse.ArgumentParser(description="benchmark the corpus pass on synthetic articles")
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000], help="numbers of articles (default: 1000 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the synthetic corpus")
    args = parser.parse_args(argv)
    for n in args.sizes:
        print(bench(n, args.seed), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
