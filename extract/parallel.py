"""Worker processes: how they are started, how many cores a reader may use, collector pauses."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import forkserver
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
    bar, a notebook kernel, a Dask client) can deadlock the child, so then forkserver, started
    here with foialog loaded so that its workers need not import it again.
    """
    methods = mp.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return mp.get_context("fork")
    if "forkserver" not in methods:
        return mp.get_context("spawn")
    context = mp.get_context("forkserver")
    start_forkserver(context)
    return context


#: What the fork server loads: the package, whose import loads the pipeline and every reader.
_PRELOAD = ("foialog",)


def start_forkserver(context: BaseContext) -> None:
    """Start the fork server, once per process, with foialog loaded, from its installed packages.

    The first caller's preload is what every later worker gets, so every pool in foialog starts
    the server here. The server is started as ``python -c``, which (before Python 3.12) puts
    the current folder first on sys.path: a folder named foialog there would be imported
    instead of the package, and every file would fail. PYTHONSAFEPATH (Python 3.11+) keeps the
    current folder off sys.path for the server, and so for every worker.
    """
    context.set_forkserver_preload(list(_PRELOAD))
    saved = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = saved


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector paused meanwhile (and started again after, if it ran before).

    For making many tracked objects that hold no cycles (records, rows' tuples): the
    collections they set off walk the process's whole heap again and again.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
