"""Workbooks (XLSX, XLSM, XLS, ODS) read with calamine: every sheet, merged cells filled."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import python_calamine as calamine

from foialog.errors import ReadError
from foialog.extract.blocks import CellValue, Table
from foialog.extract.readers.containers import check_zip_expansion


def read_workbook(
    path: Path, *, name: str | None = None, password: str | None = None
) -> list[Table]:
    """Return one Table per sheet (empty sheets included, with no rows)."""
    label = name or path.name
    check_zip_expansion(path, label)
    workbook = _open(path, label, password)
    formulas = _uncalculated_formulas(path) if password is None else {}
    tables: list[Table] = []
    with workbook:
        for sheet_name in workbook.sheet_names:
            try:
                sheet = workbook.get_sheet_by_name(sheet_name)
                raw_rows = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
            except calamine.CalamineError as exc:
                raise ReadError(f"{label}: sheet {sheet_name!r} cannot be read: {exc}") from exc
            rows = [[_cell(value) for value in row] for row in raw_rows]
            _show_formulas(rows, formulas.get(sheet_name, {}))
            _fill_merged(rows, merged)
            kept = [(i + 1, row) for i, row in enumerate(rows) if any(_filled(c) for c in row)]
            tables.append(
                Table(
                    rows=[row for _, row in kept],
                    row_numbers=[number for number, _ in kept],
                    sheet=sheet_name,
                    method="sheet",
                )
            )
    return tables


# A formula cell whose stored value is 0 or missing: what a workbook written by a program
# (xlsxwriter, openpyxl, pandas) holds until a spreadsheet program recalculates it.
_UNCALCULATED = re.compile(rb"<f(?:\s[^>]*)?>[^<]+</f>\s*(?:<v>0</v>\s*)?</c>")


def _uncalculated_formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet, the (row, column) of each formula never calculated and its text ("=SUM(...)").

    calamine reads only stored values, so such a total reads 0 and would look like a printed
    total that does not match its rows; shown as its formula, it reads as CSV exports show it.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            if not any(_UNCALCULATED.search(archive.read(n)) for n in sheets):
                return {}
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}  # not an Office Open XML workbook (XLS, ODS, XLSB)
    found: dict[str, dict[tuple[int, int], str]] = {}
    # Opened as a file: openpyxl refuses a path without an .xlsx suffix (an email attachment
    # or zip member is read from a temporary file of another name).
    with path.open("rb") as handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        except Exception:  # calamine read it; a formula we cannot show is not worth failing on
            return {}
        try:
            for sheet in book.worksheets:
                cells = found.setdefault(sheet.title, {})
                for row in sheet.iter_rows():
                    for cell in row:
                        value = getattr(cell, "value", None)
                        if isinstance(value, str) and value.startswith("="):
                            cells[(cell.row - 1, cell.column - 1)] = value
        finally:
            book.close()
    return found


def _show_formulas(rows: list[list[CellValue]], formulas: dict[tuple[int, int], str]) -> None:
    """Put a formula's text in place of the 0 or blank calamine read for it."""
    for (r, c), text in formulas.items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] in (0, 0.0, "", None):
            rows[r][c] = text


def _open(path: Path, label: str, password: str | None) -> calamine.CalamineWorkbook:
    try:
        if password is not None:
            return calamine.CalamineWorkbook.from_filelike(_decrypt(path, label, password))
        return calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise ReadError(
            f"{label}: the workbook is password-protected; run again with --password"
        ) from exc
    except (calamine.CalamineError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(
            f"{label}: corrupt or truncated workbook ({exc}); check that the copy is complete, "
            "or re-save it from the program that made it"
        ) from exc


def is_encrypted(path: Path) -> bool:
    """Return True when an Office file is encrypted with a password."""
    with path.open("rb") as fh:
        try:
            return bool(msoffcrypto.OfficeFile(fh).is_encrypted())
        except Exception:
            return False


def _decrypt(path: Path, label: str, password: str) -> io.BytesIO:
    out = io.BytesIO()
    with path.open("rb") as fh:
        try:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password=password)
            office.decrypt(out)
        except Exception as exc:
            raise ReadError(
                f"{label}: cannot decrypt with the given password ({exc}); check --password"
            ) from exc
    out.seek(0)
    return out


def _cell(value: object) -> CellValue:
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, str | int | float | bool | dt.date | dt.time) or value is None:
        return value
    return str(value)


def _filled(value: CellValue) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _fill_merged(
    rows: list[list[CellValue]], merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    """Copy each merged range's top-left value into every cell of the range."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = value
