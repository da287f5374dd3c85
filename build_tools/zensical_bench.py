"""MkDocs + Material beside Zensical on the same synthetic library (dev/zensical.md).

    python -m build_tools.zensical_bench WORK [--sources 1000] [--seed 1]

In WORK (a scratch folder outside the repository; emptied first): `synth` writes N raw sources, `convert`
turns them into docs/, then each build runs as its own command, timed, with the peak resident memory of its
largest process (GNU time's %M):
- `site`: what `python -m build_tools site` runs (build_tools.site.build: both MkDocs editions in parallel,
  then Pagefind);
- `mkdocs hans`, `mkdocs hant`: one MkDocs edition alone;
- `export hans`, `export hant`: build_tools/zensical_docs.py (the hooks' Markdown, for Zensical);
- `zensical hans`, `zensical hant`: `zensical build` of one edition.
One redirect (`old-address/` to the first article) is added to every configuration to see that both write it.
Prints a table and writes WORK/results.json (times, memory, pages, size on disk of each output).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZENSICAL = ROOT / ".venv-zensical" / "bin" / "zensical"
REDIRECT = "old-address.md"


def _configs(work: Path, first_article: str) -> None:
    """The project's MkDocs and Zensical configurations for WORK: absolute theme and hook paths, one redirect."""
    redirect = f"redirect_maps:\n        {REDIRECT}: articles/{first_article}"
    for name in ("mkdocs.yml", "mkdocs.hant.yml", "mkdocs.zensical.yml", "mkdocs.zensical.hant.yml"):
        text = (ROOT / name).read_text(encoding="utf-8")
        text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
        text = text.replace("  - build_tools/mkdocs_hooks.py", f"  - {ROOT / 'build_tools' / 'mkdocs_hooks.py'}")
        text = text.replace("redirect_maps: {}", redirect)
        (work / name).write_text(text, encoding="utf-8")


def _run(name: str, cmd: list[str], cwd: Path) -> dict:
    """One timed command: wall seconds and the peak RSS (MiB) of its largest process."""
    print(f"zensical_bench: {name}: {' '.join(cmd)}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "@@%M", *cmd], cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"zensical_bench: {name} failed (exit {proc.returncode})")
    kib = int(proc.stderr.rsplit("@@", 1)[1].split()[0])
    return {"command": " ".join(cmd), "seconds": round(seconds, 2), "peak_mib": round(kib / 1024, 1)}


def _size(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.name == "index.html")
    return {"pages": pages, "files": len(files), "mb": round(sum(p.stat().st_size for p in files) / 1e6, 1)}


def bench(work: Path, n: int, seed: int) -> dict:
    py = str(ROOT / ".venv" / "bin" / "python")
    if work.resolve() == ROOT or ROOT in work.resolve().parents:
        raise SystemExit(f"zensical_bench: {work} is inside the repository; use a scratch folder")
    if work.exists():
        shutil.rmtree(work)
    (work / "docs").mkdir(parents=True)
    for name in ("about.md", "assets"):
        src = ROOT / "docs" / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, work / "docs" / name)
    out: dict = {"sources": n, "seed": seed, "steps": {}, "outputs": {}}
    steps = out["steps"]
    steps["synth"] = _run("synth", [py, "-m", "build_tools.synth", str(n), "sources", "--seed", str(seed)], work)
    steps["convert"] = _run("convert", [py, "-m", "build_tools", "convert", "--quiet", "--cache-dir", "build/cache"], work)
    articles = sorted(p.name for p in (work / "docs" / "articles").glob("*.md") if not p.name.endswith(".hant.md"))
    out["articles"] = len(articles)
    _configs(work, articles[0])
    site = f"from pathlib import Path; from build_tools import site; raise SystemExit(site.build(Path('site'), root=Path('{work}')))"
    steps["site"] = _run("site", [py, "-c", site], work)
    out["outputs"]["site"] = _size(work / "site")
    for edition, config in (("hans", "mkdocs.yml"), ("hant", "mkdocs.hant.yml")):
        steps[f"mkdocs {edition}"] = _run(
            f"mkdocs {edition}", [py, "-m", "mkdocs", "build", "--quiet", "--strict", "-f", config, "-d", f"build/mkdocs-{edition}"], work
        )
        out["outputs"][f"mkdocs {edition}"] = _size(work / "build" / f"mkdocs-{edition}")
    for edition, config in (("hans", "mkdocs.yml"), ("hant", "mkdocs.hant.yml")):
        cmd = [py, "-m", "build_tools.zensical_docs", "--config", config, "--out", f"build/zensical-docs/{edition}"]
        steps[f"export {edition}"] = _run(f"export {edition}", cmd, work)
    for edition, config in (("hans", "mkdocs.zensical.yml"), ("hant", "mkdocs.zensical.hant.yml")):
        steps[f"zensical {edition}"] = _run(f"zensical {edition}", [str(ZENSICAL), "build", "--clean", "--config-file", config], work)
    out["outputs"]["zensical hans"] = _size(work / "build" / "zensical")
    out["outputs"]["zensical hant"] = _size(work / "build" / "zensical" / "hant")
    out["outputs"]["zensical hans"]["mb"] = round(out["outputs"]["zensical hans"]["mb"] - out["outputs"]["zensical hant"]["mb"], 1)
    out["outputs"]["zensical hans"]["pages"] -= out["outputs"]["zensical hant"]["pages"]
    out["outputs"]["zensical hans"]["files"] -= out["outputs"]["zensical hant"]["files"]
    out["search_mb"] = {
        "pagefind (site/pagefind)": round(sum(p.stat().st_size for p in (work / "site" / "pagefind").rglob("*") if p.is_file()) / 1e6, 1),
        "zensical hans search.json": round((work / "build" / "zensical" / "search.json").stat().st_size / 1e6, 1),
        "zensical hant search.json": round((work / "build" / "zensical" / "hant" / "search.json").stat().st_size / 1e6, 1),
    }
    out["redirects"] = {
        name: (folder / "old-address" / "index.html").is_file()
        for name, folder in (
            ("site", work / "site"),
            ("mkdocs hans", work / "build" / "mkdocs-hans"),
            ("zensical hans", work / "build" / "zensical"),
            ("zensical hant", work / "build" / "zensical" / "hant"),
        )
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.zensical_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="scratch folder outside the repository (emptied first)")
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = bench(args.work, args.sources, args.seed)
    for name, step in result["steps"].items():
        print(f"{name:14} {step['seconds']:8.2f} s {step['peak_mib']:8.1f} MiB")
    for name, size in result["outputs"].items():
        print(f"{name:14} {size['pages']:6} pages {size['files']:6} files {size['mb']:8.1f} MB")
    print(f"search index: {result['search_mb']} MB")
    print(f"redirect written: {result['redirects']}")
    (args.work / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
