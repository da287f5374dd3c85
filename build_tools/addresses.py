"""`<docs>/.addresses.txt`: every address ever published (docs-relative .md paths, one a line); it only grows.

A state file (state.py): read defensively (an unusable line is dropped with a warning, never a traceback) and
written atomically. `check` fails when an address in it is neither a page nor redirected.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import state
from .files import in_the_way
from .write import PAGES_DIR, atomic_write

FILE = state.ADDRESSES.name
# A docs-relative page path: no empty, dot or dot-dot part, no absolute path, no blank or control character.
_PART = r"[^/\\.\s\x00-\x1f\ufffd][^/\\\s\x00-\x1f\ufffd]*"
ADDRESS = re.compile(rf"(?:{_PART}/)*{_PART}\.md")


def read(docs: Path) -> tuple[list[str], list[str]]:
    """(addresses, problems) of the record; problems name the file and what is wrong with it."""
    path = docs / FILE
    text, problem = state.read_text(path, errors="replace")  # a garbled line costs that line only
    if text is None:
        return [], [f"{path}: {problem}"] if problem else []
    lines = text.split()
    good = [line for line in lines if ADDRESS.fullmatch(line)]
    if len(good) < len(lines):
        bad = next(line for line in lines if not ADDRESS.fullmatch(line))
        problem = f"{path}: {len(lines) - len(good)} line(s) are not page addresses (first: {bad[:60]!r})"
        return good, [problem]
    return good, []


def record(docs: Path) -> None:
    """Add every current article address to the record (atomically; unusable lines are dropped with a warning)."""
    known, problems = read(docs)
    for problem in problems:
        path, _, what = problem.partition(": ")
        state.warn(path, what, state.action(state.ADDRESSES, what, "the record is repaired"))
    if in_the_way(docs / FILE):  # a folder, a link...: not ours, not replaced (said above)
        return
    folder = docs / PAGES_DIR
    pages = [p for p in folder.glob("*.md") if not p.name.endswith(".hant.md")] if folder.is_dir() else []
    current = {f"{PAGES_DIR}/{p.name}" for p in pages if not in_the_way(p)}  # a folder named x.md is no page
    atomic_write(docs / FILE, "\n".join(sorted(set(known) | current)) + "\n")
