"""CSV and TSV files: encoding detection, delimiter sniffing, rows as text."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from entities.errors import ReadError
from extract.blocks import CellValue, Table
from extract.textfile import decode_text, detect_encoding

#: Delimiters tried, in order of preference when two fit equally well.
DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 50


@dataclass(frozen=True)
class Delimited:
    """A delimited text file read as a table of strings, with what was detected."""

    table: Table
    encoding: str
    delimiter: str


def detect_delimiter(text: str) -> str | None:
    """Return the delimiter that splits the first lines into the most consistent columns."""
    # csv.Sniffer guesses from character frequencies and often picks a letter or a space on
    # short exports; counting parsed field widths per candidate is simpler and predictable.
    lines = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    if not lines:
        return None
    best: tuple[float, str] | None = None
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        width, freq = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = freq / len(widths) + min(width, 20) / 100
        if best is None or score > best[0]:
            best = (score, delimiter)
    if best is None or best[0] < 0.6:
        return None
    return best[1]


def read_delimited(path: Path, *, name: str | None = None) -> Delimited:
    """Read a CSV/TSV file into a Table of strings; raise ReadError naming the file."""
    label = name or path.name
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"{label}: the file is empty; nothing to read")
    encoding = detect_encoding(data)
    if encoding is None:
        raise ReadError(f"{label}: the bytes are not text in any encoding foialog knows")
    text = decode_text(data, encoding)
    nul = text.find("\x00")
    if nul >= 0:
        raise ReadError(
            f"{label}: NUL byte at character {nul} of a {encoding} text file; the file is "
            "binary or corrupt. Open it in a text editor, remove the NUL bytes, and run again"
        )
    delimiter = detect_delimiter(text)
    if delimiter is None:
        raise ReadError(
            f"{label}: no delimiter among {', '.join(repr(d) for d in DELIMITERS)} splits the "
            "lines into columns; it is plain text, not a table"
        )
    rows: list[list[CellValue]] = []
    numbers: list[int] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        for index, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                cells: list[CellValue] = list(row)
                rows.append(cells)
                numbers.append(index)
    except csv.Error as exc:
        raise ReadError(f"{label}: malformed CSV near record {reader.line_num}: {exc}") from exc
    table = Table(rows=rows, row_numbers=numbers, method="sheet")
    return Delimited(table=table, encoding=encoding, delimiter=delimiter)
