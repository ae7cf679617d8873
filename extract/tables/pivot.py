"""Month-by-year tables ("Month | 2025 | 2024") turned long: one row per month and year."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from foialog.extract.blocks import CellValue, Table, is_blank, raw_text
from foialog.extract.tables.layout import Layout
from foialog.extract.tables.roles import ColumnRole, named_count_metric, qualified_metric_header

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


#: Header of the count column in a table turned long by unpivot_shared_metric.
COUNT_HEADER = "Count"


def unpivot_shared_metric(
    table: Table, layout: Layout, roles: Sequence[ColumnRole]
) -> Table | None:
    """Return the table long (one row per row and count column) when its counts split one metric.

    "Federal Requests | State Requests": two columns counting requests, each a part of the
    row's requests. Each gets its own record with the column's header as its metric, so that
    neither is dropped as a runner-up. Columns counting different things ("Searches | Hits")
    stay one count and a close call.
    """
    if layout.header_index is None or not layout.data:
        return None
    count = next((r for r in roles if r.role == "count"), None)
    if count is None or count.money:
        return None
    metric = _named_metric(table, layout, count.index)
    if not metric:
        return None
    shared = [
        r.index
        for r in roles
        if r.role in ("count", "other") and _named_metric(table, layout, r.index) == metric
    ]
    headers = {" ".join(layout.header[i].split()).casefold() for i in shared}
    if len(shared) < 2 or len(headers) < len(shared):
        return None
    if not all(qualified_metric_header(layout.header[i]) for i in shared):
        return None
    keep = [i for i in range(layout.width) if i not in shared]
    rows: list[list[CellValue]] = [[*(layout.header[i] for i in keep), COUNT_HEADER]]
    numbers = [table.row_numbers[layout.header_index]]
    metrics = [""]
    boxes, pages = [], []
    has_boxes, has_pages = bool(table.row_boxes), bool(table.row_pages)
    if has_boxes:
        boxes.append(table.row_boxes[layout.header_index])
    if has_pages:
        pages.append(table.row_pages[layout.header_index])
    for i in sorted(layout.data + layout.totals):
        row = table.rows[i]
        kept = [row[k] if k < len(row) else None for k in keep]
        for k in shared:
            value = row[k] if k < len(row) else None
            if is_blank(value):
                continue
            rows.append([*kept, value])
            numbers.append(table.row_numbers[i])
            metrics.append(" ".join(layout.header[k].split()))
            if has_boxes:
                boxes.append(table.row_boxes[i])
            if has_pages:
                pages.append(table.row_pages[i])
    return replace(
        table,
        rows=rows,
        row_numbers=numbers,
        context=[*layout.title, *table.context],
        row_confidence=[],
        row_boxes=boxes,
        row_pages=pages,
        row_metrics=metrics,
    )


def _named_metric(table: Table, layout: Layout, column: int) -> str:
    values = [table.rows[i][column] if column < len(table.rows[i]) else None for i in layout.data]
    return named_count_metric(layout.header[column], values) if column < len(layout.header) else ""
