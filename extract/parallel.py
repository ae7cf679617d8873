"""Worker processes: how they are started and how many cores a reader may use."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from multiprocessing.context import BaseContext

_core_share: int | None = None


def set_core_share(cores: int) -> None:
    """Limit the cores this process's readers use (set in each worker of a process pool)."""
    global _core_share
    _core_share = max(1, cores)


def cores() -> int:
    """Cores a reader may spread pages over: the share given to this worker, else the machine's."""
    if _core_share is not None:
        return _core_share
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def process_context() -> BaseContext:
    """How to start workers: fork when no other thread runs here, else forkserver.

    fork is fast and never re-runs the caller's script (a script without an
    ``if __name__ == "__main__"`` guard works); forking a process that runs threads (a progress
    bar, a notebook kernel) can deadlock the child, so then forkserver.
    """
    methods = mp.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return mp.get_context("fork")
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")
