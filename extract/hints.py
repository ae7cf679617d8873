"""A reporter's hints: this column is the count, that row is the header, dates are day-first.

Hints live in a plain CSV (``--hints hints.csv``) or come from ``--role 'Header=role'``; every
run applies them to the files they name. One row per hint, columns:

    file,sheet,pages,column,role,metric,date_order,header_row,skip_rows,note

``file`` is a glob matched against the file's name in the outputs (``leak/*.xlsx``,
``dump.mbox > * > clients.csv``; empty matches every file), ``sheet`` a sheet name, ``pages``
a page or range (``3``, ``2-5``). ``column`` names a column by its header (case and spaces
ignored, a trailing colon too) or by position (``#3``, the third column). ``role`` is one of
``ROLE_CHOICES``; ``metric`` names what a count column counts; ``date_order`` is ``dmy``,
``mdy`` or ``ymd`` (for one column, or for every date column when ``column`` is empty);
``header_row`` and ``skip_rows`` are row numbers as the source shows them (``3``, ``7;9-12``).
"""

from __future__ import annotations

import csv
import fnmatch
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from foialog.errors import SettingsError

#: Roles a hint may give a column; "other" keeps it out of every role (raw, in extra).
ROLE_CHOICES = (
    "agency",
    "count",
    "date",
    "country",
    "region",
    "user_email",
    "account_type",
    "metric",
    "other",
)
DATE_ORDERS = ("dmy", "mdy", "ymd")
#: The columns of a hints file, in the order ``hints_csv`` writes them.
FIELDS = (
    "file",
    "sheet",
    "pages",
    "column",
    "role",
    "metric",
    "date_order",
    "header_row",
    "skip_rows",
    "note",
)
_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


@dataclass(frozen=True)
class Hint:
    """One line of a hints file: where it applies and what it says."""

    file: str = ""
    sheet: str = ""
    pages: tuple[int, int] | None = None
    column: str = ""
    role: str = ""
    metric: str = ""
    date_order: str = ""
    header_row: int | None = None
    skip_rows: frozenset[int] = frozenset()
    note: str = ""
    #: Where the hint came from, for messages and provenance ("hints.csv line 3", "--role").
    origin: str = ""

    def matches_file(self, name: str) -> bool:
        """Return True when the hint names this file (its name in the outputs)."""
        if not self.file:
            return True
        last = name.rsplit(" > ", 1)[-1]
        return any(
            fnmatch.fnmatchcase(candidate, self.file)
            for candidate in (name, last, last.rsplit("/", 1)[-1])
        )

    def matches_table(self, sheet: str | None, page: int | None) -> bool:
        """Return True when the hint applies to a table of this sheet and page."""
        if self.sheet and (sheet or "") != self.sheet:
            return False
        if self.pages is not None:
            return page is not None and self.pages[0] <= page <= self.pages[1]
        return True

    def describe(self) -> str:
        """The hint in words, as methodology.md and provenance show it."""
        where = [f"file {self.file}" if self.file else "every file"]
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.pages:
            a, b = self.pages
            where.append(f"page {a}" if a == b else f"pages {a}-{b}")
        said = []
        if self.column:
            target = f"column {self.column}"
            if self.role:
                said.append(f"{target} is {self.role}")
            if self.metric:
                said.append(f"{target} counts {self.metric}")
            if self.date_order:
                said.append(f"{target} dates are {self.date_order}")
        elif self.date_order:
            said.append(f"dates are {self.date_order}")
        if self.header_row is not None:
            said.append(f"header on row {self.header_row}")
        if self.skip_rows:
            said.append(f"rows {_format_rows(self.skip_rows)} skipped")
        return f"{', '.join(where)}: {'; '.join(said)} ({self.origin or 'hint'})"


def column_key(text: str) -> str:
    """A header as hints compare it: case and spaces folded, a trailing colon dropped."""
    return " ".join(text.split()).casefold().rstrip(":").strip()


def _format_rows(rows: Iterable[int]) -> str:
    return ", ".join(str(r) for r in sorted(rows))


def _rows(text: str, origin: str) -> frozenset[int]:
    found: set[int] = set()
    for part in re.split(r"[;,]", text):
        if not part.strip():
            continue
        match = _RANGE.match(part)
        if not match:
            raise SettingsError(
                f"{origin}: skip_rows {text!r} is not a list of row numbers; write e.g. 7;9-12"
            )
        a, b = int(match[1]), int(match[2] or match[1])
        found.update(range(min(a, b), max(a, b) + 1))
    return frozenset(found)


def make_hint(values: dict[str, str], origin: str) -> Hint:
    """Build and check one hint from a hints file's row of text values."""
    unknown = sorted(k for k in values if k not in FIELDS and values[k])
    if unknown:
        raise SettingsError(
            f"{origin}: unknown hint column(s) {', '.join(unknown)}; columns: {', '.join(FIELDS)}"
        )
    get = {k: (values.get(k) or "").strip() for k in FIELDS}
    role = get["role"].casefold()
    if role and role not in ROLE_CHOICES:
        raise SettingsError(
            f"{origin}: role {get['role']!r} is unknown; choose one of {', '.join(ROLE_CHOICES)}"
        )
    order = get["date_order"].casefold()
    if order and order not in DATE_ORDERS:
        raise SettingsError(
            f"{origin}: date_order {get['date_order']!r} is unknown; "
            f"choose one of {', '.join(DATE_ORDERS)}"
        )
    if (role or get["metric"]) and not get["column"]:
        raise SettingsError(
            f"{origin}: a role or metric needs the column it is about (its header, or #N)"
        )
    pages: tuple[int, int] | None = None
    if get["pages"]:
        match = _RANGE.match(get["pages"])
        if not match:
            raise SettingsError(f"{origin}: pages {get['pages']!r} is not a page or range (2-5)")
        a, b = int(match[1]), int(match[2] or match[1])
        pages = (min(a, b), max(a, b))
    header_row: int | None = None
    if get["header_row"]:
        if not get["header_row"].isdigit() or int(get["header_row"]) < 1:
            raise SettingsError(
                f"{origin}: header_row {get['header_row']!r} is not a row number (1 or more)"
            )
        header_row = int(get["header_row"])
    hint = Hint(
        file=get["file"],
        sheet=get["sheet"],
        pages=pages,
        column=get["column"],
        role=role,
        metric=get["metric"],
        date_order=order,
        header_row=header_row,
        skip_rows=_rows(get["skip_rows"], origin),
        note=get["note"],
        origin=origin,
    )
    if not (hint.role or hint.metric or hint.date_order or hint.header_row or hint.skip_rows):
        raise SettingsError(
            f"{origin}: the hint says nothing; give a role, metric, date_order, header_row "
            "or skip_rows"
        )
    return hint


def load_hints(path: Path) -> tuple[Hint, ...]:
    """Read a hints CSV; every problem is an error naming the file, the line and the fix."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read the hints file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path}: the hints file is not UTF-8 text; save it as UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header or not set(header) & {"column", "header_row", "skip_rows", "date_order"}:
        raise SettingsError(
            f"{path}: not a hints file (its first line should name the columns {','.join(FIELDS)})"
        )
    hints = []
    for line, row in enumerate(reader, start=2):
        values = {(k or "").strip(): v or "" for k, v in row.items() if k is not None}
        if not any(v.strip() for v in values.values()):
            continue
        hints.append(make_hint(values, f"{path.name} line {line}"))
    return tuple(hints)


def parse_role_option(text: str) -> Hint:
    """A ``--role 'Header=role'`` (or ``'file.csv:Header=role'``) option as a hint."""
    head, sep, rest = text.partition(":")
    if sep and "=" not in head and rest.partition("=")[0].strip():
        file, assignment = head.strip(), rest
    else:
        file, assignment = "", text
    column, sep, role = assignment.rpartition("=")
    if not sep or not column.strip() or not role.strip():
        raise SettingsError(
            f"--role {text!r}: write COLUMN=ROLE (e.g. 'Queries Run=count'), optionally "
            f"FILE:COLUMN=ROLE; roles: {', '.join(ROLE_CHOICES)}"
        )
    return make_hint({"file": file, "column": column, "role": role}, f"--role {text}")


def hints_csv(hints: Sequence[Hint]) -> str:
    """The hints as the text of a hints file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for h in hints:
        pages = "" if h.pages is None else f"{h.pages[0]}-{h.pages[1]}"
        if h.pages and h.pages[0] == h.pages[1]:
            pages = str(h.pages[0])
        writer.writerow(
            [
                h.file,
                h.sheet,
                pages,
                h.column,
                h.role,
                h.metric,
                h.date_order,
                "" if h.header_row is None else h.header_row,
                _format_rows(h.skip_rows).replace(", ", ";"),
                h.note,
            ]
        )
    return out.getvalue()
