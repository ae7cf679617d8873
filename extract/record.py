"""The record: one extracted source row or prose mention, with provenance and raw values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from operator import attrgetter

from foialog.extract.parallel import collector_paused


@dataclass(slots=True)
class Record:
    """One row of records.csv; field names are the output contract and are never renamed."""

    record_id: str = ""
    source_file: str = ""
    source_sha256: str = ""
    page: int | None = None
    sheet: str | None = None
    row: int | None = None
    bbox: str | None = None
    method: str = "sheet"
    agency_raw: str = ""
    agency: str = ""
    agency_id: str = ""
    agency_type: str = ""
    country: str = ""
    region: str = ""
    count: int | None = None
    count_raw: str = ""
    count_qualifier: str = ""
    metric: str = ""
    date: str = ""
    date_end: str = ""
    date_raw: str = ""
    date_label: str = ""
    redacted: str = ""
    extra: str = "{}"
    confidence: float = 1.0
    # Columns beyond the minimum contract.
    #: data for an ordinary row, total for a printed totals row (kept, never summed).
    row_type: str = "data"
    #: Time of day (HH:MM:SS) when the source gave a datetime.
    time: str = ""
    country_raw: str = ""
    region_raw: str = ""
    user_email: str = ""
    account_type: str = ""
    account_type_raw: str = ""
    #: The reporter's hints that changed how this row was read ("hints.csv line 2: ...").
    hints: str = ""

    def as_dict(self) -> dict[str, object]:
        """Return the record as a plain dict in contract column order."""
        # Not dataclasses.asdict: it deep-copies every value and was most of a large run's time.
        return {name: getattr(self, name) for name in RECORD_COLUMNS}


#: Column order of records.csv.
RECORD_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Record))


def record_columns(records: Sequence[Record]) -> tuple[list[object], ...]:
    """The records' values column by column, in RECORD_COLUMNS order."""
    return tuple(list(map(attrgetter(name), records)) for name in RECORD_COLUMNS)


def records_from_columns(columns: Sequence[list[object]]) -> list[Record]:
    """The records whose values ``record_columns`` gave; empties ``columns`` as it goes."""
    # From the end, a chunk at a time: the columns shrink as the records grow, so that a
    # million records and a million rows of columns are never all held at once.
    chunks: list[list[Record]] = []
    # The collector paused: each new record is a tracked object, and the collections they set
    # off (walking the run's whole heap) were half the time; records hold no cycles to free.
    with collector_paused():
        while columns and columns[0]:
            size = min(len(columns[0]), _CHUNK)
            chunks.append([Record(*v) for v in zip(*(c[-size:] for c in columns), strict=True)])
            for column in columns:
                del column[-size:]
    return [record for chunk in reversed(chunks) for record in chunk]


_CHUNK = 50_000
