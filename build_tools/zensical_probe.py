"""What the Zensical trial build (`make site-zensical`) gives readers, seen in headless Chromium (dev/zensical.md).

    python -m build_tools.zensical_probe [--site build/zensical] [--port 8160] [--shots DIR] [--json FILE]

Serves `--site` on 127.0.0.1, opens the home page, an article, the browse, tag and term pages of both editions
(`hant/` inside it), and records for each: its title, the hooks' parts that are there (metadata block, notices,
related articles), console errors and every request to another host. Then it searches, in each edition, every
domain term (build_tools/data/terms.txt) that some article uses, in the edition's script, and counts how many of
the articles using the term the results list (recall) and how many listed pages use it (precision). It follows
the edition switch of an article both ways. Prints a summary and writes the whole record as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

from build_tools import hant
from build_tools.browser import CHROMIUM, CHROMIUM_ARGS, serve
from build_tools.terms import domain_terms

EDITIONS = {"hans": "", "hant": "hant/"}
RESULTS = "dialog ol[role=listbox] a[role=option]"
HREFS = "els => els.map(e => e.href)"
PARTS = {"metadata block": ".wk-meta", "notice": ".admonition", "related articles": "#related", "table of contents": ".md-nav--secondary a"}


def _articles(docs: Path) -> dict[str, str]:
    """Article page address ('articles/x/') -> its Markdown, from the Markdown the build read; near-duplicates,
    which the hooks keep out of the search (`search: exclude`, found through their canonical page), left out."""
    out = {}
    for md in sorted((docs / "articles").glob("*.md")):
        text = md.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""
        if not (yaml.safe_load(front[4:]) or {}).get("duplicate_of"):
            out[f"articles/{md.stem}/"] = text
    return out


def _page_record(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    rec = {"url": url, "status": "ok", "h1": page.locator("article h1").first.inner_text() if page.locator("article h1").count() else ""}
    rec["parts"] = {name: page.locator(sel).count() for name, sel in PARTS.items()}
    return rec


def _search(page, query: str) -> list[str]:
    """The result addresses (relative to the site, anchors dropped, in order, each once) of one query."""
    box = page.locator("dialog input[role=combobox]")
    if not box.count() or not box.is_visible():
        page.locator(".md-search__button").click()
        box.wait_for()
    box.fill(query)
    seen = None
    for _ in range(40):  # until the results stay the same for 250 ms (the index loads on the first query)
        page.wait_for_timeout(250)
        now = (page.locator("dialog [role=status]").all_inner_texts(), page.locator(RESULTS).evaluate_all(HREFS))
        if now == seen and now[0] and now[0] != [""]:
            break
        seen = now
    status = "".join(seen[0]) if seen else ""
    total = int(m.group()) if (m := re.search(r"\d+", status)) else 0
    for _ in range(100):  # the list shows the first results and adds more as it is scrolled
        hrefs = page.locator(RESULTS).evaluate_all(HREFS)
        if len(hrefs) >= total:
            break
        page.locator(RESULTS).last.scroll_into_view_if_needed()
        page.wait_for_timeout(100)
    out: list[str] = []
    for href in hrefs:
        path = unquote(urlparse(href).path).lstrip("/")
        if path not in out:
            out.append(path)
    return out


def probe(site: Path, docs_root: Path, port: int, shots: Path | None) -> dict:
    from playwright.sync_api import sync_playwright

    record: dict = {"pages": {}, "search": {}, "switch": {}, "errors": [], "foreign": []}
    profile = tempfile.mkdtemp(prefix="wenku-zensical-")
    try:
        with serve(site, port) as base, sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport={"width": 1280, "height": 900}
            )
            page = ctx.new_page()
            page.on("console", lambda m: record["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: record["errors"].append(str(e)))

            def route(r):
                if urlparse(r.request.url).hostname != "127.0.0.1":
                    record["foreign"].append(r.request.url)
                    return r.abort()
                return r.continue_()

            page.route("**/*", route)
            for edition, prefix in EDITIONS.items():
                articles = _articles(docs_root / edition)
                first = next(iter(articles))
                urls = {
                    "home": "",
                    "article": first,
                    "browse": "browse/category/",
                    "tags": "tags/",
                    "terms": "terms/",
                    "about": "about/",
                }
                for name, rel in urls.items():
                    rec = _page_record(page, base + prefix + rel)
                    record["pages"][f"{edition} {name}"] = rec
                    if shots and name in ("home", "article"):
                        page.screenshot(path=str(shots / f"zensical-{edition}-{name}.png"))
                # Search every domain term some article uses, in this edition's script.
                page.goto(base + prefix)
                page.wait_for_load_state("networkidle")
                results = {}
                for term in sorted(domain_terms()):
                    query = hant.to_hant(term) if edition == "hant" else term
                    using = {a for a, text in articles.items() if query in text}
                    if not using:
                        continue
                    listed = [r[len(prefix) :] for r in _search(page, query) if r.startswith(prefix)]
                    listed_articles = [r for r in listed if r in articles]
                    results[query] = {
                        "articles_using": len(using),
                        "found": len(using & set(listed_articles)),
                        "listed_articles": len(listed_articles),
                        "listed_using": sum(1 for r in listed_articles if r in using),
                        "listed_other_pages": len(listed) - len(listed_articles),
                    }
                    if query != term:  # a reader of the Traditional edition typing Simplified
                        found = {r[len(prefix) :] for r in _search(page, term) if r.startswith(prefix)}
                        results[query]["found_by_simplified_query"] = len(using & found)
                record["search"][edition] = results
                if shots:
                    _search(page, "职工之家" if edition == "hans" else "職工之家")
                    page.screenshot(path=str(shots / f"zensical-{edition}-search.png"))
                # The edition switch of an article leads to the same article in the other edition.
                page.goto(base + prefix + first)
                page.locator("[data-wk-switch]").first.click()
                page.wait_for_load_state("networkidle")
                landed = unquote(urlparse(page.url).path).lstrip("/")
                other = "hant/" if edition == "hans" else ""
                record["switch"][edition] = {"from": prefix + first, "to": landed, "same page": landed == other + first}
            ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return record


def summary(record: dict) -> list[str]:
    lines = []
    for name, rec in record["pages"].items():
        parts = ", ".join(f"{k} {v}" for k, v in rec["parts"].items())
        lines.append(f"{name}: {rec['h1']!r}; {parts}")
    for edition, results in record["search"].items():
        using = sum(r["articles_using"] for r in results.values())
        found = sum(r["found"] for r in results.values())
        listed = sum(r["listed_articles"] for r in results.values())
        right = sum(r["listed_using"] for r in results.values())
        other = sum(r["listed_other_pages"] for r in results.values())
        by_hans = [r["found_by_simplified_query"] for r in results.values() if "found_by_simplified_query" in r]
        if by_hans:
            lines.append(f"search {edition}, the same terms typed in Simplified: found {sum(by_hans)} articles")
        missed = sorted(q for q, r in results.items() if r["found"] < r["articles_using"])
        lines.append(
            f"search {edition}: {len(results)} terms; found {found} of {using} articles using them; "
            f"{right} of {listed} listed articles use the term; {other} other pages listed (browse, terms, tags...); "
            f"terms with articles missed: {missed}"
        )
    for edition, sw in record["switch"].items():
        lines.append(f"switch {edition}: {sw['from']} -> {sw['to']} ({'same page' if sw['same page'] else 'WRONG'})")
    lines.append(f"console errors: {len(record['errors'])}; requests to other hosts: {len(record['foreign'])}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.zensical_probe", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("build/zensical"))
    parser.add_argument("--docs", type=Path, default=Path("build/zensical-docs"), help="the Markdown of both editions")
    parser.add_argument("--port", type=int, default=8160)
    parser.add_argument("--shots", type=Path, help="folder for screenshots")
    parser.add_argument("--json", type=Path, help="write the whole record here")
    args = parser.parse_args(argv)
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    record = probe(args.site, args.docs, args.port, args.shots)
    print("\n".join(summary(record)))
    if args.json:
        args.json.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
