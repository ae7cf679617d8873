"""One page Tesseract cannot read makes its PDF partial, never a failed file with no records."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from foialog.extract.document import extract_document
from foialog.extract.readers.ocr import OcrError
from foialog.extract.readers.pdf.reader import OCR_FAILED, read_pdf
from foialog.extract.readers.pdf.text import PageContent
from foialog.extract.sources import Source
from foialog.extract.tables.words import Word

ROWS = [("Agency", "Searches"), ("Interpol", "320"), ("Europol", "41"), ("Garda", "7")]


def _words() -> tuple[Word, ...]:
    words = []
    for i, (name, count) in enumerate(ROWS):
        top = 100.0 + 14 * i
        words.append(Word(name, 72.0, top, 72.0 + 6 * len(name), top + 10))
        words.append(Word(count, 300.0, top, 300.0 + 6 * len(count), top + 10))
    return tuple(words)


def fake_ocr(
    path: Path,
    index: int,
    password: str | None,
    *,
    languages: str | None = None,
    timeout: float | None = None,
) -> PageContent:
    """Page 1 reads as a small table; page 2 times out as Tesseract would."""
    if index == 1:
        raise OcrError("Tesseract took longer than 120 s on a page image and was stopped")
    return PageContent(index + 1, 612.0, 792.0, _words(), (), ())


def _image_pdf(path: Path) -> Path:
    pages = [Image.new("L", (612, 792), 255) for _ in range(2)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    return path


def test_a_page_ocr_cannot_read_is_a_note_and_the_other_pages_stay(tmp_path: Path) -> None:
    pdf = _image_pdf(tmp_path / "scan.pdf")
    blocks = read_pdf(pdf, "scan.pdf", None, ocr=fake_ocr)
    names = [row[0] for table in blocks.tables for row in table.rows]
    assert names[-3:] == ["Interpol", "Europol", "Garda"]
    failed = [n for n in blocks.notes if n.startswith(OCR_FAILED)]
    assert failed == [
        f"{OCR_FAILED}: page 2: Tesseract took longer than 120 s on a page image and was stopped"
    ]


def test_the_document_is_partial_with_its_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import foialog.extract.document as document

    pdf = _image_pdf(tmp_path / "scan.pdf")
    monkeypatch.setattr(document, "ocr_page_content", fake_ocr)
    result = extract_document(Source(pdf, "scan.pdf"))
    assert result.status == "partial"
    assert [r.agency_raw for r in result.records] == ["Interpol", "Europol", "Garda"]
