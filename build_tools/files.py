"""What the tool may read: regular files, opened without following a link and without blocking on a pipe.

Sources and state files come from a repository anyone can send a pull request to: a symbolic link in it
can point anywhere (/etc/passwd, /dev/zero), a FIFO would block a read for ever. `read_regular` opens a
path with O_NOFOLLOW and O_NONBLOCK and checks, on the opened file itself, that it is a regular file, so
that what is checked is what is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# What a file that is not a regular file is, for messages (by stat.S_IFMT).
KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRegular(OSError):
    """The path is something else than a regular file (its kind is the message)."""


def kind(mode: int) -> str:
    """'a folder', 'a FIFO (named pipe)'...: what a file of this st_mode is; '' for a regular file."""
    return "" if stat.S_ISREG(mode) else KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_regular(path: Path) -> bytes:
    """The bytes of `path`; NotRegular when it is a link, a folder, a FIFO, a device...; other OSErrors as they come."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        if os.path.islink(path):  # O_NOFOLLOW: ELOOP (Linux) or EMLINK (BSD)
            raise NotRegular(0, KINDS[stat.S_IFLNK], str(path)) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(0, kind(mode), str(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:  # O_NONBLOCK does nothing to a regular file's reads
            return handle.read()
    finally:
        os.close(fd)


def in_the_way(path: Path) -> str:
    """What is at `path` when it is something a write must not replace ('a folder', 'a symbolic link'...); '' when
    there is nothing there or a regular file (the only things the tool replaces or deletes)."""
    try:
        return kind(os.lstat(path).st_mode)
    except FileNotFoundError:
        return ""


def real_folder(folder: Path, root: Path) -> str:
    """Why `folder` cannot be written into as a folder of `root` ('' when it can): it must be a folder itself (not
    a link to one, not a file) and, resolved, inside `root` resolved (so no link on the way leads out of it)."""
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return ""  # made by the write, inside the folder checked before
    if not stat.S_ISDIR(mode):
        return f"{kind(mode)}, not a folder"
    if folder.parent != root and not folder.resolve().is_relative_to(root.resolve()):  # a folder in root: lstat says it
        return f"leads out of {root}"
    return ""


def describe(error: OSError) -> str:
    """'PATH: reason' for an operating-system error (both paths of a rename)."""
    reason = error.strerror or str(error)
    if error.filename is None:
        return reason
    where = str(error.filename) + (f" -> {error.filename2}" if error.filename2 is not None else "")
    return f"{where}: {reason}"
