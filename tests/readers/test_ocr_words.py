"""OCR on generated page images whose words, boxes, turn and redactions are known."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from foialog.errors import ReadError
from foialog.extract.readers.images import read_image
from foialog.extract.readers.ocr import OcrError, OcrSettings, check_languages, ocr_image, parse_tsv
from foialog.extract.readers.pdf.redaction import BOX_TEXT
from foialog.extract.tables.words import Word, group_lines
from foialog.sample.scans import scan_font

LINES = ("Agency Searches", "Europol 1,234", "Interpol 56")


def _page(lines: tuple[str, ...] = LINES, *, size: int = 40) -> Image.Image:
    """A white page with each line at a known place: x 100, y 100 + 80 * i (pixels)."""
    image = Image.new("L", (1200, 600), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((100, 100 + 80 * i), line, fill=0, font=scan_font(size))
    return image


def _texts(image: Image.Image, settings: OcrSettings | None = None) -> list[str]:
    page = ocr_image(image, settings)
    return [" ".join(w.text for w in line) for line in group_lines(page.words)]


def test_words_boxes_and_confidence_come_back_in_points() -> None:
    page = ocr_image(_page(), points_per_pixel=0.5)
    words = {w.text: w for w in page.words}
    assert set(words) >= {"Agency", "Searches", "Europol", "1,234", "Interpol", "56"}
    europol = words["Europol"]
    # Drawn at (100, 180) px with 40 px text: half that in points.
    assert 45 <= europol.x0 <= 55
    assert 85 <= europol.top <= 100
    assert europol.bottom - europol.top < 25
    assert all(0.5 < w.confidence <= 1 for w in page.words)
    assert page.width == 600
    assert page.rotation == 0


def test_a_page_scanned_sideways_is_turned_upright() -> None:
    text = ("The agency ran searches of the plate reader network every week",) * 6
    sideways = _page(text, size=30).rotate(90, expand=True)
    page = ocr_image(sideways)
    assert page.rotation in (90, 270)
    assert "searches" in [w.text for w in page.words]


def test_a_crooked_page_is_levelled_before_reading() -> None:
    crooked = _page().rotate(2.5, resample=Image.Resampling.BICUBIC, fillcolor=255)
    page = ocr_image(crooked)
    assert page.skew == pytest.approx(-2.5, abs=0.3)
    assert [" ".join(w.text for w in line) for line in group_lines(page.words)] == list(LINES)


def test_a_dark_mode_screenshot_is_read() -> None:
    dark = Image.eval(_page(), lambda v: 255 - v)
    assert _texts(dark) == list(LINES)


def test_redaction_box_becomes_a_redacted_cell(tmp_path: Path) -> None:
    image = _page(("Agency          Searches", "Hidden Agency          1,234", "Interpol 56"))
    ImageDraw.Draw(image).rectangle((90, 170, 380, 230), fill=0)
    path = tmp_path / "redacted.png"
    image.save(path)
    blocks = read_image(path, "redacted.png", None)
    rows = blocks.tables[0].rows
    assert rows[1] == [BOX_TEXT, "1,234"]
    assert "Hidden" not in str(rows)
    assert rows[2] == ["Interpol 56"] or rows[2][0].startswith("Interpol")


def test_image_file_becomes_a_table_with_confidences(tmp_path: Path) -> None:
    path = tmp_path / "shot.png"
    _page(("Agency          Searches", "Europol          1234")).save(path, dpi=(144, 144))
    blocks = read_image(path, "shot.png", None)
    assert blocks.pages == blocks.ocr_pages == 1
    table = blocks.tables[0]
    assert table.method == "ocr"
    assert table.page == 1  # a single image is page 1, so its records cite page and box
    assert table.rows == [["Agency", "Searches"], ["Europol", "1234"]]
    assert len(table.row_confidence) == 2
    assert all(0.5 < c <= 1 for c in table.row_confidence)
    # 144 DPI: pixels halve into points.
    assert table.row_boxes[1][0] == pytest.approx(50, abs=5)


def test_every_frame_of_a_tiff_is_a_page(tmp_path: Path) -> None:
    path = tmp_path / "two.tiff"
    first, second = _page(("Europol 12",)), _page(("Interpol 34",))
    first.save(path, save_all=True, append_images=[second])
    blocks = read_image(path, "two.tiff", None)
    assert blocks.pages == 2
    assert [(t.page, t.rows) for t in blocks.tables] == [
        (1, [["Europol 12"]]),
        (2, [["Interpol 34"]]),
    ]


def test_damaged_image_fails_naming_the_file(tmp_path: Path) -> None:
    whole, path = tmp_path / "whole.png", tmp_path / "cut.png"
    _page().save(whole)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError, match=r"cut\.png: .*(damaged|truncated|readable)"):
        read_image(path, "cut.png", None)


def test_missing_language_lists_installed_ones_and_the_fix() -> None:
    expected = r"xqz is not installed; installed: .*eng.*tesseract-ocr-xqz"
    with pytest.raises(OcrError, match=expected):
        check_languages("eng+xqz")


def test_missing_tesseract_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(OcrError, match=r"install-system\.sh"):
        ocr_image(_page(), OcrSettings())


@pytest.mark.parametrize(
    ("field", "value"),
    [("languages", "eng; rm -rf"), ("dpi", 10), ("timeout", 0), ("max_skew", 90)],
)
def test_settings_refuse_bad_values(field: str, value: object) -> None:
    with pytest.raises(OcrError, match=f"OCR {field}"):
        OcrSettings(**{field: value})  # type: ignore[arg-type]


def test_tsv_quotes_are_text_and_non_words_are_dropped() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
        '5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t91.5\t"Quoted\n'
        "5\t1\t1\t1\t1\t2\t50\t20\t30\t12\t95\t \n"
    )
    assert parse_tsv(tsv) == [Word('"Quoted', 10, 20, 40, 32, confidence=0.915)]
