"""Rows to records: apply column roles, parse each value, keep every raw value."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from foialog.extract.blocks import CellValue, Table, is_blank, raw_text
from foialog.extract.record import Record
from foialog.extract.tables.layout import Layout, group_banner, rows_counted_in_label
from foialog.extract.tables.roles import ColumnRole, metric_from_text, people_note
from foialog.extract.values.counts import parse_count
from foialog.extract.values.dates import ENGLISH_MONTHS, FOREIGN_MONTHS, ParsedDate, parse_date
from foialog.extract.values.money import parse_amount
from foialog.extract.values.places import parse_country, parse_region, title_region
from foialog.extract.values.redaction import find_redaction

_ACCOUNT_TYPES = (
    (re.compile(r"trial|demo|pilot|evaluation|free", re.IGNORECASE), "trial"),
    (re.compile(r"paid|subscri|licen[cs]ed|enterprise|premium|customer", re.IGNORECASE), "paid"),
)
_DOCUMENT_DATE = re.compile(
    r"\b(generated|printed|created|exported|run on|prepared|downloaded)\b", re.IGNORECASE
)
_MONTH = (  # month names, whole words, longest first: English and FOREIGN_MONTHS
    r"(?:"
    + "|".join(
        sorted(
            {*ENGLISH_MONTHS, *FOREIGN_MONTHS},
            key=len,
            reverse=True,
        )
    )
    + r")\b\.?"
)
# One date in running text: numeric (1/7/2023, 2023-07-01, 2018-12, 12/2018), or with a month
# name (1 July 2023, July 1, 2023, 10 de junio de 2020, juin 2020); a month before "to July
# 2023" borrows that year.
_ONE_DATE = (
    rf"\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|(?:19|20)\d\d-[01]\d\b|[01]?\d/(?:19|20)\d\d\b|"
    rf"\d{{1,2}}(?:\.|er|st|nd|rd|th)? (?:de )?{_MONTH},? (?:de )?\d{{4}}|"
    rf"{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|{_MONTH},? (?:de )?\d{{4}}|{_MONTH}"
)
_DATE_IN_TEXT = re.compile(
    rf"(?:between\s+)?\b({_ONE_DATE})(?:\s*(?:-|–|—|to|and|through|thru|until)\s*"
    rf"({_ONE_DATE}))?",
    re.IGNORECASE,
)


def _fold(word: str) -> str:
    """A text with its accents taken off ("février" -> "fevrier"), as FOREIGN_MONTHS spells."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@dataclass(frozen=True)
class TableRecords:
    """Records from one table and the checks made on it."""

    records: list[Record]
    notes: list[str]


def context_date(lines: Sequence[str]) -> tuple[ParsedDate, str]:
    """Find a date or date range in title lines that applies to every row of the table."""
    for line in lines:
        if _DOCUMENT_DATE.search(line):
            continue  # when the file was made, not when the rows happened
        whole = parse_date(line)
        if whole.value:
            return whole, line
        for match in _DATE_IN_TEXT.finditer(_fold(line)):
            first, last = match.group(1), match.group(2) or ""
            year = re.search(r"\d{4}", last)
            if last and year and not re.search(r"\d{4}", first):
                first = f"{first} {year.group()}"  # "July to December 2021"
            start = parse_date(first)
            if not start.value:
                continue
            end = parse_date(last) if last else None
            return ParsedDate(start.value, start.precision, "", end.value if end else ""), line
    return ParsedDate("", ""), ""


def table_records(
    table: Table, layout: Layout, roles: Sequence[ColumnRole], *, source_file: str, sha256: str
) -> TableRecords:
    """Turn a table's data and totals rows into records, in source order."""
    by_role = {r.role: r for r in roles if r.role != "other"}
    others = [r for r in roles if r.role == "other"]
    if not by_role:
        # Notes, a legend, a list of holidays: nothing in it is an agency, a count or a date.
        n = len(layout.data)
        return TableRecords(
            [],
            [
                f"{_where(table)}: no column holds an agency, count, date or place; "
                f"its {n} row{'s' if n != 1 else ''} are not read as records (see foialog inspect)"
            ],
        )
    title_date, title_line = context_date(layout.title + tuple(table.context))
    records: list[Record] = []
    lists = _agency_lists(table, layout, others)
    columns = _Columns.of(by_role, others)
    totals, groups = frozenset(layout.totals), frozenset(layout.groups)
    # A wide table split into one row per count shares each source row's box over many rows.
    bboxes: dict[tuple[float, float, float, float], str] = {}
    width, row_confidence, row_boxes = layout.width, table.row_confidence, table.row_boxes
    row_pages, row_metrics = table.row_pages, table.row_metrics
    group: tuple[str, str] | None = None
    counted: list[str] = []
    in_group = 0
    for index in sorted(layout.data + layout.totals + layout.groups):
        if index in groups:
            group, in_group = group_banner(table.rows[index]), 0
            continue
        row = table.rows[index]  # read, never written: padded as a copy only when short
        if len(row) < width:
            row = [*row, *[None] * (width - len(row))]
        rec = _row_record(row, columns)
        rec.source_file = source_file
        rec.source_sha256 = sha256
        rec.sheet = table.sheet
        rec.page = table.page
        rec.row = table.row_numbers[index]
        rec.method = table.method
        if index < len(row_confidence):
            rec.confidence = round(min(rec.confidence, row_confidence[index]), 2)
        if index < len(row_boxes):
            box = row_boxes[index]
            bbox = bboxes.get(box)
            if bbox is None:
                bbox = bboxes[box] = ",".join(f"{v:.1f}" for v in box)
            rec.bbox = bbox
        if index < len(row_pages):
            rec.page = row_pages[index]
        if index < len(row_metrics) and row_metrics[index]:
            rec.metric = row_metrics[index]
        if index in totals:
            rec.row_type = "total"
            printed_rows = rows_counted_in_label(row)
            if printed_rows is not None:
                # "Total No of Cases : 72": the number of rows, checked against the rows read.
                verdict = "matches" if printed_rows == in_group else "DOES NOT MATCH"
                counted.append(
                    f"{_where(table)} row {rec.row}: printed number of rows {printed_rows:,} "
                    f"{verdict} the {in_group:,} rows above"
                )
            in_group = 0
        else:
            in_group += 1
            if group is not None:
                extra = json.loads(rec.extra)
                extra.setdefault(group[0], group[1])
                rec.extra = json.dumps(extra, ensure_ascii=False)
        if "date" not in by_role and title_date.value:
            rec.date, rec.date_end, rec.date_raw, rec.date_label = (
                title_date.value,
                title_date.end,
                title_line,
                "table title",
            )
        records.append(rec)
        if lists:
            records.extend(_listed_agencies(rec, row, lists))
    if "agency" not in by_role and "account_type" in by_role and not _subject(by_role):
        # Rows about account types ("Paid | 12 organisations | 3,400 searches"): a breakdown
        # of the other rows, not agencies; kept, marked, never summed with them.
        for rec in records:
            if rec.row_type == "data":
                rec.row_type = "summary"
    # A title naming one state ("Missouri agencies") places the rows that state none.
    titled = [*layout.title, *table.context]
    named = title_region(titled, (r.agency_raw for r in records), (r.region for r in records))
    for rec in records if named[0] else []:
        if not rec.region:
            rec.region, rec.region_raw = named
            rec.country = rec.country or named[0].split("-")[0]
    notes = [*counted, *_check_totals(records, by_role.get("count"), table)]
    notes.extend(_close_call_notes(roles, table))
    notes.extend(f"{_where(table)}: {n}" for n in [people_note(roles)] if n)
    return TableRecords(records=records, notes=notes)


def _subject(by_role: dict[str, ColumnRole]) -> ColumnRole | None:
    """With no agency column, the country or state column the rows are about, if any."""
    return by_role.get("country") or by_role.get("region")


def _where(table: Table) -> str:
    if table.sheet:
        return f"sheet {table.sheet!r}"
    return f"page {table.page}" if table.page else "table"


#: Words in a document's note when a column's role was a close call (review.csv shows those).
CLOSE_CALL_NOTE = "a close call"


def _close_call_notes(roles: Sequence[ColumnRole], table: Table) -> list[str]:
    """A note for each agency or count column chosen over a runner-up that scored nearly as well."""
    return [
        f"{_where(table)}: {r.role} column {r.header!r} ({r.confidence:.2f}) chosen over "
        f"{r.close_call}, {CLOSE_CALL_NOTE}: check it, or name the column with --role"
        for r in roles
        if r.close_call
    ]


_LIST_HEADER = re.compile(r"network|agenc|organi[sz]ation|partner|shar", re.IGNORECASE)
# Parts of an organisation's record that are not organisations: its address, its contact.
_NOT_LIST_HEADER = re.compile(
    r"address|street|city|zip|postal|phone|fax|e-?mail|contact|url|web|note|comment|descr",
    re.IGNORECASE,
)
_LIST_SPLIT = re.compile(r"\s*,\s*")


def _list_parts(value: CellValue) -> list[str]:
    """The agencies of a comma-joined cell, or [] when it holds one (or is prose)."""
    text = raw_text(value).strip()
    parts = [p for p in _LIST_SPLIT.split(text) if p]
    # Every part a name of two words or more: "Washington, D.C." or "Smith, John" stay whole.
    if len(parts) < 2 or any(len(p.split()) < 2 for p in parts):
        return []
    return parts


def _agency_lists(table: Table, layout: Layout, others: Sequence[ColumnRole]) -> list[ColumnRole]:
    """Columns (not the agency column) that list agencies, several to a cell in some rows."""
    found = []
    for column in others:
        if not _LIST_HEADER.search(column.header) or _NOT_LIST_HEADER.search(column.header):
            continue
        cells = [
            table.rows[i][column.index] for i in layout.data if column.index < len(table.rows[i])
        ]
        if sum(bool(_list_parts(c)) for c in cells) >= 3:
            found.append(column)
    return found


def _listed_agencies(
    rec: Record, row: list[CellValue], lists: Sequence[ColumnRole]
) -> list[Record]:
    """One record per agency of a comma-joined list cell, the whole cell kept in extra."""
    out: list[Record] = []
    if rec.row_type != "data":
        return out
    for column in lists:
        value = row[column.index] if column.index < len(row) else None
        for part in _list_parts(value):
            extra = {"listed in": column.header, "listed beside": rec.agency_raw}
            extra[column.header] = raw_text(value)
            out.append(replace(rec, agency_raw=part, extra=json.dumps(extra, ensure_ascii=False)))
    return out


def _text(value: CellValue) -> str:
    """raw_text, with text cells (nearly all of them) passed straight through."""
    return value if type(value) is str else raw_text(value)


#: The roles read from a row, in the order their redaction markers are listed.
_CELL_ROLES = (
    "agency",
    "count",
    "metric",
    "date",
    "country",
    "region",
    "user_email",
    "account_type",
)


@dataclass(frozen=True)
class _Columns:
    """How a table's rows are read, worked out once for the table rather than once a row."""

    by_role: dict[str, ColumnRole]
    others: Sequence[ColumnRole]
    #: (role, column index) of each role the table has, in _CELL_ROLES order.
    cells: tuple[tuple[str, int], ...]
    confidence: list[float]
    #: With no agency column: the index of the country or region column the rows are about.
    subject: int | None = None

    @classmethod
    def of(cls, by_role: dict[str, ColumnRole], others: Sequence[ColumnRole]) -> _Columns:
        """The reading plan for a table whose columns have these roles."""
        cells = tuple((r, by_role[r].index) for r in _CELL_ROLES if r in by_role)
        confidence = [r.confidence for r in by_role.values()] or [0.5]
        subject = _subject(by_role) if "agency" not in by_role else None
        return cls(by_role, others, cells, confidence, subject.index if subject else None)


def _row_record(row: list[CellValue], columns: _Columns) -> Record:
    by_role, others = columns.by_role, columns.others
    rec = Record()
    redacted: list[str] = []
    confidence = columns.confidence
    # Each role's cell, None when the table lacks the column or the cell is a redaction marker.
    cells: dict[str, CellValue] = {}
    for role, index in columns.cells:
        if index >= len(row):
            continue
        value = row[index]
        marker = find_redaction(value)
        if marker is None:
            cells[role] = value
        else:
            redacted.append(f"{role}:{marker.code or marker.marker}")
    cell = cells.get
    # A missing cell leaves the record's empty default: raw_text(None) is "".
    agency = cell("agency")
    if agency is not None:
        rec.agency_raw = _text(agency).strip()
    elif columns.subject is not None:
        # A table of countries or states (requests by country): the place is whom the row is
        # about, so it is the record's subject as well as its country or region.
        place = row[columns.subject] if columns.subject < len(row) else None
        if find_redaction(place) is None:
            rec.agency_raw = _text(place).strip()
    count_col = by_role.get("count")
    count_value = cell("count")
    if count_col is not None and not is_blank(count_value):
        rec.count_raw = _text(count_value).strip()
        read = parse_amount if count_col.money else parse_count
        parsed = read(count_value, decimal_comma=count_col.decimal_comma)
        rec.count, rec.count_qualifier = parsed.value, parsed.qualifier
        rec.metric = count_col.metric
        if parsed.value is None and rec.count_raw:
            confidence = [*confidence, 0.5]
    elif count_col is not None:
        rec.metric = count_col.metric
    metric_label = cell("metric")
    if metric_label is not None and not is_blank(metric_label):
        rec.metric = metric_from_text(_text(metric_label)) or _text(metric_label).strip()
    if count_col is None and "metric" in by_role:
        _count_beside_label(rec, row, by_role["metric"], others)
    date_col = by_role.get("date")
    date_value = cell("date")
    if date_col is not None and not is_blank(date_value):
        rec.date_raw = _text(date_value).strip()
        rec.date_label = date_col.header
        # The column holds dates: marks OCR read at the cell's edges ("— 6/13/2025") are none.
        parsed_date = parse_date(
            date_value,
            dayfirst=date_col.dayfirst,
            excel_serial=date_col.excel_serial,
            strip_marks=True,
        )
        rec.date, rec.date_end, rec.time = parsed_date.value, parsed_date.end, parsed_date.time
        if not parsed_date.value:
            confidence = [*confidence, 0.5]
    country = cell("country")
    if country is not None:
        rec.country_raw = _text(country).strip()
        rec.country = parse_country(country) if rec.country_raw else ""
    region = cell("region")
    if region is not None:
        rec.region_raw = _text(region).strip()
        rec.region = parse_region(region, rec.country) if rec.region_raw else ""
        if rec.region and not rec.country:
            rec.country = rec.region.split("-")[0]
    user_email = cell("user_email")
    if user_email is not None:
        rec.user_email = _text(user_email).strip()
    account_type = cell("account_type")
    if account_type is not None:
        account = rec.account_type_raw = _text(account_type).strip()
        rec.account_type = next((kind for rx, kind in _ACCOUNT_TYPES if rx.search(account)), "")
    if others:
        extra: dict[str, str] = {}
        for column in others:
            value = row[column.index] if column.index < len(row) else None
            if is_blank(value):
                continue
            marker = find_redaction(value)
            if marker is not None:
                redacted.append(f"{column.header}:{marker.code or marker.marker}")
            extra[column.header] = _text(value)
        rec.extra = json.dumps(extra, ensure_ascii=False) if extra else "{}"
    rec.redacted = "; ".join(redacted)
    rec.confidence = round(min(confidence), 2)
    return rec


def _count_beside_label(
    rec: Record, row: list[CellValue], label: ColumnRole, others: Sequence[ColumnRole]
) -> None:
    """In a label/value table ("Hits" | 31278), take the first number right of the label."""
    for column in others:
        if column.index <= label.index or column.index >= len(row):
            continue
        value = row[column.index]
        parsed = parse_count(value)
        if parsed.value is not None:
            rec.count, rec.count_qualifier = parsed.value, parsed.qualifier
            rec.count_raw = raw_text(value).strip()
            return


def _check_totals(records: list[Record], count_col: ColumnRole | None, table: Table) -> list[str]:
    notes: list[str] = []
    where = _where(table)
    running = exact = overall = 0
    for position, rec in enumerate(records):
        if rec.row_type != "total":
            running += rec.count or 0
            overall += rec.count or 0
            exact += rec.count if rec.count is not None and rec.count_qualifier == "exact" else 0
            continue
        if count_col is None or rec.count is None:
            continue
        above = "above"
        if position == 0 or all(r.row_type == "total" for r in records[:position]):
            # A total printed above its rows ("TOTAL" first, then one row per country).
            running, exact, above = _sum_below(records[position + 1 :]), 0, "below"
            exact = _sum_below(records[position + 1 :], exact_only=True)
        if rec.count in (running, exact):
            which = "" if running == exact else " (exact values only)" if rec.count == exact else ""
            verdict = f"matches the sum of the rows {above}{which}"
        elif rec.count == overall and overall != running:
            # A grand total after subtotals adds up every row, not those since the last subtotal.
            verdict = f"matches the sum of all the rows {above}"
            running = exact = overall
        else:
            verdict = f"DOES NOT MATCH the sum of the rows {above}"
        shown = f"{running:,}" if running == exact else f"{running:,}; exact values only {exact:,}"
        notes.append(f"{where} row {rec.row}: printed total {rec.count:,} {verdict} ({shown})")
        running = exact = 0
    return _summarise_checks(notes, where)


def _sum_below(records: Sequence[Record], *, exact_only: bool = False) -> int:
    """The counts of the data rows up to the next total."""
    total = 0
    for rec in records:
        if rec.row_type == "total":
            break
        if rec.count is not None and (not exact_only or rec.count_qualifier == "exact"):
            total += rec.count
    return total


def _summarise_checks(notes: list[str], where: str) -> list[str]:
    """One line for all the totals that match (a wide table checks dozens), mismatches in full."""
    matching = [n for n in notes if "DOES NOT MATCH" not in n]
    if len(matching) < 3:
        return notes
    rows = sorted({n.removeprefix(f"{where} row ").split(":")[0] for n in matching}, key=int)
    return [
        f"{where}: the sum of the rows above matches the printed total in {len(matching)} of "
        f"{len(notes)} checks (row {', '.join(rows)})",
        *(n for n in notes if "DOES NOT MATCH" in n),
    ]
