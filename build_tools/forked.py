"""Worker processes, forked: what the conversion and the corpus pass share to use the machine's cores.

Forked workers inherit what the main process already holds (a loaded dictionary, the corpus pass's
arrays) instead of receiving it. `map_blocks` runs a function over blocks of work and sends back only each
block's result; every block is computed exactly as the main process would, so results do not depend on how
many workers ran.
"""

from __future__ import annotations

import multiprocessing
import os
import tracemalloc
from collections.abc import Callable, Sequence
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 8

_state: Any = None  # what the workers of map_blocks inherit: set just before they are forked


def cpu_workers() -> int:
    """Worker processes to use: one per CPU, at most MAX_WORKERS."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


def fork_context() -> BaseContext | None:
    """The "fork" start method where the platform has it (else None: the default, whose workers inherit nothing)."""
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def stop_tracing() -> None:
    """Start of a worker: a forked worker inherits a benchmark's allocation tracing, which would slow it tenfold."""
    if tracemalloc.is_tracing():
        tracemalloc.stop()


def map_blocks(work: Callable[[Any, T], R], state: Any, blocks: Sequence[T], *, parallel: bool = True) -> list[R]:
    """[work(state, block) for block in blocks], in forked workers when `parallel`, the machine has several
    CPUs and there are several blocks. `work` must be a module-level function (it is named to the workers)."""
    workers = min(cpu_workers(), len(blocks))
    context = fork_context()
    if not parallel or workers < 2 or context is None:
        return [work(state, block) for block in blocks]
    global _state
    _state = state
    try:
        with context.Pool(workers, initializer=stop_tracing) as pool:
            return pool.map(_run, [(work, block) for block in blocks], chunksize=max(1, len(blocks) // (workers * 4)))
    finally:
        _state = None


def _run(item: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    work, block = item
    return work(_state, block)
