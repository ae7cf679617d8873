"""One input file to records: sniff, read, find layout and roles, parse rows."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from entities.errors import FoialogError, ReadError
from extract.blocks import Blocks, Table, Text
from extract.containers import CONTAINER_TYPES, read_archive, read_eml, read_msg
from extract.delimited import read_delimited
from extract.docx import read_docx
from extract.html import read_html
from extract.images import read_image
from extract.layout import Layout, find_layout
from extract.logs import table_events, text_log
from extract.pdf.reader import read_pdf
from extract.pivot import unpivot_month_year
from extract.prose import prose_records, read_text
from extract.record import Record
from extract.roles import ColumnRole, infer_roles
from extract.rows import table_records
from extract.sheets import read_workbook
from extract.sources import Source, sha256_file, sniff

#: A reader: (path, name in the outputs, password or None) -> what it found.
Reader = Callable[[Path, str, "str | None"], Blocks]


@dataclass(frozen=True)
class TableView:
    """A table as foialog sees it: layout and column roles, for inspect and for records."""

    table: Table
    layout: Layout
    roles: list[ColumnRole]


@dataclass
class DocumentResult:
    """What happened to one input file; becomes a documents.csv row plus its records."""

    source_file: str
    sha256: str = ""
    detected_type: str = ""
    pages: int | None = None
    ocr_pages: int = 0
    status: str = "ok"
    error: str = ""
    seconds: float = 0.0
    sheets: int = 0
    records: list[Record] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n_records(self) -> int:
        """Number of records extracted from the file."""
        return len(self.records)


def _read_workbook(path: Path, name: str, password: str | None) -> Blocks:
    return Blocks(tables=read_workbook(path, name=name, password=password))


def _read_delimited(path: Path, name: str, password: str | None) -> Blocks:
    return Blocks(tables=[read_delimited(path, name=name).table])


def _read_encrypted(path: Path, name: str, password: str | None) -> Blocks:
    if password is None:
        raise ReadError(f"{name}: the file is encrypted; run again with --password PASSWORD")
    return _read_workbook(path, name, password)


#: The reader for each sniffed type. A type missing here is recorded as skipped.
READERS: dict[str, Reader] = {
    "xlsx": _read_workbook,
    "xlsm": _read_workbook,
    "xls": _read_workbook,
    "ods": _read_workbook,
    "encrypted-office": _read_encrypted,
    "csv": _read_delimited,
    "pdf": read_pdf,
    "eml": read_eml,
    "msg": read_msg,
    "mbox": read_archive,
    "zip": read_archive,
    "html": read_html,
    "docx": read_docx,
    "text": read_text,
    "png": read_image,
    "jpeg": read_image,
    "tiff": read_image,
    "gif": read_image,
}


def read_blocks(path: Path, kind: str, *, name: str, password: str | None = None) -> Blocks:
    """Read the raw tables and texts of a file whose type has been sniffed as ``kind``."""
    reader = READERS.get(kind)
    if reader is None:
        raise ReadError(
            f"{name}: no reader for type {kind!r}; readable: {', '.join(sorted(READERS))}"
        )
    return reader(path, name, password)


def view_table(table: Table) -> TableView:
    """Find a table's layout and its column roles."""
    layout = find_layout(table)
    long = unpivot_month_year(table, layout)
    if long is not None:
        table, layout = long, find_layout(long)
    columns = [
        [table.rows[i][c] if c < len(table.rows[i]) else None for i in layout.data]
        for c in range(layout.width)
    ]
    roles = infer_roles(layout.header, columns, headerless=layout.header_index is None)
    return TableView(table=table, layout=layout, roles=roles)


def extract_document(
    source: Source, *, password: str | None = None, model: str | None = None
) -> DocumentResult:
    """Extract every record of one file; failures become the result's status, never exceptions.

    ``model`` names the spaCy pipeline for prose (None: the default lookup in extract.language).
    """
    started = time.perf_counter()
    result = DocumentResult(source_file=source.name)
    try:
        result.sha256 = sha256_file(source.path)
        result.detected_type = sniff(source.path)
        _extract_into(result, source, password, model)
    except FoialogError as exc:
        result.status, result.error = "failed", str(exc)
    except OSError as exc:
        result.status, result.error = (
            "failed",
            f"{source.name}: cannot read the file: {exc.strerror or exc}",
        )
    except Exception as exc:
        result.status = "failed"
        result.error = f"{source.name}: unexpected {type(exc).__name__}: {exc} (please report this)"
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _extract_into(
    result: DocumentResult, source: Source, password: str | None, model: str | None
) -> None:
    kind = result.detected_type
    if kind == "empty":
        result.status, result.error = "skipped", f"{source.name}: the file is empty (0 bytes)"
        return
    if kind == "ole":
        # Outlook .msg, .xls and .doc are all compound files: one foialog cannot place is most
        # often one of those, damaged (cut short in a copy or a mail export).
        result.status = "failed"
        result.error = (
            f"{source.name}: a compound file (the container of Outlook .msg and old Office "
            "files) that is damaged or of a kind foialog does not read; if it is an email or "
            "a spreadsheet, open it in its program and save it again (.eml, .xlsx)"
        )
        return
    if kind not in READERS:
        result.status = "skipped"
        result.error = (
            f"{source.name}: {kind}: not a type foialog reads "
            f"(it reads {', '.join(sorted(READERS))}); convert it to one of those to include it"
        )
        return
    blocks = read_blocks(source.path, kind, name=source.name, password=password)
    result.pages, result.ocr_pages = blocks.pages, blocks.ocr_pages
    result.notes.extend(blocks.notes)
    result.sheets = sum(t.sheet is not None for t in blocks.tables)
    empty = [t.sheet or source.name for t in blocks.tables if not t.rows]
    for table in blocks.tables:
        if not table.rows:
            continue
        view = view_table(table)
        out = table_records(
            view.table, view.layout, view.roles, source_file=source.name, sha256=result.sha256
        )
        events = table_events(view, out.records)
        result.records.extend(out.records if events is None else events.records)
        result.notes.extend(out.notes if events is None else [*out.notes, *events.notes])
    for text in blocks.texts:
        _text_into(result, text, source.name, model)
    if empty:
        result.notes.append(f"no rows in: {', '.join(empty)}")
    if not result.records and kind in CONTAINER_TYPES:
        result.notes.append("no records in the container itself")
    elif not result.records:
        result.status = "skipped"
        result.error = (
            f"{source.name}: {_NOTHING_FOUND.get(kind, 'no rows with values in any sheet')}"
        )
    elif any("DOES NOT MATCH" in n for n in result.notes):
        result.status = "partial"


#: Why a readable file gave no records, by type, when the sheet wording does not fit.
_NOTHING_FOUND: dict[str, str] = {
    "text": "plain text with no agency, count or timestamped event in it (read as prose and log)",
    "html": "no table rows and no agency mentions in the page",
    "docx": "no table rows and no agency mentions in the document",
    "pdf": "no table rows found on any page (if the pages show a table, try foialog inspect)",
    "png": "OCR found no table rows in the image",
    "jpeg": "OCR found no table rows in the image",
    "tiff": "OCR found no table rows in the image",
}


def _text_into(result: DocumentResult, text: Text, name: str, model: str | None) -> None:
    """Records from a run of text: one per event when it is a log, else one per prose mention."""
    log = text_log(text, source_file=name, sha256=result.sha256)
    found = (
        log
        if log is not None
        else prose_records(text, source_file=name, sha256=result.sha256, model=model)
    )
    result.records.extend(found.records)
    for note in found.notes:
        if note not in result.notes:
            result.notes.append(note)
