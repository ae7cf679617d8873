"""Hostile PDFs: each ends as a clear documents.csv row and the rest of the batch is read."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
from fpdf import FPDF

from foialog.pipeline import run


def _no_pages() -> bytes:
    """A well-formed PDF (catalogue, page tree, cross-reference table) with no page in it."""
    document = pdfium.PdfDocument.new()
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def _table_pdf(password: str | None = None) -> bytes:
    """A one-page PDF with a small table of agencies and counts, encrypted when asked."""
    pdf = FPDF(unit="pt", format="letter")
    if password is not None:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    rows = [("Agency", "Searches"), ("Metro Police Department", "120"), ("County Sheriff", "45")]
    rows += [(f"Town {k} Police Department", str(10 + k)) for k in range(6)]
    for i, (name, count) in enumerate(rows):
        pdf.set_xy(60, 80 + 16 * i)
        pdf.cell(text=name)
        pdf.set_xy(360, 80 + 16 * i)
        pdf.cell(text=count)
    return bytes(pdf.output())


def _documents(result_documents: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["source_file"]: row for _, row in result_documents.iterrows()}


def test_malformed_empty_and_encrypted_pdfs_fail_clearly_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    good = _table_pdf()
    (leak / "good.pdf").write_bytes(good)
    (leak / "cut_short.pdf").write_bytes(good[: len(good) // 3])
    (leak / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (leak / "no_pages.pdf").write_bytes(_no_pages())
    (leak / "locked.pdf").write_bytes(_table_pdf(password="s3cret"))
    docs = _documents(run(leak, settings={"workers": 0}).documents)
    assert docs["good.pdf"]["status"] == "ok"
    assert docs["good.pdf"]["n_records"] == 8
    for name in ("cut_short.pdf", "garbage.pdf"):
        assert docs[name]["status"] == "failed"
        assert docs[name]["error"].startswith(f"{name}: not a readable PDF")
        assert "re-download it or repair it" in docs[name]["error"]
    assert docs["no_pages.pdf"]["status"] == "failed"
    assert "no pages" in docs["no_pages.pdf"]["error"]
    assert docs["locked.pdf"]["status"] == "failed"
    assert docs["locked.pdf"]["error"] == (
        "locked.pdf: the PDF is encrypted; run again with --password PASSWORD"
    )


def test_encrypted_pdf_reads_with_its_password_and_says_when_it_is_wrong(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "locked.pdf").write_bytes(_table_pdf(password="s3cret"))
    opened = _documents(run(leak, settings={"workers": 0, "password": "s3cret"}).documents)
    assert opened["locked.pdf"]["status"] == "ok"
    assert opened["locked.pdf"]["n_records"] == 8
    wrong = _documents(run(leak, settings={"workers": 0, "password": "guess"}).documents)
    assert "the password given does not open this PDF" in wrong["locked.pdf"]["error"]
