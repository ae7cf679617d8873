"""What readers return: tables of cells with their position in the source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: A cell value as a reader delivers it: text from CSV and PDF, typed values from spreadsheets.
CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None


@dataclass(frozen=True)
class Table:
    """A grid of cells read from one sheet, CSV file or page, before any interpretation."""

    rows: list[list[CellValue]]
    #: 1-based row number in the source for each entry of ``rows``.
    row_numbers: list[int]
    sheet: str | None = None
    page: int | None = None
    #: Text found around the table (titles, notes) that may apply to every row.
    context: list[str] = field(default_factory=list)
    #: Which reader produced it: sheet | table | ocr | log.
    method: str = "sheet"
    #: OCR confidence 0-1 of each entry of ``rows`` (its least sure word); empty when not OCR.
    row_confidence: list[float] = field(default_factory=list)
    #: Box (x0, top, x1, bottom in PDF points) of each entry of ``rows``; empty when unknown.
    row_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    #: 1-based page of each entry of ``rows`` when a table runs over pages; empty otherwise.
    row_pages: list[int] = field(default_factory=list)
    #: What each entry of ``rows`` counts, when a wide table was turned into one count per
    #: row (the column header, "Pre-Pawn Handgun"); empty entries keep the count column's.
    row_metrics: list[str] = field(default_factory=list)


def raw_text(value: CellValue) -> str:
    """Return a cell as the text a reporter would see, without inventing precision."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def is_blank(value: CellValue) -> bool:
    """Return True for an empty cell or one holding only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Text:
    """A run of prose (an email body, a paragraph, a page of text) for sentence extraction."""

    text: str
    page: int | None = None
    #: A label for where the text sits inside its file ("body", "paragraph 4").
    label: str = ""
    #: The document's own date (an email's Date header, a dated letter), ISO, if known.
    document_date: str = ""


@dataclass
class Blocks:
    """Everything a reader got out of one file, before interpretation."""

    tables: list[Table] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    pages: int | None = None
    ocr_pages: int = 0
    #: Things the reader noticed that belong in documents.csv (page furniture, OCR confidence...).
    notes: list[str] = field(default_factory=list)
