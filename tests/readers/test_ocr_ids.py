"""A row id out of the shape its log's other ids share is read again from its cell once the
log's pages are stitched (a page holding that row alone shows no column of ids)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from foialog.extract.readers.ocr_pages import ocr_page_content
from foialog.extract.readers.ocr_values import (
    DISAGREE,
    IdCell,
    dominant_id_shape,
    settled_id,
)
from foialog.extract.readers.pdf.reader import read_pdf
from foialog.extract.readers.pdf.text import PageContent
from foialog.extract.tables.words import Word
from foialog.sample.scans import scan_font

IDS = [f"EPD-2025-{n}" for n in (2950, 4510, 4338, 3548, 3751, 3405)]


@pytest.mark.parametrize(
    ("firsts", "shape", "misshapen"),
    [
        # Five ids of one shape and a misread one: that one is read again.
        ([*IDS[:5], "PEPD-2025-3772"], "AAA-9999-9999", (5,)),
        # Empty cells are not counted; a digit misread as a letter is near the shape.
        (["", *IDS[:5], "", "Jero-2025-s348"], "AAA-9999-9999", (7,)),
        # A total, a year or a page number is too far from the shape to be a misread id.
        ([*IDS, "Total"], "AAA-9999-9999", ()),
        ([*IDS, "FY2025"], "AAA-9999-9999", ()),
    ],
)
def test_the_dominant_id_shape_and_the_ids_out_of_it(
    firsts: list[str], shape: str, misshapen: tuple[int, ...]
) -> None:
    found = dominant_id_shape(firsts)
    assert found is not None
    assert (found.shape, found.misshapen) == (shape, misshapen)
    assert found.whitelist == "DEP0123456789-"


@pytest.mark.parametrize(
    "firsts",
    [
        [*IDS[:4], "PEPD-2025-3772"],  # four ids: too few to learn a shape from
        [*IDS[:4], "EPD-25-1", "EPD-25-2"],  # four of six (67%): no dominant shape
        ["01/02/2024"] * 6,  # dates: no letters, no id
        ["Police", "Sheriff", "Police", "Police", "Police", "Police"],  # names: no digits
    ],
)
def test_no_dominant_id_shape(firsts: list[str]) -> None:
    assert dominant_id_shape(firsts) is None


def _word(text: str, confidence: float = 0.9) -> Word:
    return Word(text=text, x0=10, top=20, x1=60, bottom=30, confidence=confidence)


CELL = IdCell((8, 20, 62, 30), "AAA-9999-9999", "DEP0123456789-", (0,))


def test_a_second_reading_in_shape_replaces_the_first_less_sure() -> None:
    (kept,) = settled_id([_word("PEPD-2025-3772", 0.2)], "EPD-2025-3772", 0.9, CELL)
    assert kept.text == "EPD-2025-3772"
    assert kept.confidence == pytest.approx(0.2 * DISAGREE)
    assert (kept.x0, kept.x1) == (8, 62)  # the cell's box


def test_a_second_reading_out_of_shape_leaves_the_first_standing() -> None:
    first = [_word("EPD-2025-377", 0.8)]
    assert settled_id(first, "EPD-2025-377", 0.9, CELL) == first  # they agree: as sure
    assert settled_id(first, "", 0.0, CELL) == first  # nothing read
    (kept,) = settled_id(first, "EPD-2O25-377", 0.9, CELL)
    assert kept.text == "EPD-2025-377"
    assert kept.confidence == pytest.approx(0.8 * DISAGREE)


# Two pages of a request log drawn at 150 DPI: a header, ids with their request dates. The
# second page's first id is the one OCR is made to misread (below), as Eugene page 13's was.
_PAGES = (
    [(rid, f"7/{i + 10}/2025", "Jane Roe") for i, rid in enumerate(IDS)],
    [("EPD-2025-3772", "8/18/2025", "Seth May"), ("EPD-2025-3773", "8/19/2025", "Ann Lee")],
)
_MISREAD = {"EPD-2025-3772": "PEPD-2025-3772"}
_SPECKED = "EPD-2025-3548"


def _log_pdf(path: Path) -> Path:
    font = scan_font(26)
    images = []
    for rows in _PAGES:
        image = Image.new("L", (1275, 900), 255)
        draw = ImageDraw.Draw(image)
        for i, cells in enumerate([("Request ID", "Received", "Requester"), *rows]):
            for x, text in zip((150, 500, 800), cells, strict=True):
                draw.text((x, 150 + 70 * i), text, fill=0, font=font)
        images.append(image)
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


def misreading_ocr(
    path: Path,
    index: int,
    password: str | None,
    *,
    languages: str | None = None,
    timeout: float | None = None,
) -> PageContent:
    """The page read by OCR, with _MISREAD's ids misread (module-level: workers take it)."""
    content = ocr_page_content(path, index, password, languages=languages, timeout=timeout)
    words = [replace(w, text=_MISREAD.get(w.text, w.text)) for w in content.words]
    for word in content.words:
        if word.text == _SPECKED:
            # A speck of the table's edge, in the margin before the id, read as a letter.
            height = word.bottom - word.top
            top = word.top + 0.5 * height
            words.append(Word("t", word.x0 - 1.2, top, word.x0 - 0.4, top + height, 0.39))
    return replace(content, words=tuple(words))


def test_an_id_misread_on_a_page_is_read_again_in_the_shape_of_the_others(
    tmp_path: Path,
) -> None:
    path = _log_pdf(tmp_path / "log.pdf")
    blocks = read_pdf(path, path.name, None, ocr=misreading_ocr)
    (table,) = blocks.tables
    firsts = [row[0] for row in table.rows[1:]]
    assert firsts == [*IDS, "EPD-2025-3772", "EPD-2025-3773"]
    row = firsts.index("EPD-2025-3772") + 1
    assert table.rows[row][1] == "8/18/2025"
    # The row is less sure than its neighbour read right the first time.
    assert table.row_confidence[row] < 0.5 * table.row_confidence[row + 1]
    assert any("'PEPD-2025-3772'" in n and "'EPD-2025-3772': kept" in n for n in blocks.notes)
    # The speck read beside an id in shape is read away with it.
    assert any("'EPD-2025-3548 t'" in n and "'EPD-2025-3548': kept" in n for n in blocks.notes)


def test_without_a_reread_the_misread_id_stays(tmp_path: Path) -> None:
    path = _log_pdf(tmp_path / "log.pdf")
    (table,) = read_pdf(path, path.name, None, ocr=misreading_ocr, reread=None).tables
    firsts = [row[0] for row in table.rows]
    assert "PEPD-2025-3772" in firsts
    assert "EPD-2025-3548 t" in firsts
