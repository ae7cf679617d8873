"""Engines: the process pool enforces per-file limits, keeps order, and matches in-process runs."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path

import pytest

from entities.errors import FoialogError
from extract import parallel
from extract.document import DocumentResult
from extract.sources import Source
from foialog.engine import Limits, core_shares, run_beside, run_local


def _sleepy(source: Source) -> list[DocumentResult]:
    if "slow" in source.name:
        time.sleep(30)
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
        (_sleepy, "slow.csv", "took longer than 2 s"),
        (_greedy, "greedy.csv", "1024 MiB"),
        (_crashy, "crash.csv", "worker died (exit code 3)"),
    ],
)
def test_one_bad_file_fails_alone(tmp_path: Path, task: object, bad: str, words: str) -> None:
    names = ["a.csv", bad, "b.csv", "c.csv"]
    got = _collect(_sources(tmp_path, names), task, Limits(seconds=2, memory_mb=1024))
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
    monkeypatch.setattr(parallel, "process_context", lambda: mp.get_context(method))
    return method


def test_run_beside_returns_results_and_runs_meanwhile_here(start_method: str) -> None:
    seen: list[int] = []
    assert run_beside([_answer, _answer], lambda: seen.append(os.getpid())) == [42, 42]
    assert seen == [os.getpid()]


@pytest.mark.parametrize(("job", "words"), [(_refuses, "disk full"), (_dies, "died")])
def test_run_beside_raises_a_failed_or_dead_job(start_method: str, job: object, words: str) -> None:
    with pytest.raises(FoialogError, match=words):
        run_beside([_answer, job], lambda: None)  # type: ignore[list-item]
