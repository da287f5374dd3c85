"""Work split in blocks, done in forked worker processes (one per CPU), results in input order.

The corpus pass's candidate search and cosines are numpy over arrays the main process already holds (the
inverted index, the flattened vectors). Forked workers inherit those arrays instead of receiving them, and
send back only each block's result; every block is computed exactly as the main process would, so the
result does not depend on how many workers ran.
"""

from __future__ import annotations

import multiprocessing
import os
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_state: Any = None  # what the workers inherit: set just before they are forked


def map_blocks(work: Callable[[Any, T], R], state: Any, blocks: Sequence[T], *, parallel: bool = True) -> list[R]:
    """[work(state, block) for block in blocks], in forked workers when `parallel`, the machine has several
    CPUs and there are several blocks. `work` must be a module-level function (it is named to the workers)."""
    workers = min(os.cpu_count() or 1, 8, len(blocks))
    if not parallel or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(state, block) for block in blocks]
    global _state
    _state = state
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_start) as pool:
            return pool.map(_run, [(work, block) for block in blocks], chunksize=max(1, len(blocks) // (workers * 4)))
    finally:
        _state = None


def _run(item: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    work, block = item
    return work(_state, block)


def _start() -> None:
    """A forked worker inherits a benchmark's allocation tracing, which would slow it tenfold."""
    if tracemalloc.is_tracing():
        tracemalloc.stop()
