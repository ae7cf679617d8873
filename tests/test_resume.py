"""Re-runs read only changed files; a run killed halfway resumes with nothing lost or doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import foialog.pipeline as pipeline
from extract.sources import Source
from foialog.pipeline import run


def _leak(folder: Path, files: int, rows: int = 40) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = ["Agency,Searches,Date"]
        lines += [f"Agency {f}-{r} Police,{r + f},2020-01-{1 + r % 28:02d}" for r in range(rows)]
        (folder / f"log_{f:03d}.csv").write_text("\n".join(lines) + "\n")
    return folder


def _frames(out: Path) -> dict[str, pd.DataFrame]:
    frames = {}
    for name in ("records", "agencies", "documents"):
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


def test_sigkill_halfway_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak", 40, rows=100)
    clean = tmp_path / "clean"
    run(leak, clean, settings={"workers": 0})  # in-process: also shows the pool gives the same
    killed = tmp_path / "killed"
    cache = killed / ".foialog-cache"
    command = [sys.executable, "-m", "foialog.cli", "run", str(leak), "-o", str(killed),
               "-q", "--workers", "1"]  # fmt: skip
    proc = subprocess.Popen(command, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if cache.exists() and len(list(cache.glob("*.json"))) >= 15:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    cached = len(list(cache.glob("*.json")))
    assert 0 < cached < 40, f"the kill came at {cached} of 40 files"
    assert not (killed / "run.json").exists()
    run(leak, killed, settings={"workers": 1})
    got, want = _frames(killed), _frames(clean)
    for name, frame in want.items():
        pd.testing.assert_frame_equal(got[name], frame, check_like=False)
    assert got["records"]["record_id"].is_unique
