"""Counts and dates misread by OCR are read again on their own; scanned rules are found whole."""

from __future__ import annotations

from PIL import Image, ImageDraw

from foialog.extract.readers.images import tidy_lines
from foialog.extract.readers.ocr import OcrSettings, _read_value, _reread_values, find_rules
from foialog.extract.readers.ocr_values import (
    DISAGREE,
    bare_value,
    empty_cells,
    id_cells,
    id_shape,
    settled,
    value_cells,
    value_kind,
)
from foialog.extract.tables.words import Word
from foialog.sample.scans import scan_font


def _word(text: str, x0: float, top: float, x1: float, confidence: float = 0.9) -> Word:
    return Word(text=text, x0=x0, top=top, x1=x1, bottom=top + 20, confidence=confidence)


def _column(middle: str) -> list[Word]:
    """A name column and a right-aligned count column with ``middle`` in its third row."""
    names = [_word(n, 10, 40 + 40 * i, 200) for i, n in enumerate(("Europol", "Interpol", "FBI"))]
    names += [_word("Agency", 10, 0, 80), _word("Searches", 300, 0, 390)]
    counts = [
        _word("1,234", 330, 40, 390),
        _word("56", 360, 80, 390),
        _word(middle, 355, 120, 390),
        _word("789", 345, 160, 390),
    ]
    return names + counts


def test_value_kind_reads_numbers_and_dates_only() -> None:
    assert value_kind("1,234") == "number"
    assert value_kind("2019-07-10") == "date"
    assert value_kind("12/28/2017.") == ""
    assert value_kind("8g") == ""
    assert bare_value("12/28/2017.") == "12/28/2017"
    assert bare_value("(3,965,") == "3,965"


def test_a_misread_value_with_a_speck_loses_the_speck_without_a_second_reading() -> None:
    words = _column("(56.")
    kept = _reread_values(Image.new("L", (1, 1), 255), words, OcrSettings())
    assert [w.text for w in kept if w.top == 120 and w.x0 == 355] == ["56"]


def test_an_unread_count_on_a_line_of_values_is_a_cell_to_read() -> None:
    words = [w for w in _column("78") if w.text != "78"]
    words.append(_word("05/06/2020", 420, 120, 500))  # the line's date, so it is a row
    cells = empty_cells(words)
    assert len(cells) == 1
    (x0, top, x1, bottom), kind = cells[0]
    assert kind == "number"
    assert (x0, x1) == (330, 390)  # the column's width
    assert (top, bottom) == (120, 140)  # the line's values' height


def test_a_misread_count_between_counts_is_chosen_and_nothing_else() -> None:
    words = _column("8g")
    chosen = value_cells(words)
    assert [(words[i].text, kind) for i, kind in chosen] == [("8g", "number")]


def test_header_above_a_column_and_a_redaction_code_are_not_read_again() -> None:
    words = _column("(b)(6)")
    assert value_cells(words) == []  # "Searches" is above every count; (b)(6) is a code


def test_the_second_reading_wins_only_when_it_is_a_value_and_lowers_confidence() -> None:
    first = _word("8g", 0, 0, 10, confidence=0.8)
    kept = settled(first, "78", 0.9, "number")
    assert kept.text == "78"
    assert kept.confidence == round(0.8 * DISAGREE, 3)
    unsure = settled(first, "7/8", 0.9, "number")
    assert unsure.text == "8g"
    assert unsure.confidence < first.confidence
    assert settled(first, "8g", 0.9, "number") == first


def test_a_count_read_wrongly_or_not_at_all_is_read_again_from_its_box() -> None:
    image = Image.new("L", (500, 220), 255)
    draw = ImageDraw.Draw(image)
    for text, y in (("1,234", 40), ("56", 80), ("78", 120), ("789", 160)):
        draw.text((390, y), text, fill=0, font=scan_font(24), anchor="ra")
    # The first reading of the third count came back as "8g" (as a noisy scan gives it).
    words = _column("8g")
    again = _reread_values(image, words, OcrSettings())
    reread = next(w for w in again if w.top == 120 and w.x0 == 355)
    assert reread.text == "78"
    assert reread.confidence < 0.9
    assert [w.text for w in again if w is not reread] == [
        w.text for w in words if not (w.top == 120 and w.x0 == 355)
    ]
    # The same count never read, on a line whose name and date were read: found in its cell.
    unread = [w for w in words if w.text != "8g"] + [_word("05/06/2020", 420, 120, 500)]
    found = _reread_values(image, unread, OcrSettings())
    assert [w.text for w in found if w.top == 120 and 300 < w.x0 < 400] == ["78"]
    assert all(w.confidence < 0.9 for w in found if w.top == 120 and 300 < w.x0 < 400)


def test_a_broken_slanted_rule_is_one_rule_and_letters_are_none() -> None:
    image = Image.new("L", (1200, 300), 255)
    draw = ImageDraw.Draw(image)
    # A one-pixel rule stepping down a row every 400 px, cut for 2 px every 30 px (a fax).
    for x in range(100, 1100, 30):
        y = 200 + (x - 100) // 400
        draw.line((x, y, x + 27, y), fill=0)
    draw.text((100, 100), "Department Department", fill=0, font=scan_font(48))
    rules = find_rules(image)
    assert len(rules) == 1
    rule = rules[0]
    assert rule.x0 <= 102
    assert rule.x1 >= 1100
    assert rule.top >= 199
    assert rule.bottom <= 204


def test_a_date_written_in_words_is_one_word_and_other_words_stay_apart() -> None:
    line = [
        _word("Vilas", 10, 0, 40),
        _word("County", 44, 0, 80),
        _word("Aug", 300, 0, 322),
        _word("25,", 326, 0, 342),
        _word("2022", 346, 0, 372),
        _word("81", 420, 0, 432),
    ]
    (tidied,) = tidy_lines(line)
    assert [w.text for w in tidied] == ["Vilas", "County", "Aug 25, 2022", "81"]
    assert (tidied[2].x0, tidied[2].x1) == (300, 372)
    # Parts a column apart are not one date.
    apart = [_word("May", 10, 0, 30), _word("12", 200, 0, 212), _word("2016", 400, 0, 424)]
    assert [w.text for w in tidy_lines(apart)[0]] == ["May", "12", "2016"]


def test_a_date_in_words_whose_day_and_year_were_read_as_one_word_is_one_date() -> None:
    line = [
        _word("Geneva", 10, 0, 60),
        _word("Aug", 300, 0, 322),
        _word("16,2019", 326, 0, 372),
        _word("205694", 420, 0, 470),
    ]
    (tidied,) = tidy_lines(line)
    assert [w.text for w in tidied] == ["Geneva", "Aug 16, 2019", "205694"]
    assert (tidied[1].x0, tidied[1].x1) == (300, 372)
    # A word and a number that are no date stay apart.
    other = [_word("Agency", 10, 0, 60), _word("12,3456", 66, 0, 110)]
    assert [w.text for w in tidy_lines(other)[0]] == ["Agency", "12,3456"]


# A request log: an id column, a request date beside every id, an amount on some rows only.
_IDS = ("REQ-2024-0117", "REQ-2024-0242", None, "REQ-2024-0385", "REQ-2024-0391")
_DATES = ("3/4/2024", "3/9/2024", "4/2/2024", "4/11/2024", "5/1/2024")


def _log(third: str | None) -> list[Word]:
    """Five rows of id, date, name and (some) amount; the third row's id read as ``third``."""
    words = [_word("Request", 10, 0, 80), _word("Received", 200, 0, 280)]
    for row, (rid, date) in enumerate(zip(_IDS, _DATES, strict=True)):
        top = 40 + 60 * row
        text = rid if rid is not None else third
        if text is not None:
            words.append(_word(text, 10, top, 150))
        words += [_word(date, 200, top, 280), _word("Jane", 300, top, 340)]
        if row % 2:
            words.append(_word("12.50", 450, top, 500))
    # A description line under a row, holding a number: no row of its own.
    words += [_word("see", 300, 70, 330), _word("2008", 340, 70, 380)]
    return words


def test_id_shape_writes_letters_as_a_and_digits_as_9() -> None:
    assert id_shape("EPD-2025-3308") == "AAA-9999-9999"
    assert id_shape("PEPD-2025-3308") == "AAAA-9999-9999"
    assert id_shape("Jero-2025-s348") == "AAAA-9999-A999"


def test_a_row_whose_id_was_misread_or_not_read_has_its_id_cell_read_again() -> None:
    for third in ("REQ-2O24-0333", "PREQ-2024-0333", "i", None):
        words = _log(third)
        cells = id_cells(words)
        assert len(cells) == 1, (third, cells)
        (cell,) = cells
        assert cell.box == (10, 160, 150, 180)  # the column's width, the row's date's height
        assert cell.shape == "AAA-9999-9999"
        assert set(cell.whitelist) == set("REQ0123456789-")
        assert [words[i].text for i in cell.first] == ([third] if third else [])


def test_ids_read_in_shape_and_columns_of_repeats_are_left_alone() -> None:
    assert id_cells(_log("REQ-2024-0333")) == []
    # The same id twice (a description that cites one request) is no column of row ids.
    cited = [_word("REQ-2024-0001", 300, 40 + 60 * r, 440) for r in range(4)]
    dates = [_word("3/4/2024", 200, 40 + 60 * r, 280) for r in range(5)]
    assert id_cells(cited + dates) == []


def test_a_line_with_only_an_amount_is_no_row_to_read_an_id_in() -> None:
    # The amount column stands beside two of four ids: a row may leave it empty, so a line
    # where only an amount was read (a description's number, a row cut in half) is no row.
    words = [w for w in _log("REQ-2024-0333") if not (w.top == 160 and w.x0 < 300)]
    words.append(_word("12.50", 450, 160, 500))
    assert id_cells(words) == []


def test_an_unread_id_is_read_from_its_cell_past_the_bar_beside_it() -> None:
    """Eugene request log pages 3 and 7: a dark bar down the row's edge, read as "i" or glued
    to the id ("Jero-2025-s348"); the cell read alone, the bar left out, gives the id."""
    image = Image.new("L", (700, 360), 255)
    draw = ImageDraw.Draw(image)
    words: list[Word] = []
    for row, (rid, date) in enumerate(zip(_IDS, _DATES, strict=True)):
        top = 40 + 60 * row
        draw.rectangle((6, top - 14, 11, top + 34), fill=0)  # the bar down the row's edge
        text = rid or "REQ-2024-0333"
        draw.text((14, top), text, fill=0, font=scan_font(24))
        if rid is not None:
            words.append(_word(rid, 14, top, 190))
        words += [_word(date, 260, top, 360)]
        draw.text((260, top), date, fill=0, font=scan_font(24))
    words.append(_word("i", 4, 150, 12, confidence=0.3))  # the bar, read on a line of its own
    again = _reread_values(image, words, OcrSettings())
    read = [w for w in again if w.x0 < 200 and 150 <= w.top < 200]
    assert [w.text for w in read] == ["REQ-2024-0333"]
    assert read[0].confidence <= round(0.9 * DISAGREE, 3)
    # Read with the bar, the id came back as sure as nothing (confidence 0).
    x0, top, x1, bottom = (round(v) for v in id_cells(words)[0].box)
    text, confidence = _read_value(image, (x0, top, x1, bottom), "REQ0123456789-", OcrSettings())
    assert (text, confidence > 0.5) == ("REQ-2024-0333", True)
    others = [w for w in words if w.text != "i"]
    assert [w for w in again if w not in read] == others  # every other word as it was
