"""HTML pages: every <table> as a Table, the remaining text as prose."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from entities.errors import ReadError
from extract.blocks import Blocks, CellValue, Table, Text
from extract.textfile import decode_text, detect_encoding

# BeautifulSoup with lxml rather than pandas.read_html: read_html drops the source row order
# of header rows and merges colspans silently, and gives no text outside tables.
_PARSER = "lxml"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section")
_MAX_SPAN = 100


def read_html(path: Path, name: str, password: str | None) -> Blocks:
    """Read an HTML file's tables (one Table each, spans filled) and its text outside them."""
    data = path.read_bytes()
    encoding = detect_encoding(data)
    if encoding is None:
        raise ReadError(f"{name}: HTML with bytes that are not text; is the file damaged?")
    soup = BeautifulSoup(decode_text(data, encoding), _PARSER)
    tables: list[Table] = []
    for number, element in enumerate(soup.find_all("table"), start=1):
        if element.find_parent("table") is not None:
            continue  # a nested layout table is read as part of its outer one
        numbered = _table_rows(element)
        if numbered:
            caption = element.find("caption")
            context = [_clean(caption.get_text(" "))] if isinstance(caption, Tag) else []
            tables.append(
                Table(
                    rows=[row for _, row in numbered],
                    row_numbers=[n for n, _ in numbered],
                    sheet=f"table {number}",
                    context=context,
                    method="table",
                )
            )
        element.decompose()
    text = html_text(str(soup))
    texts = [Text(text=text, label="page text")] if text else []
    return Blocks(tables=tables, texts=texts)


def html_text(markup: str) -> str:
    """Return an HTML fragment's visible text, one line per paragraph or block."""
    soup = BeautifulSoup(markup, _PARSER)
    for hidden in soup(["script", "style", "head", "template", "noscript"]):
        hidden.decompose()
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_after("\n")
    lines = (_clean(line) for line in soup.get_text().splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(line for line in lines if line)).strip()


def _table_rows(table: Tag) -> list[tuple[int, list[CellValue]]]:
    """The table's non-empty rows (1-based <tr> number, cells), spans copied into every slot."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    row_count = 0
    for r, tr in enumerate(tr for tr in table.find_all("tr") if tr.find_parent("table") is table):
        row_count = r + 1
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            text = _clean(cell.get_text(" "))
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
            width = max(width, c)
    rows: list[list[CellValue]] = [
        [grid.get((r, c)) or None for c in range(width)] for r in range(row_count)
    ]
    return [(r + 1, row) for r, row in enumerate(rows) if any(v is not None for v in row)]


def _span(raw: object) -> int:
    try:
        return max(1, min(int(str(raw)), _MAX_SPAN))
    except ValueError:
        return 1


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
