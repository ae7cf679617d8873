"""PDF pages that need OCR are found (no text layer, garbage layer) and read in PDF points."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from foialog.extract.document import extract_document
from foialog.extract.readers.ocr import OcrSettings
from foialog.extract.readers.ocr_pages import garbage_reason, ocr_pdf_page, page_ocr_reason
from foialog.extract.sources import Source
from foialog.sample.scans import scan_font
from tests.pdfbytes import pdf_from_objects

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# A font whose codes map to glyph names with no Unicode meaning, and no ToUnicode map.
NO_UNICODE = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
    b"/Differences [1 " + b" ".join(b"/g%d" % i for i in range(1, 60)) + b"] >> >>"
)


def _pdf(content: bytes, font: bytes, image: Image.Image | None = None) -> bytes:
    """A one-page letter PDF with a content stream, font F1 and an optional page image Im0."""
    resources = b"/Font << /F1 5 0 R >>" + (b" /XObject << /Im0 6 0 R >>" if image else b"")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << " + resources + b" >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        font,
    ]
    if image is not None:
        data = zlib.compress(image.convert("L").tobytes())
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % (image.width, image.height, len(data))
            + data
            + b"\nendstream"
        )
    return pdf_from_objects(objects)


def _table_image() -> Image.Image:
    """A letter page at 150 DPI, header and three rows; 'Europol' starts at x 150 px = 72 pt."""
    image = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(image)
    font = scan_font(28)
    rows = (("Agency", "Searches"), ("Europol", "1,234"), ("Interpol", "56"), ("Politie", "789"))
    for i, (name, count) in enumerate(rows):
        draw.text((150, 300 + 60 * i), name, fill=0, font=font)
        draw.text((800, 300 + 60 * i), count, fill=0, font=font)
    return image


def _page(tmp_path: Path, data: bytes) -> pdfium.PdfPage:
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    return pdfium.PdfDocument(path)[0]


PAINT_IMAGE = b"q 612 0 0 792 0 0 cm /Im0 Do Q"


def test_readable_text_layer_needs_no_ocr(tmp_path: Path) -> None:
    text = b"BT /F1 12 Tf 72 700 Td (Europol searched the reader network 1234 times) Tj ET"
    assert page_ocr_reason(_page(tmp_path, _pdf(text, HELVETICA))) == ""


def test_image_only_page_needs_ocr_and_is_read_in_points(tmp_path: Path) -> None:
    page = _page(tmp_path, _pdf(PAINT_IMAGE, HELVETICA, _table_image()))
    assert page_ocr_reason(page) == "no text layer (image only)"
    found = ocr_pdf_page(page, OcrSettings(dpi=200))
    words = {w.text: w for w in found.words}
    assert {"Agency", "Searches", "Europol", "1,234"} <= set(words)
    assert words["Europol"].x0 == pytest.approx(72, abs=3)
    assert words["Europol"].top == pytest.approx((300 + 60) * 72 / 150, abs=6)
    assert (found.width, found.height) == pytest.approx((612, 792), abs=1)


def test_font_without_unicode_map_is_garbage_and_the_page_is_ocred(tmp_path: Path) -> None:
    hidden = b"BT 3 Tr /F1 12 Tf 72 700 Td <" + bytes(range(1, 60)).hex().encode() + b"> Tj ET"
    page = _page(tmp_path, _pdf(PAINT_IMAGE + b"\n" + hidden, NO_UNICODE, _table_image()))
    assert page_ocr_reason(page).startswith("garbage text layer: ")
    assert "Europol" in [w.text for w in ocr_pdf_page(page).words]


def test_blank_page_needs_nothing(tmp_path: Path) -> None:
    assert page_ocr_reason(_page(tmp_path, _pdf(b"", HELVETICA))) == ""


@pytest.mark.parametrize(
    "text",
    [
        "Agency Searches First search\nEuropol 1,234 09/27/2019\nPolizia di Stato 37,418",
        "Okaloosa County FL SO 840 17652 11/13/2025, 10:00:17 PM UTC bolo lookup",
        "Bundeskriminalamt Gendarmerie nationale Policía Nacional Guardia Civil Politie",
        "23d55b89-42eb-4f5c-9281-f5e8bf4864be 5720871a-4c6d-4be1-a9c8-6f7524f871f9",
    ],
)
def test_real_text_is_not_garbage(text: str) -> None:
    assert garbage_reason(text) == ""


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("\ue001\ue002\ue003 \ue004\ue005 Total \ue006\ue007\ue008\ue009", "private-use"),
        ("\x03\x11\x07\x1a \x02\x05 \x13\x14\x15 12 \x16\x17", "control"),
        ("!#$% &'()* +,-./ :;<=> ?@[]^ {|}~! #$%&' ()*+ ,-./", "letters or digits"),
        ("Xqzt bcDF ghjK lmnP QrsT vwxZ bcdfG hjKlm nPqrS tvWxz", "look like words"),
    ],
)
def test_garbage_is_recognised(text: str, why: str) -> None:
    assert why in garbage_reason(text)


def test_speckle_is_not_read_as_redaction_or_words(tmp_path: Path) -> None:
    noise = (np.random.default_rng(3).random((1650, 1275)) > 0.002).astype(np.uint8) * 255
    page = _page(tmp_path, _pdf(PAINT_IMAGE, HELVETICA, Image.fromarray(noise)))
    found = ocr_pdf_page(page)
    assert found.redactions == []
    assert not [w for w in found.words if any(ch.isalnum() for ch in w.text)]


def test_pdf_reader_ocrs_image_and_garbage_pages_into_records(tmp_path: Path) -> None:
    hidden = b"BT 3 Tr /F1 12 Tf 72 700 Td <" + bytes(range(1, 60)).hex().encode() + b"> Tj ET"
    sources = {
        "image.pdf": _pdf(PAINT_IMAGE, HELVETICA, _table_image()),
        "garbage.pdf": _pdf(PAINT_IMAGE + b"\n" + hidden, NO_UNICODE, _table_image()),
    }
    for name, data in sources.items():
        (tmp_path / name).write_bytes(data)
        result = extract_document(Source(path=tmp_path / name, name=name))
        assert (result.status, result.pages, result.ocr_pages) == ("ok", 1, 1), result.error
        got = [(r.agency_raw, r.count, r.method, r.page, r.row) for r in result.records]
        assert got == [
            ("Europol", 1234, "ocr", 1, 1),
            ("Interpol", 56, "ocr", 1, 2),
            ("Politie", 789, "ocr", 1, 3),
        ]
        record = result.records[0]
        assert record.bbox is not None
        assert float(record.bbox.split(",")[0]) == pytest.approx(72, abs=3)
        assert any("read by OCR" in note for note in result.notes)
