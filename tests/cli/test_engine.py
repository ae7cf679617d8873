"""Engines: the process pool enforces per-file limits, keeps order, and matches in-process runs."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from foialog.engine import Limits, Stopped, core_shares, run_beside, run_local
from foialog.errors import FoialogError
from foialog.extract import parallel
from foialog.extract.document import DocumentResult
from foialog.extract.sources import Source


def _sleepy(source: Source) -> list[DocumentResult]:
    if "slow" in source.name:
        threading.Event().wait()  # never set: only the time limit ends it
    return [DocumentResult(source_file=source.name)]


def _greedy(source: Source) -> list[DocumentResult]:
    if "greedy" in source.name:
        hog = bytearray(3 * 1024**3)  # 3 GiB, over the limit below
        hog[-1] = 1
    return [DocumentResult(source_file=source.name)]


def _crashy(source: Source) -> list[DocumentResult]:
    if "crash" in source.name:
        os._exit(3)
    return [DocumentResult(source_file=source.name)]


def _collect(sources: list[Source], task: object, limits: Limits) -> dict[str, DocumentResult]:
    got: dict[str, DocumentResult] = {}

    def keep(source: Source, results: list[DocumentResult]) -> None:
        got[source.name] = results[0]

    run_local(sources, task, keep, workers=2, limits=limits)  # type: ignore[arg-type]
    return got


def _sources(tmp_path: Path, names: list[str]) -> list[Source]:
    return [Source(path=tmp_path / n, name=n) for n in names]


@pytest.mark.parametrize(
    ("task", "bad", "words"),
    [
        (_sleepy, "slow.csv", "took longer than 5 s"),
        (_greedy, "greedy.csv", "1024 MiB"),
        (_crashy, "crash.csv", "worker died (exit code 3)"),
    ],
)
def test_one_bad_file_fails_alone(tmp_path: Path, task: object, bad: str, words: str) -> None:
    names = ["a.csv", bad, "b.csv", "c.csv"]
    got = _collect(_sources(tmp_path, names), task, Limits(seconds=5, memory_mb=1024))
    assert sorted(got) == sorted(names)
    assert got[bad].status == "failed"
    assert words in got[bad].error
    assert got[bad].error.startswith(bad)
    assert all(got[n].status == "ok" for n in names if n != bad)


@pytest.mark.parametrize(
    ("sizes", "workers", "shares"),
    [
        ([100, 10, 10], 2, [4, 2, 2]),  # larger than the rest together: every core
        ([100, 60, 50], 2, [2, 2, 2]),  # the rest outweigh it: each its share
        ([100, 100], 2, [2, 2]),  # a tie is no long pole
        ([5], 1, [4]),
        ([100, 1, 1, 1], 4, [4, 1, 1, 1]),
        ([], 2, []),
    ],
)
def test_core_shares_give_a_long_pole_every_core(
    monkeypatch: pytest.MonkeyPatch, sizes: list[int], workers: int, shares: list[int]
) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 4)
    assert core_shares(sizes, workers) == shares


def _answer() -> int:
    return 42


def _refuses() -> int:
    raise FoialogError("out.sqlite: disk full; free some space")


def _dies() -> int:
    os._exit(9)


@pytest.fixture(params=["fork", "forkserver"])
def start_method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    # Both ways run_beside starts processes: fork (tables shared) and a pickling pool (used
    # when another thread runs, which a test session may have left behind).
    method = str(request.param)
    context = mp.get_context(method)
    if method == "forkserver":
        parallel.start_forkserver(context)
    monkeypatch.setattr(parallel, "process_context", lambda: context)
    return method


def test_workers_started_beside_a_thread_come_from_foialogs_fork_server() -> None:
    # A thread running here (a notebook kernel's, a Dask client's, one an earlier test left)
    # means workers start from the fork server. Every pool must start it the same way, with
    # foialog preloaded and the current folder off the path, or whichever pool starts it
    # first decides for all later ones (each worker then imports foialog again, ~1 s).
    stop = threading.Event()
    beside = threading.Thread(target=stop.wait)
    beside.start()
    try:
        context = parallel.process_context()
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            safe_path = pool.submit(os.getenv, "PYTHONSAFEPATH").result()
    finally:
        stop.set()
        beside.join()
    assert context.get_start_method() == "forkserver"
    assert safe_path == "1"


def test_run_beside_returns_results_and_runs_meanwhile_here(start_method: str) -> None:
    seen: list[int] = []
    assert run_beside([_answer, _answer], lambda: seen.append(os.getpid())) == [42, 42]
    assert seen == [os.getpid()]


def test_run_beside_raises_a_failed_job(start_method: str) -> None:
    with pytest.raises(FoialogError, match="disk full"):
        run_beside([_answer, _refuses], lambda: None)


def test_run_beside_gives_the_reason_of_a_dead_job(start_method: str) -> None:
    # Deliver 4: an output stage that dies is left out with the reason, the run goes on.
    dead, answer = run_beside([_dies, _answer], lambda: None)
    assert answer == 42
    assert isinstance(dead, Stopped)
    assert "its process died (exit code 9)" in dead.why


def test_run_beside_stops_a_job_at_its_time_limit(forked: None) -> None:
    # Forked, so that the quick job starts at once; the slow one never ends by itself.
    slow, answer = run_beside([_blocks, _answer], lambda: None, limits=Limits(seconds=10))
    assert answer == 42
    assert isinstance(slow, Stopped)
    assert "took longer than 10 s" in slow.why


def _blocks() -> int:
    threading.Event().wait()  # never set: only the time limit ends it
    return 0
