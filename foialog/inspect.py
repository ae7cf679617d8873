"""What foialog sees in one file: type, tables, header row, each column's role and why."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from foialog.extract.document import extract_document, read_blocks
from foialog.extract.hints import Hint, hints_csv
from foialog.extract.options import ReadOptions
from foialog.extract.readers.containers import CONTAINER_TYPES, ContainerLimits, iter_members
from foialog.extract.sources import Source, sniff
from foialog.extract.tables.view import TableView, view_table
from foialog.extract.text.logs import LINE_LOG_TYPES, describe_file_log


@dataclass(frozen=True)
class Inspection:
    """The detected type of a file and how each of its tables is understood."""

    path: Path
    detected_type: str
    views: list[TableView]
    #: How the file reads as a line log (format, organisation, action, failures, time); empty
    #: for types that are never line logs.
    log: list[str] = field(default_factory=list)
    #: Events a run reads from the file as an event log (0 when it is not one).
    events: int = 0
    #: The file's name in the outputs: "dump.mbox > message 3 > usage.csv" for a member.
    name: str = ""
    #: For a container (mbox, eml, msg, zip): what is inside, each member inspected in turn.
    members: list[Member] = field(default_factory=list)

    def table_count(self) -> int:
        """Tables with rows in the file and in every member inside it."""
        inside = sum(m.found.table_count() for m in self.members if m.found is not None)
        return len(self.views) + inside

    def event_count(self) -> int:
        """Events of event logs in the file and in every member inside it."""
        inside = sum(m.found.event_count() for m in self.members if m.found is not None)
        return self.events + inside


@dataclass(frozen=True)
class Member:
    """One member of a container: how it reads, or why it was not read."""

    name: str
    found: Inspection | None
    refused: str = ""


def inspect_file(
    path: Path,
    *,
    password: str | None = None,
    options: ReadOptions | None = None,
    name: str | None = None,
    depth: int = 0,
) -> Inspection:
    """Read one file and return its layout and column roles without writing anything.

    ``options`` (password, hints ...) wins over ``password`` when both are given. A container's
    members are inspected as a run reads them, each under ``name > member``.
    """
    name = name or path.name
    options = options or ReadOptions(password=password)
    mine = options.for_file(name)
    kind = sniff(path)
    blocks = read_blocks(path, kind, name=name, options=mine)
    events = 0
    if kind in LINE_LOG_TYPES:
        # The records a run would read: a log's events are counted where the run counts them.
        read = extract_document(Source(path=path, name=name), mine)
        events = sum(int(r.count or 0) for r in read.records if r.method == "log")
    members = _members(path, kind, name, options, depth) if kind in CONTAINER_TYPES else []
    return Inspection(
        path=path,
        detected_type=kind,
        views=[view_table(t, mine.hints) for t in blocks.tables if t.rows],
        log=describe_file_log(path, kind),
        events=events,
        name=name,
        members=members,
    )


def _members(path: Path, kind: str, name: str, options: ReadOptions, depth: int) -> list[Member]:
    """Each member of a container, inspected from a temporary copy (as the run reads it)."""
    limits = ContainerLimits()
    if depth >= limits.max_depth:
        return []
    found: list[Member] = []
    with tempfile.TemporaryDirectory(prefix="foialog-inspect-") as tmp:
        for number, member in enumerate(iter_members(path, kind, name=name, limits=limits), 1):
            label = f"{name} > {member.label}"
            if member.data is None:
                found.append(Member(label, None, member.refused))
                continue
            # Our own file name, never the member's: a hostile name cannot escape tmp.
            inner = Path(tmp) / f"member-{number}"
            inner.write_bytes(member.data)
            inspected = inspect_file(inner, options=options, name=label, depth=depth + 1)
            found.append(Member(label, inspected))
            inner.unlink()
    return found


def header_row(view: TableView) -> str:
    """The header row as the source numbers rows (records.csv's row, a hint's header_row)."""
    table, layout = view.table, view.layout
    if layout.header_index is None:
        return "none"
    number = table.row_numbers[layout.header_index]
    if number:
        return f"row {number}"
    # PDF and scan tables number their data rows on each page; a header row has no number.
    first = next((table.row_numbers[i] for i in layout.data if table.row_numbers[i]), None)
    pages = table.row_pages or [table.page or 0] * len(table.rows)
    page = pages[layout.header_index] if layout.header_index < len(pages) else 0
    where = f" on page {page}" if page else ""
    return f"the row above data row {first}{where}" if first else f"the first row{where}"


def table_pages(view: TableView) -> str:
    """The page or pages a table is on ("page 3", "pages 1-4"), or "" for sheets and text."""
    table = view.table
    pages = sorted(set(table.row_pages)) if table.row_pages else []
    if not pages and table.page:
        pages = [table.page]
    if not pages:
        return ""
    if len(pages) == 1:
        return f"page {pages[0]}"
    return f"pages {pages[0]}-{pages[-1]}"


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
                    # A PDF's header row has no number (0): the hint names the columns alone.
                    header_row=header_row or None,
                    note=f"confidence {role.confidence:.2f}: {role.reason}",
                )
            )
    return hints_csv(hints)
