"""`foialog export` and `foialog report` work under limits, as a run's stages (issue 15, 4).

Each command's work runs in a process of its own under --stage-timeout and --memory-mb,
holding OUT's lock, and writes into a staging folder: a stop, a full disk or a bug ends with
one line naming OUT and the fix, exit code 2, OUT's files as they were and nothing left over.
Hooks make the work block for good, hog memory or raise, so the outcome never depends on the
machine's speed.
"""

from __future__ import annotations

import errno
import multiprocessing as mp
import os
import sys
import tempfile
import threading
from pathlib import Path

import psutil
import pytest

import foialog.stages as stages
from foialog.cli import main
from foialog.extract import parallel
from foialog.outfolder import LOCK
from foialog.pipeline import run

GOOD = "Agency,Searches,Date\nInterpol,320,2020-01-18\nEuropol,12,2020-02-01\n"


@pytest.fixture
def finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """OUT of a finished run; the commands' processes forked from the test, to see its hooks."""
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "a.csv").write_text(GOOD)
    out = tmp_path / "out"
    run(leak, out, settings={"workers": 0})
    monkeypatch.setattr(parallel, "process_context", lambda: mp.get_context("fork"))
    return out


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != LOCK}


def _command(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """Run the foialog command line; its exit code and what it printed on stderr."""
    monkeypatch.setattr(sys, "argv", ["foialog", *argv])
    capsys.readouterr()
    try:
        main()
    except SystemExit as stopped:
        return int(stopped.code or 0), capsys.readouterr().err
    return 0, capsys.readouterr().err


def _blocks(*args: object, **kwargs: object) -> list[Path]:
    threading.Event().wait()  # never set: only the time limit ends this
    raise AssertionError("unreachable")


def _hogs(*args: object, **kwargs: object) -> list[Path]:
    hog = bytearray(3 * 1024**3)  # 3 GiB, over the limit the test gives
    hog[-1] = 1
    return []


def _full_disk(stage: Path, *args: object, **kwargs: object) -> list[Path]:
    (stage / "foialog.xlsx").write_bytes(b"PK half")  # half-written, then the disk is full
    raise OSError(errno.ENOSPC, "No space left on device")


def _bug(*args: object, **kwargs: object) -> list[Path]:
    raise ValueError("a bug in the report")


def _nothing_left(out: Path, before: dict[str, bytes], children: set[int]) -> None:
    assert _snapshot(out) == before
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp") or "staging" in p.name]
    assert not list(Path(tempfile.gettempdir()).glob(f"foialog-run-{os.getpid()}-*"))
    left = [c for c in psutil.Process().children(recursive=True) if c.pid not in children]
    assert not [c for c in left if c.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.parametrize(
    ("argv", "hook", "limit", "said"),
    [
        (["export", "--format", "xlsx"], "export", ["--stage-timeout", "1"],
         "took longer than 1 s and was stopped; raise --stage-timeout"),
        (["report"], "write_report", ["--stage-timeout", "1"],
         "took longer than 1 s and was stopped; raise --stage-timeout"),
        (["export", "--format", "csv"], "export", ["--memory-mb", "256"],
         "raise --memory-mb"),
        (["report"], "write_report", ["--memory-mb", "256"], "raise --memory-mb"),
    ],
)  # fmt: skip
def test_a_command_stopped_at_its_limit_says_so_in_one_line_and_leaves_out_as_it_was(
    finished: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    hook: str,
    limit: list[str],
    said: str,
) -> None:
    out = finished
    before, children = _snapshot(out), {c.pid for c in psutil.Process().children(True)}
    monkeypatch.setattr(stages, hook, _blocks if "--stage-timeout" in limit else _hogs)
    name, *options = argv
    code, err = _command([name, str(out), *options, *limit], monkeypatch, capsys)
    assert code == 2
    assert err.count("\n") == 1, err  # one line
    line = " ".join(err.split())
    assert f"foialog {name} could not finish on {out}" in line
    assert said in line
    assert f"the files in {out} were left as they were" in line
    assert "Traceback" not in err
    _nothing_left(out, before, children)


@pytest.mark.parametrize(
    ("argv", "hook", "fake", "said"),
    [
        (["export", "--format", "xlsx"], "export", _full_disk,
         "cannot write the outputs to {out} (No space left on device); no output there was "
         "changed: free some space or check the folder's permissions"),
        (["report"], "write_report", _bug,
         "foialog report failed on {out} (ValueError: a bug in the report); the files in {out} "
         "were left as they were; please report it"),
    ],
)  # fmt: skip
def test_a_full_disk_or_a_bug_is_one_line_and_out_is_left_as_it_was(
    finished: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    hook: str,
    fake: object,
    said: str,
) -> None:
    out = finished
    before, children = _snapshot(out), {c.pid for c in psutil.Process().children(True)}
    monkeypatch.setattr(stages, hook, fake)
    name, *options = argv
    code, err = _command([name, str(out), *options], monkeypatch, capsys)
    assert code == 2
    assert err.count("\n") == 1, err
    assert said.format(out=out) in " ".join(err.split())
    _nothing_left(out, before, children)


def test_export_and_report_write_into_out_and_keep_run_json(
    finished: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = finished
    run_json = (out / "run.json").read_text()
    (out / "report.html").unlink()
    code, _ = _command(["report", str(out)], monkeypatch, capsys)
    assert code == 0
    assert "Interpol" in (out / "report.html").read_text()
    code, _ = _command(["export", str(out), "--format", "parquet"], monkeypatch, capsys)
    assert code == 0
    assert (out / "records.parquet").is_file()
    assert (out / "run.json").read_text() == run_json  # neither touches the run's record
    code, _ = _command(["export", str(out), "--format", "csv", "--raw-csv"], monkeypatch, capsys)
    assert code == 0
    assert '"csv": "raw"' in (out / "run.json").read_text()
    assert not [p.name for p in out.iterdir() if "staging" in p.name]
