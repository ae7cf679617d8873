"""Tables repeated across files are flagged and counted once (issue 15 item 15, deliver 3)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from foialog.pipeline import run
from tests.readers.test_pdf_hostile import _table_pdf

#: The table _table_pdf draws, as rows of (agency, searches).
PDF_ROWS = [("Metro Police Department", 120), ("County Sheriff", 45)] + [
    (f"Town {k} Police Department", 10 + k) for k in range(6)
]
FAST = {"workers": 0}


def _xlsx(rows: list[tuple[str, int]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Agency", "Searches"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[tuple[str, int]], header: str = "Agency,Searches") -> str:
    return "\n".join([header, *(f"{a},{n}" for a, n in rows)]) + "\n"


def _documents(documents: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {row["source_file"]: row for row in documents.to_dict("records")}


def test_a_pdf_and_the_spreadsheet_it_was_printed_from_count_once(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "list.pdf").write_bytes(_table_pdf())
    (leak / "list.xlsx").write_bytes(_xlsx(PDF_ROWS))
    # The same table again under another name and other bytes: rows reordered, names in
    # capitals, another header, CRLF line ends.
    shuffled = [(a.upper(), n) for a, n in reversed(PDF_ROWS)]
    (leak / "copy of list.csv").write_bytes(_csv(shuffled, "Dept,Queries").encode() + b"\r\n")
    (leak / "other.csv").write_text(_csv([("Metro Police Department", 7), ("Garda", 3)]))
    result = run(leak, tmp_path / "out", settings=FAST)
    docs = _documents(result.documents)
    kept = [n for n in ("list.pdf", "list.xlsx", "copy of list.csv") if docs[n]["status"] == "ok"]
    assert len(kept) == 1, docs
    for name in {"list.pdf", "list.xlsx", "copy of list.csv"} - set(kept):
        assert docs[name]["status"] == "skipped"
        assert docs[name]["n_records"] == 0
        assert docs[name]["error"].startswith(f"{name}: the same 8 rows (agency, count, date) as")
        assert "--keep-duplicates" in docs[name]["error"]
    assert docs["other.csv"]["status"] == "ok"
    assert result.records["count"].sum() == sum(n for _, n in PDF_ROWS) + 10
    metro = result.agencies[result.agencies["agency"].str.contains("Metro")]
    assert metro["n_records"].tolist() == [2]
    # documents.csv and the report say so.
    written = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False)
    assert (written["error"].str.contains("the same 8 rows")).sum() == 2
    report = (tmp_path / "out" / "report.html").read_text()
    assert report.count("the same 8 rows (agency, count, date) as") >= 2

    every = run(leak, settings={**FAST, "keep_duplicates": True})
    again = _documents(every.documents)
    assert {again[n]["status"] for n in ("list.pdf", "list.xlsx", "copy of list.csv")} == {"ok"}
    assert every.records["count"].sum() == 3 * sum(n for _, n in PDF_ROWS) + 10
    noted = [n for n in again if "counted again, as --keep-duplicates asks" in again[n]["notes"]]
    assert len(noted) == 2


def test_a_table_whose_rows_are_all_in_a_larger_one_counts_once(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    year = [(f"Agency {k} Police", 100 + k) for k in range(12)]
    (leak / "year.csv").write_text(_csv(year))
    (leak / "excerpt.csv").write_text(_csv(year[3:6]))
    result = run(leak, settings=FAST)
    docs = _documents(result.documents)
    assert docs["year.csv"]["status"] == "ok"
    assert docs["excerpt.csv"]["status"] == "skipped"
    assert "all 3 of its rows (agency, count, date) are among those of year.csv" in str(
        docs["excerpt.csv"]["error"]
    )
    assert result.records["count"].sum() == sum(n for _, n in year)


def test_the_same_rows_in_a_zip_member_and_a_loose_file_count_once(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    rows = [("Interpol", 320), ("Europol", 12), ("RCMP", 41)]
    (leak / "loose.csv").write_text(_csv(rows))
    with zipfile.ZipFile(leak / "dump.zip", "w") as zf:
        zf.writestr("sent/list.xlsx", _xlsx(rows))
        zf.writestr("sent/new.csv", _csv([("Garda", 3), ("Interpol", 1)]))
    result = run(leak, settings=FAST)
    docs = _documents(result.documents)
    skipped = [n for n in ("loose.csv", "dump.zip > sent/list.xlsx") if docs[n]["status"] != "ok"]
    assert len(skipped) == 1
    assert docs[skipped[0]]["status"] == "skipped"
    assert result.records["count"].sum() == 320 + 12 + 41 + 3 + 1


def test_tables_that_merely_share_rows_are_both_counted_with_a_note(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "march.csv").write_text(_csv([("Interpol", 320), ("Europol", 12), ("RCMP", 41)]))
    (leak / "march_ocr.csv").write_text(_csv([("Interpol", 320), ("Europol", 12), ("RCMP", 47)]))
    result = run(leak, settings=FAST)
    docs = _documents(result.documents)
    assert {docs[n]["status"] for n in ("march.csv", "march_ocr.csv")} == {"ok"}
    notes = str(docs["march.csv"]["notes"]) + str(docs["march_ocr.csv"]["notes"])
    assert "2 of its 3 rows (agency, count, date) are also in" in notes
    assert result.records["count"].sum() == 2 * (320 + 12) + 41 + 47


def test_lists_without_counts_and_one_row_tables_are_never_judged_repeats(
    tmp_path: Path,
) -> None:
    # Two agencies sharing data with the same partners: the same names, two different facts.
    leak = tmp_path / "leak"
    leak.mkdir()
    partners = "Agency,Country\nInterpol,FR\nEuropol,NL\nRCMP,CA\n"
    (leak / "shared_by_a.csv").write_text(partners)
    (leak / "shared_by_b.csv").write_text(partners + "Garda,IE\n")
    (leak / "one.csv").write_text(_csv([("Interpol", 320)]))
    (leak / "one_again.csv").write_text(_csv([("INTERPOL", 320)]))
    result = run(leak, settings=FAST)
    assert set(result.documents["status"]) == {"ok"}
    assert result.records["source_file"].value_counts().to_dict() == {
        "shared_by_b.csv": 4,
        "shared_by_a.csv": 3,
        "one.csv": 1,
        "one_again.csv": 1,
    }
