"""Many rows under a memory cap, the result cache streamed, a run folder reported from anywhere.

Issue 15, item 10: a 1M-row CSV took the run's own process to 4.0 GB. bench/memory_rows.py
measures the full size; here a 200,000-row log, whose run took the old code's process past
1,000 MiB (1,035 MiB without the cache, 1,190 with it), must stay well under that.
"""

from __future__ import annotations

import csv
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fpdf import FPDF

import foialog.extract.record
from foialog.cache import ResultCache
from foialog.cli import cli
from foialog.extract.document import DocumentResult
from foialog.extract.record import Record
from foialog.pipeline import run

ROWS = 200_000
#: The run's own peak resident memory allowed at ROWS rows, in MiB (the old code: 1,035-1,190).
PEAK_MIB = 700

#: Runs foialog (default settings but the time limits, the result cache on) and prints the
#: process's peak RSS. The time limits are raised as guards: on a loaded machine the file may
#: outlast the default 300 s, and what is measured here is memory, never time.
DRIVER = """
import sys
from pathlib import Path
from foialog.pipeline import run
run([Path(sys.argv[1])], Path(sys.argv[2]), settings={"timeout": 7200, "stage_timeout": 7200})
for line in Path("/proc/self/status").read_text().splitlines():
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) // 1024)
"""


def _log(path: Path, rows: int) -> int:
    """Write a log export of ``rows`` rows (320 agencies, one date a row); return its count sum."""
    total = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Agency,Searches,Date\n")
        for n in range(rows):
            count = 1 + n % 37
            total += count
            fh.write(f"Town {n % 320} PD,{count},2021-{1 + n % 12:02d}-{1 + n % 28:02d}\n")
    return total


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_200k_rows_are_all_written_and_the_runs_process_stays_small(tmp_path: Path) -> None:
    total = _log(tmp_path / "log.csv", ROWS)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp_path / "log.csv"), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    peak = int(done.stdout.split()[-1])
    with (out / "records.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == ROWS
    assert sum(int(r["count"]) for r in rows) == total
    assert len({r["record_id"] for r in rows}) == ROWS
    assert json.loads((out / "run.json").read_text())["records"] == ROWS
    assert "stages_skipped" not in json.loads((out / "run.json").read_text())
    assert peak < PEAK_MIB, f"the run's process peaked at {peak} MiB for {ROWS:,} rows"


def test_the_result_cache_gives_back_every_record_as_it_was(tmp_path: Path) -> None:
    odd = Record(
        record_id="r-1",
        source_file='dump.mbox > message 2 > "a,b".csv',
        page=None,
        row=7,
        agency_raw="Polícia \u2028Federal\n(line 2)",
        count=None,
        count_raw="—",
        extra=json.dumps({"Notes": 'say "hi"\r\n'}),
        confidence=0.25,
    )
    results = [
        DocumentResult(source_file="dump.mbox", detected_type="mbox", notes=["a", "b"]),
        DocumentResult(source_file="dump.mbox > message 2 > x.csv", records=[odd, Record(count=3)]),
        DocumentResult(source_file="empty.csv", status="failed", error="x: no rows"),
    ]
    cache = ResultCache(tmp_path / "cache", fingerprint="f1")
    cache.put("dump.mbox", "sha", results)
    assert cache.get("dump.mbox", "sha") == results
    assert ResultCache(tmp_path / "cache", fingerprint="f2").get("dump.mbox", "sha") is None
    # A file cut short (a disk that filled, a copy stopped) is read again, never half-used.
    (path,) = (tmp_path / "cache").glob("*.json")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("\n", 0, len(text) - 1) + 1], encoding="utf-8")
    assert cache.get("dump.mbox", "sha") is None


def _table_pdf(path: Path) -> None:
    """A one-page text PDF holding a small table of agencies, searches and dates."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    rows = [("Agency", "Searches", "Date")] + [
        (f"{town} Police Department", f"{n * 113}", f"2020-0{n}-15")
        for n, town in enumerate(("Salem", "Dover", "Troy", "Auburn"), start=1)
    ]
    for row in rows:
        for width, text in zip((90, 40, 40), row, strict=True):
            pdf.cell(width, 8, text, border=1)
        pdf.ln()
    pdf.output(str(path))


def test_report_rebuilt_from_another_folder_finds_the_source_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, elsewhere = tmp_path / "desk", tmp_path / "elsewhere"
    (here / "leak").mkdir(parents=True)
    elsewhere.mkdir()
    _table_pdf(here / "leak" / "usage.pdf")
    monkeypatch.chdir(here)
    run([Path("leak")], Path("out"), settings={"workers": 0})
    out = here / "out"
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["inputs"] == [str(here / "leak")]
    assert manifest["inputs_typed"] == ["leak"]
    # The methodology's re-run command shows the inputs as typed, not the reporter's folders.
    assert "foialog run leak -o" in (out / "methodology.md").read_text()
    crops = (out / "report.html").read_text().count("data:image/png;base64,")
    assert crops > 0

    monkeypatch.chdir(elsewhere)
    (out / "report.html").unlink()
    done = CliRunner().invoke(cli, ["report", str(out)])
    assert done.exit_code == 0, done.output
    assert (out / "report.html").read_text().count("data:image/png;base64,") == crops
    # As the inputs were kept before (typed, relative), the pages are not found from here.
    (out / "run.json").write_text(json.dumps({**manifest, "inputs": ["leak"]}))
    assert CliRunner().invoke(cli, ["report", str(out)]).exit_code == 0
    assert "data:image/png;base64," not in (out / "report.html").read_text()


@pytest.mark.parametrize("chunk", [1, 3, 50_000])
def test_a_result_crosses_processes_with_its_records_in_order(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(foialog.extract.record, "_CHUNK", chunk)
    records = [Record(record_id=f"r-{n}", row=n, count=None if n % 3 else n) for n in range(10)]
    result = DocumentResult(source_file="a.csv", records=records, notes=["a note"])
    again = pickle.loads(pickle.dumps(result))
    assert again == result
    assert [r.record_id for r in again.records] == [f"r-{n}" for n in range(10)]
    assert pickle.loads(pickle.dumps(DocumentResult(source_file="b.csv"))).records == []
