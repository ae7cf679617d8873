"""File types are judged from bytes, never from the extension."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from foialog.extract.sources import iter_sources, sniff, sniff_bytes
from foialog.extract.text.encoding import detect_encoding


def _xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["Agency", "Searches"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.csv", b"", "empty"),
        ("report.xlsx", b"%PDF-1.7\n%\xe2\xe3\n", "pdf"),
        ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"),
        ("photo.png", b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpeg"),
        ("notes.xlsx", b"This is a letter, not a spreadsheet.\nRegards\n", "text"),
        ("data.txt", b"Agency,Searches\nPolice,3\nSheriff,4\n", "csv"),
        ("data.csv", b"Agency;Searches\nPolizei;3\nGendarmerie;4\n", "csv"),
        ("data.csv", b"Agency\tSearches\nPolizei\t3\nGendarmerie\t4\n", "csv"),
        ("page.csv", b"<!DOCTYPE html><html><table></table></html>", "html"),
        (
            "mail.txt",
            b"From: a@example.org\nTo: b@example.org\nSubject: clients\n"
            b"Date: Sat, 18 Jan 2020\n\nHi",
            "eml",
        ),
        ("blob.csv", bytes(range(256)) * 4, "binary"),
    ],
)
def test_sniff_by_content(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert sniff(path) == expected


def test_sniff_xlsx_named_csv_and_truncated(tmp_path: Path) -> None:
    data = _xlsx_bytes()
    whole = tmp_path / "clients.csv"
    whole.write_bytes(data)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    assert sniff(whole) == "xlsx"
    assert sniff(cut) == "xlsx"
    assert sniff_bytes(b"PK\x03\x04" + b"\0" * 40) == "zip"


def test_sniff_ods_and_plain_zip(tmp_path: Path) -> None:
    ods = tmp_path / "a.bin"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    plain = tmp_path / "b.xlsx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert sniff(ods) == "ods"
    assert sniff(plain) == "zip"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Agency,Searches\n".encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF8 + b"Agency,Searches\n", "utf-8-sig"),
        ("Agency,Searches\nPolizia,3\n".encode("utf-16-le"), "utf-16-le"),
        (
            "Behörde;Suchanfragen\nBundeskriminalamt;1.234\nGarda Síochána;7\n".encode("cp1252"),
            "cp1252",
        ),
        ("Behörde;Suchanfragen\n".encode(), "utf-8"),
        ("Polícia;3\n".encode() + "Île;4\n".encode("cp1252"), "utf-8+cp1252"),
    ],
)
def test_detect_encoding(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected


def test_iter_sources_is_sorted_relative_and_lists_hidden_files_as_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.csv").write_text("a,b\n")
    (tmp_path / "a.csv").write_text("a,b\n")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x")
    found = {s.name: s.status for s in iter_sources([tmp_path])}
    assert list(found) == [".DS_Store", ".git/HEAD", "a.csv", "b/z.csv"]
    assert found == {".DS_Store": "skipped", ".git/HEAD": "skipped", "a.csv": "", "b/z.csv": ""}
