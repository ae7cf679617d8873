"""Tables that continue across pages become one: same columns, repeated headers dropped."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from foialog.extract.tables.layout import is_value_like
from foialog.extract.tables.words import WordRow, WordTable
from foialog.extract.values.dates import parse_date


@dataclass(frozen=True)
class PageTable:
    """A table found on one page."""

    page: int
    table: WordTable


@dataclass
class StitchedTable:
    """One logical table, possibly over several pages."""

    header: tuple[str, ...]
    title: tuple[str, ...]
    rows: list[WordRow] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    #: 1-based number of each row among the rows of its page, top to bottom.
    row_numbers: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Pages the table was found on, in order.
    spans: list[int] = field(default_factory=list)


def _key(cells: Sequence[str]) -> tuple[str, ...]:
    return tuple(" ".join(c.split()).casefold() for c in cells)


def _continues(previous: StitchedTable, nxt: PageTable, width: int) -> bool:
    """True when ``nxt`` carries on ``previous``: same width, same or no header, no new title."""
    table = nxt.table
    if len(table.columns) != width or (previous.rows and _ends_in_total(previous.rows[-1])):
        return False
    if table.title and _key(table.title) != _key(previous.title):
        return False
    if not table.header or not previous.header:
        return True
    if _key(table.header) == _key(previous.header):
        return True
    # With no values to tell a header from a row, a continuation page's first row was taken for
    # its header; it is a row when it shares no label with the table's header.
    return not set(_key(table.header)) & set(_key(previous.header))


def _ends_in_total(row: WordRow) -> bool:
    first = next((c for c in row.cells if c.strip()), "")
    return first.strip().casefold().startswith(("total", "grand total"))


def stitch(page_tables: Sequence[PageTable]) -> list[StitchedTable]:
    """Join page tables that continue one another, in page order."""
    out: list[StitchedTable] = []
    width = 0
    for item in page_tables:
        table = item.table
        if out and _continues(out[-1], item, width):
            current = out[-1]
            if table.header and _key(table.header) != _key(current.header) and current.header:
                box = table.header_box or table.box
                current.rows.append(WordRow(table.header, box, 1.0))
                current.pages.append(item.page)
        else:
            current = StitchedTable(header=table.header, title=table.title)
            out.append(current)
            width = len(table.columns)
        current.rows.extend(table.rows)
        current.pages.extend([item.page] * len(table.rows))
        current.notes.extend(table.notes)
        if item.page not in current.spans:
            current.spans.append(item.page)
    _number_rows(out)
    return out


def count_columns(table: StitchedTable) -> list[int]:
    """Columns whose cells are counts in nearly every row: a wide table's count columns.

    Numbers that are not counts of the same kind are left out: a row number (1, 2, 3 ...), an
    identifier (unique numbers of one width) and money (a currency or two decimals), so that
    a table with a count beside a fee and an account id is not read as a wide table.
    """
    found: list[int] = []
    width = len(table.header) if table.header else len(table.rows[0].cells)
    for k in range(1, width):
        cells = [r.cells[k] for r in table.rows if k < len(r.cells) and r.cells[k].strip()]
        if cells and sum(map(_count_like, cells)) >= 0.9 * len(cells) and not _not_a_count(cells):
            found.append(k)
    return found


_MONEY = re.compile(r"[$€£¥]|\b(?:EUR|USD|GBP|CAD|AUD|CHF)\b|\d[.,]\d\d$")


def _not_a_count(cells: Sequence[str]) -> bool:
    """A row number, an identifier or money: numbers a wide table does not count."""
    texts = [c.strip() for c in cells]
    if sum(bool(_MONEY.search(t)) for t in texts) >= 0.5 * len(texts):
        return True
    digits = [t for t in texts if t.isdigit()]
    if len(digits) < 0.9 * len(texts) or len(digits) < 3:
        return False
    numbers = [int(t) for t in digits]
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return True  # a row number
    widths = {len(t) for t in digits}
    if len(widths) == 1 and sum(t.startswith("0") and len(t) > 1 for t in digits) >= 2:
        return True  # zero-padded to one width: an account number, even where two repeat
    return len(set(numbers)) == len(numbers) and widths == {max(widths)} and max(widths) >= 4


@functools.lru_cache(maxsize=65536)
def _count_like(text: str) -> bool:
    """A value that is not a date; cached, as a wide table repeats its numbers on every page."""
    return is_value_like(text) and not parse_date(text).value


def _number_rows(tables: Sequence[StitchedTable]) -> None:
    """Number every row by its place among all table rows of its page, top to bottom."""
    order = sorted(
        (page, row.box[1], t, i)
        for t, table in enumerate(tables)
        for i, (page, row) in enumerate(zip(table.pages, table.rows, strict=True))
    )
    for table in tables:
        table.row_numbers = [0] * len(table.rows)
    counter: dict[int, int] = {}
    for page, _, t, i in order:
        counter[page] = counter.get(page, 0) + 1
        tables[t].row_numbers[i] = counter[page]
