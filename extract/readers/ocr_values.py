"""Which OCR words to read again as numbers or dates, and which reading of them to keep.

A count or date that Tesseract misreads ("8g" for 78, "(05/20/2021", "er)" for 40) sits in a
column of values read well: such a word, and only such a word, is cropped and read again on
its own with a digit-friendly setting (ocr.py does the reading).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from foialog.extract.tables.words import Box, Word, group_lines
from foialog.extract.values.redaction import find_redaction

_NUMBER = re.compile(r"\d{1,3}(?:[,.]\d{3})+|\d+")
_DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}")
#: Marks a speck or a ruling line is read as when it touches a value.
_SPECKS = ".,;:'\"`‘’“”()[]{}|!=~_-"
#: Characters a digit-friendly reading may give, per kind of value.
WHITELIST = {"number": "0123456789,.", "date": "0123456789/-."}
#: Values of one kind a word must share its column with to be read again as that kind.
_COLUMN = 2
#: How much a word's confidence falls when its two readings disagree.
DISAGREE = 0.5


def value_kind(text: str) -> str:
    """The kind of value the text is exactly: "number", "date" or "" (none)."""
    if _DATE.fullmatch(text):
        return "date"
    if _NUMBER.fullmatch(text):
        return "number"
    return ""


def bare_value(text: str) -> str:
    """The text without the specks OCR glues to a value's ends ("12/28/2017.", "(3965,")."""
    return text.strip(_SPECKS)


def value_cells(words: Sequence[Word]) -> list[tuple[int, str]]:
    """Words (index, kind) that sit in a column of numbers or dates but are not one.

    A word is in a column when its box overlaps, left to right, at least two values of one
    kind on other lines, with a value of that kind above it and one below it: a header
    above the column and a note under it are left alone, and so are redaction codes.
    """
    kinds = [value_kind(w.text) for w in words]
    found: list[tuple[int, str]] = []
    for index, word in enumerate(words):
        if kinds[index] or find_redaction(word.text) is not None:
            continue
        if not any(ch.isalnum() for ch in word.text):
            continue  # a dash or a speck: Tesseract's way of writing an empty cell
        height = word.bottom - word.top
        tally: dict[str, list[Word]] = {}
        for other, kind in zip(words, kinds, strict=True):
            if (
                kind
                and abs((other.top + other.bottom) - (word.top + word.bottom)) > height
                and other.x0 < word.x1
                and word.x0 < other.x1
            ):
                tally.setdefault(kind, []).append(other)
        for kind, column in sorted(tally.items(), key=lambda kv: -len(kv[1])):
            above = any(o.bottom <= word.top for o in column)
            below = any(o.top >= word.bottom for o in column)
            if len(column) >= _COLUMN and above and below:
                found.append((index, kind))
            break
    return found


def settled(first: Word, second: str, second_confidence: float, kind: str) -> Word:
    """The word as kept: the second reading when it is a valid value of the column's kind.

    When the two readings disagree the word's confidence falls (the row's with it), so the
    row goes to review; when the second is no value either, the first reading stands.
    """
    if second == first.text:
        return first
    confidence = round(min(first.confidence, second_confidence) * DISAGREE, 3)
    if value_kind(second) == kind:
        return replace(first, text=second, confidence=confidence)
    return replace(first, confidence=confidence)


def empty_cells(words: Sequence[Word]) -> list[tuple[Box, str]]:
    """Boxes (x0, top, x1, bottom) and kinds of value cells a line leaves unread.

    A column of values is three or more numbers (or dates) whose boxes overlap left to right;
    a line between its first and last value with no word across the column may hold a value
    the page layout left out (a short right-aligned count): its box is the column's width at
    the line's height. Whether ink is there is for the caller.
    """
    found: list[tuple[Box, str]] = []
    lines = group_lines(words)
    for kind, column in _columns(words):
        x0, x1 = min(w.x0 for w in column), max(w.x1 for w in column)
        first, last = min(w.top for w in column), max(w.bottom for w in column)
        for line in lines:
            values = [w for w in line if value_kind(w.text)]
            if not values:
                # A line of words only (a wrapped description) is no row of its own: a value
                # read there would start a new row.
                continue
            # The height of the line's values: a name's box may be swollen by specks.
            top, bottom = min(w.top for w in values), max(w.bottom for w in values)
            if top <= first or bottom >= last:
                continue
            if any(w.x0 < x1 and x0 < w.x1 and w.top < bottom and top < w.bottom for w in words):
                continue  # read already, maybe on a line of its own
            found.append(((x0, top, x1, bottom), kind))
    return found


def _overlapping(words: Iterable[Word]) -> list[list[Word]]:
    """The words in runs, left to right, each word's box overlapping its run's boxes."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.x0):
        if groups and word.x0 < max(w.x1 for w in groups[-1]):
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _columns(words: Sequence[Word]) -> list[tuple[str, list[Word]]]:
    """Columns of values: runs of values of one kind whose boxes overlap left to right."""
    columns: list[tuple[str, list[Word]]] = []
    for kind in ("number", "date"):
        groups = _overlapping(w for w in words if value_kind(w.text) == kind)
        columns += [(kind, g) for g in groups if len(g) >= _COLUMN + 1]
    return columns


_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
#: Shortest id read as one ("A-12" is as likely a note's label as a row's key).
_ID_LENGTH = 5
#: Margin (share of the row's height) a cell is read with, on each side.
MARGIN = 0.3
#: Share of a page's ids a column of values must stand beside for its values to mark rows.
_PARTNER_SHARE = 0.8


def id_shape(text: str) -> str:
    """The text's shape: each letter written A, each digit 9 ("EPD-2025-3308": AAA-9999-9999)."""
    return _DIGIT.sub("9", _LETTER.sub("A", text))


@dataclass(frozen=True)
class IdCell:
    """A cell of a column of ids whose row was read but whose id was not (or not in shape)."""

    box: Box
    #: The shape every id of the column has ("AAA-9999-9999").
    shape: str
    #: The characters a reading of the cell may give: the column's letters, digits, marks.
    whitelist: str
    #: Indexes of the words read there first (none in shape); a reading in shape replaces them.
    first: tuple[int, ...]


def id_cells(words: Sequence[Word]) -> list[IdCell]:
    """Cells of a column of ids (one shape of letters and digits, no value twice) to read again.

    A row is a line with a value in a column of numbers or dates that stands beside nearly
    every id of the page (a request date, not an amount some rows leave empty); a row with no
    word of the id column's shape across that column has its id cell read again: the row's
    height, the column's width. Words read there before (a misreading: "Jero-2025-s348",
    "PEPD-2025-3308", a bar read as "i") are the cell's first reading.
    """
    found: list[IdCell] = []
    kinds = [value_kind(w.text) for w in words]
    for shape, column in _id_columns(words):
        x0, x1 = min(w.x0 for w in column), max(w.x1 for w in column)
        letters = sorted({c for w in column for c in w.text if _LETTER.fullmatch(c)})
        marks = sorted({c for c in shape if c not in "A9"})
        whitelist = "".join(letters) + ("0123456789" if "9" in shape else "") + "".join(marks)
        rows: list[Word] = []
        for partner in _partners(words, kinds, column, x0, x1):
            for value in partner:
                if any(_beside(w, value) for w in column):
                    continue
                if any(_beside(r, value) for r in rows):
                    continue  # the row's cell is read once (a date and an amount beside it)
                rows.append(value)
        for value in rows:
            # The cell is read with a margin around it (ocr._read_value): what was read in
            # the margin before the column (a bar at the row's edge) is of its first reading.
            start = x0 - MARGIN * (value.bottom - value.top)
            first = tuple(
                i
                for i, w in enumerate(words)
                if w.x0 < x1 and start < w.x1 and (w.x0 + w.x1) / 2 < x1 and _beside(w, value)
            )
            found.append(IdCell((x0, value.top, x1, value.bottom), shape, whitelist, first))
    return found


def _id_columns(words: Sequence[Word]) -> list[tuple[str, list[Word]]]:
    """Columns of ids: two or more distinct words of one shape of letters and digits whose
    boxes overlap left to right."""
    by_shape: dict[str, list[Word]] = {}
    for word in words:
        text = word.text
        if len(text) >= _ID_LENGTH and _LETTER.search(text) and _DIGIT.search(text):
            by_shape.setdefault(id_shape(text), []).append(word)
    columns: list[tuple[str, list[Word]]] = []
    for shape, shaped in by_shape.items():
        groups = _overlapping(shaped)
        for group in groups:
            texts = [w.text for w in group]
            if len(group) >= _COLUMN and len(set(texts)) == len(texts):
                columns.append((shape, group))
    return columns


def _partners(
    words: Sequence[Word], kinds: Sequence[str], ids: Sequence[Word], x0: float, x1: float
) -> list[list[Word]]:
    """Columns of values (numbers or dates) outside the ids' column that stand beside nearly
    every id: each column's values, beside an id or not."""
    values = [
        w for w, kind in zip(words, kinds, strict=True) if kind and not (w.x0 < x1 and x0 < w.x1)
    ]
    partners: list[list[Word]] = []
    for kind in ("date", "number"):
        groups = _overlapping(w for w in values if value_kind(w.text) == kind)
        for group in groups:
            beside = sum(any(_beside(i, v) for v in group) for i in ids)
            if beside >= max(_COLUMN, _PARTNER_SHARE * len(ids)):
                partners.append(group)
    return partners


def _beside(word: Word, other: Word) -> bool:
    """True when two words' boxes overlap top to bottom (one line, or a tall misread box)."""
    return word.top < other.bottom and other.top < word.bottom


def settled_id(first: Sequence[Word], text: str, confidence: float, cell: IdCell) -> list[Word]:
    """The words an id cell holds after its second reading ``text`` (``confidence``).

    A reading in the column's shape replaces the first one, as sure as the less sure of the
    two (halved when they differ): the row goes to review. Any other reading leaves the first
    one standing, less sure when the two differ.
    """
    before = "".join(w.text for w in first)
    if id_shape(text) == cell.shape:
        sure = min([confidence, *(w.confidence for w in first)])
        if before != text:
            sure = round(sure * DISAGREE, 3)
        x0, top, x1, bottom = cell.box
        return [Word(text=text, x0=x0, top=top, x1=x1, bottom=bottom, confidence=sure)]
    if not text or text == before:
        return list(first)
    return [replace(w, confidence=round(w.confidence * DISAGREE, 3)) for w in first]


#: Share of a table's first cells one id shape must hold, and how many, for the rest to be
#: read again in that shape (a log of ids, a few misread).
_DOMINANT_SHARE = 0.8
_DOMINANT_CELLS = 5
#: Most characters a misread id's shape may differ from the column's by ("PEPD-2025-3772"
#: for AAA-9999-9999 is one): further off, the cell is no id of the column (a note, a total).
_SHAPE_EDITS = 2


@dataclass(frozen=True)
class IdShape:
    """The one shape most of a table's first cells are written in, and the cells out of it."""

    shape: str
    #: The characters a reading in that shape may give: the ids' letters, digits and marks.
    whitelist: str
    #: Indexes of the first cells near that shape but not in it, to read again.
    misshapen: tuple[int, ...]


def dominant_id_shape(firsts: Sequence[str]) -> IdShape | None:
    """The shape of letters and digits (AAA-9999-9999) that 80% or more of a table's first
    cells, and at least five, are written in; None when no shape is that common.

    Empty cells are not counted; a cell within two characters of that shape but not in it
    ("PEPD-2025-3772", "Jero-2025-s348") is misshapen: a misread id to read again.
    """
    cells = [(i, text) for i, text in enumerate(firsts) if text]
    shapes = [id_shape(text) for _, text in cells]
    counts: dict[str, int] = {}
    for shape in shapes:
        counts[shape] = counts.get(shape, 0) + 1
    if not counts:
        return None
    shape, count = max(counts.items(), key=lambda kv: kv[1])
    if count < max(_DOMINANT_CELLS, _DOMINANT_SHARE * len(cells)) or not _is_id(shape):
        return None
    ids = [text for (_, text), s in zip(cells, shapes, strict=True) if s == shape]
    letters = sorted({c for text in ids for c in text if _LETTER.fullmatch(c)})
    marks = sorted({c for c in shape if c not in "A9"})
    whitelist = "".join(letters) + ("0123456789" if "9" in shape else "") + "".join(marks)
    misshapen = tuple(
        i
        for (i, text), s in zip(cells, shapes, strict=True)
        if s != shape and _DIGIT.search(text) and _edits(s, shape) <= _SHAPE_EDITS
    )
    return IdShape(shape, whitelist, misshapen)


def _is_id(shape: str) -> bool:
    """True for the shape of an id: letters and digits, long enough not to be a label."""
    return len(shape) >= _ID_LENGTH and "A" in shape and "9" in shape


def _edits(a: str, b: str) -> int:
    """Levenshtein distance between two shapes."""
    return int(Levenshtein.distance(a, b))
