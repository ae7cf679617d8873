"""CSV and TSV files: encoding, delimiter, table or prose, one Table per stacked table."""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from foialog.errors import ReadError
from foialog.extract.blocks import Blocks, CellValue, Table
from foialog.extract.options import ReadOptions
from foialog.extract.text.encoding import decode_file, strip_http_header

#: Delimiters tried, in order of preference when two fit equally well.
DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 60
#: Share of the lines of two or more fields that must have the most common field count.
_MIN_TABLE_SHARE = 0.6
#: Largest cell read (bytes); the csv module's default of 128 KiB refuses long descriptions.
_FIELD_LIMIT = 16 * 1024 * 1024
_NUMBER = re.compile(r"^[-+(]?[$€£¥]?\s*\d[\d,.\s']*%?\)?$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")
_NONE = frozenset({"", "-", "–", "—", "n/a", "na", "none", "null"})
_SENTENCE_END = re.compile(r"[^\W_][.!?][\"'”’)]?$")
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Words from which a line ending in a full stop is a sentence, not a row.
_SENTENCE_WORDS = 10


@dataclass(frozen=True)
class Delimited:
    """A delimited text file read as tables of strings, with what was detected."""

    tables: list[Table]
    encoding: str
    delimiter: str
    #: Things to say in documents.csv (a text that still reads like mojibake).
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> Table:
        """The first (usually the only) table."""
        return self.tables[0]


def detect_delimiter(text: str) -> str | None:
    """Return the delimiter that splits the first lines into a table, or None for prose.

    A table's lines share a field count (runs of lines with the same count cover most of
    them) and a field structure (a column of numbers or dates, or short cells); paragraphs of
    sentences are prose whatever commas, quotes or semicolons they hold.
    """
    # csv.Sniffer guesses from character frequencies and often picks a letter or a space on
    # short exports, and it takes prose with commas for a table; it is not used.
    lines = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    if not lines:
        return None
    scores: dict[str, float] = {}
    for delimiter in DELIMITERS:
        if not any(delimiter in line for line in lines):
            continue
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        score = _table_score(rows)
        if score is not None:
            scores[delimiter] = score
    if len(scores) > 1 and "," in scores and _commas_group_digits(lines):
        del scores[","]  # "4,085|IL|Active|...": the commas are thousands separators
    return max(scores, key=lambda d: scores[d]) if scores else None


_NUL_LINES = re.compile(r"(?m)^\x00+\r?\n?")
_GROUPING_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _commas_group_digits(lines: Sequence[str]) -> bool:
    """Whether most of the commas outside quotes stand between a digit and three digits."""
    unquoted = [re.sub(r'"[^"]*"', "", line) for line in lines]
    commas = sum(line.count(",") for line in unquoted)
    grouping = sum(len(_GROUPING_COMMA.findall(line)) for line in unquoted)
    return commas > 0 and grouping >= 0.5 * commas


def _table_score(rows: Sequence[Sequence[str]]) -> float | None:
    """How well rows split by one delimiter form a table (None: they do not).

    Lines of one field (titles, banners, group labels) neither count for nor against; most
    other lines share one field count, and those lines have a table's field structure.
    """
    multi = [row for row in rows if len(row) >= 2]
    if len(multi) < 2 or len(multi) < 0.5 * len(rows):
        return None
    width, freq = Counter(len(row) for row in multi).most_common(1)[0]
    if freq < 2 or freq < _MIN_TABLE_SHARE * len(multi):
        return None
    main = [row for row in multi if len(row) == width]
    # The rows of that field count hold most of the text of the lines of several fields: a
    # headline and a byline sharing a comma count beside one long paragraph are not a table.
    if _chars(main) < 0.5 * _chars(multi) or not _has_table_structure(main, rows):
        return None
    return freq / len(rows) + min(width, 20) / 100


def _has_table_structure(run: Sequence[Sequence[str]], lines: Sequence[Sequence[str]]) -> bool:
    """A column of numbers or dates under the first row, or short cells that are not clauses;
    never lines that are mostly long sentences (a story's paragraphs cut at its commas).
    ``run``: the rows of the most common field count; ``lines``: every line sniffed."""
    if _sentences(run) >= 0.5 * len(run):
        return False
    body = [row for row in run[1:] if any(cell.strip() for cell in row)] or list(run)
    for column in zip(*body, strict=False):
        cells = [c.strip() for c in column if c.strip().lower() not in _NONE]
        # Two values at least: one number after a comma is as likely a clause's ("7,189").
        if len(cells) >= 2 and sum(_is_value(c) for c in cells) >= 0.8 * len(cells):
            return True
    # Without a column of values, paragraphs among the lines make it prose: a headline and a
    # byline share a field count as readily as rows do.
    if _sentences(lines) >= 0.4 * len(lines):
        return False
    words = [len(_WORD.findall(cell)) for row in run for cell in row if cell.strip()]
    if not words or statistics.median(words) > 3:
        return False
    short = sum(bool(_SENTENCE_END.search(",".join(row).strip())) for row in run)
    return short < 0.5 * len(run)


def _chars(rows: Sequence[Sequence[str]]) -> int:
    return sum(len(cell) for row in rows for cell in row)


def _sentences(rows: Sequence[Sequence[str]]) -> int:
    """Rows that end a sentence of ten words or more."""
    return sum(
        bool(_SENTENCE_END.search(",".join(row).strip()))
        and len(_WORD.findall(" ".join(row))) >= _SENTENCE_WORDS
        for row in rows
    )


def _is_value(cell: str) -> bool:
    return bool(_NUMBER.match(cell) or _DATE.match(cell))


def read_delimited(path: Path, *, name: str | None = None) -> Delimited:
    """Read a CSV/TSV file into Tables of strings; raise ReadError naming the file."""
    label = name or path.name
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"{label}: the file is empty; nothing to read")
    decoded = decode_file(data, label)
    # A CSV saved with its HTTP response header in front (curl -i): the body is the table.
    text = strip_http_header(decoded.text.lstrip("\ufeff"))
    notes = [decoded.note] if decoded.note else []
    blocks = len(_NUL_LINES.findall(text))
    if blocks:
        text = _NUL_LINES.sub("", text)
        notes.append(f"{blocks} line(s) of NUL bytes alone (a zero-filled block) left out")
    nul = text.find("\x00")
    if nul >= 0:
        raise ReadError(
            f"{label}: NUL byte at character {nul} of a {decoded.encoding} text file; the file "
            "is binary or corrupt. Open it in a text editor, remove the NUL bytes, and run again"
        )
    delimiter = detect_delimiter(text)
    if delimiter is None:
        raise ReadError(
            f"{label}: no delimiter among {', '.join(repr(d) for d in DELIMITERS)} splits the "
            "lines into columns; it is plain text, not a table"
        )
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ReadError(
            f"{label}: malformed CSV near line {reader.line_num}: {exc}; check the quoting "
            "there (an unclosed quote runs to the end of the file)"
        ) from exc
    tables = split_tables(rows)
    if len(tables) > 1:
        notes.append(
            f"{len(tables)} tables stacked in one file, each opened by a title line after "
            f"blank rows: {'; '.join(t.sheet or '' for t in tables)}"
        )
    return Delimited(tables=tables, encoding=decoded.encoding, delimiter=delimiter, notes=notes)


def split_tables(rows: Sequence[Sequence[str]]) -> list[Table]:
    """Cut rows into the tables stacked in them: a new table opens after blank rows with a
    title line (one filled cell) followed by a row of two or more filled cells."""
    filled = [sum(1 for c in row if c.strip()) for row in rows]
    starts = [0]
    for i in range(1, len(rows) - 1):
        after_blank = filled[i - 1] == 0
        if after_blank and filled[i] == 1 and filled[i + 1] >= 2 and rows[i][0].strip():
            starts.append(i)
    bounds = [*starts, len(rows)]
    tables: list[Table] = []
    for start, end in pairwise(bounds):
        cells: list[list[CellValue]] = []
        numbers: list[int] = []
        for index in range(start, end):
            if filled[index]:
                cells.append(list(rows[index]))
                numbers.append(index + 1)
        if not cells:
            continue
        title = rows[start][0].strip() if len(starts) > 1 and filled[start] == 1 else ""
        sheet = (title or f"table {len(tables) + 1}") if len(starts) > 1 else None
        tables.append(Table(rows=cells, row_numbers=numbers, sheet=sheet, method="sheet"))
    return tables or [Table(rows=[], row_numbers=[], method="sheet")]


def read_csv(path: Path, name: str, options: ReadOptions) -> Blocks:
    """The reader for sniffed CSV/TSV files: every stacked table, notes for documents.csv."""
    read = read_delimited(path, name=name)
    return Blocks(tables=read.tables, notes=read.notes)
