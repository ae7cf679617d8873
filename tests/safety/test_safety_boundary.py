"""Input boundary and output folder safety (issue 15 items 1, 2, 3, 4, 6, 11, 12, 13).

Files that root could read anyway are made unreadable by running foialog as root without the
capabilities that bypass file permissions (setpriv), so these tests hold as root and as a user.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import foialog.outputs
from foialog.cli import main
from foialog.errors import FoialogError
from foialog.extract.walk import OUTPUT_MARKER
from foialog.outfolder import LOCK, claimed
from foialog.pipeline import run
from tests.safety.test_resume import HANG_GUARD

FOIALOG = str(Path(sys.executable).with_name("foialog"))
GOOD = "Agency,Searches,Date\nInterpol,320,2020-01-18\nEuropol,12,2020-02-01\n"
FAST = {"workers": 0}


def _leak(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "good.csv").write_text(GOOD)
    return folder


def _documents(out: Path) -> dict[str, dict[str, str]]:
    frame = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    return {row["source_file"]: row for row in frame.to_dict("records")}


def _foialog(*args: str | Path, cwd: Path, caps: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed foialog command; without ``caps``, as a user that file modes bind."""
    command = [FOIALOG, *map(str, args)]
    if not caps and os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    # A guard against a hung test, never a guess at how long the command takes.
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=HANG_GUARD)


def _said(done: subprocess.CompletedProcess[str]) -> str:
    """What the command printed on stderr, with the console's line wrapping undone."""
    return " ".join(done.stderr.split())


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != LOCK}


# --- item 1: OUT inside the inputs is never read; OUT never holds the inputs ---------------


def test_out_inside_the_input_folder_is_never_read_again(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak")
    out = leak / "out"
    counts = [len(run(leak, out, settings=FAST).records) for _ in range(3)]
    assert counts == [2, 2, 2]  # was 3 -> 67 -> 244 before: the run read its own outputs
    docs = _documents(out)
    assert docs["out/"]["status"] == "skipped"
    assert "output folder" in docs["out/"]["error"]
    # Another run's output folder under the inputs is not read either.
    run(leak, tmp_path / "elsewhere", settings=FAST)
    shutil.copytree(tmp_path / "elsewhere", leak / "old run")
    assert len(run(leak, out, settings=FAST).records) == 2
    assert _documents(out)["old run/"]["status"] == "skipped"


def test_out_that_holds_the_inputs_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak")
    (leak / "records.csv").write_text("Agency,Searches\nLeaked evidence,1\n")
    before = _snapshot(leak)
    for out in (leak, tmp_path):
        with pytest.raises(FoialogError, match="holds the input"):
            run(leak, out, settings={**FAST, "force": True})
    assert _snapshot(leak) == before


# --- item 2: a marker, --force, and a run that reads nothing leaves outputs alone -----------


def test_a_non_empty_folder_foialog_did_not_write_is_refused_unless_forced(
    tmp_path: Path,
) -> None:
    leak = _leak(tmp_path / "leak")
    out = tmp_path / "notes"
    out.mkdir()
    (out / "report.html").write_text("<p>my own notes</p>")
    done = _foialog("run", leak, "-o", out, "-q", "--workers", "0", cwd=tmp_path)
    assert done.returncode == 2
    assert "--force" in _said(done)
    assert "Traceback" not in _said(done)
    assert (out / "report.html").read_text() == "<p>my own notes</p>"
    assert not (out / "records.csv").exists()
    forced = _foialog("run", leak, "-o", out, "-q", "--workers", "0", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (out / OUTPUT_MARKER).is_file()
    # Once marked, foialog writes there again without --force.
    again = _foialog("run", leak, "-o", out, "-q", "--workers", "0", cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def test_a_run_where_no_file_is_read_leaves_earlier_outputs_untouched(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak")
    out = tmp_path / "out"
    run(leak, out, settings=FAST)
    before = _snapshot(out)
    (leak / "good.csv").unlink()
    (leak / "broken.pdf").write_bytes(b"%PDF-1.7\nnot a pdf")
    done = _foialog("run", leak, "-o", out, "-q", "--workers", "0", cwd=tmp_path)
    assert done.returncode == 1
    assert "left as they were" in _said(done)
    assert _snapshot(out) == before


# --- item 3: a lock stops a second run on the same OUT; a dead run's lock does not ----------


def test_a_second_run_on_the_same_out_stops_with_a_clear_message(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak")
    out = tmp_path / "out"
    run(leak, out, settings=FAST)
    before = _snapshot(out)
    with claimed(out):  # a run in progress
        done = _foialog("run", leak, "-o", out, "-q", "--workers", "0", cwd=tmp_path)
    assert done.returncode == 2
    assert "another foialog command is writing" in _said(done)
    assert f"process {os.getpid()}" in _said(done)
    assert _snapshot(out) == before
    # A run killed while holding the lock leaves the file, never the lock: the next run goes on.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from foialog.outfolder import claimed\n"
         f"with claimed(Path({str(out)!r})):\n  print('held', flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    holder.kill()
    holder.wait()
    assert "process" in (out / LOCK).read_text()
    assert len(run(leak, out, settings=FAST).records) == 2


@pytest.mark.parametrize("command", [["export", "--format", "csv"], ["report"]])
def test_export_and_report_wait_for_no_run_holding_out(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    # Deliver 2 (task item 4): every command writing into OUT takes the run's lock.
    out = tmp_path / "out"
    run(_leak(tmp_path / "leak"), out, settings=FAST)
    before = _snapshot(out)
    name, *options = command
    monkeypatch.setattr(sys, "argv", ["foialog", name, str(out), *options])
    with claimed(out), pytest.raises(SystemExit) as stopped:  # a run in progress
        main()
    assert stopped.value.code == 2
    said = " ".join(capsys.readouterr().err.split())
    assert "another foialog command is writing" in said
    assert f"process {os.getpid()}" in said
    assert _snapshot(out) == before
    main()  # the run is over: the command goes on (an error would exit)
    assert "wrote" in capsys.readouterr().out


# --- item 4: folders named like foialog's packages in the current folder --------------------


def test_folders_named_foialog_extract_entities_here_do_not_shadow_the_packages(
    tmp_path: Path,
) -> None:
    leak = _leak(tmp_path / "leak")
    (leak / "more.csv").write_text(GOOD.replace("Interpol", "RCMP"))
    # Empty folders, as an output folder named after the tool is: under an editable install
    # (a path finder after sys.path), such a folder on the path becomes a namespace package.
    for name in ("foialog", "extract", "entities"):
        (tmp_path / name).mkdir()
    # Without -q the progress bar runs a thread, so the workers start from a fork server.
    done = _foialog("run", "leak", "-o", "out", "--workers", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    docs = _documents(tmp_path / "out")
    assert {d["status"] for d in docs.values()} == {"ok"}, docs


# --- items 6, 12, 13: every entry accounted for; links, FIFOs, odd names, no permission -----


def test_every_entry_under_the_inputs_is_a_documents_row_with_a_reason(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak")
    outside = tmp_path / "sources_notes.csv"
    outside.write_text("Agency,Searches\nOutside Police,999\n")
    (leak / "notes.csv").symlink_to(outside)
    (leak / "passwd").symlink_to("/etc/passwd")
    (leak / "null").symlink_to("/dev/null")
    (leak / "linked_dir").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(leak / "pipe.csv")
    (leak / ".hidden.csv").write_text(GOOD)
    (leak / ".git").mkdir()
    (leak / ".git" / "config").write_text("[core]\n")
    (leak / "Thumbs.db").write_text(GOOD)
    (leak / "desktop.ini").write_text("[.ShellClassInfo]\nIconResource=x\n")
    (leak / os.fsdecode(b"bad\xff\xfename.csv")).write_text(GOOD.replace("Interpol", "RCMP"))
    (leak / "secret.csv").write_text(GOOD)
    (leak / "secret.csv").chmod(0)
    (leak / "locked").mkdir()
    (leak / "locked" / "inside.csv").write_text(GOOD)
    (leak / "locked").chmod(0)
    try:
        done = _foialog("run", leak, "-o", tmp_path / "out", "-q", "--workers", "1",
                        cwd=tmp_path, caps=False)  # fmt: skip
    finally:
        (leak / "locked").chmod(0o755)
    assert done.returncode == 0, done.stderr
    docs = _documents(tmp_path / "out")
    expected = {
        "good.csv": "ok",
        "bad\\xff\\xfename.csv": "ok",
        "notes.csv": "skipped",
        "passwd": "skipped",
        "null": "skipped",
        "linked_dir": "skipped",
        "pipe.csv": "skipped",
        ".hidden.csv": "skipped",
        ".git/config": "skipped",
        "Thumbs.db": "skipped",
        "desktop.ini": "skipped",
        "secret.csv": "failed",
        "locked/": "failed",
    }
    assert {name: row["status"] for name, row in docs.items()} == expected
    for name, row in docs.items():
        assert row["status"] == "ok" or row["error"].startswith(f"{name}: "), row
    assert "outside the inputs" in docs["notes.csv"]["error"]
    assert "--follow-links" in docs["passwd"]["error"]
    assert "Permission denied" in docs["secret.csv"]["error"]
    assert "Permission denied" in docs["locked/"]["error"]
    assert "FIFO" in docs["pipe.csv"]["error"]
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    everything = "".join(p.read_text(errors="replace") for p in written)
    assert "Outside Police" not in everything
    assert _sha256("/etc/passwd") not in everything
    records = pd.read_csv(tmp_path / "out" / "records.csv", dtype=str, keep_default_na=False)
    assert set(records["source_file"]) == {"good.csv", "bad\\xff\\xfename.csv"}


def test_follow_links_reads_what_links_point_to(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak")
    outside = tmp_path / "notes.csv"
    outside.write_text("Agency,Searches\nOutside Police,999\n")
    (leak / "notes.csv").symlink_to(outside)
    (leak / "again").symlink_to(leak, target_is_directory=True)  # a loop
    result = run(leak, tmp_path / "out", settings={**FAST, "follow_links": True})
    assert "Outside Police" in set(result.records["agency_raw"])
    docs = _documents(tmp_path / "out")
    assert docs["again/"]["status"] == "skipped"


def _sha256(path: str) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- item 11: a full disk or a read-only OUT: one line, exit 2, nothing half-written ---------


def test_a_full_disk_leaves_earlier_outputs_whole_and_no_leftovers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    forked: None,
) -> None:
    leak = _leak(tmp_path / "leak")
    out = tmp_path / "out"
    run(leak, out, settings=FAST)
    before = _snapshot(out)
    (leak / "more.csv").write_text(GOOD.replace("Interpol", "RCMP"))
    # A killed run's leftovers, which this run must clear.
    (out / ".records.csv.k1ll3d.tmp").write_text("half")
    (out / ".foialog-staging-99999").mkdir()
    real_write_atomic = foialog.outputs.write_atomic

    def full_disk(path: Path, write: Callable[[Path], None]) -> None:
        # The disk fills while agencies.csv is written: part of it is on disk, then ENOSPC.
        def part_then_full(tmp: Path) -> None:
            tmp.write_text("Agency,")
            raise OSError(errno.ENOSPC, "No space left on device")

        real_write_atomic(path, part_then_full if "agencies" in path.name else write)

    monkeypatch.setattr(foialog.outputs, "write_atomic", full_disk)
    # The CSVs are written by a stage process of their own: forked, it shares the full disk
    # above; started from a fork server (as when another thread runs, in a long test
    # session) it would write on a disk that is not full.
    monkeypatch.setattr(sys, "argv", ["foialog", "run", str(leak), "-o", str(out), "-q",
                                      "--workers", "0"])  # fmt: skip
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line
    assert "No space left on device" in err
    assert "Traceback" not in err
    assert _snapshot(out) == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [
        ".foialog-cache",
        OUTPUT_MARKER,
        LOCK,
    ]


def test_a_read_only_out_is_a_one_line_error(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak")
    locked = tmp_path / "locked"
    locked.mkdir()
    run(leak, locked / "out", settings=FAST)
    before = _snapshot(locked / "out")
    (locked / "out").chmod(0o555)
    try:
        done = _foialog("run", leak, "-o", locked / "out", "-q", "--workers", "0",
                        cwd=tmp_path, caps=False)  # fmt: skip
        fresh = _foialog("run", leak, "-o", locked / "out" / "new", "-q", cwd=tmp_path,
                         caps=False)  # fmt: skip
    finally:
        (locked / "out").chmod(0o755)
    for attempt in (done, fresh):
        assert attempt.returncode == 2
        assert "cannot write the outputs" in _said(attempt)
        assert "Traceback" not in _said(attempt)
    assert _snapshot(locked / "out") == before
    assert json.loads((locked / "out" / "run.json").read_text())["records"] == 2


def test_an_io_error_is_a_failed_row_and_the_run_goes_on(tmp_path: Path) -> None:
    leak = _leak(tmp_path / "leak")
    # Reading /proc/self/mem from its start fails with EIO, as a failing disk does.
    (leak / "failing_disk.csv").symlink_to("/proc/self/mem")
    result = run(leak, tmp_path / "out", settings={**FAST, "follow_links": True})
    docs = _documents(tmp_path / "out")
    assert docs["failing_disk.csv"]["status"] == "failed"
    assert "Input/output error" in docs["failing_disk.csv"]["error"]
    assert len(result.records) == 2
