"""One convert at a time per --out: `hold(out)` keeps `<out>/.convert.lock` locked (flock) for the whole run.

A second run on the same folder refuses at once with a message, or waits up to `wait` seconds (`--wait`).
The lock goes with the process that holds it (even killed: the kernel releases it); the file stays, empty,
git-ignored. It is opened without following a link and must be a regular file.
"""

from __future__ import annotations

import fcntl
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import state

FILE = state.LOCK.name
POLL = 0.1  # seconds between two tries while waiting


class Busy(Exception):
    """Another run holds the lock, or the lock file cannot be used (the message says which and what to do)."""


@contextmanager
def hold(out: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of `out` for the block; Busy when another run has it for longer than `wait` seconds."""
    path = out / FILE
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as error:
        what = "a symbolic link" if os.path.islink(path) else (error.strerror or str(error))
        raise Busy(f"{path}: {what}: cannot be used as the lock of {out}; remove it") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Busy(f"{path}: not a regular file: cannot be used as the lock of {out}; remove it")
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(
                        f"another convert is writing into {out} (it holds {path}): let it finish, or pass --wait SECONDS to wait for it"
                    ) from None
                time.sleep(POLL)
        yield
    finally:
        os.close(fd)
