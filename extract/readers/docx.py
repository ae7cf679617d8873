"""Word documents (.docx): every table as a Table, the paragraphs as prose."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError

from foialog.errors import ReadError
from foialog.extract.blocks import Blocks, CellValue, Table, Text
from foialog.extract.readers.containers import check_zip_expansion


def read_docx(path: Path, name: str, password: str | None) -> Blocks:
    """Read a .docx file's tables (merged cells repeated) and its body paragraphs."""
    check_zip_expansion(path, name)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(
            f"{name}: not a readable Word document ({exc}); re-save it as .docx"
        ) from exc
    tables: list[Table] = []
    for number, table in enumerate(document.tables, start=1):
        numbered: list[tuple[int, list[CellValue]]] = []
        for r, row in enumerate(table.rows, start=1):
            # python-docx repeats a merged cell's text in every grid slot it covers.
            cells: list[CellValue] = [c.text.strip() or None for c in row.cells]
            if any(v is not None for v in cells):
                numbered.append((r, cells))
        if numbered:
            tables.append(
                Table(
                    rows=[cells for _, cells in numbered],
                    row_numbers=[r for r, _ in numbered],
                    sheet=f"table {number}",
                    method="table",
                )
            )
    paragraphs = [p.text.strip() for p in document.paragraphs]
    text = "\n".join(p for p in paragraphs if p)
    core = document.core_properties
    date = (
        (core.created or core.modified).date().isoformat()
        if (core.created or core.modified)
        else ""
    )
    texts = [Text(text=text, label="paragraphs", document_date="")] if text else []
    notes = [f"document properties dated {date} (not used as the text's date)"] if date else []
    return Blocks(tables=tables, texts=texts, notes=notes)
