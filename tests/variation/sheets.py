"""Spreadsheet kinds: CSV (code pages, delimiters, European numbers) and XLSX (typed cells).

Each seed draws one table (tests/variation/tabular.py, whose docstring states the truth
semantics) and writes it the way agency exports and office programs do: title rows and export
banners above the header, one, two or no header rows, distractor columns, spacer rows, subtotal
and total rows (XLSX: values or =SUM formulas with cached results), summary and notes sheets,
a table that starts in column B or C, Excel date cells, numbers stored as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import xlsxwriter

from tests.variation.core import Generated, Generator, TruthRow
from tests.variation.tabular import Cell, Options, Plan, make_plan
from tests.variation.words import HEADERS

#: Code pages a CSV is written in: name -> Python codec.
CODE_PAGES = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "cp1252": "cp1252",
    "latin-1": "latin-1",
    "cp850": "cp850",
    "mac-roman": "mac_roman",
}
#: Sheet names per language: the data sheet's (one of), the summary's and the notes'.
HEADERS_SHEETS = {lang: h.sheet_data for lang, h in HEADERS.items()}
SUMMARY_SHEET = {lang: h.sheet_summary for lang, h in HEADERS.items()}
NOTES_SHEET = {lang: h.sheet_notes for lang, h in HEADERS.items()}


def holds(codec: str) -> Callable[[str], bool]:
    """A test of whether a code page can hold a text."""

    def can_hold(text: str) -> bool:
        try:
            text.encode(codec)
        except UnicodeEncodeError:
            return False
        return True

    return can_hold


def truth_rows(plan: Plan, source_file: str) -> list[TruthRow]:
    """The plan's truth as TruthRows of one file."""
    country = {a.name: (a.country, a.region) for a in plan.agencies}
    return [
        TruthRow(
            source_file=source_file,
            agency=agency,
            count=count,
            date=date,
            entity=agency,
            country=country.get(agency, ("", ""))[0],
            region=country.get(agency, ("", ""))[1],
            metric=plan.metric,
        )
        for agency, count, date in plan.truth
    ]


def table_rows(plan: Plan, pad_titles: bool) -> list[list[str]]:
    """The table as rows of printed text: titles, header rows, lines."""
    width = len(plan.roles)
    rows: list[list[str]] = []
    for title in plan.title:
        rows.append([title] + [""] * (width - 1) if pad_titles else [title])
    if plan.groups is not None:
        rows.append(list(plan.groups))
    if plan.header is not None:
        rows.append(list(plan.header))
    rows.extend([c.text for c in line.cells] for line in plan.lines)
    return rows


def csv_kind(seed: int, folder: Path, kind: str = "csv") -> Generated:
    """A CSV export: code page, delimiter, quoting, line ends and number convention vary."""
    rng = random.Random(f"{kind}-file:{seed}")
    page = rng.choice(("utf-8", "utf-8", *CODE_PAGES))
    codec = CODE_PAGES[page]
    can_hold = holds(codec)
    plan = make_plan(seed, kind, Options(can_hold=can_hold))
    if plan.numbers in {"eu", "fr"}:
        delimiter = rng.choice((";", ";", "\t"))
    elif plan.numbers == "en":
        delimiter = rng.choice((",", ",", "\t", "|"))
    else:
        delimiter = rng.choice((",", ";", "\t", "|"))
    quoting: Literal[0, 1] = rng.choice((csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL))
    ending = rng.choice(("\r\n", "\n"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=ending)
    writer.writerows(table_rows(plan, pad_titles=rng.random() < 0.5))
    if plan.notes:
        # Footnotes under the table, after a blank line, as report exports print them.
        writer.writerows([[]] + [[f"* {note}"] for note in plan.notes])
    name = "agencies.tsv" if delimiter == "\t" and rng.random() < 0.5 else "export.csv"
    (folder / name).write_bytes(buffer.getvalue().encode(codec))
    variation = {
        **plan.variation,
        "encoding": page,
        "delimiter": {"\t": "tab"}.get(delimiter, delimiter),
        "quoting": "all" if quoting == csv.QUOTE_ALL else "minimal",
    }
    return Generated(kind, seed, folder, truth_rows(plan, name), variation)


def _col(index: int) -> str:
    return xlsxwriter.utility.xl_col_to_name(index)  # type: ignore[no-any-return]


def _ranges(rows: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for r in sorted(rows):
        if spans and spans[-1][1] == r - 1:
            spans[-1] = (spans[-1][0], r)
        else:
            spans.append((r, r))
    return spans


def xlsx_kind(seed: int, folder: Path, kind: str = "xlsx") -> Generated:
    """An XLSX workbook: typed cells, formulas, merged two-level headers, extra sheets."""
    rng = random.Random(f"{kind}-file:{seed}")
    plan = make_plan(seed, kind, Options(excel=True))
    name = rng.choice(("clients.xlsx", "export.xlsx", "Report.xlsx"))
    path = folder / name
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2021, 1, 5, 9, 0, 0), "author": "Export"})
    bold = book.add_format({"bold": True, "text_wrap": True})
    formats: dict[str, object] = {}

    def fmt(number_format: str) -> object:
        if number_format not in formats:
            formats[number_format] = book.add_format({"num_format": number_format})
        return formats[number_format]

    data_sheet = rng.choice(HEADERS_SHEETS[plan.lang])
    summary_first = bool(plan.summary) and rng.random() < 0.5
    if summary_first:
        _summary_sheet(book, plan, bold, fmt)
    sheet = book.add_worksheet(data_sheet)
    first_col = rng.choice((0, 0, 0, 1, 2))
    row = 0
    for title in plan.title:
        sheet.write_string(row, first_col, title, bold if row == 0 else None)
        row += 1
    if plan.title and rng.random() < 0.5:
        row += 1  # a blank row under the title block
    if plan.groups is not None:
        for start, end, label in plan.spans:
            if end > start:
                sheet.merge_range(row, first_col + start, row, first_col + end, label, bold)
            else:
                sheet.write_string(row, first_col + start, label, bold)
        row += 1
    if plan.header is not None:
        for j, text in enumerate(plan.header):
            sheet.write_string(row, first_col + j, text, bold)
        row += 1
    # Totals typed in, or =SUM formulas with the result cached (as Excel saves them) or with a
    # cached 0 (as a script writing with xlsxwriter saves them unless told the result).
    totals = rng.choice(("values", "formulas", "formulas", "formulas-uncached"))
    formulas = totals != "values"
    sheet_row: dict[int, int] = {}
    for index, line in enumerate(plan.lines):
        sheet_row[index] = row
        for j, cell in enumerate(line.cells):
            c = first_col + j
            if line.kind in {"subtotal", "total"} and formulas and cell.value is not None:
                members = [sheet_row[p] for p in line.sums]
                ref = ",".join(
                    f"{_col(c)}{a + 1}" if a == b else f"{_col(c)}{a + 1}:{_col(c)}{b + 1}"
                    for a, b in _ranges(members)
                )
                cached = cell.value if totals == "formulas" else 0
                sheet.write_formula(row, c, f"=SUM({ref})", fmt(cell.number_format), cached)
            else:
                _write(sheet, row, c, cell, fmt)
        row += 1
    sheet.set_column(first_col, first_col + len(plan.roles) - 1, 18)
    if plan.summary and not summary_first:
        _summary_sheet(book, plan, bold, fmt)
    if plan.notes:
        notes = book.add_worksheet(NOTES_SHEET[plan.lang])
        for i, text in enumerate(plan.notes):
            notes.write_string(i, 0, text)
    book.close()
    variation = {
        **plan.variation,
        "first_col": "ABC"[first_col],
        "totals": totals,
        "sheet": data_sheet,
    }
    if summary_first:
        variation["summary_sheet"] = "first"
    return Generated(kind, seed, folder, truth_rows(plan, name), variation)


def _write(sheet: object, row: int, col: int, cell: Cell, fmt: object) -> None:
    value = cell.value
    ws = sheet
    if value is None or value == "":
        if cell.text:
            ws.write_string(row, col, cell.text)  # type: ignore[attr-defined]
        return
    if isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt(cell.number_format))  # type: ignore[attr-defined,operator]
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt(cell.number_format or "General"))  # type: ignore[attr-defined,operator]
    else:
        ws.write_string(row, col, str(value))  # type: ignore[attr-defined]


def _summary_sheet(book: object, plan: Plan, bold: object, fmt: object) -> None:
    sheet = book.add_worksheet(SUMMARY_SHEET[plan.lang])  # type: ignore[attr-defined]
    for i, cells in enumerate(plan.summary):
        for j, cell in enumerate(cells):
            if i == 0:
                sheet.write_string(i, j, cell.text, bold)
            else:
                _write(sheet, i, j, cell, fmt)


KINDS: dict[str, Generator] = {"csv": csv_kind, "xlsx": xlsx_kind}
