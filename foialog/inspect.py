"""What foialog sees in one file: type, tables, header row, each column's role and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extract.document import TableView, read_blocks, view_table
from extract.hints import Hint, hints_csv
from extract.logs import describe_file_log
from extract.options import ReadOptions
from extract.sources import sniff


@dataclass(frozen=True)
class Inspection:
    """The detected type of a file and how each of its tables is understood."""

    path: Path
    detected_type: str
    views: list[TableView]
    #: How the file reads as a line log (format, organisation, action, failures, time); empty
    #: for types that are never line logs.
    log: list[str] = field(default_factory=list)


def inspect_file(
    path: Path, *, password: str | None = None, options: ReadOptions | None = None
) -> Inspection:
    """Read one file and return its layout and column roles without writing anything.

    ``options`` (password, hints ...) wins over ``password`` when both are given.
    """
    options = (options or ReadOptions(password=password)).for_file(path.name)
    kind = sniff(path)
    blocks = read_blocks(path, kind, name=path.name, options=options)
    return Inspection(
        path=path,
        detected_type=kind,
        views=[view_table(t, options.hints) for t in blocks.tables if t.rows],
        log=describe_file_log(path, kind),
    )


def hints_for(found: Inspection) -> str:
    """A hints CSV stating the roles foialog chose for a file, ready to edit and pass back."""
    hints = []
    for view in found.views:
        table, layout = view.table, view.layout
        header_row = (
            table.row_numbers[layout.header_index] if layout.header_index is not None else None
        )
        where = {"sheet": table.sheet or ""}
        for role in view.roles:
            if role.role == "other":
                continue
            order = "" if role.dayfirst is None else ("dmy" if role.dayfirst else "mdy")
            hints.append(
                Hint(
                    file=found.path.name,
                    sheet=where["sheet"],
                    column=role.header if header_row is not None else f"#{role.index + 1}",
                    role=role.role,
                    metric=role.metric,
                    date_order=order,
                    header_row=header_row,
                    note=f"confidence {role.confidence:.2f}: {role.reason}",
                )
            )
    return hints_csv(hints)
