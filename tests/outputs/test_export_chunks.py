"""Exports written a chunk of rows at a time hold every row once, in order, as written whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import foialog.export as export_module
import foialog.outputs as outputs
from foialog.export import export, read_tables, typed, write_csvs
from foialog.outputs import write_json


def _tables(rows: int) -> dict[str, pd.DataFrame]:
    """A run's tables of ``rows`` records, with missing values, formulas and odd text."""
    records = pd.DataFrame(
        {
            "record_id": [f"r-{n}" for n in range(rows)],
            "source_file": ["a.csv"] * rows,
            "page": [None if n % 3 else n for n in range(rows)],
            "agency_raw": [
                f'=HYPERLINK("x{n}")' if n % 4 == 1 else f"Town {n}\nPD" for n in range(rows)
            ],
            "count": [None if n % 5 == 2 else n * 10 for n in range(rows)],
            "date": ["2021-03" if n % 2 else "" for n in range(rows)],
            "confidence": [0.5 + n / (2 * rows) for n in range(rows)],
        }
    )
    documents = pd.DataFrame({"source_file": ["a.csv"], "sha256": ["0" * 64], "status": ["ok"]})
    agencies = pd.DataFrame({"agency_id": ["ag-1"], "agency": ["Town PD"], "n_records": [rows]})
    raw = {"records": records, "agencies": agencies, "documents": documents}
    return {name: typed(frame, name) for name, frame in raw.items()}


@pytest.mark.parametrize("chunk", [1, 3, 7, 1000])
def test_chunked_csv_sqlite_and_xlsx_equal_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(outputs, "CSV_CHUNK_ROWS", chunk)
    monkeypatch.setattr(export_module, "ROWS_AT_A_TIME", chunk)
    tables = _tables(20)
    write_json({"csv": "safe"}, tmp_path / "run.json")
    write_csvs(tables, tmp_path)
    export(tmp_path, ["sqlite", "xlsx"], tables=tables)
    again = read_tables(tmp_path)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(again[name], frame)
    text = (tmp_path / "records.csv").read_text(encoding="utf-8")
    assert text.count("record_id") == 1  # one header, whatever the chunks
    assert "'=HYPERLINK" in text  # every chunk made spreadsheet-safe
    with sqlite3.connect(tmp_path / "foialog.sqlite") as con:
        stored = con.execute("SELECT record_id, page, agency_raw, count FROM records").fetchall()
    con.close()
    records = tables["records"]
    assert stored == [
        (r, None if pd.isna(p) else int(p), a, None if pd.isna(c) else int(c))
        for r, p, a, c in zip(
            records["record_id"], records["page"], records["agency_raw"], records["count"],
            strict=True,
        )
    ]  # fmt: skip
    sheet = openpyxl.load_workbook(tmp_path / "foialog.xlsx", read_only=True)["records"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2, max_col=1, values_only=True)]
    assert cells == list(records["record_id"])


def test_a_bom_is_written_once_at_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "CSV_CHUNK_ROWS", 2)
    write_csvs(_tables(5), tmp_path, bom=True)
    data = (tmp_path / "records.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrecord_id,")
    assert data.count(b"\xef\xbb\xbf") == 1
