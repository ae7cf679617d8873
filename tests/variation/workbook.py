"""Workbooks the generators write: the same bytes for the same seed (fixed dates in the file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

#: The creation date written into every generated workbook, so that bytes depend on the seed only.
CREATED = dt.datetime(2021, 1, 5, 9, 0, 0)


def save_xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> None:
    """One sheet of rows; datetimes as date cells, numbers as numbers, everything else as text."""
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": CREATED, "author": "Export"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    page = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                page.write_datetime(r, c, value, stamp)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                page.write_number(r, c, value)
            elif value is not None and value != "":
                page.write_string(r, c, str(value))
    book.close()
