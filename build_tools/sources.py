"""Which files under --sources are sources: regular `*.txt` files inside the folder, nothing else.

Everything else that looks like one is named with the reason and gives no page: a symbolic link (to a
file or folder, inside the folder or not: a link can be re-pointed between two runs, and one inside would
publish the same text twice), a folder named `*.txt`, a FIFO, a socket, a device. Folders are walked
without following links. A hard link is a regular file and is a source (git cannot make one). Reading
(`files.read_regular`) checks again, on the opened file, that it is still a regular file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .files import kind

SUFFIX = ".txt"


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
    return Scan([path for _, path in found], sorted(refused))


def _walk(folder: Path, prefix: str, found: list[tuple[str, Path]], refused: list[tuple[str, str]]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        refused.append((prefix.rstrip("/") or ".", f"cannot list this folder: {error.strerror or error}"))
        return
    for entry in entries:
        rel = prefix + entry.name
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as error:
            refused.append((rel, f"cannot read: {error.strerror or error}"))
            continue
        if stat.S_ISLNK(mode):
            if entry.name.endswith(SUFFIX) or entry.is_dir():
                refused.append((rel, f"a symbolic link (to {_target(entry.path)}): sources must be regular files; copy the file instead"))
            continue
        if stat.S_ISDIR(mode):
            if entry.name.endswith(SUFFIX):
                refused.append((rel, "a folder, not a file (its own *.txt files are sources)"))
            _walk(Path(entry.path), rel + "/", found, refused)
        elif entry.name.endswith(SUFFIX):
            if stat.S_ISREG(mode):
                found.append((rel, Path(entry.path)))
            else:
                refused.append((rel, f"{kind(mode)}, not a regular file"))


def _target(path: str) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        return "?"
    return target + ("" if os.path.exists(path) else ", which does not exist")
