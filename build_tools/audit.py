"""`make audit`: Lighthouse (npm lighthouse, pinned in package.json) on the built site, as phones load it.

Serves site/ with build_tools/pages_server.py (GitHub Pages' way: gzip, under /gonghui-wenku/) on 127.0.0.1
and runs Lighthouse's mobile audit (its default: a mid-range phone on a throttled connection, simulated) with
Debian's chromium on the home page, an article, a browse page and the Traditional home. Prints the scores
and writes them to bench/audit.json; exit 1 when accessibility is below 100 or performance below 95.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from build_tools import pages_server

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("WENKU_CHROMIUM", "/usr/bin/chromium")
FLAGS = "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"accessibility": 100, "performance": 95}
SERVER = "build_tools/pages_server.py: Python http.server, gzip (level 6) for text, Cache-Control max-age=600, under /gonghui-wenku/"
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")


def pages(site: Path) -> dict[str, str]:
    """The audited pages: home, an article (the first in path order), a browse page, the Traditional home."""
    article = sorted((site / "articles").glob("*/index.html"))[0].parent.name
    return {"home": "", "article": f"articles/{article}/", "browse": "browse/category/", "hant home": "hant/"}


def run(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile) of `url`: its report as a dict."""
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={FLAGS} --user-data-dir={out.parent / 'profile'}",
        "--quiet",
    ]
    subprocess.run(cmd, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--port", type=int, default=8150, help="port on 127.0.0.1 (default: 8150)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "audit.json", help="where the scores go")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"audit: no built site in {args.site}; run `make site` first", file=sys.stderr)
        return 2
    if not LIGHTHOUSE.exists():
        print("audit: node_modules/.bin/lighthouse is missing; run `make setup`", file=sys.stderr)
        return 2
    results: dict[str, dict] = {}
    with pages_server.serving(args.site, args.port) as base, tempfile.TemporaryDirectory(prefix="wenku-audit-") as tmp:
        for name, path in pages(args.site).items():
            report = run(base + path, Path(tmp) / "report.json")
            scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
            metrics = {m: report["audits"][m]["displayValue"] for m in METRICS if m in report["audits"]}
            failed = [a for a, v in report["audits"].items() if v.get("score") == 0 and v.get("scoreDisplayMode") == "binary"]
            results[name] = {"path": path, "scores": scores, "metrics": metrics, "failed_audits": sorted(failed)}
            print(f"audit: {name:10} " + "  ".join(f"{c} {s}" for c, s in scores.items()) + f"  ({', '.join(metrics.values())})")
    data = {
        "lighthouse": json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"],
        "form_factor": "mobile (Lighthouse default, simulated throttling)",
        "server": SERVER,
        "pages": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    short = [f"{n}: {c} {r['scores'][c]} < {t}" for n, r in results.items() for c, t in TARGETS.items() if r["scores"][c] < t]
    for s in short:
        print(f"audit: below target: {s}", file=sys.stderr)
    return 1 if short else 0


if __name__ == "__main__":
    raise SystemExit(main())
