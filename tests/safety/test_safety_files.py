"""One bad file never sinks a run (issue 15 items 5, 8, 9): each becomes a row, the rest is read."""

from __future__ import annotations

import io
import mailbox
import os
import signal
import subprocess
import tempfile
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

import psutil
import pytest

import foialog.pipeline as pipeline
from foialog.engine import Limits, run_local
from foialog.extract.document import DocumentResult
from foialog.extract.readers.containers import ContainerLimits, iter_members, member_labels
from foialog.extract.sources import Source
from foialog.pipeline import run
from tests.readers.test_pdf_hostile import _table_pdf
from tests.safety.test_resume import HANG_GUARD, start_stopping_run, wait_for


def test_an_encrypted_pdf_read_with_its_password_gets_a_report_with_its_page(
    tmp_path: Path,
) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "locked.pdf").write_bytes(_table_pdf(password="s3cret"))
    out = tmp_path / "out"
    result = run(leak, out, settings={"workers": 0, "password": "s3cret"})
    assert "Metro Police Department" in set(result.records["agency_raw"])
    for name in ("report.html", "methodology.md", "run.json"):
        assert (out / name).is_file(), name
    report = (out / "report.html").read_text()
    assert "data:image/png;base64," in report  # the evidence crop opened it with the password
    assert "s3cret" not in report
    assert "page image not shown" not in report
    written = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in written if b"s3cret" in p.read_bytes()]


# --- item 8: a stopped worker leaves no process and no temporary file ------------------------


def _spawning(source: Source) -> list[DocumentResult]:
    """A reader that starts a helper process and writes a temporary file, then hangs."""
    if "slow" in source.name:
        helper = subprocess.Popen(["sleep", "600"])
        with tempfile.NamedTemporaryFile(prefix="plaintext-", delete=False) as fh:
            fh.write(b"Agency,Searches\nSecret Police,1\n")
        source.path.write_text(f"{helper.pid}\n{fh.name}\n")
        time.sleep(600)
    return [DocumentResult(source_file=source.name)]


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_stopped_worker_leaves_no_process_and_no_temporary_file(tmp_path: Path) -> None:
    sources = [Source(tmp_path / n, n) for n in ("slow.csv", "fast.csv")]
    for source in sources:
        source.path.write_text("")
    got: dict[str, DocumentResult] = {}

    def collect(source: Source, results: list[DocumentResult]) -> None:
        got[source.name] = results[0]

    # Helpers that outlive one run by design (a fork server, a resource tracker) may already
    # run for earlier tests: only processes this run starts must be gone after it.
    before = {c.pid for c in psutil.Process().children(recursive=True)}
    # Generous: the fast file's worker must start and finish well inside it on a loaded machine.
    run_local(sources, _spawning, collect, workers=2, limits=Limits(seconds=10))
    assert got["fast.csv"].status == "ok"
    assert got["slow.csv"].status == "failed"
    assert "took longer than 10 s" in got["slow.csv"].error
    helper, temporary = sources[0].path.read_text().split()
    deadline = time.monotonic() + HANG_GUARD  # the kill is done; only its reaping is awaited
    while _alive(int(helper)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(int(helper)), "the stopped worker's helper process still runs"
    assert not Path(temporary).exists(), "the stopped worker's temporary file was left"
    left = psutil.Process().children(recursive=True)
    assert not [c for c in left if c.pid not in before and _alive(c.pid)]
    assert not list(Path(tempfile.gettempdir()).glob(f"foialog-run-{os.getpid()}-*"))


def test_workers_die_with_a_killed_run(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    for n in range(3):
        (leak / f"log_{n}.csv").write_text(f"Agency,Searches\nInterpol,{n}\n")  # not copies
    out = tmp_path / "out"
    # The run's workers block on every file (tests/safety/test_resume.py's stand-in, stopping at 0).
    args = ["run", str(leak), "-o", str(out), "-q", "--workers", "2"]
    proc = start_stopping_run(out, 0, args)
    try:
        workers = _blocked_workers(proc, out, 2)
    finally:
        proc.kill()  # the run alone, by SIGKILL: its workers are not told
        proc.wait()
    _, alive = psutil.wait_procs(workers, timeout=HANG_GUARD)
    assert not alive, f"workers outlived the killed run: {alive}"


def _blocked_workers(proc: subprocess.Popen[bytes], out: Path, count: int) -> list[psutil.Process]:
    """The run's workers, once ``count`` of them say they are blocked on a file."""
    tickets = Path(f"{out}.tickets")
    wait_for(lambda: len(list(tickets.glob("blocked-*"))) >= count, proc, "the workers blocked")
    pids = [int(p.name.removeprefix("blocked-")) for p in tickets.glob("blocked-*")]
    return [psutil.Process(pid) for pid in pids]


# --- item 9: a container keeps the members read before one is stopped -------------------------


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the zip holds two good.csv on purpose
def test_a_container_keeps_the_members_read_before_a_slow_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    real = pipeline.extract_document

    def slow_member(source: Source, options: object) -> DocumentResult:
        if source.name.endswith("slow.csv"):
            time.sleep(600)
        return real(source, options)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract_document", slow_member)
    # Workers must be forked from this process to see the patch: a fork server started by an
    # earlier test (chosen when some thread still runs) would import the real function.
    leak = tmp_path / "leak"
    leak.mkdir()
    table = "Agency,Searches\nInterpol,320\nEuropol,12\n"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep.csv", table)
    with zipfile.ZipFile(leak / "dump.zip", "w") as zf:
        zf.writestr("good.csv", table)
        zf.writestr("good.csv", table.replace("Interpol", "RCMP"))  # the same name twice
        zf.writestr("slow.csv", table)
        zf.writestr("after.csv", table)  # never reached: still listed (task item 3)
        zf.writestr("after.csv", table)
        zf.writestr("inner.zip", inner.getvalue())
    (leak / "plain.csv").write_text(table.replace("Interpol", "Garda"))  # not a repeat
    result = run(leak, tmp_path / "out", settings={"workers": 1, "timeout": 20})
    docs = {row["source_file"]: row for row in result.documents.to_dict("records")}
    assert docs["dump.zip"]["status"] == "partial"
    assert "2 member(s) read before are kept" in docs["dump.zip"]["error"]
    assert docs["dump.zip > good.csv"]["status"] == "ok"
    assert docs["dump.zip > good.csv (2)"]["status"] == "ok"
    assert docs["dump.zip > slow.csv"]["status"] == "failed"
    assert "took longer than 20 s" in docs["dump.zip > slow.csv"]["error"]
    for name in ("after.csv", "after.csv (2)", "inner.zip"):
        row = docs[f"dump.zip > {name}"]
        assert row["status"] == "skipped"
        assert row["error"] == (
            f"dump.zip > {name}: not reached: reading dump.zip ended before this member: took "
            "longer than 20 s and was stopped; raise --timeout to give it more time"
        )
    by_file = result.records.groupby("source_file")["agency_raw"].apply(set).to_dict()
    assert by_file["dump.zip > good.csv"] == {"Interpol", "Europol"}
    assert by_file["dump.zip > good.csv (2)"] == {"RCMP", "Europol"}
    assert docs["plain.csv"]["status"] == "ok"
    assert not list(Path(tempfile.gettempdir()).glob(f"foialog-run-{os.getpid()}-*"))


def test_members_never_reached_are_listed_when_the_worker_dies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    # Task item 3, without a clock: the worker is killed at a member the test names, so the
    # point of the stop does not depend on the machine's load.
    real = pipeline.extract_document

    def dies_at(source: Source, options: object) -> DocumentResult:
        if source.name.endswith("dies.csv"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(source, options)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract_document", dies_at)
    leak = tmp_path / "leak"
    leak.mkdir()
    message = EmailMessage()
    message["From"], message["Subject"] = "a@example.org", "lists"
    message.set_content("See the attached lists.")
    for name, agency in (("first.csv", "Interpol"), ("dies.csv", "RCMP"), ("later.csv", "Garda")):
        data = f"Agency,Searches\n{agency},3\n{agency} North,4\n".encode()
        message.add_attachment(data, maintype="text", subtype="csv", filename=name)
    (leak / "note.eml").write_bytes(message.as_bytes())
    result = run(leak, settings={"workers": 1})
    docs = {row["source_file"]: row for row in result.documents.to_dict("records")}
    assert docs["note.eml"]["status"] == "partial"
    assert docs["note.eml > first.csv"]["status"] == "ok"
    assert docs["note.eml > dies.csv"]["status"] == "failed"
    later = docs["note.eml > later.csv"]
    assert later["status"] == "skipped"
    assert later["error"].startswith(
        "note.eml > later.csv: not reached: reading note.eml ended before this member: its "
        "worker died (exit code -9)"
    )
    assert set(result.records["agency_raw"]) == {"Interpol", "Interpol North"}


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_member_labels_list_every_member_as_iter_members_reads_them(tmp_path: Path) -> None:
    limits = ContainerLimits(max_members=4)
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        for name in ("x.csv", "x.csv", "../escape.csv", "dir/y.csv", "z.csv", "over.csv"):
            zf.writestr(name, "Agency,Searches\nInterpol,1\n")
    box = mailbox.mbox(tmp_path / "a.mbox")
    for n in range(3):
        message = EmailMessage()
        message["Subject"] = f"m{n}"
        message.set_content("hello")
        box.add(message)
    box.close()
    for path, kind in ((tmp_path / "a.zip", "zip"), (tmp_path / "a.mbox", "mbox")):
        read = [m.label for m in iter_members(path, kind, name=path.name, limits=limits)]
        assert member_labels(path, kind, name=path.name, limits=limits) == read
    assert len(read) == 3


# --- item 15: the same file twice is counted once ---------------------------------------------


def test_a_file_identical_to_an_earlier_one_is_listed_and_counted_once(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    (leak / "copy").mkdir(parents=True)
    table = "Agency,Searches\nInterpol,320\nEuropol,12\n"
    (leak / "a.csv").write_text(table)
    (leak / "copy" / "a again.csv").write_text(table)
    (leak / "b.csv").write_text(table.replace("Interpol", "RCMP"))
    (leak / "empty1.csv").write_text("")
    (leak / "empty2.csv").write_text("")
    result = run(leak, settings={"workers": 0})
    docs = {row["source_file"]: row for row in result.documents.to_dict("records")}
    again = docs["copy/a again.csv"]
    assert again["status"] == "skipped"
    assert again["detected_type"] == "duplicate"
    assert "identical to a.csv" in again["error"]
    assert docs["empty2.csv"]["detected_type"] != "duplicate"
    assert sorted(result.records["source_file"]) == ["a.csv", "a.csv", "b.csv", "b.csv"]
    assert result.records["count"].sum() == 2 * (320 + 12)
    every = run(leak, settings={"workers": 0, "keep_duplicates": True})
    assert len(every.records) == 6


def test_ctrl_c_stops_the_workers_at_once(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    for n in range(2):
        (leak / f"log_{n}.csv").write_text(f"Agency,Searches\nInterpol,{n}\n")  # not copies
    out = tmp_path / "out"
    args = ["run", str(leak), "-o", str(out), "-q", "--workers", "2"]
    proc = start_stopping_run(out, 0, args)
    try:
        workers = _blocked_workers(proc, out, 2)
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends the run (the workers have own groups)
        # 130: stopped by the interrupt ("Aborted."), not ended after its files timed out.
        assert proc.wait(timeout=HANG_GUARD) == 130
    finally:
        if proc.poll() is None:  # the test failed before the run stopped: leave nothing behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    _, alive = psutil.wait_procs(workers, timeout=HANG_GUARD)
    assert not alive, f"workers outlived the interrupted run: {alive}"


# --- a file stopped at a limit is read again by the next run, never taken from the cache -----


def test_a_file_whose_worker_was_stopped_is_read_again_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    # Its row tells the reporter to raise --timeout or --memory-mb; the re-run that does so
    # (--timeout is not part of the cache key) must not be handed the cached failure. The
    # worker is killed at the file, as the system kills one over its memory: no clock.
    real = pipeline.extract_document
    stop = tmp_path / "stop"
    stop.touch()

    def dies_once(source: Source, options: object) -> DocumentResult:
        if source.name == "big.csv" and stop.exists():
            os.kill(os.getpid(), signal.SIGKILL)
        return real(source, options)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract_document", dies_once)
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "big.csv").write_text("Agency,Searches\nInterpol,320\n")
    (leak / "small.csv").write_text("Agency,Searches\nEuropol,12\n")
    out = tmp_path / "out"
    first = run(leak, out, settings={"workers": 1})
    docs = dict(zip(first.documents["source_file"], first.documents["status"], strict=True))
    assert docs == {"big.csv": "failed", "small.csv": "ok"}
    stop.unlink()  # the next run has what the file needs
    again = run(leak, out, settings={"workers": 1, "memory_mb": 8192})
    docs = dict(zip(again.documents["source_file"], again.documents["status"], strict=True))
    assert docs == {"big.csv": "ok", "small.csv": "ok"}
    assert sorted(again.records["agency_raw"]) == ["Europol", "Interpol"]
