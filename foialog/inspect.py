"""What foialog sees in one file: type, tables, header row, each column's role and why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.document import TableView, read_blocks, view_table
from extract.sources import sniff


@dataclass(frozen=True)
class Inspection:
    """The detected type of a file and how each of its tables is understood."""

    path: Path
    detected_type: str
    views: list[TableView]


def inspect_file(path: Path, *, password: str | None = None) -> Inspection:
    """Read one file and return its layout and column roles without writing anything."""
    kind = sniff(path)
    blocks = read_blocks(path, kind, name=path.name, password=password)
    return Inspection(
        path=path, detected_type=kind, views=[view_table(t) for t in blocks.tables if t.rows]
    )
