"""Which files under --sources are sources: regular `*.txt` files inside the folder, nothing else.

A settings file no source uses (`x.yml` without `x.txt` beside it, an `x.yaml`) is named too. Everything else
that looks like a source is named with the reason and gives no page: a symbolic link (to a
file or folder, inside the folder or not: a link can be re-pointed between two runs, and one inside would
publish the same text twice), a folder named `*.txt`, a FIFO, a socket, a device. Folders are walked
without following links. A hard link is a regular file and is a source (git cannot make one). Reading
(`files.read_regular`) checks again, on the opened file, that it is still a regular file.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .files import kind
from .invisible import FORMAT

SUFFIX = ".txt"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(name: str) -> str:
    """`name` printable on one line: bytes that are not UTF-8, control and format characters as escapes."""
    text = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return FORMAT.sub(lambda m: f"\\u{ord(m.group()):04x}", _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def name_problem(name: str) -> str:
    """Why a file name cannot name a page's source ("" when it can): a page records its source by name, and a
    name with bytes that are not UTF-8, a control or an invisible format character cannot be written or
    compared faithfully."""
    if shown(name) != name:
        return "its name holds bytes that are not UTF-8, a control character or an invisible character: rename it"
    return ""


@dataclass
class Scan:
    """The source files found under a folder, and the paths refused with their reason (relative, posix)."""

    files: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def scan(root: Path) -> Scan:
    """Every regular *.txt under `root` in a stable order (by relative path), and what was refused."""
    found: list[tuple[str, Path]] = []
    refused: list[tuple[str, str]] = []
    _walk(root, "", found, refused)
    found.sort(key=lambda item: item[0])
    return Scan([path for _, path in found], sorted((shown(rel), why) for rel, why in refused))


def _walk(folder: Path, prefix: str, found: list[tuple[str, Path]], refused: list[tuple[str, str]]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        refused.append((prefix.rstrip("/") or ".", f"cannot list this folder: {error.strerror or error}"))
        return
    names = {entry.name for entry in entries}
    for entry in entries:
        rel = prefix + entry.name
        problem = _settings_problem(entry.name, names)
        if problem:
            refused.append((rel, problem))
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as error:
            refused.append((rel, f"cannot read: {error.strerror or error}"))
            continue
        if stat.S_ISLNK(mode):
            if entry.name.endswith(SUFFIX) or _is_dir(entry):
                refused.append((rel, f"a symbolic link (to {_target(entry.path)}): sources must be regular files; copy the file instead"))
            continue
        if stat.S_ISDIR(mode):
            if entry.name.endswith(SUFFIX):
                refused.append((rel, "a folder, not a file (its own *.txt files are sources)"))
            _walk(Path(entry.path), rel + "/", found, refused)
        elif entry.name.lower().endswith(SUFFIX) and not entry.name.endswith(SUFFIX):
            refused.append((rel, f"its name ends in {entry.name[-len(SUFFIX) :]!r}: sources end in {SUFFIX!r} (rename it)"))
        elif entry.name.endswith(SUFFIX):
            if stat.S_ISREG(mode) and name_problem(rel):
                refused.append((shown(rel), name_problem(rel)))
            elif stat.S_ISREG(mode):
                found.append((rel, Path(entry.path)))
            else:
                refused.append((rel, f"{kind(mode)}, not a regular file"))


def _settings_problem(name: str, names: set[str]) -> str:
    """Why a file beside the sources that looks like a settings file is one no source uses ("" when it is not one, or
    is used): `x.yaml` (they are `x.yml`), `x.yml` with no `x.txt` beside it (a source renamed or deleted)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix.lower() not in ("yml", "yaml"):
        return ""
    if suffix != "yml":
        return f"settings files end in '.yml': rename it to {stem}.yml, or it is not used"
    if stem + SUFFIX not in names:
        return f"a settings file with no source {stem}{SUFFIX} beside it, not used: rename or delete it"
    return ""


def _is_dir(entry: os.DirEntry) -> bool:
    """Whether a link leads to a folder (False for a loop of links or one that leads nowhere)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _target(path: str) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        return "?"
    return target + ("" if os.path.exists(path) else ", which does not exist")
