"""A table as foialog sees it: its layout, its column roles, the reporter's hints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from foialog.extract.blocks import Table, is_blank, raw_text
from foialog.extract.hints import Hint, column_key
from foialog.extract.tables.layout import Layout, data_columns, find_layout
from foialog.extract.tables.pivot import unpivot_month_year, unpivot_shared_metric
from foialog.extract.tables.roles import ColumnRole, infer_roles, metric_from_text, stated_totals


@dataclass(frozen=True)
class TableView:
    """A table as foialog sees it: layout and column roles, for inspect and for records."""

    table: Table
    layout: Layout
    roles: list[ColumnRole]
    #: The reporter's hints that changed this table, in words ("hints.csv line 2: ...").
    hints: tuple[str, ...] = ()


def view_table(table: Table, hints: Sequence[Hint] = ()) -> TableView:
    """Find a table's layout and its column roles, then apply the reporter's hints to them."""
    mine = [h for h in hints if h.matches_table(table.sheet, table.page)]
    layout = find_layout(table)
    layout, said = _hinted_layout(table, layout, mine)
    long = unpivot_month_year(table, layout)
    if long is not None:
        table, layout = long, find_layout(long)
    roles = _roles(table, layout)
    wide = unpivot_shared_metric(table, layout, roles) if not mine else None
    if wide is not None:
        table, layout = wide, find_layout(wide)
        roles = _roles(table, layout)
    roles, more = _hinted_roles(roles, mine)
    return TableView(table=table, layout=layout, roles=roles, hints=(*said, *more))


def _roles(table: Table, layout: Layout) -> list[ColumnRole]:
    """The column roles of a table's data rows under its layout."""
    columns = data_columns(table, layout)
    return infer_roles(
        layout.header,
        columns,
        headerless=layout.header_index is None,
        totals=[table.rows[i] for i in layout.totals],
        stated=stated_totals([*layout.title, *table.context]),
    )


def _hinted_layout(table: Table, layout: Layout, hints: Sequence[Hint]) -> tuple[Layout, list[str]]:
    """The layout with a hinted header row and hinted rows to skip (source row numbers)."""
    said: list[str] = []
    header_row = next((h for h in hints if h.header_row is not None), None)
    if header_row is not None and header_row.header_row in table.row_numbers:
        index = table.row_numbers.index(header_row.header_row)
        cells = [raw_text(c).strip() for c in table.rows[index]]
        width = max(layout.width, len(cells))
        cells += [""] * (width - len(cells))
        skipped = set(layout.totals) | set(layout.repeated_headers)
        layout = replace(
            layout,
            header_index=index,
            header=tuple(c or f"column {i + 1}" for i, c in enumerate(cells)),
            title=tuple(
                " ".join(raw_text(c) for c in table.rows[i] if not is_blank(c))
                for i in range(index)
            ),
            data=tuple(
                i
                for i in range(index + 1, len(table.rows))
                if i not in skipped and any(not is_blank(c) for c in table.rows[i])
            ),
            totals=tuple(i for i in layout.totals if i > index),
            width=width,
            reason=f"header row {header_row.header_row} set by {header_row.origin}",
        )
        said.append(header_row.describe())
    skip = frozenset().union(*(h.skip_rows for h in hints))
    if skip:
        numbers = table.row_numbers
        layout = replace(layout, data=tuple(i for i in layout.data if numbers[i] not in skip))
        said.extend(h.describe() for h in hints if h.skip_rows)
    return layout, said


def _hinted_roles(
    roles: list[ColumnRole], hints: Sequence[Hint]
) -> tuple[list[ColumnRole], list[str]]:
    """Column roles with the hints' roles, metrics and date orders put over the guesses."""
    said: list[str] = []
    roles = list(roles)
    for hint in hints:
        if hint.column:
            index = _hint_column(hint, roles)
            if index is None:
                continue
            targets = [index]
        elif hint.date_order:
            targets = [r.index for r in roles if r.role == "date"]
        else:
            continue
        for index in targets:
            role = roles[index]
            if hint.role and hint.role != role.role:
                # One column per role: the column that had the role gives it up.
                roles = [
                    replace(r, role="other", confidence=0.0, reason=f"role given by {hint.origin}")
                    if r.role == hint.role and r.index != index and hint.role != "other"
                    else r
                    for r in roles
                ]
                metric = metric_from_text(role.header) if hint.role == "count" else ""
                role = replace(role, role=hint.role, metric=metric, dayfirst=None)
            changes: dict[str, object] = {"confidence": 1.0, "reason": f"set by {hint.origin}"}
            if hint.metric:
                changes["metric"] = hint.metric
            if hint.date_order:
                changes["dayfirst"] = hint.date_order == "dmy"
            roles[index] = replace(role, **changes)  # type: ignore[arg-type]
        said.append(hint.describe())
    return roles, said


def _hint_column(hint: Hint, roles: Sequence[ColumnRole]) -> int | None:
    """The index of the column a hint names, or None when this table lacks it."""
    if hint.column.startswith("#") and hint.column[1:].isdigit():
        position = int(hint.column[1:]) - 1
        return position if 0 <= position < len(roles) else None
    key = column_key(hint.column)
    return next((r.index for r in roles if column_key(r.header) == key), None)


def unmatched_hints(views: Sequence[TableView], hints: Sequence[Hint]) -> list[str]:
    """Errors for hints that name a file but a column or header row none of its tables has."""
    errors = []
    for hint in hints:
        if not hint.file or not (hint.column or hint.header_row is not None):
            continue
        tables = [v for v in views if hint.matches_table(v.table.sheet, v.table.page)]
        if hint.column and not any(_hint_column(hint, v.roles) is not None for v in tables):
            columns = sorted({r.header for v in tables for r in v.roles})
            errors.append(
                f"{hint.origin}: column {hint.column!r} is not in this file; "
                f"its columns are: {', '.join(columns) if columns else '(no table found)'}"
            )
        if hint.header_row is not None and not any(
            hint.header_row in v.table.row_numbers for v in tables
        ):
            errors.append(
                f"{hint.origin}: header_row {hint.header_row} is not a row of any table "
                "in this file (foialog inspect FILE shows the row numbers)"
            )
    return errors
