"""Hostile inputs in one batch: each ends within its limits as a documents.csv row; rest is read.

Bombs are built small on disk and large when opened, as real ones are.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from foialog.pipeline import Result, run
from tests.pdfbytes import pdf_from_objects

#: The time limit is a guard against a hang, never what stops a bomb: each must end by its own
#: detector (the words checked below), however loaded the machine.
LIMITS = {"timeout": 1800.0, "memory_mb": 2048, "workers": 2}
GIB = 2**30


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _replace_member(xlsx: bytes, member: str, data: bytes | None = None, *,
                    stream: int = 0) -> bytes:  # fmt: skip
    """Rewrite one member of a zip; with ``stream``, write that many bytes of zeros lazily."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as src,
        zipfile.ZipFile(out, "w", compresslevel=1) as dst,
    ):
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
            elif stream:
                info = zipfile.ZipInfo(member)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as fh:
                    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    fh.write(head)
                    chunk = b" " * (16 * 2**20)
                    for _ in range(stream // len(chunk)):
                        fh.write(chunk)
                    fh.write(b"</sheetData></worksheet>")
            else:
                dst.writestr(member, data or b"", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _png_bomb(width: int, height: int) -> bytes:
    """A valid greyscale PNG of width x height black pixels; tiny on disk."""
    raw = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * width
    body = b"".join(raw.compress(row) for _ in range(height)) + raw.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def _nested_email(depth: int) -> bytes:
    inner = EmailMessage()
    inner["Subject"] = "innermost"
    inner["Date"] = "Sat, 18 Jan 2020 10:00:00 +0000"
    inner.set_content("Europol ran 12 searches.")
    for level in range(depth):
        outer = EmailMessage()
        outer["Subject"] = f"level {level}"
        outer["From"] = "a@example.org"
        outer["To"] = "b@example.org"
        outer["Date"] = "Sat, 18 Jan 2020 10:00:00 +0000"
        outer.set_content("see attached")
        if level % 2:
            outer.add_attachment(inner)  # message/rfc822, as most mail programs attach it
        else:  # base64-encoded message/rfc822, as Outlook sometimes does
            outer.add_attachment(inner.as_bytes(), maintype="message", subtype="rfc822")
        inner = outer
    return inner.as_bytes()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Europol ran 12 searches.")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _zip_of(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, "Agency,Searches\n")
    return buf.getvalue()


GOOD = _xlsx([["Agency", "Searches"], ["Interpol", 320], ["Europol", 12]])

#: name -> (what builds its bytes, the statuses it may end with, words the error must hold).
#: Built only when the batch is written: a bomb in memory at import would cost every run.
CASES: dict[str, tuple[Callable[[], bytes], set[str], str]] = {
    "zip_bomb.xlsx": (lambda: _replace_member(GOOD, "xl/worksheets/sheet1.xml", stream=GIB + 2**25),
                      {"failed"}, "zip bomb"),
    "zip_bomb.docx": (lambda: _replace_member(_docx(), "word/document.xml", stream=GIB + 2**25),
                      {"failed"}, "zip bomb"),
    "zip_bomb.zip": (lambda: _replace_member(_zip_of("agencies.csv"), "agencies.csv",
                                             stream=300 * 2**20),
                     {"ok"}, ""),
    # The entities in the worksheet itself: openpyxl writes inline strings, so a workbook it
    # saved has no xl/sharedStrings.xml to put them in.
    "xml_bomb.xlsx": (
        lambda: _replace_member(
            GOOD, "xl/worksheets/sheet1.xml",
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10)
                       for i in range(1, 10))
            + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Agency</t></is></c>'
            b'<c r="B1" t="inlineStr"><is><t>Searches</t></is></c></row><row r="2">'
            b'<c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c><c r="B2"><v>5</v></c></row>'
            b"</sheetData></worksheet>",
        ),
        {"failed"}, "entity",
    ),
    "pixels.png": (lambda: _png_bomb(20000, 20000), {"failed", "skipped"}, "pixels"),
    "loop.pdf": (lambda: pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                       b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
                 {"failed"}, "page tree is damaged"),
    "huge_count.pdf": (lambda: pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                             b"<< /Type /Pages /Kids [3 0 R] /Count 999999999 >>",
                             b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]),
                       {"failed", "skipped"}, ""),
    "nested.eml": (lambda: _nested_email(12), {"ok", "partial", "skipped"}, ""),
    "empty.csv": (lambda: b"", {"skipped"}, "empty"),
    "pdf_named.csv": (lambda: pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                            b"<< /Type /Pages /Kids [] /Count 0 >>"]), {"failed", "skipped"}, ""),
    "mixed_encoding.csv": (lambda: "Agency,Searches\nPolícia Federal,3\n".encode()
                           + "Gendarmerie nationale (Île),4\n".encode("cp1252"),
                           {"ok"}, ""),
}  # fmt: skip


def _traversal_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../../../tmp/foialog-escaped.csv", "Agency,Searches\nEscaped PD,1\n")
        zf.writestr("/etc/foialog-absolute.csv", "Agency,Searches\nAbsolute PD,1\n")
        zf.writestr("fine.csv", "Agency,Searches\nGarda Síochána,7\n")
    return buf.getvalue()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (build, _, _) in CASES.items():
        (folder / name).write_bytes(build())
    (folder / "traversal.zip").write_bytes(_traversal_zip())
    (folder / "good.xlsx").write_bytes(GOOD)
    return folder, run(folder, folder.parent / "out", settings=LIMITS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_file_ends_with_a_documents_row(batch: tuple[Path, Result], name: str) -> None:
    _, result = batch
    docs = result.documents.set_index("source_file")
    _, statuses, words = CASES[name]
    row = docs.loc[name]
    assert row["status"] in statuses, row.to_dict()
    if row["status"] != "ok":
        assert name in row["error"]
        assert words in row["error"]
        assert "\n" not in row["error"]


def test_an_xml_bomb_is_never_expanded(batch: tuple[Path, Result]) -> None:
    folder, result = batch
    with zipfile.ZipFile(folder / "xml_bomb.xlsx") as zf:
        assert b"&lol9;" in zf.read("xl/worksheets/sheet1.xml")  # the case holds its bomb
    names = result.records.loc[result.records["source_file"] == "xml_bomb.xlsx", "agency_raw"]
    # Expanded, &lol9; is 3 * 10**9 characters; refused, the file fails or reads no such name.
    assert all(len(str(n)) < 1000 for n in names), names.str.len().max()


def test_the_rest_of_the_batch_is_read(batch: tuple[Path, Result]) -> None:
    folder, result = batch
    records = result.records
    good = records[records["source_file"] == "good.xlsx"]
    assert list(good["agency_raw"]) == ["Interpol", "Europol"]
    mixed = records[records["source_file"] == "mixed_encoding.csv"]
    assert list(mixed["agency_raw"]) == ["Polícia Federal", "Gendarmerie nationale (Île)"]
    assert not (Path("/tmp") / "foialog-escaped.csv").exists()
    docs = result.documents
    inner = docs[docs["source_file"].str.startswith("traversal.zip > ")]
    assert set(inner["status"]) >= {"ok", "skipped"}
    assert "Garda Síochána" in set(records["agency_raw"])
    assert not {"Escaped PD", "Absolute PD"} & set(records["agency_raw"])
    bomb = docs.set_index("source_file").loc["zip_bomb.zip > agencies.csv"]
    assert bomb["status"] == "skipped"
    assert "over the limit" in bomb["error"]
    nested = docs[docs["source_file"].str.startswith("nested.eml")]
    assert len(nested) <= 8  # depth limit 6 plus the outer files
    assert (folder.parent / "out" / "documents.csv").exists()
    written = pd.read_csv(folder.parent / "out" / "documents.csv")
    assert len(written) == len(docs)
