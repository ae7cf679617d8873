"""The tools a reporter reaches for today, each wrapped the way one would in an afternoon.

A peer turns a file into raw tables (lists of rows of text); ``afternoon_records`` then does
what a data journalist's script does with them: find the header by keywords, take the first
column that looks like the agency, the count and the date, parse the count with a regex and the
date with dateutil. Nothing here knows foialog's code; bench/peers.py runs the peers beside
foialog on the same files, and tests/corpus/test_peers.py keeps every wrapper working.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from dateutil import parser as dateparser

#: A table as a peer returns it: rows of cell text.
Rows = list[list[str]]
#: A peer: a file -> its tables.
PeerReader = Callable[[Path], list[Rows]]

# The keywords of an afternoon's script, with the words a reporter adds after opening a file
# in French, German, Spanish, Italian, Dutch or Portuguese.
_AGENCY = re.compile(
    r"agenc|organi[sz]|organ|client|customer|kunde|department|entity|requester|name|company|"
    r"employer|payee|contractor|station|behörde|beh.rde|dienst|ente\b|amministrazione|"
    r"autorit|instan|organismo|órgão|orgao|cliente|state|country",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"search|quer|count|total|number|hits|requests|amount|checks|quantity|#|recherch|requ.te|"
    r"suche|anfrage|abfrage|anzahl|b.squeda|consulta|ricerch|interrogaz|zoek|pesquis|nombre|"
    r"numero|número|aantal|cantidad",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"date|time|month|login|period|day|received|when|datum|fecha|data\b|période|periodo|"
    r"zeitraum|mois|monat|mes\b|mese|maand",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"-?\d[\d,. ]*")


@dataclass(frozen=True)
class Peer:
    """A named peer: what it reads and how."""

    name: str
    #: File suffixes it reads (".pdf"; ".csv", ".xlsx" for pandas).
    suffixes: tuple[str, ...]
    read: PeerReader
    #: Why it cannot run on this machine ("" when it can).
    missing: str = ""


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return " ".join(str(value).split())


def _frame_rows(frame: pd.DataFrame, with_header: bool = False) -> Rows:
    rows = [[_text(v) for v in row] for row in frame.itertuples(index=False)]
    if with_header:
        rows.insert(0, [_text(c) for c in frame.columns])
    return rows


def camelot_tables(path: Path) -> list[Rows]:
    """Camelot, lattice first; stream when lattice finds no table (its docs' advice)."""
    import camelot

    with contextlib.redirect_stderr(io.StringIO()):
        tables = camelot.read_pdf(str(path), pages="all", flavor="lattice")
        if not tables.n:
            tables = camelot.read_pdf(str(path), pages="all", flavor="stream")
    return [_frame_rows(t.df) for t in tables]


def pdfplumber_tables(path: Path) -> list[Rows]:
    """pdfplumber extract_tables(), ruling lines first; the text strategy when none is found."""
    import pdfplumber

    found: list[Rows] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables = page.extract_tables()
            if not tables:
                tables = page.extract_tables(
                    {"vertical_strategy": "text", "horizontal_strategy": "text"}
                )
            found.extend([[_text(c) for c in row] for row in table] for table in tables)
    return found


def tabula_tables(path: Path) -> list[Rows]:
    """tabula-py read_pdf over all pages, its own lattice/stream guess (a JVM behind it)."""
    import tabula

    frames = tabula.read_pdf(
        str(path), pages="all", multiple_tables=True, pandas_options={"header": None}
    )
    return [_frame_rows(f) for f in frames]


def pandas_tables(path: Path) -> list[Rows]:
    """pandas: read_csv with the delimiter sniffed, read_excel for every sheet."""
    if path.suffix.lower() in {".xlsx", ".xls", ".xlsm", ".ods", ".xlsb"}:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="calamine")
        return [_frame_rows(f) for f in sheets.values()]
    raw = path.read_bytes()
    # UTF-16 only with its byte-order mark: almost any even run of bytes decodes as UTF-16.
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("latin-1")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=None,
            engine="python",
            header=None,
            dtype=str,
            on_bad_lines="skip",
        )
    except (pd.errors.ParserError, csv.Error):
        # The sniffer gave up: take the delimiter that splits the most lines, as one would.
        sep = max(",;\t|", key=lambda d: sum(line.count(d) for line in text.splitlines()[:50]))
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, on_bad_lines="skip")
    return [_frame_rows(frame)]


def _java_missing() -> str:
    return "" if shutil.which("java") else "no java on PATH (tabula-py runs a JVM)"


def _module_missing(name: str) -> str:
    try:
        __import__(name)
    except ImportError:
        return f"{name} is not installed (pip install -e '.[bench]')"
    return ""


def peers() -> list[Peer]:
    """Every peer, with the reason it cannot run here where it cannot."""
    return [
        Peer("camelot", (".pdf",), camelot_tables, _module_missing("camelot")),
        Peer("pdfplumber", (".pdf",), pdfplumber_tables, _module_missing("pdfplumber")),
        Peer("tabula", (".pdf",), tabula_tables, _module_missing("tabula") or _java_missing()),
        Peer("pandas", (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods"), pandas_tables),
    ]


#: docling is not run: its table model is fetched from a model hub on first use.
DOCLING_NOTE = "docling: not run, its layout and table models are downloaded on first use"


def _header_index(rows: Rows) -> int | None:
    """The first row with an agency-like and a count- or date-like header cell."""
    for i, row in enumerate(rows[:15]):
        cells = [c for c in row if c]
        if len(cells) < 2 or any(_NUMBER.fullmatch(c) for c in cells):
            continue
        if any(_AGENCY.search(c) for c in cells) and any(
            _COUNT.search(c) or _DATE.search(c) for c in cells
        ):
            return i
    return None


def _share(rows: Rows, column: int, test: Callable[[str], bool]) -> float:
    """Share of the non-empty cells of a column that pass a test (a glance at the data)."""
    cells = [r[column] for r in rows if column < len(r) and r[column]]
    return sum(map(test, cells)) / len(cells) if cells else 0.0


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.strip()))


def _row_numbers(rows: Rows, column: int) -> bool:
    """1, 2, 3 ... down the column: the row number, not a count."""
    cells = [r[column] for r in rows if column < len(r) and r[column]]
    return len(cells) > 2 and cells == [str(i) for i in range(1, len(cells) + 1)]


def _columns(header: list[str], body: Rows) -> tuple[int | None, int | None, int | None]:
    """Agency, count and date columns: header keywords, checked against a glance at the values
    (an agency column holds words, a count column numbers that are not 1, 2, 3 ..., a date
    column dates), as one does after opening the file."""

    def pick(pattern: re.Pattern[str], fits: Callable[[int], bool], taken: set[int]) -> int | None:
        keyed = [i for i, h in enumerate(header) if i not in taken and pattern.search(h)]
        return next((i for i in keyed if fits(i)), keyed[0] if keyed else None)

    agency = pick(_AGENCY, lambda i: _share(body, i, lambda c: not _is_number(c)) >= 0.8, set())
    if agency is None:
        return None, None, None
    count = pick(
        _COUNT,
        lambda i: _share(body, i, _is_number) >= 0.8 and not _row_numbers(body, i),
        {agency},
    )
    taken = {agency} | ({count} if count is not None else set())
    date = pick(_DATE, lambda i: _share(body, i, lambda c: bool(_date(c))) >= 0.8, taken)
    return agency, count, date


def _count(text: str) -> int | None:
    match = _NUMBER.search(text)
    if not match:
        return None
    digits = re.sub(r"[^\d-]", "", match.group())
    try:
        return int(digits)
    except ValueError:
        return None


def _date(text: str) -> str:
    if not text or not re.search(r"\d", text):
        return ""
    try:
        return dateparser.parse(text, fuzzy=True).date().isoformat()
    except (ValueError, OverflowError):
        return ""


def _title_date(rows: Rows) -> str:
    """A date printed above the header ("Report for June 2024"), for every row below it."""
    for row in rows:
        for cell in row:
            if re.search(r"\b(19|20)\d\d\b", cell):
                found = _date(cell)
                if found:
                    return found
    return ""


def afternoon_records(tables: list[Rows], source_file: str) -> list[dict[str, object]]:
    """(agency, count, date) rows from raw tables, by header keywords, as a script would.

    A table without a header continues the last one when it has as many columns (the same
    table on the next page), as ``pd.concat`` of a document's tables would.
    """
    records: list[dict[str, object]] = []
    last: tuple[int, int | None, int | None, int | None, str] | None = None
    for rows in tables:
        h = _header_index(rows)
        if h is not None:
            agency, count, date = _columns(rows[h], rows[h + 1 :])
            if agency is None:
                continue
            width = max(len(r) for r in rows)
            last = (width, agency, count, date, _title_date(rows[:h]))
            body = rows[h + 1 :]
        elif last is not None and max((len(r) for r in rows), default=0) == last[0]:
            body = rows
        else:
            continue
        _, agency, count, date, titled = last
        assert agency is not None
        for row in body:
            name = row[agency] if agency < len(row) else ""
            if not name or name.casefold().startswith("total"):
                continue
            records.append(
                {
                    "source_file": source_file,
                    "agency_raw": name,
                    "count": _count(row[count]) if count is not None and count < len(row) else None,
                    "date": _date(row[date]) if date is not None and date < len(row) else titled,
                    "row_type": "data",
                }
            )
    return records
