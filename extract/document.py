"""One input file to records: sniff, read, find layout and roles, parse rows."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from foialog.errors import FoialogError, ReadError
from foialog.extract.blocks import Blocks, Table, Text
from foialog.extract.options import ReadOptions
from foialog.extract.readers.delimited import read_csv
from foialog.extract.readers.images import read_image
from foialog.extract.readers.ocr import OcrSettings, settings_from_environment
from foialog.extract.readers.ocr_pages import ocr_page_content, reread_page_cells
from foialog.extract.readers.pdf.reader import OCR_FAILED, read_pdf
from foialog.extract.record import Record, record_columns, records_from_columns
from foialog.extract.sources import Source, sha256_file, sniff
from foialog.extract.tables.rows import table_records
from foialog.extract.tables.view import unmatched_hints, view_table
from foialog.extract.text.encoding import MOJIBAKE_NOTE
from foialog.extract.text.logs import file_log, table_events, text_log

#: A reader: (path, name in the outputs, the run's read options) -> what it found.
Reader = Callable[[Path, str, ReadOptions], Blocks]


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

    def __getstate__(self) -> dict[str, object]:
        """The fields, the records column by column (how a result crosses between processes)."""
        # Pickled one by one, each record's list of values stayed alive beside it until the
        # whole result was read: 1.3 KB a record in the run's process, 0.2 GB more per 200,000.
        return {**self.__dict__, "records": record_columns(self.records)}

    def __setstate__(self, state: dict[str, object]) -> None:
        """Restore the fields and the records from ``__getstate__``'s columns."""
        columns = state["records"]
        self.__dict__.update(state)
        self.records = records_from_columns(columns)  # type: ignore[arg-type]


# The readers of workbooks, HTML, Word files, JSON, containers and prose are imported when a
# file of theirs is read: their libraries (openpyxl, BeautifulSoup, python-docx, the prose
# reader's) took a third of a second of every run's start, a run of text PDFs included.


def _read_workbook(path: Path, name: str, options: ReadOptions) -> Blocks:
    from foialog.extract.readers.sheets import read_workbook

    # A workbook that is not encrypted is read without the password: a run's --password is
    # for the locked files among plain ones, and the plain ones must not fail on it.
    return Blocks(tables=read_workbook(path, name=name, password=None))


def _read_encrypted(path: Path, name: str, options: ReadOptions) -> Blocks:
    from foialog.extract.readers.sheets import read_workbook

    if options.password is None:
        raise ReadError(f"{name}: the file is encrypted; run again with --password PASSWORD")
    return Blocks(tables=read_workbook(path, name=name, password=options.password))


def _read_pdf(path: Path, name: str, options: ReadOptions) -> Blocks:
    ocr = partial(ocr_page_content, languages=options.ocr_languages, timeout=options.ocr_timeout)
    reread = partial(
        reread_page_cells, languages=options.ocr_languages, timeout=options.ocr_timeout
    )
    return read_pdf(path, name, options.password, ocr=ocr, reread=reread)


def _read_image(path: Path, name: str, options: ReadOptions) -> Blocks:
    settings: OcrSettings = settings_from_environment()
    if options.ocr_languages:
        settings = replace(settings, languages=options.ocr_languages)
    if options.ocr_timeout is not None:
        settings = replace(settings, timeout=options.ocr_timeout)
    return read_image(path, name, options.password, settings=settings)


def _with_password(module: str, function: str) -> Reader:
    """A reader that needs only the password from the options: ``function`` of ``module``
    (under foialog.extract), imported on its first file."""

    def reader(path: Path, name: str, options: ReadOptions) -> Blocks:
        read: Callable[[Path, str, str | None], Blocks] = getattr(
            importlib.import_module(f"foialog.extract.{module}"), function
        )
        return read(path, name, options.password)

    return reader


def _read_html(path: Path, name: str, options: ReadOptions) -> Blocks:
    from foialog.extract.readers.html import read_html

    return read_html(path, name, options)


def _read_json(path: Path, name: str, options: ReadOptions) -> Blocks:
    from foialog.extract.readers.jsondoc import read_json

    return read_json(path, name, options)


#: The reader for each sniffed type. A type missing here is recorded as skipped.
READERS: dict[str, Reader] = {
    "xlsx": _read_workbook,
    "xlsm": _read_workbook,
    "xls": _read_workbook,
    "ods": _read_workbook,
    "encrypted-office": _read_encrypted,
    "csv": read_csv,
    "pdf": _read_pdf,
    "eml": _with_password("readers.containers", "read_eml"),
    "msg": _with_password("readers.containers", "read_msg"),
    "mbox": _with_password("readers.containers", "read_archive"),
    "zip": _with_password("readers.containers", "read_archive"),
    "html": _read_html,
    "docx": _with_password("readers.docx", "read_docx"),
    "text": _with_password("text.prose", "read_text"),
    "json": _read_json,
    "png": _read_image,
    "jpeg": _read_image,
    "tiff": _read_image,
    "gif": _read_image,
}


def read_blocks(path: Path, kind: str, *, name: str, options: ReadOptions | None = None) -> Blocks:
    """Read the raw tables and texts of a file whose type has been sniffed as ``kind``."""
    reader = READERS.get(kind)
    if reader is None:
        raise ReadError(
            f"{name}: no reader for type {kind!r}; readable: {', '.join(sorted(READERS))}"
        )
    return reader(path, name, options or ReadOptions())


def _where(table: Table) -> str:
    if table.sheet:
        return f"sheet {table.sheet!r}"
    return f"the table on page {table.page}" if table.page else "the table"


def extract_document(source: Source, options: ReadOptions | None = None) -> DocumentResult:
    """Extract every record of one file; failures become the result's status, never exceptions.

    ``options`` carries the password, the spaCy model, OCR languages and the reporter's hints
    (only those whose file pattern names this file are used).
    """
    started = time.perf_counter()
    result = DocumentResult(source_file=source.name)
    mine = (options or ReadOptions()).for_file(source.name)
    try:
        result.sha256 = sha256_file(source.path)
        result.detected_type = sniff(source.path)
        _extract_into(result, source, mine)
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


def _extract_into(result: DocumentResult, source: Source, options: ReadOptions) -> None:
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
    log = file_log(source.path, name=source.name, sha256=result.sha256, kind=kind)
    if log is not None:  # a line log (access log, logfmt, JSON Lines, syslog ...), streamed
        result.records.extend(log.records)
        result.notes.extend(log.notes)
        return
    blocks = read_blocks(source.path, kind, name=source.name, options=options)
    result.pages, result.ocr_pages = blocks.pages, blocks.ocr_pages
    result.notes.extend(blocks.notes)
    result.sheets = sum(t.sheet is not None for t in blocks.tables)
    empty = [t.sheet or source.name for t in blocks.tables if not t.rows]
    views = []
    for table in blocks.tables:
        if not table.rows:
            continue
        view = view_table(table, options.hints)
        views.append(view)
        out = table_records(
            view.table, view.layout, view.roles, source_file=source.name, sha256=result.sha256
        )
        events = table_events(view, out.records)
        found = out.records if events is None else events.records
        if view.hints:
            said = " | ".join(view.hints)
            for record in found:
                record.hints = said
            result.notes.extend(f"hint applied: {h}" for h in view.hints)
        result.records.extend(found)
        result.notes.extend(out.notes if events is None else [*out.notes, *events.notes])
    for text in blocks.texts:
        _text_into(result, text, source.name, options.model)
    if empty:
        result.notes.append(f"no rows in: {', '.join(empty)}")
    if not result.records and kind in _container_types():
        result.notes.append("no records in the container itself")
    elif not result.records:
        result.status = "skipped"
        result.error = (
            f"{source.name}: {_NOTHING_FOUND.get(kind, 'no rows with values in any sheet')}"
        )
    elif any(
        "DOES NOT MATCH" in n or n.startswith((MOJIBAKE_NOTE, OCR_FAILED)) for n in result.notes
    ):
        result.status = "partial"
    hint_errors = unmatched_hints(views, options.hints)
    if hint_errors:
        # The reporter named a column or row this file lacks: say so, and which it has.
        result.status = "partial" if result.records else "failed"
        result.error = f"{source.name}: {'; '.join(hint_errors)}"


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


def _container_types() -> frozenset[str]:
    from foialog.extract.readers.containers import CONTAINER_TYPES

    return frozenset(CONTAINER_TYPES)


def _text_into(result: DocumentResult, text: Text, name: str, model: str | None) -> None:
    """Records from a run of text: one per event when it is a log, else one per prose mention."""
    from foialog.extract.text.prose import prose_records

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
