"""One input file to records: sniff, read, find layout and roles, parse rows."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from entities.errors import FoialogError, ReadError
from extract.blocks import Blocks, Table, Text, is_blank, raw_text
from extract.containers import CONTAINER_TYPES, read_archive, read_eml, read_msg
from extract.delimited import read_csv
from extract.docx import read_docx
from extract.hints import Hint, column_key
from extract.html import read_html
from extract.images import read_image
from extract.jsondoc import read_json
from extract.layout import Layout, data_columns, find_layout
from extract.logs import file_log, table_events, text_log
from extract.ocr import OcrSettings, settings_from_environment
from extract.ocr_pages import ocr_page_content
from extract.options import ReadOptions
from extract.pdf.reader import OCR_FAILED, read_pdf
from extract.pivot import unpivot_month_year, unpivot_shared_metric
from extract.prose import prose_records, read_text
from extract.record import Record, record_columns, records_from_columns
from extract.roles import ColumnRole, infer_roles, metric_from_text, stated_totals
from extract.rows import table_records
from extract.sheets import read_workbook
from extract.sources import Source, sha256_file, sniff
from extract.textfile import MOJIBAKE_NOTE

#: A reader: (path, name in the outputs, the run's read options) -> what it found.
Reader = Callable[[Path, str, ReadOptions], Blocks]


@dataclass(frozen=True)
class TableView:
    """A table as foialog sees it: layout and column roles, for inspect and for records."""

    table: Table
    layout: Layout
    roles: list[ColumnRole]
    #: The reporter's hints that changed this table, in words ("hints.csv line 2: ...").
    hints: tuple[str, ...] = ()


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


def _read_workbook(path: Path, name: str, options: ReadOptions) -> Blocks:
    # A workbook that is not encrypted is read without the password: a run's --password is
    # for the locked files among plain ones, and the plain ones must not fail on it.
    return Blocks(tables=read_workbook(path, name=name, password=None))


def _read_encrypted(path: Path, name: str, options: ReadOptions) -> Blocks:
    if options.password is None:
        raise ReadError(f"{name}: the file is encrypted; run again with --password PASSWORD")
    return Blocks(tables=read_workbook(path, name=name, password=options.password))


def _read_pdf(path: Path, name: str, options: ReadOptions) -> Blocks:
    ocr = partial(ocr_page_content, languages=options.ocr_languages)
    return read_pdf(path, name, options.password, ocr=ocr)


def _read_image(path: Path, name: str, options: ReadOptions) -> Blocks:
    settings: OcrSettings = settings_from_environment()
    if options.ocr_languages:
        settings = replace(settings, languages=options.ocr_languages)
    return read_image(path, name, options.password, settings=settings)


def _with_password(read: Callable[[Path, str, str | None], Blocks]) -> Reader:
    """A reader that needs only the password from the options."""

    def reader(path: Path, name: str, options: ReadOptions) -> Blocks:
        return read(path, name, options.password)

    return reader


#: The reader for each sniffed type. A type missing here is recorded as skipped.
READERS: dict[str, Reader] = {
    "xlsx": _read_workbook,
    "xlsm": _read_workbook,
    "xls": _read_workbook,
    "ods": _read_workbook,
    "encrypted-office": _read_encrypted,
    "csv": read_csv,
    "pdf": _read_pdf,
    "eml": _with_password(read_eml),
    "msg": _with_password(read_msg),
    "mbox": _with_password(read_archive),
    "zip": _with_password(read_archive),
    "html": read_html,
    "docx": _with_password(read_docx),
    "text": _with_password(read_text),
    "json": read_json,
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


def view_table(table: Table, hints: Sequence[Hint] = ()) -> TableView:
    """Find a table's layout and its column roles, then apply the reporter's hints to them."""
    mine = [h for h in hints if h.matches_table(table.sheet, table.page)]
    layout = find_layout(table)
    layout, said = _hinted_layout(table, layout, mine)
    long = unpivot_month_year(table, layout)
    if long is not None:
        table, layout = long, find_layout(long)
    roles = _roles(table, layout)
    wide = unpivot_shared_metric(table, layout, roles) if not mine else None
    if wide is not None:
        table, layout = wide, find_layout(wide)
        roles = _roles(table, layout)
    roles, more = _hinted_roles(roles, mine)
    return TableView(table=table, layout=layout, roles=roles, hints=(*said, *more))


def _roles(table: Table, layout: Layout) -> list[ColumnRole]:
    """The column roles of a table's data rows under its layout."""
    columns = data_columns(table, layout)
    return infer_roles(
        layout.header,
        columns,
        headerless=layout.header_index is None,
        totals=[table.rows[i] for i in layout.totals],
        stated=stated_totals([*layout.title, *table.context]),
    )


def _hinted_layout(table: Table, layout: Layout, hints: Sequence[Hint]) -> tuple[Layout, list[str]]:
    """The layout with a hinted header row and hinted rows to skip (source row numbers)."""
    said: list[str] = []
    header_row = next((h for h in hints if h.header_row is not None), None)
    if header_row is not None and header_row.header_row in table.row_numbers:
        index = table.row_numbers.index(header_row.header_row)
        cells = [raw_text(c).strip() for c in table.rows[index]]
        width = max(layout.width, len(cells))
        cells += [""] * (width - len(cells))
        skipped = set(layout.totals) | set(layout.repeated_headers)
        layout = replace(
            layout,
            header_index=index,
            header=tuple(c or f"column {i + 1}" for i, c in enumerate(cells)),
            title=tuple(
                " ".join(raw_text(c) for c in table.rows[i] if not is_blank(c))
                for i in range(index)
            ),
            data=tuple(
                i
                for i in range(index + 1, len(table.rows))
                if i not in skipped and any(not is_blank(c) for c in table.rows[i])
            ),
            totals=tuple(i for i in layout.totals if i > index),
            width=width,
            reason=f"header row {header_row.header_row} set by {header_row.origin}",
        )
        said.append(header_row.describe())
    skip = frozenset().union(*(h.skip_rows for h in hints))
    if skip:
        numbers = table.row_numbers
        layout = replace(layout, data=tuple(i for i in layout.data if numbers[i] not in skip))
        said.extend(h.describe() for h in hints if h.skip_rows)
    return layout, said


def _hinted_roles(
    roles: list[ColumnRole], hints: Sequence[Hint]
) -> tuple[list[ColumnRole], list[str]]:
    """Column roles with the hints' roles, metrics and date orders put over the guesses."""
    said: list[str] = []
    roles = list(roles)
    for hint in hints:
        if hint.column:
            index = _hint_column(hint, roles)
            if index is None:
                continue
            targets = [index]
        elif hint.date_order:
            targets = [r.index for r in roles if r.role == "date"]
        else:
            continue
        for index in targets:
            role = roles[index]
            if hint.role and hint.role != role.role:
                # One column per role: the column that had the role gives it up.
                roles = [
                    replace(r, role="other", confidence=0.0, reason=f"role given by {hint.origin}")
                    if r.role == hint.role and r.index != index and hint.role != "other"
                    else r
                    for r in roles
                ]
                metric = metric_from_text(role.header) if hint.role == "count" else ""
                role = replace(role, role=hint.role, metric=metric, dayfirst=None)
            changes: dict[str, object] = {"confidence": 1.0, "reason": f"set by {hint.origin}"}
            if hint.metric:
                changes["metric"] = hint.metric
            if hint.date_order:
                changes["dayfirst"] = hint.date_order == "dmy"
            roles[index] = replace(role, **changes)  # type: ignore[arg-type]
        said.append(hint.describe())
    return roles, said


def _hint_column(hint: Hint, roles: Sequence[ColumnRole]) -> int | None:
    """The index of the column a hint names, or None when this table lacks it."""
    if hint.column.startswith("#") and hint.column[1:].isdigit():
        position = int(hint.column[1:]) - 1
        return position if 0 <= position < len(roles) else None
    key = column_key(hint.column)
    return next((r.index for r in roles if column_key(r.header) == key), None)


def _where(table: Table) -> str:
    if table.sheet:
        return f"sheet {table.sheet!r}"
    return f"the table on page {table.page}" if table.page else "the table"


def unmatched_hints(views: Sequence[TableView], hints: Sequence[Hint]) -> list[str]:
    """Errors for hints that name a file but a column or header row none of its tables has."""
    errors = []
    for hint in hints:
        if not hint.file or not (hint.column or hint.header_row is not None):
            continue
        tables = [v for v in views if hint.matches_table(v.table.sheet, v.table.page)]
        if hint.column and not any(_hint_column(hint, v.roles) is not None for v in tables):
            columns = sorted({r.header for v in tables for r in v.roles})
            errors.append(
                f"{hint.origin}: column {hint.column!r} is not in this file; "
                f"its columns are: {', '.join(columns) if columns else '(no table found)'}"
            )
        if hint.header_row is not None and not any(
            hint.header_row in v.table.row_numbers for v in tables
        ):
            errors.append(
                f"{hint.origin}: header_row {hint.header_row} is not a row of any table "
                "in this file (foialog inspect FILE shows the row numbers)"
            )
    return errors


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
    if not result.records and kind in CONTAINER_TYPES:
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
