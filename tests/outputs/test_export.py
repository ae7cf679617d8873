"""Exports: every format holds the run's rows with types, descriptions and search."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

import foialog
from foialog.columns import DESCRIPTIONS, describe
from foialog.errors import FoialogError
from foialog.export import FORMATS, export, read_tables, write_sqlite, write_xlsx
from foialog.extract.record import RECORD_COLUMNS
from foialog.sample import write_sample
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run on the sample leak, exported in every format."""
    base = tmp_path_factory.mktemp("export")
    manifest = write_sample(base / "sample", seed=3)
    out = base / "out"
    foialog.run([manifest.leak_dir], out)
    export(out, FORMATS)
    return out


def test_read_tables_gives_back_what_the_run_wrote(run_dir: Path) -> None:
    tables = read_tables(run_dir)
    records = pd.read_csv(run_dir / "records.csv", dtype=str, keep_default_na=False)
    assert list(tables["records"].columns) == list(records.columns)
    assert len(tables["records"]) == len(records) > 100
    assert str(tables["records"]["count"].dtype) == "Int64"
    assert str(tables["records"]["confidence"].dtype) == "Float64"
    # Raw text stays text: a count_raw such as "1.234" is never turned into a number.
    assert tables["records"]["count_raw"].map(type).eq(str).all()
    as_written = records["count"].replace("", None).dropna().astype(int).tolist()
    assert tables["records"]["count"].dropna().tolist() == as_written


def test_run_exports_from_memory_the_tables_its_csvs_hold(tmp_path: Path) -> None:
    # A run hands its in-memory tables to the SQLite export and the report instead of reading
    # the CSVs back: they must be exactly what read_tables gives from those CSVs.
    out = tmp_path / "out"
    manifest = write_sample(tmp_path / "sample", seed=2, emails=True)
    result = foialog.run([manifest.leak_dir], out)
    in_memory, from_disk = result.tables(), read_tables(out)
    assert list(in_memory) == list(from_disk)
    for name in from_disk:
        pd.testing.assert_frame_equal(in_memory[name], from_disk[name])


def test_csv_with_bom_opens_in_excel_and_reads_back_the_same(tmp_path: Path) -> None:
    out = tmp_path / "out"
    manifest = write_sample(tmp_path / "sample", seed=1)
    foialog.run([manifest.leak_dir], out)
    before = read_tables(out)
    export(out, ["csv"], bom=True)
    assert (out / "records.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    after = read_tables(out)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])
    export(out, ["csv"])
    assert not (out / "records.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_xlsx_has_a_typed_sheet_per_table_with_frozen_header(run_dir: Path) -> None:
    book = openpyxl.load_workbook(run_dir / "foialog.xlsx", read_only=False)
    assert book.sheetnames == [*read_tables(run_dir), "columns"]
    assert book.sheetnames[:3] == ["records", "agencies", "documents"]
    sheet = book["records"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header == list(read_tables(run_dir)["records"].columns)
    count_col = header.index("count") + 1
    counts = [sheet.cell(r, count_col).value for r in range(2, sheet.max_row + 1)]
    numbers = [c for c in counts if c is not None]
    assert numbers
    assert all(isinstance(c, int | float) for c in numbers)
    records = read_tables(run_dir)["records"]
    assert sum(numbers) == records["count"].sum()
    described = {(r[0].value, r[1].value): r[2].value for r in book["columns"].iter_rows(min_row=2)}
    assert described[("records", "count_raw")] == "the count as written"


def test_xlsx_never_turns_leaked_text_into_formulas_and_fits_long_cells(tmp_path: Path) -> None:
    records = pd.DataFrame(
        {
            "agency_raw": ['=HYPERLINK("http://example.invalid","x")', "+1-555", "Sheriff\x07"],
            "count": pd.array([1, None, 3], dtype="Int64"),
            "extra": ["{}", "x" * 40_000, "{}"],
        }
    )
    tables = {"records": records, "agencies": records.iloc[:0], "documents": records.iloc[:0]}
    write_xlsx(tables, tmp_path / "hostile.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "hostile.xlsx")["records"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet["A3"].value == "+1-555"
    assert sheet["B3"].value is None
    assert len(sheet["C3"].value) <= 32_767
    assert sheet["C3"].value.endswith("the full text is in the CSV]")


def test_xlsx_refuses_more_rows_than_excel_holds(tmp_path: Path) -> None:
    big = pd.DataFrame({"agency_raw": [""] * 1_048_576})
    tables = {"records": big, "agencies": big.iloc[:0], "documents": big.iloc[:0]}
    with pytest.raises(FoialogError, match=r"more than an Excel sheet holds.*parquet"):
        write_xlsx(tables, tmp_path / "big.xlsx")
    assert not (tmp_path / "big.xlsx").exists()


def test_parquet_keeps_types_and_column_descriptions(run_dir: Path) -> None:
    table = pq.read_table(run_dir / "records.parquet")
    assert table.num_rows == len(read_tables(run_dir)["records"])
    assert str(table.schema.field("count").type) == "int64"
    assert table.schema.field("count_raw").metadata[b"description"] == b"the count as written"
    frame = pd.read_parquet(run_dir / "records.parquet")
    assert frame["count"].sum() == read_tables(run_dir)["records"]["count"].sum()


def test_sqlite_has_keys_indexes_and_accent_blind_search(run_dir: Path) -> None:
    con = sqlite3.connect(run_dir / "foialog.sqlite")
    tables = read_tables(run_dir)
    assert con.execute("select count(*) from records").fetchone()[0] == len(tables["records"])
    types = {row[1]: row[2] for row in con.execute("pragma table_info(records)")}
    assert types["count"] == "INTEGER"
    assert types["confidence"] == "REAL"
    assert types["count_raw"] == "TEXT"
    pk = [row[1] for row in con.execute("pragma table_info(records)") if row[5]]
    assert pk == ["record_id"]
    indexes = {row[1] for row in con.execute("pragma index_list(records)")}
    assert "idx_records_agency_id" in indexes
    # Typed without accents, found with them: the FTS index folds diacritics.
    found = [
        row[0]
        for row in con.execute(
            "select agency_raw from records where rowid in "
            "(select rowid from records_fts where records_fts match 'policia')"
        )
    ]
    expected = tables["records"]["agency_raw"].str.contains("Pol[ií]cia", case=False)
    assert sorted(found) == sorted(tables["records"].loc[expected, "agency_raw"])
    assert found
    joined = con.execute(
        "select count(*) from records r join agencies a on a.agency_id = r.agency_id"
    ).fetchone()[0]
    assert joined == (tables["records"]["agency_id"] != "").sum()


def test_datasette_metadata_describes_every_column_and_cites_sources(run_dir: Path) -> None:
    metadata = json.loads((run_dir / "foialog.metadata.json").read_text())
    described = metadata["databases"]["foialog"]["tables"]
    for column in RECORD_COLUMNS:
        assert described["records"]["columns"][column] == DESCRIPTIONS["records"][column]
    documents = read_tables(run_dir)["documents"]
    for name, digest in zip(documents["source_file"], documents["sha256"], strict=True):
        assert f"{name} (sha256 {digest[:12]}" in metadata["description"]
    metric_columns = [c for c in read_tables(run_dir)["agencies"] if c.startswith("count_total_")]
    assert metric_columns
    for column in metric_columns:
        assert described["agencies"]["columns"][column].startswith("sum of counts")


def test_duckdb_holds_every_table_with_column_comments(run_dir: Path) -> None:
    con = duckdb.connect(str(run_dir / "foialog.duckdb"), read_only=True)
    tables = read_tables(run_dir)
    for name, frame in tables.items():
        assert con.execute(f"select count(*) from {name}").fetchone() == (len(frame),)
    total = con.execute("select sum(count) from records").fetchone()
    assert total == (tables["records"]["count"].sum(),)
    comment = con.execute(
        "select comment from duckdb_columns() where table_name='records' "
        "and column_name='count_raw'"
    ).fetchone()
    assert comment == ("the count as written",)


def test_export_of_a_folder_without_a_run_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FoialogError, match=r"has no records.csv; run `foialog run"):
        export(tmp_path, ["sqlite"])
    with pytest.raises(FoialogError, match="unknown export format pdf"):
        export(tmp_path, ["pdf"])


def test_a_run_where_nothing_was_read_still_exports(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    out = tmp_path / "out"
    foialog.run([tmp_path / "in"], out)
    written = export(out, FORMATS)
    assert {p.name for p in written} >= {"foialog.sqlite", "foialog.xlsx", "foialog.duckdb"}
    con = sqlite3.connect(out / "foialog.sqlite")
    assert con.execute("select count(*) from records").fetchone() == (0,)
    assert con.execute("select status from documents").fetchone()[0] != "ok"


def test_sqlite_quotes_metric_columns_taken_from_files(tmp_path: Path) -> None:
    agencies = pd.DataFrame(
        {"agency_id": ["ag-1"], "agency": ["A"], 'count_total_x"; drop table records; --': [3]}
    )
    records = pd.DataFrame({"record_id": ["r-1"], "agency_id": ["ag-1"]})
    documents = pd.DataFrame({"source_file": ["f.csv"], "sha256": ["0" * 64]})
    path = write_sqlite({"records": records, "agencies": agencies, "documents": documents},
                        tmp_path / "x.sqlite")  # fmt: skip
    con = sqlite3.connect(path)
    assert con.execute("select count(*) from records").fetchone() == (1,)
    assert len(con.execute("select * from agencies").fetchone()) == 3


def _doc_tables() -> dict[str, dict[str, str]]:
    doc = (ROOT / "docs" / "output.md").read_text()
    found: dict[str, dict[str, str]] = {}
    for section in re.split(r"^## ", doc, flags=re.MULTILINE)[1:]:
        name = section.split(".csv", 1)[0].strip()
        rows = re.findall(r"^\| ([a-z_0-9*, ]+) \| (.+?) \|$", section, flags=re.MULTILINE)
        # A row may describe several columns at once ("agency_id, agency, variant").
        columns = {
            c: text.replace("\\|", "|")
            for names, text in rows
            if names != "column"
            for c in names.split(", ")
        }
        if columns:
            found[name] = columns
    return found


def test_docs_show_the_same_column_descriptions_as_the_code() -> None:
    # One source: foialog/columns.py; docs/output.md must show it word for word.
    doc = _doc_tables()
    for table, columns in DESCRIPTIONS.items():
        assert doc.get(table) == columns, (
            f"docs/output.md's {table}.csv table differs from DESCRIPTIONS in foialog/columns.py "
            "(Datasette, Parquet and the Excel columns sheet show those): change both"
        )
    assert set(doc) == set(DESCRIPTIONS)
    assert describe("records", "no_such_column") == ""


def test_xlsx_dates_are_excel_dates_shown_at_the_precision_written(tmp_path: Path) -> None:
    records = pd.DataFrame(
        {
            "agency_raw": ["A", "B", "C", "D"],
            "date": ["2019-08-14", "2019-08", "2019", "sometime"],
            "date_raw": ["14/08/2019", "Aug 2019", "2019", "sometime"],
        }
    )
    agencies = pd.DataFrame({"agency": ["A"], "first_date": ["2019-01-02"], "last_date": [""]})
    tables = {"records": records, "agencies": agencies, "documents": records.iloc[:0]}
    write_xlsx(tables, tmp_path / "dates.xlsx")
    book = openpyxl.load_workbook(tmp_path / "dates.xlsx")
    cells = [book["records"].cell(r, 2) for r in range(2, 6)]
    assert [c.value for c in cells[:3]] == [
        dt.datetime(2019, 8, 14),
        dt.datetime(2019, 8, 1),
        dt.datetime(2019, 1, 1),
    ]
    assert [c.is_date for c in cells] == [True, True, True, False]
    assert [c.number_format for c in cells[:3]] == ["yyyy-mm-dd", "yyyy-mm", "yyyy"]
    assert cells[3].value == "sometime"  # not a date: kept as the text it is
    assert book["records"]["C2"].value == "14/08/2019"  # date_raw stays text
    assert book["agencies"]["B2"].value == dt.datetime(2019, 1, 2)
    assert book["agencies"]["C2"].value is None
