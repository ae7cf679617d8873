"""How `foialog inspect` prints what it found: the file, its members, each table's reading."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from foialog.extract.blocks import raw_text
from foialog.extract.tables.view import TableView
from foialog.inspect import Inspection, header_row, table_pages


def print_inspection(found: Inspection, console: Console, *, title: str = "") -> None:
    """Print a file's type, tables and logs, then each member of a container the same way."""
    name = title or found.name or str(found.path)
    console.print(f"[bold]{escape(name)}[/bold]: {_summary(found)}")
    _print_body(found, console)
    for member in found.members:
        console.print()
        if member.found is None:
            console.print(f"[bold]{escape(member.name)}[/bold]: not read: {escape(member.refused)}")
        else:
            print_inspection(member.found, console)


def _summary(found: Inspection) -> str:
    said = (
        f"detected type [cyan]{found.detected_type}[/cyan], {len(found.views)} table(s) with rows"
    )
    inside = found.table_count() - len(found.views)
    if found.members:
        said += f"; {len(found.members)} member(s) holding {inside} table(s) in all"
    events = found.event_count()
    if events:
        said += f"; {events:,} event(s) read as an event log"
    return said


def _print_body(found: Inspection, console: Console) -> None:
    for line in found.log:
        console.print(f"  log: {escape(line)}")
    for view in found.views:
        _print_view(view, console)


def _print_view(view: TableView, console: Console) -> None:
    table, layout = view.table, view.layout
    where = f"sheet {table.sheet!r}" if table.sheet else "table"
    pages = table_pages(view)
    console.print(
        f"\n[bold]{escape(where)}[/bold]{' on ' + pages if pages else ''}: {len(table.rows)} "
        f"non-empty rows; header {header_row(view)} ({escape(layout.reason)}); "
        f"{len(layout.data)} data rows, {len(layout.totals)} totals rows, "
        f"{len(layout.repeated_headers)} repeated headers"
    )
    for line in layout.title:
        console.print(f"  title: {escape(line)}")
    for said in view.hints:
        console.print(f"  hint: {escape(said)}")
    grid = RichTable("column", "header", "role", "confidence", "reason", "first value")
    first = table.rows[layout.data[0]] if layout.data else []
    for role in view.roles:
        value = raw_text(first[role.index]) if role.index < len(first) else ""
        label = role.role + (f" ({role.metric})" if role.metric else "")
        grid.add_row(
            str(role.index + 1),
            escape(role.header),
            label,
            f"{role.confidence:.2f}",
            escape(role.reason),
            escape(value[:40]),
        )
    console.print(grid)
