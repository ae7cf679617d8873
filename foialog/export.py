"""Exports of a run's tables to CSV, XLSX, Parquet, SQLite (Datasette-ready) and DuckDB."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from foialog.columns import column_kind, describe
from foialog.errors import FoialogError
from foialog.extract.parallel import collector_paused
from foialog.outputs import (
    RAW_CSV,
    SAFE_CSV,
    spreadsheet_raw,
    write_atomic,
    write_csv,
    write_json,
)
from foialog.version import __version__

#: Formats ``foialog export`` writes.
FORMATS = ("csv", "xlsx", "parquet", "sqlite", "duckdb")
#: Formats ``foialog run`` writes unless told otherwise.
DEFAULT_FORMATS = ("csv", "sqlite")
#: Tables every run writes, then the ones written only by some runs.
REQUIRED_TABLES = ("records", "agencies", "documents")
OPTIONAL_TABLES = ("review", "agencies_monthly")

#: Options of ``export`` that shape CSV files only, by the name the command line gives them.
CSV_OPTIONS = ("--bom", "--raw-csv")
#: Date columns of the outputs (ISO text: YYYY-MM-DD, YYYY-MM or YYYY), written to XLSX as
#: Excel dates shown with the precision the source gave.
DATE_COLUMNS = frozenset({"date", "date_end", "first_date", "last_date", "month"})
_DATE_FORMATS = {10: "yyyy-mm-dd", 7: "yyyy-mm", 4: "yyyy"}

#: Excel's limits: rows per sheet and characters per cell.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CHARS = 32_767

#: Columns of each table searched by SQLite full-text search: names and raw text.
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "records": (
        "agency_raw", "agency", "country_raw", "region_raw", "count_raw", "date_raw",
        "redacted", "extra", "source_file",
    ),
    "agencies": ("agency", "variants", "sources"),
    "documents": ("source_file", "error", "notes"),
}  # fmt: skip
#: Indexed columns of each table, for the filters reporters use most.
INDEXES: dict[str, tuple[str, ...]] = {
    "records": ("agency_id", "source_file", "country", "date", "metric", "method"),
    "agencies": ("country", "agency_type"),
    "documents": ("status", "detected_type"),
    "review": ("record_id",),
    "agencies_monthly": ("agency_id", "month"),
}
#: Columns holding a unique id, made the primary key in SQLite.
PRIMARY_KEYS = {"records": "record_id", "agencies": "agency_id"}
#: Facets Datasette offers on each table's page.
FACETS: dict[str, list[str]] = {
    "records": ["country", "metric", "source_file", "method"],
    "agencies": ["country", "agency_type"],
    "documents": ["status", "detected_type"],
}

Tables = dict[str, pd.DataFrame]


def read_tables(out: Path) -> Tables:
    """Read a finished run's CSVs from ``out`` with each column typed as the exports store it.

    Cells the run wrote spreadsheet-safe (a leading apostrophe) are given back as they were.
    """
    safe = run_info(out).get("csv") == SAFE_CSV
    tables: Tables = {}
    for name in (*REQUIRED_TABLES, *OPTIONAL_TABLES):
        path = out / f"{name}.csv"
        if not path.exists():
            if name in REQUIRED_TABLES:
                raise FoialogError(
                    f"{out} has no {name}.csv; run `foialog run INPUT -o {out}` first"
                )
            continue
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
        )
        tables[name] = typed(spreadsheet_raw(frame) if safe else frame, name, path)
    return tables


def typed(frame: pd.DataFrame, table: str, path: Path | None = None) -> pd.DataFrame:
    """Return ``frame`` with whole-number and decimal columns typed; text stays text."""
    # A shallow copy, and only the columns not typed yet are converted: a run's records
    # (a million rows) come typed from records_frame, and a deep copy doubled them in memory.
    result = frame.copy(deep=False)
    for column in result.columns:
        kind = column_kind(str(column))
        cells = result[column]
        if kind == "text":
            if isinstance(cells.dtype, pd.StringDtype) and not cells.hasnans:
                continue
            result[column] = cells.fillna("").astype(str)
            continue
        wanted: Literal["Int64", "Float64"] = "Int64" if kind == "integer" else "Float64"
        if cells.dtype == wanted:
            continue
        values = cells.replace("", None)
        try:
            numbers = pd.to_numeric(values)
        except (ValueError, TypeError) as exc:
            where = path or table
            raise FoialogError(
                f"{where}: column {column!r} should hold numbers ({exc}); "
                "re-run foialog to rewrite it"
            ) from exc
        result[column] = numbers.astype(wanted)
    return result


def export(
    out: Path,
    formats: Sequence[str],
    *,
    bom: bool = False,
    raw_csv: bool = False,
    run: dict[str, object] | None = None,
    tables: Tables | None = None,
) -> list[Path]:
    """Write the run in ``out`` in each of ``formats``; ``run`` and ``tables`` default to OUT's.

    CSVs are spreadsheet-safe unless ``raw_csv``; the other formats always hold raw values.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise FoialogError(
            f"unknown export format {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    problem = options_problem(formats, bom=bom, raw_csv=raw_csv)
    if problem:
        raise FoialogError(problem)
    if tables is None:
        tables = read_tables(out)
    if run is None:
        run = run_info(out)
    written: list[Path] = []
    for fmt in dict.fromkeys(formats):
        if fmt == "csv":
            written += write_csvs(tables, out, bom=bom, raw=raw_csv)
            if (out / "run.json").exists():
                # read_tables must know whether to take the apostrophes off again.
                write_json({**run_info(out), "csv": RAW_CSV if raw_csv else SAFE_CSV},
                           out / "run.json")  # fmt: skip
        elif fmt == "xlsx":
            written.append(write_xlsx(tables, out / "foialog.xlsx"))
        elif fmt == "parquet":
            written += write_parquet(tables, out)
        elif fmt == "sqlite":
            written.append(write_sqlite(tables, out / "foialog.sqlite"))
            metadata = datasette_metadata(tables, run)
            write_json(metadata, out / "foialog.metadata.json")
            written.append(out / "foialog.metadata.json")
        elif fmt == "duckdb":
            written.append(write_duckdb(tables, out / "foialog.duckdb"))
    return written


def options_problem(formats: Sequence[str], *, bom: bool, raw_csv: bool) -> str:
    """Why ``bom`` or ``raw_csv`` cannot go with ``formats`` (they shape CSVs only), or ""."""
    given = [name for name, on in zip(CSV_OPTIONS, (bom, raw_csv), strict=True) if on]
    if not given or "csv" in formats:
        return ""
    others = ", ".join(f for f in FORMATS if f != "csv")
    return (
        f"{' and '.join(given)} {'shape' if len(given) > 1 else 'shapes'} CSV files only, and "
        "no --format csv was asked for "
        f"(--format {' --format '.join(dict.fromkeys(formats))}). Valid: --format csv with "
        f"{' and/or '.join(CSV_OPTIONS)}, beside any other format; {others} without them. "
        "E.g. foialog export OUT --format csv --bom --format xlsx"
    )


def write_csvs(tables: Tables, out: Path, *, bom: bool = False, raw: bool = False) -> list[Path]:
    """Write each table as UTF-8 CSV; ``bom`` adds the byte-order mark Excel looks for.

    Formula-like cells are written as text (a leading apostrophe) unless ``raw``.
    """
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        write_csv(table, path, raw=raw, bom=bom)
        paths.append(path)
    return paths


def write_xlsx(tables: Tables, path: Path) -> Path:
    """Write one sheet per table (frozen header, filters, typed cells) and a columns sheet."""
    import xlsxwriter

    for name, frame in tables.items():
        if len(frame) + 1 > XLSX_MAX_ROWS:
            raise FoialogError(
                f"{name} has {len(frame):,} rows, more than an Excel sheet holds "
                f"({XLSX_MAX_ROWS - 1:,}); export to parquet, sqlite or duckdb instead"
            )

    def write(tmp: Path) -> None:
        # Text is written with write_string so that a cell such as "=HYPERLINK(...)" in a
        # leaked file stays text and never becomes a live formula.
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        header = book.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1})
        formats = {
            "count": book.add_format({"num_format": "#,##0"}),
            "integer": book.add_format({"num_format": "0"}),
            "float": book.add_format({"num_format": "0.00"}),
        }
        dates = {n: book.add_format({"num_format": f}) for n, f in _DATE_FORMATS.items()}
        for name, frame in tables.items():
            sheet = book.add_worksheet(name)
            sheet.freeze_panes(1, 0)
            columns = [str(c) for c in frame.columns]
            for c, column in enumerate(columns):
                sheet.write_string(0, c, column, header)
                sheet.set_column(c, c, _width(frame[column], column))
            if columns:
                sheet.autofilter(0, 0, len(frame), len(columns) - 1)
            kinds = [column_kind(c) for c in columns]
            numbers = [
                formats["count"] if c == "count" or c.startswith("count_total_") else formats[k]
                if k != "text" else None
                for c, k in zip(columns, kinds, strict=True)
            ]  # fmt: skip
            for r, values in enumerate(chain.from_iterable(_plain_rows(frame)), start=1):
                for c, value in enumerate(values):
                    if kinds[c] == "text":
                        text = "" if value is None else str(value)
                        day = _excel_date(text) if columns[c] in DATE_COLUMNS else None
                        if day is not None:
                            sheet.write_datetime(r, c, day, dates[len(text)])
                        elif text:
                            sheet.write_string(r, c, _fit_cell(text))
                    elif value is not None:  # missing values are None (see _plain_rows)
                        sheet.write_number(r, c, value, numbers[c])
        about = book.add_worksheet("columns")
        about.freeze_panes(1, 0)
        for c, title in enumerate(("table", "column", "description")):
            about.write_string(0, c, title, header)
        about.set_column(0, 1, 18)
        about.set_column(2, 2, 90)
        r = 1
        for name, frame in tables.items():
            for column in frame.columns:
                about.write_string(r, 0, name)
                about.write_string(r, 1, str(column))
                about.write_string(r, 2, describe(name, str(column)))
                r += 1
        book.close()

    write_atomic(path, write)
    return path


def write_parquet(tables: Tables, out: Path) -> list[Path]:
    """Write each table as Parquet, with every column's description in the schema."""
    paths = []
    for name, frame in tables.items():
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        fields = [
            field.with_metadata({"description": describe(name, field.name)})
            for field in arrow.schema
        ]
        arrow = arrow.cast(pa.schema(fields, metadata=arrow.schema.metadata))
        path = out / f"{name}.parquet"

        def write(tmp: Path, arrow: pa.Table = arrow) -> None:
            pq.write_table(arrow, tmp)

        write_atomic(path, write)
        paths.append(path)
    return paths


def write_sqlite(tables: Tables, path: Path) -> Path:
    """Write a SQLite database with typed columns, indexes and FTS5 search for Datasette."""

    def write(tmp: Path) -> None:
        with collector_paused(), sqlite3.connect(tmp) as con:
            # A new file, renamed into place only once complete (write_atomic): a crash
            # leaves no database to recover, so no rollback journal and no syncing per step.
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            # Pages of 16 KiB, not 4: fewer pages to split and link as the records, their
            # indexes and the search index are written (8% less time on 80,000 records).
            con.execute("PRAGMA page_size = 16384")
            for name, frame in tables.items():
                _sqlite_table(con, name, frame)
        con.close()

    write_atomic(path, write)
    return path


def _sqlite_table(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    columns = [str(c) for c in frame.columns]
    key = PRIMARY_KEYS.get(name)
    definitions = []
    for column in columns:
        sql_type = {"integer": "INTEGER", "float": "REAL", "text": "TEXT"}[column_kind(column)]
        definition = f"{_q(column)} {sql_type}"
        if column == key:
            definition += " PRIMARY KEY"
        elif column == "agency_id" and name != "agencies":
            definition += ' REFERENCES "agencies"("agency_id")'
        elif column == "record_id" and name == "review":
            definition += ' REFERENCES "records"("record_id")'
        definitions.append(definition)
    con.execute(f"CREATE TABLE {_q(name)} ({', '.join(definitions)})")
    marks = ", ".join("?" for _ in columns)
    for rows in _plain_rows(frame):
        con.executemany(f"INSERT INTO {_q(name)} VALUES ({marks})", rows)
    for column in INDEXES.get(name, ()):
        if column in columns and column != key:
            con.execute(f"CREATE INDEX {_q(f'idx_{name}_{column}')} ON {_q(name)} ({_q(column)})")
    searched = [c for c in FTS_COLUMNS.get(name, ()) if c in columns]
    if searched:
        fts = _q(f"{name}_fts")
        listed = ", ".join(_q(c) for c in searched)
        # content="name" is the form Datasette looks for to offer a search box on the table.
        con.execute(
            f'CREATE VIRTUAL TABLE {fts} USING fts5({listed}, content="{name}", '
            "tokenize='unicode61 remove_diacritics 2')"
        )
        con.execute(f"INSERT INTO {fts} (rowid, {listed}) SELECT rowid, {listed} FROM {_q(name)}")


#: Rows turned into Python values at a time for the SQLite and XLSX writers: a million rows
#: at once held every cell of the table as a Python object.
ROWS_AT_A_TIME = 20_000


def _plain_rows(frame: pd.DataFrame) -> Iterator[list[tuple[object, ...]]]:
    """The frame's rows as tuples of plain values (missing as None), a chunk at a time."""
    for start in range(0, len(frame), ROWS_AT_A_TIME):
        part = frame.iloc[start : start + ROWS_AT_A_TIME]
        # Each column turned into Python values with missing ones as None in one step, then
        # zipped into rows: half the time of a whole-frame astype(object).where(notna).
        columns = [
            part.iloc[:, k].array.to_numpy(dtype=object, na_value=None).tolist()
            for k in range(part.shape[1])
        ]
        yield list(zip(*columns, strict=True)) if columns else [() for _ in range(len(part))]


def datasette_metadata(tables: Tables, run: dict[str, object]) -> dict[str, object]:
    """Return Datasette metadata: title, source, and a description of every table and column."""
    documents = tables["documents"]
    finished = str(run.get("finished", ""))
    inputs = ", ".join(f"{f} (sha256 {h[:12]}…)" for f, h in zip(
        documents["source_file"], documents["sha256"], strict=True
    ))  # fmt: skip
    table_notes = {
        "records": "One row per extracted source row or prose mention, with where it came from.",
        "agencies": "One row per resolved agency: variants, totals per metric, date span.",
        "documents": "One row per input file, failures included, with its SHA-256.",
        "review": "Rows and merges foialog was not sure of, for a person to check.",
        "agencies_monthly": "Each agency's records and counts per month and metric.",
    }
    described: dict[str, object] = {}
    for name, frame in tables.items():
        entry: dict[str, object] = {
            "description": table_notes.get(name, ""),
            "source": f"foialog {run.get('foialog_version', __version__)} run of "
            f"{len(documents)} input file(s); see the documents table for their SHA-256",
            "columns": {str(c): text for c in frame.columns if (text := describe(name, str(c)))},
        }
        if name in FACETS:
            entry["facets"] = [c for c in FACETS[name] if c in frame.columns]
        if name == "agencies":
            entry["label_column"] = "agency"
        described[name] = entry
    return {
        "title": "foialog: which agency, how many, when, and where each value came from",
        "description": (
            f"{len(tables['records']):,} records and {len(tables['agencies']):,} agencies "
            f"extracted by foialog from {len(documents)} file(s)"
            + (f", run finished {finished}" if finished else "")
            + f". Inputs: {inputs}."
        ),
        "source": f"foialog {run.get('foialog_version', __version__)}",
        "databases": {"foialog": {"tables": described}},
    }


def write_duckdb(tables: Tables, path: Path) -> Path:
    """Write a DuckDB database with one table per output and a comment on every column."""
    import duckdb

    def write(tmp: Path) -> None:
        # DuckDB will not open the empty placeholder file the atomic writer created.
        tmp.unlink()
        con = duckdb.connect(str(tmp))
        try:
            for name, frame in tables.items():
                con.register("frame", frame)
                con.execute(f"CREATE TABLE {_q(name)} AS SELECT * FROM frame")
                con.unregister("frame")
                for column in frame.columns:
                    text = describe(name, str(column)).replace("'", "''")
                    if text:
                        con.execute(f"COMMENT ON COLUMN {_q(name)}.{_q(str(column))} IS '{text}'")
        finally:
            con.close()

    write_atomic(path, write)
    return path


def run_info(out: Path) -> dict[str, object]:
    """Return the run's run.json as a dict, or {} when the run did not write one."""
    path = out / "run.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _q(identifier: str) -> str:
    """Quote an SQL identifier (column names come from our contract, but metrics from files)."""
    return '"' + identifier.replace('"', '""') + '"'


def _width(values: pd.Series, column: str) -> float:
    longest = max([len(column), *(len(str(v)) for v in values.head(200))])
    return float(min(max(longest, 6) + 2, 50))


def _excel_date(text: str) -> dt.datetime | None:
    """An ISO date (YYYY-MM-DD, YYYY-MM or YYYY) as the datetime of its first day, or None."""
    if len(text) not in _DATE_FORMATS:
        return None
    try:
        return dt.datetime.strptime(text, {10: "%Y-%m-%d", 7: "%Y-%m", 4: "%Y"}[len(text)])
    except ValueError:
        return None


def _fit_cell(text: str) -> str:
    if len(text) <= XLSX_MAX_CHARS:
        return text
    marker = " … [cut: Excel holds 32,767 characters a cell; the full text is in the CSV]"
    return text[: XLSX_MAX_CHARS - len(marker)] + marker
