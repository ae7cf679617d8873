"""Which counts belong to the month of their date, and which the monthly timeline leaves out.

A count belongs to a month only when the source dates the count itself to it: a row of a
monthly or daily series, an event of a log, a sentence's "in October". A table of one row per
agency, each with its own date, is a table of totals: the date is a moment of the agency (its
first search, a trial start, a date added), not the period the count covers, so none of its
counts is a month's. The evidence is the table's shape (each agency once, dates differing),
never its header words.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from foialog.extract.text.logs import NOT_IN_TIMELINE

#: Rows a table needs before its shape is judged (fewer say nothing either way).
MIN_ROWS = 3
#: Share of a table's rows whose agency appears on no other row, from which it is a table of
#: per-agency totals. Spelling variants and a few repeated agencies leave a totals table
#: around 0.6-1.0; series and logs, where each agency has many rows, stay below 0.4.
ONE_ROW_SHARE = 0.5


@dataclass(frozen=True)
class LeftOut:
    """Counts kept out of the monthly timeline for one reason."""

    reason: str
    records: int
    total: int
    where: tuple[str, ...]


def split_by_month(counted: pd.DataFrame) -> tuple[pd.DataFrame, list[LeftOut]]:
    """The counted records dated to a month, and what was left out, by reason.

    ``counted`` holds data rows with a count; the month is ``date[:7]``.
    """
    dates = counted["date"].fillna("").astype(str)
    ends = counted["date_end"].fillna("").astype(str) if "date_end" in counted else dates
    undated = dates == ""
    year_only = ~undated & ~dates.str.match(r"^\d{4}-\d{2}")
    marked = counted["extra"].astype(str).str.contains(NOT_IN_TIMELINE, regex=False)
    span = ~undated & ~year_only & (ends != "") & (ends.str[:7] != dates.str[:7])
    rest = ~(undated | year_only | marked | span)
    totals = rest & _totals_tables(counted[rest])
    reasons = (
        (year_only, "dated to a year only"),
        (marked, "totals of an event export dated by one moment (a last login, say)"),
        (span, "counts over a range of dates longer than one month"),
        (
            totals,
            "totals of tables with one row per agency, each dated by a moment of its own (a "
            "first search, a start date): the date says when, not which month was counted",
        ),
    )
    left_out = []
    for mask, reason in reasons:
        rows = counted[mask]
        if rows.empty:
            continue
        files = rows["source_file"].astype(str)
        sheets = rows["sheet"].fillna("").astype(str) if "sheet" in rows else files.map(str)
        labels = rows["date_label"].fillna("").astype(str)
        where = sorted(
            {
                f + (f" (sheet {s})" if s else "") + (f", dated by “{d}”" if d else "")
                for f, s, d in zip(files, sheets, labels, strict=True)
            }
        )
        total = int(pd.to_numeric(rows["count"], errors="coerce").fillna(0).sum())
        left_out.append(LeftOut(reason, len(rows), total, tuple(where)))
    return counted[rest & ~totals], left_out


def _totals_tables(rows: pd.DataFrame) -> pd.Series:
    """True on each row of a table of per-agency totals dated by a moment of each agency."""
    result = pd.Series(False, index=rows.index)
    keys = [c for c in ("source_file", "sheet", "date_label", "metric") if c in rows]
    for _, table in rows.groupby(keys, dropna=False, sort=False):
        named = table[table["agency_raw"].astype(str) != ""]
        # Redacted names are unknown, neither repeated nor alone: judged on the named rows.
        if len(named) < MIN_ROWS or len(named) < 0.5 * len(table):
            continue
        agencies = named["agency_raw"].astype(str).str.casefold()
        alone = float((~agencies.duplicated(keep=False)).mean())
        # One shared date is the period of the whole table (a month's report): kept.
        if alone >= ONE_ROW_SHARE and named["date"].nunique() > 1:
            result[table.index] = True
    return result
