"""Workbook and CSV readers on generated files whose content is known."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwt

from foialog.extract.readers.delimited import read_delimited
from foialog.extract.readers.sheets import read_workbook
from foialog.pipeline import run


def test_xlsx_title_rows_merged_cells_totals_and_serials(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Clients"
    ws.append(["Vendor X client export", None, None, None])
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["Organization", "Country", "Number of searches", "First search"])
    ws.append(["Interpol", None, "more than 320", dt.datetime(2019, 11, 3, 14, 22)])
    ws.append(["Bundeskriminalamt", "Germany", 1234, "3 November 2019"])
    ws.append(["Polizei Hamburg", None, 10, "Nov 2019"])
    ws.merge_cells("B5:B6")
    ws.append(["(b)(6)", "France", 5, "2019-12-01"])
    ws.append(["Total", None, 1569, None])
    trials = wb.create_sheet("Trials")
    trials.append(["Agency", "Trial start", "Searches"])
    trials.append(["Europol", 43772, 7])
    path = tmp_path / "clients.xlsx"
    wb.save(path)

    tables = read_workbook(path)
    assert [t.sheet for t in tables] == ["Clients", "Trials"]
    assert tables[0].row_numbers[0] == 1  # titles keep their real row numbers
    result = run(path)
    rec = result.records.set_index("row")
    assert rec.loc[
        4, ["agency_raw", "count", "count_qualifier", "metric", "date", "time"]
    ].tolist() == ["Interpol", 320, "at_least", "searches", "2019-11-03", "14:22:00"]
    assert rec.loc[5, "country"] == "DE"
    assert rec.loc[6, "country"] == "DE"  # merged downwards
    assert rec.loc[6, "date"] == "2019-11"
    assert rec.loc[7, "agency_raw"] == ""
    assert rec.loc[7, "redacted"] == "agency:(b)(6)"
    assert rec.loc[8, "row_type"] == "total"
    assert "matches the sum" in result.documents.loc[0, "notes"]
    trial = result.records[result.records["sheet"] == "Trials"].iloc[0]
    assert (trial["agency_raw"], trial["date"], trial["count"]) == ("Europol", "2019-11-03", 7)


def test_totals_mismatch_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Agency,Searches\nA Police,3\nB Police,4\nTotal,9\n")
    result = run(path)
    doc = result.documents.iloc[0]
    assert doc["status"] == "partial"
    assert "printed total 9 DOES NOT MATCH the sum of the rows above (7)" in doc["notes"]


def test_xls_is_read(tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Log")
    for r, row in enumerate([["Agency", "Searches"], ["Garda Síochána", 12], ["Europol", 3]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "legacy.bin"
    book.save(str(path))
    result = run(path)
    assert result.documents.loc[0, "detected_type"] == "xls"
    assert result.records[["agency_raw", "count"]].values.tolist() == [
        ["Garda Síochána", 12],
        ["Europol", 3],
    ]


def test_ods_is_read(tmp_path: Path) -> None:
    path = tmp_path / "trials.ods"
    pd.DataFrame({"Agency": ["Politie", "Carabinieri"], "Searches": [5, 6]}).to_excel(
        path, engine="odf", index=False
    )
    result = run(path)
    assert result.documents.loc[0, "detected_type"] == "ods"
    assert result.records["count"].tolist() == [5, 6]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16", "\t"), ("utf-8", "|")],
)
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [
        ["Agency", "Land", "Searches"],
        ["Garda Síochána", "Ireland", "7"],
        ["Polícia Federal", "Brasil", "9"],
    ]
    path = tmp_path / "x.csv"
    path.write_bytes("\n".join(delimiter.join(r) for r in rows).encode(encoding))
    read = read_delimited(path)
    assert read.delimiter == delimiter
    assert read.table.rows[1][0] == "Garda Síochána"
    assert read.table.row_numbers == [1, 2, 3]


def test_headerless_csv_roles_from_values(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Royal Canadian Mounted Police,Canada,1234,2019-11-03\n"
        "Metropolitan Police Service,United Kingdom,56,2019-12-01\n"
        "Australian Federal Police,Australia,7,2020-01-02\n"
    )
    result = run(path)
    first = result.records.iloc[0]
    assert (first["agency_raw"], first["country"], first["count"], first["date"]) == (
        "Royal Canadian Mounted Police",
        "CA",
        1234,
        "2019-11-03",
    )
    assert len(result.records) == 3


@pytest.mark.parametrize(
    ("label", "is_total"),
    [
        ("Total", True),
        ("TOTAL:", True),
        ("Grand total", True),
        ("Totals (all agencies)", True),
        ("Subtotal", True),
        ("Total reads stats", False),
        ("total reads data for grant stats", False),
        ("Totally Legit Police", False),
    ],
)
def test_totals_row_needs_a_bare_label(tmp_path: Path, label: str, is_total: bool) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"Agency,Searches\nA Police,3\nB Police,4\n{label},7\n")
    last = run(path).records.iloc[-1]
    assert (last["row_type"] == "total") is is_total


def test_month_by_year_table_becomes_one_record_per_month(tmp_path: Path) -> None:
    path = tmp_path / "monthly.xlsx"
    wb = openpyxl.Workbook()
    for row in [["Month", "2025", "2024"], ["January", 352289, "-"], ["February", 341541, 18453]]:
        wb.active.append(row)
    wb.save(path)
    rec = run(path).records
    got = sorted(zip(rec["date"], rec["count_raw"], rec["row"], strict=True))
    assert got == [
        ("2024-01", "-", 2),
        ("2024-02", "18453", 3),
        ("2025-01", "352289", 2),
        ("2025-02", "341541", 3),
    ]
    assert rec["count"].isna().sum() == 1


def test_uncalculated_formula_total_is_not_a_mismatch(tmp_path: Path) -> None:
    """A workbook written by a program stores 0 for its SUM totals until Excel recalculates."""
    import xlsxwriter

    path = tmp_path / "member-1"  # as a zip member or an attachment is read: no suffix
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Usage")
    sheet.write_row(0, 2, ["Agency", "Searches"])
    agencies = [("Austin Police Department", 46), ("Illinois State Police", 81)]
    for i, (agency, searches) in enumerate(agencies, start=1):
        sheet.write_row(i, 2, [agency, searches])
    sheet.write(3, 2, "Total")
    sheet.write_formula(3, 3, "=SUM(D2:D3)")  # xlsxwriter stores the value 0
    book.close()

    (table,) = read_workbook(path)
    assert table.rows[-1][2:] == ["Total", "=SUM(D2:D3)"]
    result = run(tmp_path, settings={"cache": False})
    assert list(result.documents["status"]) == ["ok"]
    data = result.records[result.records["row_type"] != "total"]
    assert sorted(data["count"]) == [46, 81]
    assert "DOES NOT MATCH" not in str(result.documents["notes"][0])


def test_headerless_rows_above_a_formula_subtotal_are_data(tmp_path: Path) -> None:
    """A sum formula's label row ("Total US-AZ") is never the header of a headerless sheet."""
    import xlsxwriter

    path = tmp_path / "clients.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    rows = [
        (1, "Mesa PD", 607, "11/30/2017 9:08 PM"),
        (2, "Phoenix Police Department", 174, "1/9/2017 10:57 PM"),
        (3, "Maricopa County Attorney's Office", 235, "1/21/2017 3:13 AM"),
    ]
    for i, row in enumerate(rows):
        sheet.write_row(i, 0, row)
    sheet.write(3, 1, "Total US-AZ")
    sheet.write_formula(3, 2, "=SUM(C1:C3)")
    for i, row in enumerate([(4, "Louisiana State Police", 851, "1/22/2017 12:06 PM")], start=4):
        sheet.write_row(i, 0, row)
    book.close()

    result = run(tmp_path, settings={"cache": False})
    data = result.records[result.records["row_type"] == "data"]
    assert sorted(data["count"]) == [174, 235, 607, 851]


def test_a_total_written_1_290_in_a_decimal_comma_table(tmp_path: Path) -> None:
    """Counts under 1,000 say nothing of the convention; the fee column's "4.100,00" does."""
    path = tmp_path / "export.csv"
    path.write_text(
        "Service;Requêtes effectuées;Montant (EUR)\n"
        "Georgia Bureau of Investigation;383;4.100,00 EUR\n"
        "Buena Park Police Department;364;2.462,50 EUR\n"
        "Atlanta Police Department;543;1.837,50 EUR\n"
        "Sous-total US-GA;1.290;8.400,00 EUR\n",
        encoding="utf-8",
    )
    result = run(path)
    doc = result.documents.iloc[0]
    assert doc["status"] == "ok", doc["notes"]
    total = result.records[result.records["row_type"] == "total"]
    assert list(total["count"]) == [1290]
