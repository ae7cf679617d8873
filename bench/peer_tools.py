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
import datetime as dt
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pandas as pd
from dateutil import parser as dateparser

#: A table as a peer returns it: rows of cell text.
Rows = list[list[str]]
#: A peer: a file -> its tables.
PeerReader = Callable[[Path], list[Rows]]

# The keywords of an afternoon's script, with the words a reporter adds after opening a file
# in French, German, Spanish, Italian, Dutch or Portuguese. Each role's keywords in groups, the
# likeliest first: the script takes the first column a keyword of the earliest group names, so
# "Agency" wins over "State" (the state is the agency only where no agency column is printed,
# as in the NICS tables) and "Searches" over "Acct #".
_AGENCY = (
    re.compile(
        r"agenc|organi[sz]|organ|behörde|beh.rde|dienst|instan|entidad|ente\b|amministrazione|"
        r"administration|autorit|organismo|órgão|orgao|department|dependencia|institui|requester",
        re.IGNORECASE,
    ),
    re.compile(
        r"client|customer|kunde|klant|entity|name|nom\b|company|employer|payee|contractor|"
        r"station|service",
        re.IGNORECASE,
    ),
    re.compile(r"state|country", re.IGNORECASE),
)
_COUNT = (
    re.compile(
        r"search|quer|request|hits|recherch|requ.te|demande|such|anfrage|abfrage|treffer|"
        r"b.squeda|consulta|solicitud|ricerch|interrogaz|richiest|zoek|bevraging|verzoek|"
        r"pesquis|pedido",
        re.IGNORECASE,
    ),
    re.compile(
        r"count|total|number|checks|quantity|amount|anzahl|nombre|numero|número|aantal|"
        r"cantidad|#",
        re.IGNORECASE,
    ),
)
_DATE = (
    re.compile(
        r"date|datum|fecha|data\b|period|período|zeitraum|month|mois|monat|mes\b|mese|maand|"
        r"day|time|login|received|when|last activ",
        re.IGNORECASE,
    ),
)
#: Month names of those languages, for dateutil (which knows the English ones).
_MONTH_NAMES = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "januari februari maart april mei juni juli augustus september oktober november december",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
)
#: Total and subtotal rows, by the word that starts a cell of the row.
_TOTAL = re.compile(r"(grand |sub|sous-|zwischen|eind)?(total|totaal|summe|gesamt)", re.IGNORECASE)
#: A day-first date: "14/03/2024", "05.03.2024".
_DMY = re.compile(r"\s*(\d{1,2})([./])\d{1,2}\2\d{2,4}")


class _Months(dateparser.parserinfo):
    """dateutil's parser, with the month names of the languages above."""

    MONTHS: ClassVar[list[tuple[str, ...]]] = [
        (*english, *(names.split()[i] for names in _MONTH_NAMES))
        for i, english in enumerate(dateparser.parserinfo.MONTHS)
    ]


_PARSER = dateparser.parser(_Months())
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


def _titled(path: Path, tables: list[Rows]) -> list[Rows]:
    """The tables, after the first page's text lines above the first of them as a one-column
    table: the title a table finder leaves out ("Searches by agency, March 2024"), which a
    script reads for the period of every row."""
    import pypdfium2 as pdfium

    first = next((row for table in tables for row in table if sum(map(bool, row)) >= 2), None)
    if first is None:
        return tables
    document = pdfium.PdfDocument(path)
    try:
        text = document[0].get_textpage().get_text_range() if len(document) else ""
    finally:
        document.close()
    lines = [line for line in (" ".join(t.split()) for t in text.splitlines()) if line]
    return [_above(lines, first), *tables]


def camelot_tables(path: Path) -> list[Rows]:
    """Camelot, lattice first; stream when lattice finds no table (its docs' advice)."""
    import camelot

    with contextlib.redirect_stderr(io.StringIO()):
        tables = camelot.read_pdf(str(path), pages="all", flavor="lattice")
        if not tables.n:
            tables = camelot.read_pdf(str(path), pages="all", flavor="stream")
    return _titled(path, [_frame_rows(t.df) for t in tables])


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
    return _titled(path, found)


def tabula_tables(path: Path) -> list[Rows]:
    """tabula-py read_pdf over all pages, its own lattice/stream guess (a JVM behind it)."""
    import tabula

    # Cells as text: with pandas' guess a count column with a blank cell turns float ("87.0").
    frames = tabula.read_pdf(
        str(path),
        pages="all",
        multiple_tables=True,
        pandas_options={"header": None, "dtype": str},
        silent=True,
    )
    return _titled(path, [_frame_rows(f) for f in frames])


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
        sep = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
    except csv.Error:
        # The sniffer gave up: take the delimiter that splits the most lines, as one would.
        sep = max(",;\t|", key=lambda d: sum(line.count(d) for line in text.splitlines()[:50]))
    # Title lines above the table hold fewer fields than its rows: name every column, or
    # pandas takes the first line's width and skips the table's rows as bad lines.
    width = max((len(row) for row in csv.reader(io.StringIO(text), delimiter=sep)), default=1)
    frame = pd.read_csv(
        io.StringIO(text),
        sep=sep,
        header=None,
        names=range(width),
        dtype=str,
        keep_default_na=False,
        engine="python",
    )
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


def _header(rows: Rows) -> tuple[int, list[str]] | None:
    """The first row with an agency-like and a count- or date-like header cell, and its cells;
    where no row has both, a header printed on two lines ("Organisation" over "Searches") is
    the two rows joined cell by cell."""
    for span in (1, 2):
        for i in range(min(len(rows), 15)):
            if i + span > len(rows):
                continue
            width = max(len(r) for r in rows[i : i + span])
            joined = [
                " ".join(r[j] for r in rows[i : i + span] if j < len(r) and r[j])
                for j in range(width)
            ]
            cells = [c for r in rows[i : i + span] for c in r if c]
            if sum(map(bool, rows[i])) < 2 or any(_NUMBER.fullmatch(c) for c in cells):
                continue
            # A header's second line finishes the first line's words; a second line that names
            # the agency again is a header under a group row, or a run of merged cells.
            if span == 2 and (not _names(rows[i], _AGENCY) or _names(rows[i + 1], _AGENCY)):
                continue
            if _names(joined, _AGENCY) and (_names(joined, _COUNT) or _names(joined, _DATE)):
                return i + span - 1, joined
    return None


def _names(cells: list[str], keywords: tuple[re.Pattern[str], ...]) -> bool:
    return any(k.search(c) for k in keywords for c in cells)


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

    def pick(
        keywords: tuple[re.Pattern[str], ...],
        fits: Callable[[int], bool],
        taken: set[int],
        fallback: bool = True,
    ) -> int | None:
        """Of the columns the earliest keyword group names, the fullest that fits."""
        keyed = [
            [i for i, h in enumerate(header) if i not in taken and k.search(h)] for k in keywords
        ]
        for group in keyed:
            fitting = [i for i in group if fits(i)]
            if fitting:
                return max(fitting, key=lambda i: (_filled(body, i), -i))
        first = [i for group in keyed for i in group]
        return first[0] if first and fallback else None

    # The agency column holds names (more letters than digits: not an account code "A-68501",
    # not a count under "Organizations"); no fallback to a column that does not. The fullest
    # wins: not a notes column whose header says "if another agency provided the records".
    agency = pick(_AGENCY, lambda i: _share(body, i, _wordy) >= 0.8, set(), fallback=False)
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


def _filled(rows: Rows, column: int) -> int:
    return sum(1 for r in rows if column < len(r) and r[column])


def _wordy(text: str) -> bool:
    return sum(c.isalpha() for c in text) > sum(c.isdigit() for c in text)


def _count(text: str) -> int | None:
    match = _NUMBER.search(text)
    if not match:
        return None
    digits = re.sub(r"[^\d-]", "", match.group())
    try:
        return int(digits)
    except ValueError:
        return None


def _day_first(cells: list[str]) -> bool:
    """A column of dates written day first: a dotted date, or a first number above 12."""
    found = [m for m in map(_DMY.match, cells) if m]
    return any(m.group(2) == "." or int(m.group(1)) > 12 for m in found)


def _date(text: str, dayfirst: bool = False) -> str:
    """The ISO date of a cell; "YYYY-MM" when it prints a month and no day ("March 2024")."""
    if not text or not re.search(r"\d", text):
        return ""
    text = re.sub(r"(\d)\. ", r"\1 ", text)  # "14. März 2024"
    try:
        # dateutil fills what a text leaves out from its default: two defaults tell a month
        # from a day.
        first, second = (
            _PARSER.parse(text, default=dt.datetime(2000, 1, day), fuzzy=True, dayfirst=dayfirst)
            for day in (1, 2)
        )
    except (ValueError, OverflowError):
        return ""
    return first.date().isoformat() if first == second else first.strftime("%Y-%m")


def _title_date(rows: Rows) -> str:
    """A date printed above the header ("Report for June 2024"), for every row below it."""
    for row in rows:
        for cell in row:
            if re.search(r"\b(19|20)\d\d\b", cell):
                found = _date(cell)
                if found:
                    return found
    return ""


def _above(lines: list[str], row: list[str]) -> Rows:
    """The lines of page text above the table's header: those before the first line holding
    the first word of two of the header's cells."""
    words = [c.split()[0] for c in row if c.split()]
    need = min(2, len(words))
    first = next((i for i, line in enumerate(lines) if sum(w in line for w in words) >= need), 0)
    return [[line] for line in lines[:first]]


def afternoon_records(tables: list[Rows], source_file: str) -> list[dict[str, object]]:
    """(agency, count, date) rows from raw tables, by header keywords, as a script would.

    A table without a header continues the last one when it has as many columns (the same
    table on the next page), as ``pd.concat`` of a document's tables would. One-column tables
    before the first header are the page's text: the title's date applies where rows print
    none. Rows that hold a total word, and rows with neither an agency nor a count (spacers),
    are left out; a row with a count and no name (redacted) is kept.
    """
    records: list[dict[str, object]] = []
    text: list[str] = []
    last: tuple[int, int | None, int | None, int | None, str, bool] | None = None
    for rows in tables:
        width = max((len(r) for r in rows), default=0)
        found = _header(rows)
        if found is not None:
            h, header = found
            agency, count, date = _columns(header, rows[h + 1 :])
            if agency is None:
                continue
            body = rows[h + 1 :]
            titled = _title_date(rows[:h]) or _title_date([[line] for line in text])
            dayfirst = date is not None and _day_first([r[date] for r in body if date < len(r)])
            last = (width, agency, count, date, titled, dayfirst)
        elif last is not None and width == last[0]:
            body = rows
        else:
            if width == 1 and last is None:
                text.extend(r[0] for r in rows)
            continue
        _, agency, count, date, titled, dayfirst = last
        assert agency is not None
        joined = False
        for row in body:
            name = row[agency] if agency < len(row) else ""
            number = row[count] if count is not None and count < len(row) else ""
            if (not name and not number) or any(_TOTAL.match(c) for c in row):
                joined = False
                continue
            if joined and sum(map(bool, row)) == 1 and name:
                # A name wrapped onto the next line, which the tool made a row of its own.
                records[-1]["agency_raw"] = f"{records[-1]['agency_raw']} {name}"
                continue
            joined = True
            records.append(
                {
                    "source_file": source_file,
                    "agency_raw": name,
                    "count": _count(number) if number else None,
                    "date": _date(row[date], dayfirst)
                    if date is not None and date < len(row)
                    else titled,
                    "row_type": "data",
                }
            )
    return records
