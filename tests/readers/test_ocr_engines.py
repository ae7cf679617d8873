"""bench/ocr_engines.py's RapidOCR adapter on a generated table image whose words are known."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from foialog.extract.tables.words import find_word_tables

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("rapidocr") is None,
        reason="RapidOCR (package rapidocr, in foialog[bench]) is not installed: the adapter "
        "of bench/ocr_engines.py cannot be run; pip install -e '.[bench]'",
    ),
    # RapidOCR imports requests, whose urllib3 probes for IPv6 at import by opening a socket
    # on ::1 (never connected); pytest-socket blocks it and urllib3 catches that. A model
    # download would raise SocketBlockedError here and fail the test: nothing is fetched.
    pytest.mark.filterwarnings("ignore:A test tried to use socket.socket"),
]

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
ROWS = (
    ("Agency", "Searches"),
    ("Hood River Police Department", "1,204"),
    ("Marion County Sheriff", "87"),
    ("Salem Police Department", "3,310"),
)


def _table_image() -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """A white page with a two-column table in black, and each cell's text box in pixels."""
    image = Image.new("L", (1100, 420), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 34) if FONT.exists() else ImageFont.load_default(34)
    boxes = []
    for row, cells in enumerate(ROWS):
        for x, text in zip((60, 760), cells, strict=True):
            y = 60 + row * 80
            draw.text((x, y), text, font=font, fill=0)
            left, top, right, bottom = draw.textbbox((x, y), text, font=font)
            boxes.append((left, top, right, bottom))
    return image, boxes


@pytest.fixture(scope="module")
def engine() -> object:
    from bench.ocr_engines import rapidocr_engine

    return rapidocr_engine()


def test_rapidocr_words_are_word_boxes_where_the_words_are_drawn(engine: object) -> None:
    from bench.ocr_engines import rapidocr_words

    image, boxes = _table_image()
    words = rapidocr_words(engine, image)
    texts = [w.text for w in words]
    # One Word per word, not per line: a name of four words is four boxes.
    for word in ("Hood", "River", "Police", "Department", "Marion", "Sheriff", "1,204", "87"):
        assert word in texts, texts
    drawn = dict(zip([c for r in ROWS for c in r], boxes, strict=True))
    (count,) = [w for w in words if w.text == "3,310"]
    # The box is where the count was drawn (a few pixels of slack for the detector's margin).
    for got, drew in zip(
        (count.x0, count.top, count.x1, count.bottom), drawn["3,310"], strict=True
    ):
        assert abs(got - drew) < 12
    assert all(0 < w.confidence <= 1 for w in words)


def test_rapidocr_page_feeds_foialogs_table_finder(engine: object) -> None:
    from bench.ocr_engines import rapidocr_page

    image, _ = _table_image()
    page = rapidocr_page(engine, image, points_per_pixel=0.5)
    assert page.width == pytest.approx(image.width * 0.5)
    (table,) = find_word_tables(page.words)
    cells = [[c.strip() for c in row.cells] for row in table.rows]
    assert [row[-1] for row in cells] == ["1,204", "87", "3,310"]
    assert cells[0][0] == "Hood River Police Department"


def test_a_blank_page_reads_as_no_words(engine: object) -> None:
    from bench.ocr_engines import rapidocr_words

    # RapidOCR's empty output carries a placeholder word with no box (the Eugene log's blank
    # last page made the first adapter fail).
    assert rapidocr_words(engine, Image.new("L", (600, 800), 255)) == []


def test_a_line_box_splits_into_words_by_character_share() -> None:
    from bench.ocr_engines import line_words

    quad = [[100, 50], [420, 52], [420, 82], [100, 80]]
    words = line_words("Hood River  12", 0.9, quad)
    assert [w.text for w in words] == ["Hood", "River", "12"]
    assert words[0].x0 == 100
    assert words[-1].x1 == 420
    # 14 characters over 320 px: 'River' starts at character 5, '12' at character 12.
    assert words[1].x0 == pytest.approx(100 + 5 * 320 / 14)
    assert words[2].x0 == pytest.approx(100 + 12 * 320 / 14)
    assert all(w.top == 50 and w.bottom == 82 and w.confidence == 0.9 for w in words)
