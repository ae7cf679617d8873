"""Which OCR words to read again as numbers or dates, and which reading of them to keep.

A count or date that Tesseract misreads ("8g" for 78, "(05/20/2021", "er)" for 40) sits in a
column of values read well: such a word, and only such a word, is cropped and read again on
its own with a digit-friendly setting (ocr.py does the reading).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from extract.values.redaction import find_redaction
from extract.words import Word

_NUMBER = re.compile(r"\d{1,3}(?:[,.]\d{3})+|\d+")
_DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}")
#: Characters a digit-friendly reading may give, per kind of value.
WHITELIST = {"number": "0123456789,.", "date": "0123456789/-."}
#: Values of one kind a word must share its column with to be read again as that kind.
_COLUMN = 2
#: How much a word's confidence falls when its two readings disagree.
DISAGREE = 0.5


def value_kind(text: str) -> str:
    """ "number" or "date" when the text is one, else "" (trailing punctuation aside)."""
    bare = text.strip(".,;:")
    if _DATE.fullmatch(bare):
        return "date"
    if _NUMBER.fullmatch(bare):
        return "number"
    return ""


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
