"""Write generated pages atomically and never over a contributor's edit.

`<out>/.generated.json` (the manifest) remembers, for every article key (source file and part),
the page's path and the sha256 of the text last generated. A page whose file no longer has that
hash was edited by hand: it is kept. When the new text differs too, it goes beside the page as
`<page>.md.new` for the contributor to merge, and the conflict is reported; the manifest notes that
version as `pending`, and once the contributor has merged it and deleted the `.md.new` (CONTRIBUTING.md),
the merged page counts as the hand edit of that version: the merge converges.

The manifest and the journal are state files (state.py): an entry whose path is not a page of
`<out>/articles/` (`../x`, an absolute path, a sub-folder, a dot-file), of the wrong type or shared by two
articles is dropped with a warning, so no state file can make a run write or delete anything else. What is
at a recorded path and is not a regular file (a link, a folder, a FIFO) is left as it is: the page is not
written (the run says so), and its article keeps its address.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import math
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import state
from .files import NotRegular, in_the_way, read_regular, real_folder

MANIFEST = state.MANIFEST.name
# Pages a run is about to write, one JSON line each, until the run saves the manifest: a run killed
# half-way leaves it, and the next run learns from it which pages on disk it wrote itself.
JOURNAL = state.JOURNAL.name
PAGES_DIR = "articles"
# The only paths the manifest may name: pages of the articles folder (not a dot-file, no sub-folder).
PAGE_PATH = re.compile(r"articles/[^/\\.\x00-\x1f][^/\\\x00-\x1f]*\.md")
SHA256 = re.compile(r"[0-9a-f]{64}")
NOT_UTF8 = "not UTF-8"  # text_hash of a page that is not UTF-8 text
# Temporary files of atomic_write a killed run may leave (in --out and its articles folder): `.<name>.<8 chars>.tmp`
# of a page, a page's .md.new or a state file; nothing else is deleted as a leftover.
LEFTOVER = re.compile(r"\.(?:[^/]+\.md(?:\.new)?|\.generated\.json|\.addresses\.txt|\.terms\.json)\.[a-z0-9_]{8}\.tmp")


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


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()  # what open() would give a new file


def _replaceable(path: Path) -> None:
    """Refuse to replace what is not a regular file: a link, device, FIFO, socket or folder at `path` is not ours
    (`--report /dev/null` must not turn /dev/null into a file, a link planted at a state file's path is left)."""
    what = in_the_way(path)
    if what:
        raise OSError(errno.EEXIST, f"{what}, not a regular file: left as it is")


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader (or a crash) never sees half a file: a temporary file beside it
    (created, never opened through a link) renamed over it. Only a regular file is replaced (`_replaceable`).
    An OSError names `path`, whatever call failed."""
    try:
        _replaceable(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OSError(error.errno, f"cannot write: {error.strerror or error}", str(path)) from error
    try:
        os.fchmod(fd, FILE_MODE)  # mkstemp makes 0600; pages and state files are as readable as any file made here
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OSError(error.errno, f"cannot write: {error.strerror or error}", str(path)) from error
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
    (read_text turns \r\n and \r into \n; without \r the bytes are the UTF-8 of the text). Never through a link
    (files.NotRegular); NOT_UTF8 for a file that is not UTF-8 (no generated page has that hash: it counts as edited)."""
    data = read_regular(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    if b"\r" in data:
        return sha256_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    return hashlib.sha256(data).hexdigest()


def entry_problem(root: Path, key: object, entry: object) -> str:
    """Why a manifest or journal entry cannot be used ("" when it can): its key, page path and hashes are checked."""
    if not isinstance(key, str) or not key or not isinstance(entry, dict):
        return "not a key with a mapping of path and sha256"
    path, sha, pending = entry.get("path"), entry.get("sha256"), entry.get("pending", "")
    if not isinstance(path, str) or not PAGE_PATH.fullmatch(path):
        return f"path {path!r} is not a page of {PAGES_DIR}/"
    if path.endswith(".hant.md") != key.endswith("@hant"):
        return f"path {path!r} is not the page of {key}"
    if not isinstance(sha, str) or (sha and not SHA256.fullmatch(sha)) or not isinstance(pending, str):
        return "sha256 is not a hex digest"
    if pending and not SHA256.fullmatch(pending):
        return "pending is not a hex digest"
    return ""  # a link, a folder... at that path is never read through nor replaced (PageWriter.write, stale)


def load_manifest(root: Path, warn: Callable[[Path, str, str], None] = state.warn) -> dict[str, dict[str, str]]:
    """The manifest of `root`, its unusable entries dropped with a warning (`warn(path, problem, action)`, state.py);
    {} when there is none."""
    path = root / MANIFEST
    text, problem = state.read_text(path)
    if text is None:
        if problem:
            warn(path, problem, state.action(state.MANIFEST, problem, "not used"))
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # nesting deeper than the parser goes is garbage too
        warn(path, f"not valid JSON ({error})", "not used: " + state.MANIFEST.when_damaged)
        return {}
    if not isinstance(data, dict):
        warn(path, f"a JSON {type(data).__name__}, not an object", "not used: " + state.MANIFEST.when_damaged)
        return {}
    bad = {key: entry_problem(root, key, entry) for key, entry in data.items()}
    good = {key: {k: v for k, v in entry.items() if k in ("path", "sha256", "pending")} for key, entry in data.items() if not bad[key]}
    shared = {p for p, n in Counter(entry["path"] for entry in good.values()).items() if n > 1}
    for key in [k for k, entry in good.items() if entry["path"] in shared]:
        bad[key] = f"path {good.pop(key)['path']!r} is also recorded for another article"
    dropped = [f"{key}: {why}" for key, why in bad.items() if why]
    if dropped:
        what = f"{len(dropped)} unusable entr{'y' if len(dropped) == 1 else 'ies'} (first: {dropped[0]})"
        warn(path, what, "dropped: " + state.MANIFEST.when_damaged)
    return good


class PageWriter:
    """Writes pages under `root`, guarding hand edits with the manifest."""

    def __init__(self, root: Path, force: bool = False) -> None:
        self.root = root
        self.force = force
        self.resolved_root = root.resolve()
        self.pages = root / PAGES_DIR
        self._check_pages_folder()
        self.manifest: dict[str, dict[str, str]] = load_manifest(root)
        self.seen: set[str] = set()
        for folder in (root, root / PAGES_DIR):  # from a run that was killed between writing and renaming
            for leftover in folder.glob(".*.tmp") if folder.is_dir() and not folder.is_symlink() else ():
                if LEFTOVER.fullmatch(leftover.name) and stat.S_ISREG(leftover.lstat().st_mode):
                    leftover.unlink(missing_ok=True)
        self.journal: int | None = None
        self.use_journal = self._replay_journal()

    def _check_pages_folder(self) -> None:
        """NotADirectoryError when the pages' folder is a link, a file..., or leads out of --out: pages are written,
        and deleted, only in a real folder of --out."""
        problem = real_folder(self.pages, self.root)
        if problem:
            raise NotADirectoryError(20, f"{problem}: pages are written only into a real folder; remove it", str(self.pages))

    def _replay_journal(self) -> bool:
        """Take into the manifest the pages a killed run wrote (those on disk with the hash it meant to write).
        False when the journal's path is not a regular file (then this run keeps none and leaves it)."""
        path = self.root / JOURNAL
        text, problem = state.read_text(path, errors="replace")  # a garbled line costs that line only
        if text is None:
            if problem:
                state.warn(path, problem, state.action(state.JOURNAL, problem, "not used"))
            return not os.path.lexists(path) or stat.S_ISREG(path.lstat().st_mode)
        lines = text.splitlines()
        bad = 0
        for number, line in enumerate(lines, 1):
            try:
                entry = json.loads(line)
                ok = isinstance(entry, dict) and not entry_problem(self.root, entry.get("key"), entry)
            except (ValueError, RecursionError):
                ok = False
            if not ok:
                bad += number < len(lines) or text.endswith("\n")  # the last line of a killed run may be cut short
                continue
            target = self.root / entry["path"]
            try:
                if entry["sha256"] and text_hash(target) == entry["sha256"]:
                    self.manifest[entry["key"]] = {"path": entry["path"], "sha256": entry["sha256"]}
            except OSError:  # gone, or not a regular file: not a page this run wrote
                pass
        if bad:
            state.warn(path, f"{bad} unusable line(s)", "ignored: " + state.JOURNAL.when_damaged)
        return True

    def _intend(self, key: str, relative: str, new_hash: str) -> None:
        """Note in the journal, durably, the page about to be written (never through a link)."""
        if not self.use_journal:
            return
        if self.journal is None:
            self.root.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            flags |= getattr(os, "O_CLOEXEC", 0)
            self.journal = os.open(self.root / JOURNAL, flags, 0o644)
        os.write(self.journal, (json.dumps({"key": key, "path": relative, "sha256": new_hash}, ensure_ascii=False) + "\n").encode())

    def path_for(self, key: str) -> str | None:
        """The page path recorded for an article key, so addresses stay stable."""
        entry = self.manifest.get(key)
        return entry["path"] if entry else None

    def adopt(self, key: str, relative: str) -> None:
        """Record `relative` as the page of `key` without knowing what was generated there (a record lost: the
        page's front matter names the article): a text that differs from the new one counts as a hand edit."""
        self.manifest[key] = {"path": relative, "sha256": ""}

    def write(self, key: str, relative: str, text: str) -> Outcome:
        """Write one page unless a hand edit (or anything that is not a regular file) is in the way."""
        self.seen.add(key)
        target = self.root / relative  # written as it is named: a link there is never followed
        try:
            mode: int | None = os.lstat(target).st_mode
        except FileNotFoundError:
            mode = None
        if mode is None or not stat.S_ISLNK(mode):
            inside(self.root, relative, self.resolved_root)
        new_hash = sha256_text(text)
        entry = self.manifest.get(key, {})
        recorded = entry.get("sha256")
        if mode is not None:
            try:
                current = text_hash(target)
            except NotRegular as error:
                return Outcome(relative, f"not-regular: {error.strerror}")
        if mode is not None and not self.force:
            if current == new_hash:
                self.manifest[key] = {"path": relative, "sha256": new_hash}
                return Outcome(relative, "unchanged")
            if recorded is None or current != recorded:  # edited by hand, or written by someone else
                beside = target.with_name(target.name + ".new")
                if recorded is not None and entry.get("pending") == new_hash and not os.path.lexists(beside):
                    # CONTRIBUTING: the contributor merged the .md.new put beside the page and deleted it
                    self.manifest[key] = {"path": relative, "sha256": new_hash}
                    return Outcome(relative, "kept-edit")
                if recorded == new_hash:
                    return Outcome(relative, "kept-edit")
                if in_the_way(beside):  # where the new text would go: left as it is, the page too
                    return Outcome(relative, f"not-regular: {in_the_way(beside)} at {beside.name}")
                atomic_write(beside, text)
                if recorded is not None:
                    self.manifest[key] = {"path": relative, "sha256": recorded, "pending": new_hash}
                return Outcome(relative, "conflict" if recorded is not None else "kept-edit")
        if os.path.islink(target.parent):  # became a link since the run started: not written through
            self._check_pages_folder()
        self._intend(key, relative, new_hash)
        atomic_write(target, text)
        beside = target.with_name(target.name + ".new")
        if not in_the_way(beside):  # an old .md.new goes; a folder, a link... of that name is not ours
            beside.unlink(missing_ok=True)
        self.manifest[key] = {"path": relative, "sha256": new_hash}
        return Outcome(relative, "forced" if self.force else "written")

    def stale(self) -> list[tuple[str, str, bool]]:
        """Pages recorded before but not produced now: (key, path, edited by hand)."""
        out = []
        for key, entry in sorted(self.manifest.items()):
            if key in self.seen:
                continue
            target = self.root / entry["path"]
            try:
                edited = text_hash(target) != entry["sha256"]
            except FileNotFoundError:
                edited = False
            except OSError:  # not a regular file, unreadable: not ours to delete
                edited = True
            out.append((key, entry["path"], edited))
        return out

    def forget(self, key: str) -> None:
        """Drop an article key from the manifest."""
        self.manifest.pop(key, None)

    def save(self) -> None:
        """Write the manifest (sorted, so the same input gives the same bytes); the journal is done with. When the
        manifest's path is not a regular file (said when it was read), it is left and the journal kept: the next
        run learns from it which pages this one wrote."""
        saved = not in_the_way(self.root / MANIFEST)
        if saved:
            atomic_write(self.root / MANIFEST, dumps_indented(self.manifest, sort_keys=True) + "\n")
        if self.journal is not None:
            os.close(self.journal)
            self.journal = None
        if self.use_journal and saved:
            (self.root / JOURNAL).unlink(missing_ok=True)
