"""Image files (PNG, JPEG, TIFF, GIF screenshots and scans) to tables through OCR."""

from __future__ import annotations

import itertools
import re
import statistics
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from foialog.errors import ReadError
from foialog.extract.blocks import Blocks, CellValue, Table
from foialog.extract.readers.ocr import OcrPage, OcrSettings, ocr_image, settings_from_environment
from foialog.extract.readers.pdf.redaction import BOX_TEXT, apply_redactions
from foialog.extract.tables.words import (
    Rule,
    Word,
    WordTable,
    bounds,
    find_word_tables,
    group_lines,
)
from foialog.extract.values.dates import parse_date

#: A gap wider than this many line heights between two words starts a new cell.
_CELL_GAP = 1.2
#: Below this confidence a word with no letter or digit is a speck, not a mark of the page.
_SPECK_CONFIDENCE = 0.6
#: Parts of a number closer than this many line heights were one number split by a speck.
_NUMBER_GAP = 0.3
_DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}")
_DAY = re.compile(r"\d{1,2},?")
_YEAR = re.compile(r"\d{4}")
_DAY_YEAR = re.compile(r"\d{1,2},\d{4}")
#: Parts of a date written in words stand at most this many word heights apart: a
#: monospaced font's space is as wide as a word box is high, or wider.
_WORD_GAP = 1.6
#: Frames past this many in one image file are not read (a stated limit, not a silent one).
MAX_FRAMES = 500


def read_image(
    path: Path, name: str, password: str | None, *, settings: OcrSettings | None = None
) -> Blocks:
    """OCR every frame of an image file into one table per frame (page), with confidences."""
    settings = settings or settings_from_environment()
    blocks = Blocks()
    pages = 0
    tables: list[Table] = []
    for pages, (frame, points_per_pixel) in enumerate(image_frames(path, name), start=1):
        page = ocr_image(frame, settings, points_per_pixel=points_per_pixel)
        tables.extend(page_tables(page, page_number=pages))
        blocks.notes.append(_page_note(page, pages))
    # A single image is page 1, so its records cite a page and a box like a PDF's do.
    blocks.tables = tables
    blocks.pages = blocks.ocr_pages = pages
    return blocks


def page_word_tables(
    page: OcrPage, *, page_number: int
) -> tuple[list[WordTable], list[list[Word]]]:
    """The tables the table finder sees among a page's OCR words, and the page's lines.

    Words under a redaction box are replaced by one box word, which the value parsers read
    as a redaction; lines with no letter or digit (speckle, stray marks) are left out.
    """
    fills = [(b.x0, b.top, b.x1, b.bottom) for b in page.redactions]
    words, _ = apply_redactions(page.words, fills, page=page_number)
    lines = tidy_lines(words)
    words = [w for line in lines for w in line]
    rules = [Rule(r.x0, r.top, r.x1, r.bottom) for r in page.rules]
    return find_word_tables(words, rules=rules), lines


def tidy_lines(words: Sequence[Word]) -> list[list[Word]]:
    """A page's OCR words in lines, without speckle lines and specks, split dates rejoined."""
    lines = [line for line in group_lines(words) if any(_meaningful(w) for w in line)]
    return [line for line in map(_tidy_line, lines) if line]


def page_tables(page: OcrPage, *, page_number: int) -> list[Table]:
    """Tables found among a page's OCR words; its lines as one table when none is found.

    The table finder is the one the PDF text layer uses (page_word_tables).
    """
    found, lines = page_word_tables(page, page_number=page_number)
    if found:
        return _numbered([(_table(t, page_number), bool(t.header)) for t in found])
    return _numbered([(_line_table(lines, page_number), False)]) if lines else []


def _table(found: WordTable, page_number: int) -> Table:
    """A found table as layout and roles read it: header first, then its rows."""
    rows: list[list[CellValue]] = [list(r.cells) for r in found.rows]
    confidence = [r.confidence for r in found.rows]
    boxes = [r.box for r in found.rows]
    if found.header:
        rows.insert(0, list(found.header))
        confidence.insert(0, 1.0)
        boxes.insert(0, found.header_box or found.box)
    return Table(
        rows=rows,
        row_numbers=[0] * len(rows),
        page=page_number,
        context=[*found.title, *found.notes],
        method="ocr",
        row_confidence=confidence,
        row_boxes=boxes,
    )


def _line_table(lines: Sequence[Sequence[Word]], page_number: int) -> Table:
    """Each line a row, split into cells at wide gaps: for pages with no table in them."""
    return Table(
        rows=[list(_cells(line)) for line in lines],
        row_numbers=[0] * len(lines),
        page=page_number,
        method="ocr",
        row_confidence=[min(w.confidence for w in line) for line in lines],
        row_boxes=[bounds(line) for line in lines],
    )


def _numbered(tables: list[tuple[Table, bool]]) -> list[Table]:
    """Number rows by their place on the page, top to bottom, headers 0 (as PDF tables are)."""
    order = sorted(
        (box[1], t, i)
        for t, (table, header) in enumerate(tables)
        for i, box in enumerate(table.row_boxes)
        if i or not header
    )
    for number, (_, t, i) in enumerate(order, start=1):
        tables[t][0].row_numbers[i] = number
    return [table for table, _ in tables]


def _cells(line: Sequence[Word]) -> Iterator[str]:
    """Split a line of words into cells at gaps wider than the line's text height."""
    height = statistics.median(w.bottom - w.top for w in line)
    cell = [line[0].text]
    for before, word in itertools.pairwise(line):
        if word.x0 - before.x1 > _CELL_GAP * height:
            yield " ".join(cell)
            cell = []
        cell.append(word.text)
    yield " ".join(cell)


def _tidy_line(line: Sequence[Word]) -> list[Word]:
    """A line of OCR words without speckle read as marks, numbers split by a speck rejoined.

    A mark with no letter or digit read with low confidence, or any "word" in a box a fraction
    of the line's height, is a speck (":", "‘", "ie"); a date or number broken at a speck
    ("06/1 7/2016") has its two parts far closer than a space and is whole only joined.
    """
    height = statistics.median(w.bottom - w.top for w in line)
    kept = [
        replace(w, text=w.text.lstrip("‘“'\"~_+")) if w.text[0] in "‘“~_+" else w
        for w in line
        if w.text in ("-", "—", "–")
        or (
            (_meaningful(w) or w.confidence >= _SPECK_CONFIDENCE)
            # A box a fraction of the line's height holds no letter or digit: a speck.
            and w.bottom - w.top >= 0.3 * height
        )
    ]
    kept = [w for w in kept if w.text]
    out: list[Word] = []
    for word in kept:
        last = out[-1] if out else None
        if (
            last is not None
            and word.x0 - last.x1 < _NUMBER_GAP * height
            # Only a date made whole: two whole values side by side stay apart.
            and _DATE.fullmatch(last.text + word.text)
            and not _DATE.fullmatch(last.text)
            and not _DATE.fullmatch(word.text)
        ):
            out[-1] = replace(
                last,
                text=last.text + word.text,
                x1=word.x1,
                top=min(last.top, word.top),
                bottom=max(last.bottom, word.bottom),
                confidence=min(last.confidence, word.confidence),
            )
        else:
            out.append(word)
    return _worded_dates(out, height)


def _worded_dates(line: list[Word], height: float) -> list[Word]:
    """A date written in words ("Aug 25, 2022") as one word, its parts a word space apart.

    Left as three words, a column of such dates can show white space at the same places on
    every line and be cut into three columns by the table finder.
    """
    out: list[Word] = []
    i = 0
    while i < len(line):
        parts = _date_parts(line[i : i + 3], height)
        if parts:
            # OCR reads "16, 2019" as "16,2019" where the space is narrow; the parser needs it.
            text = " ".join(p.text for p in parts).replace(",", ", ").replace(",  ", ", ")
            out.append(
                replace(
                    parts[0],
                    text=text,
                    x1=parts[-1].x1,
                    top=min(p.top for p in parts),
                    bottom=max(p.bottom for p in parts),
                    confidence=min(p.confidence for p in parts),
                )
            )
            i += len(parts)
        else:
            out.append(line[i])
            i += 1
    return out


def _date_parts(parts: Sequence[Word], height: float) -> Sequence[Word]:
    """The first words of ``parts`` that are a date in words: month, day, year (the day and
    year may be read as one word, "16,2019"); empty when they are not."""
    if not parts or not parts[0].text.isalpha():
        return ()
    for n, shape in ((3, (_DAY, _YEAR)), (2, (_DAY_YEAR,))):
        taken = parts[:n]
        if (
            len(taken) == n
            and all(p.fullmatch(w.text) for p, w in zip(shape, taken[1:], strict=True))
            and all(b.x0 - a.x1 < _WORD_GAP * height for a, b in itertools.pairwise(taken))
            and parse_date(" ".join(w.text for w in taken).replace(",", ", ")).value
        ):
            return taken
    return ()


def _meaningful(word: Word) -> bool:
    return word.text == BOX_TEXT or any(ch.isalnum() for ch in word.text)


def image_frames(path: Path, name: str) -> Iterator[tuple[Image.Image, float]]:
    """Each frame of an image with its points per pixel (1 when the file states no DPI)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= MAX_FRAMES:
                    raise ReadError(
                        f"{name}: more than {MAX_FRAMES} frames in one image; split the file"
                    )
                frame.load()
                dpi = frame.info.get("dpi")
                scale = 72 / float(dpi[0]) if dpi and float(dpi[0]) >= 50 else 1.0
                yield frame.copy(), scale
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ReadError(f"{name}: not a readable image: {exc}") from exc
    except Image.DecompressionBombWarning as exc:
        raise ReadError(f"{name}: image too large to OCR safely ({exc})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ReadError(f"{name}: the image is damaged or truncated: {exc}") from exc


def _page_note(page: OcrPage, number: int) -> str:
    turned = f", turned {page.rotation}°" if page.rotation else ""
    level = f", deskewed {page.skew:+.1f}°" if page.skew else ""
    boxes = f", {len(page.redactions)} redaction boxes" if page.redactions else ""
    cleanup = ", clean-up " + "+".join(page.cleanup) if page.cleanup else ""
    readings = f"{page.readings} reading{'s' if page.readings > 1 else ''}"
    return (
        f"page {number}: OCR {len(page.words)} words, mean confidence {page.confidence:.2f}"
        f"{turned}{level}{boxes}{cleanup}, {readings}, {page.seconds:.1f} s"
    )
