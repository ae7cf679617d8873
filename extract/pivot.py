"""Month-by-year tables ("Month | 2025 | 2024") turned long: one row per month and year."""

from __future__ import annotations

import re

from extract.blocks import CellValue, Table, is_blank, raw_text
from extract.layout import Layout

_YEAR = re.compile(r"(19|20)\d\d")
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
#: Header of the month-and-year column in the long table.
MONTH_HEADER = "Month (row label + year column)"


def unpivot_month_year(table: Table, layout: Layout) -> Table | None:
    """Return the table in long form when its columns are years and its rows months, else None."""
    if layout.header_index is None or not layout.data:
        return None
    years = [(i, h) for i, h in enumerate(layout.header) if i > 0 and _YEAR.fullmatch(h.strip())]
    if len(years) < 2:
        return None
    labels = [raw_text(table.rows[i][0]).strip() for i in layout.data if table.rows[i]]
    months = sum(label.casefold().rstrip(".") in _MONTHS for label in labels)
    if months < 0.8 * len(labels):
        return None
    rows: list[list[CellValue]] = [[MONTH_HEADER, "Count", "Year column"]]
    numbers = [table.row_numbers[layout.header_index]]
    for _, year in years:
        for i in layout.data:
            row = table.rows[i]
            month = raw_text(row[0]).strip() if row else ""
            column = next(c for c, h in years if h == year)
            value = row[column] if column < len(row) else None
            if not month or is_blank(value):
                continue
            rows.append([f"{month} {year.strip()}", value, year.strip()])
            numbers.append(table.row_numbers[i])
    return Table(
        rows=rows,
        row_numbers=numbers,
        sheet=table.sheet,
        page=table.page,
        context=[*layout.title, *table.context],
        method=table.method,
    )
