"""Each stage after reading runs under its own limits or is left out with a note (deliver 4).

A hook makes a stage block for good or raise; the block never ends by itself, so whether the
stage is stopped does not depend on the machine's speed, only the limit does.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import pandas as pd
import psutil
import pytest

import foialog.pipeline as pipeline
import foialog.repeats as repeats
import foialog.stages as stages
from foialog.engine import Limits, StageStopped, run_beside, run_limited
from foialog.export import Tables, write_csvs
from foialog.pipeline import run
from tests.safety.test_resume import HANG_GUARD

R = TypeVar("R")

GOOD = "Agency,Searches,Date\nInterpol,320,2020-01-18\nEuropol,12,2020-02-01\n"


def _leak(root: Path) -> Path:
    leak = root / "leak"
    leak.mkdir()
    (leak / "a.csv").write_text(GOOD)
    (leak / "b.csv").write_text(GOOD.replace("Interpol", "RCMP").replace("12", "7"))
    return leak


def _block_forever(*args: object, **kwargs: object) -> object:
    threading.Event().wait()  # never set: only the stage's time limit ends this
    raise AssertionError("unreachable")


def _raise(*args: object, **kwargs: object) -> object:
    raise ValueError("a bug in resolution")


def _hog(*args: object, **kwargs: object) -> object:
    hog = bytearray(3 * 1024**3)  # 3 GiB, over any limit below
    hog[-1] = 1
    return hog


def _manifest(out: Path) -> dict[str, object]:
    data = json.loads((out / "run.json").read_text())
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("workers", [0, 1])
def test_resolution_that_fails_is_left_out_and_the_records_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None, workers: int
) -> None:
    monkeypatch.setattr(stages, "resolve_agencies", _raise)
    out = tmp_path / "out"
    result = run(_leak(tmp_path), out, settings={"workers": workers})
    assert sorted(result.records["agency_raw"]) == ["Europol", "Europol", "Interpol", "RCMP"]
    assert set(result.records["agency_id"]) == {""}
    assert result.agencies.empty
    note = result.skipped["resolution"]
    assert note.startswith("agency names were not resolved")
    assert "ValueError: a bug in resolution" in note
    assert _manifest(out)["stages_skipped"] == {"resolution": note}
    assert "agency names were not resolved" in (out / "methodology.md").read_text()
    records = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
    assert len(records) == 4


def test_a_repeat_search_that_fails_is_left_out_and_every_table_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    leak = _leak(tmp_path)
    (leak / "copy.csv").write_text(GOOD.replace(",", ", "))  # a.csv's table, other bytes
    monkeypatch.setattr(repeats, "_rows", _raise)
    result = run(leak, settings={"workers": 1})
    assert result.skipped["repeats"].startswith("tables repeated across files were not looked")
    assert set(result.documents["status"]) == {"ok"}
    assert result.records["count"].sum() == 2 * (320 + 12) + 320 + 7


def test_resolution_that_never_ends_is_stopped_at_the_stage_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    monkeypatch.setattr(stages, "resolve_agencies", _block_forever)
    # Only resolution gets the short limit: with --stage-timeout 3 every stage would, and a
    # report that takes 3 s on a loaded machine would be stopped too.
    real = stages.run_limited

    def short_for_resolution(job: Callable[[], R], *, limits: Limits) -> R:
        if getattr(job, "func", None) is stages.resolve:
            limits = Limits(seconds=3, memory_mb=limits.memory_mb)
        return real(job, limits=limits)

    monkeypatch.setattr(stages, "run_limited", short_for_resolution)
    out = tmp_path / "out"
    result = run(_leak(tmp_path), out, settings={"workers": 1})
    note = result.skipped["resolution"]
    assert "took longer than 3 s and was stopped; raise --stage-timeout" in note
    assert len(result.records) == 4
    assert _manifest(out)["stages_skipped"]["resolution"] == note  # type: ignore[index]
    assert (out / "records.csv").is_file()
    # The three agree (task item 3): run.json above, methodology.md and documents.csv.
    assert _steps_left_out(out) == {
        "resolution": "agency names were not resolved (agency and agency_id are empty; "
        "agencies.csv and review.csv are empty): `took longer than 3 s and was stopped; raise "
        "--stage-timeout to give it more time`"
    }
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert all(
        "its agency names were not resolved: the resolution step was left out" in n
        for n in docs["notes"]
    )


def test_a_report_that_fails_is_left_out_and_an_earlier_one_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    leak, out = _leak(tmp_path), tmp_path / "out"
    run(leak, out, settings={"workers": 1})
    assert (out / "report.html").is_file()
    (leak / "c.csv").write_text(GOOD.replace("Interpol", "Garda").replace("320", "5"))
    monkeypatch.setattr(pipeline, "write_report", _raise)
    result = run(leak, out, settings={"workers": 1})
    note = result.skipped["report"]
    assert note.startswith("report.html was not written (run `foialog report OUT`)")
    manifest = _manifest(out)
    assert manifest["stages_skipped"] == {"report": note}
    assert "report.html" not in manifest["outputs"]  # type: ignore[operator]
    # The earlier run's report would describe other tables than the ones beside it.
    assert not (out / "report.html").exists()
    # methodology.md is made again by the run, naming the step left out (task item 3).
    assert "methodology.md" in manifest["outputs"]  # type: ignore[operator]
    assert set(_steps_left_out(out)) == {"report"}
    assert "ValueError: a bug in resolution" in _steps_left_out(out)["report"]
    assert "c.csv" in (out / "methodology.md").read_text()  # this run's files, not the last
    assert (out / "foialog.sqlite").is_file()
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp") or "staging" in p.name]
    assert "Garda" in (out / "records.csv").read_text()


def test_a_stage_process_is_stopped_at_its_time_and_memory_limits() -> None:
    with pytest.raises(StageStopped, match="took longer than 1 s"):
        run_limited(_block_forever, limits=Limits(seconds=1, memory_mb=512))
    with pytest.raises(StageStopped, match="needed more than 256 MiB"):
        run_limited(_hog, limits=Limits(seconds=600, memory_mb=256))
    assert run_limited(_answer, limits=Limits(seconds=600, memory_mb=256)) == 42


def _answer() -> int:
    return 42


def test_csvs_whose_process_is_stopped_at_the_memory_limit_are_written_here_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    run_process = os.getpid()

    def hog_in_its_own_process(tables: Tables, out: Path, *, raw: bool = False) -> list[Path]:
        if os.getpid() != run_process:
            _hog()
        return write_csvs(tables, out, raw=raw)

    monkeypatch.setattr(pipeline, "write_csvs", hog_in_its_own_process)
    out = tmp_path / "out"
    result = run(_leak(tmp_path), out, settings={"workers": 1, "memory_mb": 2048})
    note = result.skipped["csv"]
    assert note.startswith("the CSVs were written by the run's own process instead")
    assert "needed more than 2048 MiB" in note or "over 2048 MiB" in note
    manifest = _manifest(out)
    assert manifest["stages_skipped"] == {"csv": note}
    records = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
    assert sorted(records["agency_raw"]) == ["Europol", "Europol", "Interpol", "RCMP"]
    assert {"records.csv", "documents.csv", "report.html"} <= set(manifest["outputs"])  # type: ignore[arg-type]
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


# --- a stage that raises stops the stages beside it (deliver 4) -------------------------------


def _ready_file(folder: Path) -> Path:
    return folder / "ready"


def _spawns_and_blocks(folder: Path) -> int:
    """A stage that starts a helper process and writes a temporary file, says so, then blocks."""
    helper = subprocess.Popen(["sleep", "600"])  # in the stage's process group
    with tempfile.NamedTemporaryFile(prefix="plaintext-", delete=False) as fh:
        fh.write(b"Agency,Searches\nSecret Police,1\n")
    said = folder / "ready.tmp"
    said.write_text(f"{helper.pid}\n{fh.name}\n")
    said.replace(_ready_file(folder))  # whole or absent: the other stage waits for it
    threading.Event().wait()  # never set: only being stopped ends this
    raise AssertionError("unreachable")


def _raises_once_the_other_is_ready(folder: Path) -> int:
    """A stage that fails (a full disk) once the stage beside it has its helper and file."""
    guard = time.monotonic() + HANG_GUARD  # against a hung test, never a guess at the work
    while not _ready_file(folder).exists():
        assert time.monotonic() < guard, "the other stage never got ready"
        time.sleep(0.05)
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_stage_that_raises_stops_the_stages_beside_it_and_removes_their_files(
    tmp_path: Path, forked: None
) -> None:
    before = {c.pid for c in psutil.Process().children(recursive=True)}
    jobs = [
        partial(_raises_once_the_other_is_ready, tmp_path),
        partial(_spawns_and_blocks, tmp_path),
    ]
    with pytest.raises(OSError, match="No space left on device"):
        run_beside(jobs, lambda: None, limits=Limits(seconds=HANG_GUARD, memory_mb=1024))
    helper, temporary = _ready_file(tmp_path).read_text().split()
    # SIGKILL was sent before run_beside returned: only the kernel's delivery is awaited.
    delivered = time.monotonic() + KILL_DELIVERED
    while _running(int(helper)) and time.monotonic() < delivered:
        time.sleep(0.05)
    assert not _running(int(helper)), "the blocked stage's helper process still runs"
    assert not Path(temporary).exists(), "the blocked stage's temporary file was left"
    left = [c for c in psutil.Process().children(recursive=True) if c.pid not in before]
    assert not [c for c in left if _running(c.pid)]
    assert not list(Path(tempfile.gettempdir()).glob(f"foialog-run-{os.getpid()}-*"))


#: Seconds for a SIGKILL already sent to take effect: the kernel's work, not the test's.
KILL_DELIVERED = 30.0


def _running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


# --- methodology.md, run.json and documents.csv agree on the steps left out (task item 3) -----


def _steps_left_out(out: Path) -> dict[str, str]:
    """The "Steps left out" of methodology.md, step by step, as written there."""
    text = (out / "methodology.md").read_text()
    assert "## Steps left out" in text, text
    section = text.split("## Steps left out", 1)[1].split("\n## ", 1)[0]
    items = [line.removeprefix("- ") for line in section.splitlines() if line.startswith("- ")]
    return dict(item.split(": ", 1) for item in items)


def _dies_in_its_own_process(run_process: int, real: Callable[..., R]) -> Callable[..., R]:
    """``real``, but killed (as by the system at a limit) when called in a stage's process."""

    def dies(*args: object, **kwargs: object) -> R:
        if os.getpid() != run_process:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    return dies


@pytest.mark.parametrize("step", ["database", "report"])
def test_a_step_stopped_beside_the_report_is_named_in_methodology_and_run_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None, step: str
) -> None:
    # The report's methodology is made beside the database and the CSVs: a stop there is only
    # known afterwards. A killed process stands in for a stop at the memory limit, with no clock.
    hooked = {"database": "export", "report": "write_report"}[step]
    monkeypatch.setattr(
        pipeline, hooked, _dies_in_its_own_process(os.getpid(), getattr(pipeline, hooked))
    )
    out = tmp_path / "out"
    result = run(_leak(tmp_path), out, settings={"workers": 1})
    note = result.skipped[step]
    assert "its process died (exit code -9)" in note
    manifest = _manifest(out)
    assert manifest["stages_skipped"] == {step: note}
    lacks = {"database": "foialog.sqlite", "report": "report.html"}[step]
    assert lacks not in manifest["outputs"]  # type: ignore[operator]
    assert not (out / lacks).exists()
    left_out = _steps_left_out(out)
    assert set(left_out) == {step}
    assert left_out[step].startswith(f"{lacks} was not written")
    assert "its process died (exit code -9)" in left_out[step]
    summary = (out / "methodology.md").read_text().split("## Summary", 1)[1].split("\n## ")[0]
    assert "1 step(s) after reading were left out of this run" in summary
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert not any("left out" in n for n in docs["notes"])  # the documents lack nothing
