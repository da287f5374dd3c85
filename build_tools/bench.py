"""`make bench` / `python -m build_tools.bench [--sizes 100,1000,10000]`: the library at scale, measured.

For each size N, in build/bench/N/ (git-ignored):
1. `synth.generate(N)` writes N raw sources (deterministic from --seed);
2. conversion + corpus pass + publishing, as `python -m build_tools convert` does it, in a child process
   (empty cache, so everything is converted and the cache filled); time of each stage and the peak memory
   of the child's whole process tree (worker processes included; proportional set sizes summed, so pages
   forked workers share are counted once), sampled every 0.2 s from /proc;
3. rebuilds after one source changed (one sentence appended; EDITS edits of different sources, one after the
   other): the same with the cache, each in its own child process; the first edit is the same in every run;
4. the site, both editions (`build_tools.site.build`, exactly what `make site` runs), from a copy of
   mkdocs.yml / mkdocs.hant.yml pointing at this folder; time, peak memory of the process tree;
5. the naive configuration: the Simplified edition with every article in a flat `nav:` (Material then
   renders the whole list into every page), for N up to --naive-max (at 10,000 it would write ~10,000 x
   2 MB); above that the per-page size is extrapolated from the smaller sizes and marked as such;
6. sizes: the site on disk (both editions), article pages (median, largest, and what a page adds beyond its
   own Markdown text, in each edition), the search index (one, shared by both editions; its shards);
7. search in headless Chromium (Debian's chromium, like tests/e2e): open the home page, type 职工之家
   (the Traditional edition's: 職工之家); the time from the query's input event to the first result in the
   page (measured in the page; Playwright's wall time as well), and the bytes downloaded until then.

Results are printed as a table and written to bench/results.json (keys sorted; only measured figures change
between runs). Each stage's command line is in the JSON so a figure can be reproduced on its own.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import select
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench"
RESULTS = ROOT / "bench" / "results.json"
QUERY = "职工之家"
QUERY_HANT = "職工之家"
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- memory of a process tree


def _tree_memory(pid: int, exclude: int | None = None) -> int:
    """Memory of `pid` and all its descendants but `exclude` (from /proc): the sum of their proportional set sizes."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
                parents[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, todo = set(), [pid]
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    while todo:
        p = todo.pop()
        if p not in tree:
            tree.add(p)
            todo.extend(children.get(p, []))
    return sum(_pss(p) for p in tree if p != exclude)


def _pss(pid: int) -> int:
    """Proportional set size of one process (bytes): its private memory plus its share of pages it shares.

    Summed over a process tree this counts a page the forked workers share with their parent once, where
    summing RSS would count it once per process (the conversion's forked workers share the segmenter's dictionary and OpenCC's tables).
    Falls back to RSS where smaps_rollup is unreadable.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


class Sampler:
    """Peak memory (summed PSS) of this process's tree, per phase (set `phase`).

    Sampled every `interval` seconds by a watcher process (`watch`), and by `sample` at the end of each phase.
    The watcher is a fresh interpreter started with `subprocess`: a thread of the measured process took a tenth
    of its time (0.2 s of a 2 s stage), a forked watcher would share its pages and so take half of them out
    of its PSS, and multiprocessing's "spawn" starts a resource tracker that would be counted. The watcher's
    own memory is not counted.
    """

    def __init__(self, interval: float = 0.5) -> None:
        self.peaks: dict[str, int] = {}
        self._names = ["start"]
        self._interval = interval
        self._watcher: subprocess.Popen | None = None

    @property
    def phase(self) -> str:
        """The phase memory is being sampled for."""
        return self._names[-1]

    @phase.setter
    def phase(self, name: str) -> None:
        self._names.append(name)
        if self._watcher is not None and self._watcher.stdin is not None:
            self._watcher.stdin.write(f"{len(self._names) - 1}\n".encode())
            self._watcher.stdin.flush()

    def sample(self) -> None:
        """Sample now, in this process."""
        used = _tree_memory(os.getpid(), exclude=self._watcher.pid if self._watcher else None)
        self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), used)

    def __enter__(self) -> Sampler:
        command = [sys.executable, "-m", "build_tools.bench", "--stage", "watch", str(os.getpid()), str(self._interval)]
        self._watcher = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        return self

    def __exit__(self, *exc) -> None:
        assert self._watcher is not None
        found, _ = self._watcher.communicate()  # closing its input stops it
        for number, used in json.loads(found or b"{}").items():
            name = self._names[int(number)]
            self.peaks[name] = max(self.peaks.get(name, 0), used)


def watch(pid: int, interval: float) -> dict[int, int]:
    """The watcher: the peak memory of `pid`'s tree (without itself) per phase number, the phase number read
    from its input (one line each time it changes) until the input is closed."""
    peaks: dict[int, int] = {}
    phase, me = 0, os.getpid()
    while True:
        used = _tree_memory(pid, exclude=me)
        peaks[phase] = max(peaks.get(phase, 0), used)
        ready, _, _ = select.select([0], [], [], interval)
        if ready:
            data = os.read(0, 4096)
            if not data:
                return peaks
            phase = int(data.split()[-1])


def _mib(n: float) -> float:
    return round(n / 2**20, 1)


# ---------------------------------------------------------------- stages (each run in a child process)


def stage_convert(sources: Path, docs: Path, cache_dir: Path, report: Path) -> dict[str, Any]:
    """`python -m build_tools convert` with each stage timed (wrappers around pipeline.convert and corpus_pass)."""
    from . import cli, pipeline

    times: dict[str, float] = {}
    with Sampler() as sampler:
        convert, corpus = pipeline.convert, cli.corpus_pass

        def timed(fn, phase: str, then: str | None = None):
            """`fn` with its time stored under `phase` and the memory sampled while it runs."""

            def run(*args, **kwargs):
                sampler.phase = phase
                start = time.perf_counter()
                result = fn(*args, **kwargs)
                times[phase] = time.perf_counter() - start
                sampler.sample()
                if phase == "convert":
                    times["cache_misses"] = kwargs["cache"].misses if kwargs.get("cache") else -1
                if then:
                    sampler.phase = then
                return result

            return run

        timed_convert, timed_corpus = timed(convert, "convert"), timed(corpus, "corpus", then="publish")
        pipeline.convert, cli.corpus_pass = timed_convert, timed_corpus
        start = time.perf_counter()
        status = cli.main(
            ["convert", "--sources", str(sources), "--out", str(docs), "--report", str(report), "--cache-dir", str(cache_dir), "-q"]
        )
        total = time.perf_counter() - start
        sampler.sample()
    return {
        "status": status,
        "convert_s": round(times["convert"], 2),
        "corpus_s": round(times["corpus"], 2),
        "total_s": round(total, 2),
        "converted_sources": times["cache_misses"],
        "peak_convert_mib": _mib(sampler.peaks.get("convert", 0)),
        "peak_corpus_mib": _mib(sampler.peaks.get("corpus", 0)),
        "peak_mib": _mib(max(sampler.peaks.values())),
    }


def stage_site(root: Path, site_dir: Path, editions: tuple[str, ...]) -> dict[str, Any]:
    """`build_tools.site.build` of a bench folder (its own mkdocs.yml), timed, with the tree's peak memory (summed PSS)."""
    from . import site

    with Sampler() as sampler:
        start = time.perf_counter()
        status = site.build(site_dir, root=root, editions=editions)
        seconds = time.perf_counter() - start
    return {"status": status, "site_s": round(seconds, 2), "peak_mib": _mib(max(sampler.peaks.values()))}


def _child(stage: str, *args: str) -> dict[str, Any]:
    """Run a stage in a fresh interpreter (so its memory is its own); returns its JSON result."""
    cmd = [sys.executable, "-m", "build_tools.bench", "--stage", stage, *args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"bench: stage {stage} failed (exit {proc.returncode})")
    return json.loads(lines[-1])


# ---------------------------------------------------------------- one size

EDITS = 6  # one-source edits measured one after the other (each rebuild reuses the last one's cache)


def _edits(paths: list[Path], seed: int) -> list[tuple[Path, str]]:
    """The edits of the rebuild measurements: first the middle source gets a fixed sentence (the same in every
    run of the bench), then EDITS - 1 other sources each get a sentence of yet another source (deterministic
    from `seed`): a sentence a source did not have can move the IDF of a word or not, the figures show both."""
    rng = random.Random(seed)
    edits = [(paths[len(paths) // 2], "各级工会要把职工之家建设摆在更加突出的位置。")]
    for k in range(1, EDITS):
        changed = paths[(len(paths) * (2 * k - 1)) // (2 * EDITS)]
        text = rng.choice(paths).read_bytes().decode("utf-8", "ignore").replace("\n", "。")
        sentences = [x for x in text.split("。") if 10 <= len(x) <= 60 and re.search(r"[\u4e00-\u9fff]{8}", x)]
        edits.append((changed, (rng.choice(sentences) if sentences else "职工之家建设") + "。"))
    return edits


def _append(path: Path, sentence: str) -> None:
    """Append a line to a source in the source's own encoding."""
    from .decode import decode

    data = path.read_bytes()
    path.write_bytes(data + f"\n{sentence}\n".encode(decode(data)[1]))


def _configs(root: Path, naive_pages: list[str] | None) -> None:
    """mkdocs.yml / mkdocs.hant.yml for a bench folder: the project's own, with paths made absolute."""
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("  - build_tools/mkdocs_hooks.py", f"  - {ROOT / 'build_tools' / 'mkdocs_hooks.py'}")
    if naive_pages is not None:
        listing = "\n".join(f"      - {p}" for p in naive_pages)
        text = re.sub(r"\nnav:\n(  .*\n)+", lambda m: m.group(0) + f"  - 文章:\n{listing}\n", text)
    (root / "mkdocs.yml").write_text(text, "utf-8")
    shutil.copy(ROOT / "mkdocs.hant.yml", root / "mkdocs.hant.yml")


def _pages(site: Path, docs: Path) -> dict[str, Any]:
    """Sizes of the article pages of one edition: HTML, and HTML beyond the page's own Markdown text."""
    sizes, extra = [], []
    for html in sorted((site / "articles").glob("*/index.html")):
        md = docs / "articles" / f"{html.parent.name}.md"
        if not md.is_file():
            continue
        text = md.read_bytes()
        body = text.split(b"---\n", 2)[2] if text.startswith(b"---\n") else text
        size = html.stat().st_size
        sizes.append(size)
        extra.append(size - len(body))
    if not sizes:
        return {}
    return {
        "article_pages": len(sizes),
        "html_median_kb": round(statistics.median(sizes) / 1000, 1),
        "html_max_kb": round(max(sizes) / 1000, 1),
        "overhead_median_kb": round(statistics.median(extra) / 1000, 1),
        "overhead_max_kb": round(max(extra) / 1000, 1),
    }


def _disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _index(site: Path) -> dict[str, Any]:
    """Size of the search index: Pagefind's folders (pagefind/, pagefind-2/...: fetched in pieces, already
    compressed), or Material's one-file index."""
    folders = sorted(p for p in site.glob("pagefind*") if p.is_dir())
    if folders:
        files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
        raw = sum(p.stat().st_size for p in files)
        mb = round(raw / 1e6, 2)
        return {"search_index_mb": mb, "search_index_gzip_mb": mb, "search_index_files": len(files), "search_index_shards": len(folders)}
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return {}
    data = path.read_bytes()
    return {"search_index_mb": round(len(data) / 1e6, 2), "search_index_gzip_mb": round(len(gzip.compress(data, 6)) / 1e6, 2)}


# In the page: when the query arrives (the input event) and when the first result's link is in the page.
# The difference is what a reader waits; Playwright's own wall time adds its round trips for the click and
# the typing and its polling for the result (0.3-0.5 s here), kept as search_wall_s.
_WATCH = """() => {
  window.__wk = {};
  const now = () => performance.now();
  document.querySelector('.pagefind-ui__search-input').addEventListener('input', () => { window.__wk.input ??= now(); });
  new MutationObserver(() => {
    if (!window.__wk.link && document.querySelector('.pagefind-ui__result-link')) window.__wk.link = now();
  }).observe(document.body, { subtree: true, childList: true });
}"""


def search_timing(site: Path, query: str = QUERY, edition: str = "") -> dict[str, Any]:
    """Headless Chromium: an edition's home page ("" or "hant/"), type the query, time to the first result and
    bytes downloaded until then."""
    sys.path.insert(0, str(ROOT))
    from build_tools.browser import browser_context, chromium_available, serve

    if not chromium_available():
        return {"search_error": "chromium not installed"}
    got: list[tuple[str, int]] = []
    with serve(site) as url, browser_context(viewport={"width": 1280, "height": 900}, locale="zh-CN") as ctx:
        page = ctx.new_page()

        def on_finished(request) -> None:
            sizes = request.sizes()
            got.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

        page.on("requestfinished", on_finished)
        page.goto(url + edition, wait_until="load")
        box = page.locator(".pagefind-ui__search-input")  # the site's search box (Pagefind, overrides/)
        box.wait_for(state="visible", timeout=60_000)  # mounted once the bundle list (and hant table) arrived
        page.evaluate(_WATCH)
        loaded = sum(n for _, n in got)
        start = time.perf_counter()
        box.click()
        box.fill(query)
        page.locator(".pagefind-ui__result-link").first.wait_for(state="visible", timeout=300_000)
        seconds = time.perf_counter() - start
        marks = page.evaluate("() => window.__wk")
        count = page.locator(".pagefind-ui__message").first.inner_text()
        total = sum(n for _, n in got)
        index = sum(n for u, n in got if "/pagefind" in u)
        page.close()
    return {
        "search_first_result_s": round((marks["link"] - marks["input"]) / 1000, 2),
        "search_wall_s": round(seconds, 2),
        "search_result_meta": count.strip(),
        "search_bytes_to_first_result_mb": round(total / 1e6, 2),
        "search_bytes_after_load_mb": round((total - loaded) / 1e6, 2),
        "search_index_fetched_mb": round(index / 1e6, 2),
    }


def bench_size(n: int, seed: int, naive_max: int, search: bool, site_too: bool = True) -> dict[str, Any]:
    """Every measurement for one size (see the module docstring)."""
    from . import synth

    root = WORK / str(n)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    sources, docs, cache = root / "sources", root / "docs", root / "cache"
    print(f"bench {n}: generating sources", file=sys.stderr, flush=True)
    paths = synth.generate(n, sources, seed)
    raw = sum(p.stat().st_size for p in paths)
    out: dict[str, Any] = {"sources": n, "raw_mb": round(raw / 1e6, 2)}
    docs.mkdir()
    for name in ("about.md", "assets"):
        src = ROOT / "docs" / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, docs / name)

    print(f"bench {n}: conversion + corpus pass", file=sys.stderr, flush=True)
    conv = _child("convert", str(sources), str(docs), str(cache), str(root / "report.json"))
    out["articles"] = len([p for p in (docs / "articles").glob("*.md") if not p.name.endswith(".hant.md")])
    out["convert"] = conv
    out["convert"]["mb_per_s"] = round(raw / 1e6 / (conv["convert_s"] + conv["corpus_s"]), 2)
    out["convert"]["convert_only_mb_per_s"] = round(raw / 1e6 / conv["convert_s"], 2)

    print(f"bench {n}: rebuilds after one source changed", file=sys.stderr, flush=True)
    runs = []
    for number, (changed, sentence) in enumerate(_edits(paths, seed)):
        _append(changed, sentence)
        runs.append(_child("convert", str(sources), str(docs), str(cache), str(root / "report.json")))
        if number == 0:
            out["rebuild_one"] = runs[0]
    spent = sorted(round(r["convert_s"] + r["corpus_s"], 2) for r in runs)
    out["rebuild_one"]["edits"] = {
        "runs": len(runs),
        "convert_corpus_s": spent,
        "median_s": round(statistics.median(spent), 2),
        "max_s": spent[-1],
    }

    if not site_too:
        return out
    print(f"bench {n}: site (both editions)", file=sys.stderr, flush=True)
    _configs(root, None)
    site = root / "site"
    out["site"] = _child("site", str(root), str(site), "hans,hant")
    out["site"].update(
        {
            "disk_mb": round(_disk(site) / 1e6, 1),
            "disk_hans_mb": round((_disk(site) - _disk(site / "hant")) / 1e6, 1),
            "pages": sum(1 for _ in site.rglob("index.html")),
            "hans": {**_pages(site, docs), **_index(site)},
            "hant": _pages(site / "hant", docs),
        }
    )

    if n <= naive_max:
        print(f"bench {n}: naive site (flat nav of every article, Simplified edition)", file=sys.stderr, flush=True)
        naive_root = root / "naive"
        naive_root.mkdir()
        (naive_root / "docs").symlink_to(docs)
        (naive_root / "sources").symlink_to(sources)
        pages = sorted(f"articles/{p.name}" for p in (docs / "articles").glob("*.md") if not p.name.endswith(".hant.md"))
        _configs(naive_root, pages)
        naive_site = naive_root / "site"
        out["naive"] = _child("site", str(naive_root), str(naive_site), "hans")
        out["naive"].update({"disk_mb": round(_disk(naive_site) / 1e6, 1), **_pages(naive_site, docs)})
        shutil.rmtree(naive_site)
    if search:
        print(f"bench {n}: search in headless Chromium", file=sys.stderr, flush=True)
        out["search"] = search_timing(site)
        out["search_hant"] = search_timing(site, QUERY_HANT, "hant/")
    return out


# ---------------------------------------------------------------- report


def table(results: dict[str, Any]) -> str:
    """The results as a text table, one column per size."""
    sizes = sorted(results["sizes"], key=int)
    rows: list[tuple[str, Any]] = [
        ("raw text (MB)", lambda r: r["raw_mb"]),
        ("articles", lambda r: r["articles"]),
        ("conversion (s)", lambda r: r["convert"]["convert_s"]),
        ("corpus pass (s)", lambda r: r["convert"]["corpus_s"]),
        ("convert+corpus MB/s", lambda r: r["convert"]["mb_per_s"]),
        ("convert command total (s)", lambda r: r["convert"]["total_s"]),
        ("peak memory conversion (MiB, PSS)", lambda r: r["convert"]["peak_convert_mib"]),
        ("peak memory corpus pass (MiB, PSS)", lambda r: r["convert"]["peak_corpus_mib"]),
        ("rebuild 1 changed: conv (s)", lambda r: r["rebuild_one"]["convert_s"]),
        ("rebuild 1 changed: corpus (s)", lambda r: r["rebuild_one"]["corpus_s"]),
        ("rebuild 1 changed: total (s)", lambda r: r["rebuild_one"]["total_s"]),
        (f"rebuild, {EDITS} edits: conv+corpus median (s)", lambda r: r["rebuild_one"]["edits"]["median_s"]),
        (f"rebuild, {EDITS} edits: conv+corpus max (s)", lambda r: r["rebuild_one"]["edits"]["max_s"]),
        ("site build, 2 editions (s)", lambda r: r["site"]["site_s"]),
        ("peak memory site build (MiB, PSS)", lambda r: r["site"]["peak_mib"]),
        ("site on disk, 2 editions (MB)", lambda r: r["site"]["disk_mb"]),
        ("make site = convert + site (s)", lambda r: round(r["convert"]["total_s"] + r["site"]["site_s"], 1)),
        ("make site: peak memory (MiB, PSS)", lambda r: max(r["convert"]["peak_mib"], r["site"]["peak_mib"])),
        ("article HTML median (KB)", lambda r: r["site"]["hans"]["html_median_kb"]),
        ("article HTML largest (KB)", lambda r: r["site"]["hans"]["html_max_kb"]),
        ("HTML beyond own text, median (KB)", lambda r: r["site"]["hans"]["overhead_median_kb"]),
        ("HTML beyond own text, max (KB)", lambda r: r["site"]["hans"]["overhead_max_kb"]),
        ("HTML beyond own text, median, hant (KB)", lambda r: r["site"]["hant"]["overhead_median_kb"]),
        ("search index, both editions (MB)", lambda r: r["site"]["hans"]["search_index_mb"]),
        ("search index shards", lambda r: r["site"]["hans"]["search_index_shards"]),
        ("naive: site build hans (s)", lambda r: r["naive"]["site_s"]),
        ("naive: article HTML median (KB)", lambda r: r["naive"]["html_median_kb"]),
        ("naive/ours HTML median", lambda r: round(r["naive"]["html_median_kb"] / r["site"]["hans"]["html_median_kb"], 1)),
        ("naive: hans site on disk (MB)", lambda r: r["naive"]["disk_mb"]),
        ("search: first result (s)", lambda r: r["search"]["search_first_result_s"]),
        ("search: same, Playwright wall time (s)", lambda r: r["search"]["search_wall_s"]),
        ("search: downloaded to 1st result (MB)", lambda r: r["search"]["search_bytes_to_first_result_mb"]),
        ("search hant: first result (s)", lambda r: r["search_hant"]["search_first_result_s"]),
        ("search hant: same, Playwright wall time (s)", lambda r: r["search_hant"]["search_wall_s"]),
        ("search hant: downloaded (MB)", lambda r: r["search_hant"]["search_bytes_to_first_result_mb"]),
    ]
    width = 38
    lines = [f"{'N sources':<{width}}" + "".join(f"{s:>12}" for s in sizes)]
    for label, get in rows:
        cells = []
        for s in sizes:
            try:
                cells.append(f"{get(results['sizes'][s])!s:>12}")
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append(f"{'-':>12}")
        lines.append(f"{label:<{width}}" + "".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="measure conversion, corpus pass, site build and search at N sources")
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated numbers of sources (default: 100,1000,10000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus (default: 1)")
    parser.add_argument("--naive-max", type=int, default=1000, help="largest N for which the naive flat-nav site is built (default: 1000)")
    parser.add_argument("--convert-only", action="store_true", help="measure conversion, corpus pass and rebuild only (no site)")
    parser.add_argument("--no-search", action="store_true", help="skip the headless-Chromium search timing")
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help="results file (default: bench/results.json); sizes already in it are kept"
    )
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.stage == "convert":
        print(json.dumps(stage_convert(*map(Path, rest))))
        return 0
    if args.stage == "watch":
        print(json.dumps(watch(int(rest[0]), float(rest[1]))))
        return 0
    if args.stage == "site":
        print(json.dumps(stage_site(Path(rest[0]), Path(rest[1]), tuple(rest[2].split(",")))))
        return 0
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    results: dict[str, Any] = {"sizes": {}}
    if args.out.is_file():
        results = json.loads(args.out.read_text("utf-8"))
    results["machine"] = {"cpus": os.cpu_count(), "python": ".".join(map(str, sys.version_info[:3]))}
    results["commands"] = {
        "all": "make bench  (= python -m build_tools.bench)",
        "one size": "python -m build_tools.bench --sizes 1000",
        "corpus": "python -m build_tools.synth N build/bench/N/sources --seed 1",
        "convert": "python -m build_tools convert --sources build/bench/N/sources --out build/bench/N/docs --cache-dir build/bench/N/cache",
        "site": "build_tools.site.build(build/bench/N/site, root=build/bench/N)  (bench folder's own mkdocs.yml)",
    }
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        results["sizes"][str(n)] = bench_size(n, args.seed, args.naive_max, not args.no_search, not args.convert_only)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    print(table(results))
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
