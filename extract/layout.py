"""Where a table's header, title rows, data rows, repeated headers and totals rows are."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extract.blocks import CellValue, Table, is_blank, raw_text
from extract.values.counts import parse_count
from extract.values.dates import parse_date
from extract.values.redaction import find_redaction

#: Words that make up column headers (not agency names): a cell mostly made of them is a header.
HEADER_WORDS = frozenset(
    [
        "agency",
        "agencies",
        "organization",
        "organisation",
        "organizations",
        "org",
        "name",
        "names",
        "client",
        "clients",
        "customer",
        "customers",
        "entity",
        "user",
        "users",
        "username",
        "email",
        "e-mail",
        "mail",
        "contact",
        "account",
        "type",
        "status",
        "plan",
        "tier",
        "license",
        "licence",
        "trial",
        "paid",
        "number",
        "no",
        "num",
        "nr",
        "count",
        "counts",
        "total",
        "totals",
        "search",
        "searches",
        "queries",
        "query",
        "hits",
        "hit",
        "detections",
        "detection",
        "requests",
        "request",
        "scans",
        "scan",
        "lookups",
        "matches",
        "alerts",
        "reads",
        "uploads",
        "logins",
        "checks",
        "date",
        "dates",
        "time",
        "datetime",
        "timestamp",
        "day",
        "month",
        "year",
        "period",
        "from",
        "to",
        "start",
        "started",
        "end",
        "ended",
        "first",
        "last",
        "access",
        "accessed",
        "created",
        "submitted",
        "received",
        "closed",
        "since",
        "country",
        "nation",
        "land",
        "state",
        "region",
        "province",
        "city",
        "location",
        "place",
        "reason",
        "purpose",
        "case",
        "id",
        "code",
        "of",
        "the",
        "in",
        "during",
        "per",
        "amount",
        "value",
        "description",
        "notes",
        "comment",
        "remarks",
        "category",
        "system",
        "camera",
        "ori",
        "jurisdiction",
        "sharing",
        "shared",
        "with",
        "report",
        "of",
        "suchanfragen",
        "anzahl",
        "datum",
        "behörde",
        "pays",
        "país",
        "fecha",
        "nombre",
        "organismo",
        "#",
        "login",
        "logged",
    ]
)
# The whole label cell: "Total", "Grand total:", "Totals (all agencies)"; not "Total reads stats".
_TOTAL_RE = re.compile(
    r"(grand\s+|sub-?)?(totals?|sum|summe|gesamt|insgesamt)\s*:?(\s*\([^)]*\))?",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(r"[#\w'-]+", re.UNICODE)
_HEADER_SEARCH_ROWS = 25


@dataclass(frozen=True)
class Layout:
    """The parts of a table; row positions are indexes into ``Table.rows``."""

    header_index: int | None
    header: tuple[str, ...]
    title: tuple[str, ...]
    data: tuple[int, ...]
    totals: tuple[int, ...]
    repeated_headers: tuple[int, ...]
    width: int
    reason: str


def find_layout(table: Table) -> Layout:
    """Find the header (or decide there is none), title rows above it and the data below."""
    rows = table.rows
    width = _typical_width(rows)
    header_index, reason = _find_header(rows, width)
    if header_index is None:
        first = _skip_titles(rows, width)
        header = tuple(f"column {i + 1}" for i in range(width))
    else:
        first = header_index + 1
        cells = [raw_text(c).strip() for c in rows[header_index]]
        cells += [""] * (width - len(cells))
        header = tuple(c or f"column {i + 1}" for i, c in enumerate(cells[:width]))
    title = tuple(
        _row_text(rows[i]) for i in range(header_index if header_index is not None else first)
    )
    header_key = [c.casefold() for c in header]
    data: list[int] = []
    totals: list[int] = []
    repeated: list[int] = []
    for i in range(first, len(rows)):
        row = rows[i]
        if header_index is not None and _repeats_header(row, header_key):
            repeated.append(i)
        elif _is_totals_row(row):
            totals.append(i)
        else:
            data.append(i)
    return Layout(
        header_index=header_index,
        header=header,
        title=tuple(t for t in title if t),
        data=tuple(data),
        totals=tuple(totals),
        repeated_headers=tuple(repeated),
        width=width,
        reason=reason,
    )


def is_value_like(value: CellValue) -> bool:
    """Return True for a cell that holds a value (number, date, redaction) rather than a label."""
    if is_blank(value):
        return False
    if not isinstance(value, str):
        return True
    text = value.strip()
    if find_redaction(text) is not None or "@" in text:
        return True
    if re.fullmatch(r"(19|20)\d\d", text):
        return False  # a year is a common column header in pivoted tables
    if parse_count(text).value is not None:
        return True
    return parse_date(text).precision == "day"


def header_word_share(text: str) -> float:
    """Return the share of a cell's words that are header vocabulary."""
    tokens = [t.casefold() for t in _TOKEN_RE.findall(text)]
    if not tokens or len(text) > 60:
        return 0.0
    return sum(t in HEADER_WORDS for t in tokens) / len(tokens)


def _typical_width(rows: list[list[CellValue]]) -> int:
    widths = [_last_filled(row) + 1 for row in rows]
    if not widths:
        return 0
    counts = Counter(w for w in widths if w > 0)
    if not counts:
        return 0
    common, _ = counts.most_common(1)[0]
    return max(common, max(w for w in widths if counts[w] * 10 >= len(widths)))


def _last_filled(row: list[CellValue]) -> int:
    for i in range(len(row) - 1, -1, -1):
        if not is_blank(row[i]):
            return i
    return -1


def _find_header(rows: list[list[CellValue]], width: int) -> tuple[int | None, str]:
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        cells = [c for c in row[: max(width, 1)] if not is_blank(c)]
        if not cells or any(is_value_like(c) for c in cells):
            continue
        texts = [raw_text(c).strip() for c in cells]
        if width > 1 and len(set(texts)) < 2:
            continue  # a title row, merged across the table or alone in its row
        if len(cells) * 2 < width:
            continue
        hits = sum(header_word_share(t) >= 0.5 for t in texts)
        next_values = i + 1 < len(rows) and any(is_value_like(c) for c in rows[i + 1])
        if hits * 2 >= len(texts) or (hits and next_values):
            return i, f"row {i + 1}: {hits} of {len(texts)} cells are header words"
        if next_values and all(len(t) <= 40 for t in texts):
            return i, f"row {i + 1}: labels above a row of values"
    return None, "no row of header labels in the first rows; columns are judged by their values"


def _skip_titles(rows: list[list[CellValue]], width: int) -> int:
    i = 0
    while i < len(rows) and width > 1:
        cells = {raw_text(c).strip() for c in rows[i] if not is_blank(c)}
        if len(cells) > 1:
            break
        i += 1
    return i if i < len(rows) else 0


def _repeats_header(row: list[CellValue], header_key: list[str]) -> bool:
    """True when a row's cells read as the header's labels, up to the shorter of the two."""
    if row and header_key and _label_key(row[0]) != header_key[0]:
        return False  # most rows: told apart by their first cell
    return all(_label_key(c) == key for c, key in zip(row, header_key, strict=False))


def _label_key(value: CellValue) -> str:
    """A cell's text as header labels are compared: trimmed, case folded."""
    return raw_text(value).strip().casefold()


def _is_totals_row(row: list[CellValue]) -> bool:
    """A short label such as "Total" or "Grand total" followed by at least one number."""
    for first in row:
        if not is_blank(first):
            break
    else:
        return False
    if not isinstance(first, str) or not _TOTAL_RE.fullmatch(first.strip()):
        return False
    cells = [c for c in row if not is_blank(c)]
    return any(
        (isinstance(c, int | float) and not isinstance(c, bool))
        or (isinstance(c, str) and parse_count(c).value is not None)
        for c in cells[1:]
    )


def _row_text(row: list[CellValue]) -> str:
    seen: list[str] = []
    for cell in row:
        text = raw_text(cell).strip()
        if text and text not in seen:
            seen.append(text)
    return " | ".join(seen)
