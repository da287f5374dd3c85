"""Measure the conversion against labelled pages (`make eval`, `python -m build_tools.evaluate`).

Two sets are scored with the pages that `python -m build_tools convert` writes for them:

- the development set of real pages (tests/fixtures/real/): each `NAME.txt` is a dump of a real web page and
  `NAME.expect.yaml` says which of its lines are the article (`first_line` to `last_line`, minus the
  `not_article` lines inside), its `title` and its `date` (null when the text gives none). Content is scored
  as precision, recall and F1 of the character bigrams of the article against those of the body text of all
  the pages written for the source; the title and the date must be exact (see `normalise`).
- the imitated sites (tests/fixtures/sites/), in the form of their own expect files (tests/test_sites.py):
  title, date, first and last paragraph, strings that must be kept and chrome that must be gone.

The result is printed as a table and written as JSON (sorted keys, rounded figures: the same code and
inputs give the same bytes).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .script import to_simplified

REAL = Path("tests/fixtures/real")
SITES = Path("tests/fixtures/sites")
JSON_OUT = Path("bench/eval.json")
# Targets of issue 14 for the detection work (content on the real pages, titles, dates the text gives).
TARGETS = {"content_f1": 0.96, "content_precision": 0.95, "content_recall": 0.97, "title": 0.90, "date": 0.93}
# Quotation marks that sites, the seeds and the pipeline's punctuation step write differently.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "〝": '"', "〞": '"', "‘": "'", "’": "'"})
_PREFIX_MARK = "…"  # a label ending in … names a line by its beginning


def normalise(text: str) -> str:
    """Compare as a reader would: Simplified script, NFKC width, one kind of quotes, no whitespace."""
    text = unicodedata.normalize("NFKC", to_simplified(text)).translate(_QUOTES)
    return "".join(text.split())


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of `text` (already normalised), with their counts."""
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


@dataclass(frozen=True)
class Overlap:
    """Bigrams the labels expect, bigrams the pages give and bigrams common to both (counted with repeats)."""

    expected: int
    got: int
    common: int

    @property
    def precision(self) -> float:
        return self.common / self.got if self.got else 0.0

    @property
    def recall(self) -> float:
        return self.common / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def overlap(expected: str, got: str) -> Overlap:
    """Bigram overlap of two normalised texts."""
    want, have = bigrams(expected), bigrams(got)
    return Overlap(sum(want.values()), sum(have.values()), sum((want & have).values()))


# --- labels ----------------------------------------------------------------------------------------------


class EvalError(ValueError):
    """A label that does not fit its dump, or a set that cannot be converted (the message says which and why)."""


def _matches(line: str, label: str) -> bool:
    if label.endswith(_PREFIX_MARK) and label.strip(_PREFIX_MARK):
        return normalise(line).startswith(normalise(label[: -len(_PREFIX_MARK)]))
    return normalise(line) == normalise(label)


def article_lines(lines: list[str], spec: dict[str, Any], name: str = "") -> list[str]:
    """The lines of a dump that its label calls the article: first_line..last_line minus not_article.

    first_line is the first line that matches; last_line the first match at or after it. A line matches a
    label when they are equal after `normalise`, or when the label ends in … and the line starts with the rest.
    A not_article entry is one line (a string) or a run of lines ({from: ..., to: ...}, both included).
    """
    try:
        first = next(i for i, line in enumerate(lines) if _matches(line, spec["first_line"]))
        last = next(i for i in range(first, len(lines)) if _matches(lines[i], spec["last_line"]))
    except StopIteration:
        raise EvalError(f"{name}: first_line or last_line is not a line of the dump (or last_line comes before first_line)") from None
    except KeyError as error:
        raise EvalError(f"{name}: the label has no {error.args[0]}") from None
    span = lines[first : last + 1]
    singles = [e for e in spec.get("not_article") or [] if isinstance(e, str)]
    runs = [e for e in spec.get("not_article") or [] if isinstance(e, dict)]
    drop: set[int] = set()
    for run in runs:
        i = 0
        while i < len(span):
            if _matches(span[i], run["from"]):
                end = next((j for j in range(i, len(span)) if _matches(span[j], run["to"])), None)
                if end is None:
                    raise EvalError(f"{name}: not_article run from {run['from']!r} has no end {run['to']!r} inside the article")
                drop.update(range(i, end + 1))
                i = end
            i += 1
    drop.update(i for i, line in enumerate(span) if any(_matches(line, s) for s in singles))
    return [line for i, line in enumerate(span) if i not in drop and line.strip()]


# --- pages written by the conversion --------------------------------------------------------------------


@dataclass
class Page:
    """One page the conversion wrote: its front matter and its body blocks (Markdown markup removed)."""

    meta: dict[str, Any]
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, text), kind "heading" or "text"

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.blocks)


_ESCAPE = re.compile(r"\\(.)")
_HEADING = re.compile(r"^#{1,6} ")


def parse_page(markdown: str) -> Page:
    """Front matter and body blocks of a page as render.py writes it (escapes and entities undone)."""
    _, head, body = markdown.split("---\n", 2)
    page = Page(yaml.safe_load(head) or {})
    for block in body.strip("\n").split("\n\n"):
        kind = "heading" if _HEADING.match(block) else "text"
        text = html.unescape(_ESCAPE.sub(r"\1", _HEADING.sub("", block)))
        if text.strip():
            page.blocks.append((kind, text))
    return page


def convert(sources: Path) -> dict[str, list[Page]]:
    """Run `python -m build_tools convert` on `sources` in a temporary folder; pages by source file, in order."""
    with tempfile.TemporaryDirectory(prefix="eval-") as tmp:
        out = Path(tmp) / "out"
        command = [sys.executable, "-m", "build_tools", "convert", "--sources", str(sources), "--out", str(out)]
        command += ["--report", str(Path(tmp) / "report.json"), "--no-cache", "--quiet"]
        done = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode not in (0, 1):  # 1: some source was refused, which is scored like any other result
            raise EvalError(f"{sources}: the conversion failed (exit status {done.returncode}):\n{done.stderr.strip()}")
        pages: dict[str, list[Page]] = {}
        for path in sorted(out.rglob("*.md")):
            if path.name.endswith(".hant.md"):
                continue
            page = parse_page(path.read_text("utf-8"))
            pages.setdefault(str(page.meta.get("source_file", "")), []).append(page)
    for found in pages.values():
        found.sort(key=lambda p: int(p.meta.get("source_part") or 1))
    return pages


# --- the development set of real pages ------------------------------------------------------------------


def _date(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def score_real(folder: Path, pages: dict[str, list[Page]]) -> list[dict[str, Any]]:
    """One row per labelled dump: content overlap, title and date against the pages written for it."""
    rows = []
    for spec_path in sorted(folder.glob("*.expect.yaml")):
        name = spec_path.name.removesuffix(".expect.yaml")
        spec = yaml.safe_load(spec_path.read_text("utf-8"))
        lines = (folder / f"{name}.txt").read_text("utf-8").split("\n")
        expected = "".join(normalise(line) for line in article_lines(lines, spec, spec_path.as_posix()))
        written = pages.get(f"{name}.txt", [])
        got = "".join(normalise(p.text) for p in written)
        first = written[0].meta if written else {}
        want_date, got_date = _date(spec.get("date")), _date(first.get("date"))
        content = overlap(expected, got)
        rows.append(
            {
                "page": name,
                "site": spec["site"],
                "pages_written": len(written),
                "expected_bigrams": content.expected,
                "got_bigrams": content.got,
                "common_bigrams": content.common,
                "precision": content.precision,
                "recall": content.recall,
                "f1": content.f1,
                "title_expected": spec["title"],
                "title_got": first.get("title"),
                "title_ok": bool(first) and normalise(str(first.get("title") or "")) == normalise(spec["title"]),
                "date_expected": want_date,
                "date_got": got_date,
                "date_ok": want_date == got_date,
            }
        )
    return rows


def summarise_real(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Micro (all bigrams together) and macro (mean of pages) content figures, title and date shares."""
    if not rows:
        return {}
    micro = Overlap(*(sum(r[k] for r in rows) for k in ("expected_bigrams", "got_bigrams", "common_bigrams")))
    dated = [r for r in rows if r["date_expected"]]
    undated = [r for r in rows if not r["date_expected"]]
    return {
        "pages": len(rows),
        "sites": len({r["site"] for r in rows}),
        "content_micro": {"precision": micro.precision, "recall": micro.recall, "f1": micro.f1},
        "content_macro": {k: sum(r[k] for r in rows) / len(rows) for k in ("precision", "recall", "f1")},
        "title": sum(r["title_ok"] for r in rows) / len(rows),
        "date": sum(r["date_ok"] for r in dated) / len(dated) if dated else 0.0,
        "dates_in_text": len(dated),
        "date_invented": sum(1 for r in undated if r["date_got"]),
        "pages_without_date": len(undated),
    }


def half_of(site: str) -> str:
    """The fixed half of the development set a site belongs to: "tune" or "held-out", by the first byte of the
    SHA-256 of its name (even: tune). All pages of a site fall in one half."""
    return "tune" if hashlib.sha256(site.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def by_half(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """summarise_real of each half (half_of)."""
    return {half: summarise_real([r for r in rows if half_of(r["site"]) == half]) for half in ("tune", "held-out")}


def by_site(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per-site rows: pages, macro content figures, titles and dates right."""
    sites: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        sites.setdefault(row["site"], []).append(row)
    out = []
    for site, group in sorted(sites.items()):
        dated = [r for r in group if r["date_expected"]]
        out.append(
            {
                "site": site,
                "pages": len(group),
                **{k: sum(r[k] for r in group) / len(group) for k in ("precision", "recall", "f1")},
                "titles_ok": sum(r["title_ok"] for r in group),
                "dates_ok": sum(r["date_ok"] for r in dated),
                "dates_in_text": len(dated),
            }
        )
    return out


# --- the imitated sites ---------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """The comparison of tests/test_sites.py: width and spacing do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def score_sites(folder: Path, pages: dict[str, list[Page]]) -> list[dict[str, Any]]:
    """One row per imitated site: how many of each kind of expectation its pages meet."""
    rows = []
    for spec_path in sorted(folder.glob("*.expect.yaml")):
        name = spec_path.name.removesuffix(".expect.yaml")
        spec = yaml.safe_load(spec_path.read_text("utf-8"))
        written = pages.get(f"{name}.txt", [])
        counts: dict[str, list[int]] = {k: [0, 0] for k in ("parts", "title", "date", "first_line", "last_line", "contains", "chrome")}

        def tally(kind: str, ok: bool, counts: dict[str, list[int]] = counts) -> None:
            counts[kind][0] += ok
            counts[kind][1] += 1

        tally("parts", len(written) == len(spec["articles"]))
        for i, art in enumerate(spec["articles"]):
            page = written[i] if i < len(written) else None
            paragraphs = [t for kind, t in page.blocks if kind == "text"] if page else []
            body = _plain(page.text) if page else ""
            tally("title", bool(page) and normalise(str(page.meta.get("title") or "")) == normalise(art.get("title") or ""))
            tally("date", bool(page) and _date(page.meta.get("date")) == _date(art.get("date")))
            for key, index in (("first_line", 0), ("last_line", -1)):
                if art.get(key):
                    tally(key, bool(paragraphs) and _plain(paragraphs[index]).startswith(_plain(art[key])))
            for text in art.get("must_contain") or []:
                tally("contains", _plain(text) in body)
        every = _plain("".join(str(p.meta.get("title") or "") + p.text for p in written))
        for text in spec.get("must_not_contain") or []:
            tally("chrome", (_plain(text) or text) not in every)
        rows.append({"file": name, **{k: {"ok": ok, "of": of} for k, (ok, of) in counts.items()}})
    return rows


def summarise_sites(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of each kind of expectation met over all imitated sites."""
    kinds = ("parts", "title", "date", "first_line", "last_line", "contains", "chrome")
    total = {k: (sum(r[k]["ok"] for r in rows), sum(r[k]["of"] for r in rows)) for k in kinds}
    return {"files": len(rows), **{k: {"ok": ok, "of": of, "share": ok / of if of else 0.0} for k, (ok, of) in total.items()}}


# --- report ---------------------------------------------------------------------------------------------


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def evaluate(real: Path, sites: Path) -> dict[str, Any]:
    """Convert both sets and score them; the whole result as one JSON-ready dict."""
    real_rows = score_real(real, convert(real)) if real.is_dir() else []
    site_rows = score_sites(sites, convert(sites)) if sites.is_dir() else []
    summary = summarise_real(real_rows)
    met = {}
    if summary:
        micro = summary["content_micro"]
        figures = {"content_f1": micro["f1"], "content_precision": micro["precision"], "content_recall": micro["recall"]}
        figures |= {"title": summary["title"], "date": summary["date"]}
        met = {k: figures[k] >= target for k, target in TARGETS.items()}
    return _rounded(
        {
            "real": {"summary": summary, "halves": by_half(real_rows), "sites": by_site(real_rows), "pages": real_rows},
            "imitated": {"summary": summarise_sites(site_rows), "files": site_rows},
            "targets": TARGETS,
            "targets_met": met,
        }
    )


def _pad(text: str, width: int) -> str:
    """`text` cut or padded to `width` columns, Han characters counting two."""
    out, used = "", 0
    for char in text:
        w = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + w > width:
            break
        out, used = out + char, used + w
    return out + " " * (width - used)


def table(result: dict[str, Any]) -> str:
    """The result as a plain-text table: per site, then the totals, then the imitated sites."""
    out = []
    sites, summary = result["real"]["sites"], result["real"]["summary"]
    if summary:
        out.append(f"{'site':<24} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'titles':>7} {'dates':>7}")
        for s in sites:
            dates = f"{s['dates_ok']}/{s['dates_in_text']}"
            out.append(
                f"{_pad(s['site'], 24)} {s['pages']:>5} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}"
                f" {s['titles_ok']:>3}/{s['pages']:<3} {dates:>7}"
            )
        micro, macro = summary["content_micro"], summary["content_macro"]
        out.append("")
        out.append(f"real pages: {summary['pages']} pages of {summary['sites']} sites")
        out.append(f"  content micro  P {micro['precision']:.3f}  R {micro['recall']:.3f}  F1 {micro['f1']:.3f}")
        out.append(f"  content macro  P {macro['precision']:.3f}  R {macro['recall']:.3f}  F1 {macro['f1']:.3f}")
        out.append(f"  titles right   {summary['title']:.1%}")
        out.append(f"  dates right    {summary['date']:.1%} of the {summary['dates_in_text']} the text gives")
        out.append(f"  dates invented {summary['date_invented']} of the {summary['pages_without_date']} pages whose text gives none")
        for half, h in result["real"].get("halves", {}).items():
            if h:
                m = h["content_micro"]
                out.append(
                    f"  {half + ' half':<14} {h['pages']} pages of {h['sites']} sites: P {m['precision']:.3f}  R {m['recall']:.3f}"
                    f"  F1 {m['f1']:.3f}, titles {h['title']:.1%}, dates {h['date']:.1%} of {h['dates_in_text']}"
                )
        met = result["targets_met"]
        out.append("  targets        " + ", ".join(f"{k} ≥ {v} {'met' if met[k] else 'not met'}" for k, v in result["targets"].items()))
    imitated = result["imitated"]["summary"]
    if imitated.get("files"):
        out.append("")
        out.append(f"imitated sites: {imitated['files']} files")
        for kind in ("parts", "title", "date", "first_line", "last_line", "contains", "chrome"):
            k = imitated[kind]
            out.append(f"  {kind:<11} {k['ok']:>4}/{k['of']:<4} {k['share']:.1%}")
    return "\n".join(out)


def pages_table(result: dict[str, Any]) -> str:
    """Every real page: content figures, and the title or date the pages give where they are wrong."""
    out = ["", f"{'page':<16} {'P':>6} {'R':>6} {'F1':>6}  wrong"]
    for row in result["real"]["pages"]:
        wrong = [] if row["title_ok"] else [f"title {row['title_got']!r} (want {row['title_expected']!r})"]
        wrong += [] if row["date_ok"] else [f"date {row['date_got']} (want {row['date_expected']})"]
        out.append(f"{row['page']:<16} {row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f}  {'; '.join(wrong)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--real", type=Path, default=REAL, help=f"labelled real pages (default: {REAL})")
    parser.add_argument("--sites", type=Path, default=SITES, help=f"imitated sites (default: {SITES})")
    parser.add_argument("--json", type=Path, default=JSON_OUT, help=f"where the figures are written (default: {JSON_OUT})")
    parser.add_argument(
        "--pages", action="store_true", help="also list every real page: its figures, and its title or date where they are wrong"
    )
    args = parser.parse_args(argv)
    try:
        result = evaluate(args.real, args.sites)
    except EvalError as error:
        print(f"eval: {error}", file=sys.stderr)
        return 2
    print(table(result))
    if args.pages:
        print(pages_table(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"figures: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
