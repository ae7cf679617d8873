"""Re-runs read only changed files; a run killed halfway resumes with nothing lost or doubled."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import foialog.cli as cli
import foialog.pipeline as pipeline
from bench.pdf_memory import ROWS, _write_pdf
from foialog.extract.document import DocumentResult
from foialog.extract.sources import Source
from foialog.pipeline import run

#: The tables compared between a resumed run and an uninterrupted one.
TABLES = ("records", "agencies", "documents", "review", "agencies_monthly")


def _leak(folder: Path, files: int, rows: int = 40) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = ["Agency,Searches,Date"]
        lines += [f"Agency {f}-{r} Police,{r + f},2020-01-{1 + r % 28:02d}" for r in range(rows)]
        (folder / f"log_{f:03d}.csv").write_text("\n".join(lines) + "\n")
    return folder


def _frames(out: Path, names: tuple[str, ...] = TABLES[:3]) -> dict[str, pd.DataFrame]:
    frames = {}
    for name in names:
        frame = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        frames[name] = frame.drop(columns=["seconds"], errors="ignore")
    return frames


def test_rerun_reads_only_changed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    leak = _leak(tmp_path / "leak", 4)
    out = tmp_path / "out"
    first = run(leak, out, settings={"workers": 0})
    seen: list[str] = []
    original = pipeline.process_source

    def counting(source: Source, options: pipeline.Settings) -> list[pipeline.DocumentResult]:
        seen.append(source.name)
        return original(source, options)

    monkeypatch.setattr(pipeline, "process_source", counting)
    (leak / "log_002.csv").write_text("Agency,Searches\nChanged Police,5\n")
    (leak / "log_new.csv").write_text("Agency,Searches\nNew Police,6\n")
    second = run(leak, out, settings={"workers": 0})
    assert sorted(seen) == ["log_002.csv", "log_new.csv"]
    assert len(second.records) == len(first.records) - 40 + 2
    assert second.records["record_id"].is_unique


def test_rerun_clears_a_killed_runs_half_written_cache_file(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak", 2)
    out = tmp_path / "out"
    run(leak, out, settings={"workers": 0})
    cache = out / ".foialog-cache"
    leftover = cache / ".0123abcd.json.k1ll3d.tmp"
    leftover.write_text('{"fingerprint": "half')
    again = run(leak, out, settings={"workers": 0})
    assert not leftover.exists()
    assert len(list(cache.glob("*.json"))) == 2
    assert len(again.records) == 80


#: process_source as foialog defines it, before a killed run's stand-in replaces it.
_PROCESS_SOURCE = pipeline.process_source


@dataclass(frozen=True)
class _StopAfter:
    """process_source that reads ``at`` files, then blocks on every other until killed.

    Each worker takes one of ``at`` tickets (files created exclusively, so no two workers take
    the same) before it reads a file; without one it blocks. So exactly ``at`` files are read
    and cached, however fast or loaded the machine, and the test kills the run once they are:
    at a point the run reports, never after a guessed sleep.
    """

    tickets: Path
    at: int

    def __call__(self, source: Source, options: pipeline.Settings) -> list[DocumentResult]:
        for ticket in range(self.at):
            try:
                os.close(os.open(self.tickets / str(ticket), os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                continue
            return _PROCESS_SOURCE(source, options)
        # Say so, for a test waiting for the workers to be blocked
        # (tests/safety/test_safety_files.py).
        (self.tickets / f"blocked-{os.getpid()}").touch()
        threading.Event().wait()  # never set: blocks until the test kills the run
        raise AssertionError("unreachable")


def _killed_run(out: str, at: str) -> None:
    """In the killed subprocess: foialog's CLI with process_source stopping after ``at`` files."""
    tickets = Path(f"{out}.tickets")  # beside OUT, not in it
    tickets.mkdir(parents=True, exist_ok=True)
    pipeline.process_source = _StopAfter(tickets, int(at))
    # Ctrl-C as in a terminal: a test session started in the background (a CI job, `make test
    # &`) passes SIGINT on ignored, and Python then installs no handler, so the interrupted
    # run went on until its files timed out (300 s) and exited 1.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    cli.main()


#: Longest a test waits for a point the run reports: a guard against a hung test, never a
#: guess at how long the work takes (the wait ends as soon as the point is reached).
HANG_GUARD = 1800.0


def wait_for(reached: Callable[[], bool], proc: subprocess.Popen[bytes], what: str) -> None:
    """Wait until the run in ``proc`` reports ``reached``; fail at once if it ends first."""
    guard = time.monotonic() + HANG_GUARD
    while not reached():
        assert proc.poll() is None, f"the run ended (exit {proc.returncode}) before {what}"
        assert time.monotonic() < guard, f"no {what} after {HANG_GUARD:g} s: the test hangs"
        time.sleep(0.05)


def start_stopping_run(out: Path, at: int, args: list[str]) -> subprocess.Popen[bytes]:
    """Start `foialog run ARGS` in a session of its own, its workers reading ``at`` files and
    blocking on every other (each blocked worker touches OUT.tickets/blocked-PID)."""
    stopping = (
        "import sys; from tests.safety.test_resume import _killed_run; "
        f"sys.argv = ['foialog', *{args!r}]; _killed_run({str(out)!r}, {str(at)!r})"
    )
    root = Path(__file__).resolve().parents[2]
    return subprocess.Popen([sys.executable, "-c", stopping], start_new_session=True, cwd=root)


def _run_and_kill(
    leak: Path, out: Path, workers: int, at: int, extra: tuple[str, ...] = ()
) -> list[str]:
    """Start `foialog run` stopping once ``at`` files are read, and SIGKILL it, workers and all,
    once they are cached and the workers block; return the plain command, for a re-run."""
    cache = out / ".foialog-cache"
    args = ["run", str(leak), "-o", str(out), "-q", "--workers", str(workers), *extra]
    proc = start_stopping_run(out, at, args)
    tickets = Path(f"{out}.tickets")
    try:
        wait_for(
            lambda: (
                cache.is_dir()
                and len(list(cache.glob("*.json"))) >= at
                and len(list(tickets.glob("blocked-*"))) >= workers
            ),
            proc,
            f"{at} files cached with every worker blocked",
        )
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return [sys.executable, "-m", "foialog.cli", *args]


def test_sigkill_halfway_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak", 40, rows=100)
    clean = tmp_path / "clean"
    run(leak, clean, settings={"workers": 0})  # in-process: also shows the pool gives the same
    killed = tmp_path / "killed"
    _run_and_kill(leak, killed, workers=1, at=15)
    cached = len(list((killed / ".foialog-cache").glob("*.json")))
    assert 0 < cached < 40, f"the kill came at {cached} of 40 files"
    assert not (killed / "run.json").exists()
    run(leak, killed, settings={"workers": 1})
    got, want = _frames(killed), _frames(clean)
    for name, frame in want.items():
        pd.testing.assert_frame_equal(got[name], frame, check_like=False)
    assert got["records"]["record_id"].is_unique


def _cached(cache: Path) -> dict[str, tuple[int, bytes]]:
    """Each cached input file's name, and the inode and bytes of its cache entry."""
    entries, fingerprints = {}, set()
    for path in cache.glob("*.json"):
        data = path.read_bytes()
        # JSON Lines (foialog.cache): the head, then each result's fields (an object) followed
        # by its records (one array each).
        head, *lines = map(json.loads, data.decode("utf-8").splitlines())
        fingerprints.add(head["fingerprint"])
        names = {line["source_file"] for line in lines if isinstance(line, dict)}
        assert len(names) == 1, f"{path.name} holds {names}"
        entries[names.pop()] = (path.stat().st_ino, data)
    # Entries of two fingerprints mean foialog's code changed between the runs, and with it
    # what a re-run may reuse: not a resume fault.
    assert len(fingerprints) <= 1, "foialog's code was edited during the test; run it again"
    return entries


def test_1000_pages_sigkilled_halfway_then_rerun_equals_an_uninterrupted_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    files, pages = 10, 100
    leak = tmp_path / "leak"
    leak.mkdir()
    # One file copied under ten names (as bench/throughput.py does): the cache must still keep
    # each name's records apart, since its key is the name as well as the content.
    _write_pdf(tmp_path / "log.pdf", pages)
    for f in range(files):
        shutil.copyfile(tmp_path / "log.pdf", leak / f"log_{f:02d}.pdf")
    killed = tmp_path / "killed"
    cache = killed / ".foialog-cache"
    # Ten names of one file: each read, as ten files would be. The per-file time limit is a
    # guard only: at its default (300 s) a 100-page PDF on a loaded machine was stopped, and
    # a file stopped in one run and read in the other is not a resume fault.
    extra = ("--keep-duplicates", "--timeout", str(HANG_GUARD))
    command = _run_and_kill(leak, killed, workers=2, at=files // 2, extra=extra)
    before = _cached(cache)
    assert 0 < len(before) < files, f"the kill came at {len(before)} of {files} files"
    assert not (killed / "run.json").exists()
    assert not (killed / "records.csv").exists()

    # Re-run as a reporter would, in a fresh process: its code fingerprint is read from disk
    # as the killed run's was, so the cache entries it finds are the ones to reuse.
    subprocess.run(command, check=True)
    after = _cached(cache)
    # Every file read is cached anew (a new file renamed into place, with its own timing), so
    # the entries left as they were are the files the re-run did not read again.
    read = {name for name, entry in after.items() if before.get(name) != entry}
    assert read == {p.name for p in leak.iterdir()} - set(before)
    assert len(after) == files

    clean = tmp_path / "clean"
    run(leak, clean, settings={"workers": 2, "keep_duplicates": True, "timeout": HANG_GUARD})
    got, want = _frames(killed, TABLES), _frames(clean, TABLES)
    for name in TABLES:
        pd.testing.assert_frame_equal(got[name], want[name], obj=f"{name}.csv")
    records = got["records"]
    assert len(records) == files * pages * ROWS
    assert records["record_id"].is_unique
    # record_id numbers repeats of a position apart, so a record read twice shows only here.
    assert not records.duplicated(["source_file", "page", "row"]).any()
    assert (records.groupby("source_file").size() == pages * ROWS).all()
    with capsys.disabled():
        print(
            f"\nresume: {files * pages} pages in {files} PDFs, SIGKILL after {len(before)} of "
            f"{files} files cached; re-run read {len(read)}; {len(records)} records, "
            f"no record_id repeated; {', '.join(TABLES)} equal to an uninterrupted run's; "
            f"{time.monotonic() - started:.0f} s"
        )
