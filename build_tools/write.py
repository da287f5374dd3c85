"""Write generated pages atomically and never over a contributor's edit.

`<out>/.generated.json` (the manifest) remembers, for every article key (source file and part),
the page's path and the sha256 of the text last generated. A page whose file no longer has that
hash was edited by hand: it is kept. When the new text differs too, it goes beside the page as
`<page>.md.new` for the contributor to merge, and the conflict is reported.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = ".generated.json"
# Pages a run is about to write, one JSON line each, until the run saves the manifest: a run killed
# half-way leaves it, and the next run learns from it which pages on disk it wrote itself.
JOURNAL = ".generated.journal"


def sha256_text(text: str) -> str:
    """Hex sha256 of text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dumps_indented(data: Any, sort_keys: bool = False) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=1, sort_keys=sort_keys)`, the same text, faster.

    With an indent, json falls back to its pure-Python encoder (a generator per level); this writes the
    same layout with one list of parts. A value json would pass to `default` (or a dict key that is not
    a string) makes the whole text come from json itself.
    """
    parts: list[str] = []
    try:
        _encode(data, "\n", parts, sort_keys)
    except _NotPlain:
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=sort_keys)
    return "".join(parts)


class _NotPlain(Exception):
    """A value `dumps_indented` leaves to json."""


_encode_str = json.encoder.encode_basestring  # json's own (C) string encoder for ensure_ascii=False


def _encode(value: Any, newline: str, parts: list[str], sort_keys: bool) -> None:
    """Append the JSON of `value`; `newline` is a line break and the indent of the current level."""
    kind = type(value)
    if kind is str:
        parts.append(_encode_str(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + " "
        items = sorted(value.items()) if sort_keys else value.items()
        first = True
        for key, item in items:
            if type(key) is not str:
                raise _NotPlain
            parts.append(("{" if first else ",") + inner + _encode_str(key) + ": ")
            first = False
            _encode(item, inner, parts, sort_keys)
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + " "
        first = True
        for item in value:
            parts.append(("[" if first else ",") + inner)
            first = False
            _encode(item, inner, parts, sort_keys)
        parts.append(newline + "]")
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float and math.isfinite(value):
        parts.append(float.__repr__(value))
    else:
        raise _NotPlain


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader (or a crash) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Outcome:
    """What happened to one page."""

    path: str
    status: str  # "written" | "unchanged" | "kept-edit" | "conflict" | "forced"


def inside(root: Path, relative: str, resolved_root: Path | None = None) -> Path:
    """`root/relative`, refusing any path that would leave `root` (`resolved_root`: root.resolve(), if known)."""
    target = (root / relative).resolve()
    if not target.is_relative_to(resolved_root or root.resolve()):
        raise ValueError(f"refusing to write outside {root}: {relative}")
    return target


def text_hash(path: Path) -> str:
    """sha256_text(path.read_text("utf-8")), without decoding and encoding again a file that has no carriage return
    (read_text turns \r\n and \r into \n; without \r the bytes are the UTF-8 of the text)."""
    data = path.read_bytes()
    if b"\r" in data:
        return sha256_text(path.read_text("utf-8"))
    data.decode("utf-8")  # fails where read_text would fail
    return hashlib.sha256(data).hexdigest()


class PageWriter:
    """Writes pages under `root`, guarding hand edits with the manifest."""

    def __init__(self, root: Path, force: bool = False) -> None:
        self.root = root
        self.force = force
        self.resolved_root = root.resolve()
        path = root / MANIFEST
        self.manifest: dict[str, dict[str, str]] = json.loads(path.read_text("utf-8")) if path.exists() else {}
        self.seen: set[str] = set()
        for leftover in root.rglob(".*.tmp"):  # from a run that was killed between writing and renaming
            leftover.unlink(missing_ok=True)
        self._replay_journal()
        self.journal = None

    def _replay_journal(self) -> None:
        """Take into the manifest the pages a killed run wrote (those on disk with the hash it meant to write)."""
        journal = self.root / JOURNAL
        if not journal.exists():
            return
        for line in journal.read_text("utf-8").splitlines():
            try:
                entry = json.loads(line)
                target = inside(self.root, entry["path"], self.resolved_root)
            except (ValueError, KeyError, TypeError):
                continue  # the last line of a killed run may be cut short
            if target.exists() and text_hash(target) == entry["sha256"]:
                self.manifest[entry["key"]] = {"path": entry["path"], "sha256": entry["sha256"]}

    def _intend(self, key: str, relative: str, new_hash: str) -> None:
        """Note in the journal, durably, the page about to be written."""
        if self.journal is None:
            self.root.mkdir(parents=True, exist_ok=True)
            self.journal = (self.root / JOURNAL).open("a", encoding="utf-8")
        self.journal.write(json.dumps({"key": key, "path": relative, "sha256": new_hash}, ensure_ascii=False) + "\n")
        self.journal.flush()

    def path_for(self, key: str) -> str | None:
        """The page path recorded for an article key, so addresses stay stable."""
        entry = self.manifest.get(key)
        return entry["path"] if entry else None

    def write(self, key: str, relative: str, text: str) -> Outcome:
        """Write one page unless a hand edit is in the way."""
        self.seen.add(key)
        target = inside(self.root, relative, self.resolved_root)
        new_hash = sha256_text(text)
        recorded = self.manifest.get(key, {}).get("sha256")
        if target.exists() and not self.force:
            current = text_hash(target)
            if current == new_hash:
                self.manifest[key] = {"path": relative, "sha256": new_hash}
                return Outcome(relative, "unchanged")
            if recorded is None or current != recorded:  # edited by hand, or written by someone else
                if recorded == new_hash:
                    return Outcome(relative, "kept-edit")
                atomic_write(target.with_name(target.name + ".new"), text)
                return Outcome(relative, "conflict" if recorded else "kept-edit")
        self._intend(key, relative, new_hash)
        atomic_write(target, text)
        target.with_name(target.name + ".new").unlink(missing_ok=True)
        self.manifest[key] = {"path": relative, "sha256": new_hash}
        return Outcome(relative, "forced" if self.force else "written")

    def stale(self) -> list[tuple[str, str, bool]]:
        """Pages recorded before but not produced now: (key, path, edited by hand)."""
        out = []
        for key, entry in sorted(self.manifest.items()):
            if key in self.seen:
                continue
            target = self.root / entry["path"]
            edited = target.exists() and text_hash(target) != entry["sha256"]
            out.append((key, entry["path"], edited))
        return out

    def forget(self, key: str) -> None:
        """Drop an article key from the manifest."""
        self.manifest.pop(key, None)

    def save(self) -> None:
        """Write the manifest (sorted, so the same input gives the same bytes); the journal is done with."""
        atomic_write(self.root / MANIFEST, dumps_indented(self.manifest, sort_keys=True) + "\n")
        if self.journal is not None:
            self.journal.close()
            self.journal = None
        (self.root / JOURNAL).unlink(missing_ok=True)
