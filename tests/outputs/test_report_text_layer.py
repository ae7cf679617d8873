"""A PDF the run read from its text layer alone: its pages are shown as printed, unasked.

Asking pdfium whether OCR would read each page shown (its text, a garbage test, the angle of
its characters) was a fifth of the report's time on NICS; the run already knows the answer
for a document none of whose pages it read by OCR: its boxes are the text layer's.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fpdf import FPDF

import foialog
from foialog.export import typed
from foialog.report import _read_without_ocr, build_report, evidence
from foialog.report.evidence import Box, crop_png

ROWS = [(f"County agency {n}", f"{n * 137 + 5:,}", f"10/{n:02d}/2019") for n in range(1, 13)]


def text_pdf(path: Path) -> Path:
    """A one-page text PDF: a table of agency, searches and date under a header."""
    pdf = FPDF(unit="pt", format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for n, (agency, count, date) in enumerate([("Agency", "Searches", "Date"), *ROWS]):
        top = 120 + 24 * n
        pdf.text(72, top, agency)
        pdf.text(300 - pdf.get_string_width(count), top, count)
        pdf.text(360, top, date)
    pdf.output(str(path))
    return path


def _refuse(page: object) -> str:
    raise AssertionError("the page was checked for OCR")


def test_a_text_layer_page_is_cropped_as_when_checked_but_unasked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = text_pdf(tmp_path / "text.pdf")
    box = Box(72.0, 250.0, 400.0, 264.0)
    checked = crop_png(pdf, 1, box)  # asks pdfium: a text page, shown as printed
    monkeypatch.setattr(evidence, "page_ocr_reason", _refuse)
    copy = shutil.copyfile(pdf, tmp_path / "copy.pdf")  # not in the page caches
    assert crop_png(copy, 1, box, text_layer=True) == checked
    with pytest.raises(AssertionError, match="checked for OCR"):
        crop_png(copy, 1, box)  # without it the page is still asked


def test_only_documents_with_no_page_read_by_ocr_are_taken_as_text_layer() -> None:
    documents = pd.DataFrame(
        {
            "source_file": ["text.pdf", "scan.pdf", "sheet.xlsx", "unknown.pdf"],
            "ocr_pages": pd.array([0, 1, 0, None], dtype="Int64"),
        }
    )
    assert _read_without_ocr(documents) == {"text.pdf", "sheet.xlsx"}
    assert _read_without_ocr(documents.drop(columns="ocr_pages")) == frozenset()


def test_the_report_asks_only_about_pages_of_documents_read_by_ocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text_pdf(folder / "text.pdf")
    result = foialog.run(folder, settings={"cache": False, "workers": 0})
    tables = result.tables()
    assert tables["documents"]["ocr_pages"].tolist() == [0]
    asked: list[object] = []

    def count(page: object) -> str:
        asked.append(page)
        return ""

    monkeypatch.setattr(evidence, "page_ocr_reason", count)
    html = build_report(tables, {}, inputs=[folder])
    assert re.search(r'src="data:image/png;base64,', html)
    assert asked == []
    # The same document said to have a page read by OCR: its pages are asked about again.
    documents = tables["documents"].assign(ocr_pages=1)
    evidence._ocr_page.cache_clear()
    build_report({**tables, "documents": typed(documents, "documents")}, {}, inputs=[folder])
    assert len(asked) == 1
