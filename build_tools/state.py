"""The files a run keeps for the next one (state files): one table, and how they are read.

Every state file is written atomically (a temporary file renamed over it, never through a link) and read
defensively: a file that is missing, empty, cut short, garbled, of the wrong shape, a link, a folder or a
FIFO never stops a run nor costs a hand edit. The run says which file and what it did (`warn`), and
goes on with what it can rebuild (tests/test_state_files.py damages each file of STATE_FILES in every way).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .files import NotRegular, read_regular


@dataclass(frozen=True)
class StateFile:
    """One state file: its name (a glob for the cache entries) in its folder, what it holds, what a damaged one costs."""

    name: str
    folder: str  # "out" (--out) or "cache" (--cache-dir)
    holds: str
    when_damaged: str


MANIFEST = StateFile(
    ".generated.json",
    "out",
    "each article's page and the sha256 of the text last generated there",
    "the usable entries are kept; the others come back from the pages' own front matter (source_file, "
    "source_part); a page whose generated text is not known is kept as a hand edit, the new text beside it",
)
JOURNAL = StateFile(
    ".generated.journal",
    "out",
    "the pages a run is about to write, until it saves the manifest",
    "its unusable lines are ignored (their pages are then recognised by their front matter)",
)
ADDRESSES = StateFile(
    ".addresses.txt",
    "out",
    "every address ever published, one a line",
    "its unusable lines are dropped and the addresses of the pages there are added again",
)
CACHE_ENTRY = StateFile("??/*.pickle", "cache", "one source's converted articles", "the source is converted again")
CORPUS_STATE = StateFile("corpus-state.pickle", "cache", "the last corpus pass's results", "the corpus pass starts afresh")
STATE_FILES = (MANIFEST, JOURNAL, ADDRESSES, CACHE_ENTRY, CORPUS_STATE)
# What a run does with something that is not a regular file (a folder, a link, a FIFO...) where a state file
# goes: it is not ours, so it is neither read through, nor replaced, nor deleted.
LEFT_ALONE = "ignored and left as it is (remove it, and the next run keeps this record again)"


def warn(path: Path | str, problem: str, action: str) -> None:
    """Say on stderr that a state file was damaged and what the run did about it."""
    print(f"warning: {path}: {problem}; {action}", file=sys.stderr)


def action(spec: StateFile, problem: str, usual: str) -> str:
    """What a run says it did about a damaged state file: LEFT_ALONE when it is something else than a file (a
    problem saying NOT_OURS), else `usual`; then what the damage costs (spec.when_damaged)."""
    return f"{LEFT_ALONE if any(end in problem for end in NOT_OURS) else usual}: {spec.when_damaged}"


NOT_A_FILE = ", not a regular file"
NOT_OURS = (NOT_A_FILE, ", not a folder")  # the end of a problem that is something else than a file where one goes


def read_text(path: Path, errors: str = "strict") -> tuple[str | None, str]:
    """(text, "") of a state file; (None, "") when there is none; (None, what is wrong) when it cannot be used.
    `errors="replace"` reads a file of lines whose bytes are not all UTF-8 (each bad byte becomes U+FFFD)."""
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return None, ""
    except NotRegular as error:
        return None, f"{error.strerror}{NOT_A_FILE}"
    except OSError as error:
        return None, f"cannot read it ({error.strerror or error})"
    try:
        return data.decode("utf-8", errors), ""
    except UnicodeDecodeError as error:
        return None, f"not UTF-8 text (byte {error.start})"
