"""The build report: per source, what each step removed or changed; every refused file and why."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .pipeline import Result
from .publish import Published, article_key
from .write import atomic_write, dumps_indented


def build_report(result: Result, published: Published, corpus: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready report; sorted and free of timestamps so that equal input gives equal bytes."""
    sources: dict[str, dict[str, Any]] = {}
    outcome_by_path = {o.path: o.status for o in published.outcomes}
    for article in result.articles:
        entry = sources.setdefault(
            article.source.path,
            {"encoding": article.source.encoding, "sha256": article.source.sha256, "articles": [], "changes": []},
        )
        path = published.paths[article_key(article)]
        entry["articles"].append(
            {"part": article.part, "title": article.meta.get("title", ""), "page": path, "status": outcome_by_path.get(path, "")}
        )
        for change in article.changes:
            record = {"step": change.step, "kind": change.kind, "line": change.line, "before": change.before}
            if change.after:
                record["after"] = change.after
            if record not in entry["changes"]:
                entry["changes"].append(record)
    return {
        "sources": dict(sorted(sources.items())),
        "refused": [{"file": r.path, "reason": r.reason} for r in result.refused],
        "removed_pages": published.removed,
        "kept_stale_pages": published.kept_stale,
        "corpus": corpus or {},
    }


def write_report(report: dict[str, Any], path: Path) -> None:
    """Write the report as indented JSON."""
    atomic_write(path, dumps_indented(report) + "\n")


def summary_text(report: dict[str, Any], verbose: bool = False) -> str:
    """A readable summary for the terminal: one line a source, then refusals and conflicts."""
    lines = []
    for name, entry in report["sources"].items():
        steps = Counter(c["step"] for c in entry["changes"])
        done = ", ".join(f"{step} {n}" for step, n in sorted(steps.items()))
        lines.append(f"  {name} ({entry['encoding']}): {len(entry['articles'])} article(s); {done}")
        for art in entry["articles"]:
            if art["status"] in ("kept-edit", "conflict"):
                note = (
                    "edited by hand, kept"
                    if art["status"] == "kept-edit"
                    else "edited by hand AND source changed: new version in .new beside it, merge by hand"
                )
                lines.append(f"    ! {art['page']}: {note}")
            elif art["status"].startswith("not-regular"):
                kind = art["status"].removeprefix("not-regular: ")
                lines.append(f"    ! {art['page']}: {kind}, not a regular file: left alone, the page is not written")
        if verbose:
            for c in entry["changes"]:
                after = f" -> {c['after']}" if c.get("after") else ""
                lines.append(f"      line {c['line']:>4} {c['step']}/{c['kind']}: {c['before'][:60]}{after[:40]}")
    for page in report["removed_pages"]:
        lines.append(f"  removed {page}: its source is gone")
    for page in report["kept_stale_pages"]:
        lines.append(f"  ! kept {page}: its source is gone but the page was edited by hand; delete it or restore the source")
    for refusal in report["refused"]:
        lines.append(f"  REFUSED {refusal['file']}: {refusal['reason']}")
    return "\n".join(lines)
