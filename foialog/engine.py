"""Where documents are processed: in this process, in a local process pool, or on Dask."""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, as_completed
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import NamedTuple, TypeVar

from pebble import ProcessExpired, ProcessPool

from foialog.errors import FoialogError, SettingsError
from foialog.extract import parallel
from foialog.extract.document import DocumentResult
from foialog.extract.sources import Source
from foialog.outfolder import release_inherited

#: Processes one input file into one result, or several for a container and its members.
Task = Callable[[Source], list[DocumentResult]]
#: Called with each finished source's results, in the order they finish.
OnResults = Callable[[Source, list[DocumentResult]], None]
R = TypeVar("R")

#: The fixes a file's row names when its worker was stopped at a limit (see stopped_at_limit).
TIMEOUT_FIX = "raise --timeout to give it more time"
MEMORY_FIX = "raise --memory-mb or check the file"


@dataclass(frozen=True)
class Limits:
    """Per-file limits that keep one hostile file from stalling or exhausting a run."""

    #: Seconds one file may take before its worker is killed.
    seconds: float = 300.0
    #: Address space of a worker process, in MiB.
    memory_mb: int = 4096


def run_inline(sources: Sequence[Source], task: Task, on_results: OnResults) -> None:
    """Process sources one after another in this process (no limits: for debugging)."""
    for source in sources:
        on_results(source, task(source))


def run_local(
    sources: Sequence[Source],
    task: Task,
    on_results: OnResults,
    *,
    workers: int | None = None,
    limits: Limits = Limits(),
    while_waiting: Callable[[], None] | None = None,
) -> None:
    """Process sources in a pool of worker processes, one file per task, with limits.

    ``while_waiting`` runs in this process once every task is handed out, before the results
    are collected: work the run needs afterwards, done while the workers read.
    """
    if not sources:
        return
    count = min(workers or parallel.cores(), len(sources))
    context = parallel.process_context()
    shares = core_shares([_size(s) for s in sources], count)
    # Each worker's temporary files go in this run's scratch folder, removed at the end with
    # whatever a stopped worker left there; each worker leads a process group of its own
    # (named by a file there) so that a stopped worker's own processes are stopped too.
    with (
        _scratch() as scratch,
        ProcessPool(
            max_workers=count,
            initializer=_start_worker,
            initargs=(limits.memory_mb, str(scratch)),
            context=context,
        ) as pool,
        _stopped_on_error(pool),
    ):
        journals = [scratch / f"journal-{i}" for i in range(len(sources))]
        futures: dict[Future[list[DocumentResult]], int] = {
            pool.schedule(_with_share, args=(task, s, n, str(j)), timeout=limits.seconds): i
            for i, (s, n, j) in enumerate(zip(sources, shares, journals, strict=True))
        }
        if while_waiting is not None:
            while_waiting()
        for future in as_completed(futures):
            source, journal = sources[futures[future]], journals[futures[future]]
            try:
                results = future.result()
            except FutureTimeout:
                _stop_orphans(scratch)
                results = _salvage(
                    source,
                    journal,
                    f"took longer than {limits.seconds:g} s and was stopped; {TIMEOUT_FIX}",
                )
            except ProcessExpired as exc:
                results = _salvage(
                    source,
                    journal,
                    f"its worker died (exit code {exc.exitcode}), most likely over the "
                    f"{limits.memory_mb} MiB memory limit; {MEMORY_FIX}",
                )
            except MemoryError:
                results = [
                    _failed(
                        source,
                        f"needed more than {limits.memory_mb} MiB; {MEMORY_FIX}",
                    )
                ]
            except Exception as exc:  # a broken worker must not stop the batch
                results = [_failed(source, f"its worker failed ({type(exc).__name__}: {exc})")]
            on_results(source, results)


def stopped_at_limit(results: Sequence[DocumentResult]) -> bool:
    """True when a file's results say its worker was stopped at a limit (time, memory) or died.

    Such results are not kept for a re-run: with a higher limit, or on a machine less loaded,
    the file may be read whole, so a re-run reads it again.
    """
    return any(TIMEOUT_FIX in r.error or MEMORY_FIX in r.error for r in results)


def run_dask(
    sources: Sequence[Source], task: Task, on_results: OnResults, *, scheduler: str
) -> None:
    """Process sources on a Dask cluster; every worker must see the input paths."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise SettingsError("the dask engine needs the 'distributed' package") from exc
    try:
        client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise SettingsError(
            f"cannot reach the Dask scheduler at {scheduler!r} ({exc}); check --scheduler"
        ) from exc
    with client:
        futures = client.map(task, list(sources), pure=False)
        by_key = {f.key: s for f, s in zip(futures, sources, strict=True)}
        for future in dask_completed(futures):  # type: ignore[no-untyped-call]
            on_results(by_key[future.key], future.result())


def core_shares(sizes: Sequence[int], workers: int) -> list[int]:
    """Cores each file's reader may spread its pages over, by file size, for a pool of workers.

    Each file gets its share of the cores, except a file larger than all the others together:
    it is still being read long after they are done, so its pages get every core from the start.
    """
    cores = parallel.cores()
    share = max(1, cores // max(1, workers))
    largest = max(sizes, default=0)
    return [cores if size == largest and size > sum(sizes) - size else share for size in sizes]


class StageStopped(FoialogError):
    """A stage after reading stopped at its time or memory limit, or its process died."""


@dataclass(frozen=True)
class Stopped:
    """What ``run_beside`` gives for a job that was stopped: the reason, to note and go on."""

    why: str


def run_limited(job: Callable[[], R], *, limits: Limits) -> R:
    """Run ``job`` in a process of its own under ``limits``; return its result.

    Raises StageStopped when the time runs out, the memory limit is hit or the process dies,
    and any other exception the job raised. The memory limit is on top of what this process
    already holds (a forked process starts with all of it).
    """
    with _scratch() as scratch:
        started = _start_limited(job, limits, scratch)
        try:
            result = _collect(started, limits, time.monotonic() + limits.seconds)
        finally:  # Ctrl-C while waiting: the job's processes must not run on
            _stop(*started)
    if isinstance(result, Stopped):
        raise StageStopped(result.why)
    return result


def run_beside(
    jobs: Sequence[Callable[[], R]], meanwhile: Callable[[], None], *, limits: Limits | None = None
) -> list[R | Stopped]:
    """Run each job in a process of its own while ``meanwhile`` runs here; return their results.

    Each job runs under ``limits`` (none when None): a job stopped at them, or whose process
    died, gives a Stopped with the reason, so that the run goes on without its output. An
    exception the job raised (a full disk) is raised here. Forked processes read this
    process's memory (the run's tables) without a copy; where forking is unsafe the jobs are
    pickled to fresh processes instead, which costs a copy each.
    """
    deadline = None if limits is None else time.monotonic() + limits.seconds
    # Each job's temporary files go in a scratch folder removed at the end, and each leads a
    # process group of its own (named there): when one job raises, the others are stopped, so
    # no process and no temporary file of theirs outlives the call.
    with _scratch() as scratch:
        started: list[_Started] = []
        try:
            for job in jobs:
                started.append(_start_limited(job, limits, scratch))
            meanwhile()
            return [_collect(one, limits, deadline) for one in started]
        finally:
            for one in started:
                _stop(*one)


class _Started(NamedTuple):
    """A job's process, the pipe its result comes by, and the scratch folder naming it."""

    process: BaseProcess
    receive: Connection
    scratch: Path


def _start_limited(job: Callable[[], R], limits: Limits | None, scratch: Path) -> _Started:
    context = parallel.process_context()
    receive, send = context.Pipe(duplex=False)
    memory_mb = None if limits is None else limits.memory_mb
    process = context.Process(  # type: ignore[attr-defined]
        target=_run_limited_job, args=(job, send, memory_mb, str(scratch))
    )
    process.start()
    send.close()
    return _Started(process, receive, scratch)


def _collect(started: _Started, limits: Limits | None, deadline: float | None) -> R | Stopped:
    """The job's result, or Stopped once ``deadline`` passes or its process dies."""
    process, receive, _ = started
    try:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not receive.poll(wait):
            seconds = limits.seconds if limits is not None else 0
            return Stopped(
                f"took longer than {seconds:g} s and was stopped; raise --stage-timeout to give "
                "it more time"
            )
        try:
            ok, value = receive.recv()
        except EOFError:
            ok, value = False, None
    finally:
        _stop(*started)
    if ok:
        return value  # type: ignore[no-any-return]
    limit = f"{limits.memory_mb} MiB" if limits is not None else "the machine's memory"
    if isinstance(value, MemoryError):
        return Stopped(f"needed more than {limit} of memory; raise --memory-mb to give it more")
    if isinstance(value, BaseException):
        raise value
    return Stopped(
        f"its process died (exit code {process.exitcode}), most likely over {limit} of memory; "
        "raise --memory-mb to give it more"
    )


def _stop(process: BaseProcess, receive: Connection, scratch: Path) -> None:
    """Kill a job's process and its process group (the helpers it started); wait for it.

    Once only: after the wait its number may be another process's, so its mark in the
    scratch folder goes too (or the folder's removal would kill that group).
    """
    if receive.closed:
        return
    if process.pid is not None:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)  # it leads a group: helpers go too
    # Also the process itself: it may not have made its group yet (still starting).
    with contextlib.suppress(OSError):
        process.kill()
    process.join()
    receive.close()
    (scratch / f"worker-{process.pid}").unlink(missing_ok=True)


def _run_limited_job(
    job: Callable[[], object], send: Connection, memory_mb: int | None, scratch: str
) -> None:
    release_inherited()  # a forked job inherits OUT's lock: only the run itself may hold it
    _die_with_parent()
    os.setpgid(0, 0)
    _use_scratch(scratch)
    if memory_mb is not None:
        _limit_memory(memory_mb, on_top=True)
    _run_job(job, send)


def _run_job(job: Callable[[], object], send: Connection) -> None:
    try:
        send.send((True, job()))
    except BaseException as exc:  # handed to the parent, which raises it
        try:
            send.send((False, exc))
        except Exception:  # an exception that does not pickle: say what it was
            send.send((False, FoialogError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()


def _size(source: Source) -> int:
    """The file's size; 0 when it cannot be read (its task then fails with the reason)."""
    try:
        return source.path.stat().st_size
    except OSError:
        return 0


#: In a worker, the file where the task in hand keeps each document it finishes (see keep).
_journal: Path | None = None


def keep(result: DocumentResult) -> None:
    """Keep a finished document of the file in hand, so that it outlives a stopped worker.

    A container's members are read one after another: when the time runs out on one, the
    members read before it are kept (see _salvage). Outside a pool worker, does nothing.
    """
    if _journal is not None:
        with _journal.open("ab") as fh:
            pickle.dump(("done", result), fh)


def starting(name: str) -> None:
    """Note that the document ``name`` (a container's member) is being read from now on."""
    if _journal is not None:
        with _journal.open("ab") as fh:
            pickle.dump(("start", name), fh)


def planned(names: Callable[[], Sequence[str]]) -> None:
    """Note the documents ``names()`` gives (a container's members) as to be read, in order.

    When the time runs out part way, the members never reached are still listed (see _salvage).
    Outside a pool worker, there is no time limit and ``names`` is not called.
    """
    if _journal is not None:
        listed = list(names())
        with _journal.open("ab") as fh:
            pickle.dump(("plan", listed), fh)


def _with_share(task: Task, source: Source, cores: int, journal: str) -> list[DocumentResult]:
    """Run one task in a worker with its readers limited to ``cores``, keeping a journal."""
    global _journal
    parallel.set_core_share(cores)
    _journal = Path(journal)
    try:
        return task(source)
    finally:
        _journal = None
        Path(journal).unlink(missing_ok=True)


def _salvage(source: Source, journal: Path, why: str) -> list[DocumentResult]:
    """The documents a stopped worker finished before it was stopped, and a row saying why."""
    kept: list[DocumentResult] = []
    started: list[str] = []
    plan: list[str] = []
    try:
        with journal.open("rb") as fh:
            while True:
                kind, item = pickle.load(fh)
                if kind == "done":
                    kept.append(item)
                elif kind == "plan":
                    plan.extend(item)
                else:
                    started.append(item)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        pass  # no journal, or its last entry cut short when the worker was stopped
    if not kept:
        return [_failed(source, why)]
    finished = {r.source_file for r in kept}
    stopped = [name for name in started if name not in finished]
    outer = kept[0]
    outer.status = "partial"
    outer.error = (
        f"{source.name}: {why}; the {len(kept) - 1} member(s) read before are kept, the rest "
        "were not read"
    )
    rows = [DocumentResult(source_file=n, status="failed", error=f"{n}: {why}") for n in stopped]
    # Members never reached are rows too, so that every member of the container is listed.
    reached = finished | set(stopped)
    rows += [
        DocumentResult(
            source_file=n,
            status="skipped",
            error=f"{n}: not reached: reading {source.name} ended before this member: {why}",
        )
        for n in dict.fromkeys(plan)
        if n not in reached
    ]
    return [*kept, *rows]


@contextlib.contextmanager
def _stopped_on_error(pool: ProcessPool) -> Iterator[None]:
    """On Ctrl-C or an error, stop the workers at once instead of waiting for their files.

    Workers lead process groups of their own, so a Ctrl-C in the terminal reaches only this
    process: without this, the pool would wait for every file in hand to finish.
    """
    try:
        yield
    except BaseException:
        pool.stop()  # type: ignore[no-untyped-call]
        raise


#: Scratch folders are named after the process that made them, to clear those of dead runs.
_SCRATCH_PREFIX = "foialog-run-"


@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    """A temporary folder for one pool's workers; removed, with their processes, at the end."""
    _clear_dead_scratch()
    folder = Path(tempfile.mkdtemp(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-"))
    try:
        yield folder
    finally:
        _stop_orphans(folder, every=True)
        shutil.rmtree(folder, ignore_errors=True)


def _clear_dead_scratch() -> None:
    """Remove the scratch folders of runs that were killed (their process is gone)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*"):
        pid = folder.name.removeprefix(_SCRATCH_PREFIX).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _stop_orphans(scratch: Path, *, every: bool = False) -> None:
    """Kill the process groups of workers that were stopped (or, with ``every``, of all)."""
    for mark in scratch.glob("worker-*"):
        pgid = int(mark.name.removeprefix("worker-"))
        if every or not _alive(pgid):
            with contextlib.suppress(OSError):
                os.killpg(pgid, signal.SIGKILL)
            mark.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_worker(memory_mb: int, scratch: str) -> None:
    # A forked worker inherits OUT's lock: only the run itself may hold it.
    release_inherited()
    _die_with_parent()
    os.setpgid(0, 0)
    _use_scratch(scratch)
    _limit_memory(memory_mb)


def _use_scratch(scratch: str) -> None:
    """Name this process's group in ``scratch`` and put its temporary files there."""
    Path(scratch, f"worker-{os.getpid()}").touch()
    # Temporary files (a container's members, a library's own) go where the run removes them.
    tempfile.tempdir = scratch
    os.environ["TMPDIR"] = scratch


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the process that started it dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _limit_memory(memory_mb: int, *, on_top: bool = False) -> None:
    """Cap this process's address space at ``memory_mb``, or that much over its size now."""
    limit = memory_mb * 1024 * 1024 + (_address_space() if on_top else 0)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """This process's address space now, in bytes (0 where Linux's /proc is not there)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * resource.getpagesize()


def _failed(source: Source, why: str) -> DocumentResult:
    return DocumentResult(source_file=source.name, status="failed", error=f"{source.name}: {why}")
