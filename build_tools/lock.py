"""One convert at a time per --out: `hold(out)` keeps the folder `out` itself locked (flock) for the whole run.

A second run on the same folder refuses at once with a message, or waits up to `wait` seconds (`--wait`).
The lock goes with the process that holds it (even killed: the kernel releases it). It is the folder's own
lock, not a file in it: there is no lock file that a folder, a FIFO or a link put in its place could block
(a `.convert.lock` earlier versions left is not used any more).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POLL = 0.1  # seconds between two tries while waiting
_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class Busy(Exception):
    """Another run holds the lock (the message says which and what to do)."""


@contextmanager
def hold(out: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of `out` (an existing folder) for the block; Busy when another run has it for longer than
    `wait` seconds."""
    fd = os.open(out, _FLAGS)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(
                        f"another convert is writing into {out} (it holds the folder's lock): let it finish, "
                        "or pass --wait SECONDS to wait for it"
                    ) from None
                time.sleep(POLL)
        yield
    finally:
        os.close(fd)
