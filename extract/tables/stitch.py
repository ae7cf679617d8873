"""Tables that continue across pages become one: same columns, repeated headers dropped.

A log whose rows each start with an id of one written form (see
foialog.extract.tables.wrapped) is one table even where its pages were cut into columns
differently (an OCR'd scan: an empty column merged into its neighbour on one page, split off
on the next); its rows are then laid onto the columns most of its pages agree on.
"""

from __future__ import annotations

import functools
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from foialog.extract.tables.layout import is_value_like
from foialog.extract.tables.words import WordRow, WordTable
from foialog.extract.tables.wrapped import cell_form, is_number_form
from foialog.extract.values.dates import parse_date

#: Columns of one table as x-extents, left to right.
Columns = tuple[tuple[float, float], ...]


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
    #: What stitching did that a reader of the output should know (documents.csv notes).
    remarks: list[str] = field(default_factory=list)


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
    # Per stitched table: the columns each of its rows was cut at and the page table that
    # began it; ``mixed`` holds those that took in a log's page cut at other columns.
    cut_at: list[list[Columns]] = []
    mixed: set[int] = set()
    first: list[WordTable] = []
    for item in page_tables:
        table = item.table
        continues = bool(out) and _continues(out[-1], item, width)
        if out and not continues and _same_log(first[-1], out[-1], table):
            # The same log cut into other columns: its rows are laid onto common ones below.
            mixed.add(len(out) - 1)
            _take_rows(out[-1], item, cut_at[-1])
            continue
        if continues:
            current = out[-1]
            if table.header and _key(table.header) != _key(current.header) and current.header:
                box = table.header_box or table.box
                current.rows.append(WordRow(table.header, box, 1.0))
                current.pages.append(item.page)
                cut_at[-1].append(table.columns)
        else:
            current = StitchedTable(header=table.header, title=table.title)
            out.append(current)
            cut_at.append([])
            first.append(table)
            width = len(table.columns)
        _take_rows(current, item, cut_at[-1])
    for k in sorted(mixed):
        _lay_on_common_columns(out[k], first[k], cut_at[k])
    _number_rows(out)
    return out


def _take_rows(current: StitchedTable, item: PageTable, cuts: list[Columns]) -> None:
    """Append a page table's rows, pages, column cuts and notes to the table they continue."""
    table = item.table
    current.rows.extend(table.rows)
    current.pages.extend([item.page] * len(table.rows))
    cuts.extend([table.columns] * len(table.rows))
    current.notes.extend(table.notes)
    if item.page not in current.spans:
        current.spans.append(item.page)


def _same_log(start: WordTable, previous: StitchedTable, table: WordTable) -> bool:
    """True when ``table`` carries on the log ``start`` began, though cut into other columns.

    Both tables' rows start with an id of one written form in their first column (the
    evidence that they are rows of one log), the first columns and the tables' spans line up
    by x, no total closes the log, ``table`` has no header of other words, and no title with
    a date above it (a new period's table); other lines above it (the remains of a row cut in
    half where strips of a log were pasted together) are noted, not taken for a title.
    """
    if not table.rows or not previous.rows or _ends_in_total(previous.rows[-1]):
        return False
    form = _first_column_form(start.rows)
    if not form or _first_column_form(table.rows) != form:
        return False
    if table.header and _words(table.header) != _words(start.header):
        return False
    if any(parse_date(token).value for line in table.title for token in line.split()):
        return False
    spans = (start.columns[0][0], start.columns[-1][1]), (table.columns[0][0], table.columns[-1][1])
    return _overlap(start.columns[0], table.columns[0]) >= 0.5 and _overlap(*spans) >= 0.8


def _first_column_form(rows: Sequence[WordRow]) -> str:
    """The written form most first cells share ("A-9-9"), when it is an id's or a date's."""
    firsts = [row.cells[0] for row in rows if row.cells and row.cells[0].strip()]
    forms = Counter(cell_form(text) for text in firsts)
    forms.pop("", None)
    if not forms:
        return ""
    form, count = forms.most_common(1)[0]
    return form if count >= 0.5 * len(firsts) and not is_number_form(form) else ""


def _words(cells: Sequence[str]) -> frozenset[str]:
    return frozenset(w for cell in cells for w in cell.casefold().split())


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The share of the narrower of two x-extents that the other covers."""
    narrower = min(a[1] - a[0], b[1] - b[0])
    if narrower <= 0:
        return 0.0
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0])) / narrower


def common_columns(cuts: Sequence[Columns]) -> Columns:
    """The columns most of a log's tables agree on: each edge between two columns kept when
    at least half of the distinct cuts have one within a quarter of the median column width.
    """
    distinct = list(dict.fromkeys(cuts))
    widths = [b - a for columns in distinct for a, b in columns]
    near = 0.25 * statistics.median(widths)
    edges = sorted((b, n) for n, columns in enumerate(distinct) for _, b in columns[:-1])
    kept: list[float] = []
    cluster: list[tuple[float, int]] = []
    for edge in [*edges, (float("inf"), -1)]:
        if cluster and edge[0] - cluster[-1][0] > near:
            if 2 * len({n for _, n in cluster}) >= len(distinct):
                kept.append(statistics.median(x for x, _ in cluster))
            cluster = []
        cluster.append(edge)
    left = min(columns[0][0] for columns in distinct)
    right = max(columns[-1][1] for columns in distinct)
    return tuple(itertools.pairwise([left, *kept, right]))


def _lay_on_common_columns(table: StitchedTable, start: WordTable, cuts: Sequence[Columns]) -> None:
    """Lay every row (and the header) onto the columns the log's pages agree on."""
    common = common_columns(cuts)
    rows = [
        WordRow(_laid(row.cells, cut, common), row.box, row.confidence, row.lines)
        for row, cut in zip(table.rows, cuts, strict=True)
    ]
    if table.header:
        table.header = _laid(table.header, start.columns, common)
    table.remarks.append(
        f"log on pages {_pages(table.spans)}: its pages' columns were found cut differently"
        f" ({', '.join(str(n) for n in sorted({len(c) for c in cuts}))} columns); rows laid"
        f" onto the {len(common)} columns most pages show"
    )
    forms = _column_forms(rows)
    kept = [not forms or any(cell_form(r.cells[k]) == f for k, f in forms.items()) for r in rows]
    for row, page, keep in zip(rows, table.pages, kept, strict=True):
        if not keep:
            text = " ".join(c for c in row.cells if c.strip())
            table.remarks.append(
                f"page {page}: a line holding none of the ids or dates that start the log's"
                f" rows left out (the remains of a row cut in half?): {text[:80]!r}"
            )
    table.rows = [row for row, keep in zip(rows, kept, strict=True) if keep]
    table.pages = [page for page, keep in zip(table.pages, kept, strict=True) if keep]


def _column_forms(rows: Sequence[WordRow]) -> dict[int, str]:
    """Columns of a log whose cells share one id's or date's form, one to a row: {index: form}."""
    out: dict[int, str] = {}
    for k in range(len(rows[0].cells) if rows else 0):
        forms = Counter(cell_form(row.cells[k]) for row in rows if row.cells[k].strip())
        forms.pop("", None)
        if not forms:
            continue
        form, count = forms.most_common(1)[0]
        if count >= 2 and count >= 0.6 * len(rows) and not is_number_form(form):
            out[k] = form
    return out


def _laid(cells: Sequence[str], cut: Columns, common: Columns) -> tuple[str, ...]:
    """Cells cut at ``cut`` put under the common column each overlaps most (joined there)."""
    out = [""] * len(common)
    for text, span in zip(cells, cut, strict=False):
        if not text.strip():
            continue
        k = max(range(len(common)), key=lambda j: _cover(span, common[j]))
        out[k] = f"{out[k]} {text}".strip()
    return tuple(out)


def _cover(span: tuple[float, float], column: tuple[float, float]) -> tuple[float, float]:
    """How much of ``span`` lies in ``column``; then nearness of centres (a sliver outside)."""
    inside = min(span[1], column[1]) - max(span[0], column[0])
    return inside, -abs((span[0] + span[1]) - (column[0] + column[1]))


def _pages(numbers: Sequence[int]) -> str:
    return f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


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
    # Plain digits are never money (no sign, code or decimals): the regex is run on the rest.
    if sum(not t.isdigit() and bool(_MONEY.search(t)) for t in texts) >= 0.5 * len(texts):
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
