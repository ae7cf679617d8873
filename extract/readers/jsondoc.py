"""JSON documents: every array of objects (at the top or inside an object) as a Table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from foialog.errors import ReadError
from foialog.extract.blocks import Blocks, CellValue, Table
from foialog.extract.options import ReadOptions
from foialog.extract.text.encoding import decode_file, strip_http_header

#: How deep inside objects arrays of records are looked for ("data.results.items").
MAX_DEPTH = 4
#: Fewest objects in an array, or entries in an object of objects, read as a table.
MIN_ROWS = 1


def read_json(path: Path, name: str, options: ReadOptions) -> Blocks:
    """Read a JSON file's arrays of objects (and objects of objects) as tables of cells."""
    decoded = decode_file(path.read_bytes(), name)
    text = strip_http_header(decoded.text.lstrip("\ufeff \t\r\n"))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(
            f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; "
            "if the file was cut short, download or export it again"
        ) from exc
    tables = [_table(records, where) for where, records in record_lists(value)]
    notes = [decoded.note] if decoded.note else []
    if not tables:
        notes.append("no array of objects in the JSON; nothing read as a table")
    if len(tables) > 1:
        notes.append(
            f"{len(tables)} arrays of objects read as tables: "
            + "; ".join(t.sheet or "" for t in tables)
        )
    return Blocks(tables=tables, notes=notes)


def record_lists(
    value: Any, where: str = "", depth: int = 0
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Yield (JSON path, objects) for each array of objects and each object of objects."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        objects = [v for v in value if isinstance(v, dict)]
        if len(objects) >= MIN_ROWS and len(objects) >= 0.8 * len(value):
            yield where or "$", objects
        return
    if not isinstance(value, dict):
        return
    children = list(value.values())
    # {"FBI": {"total": 3}, "DEA": {...}}: objects of scalars whose keys name the rows.
    if (
        len(children) >= 2
        and all(isinstance(v, dict) for v in children)
        and all(not isinstance(x, dict | list) for v in children for x in v.values())
    ):
        key = _free_key(children)
        yield where or "$", [{key: k, **v} for k, v in value.items()]
        return
    for key, child in value.items():
        yield from record_lists(child, f"{where}.{key}" if where else str(key), depth + 1)


def _free_key(objects: list[dict[str, Any]]) -> str:
    """A column name for an object of objects' keys that none of the objects uses."""
    used = {k for o in objects for k in o}
    return next(n for n in ("key", "id", "name", "_key") if n not in used)


def _table(objects: list[dict[str, Any]], where: str) -> Table:
    """Objects flattened to dotted columns (pandas.json_normalize), a header row first."""
    frame = pd.json_normalize(objects, sep=".")
    header: list[CellValue] = [str(c) for c in frame.columns]
    rows: list[list[CellValue]] = [header]
    for record in frame.itertuples(index=False, name=None):
        rows.append([_cell(v) for v in record])
    return Table(
        rows=rows,
        row_numbers=list(range(len(rows))),  # 0 the header, n the array's nth object
        sheet=None if where == "$" else where,
        method="sheet",
    )


def _cell(value: object) -> CellValue:
    """A JSON value as a cell: scalars kept, lists and objects as their JSON text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if value != value else value  # NaN: the key was missing in this object
    return json.dumps(value, ensure_ascii=False)
