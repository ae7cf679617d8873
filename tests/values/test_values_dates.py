"""Tests for foialog.extract.values.dates: date cells into ISO text at the precision they were
written."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foialog.errors import FoialogError
from foialog.extract.values.dates import (
    ParsedDate,
    excel_serial_to_datetime,
    infer_dayfirst,
    looks_like_excel_serial,
    parse_date,
)
from tests.values.hostile_values import COMMON

NONE = ParsedDate("", "")
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def day(value: str, time: str = "", end: str = "") -> ParsedDate:
    """Return a day-precision date."""
    return ParsedDate(value, "day", time, end)


DATE_CASES: list[tuple[object, ParsedDate]] = [
    # typed spreadsheet values
    (dt.datetime(2019, 11, 3), day("2019-11-03")),
    (dt.datetime(2019, 11, 3, 14, 22, 5), day("2019-11-03", "14:22:05")),
    (dt.datetime(2019, 11, 3, 0, 0, 0, 1), day("2019-11-03", "00:00:00")),
    (dt.date(2019, 11, 3), day("2019-11-03")),
    (dt.time(14, 22), NONE),
    (None, NONE),
    (True, NONE),
    (43772, NONE),
    (43772.5, NONE),
    # ISO
    ("2019-11-03", day("2019-11-03")),
    ("2019-11-03T14:22:05", day("2019-11-03", "14:22:05")),
    ("2019-11-03T14:22:05Z", day("2019-11-03", "14:22:05")),
    ("2019-11-03 14:22", day("2019-11-03", "14:22:00")),
    ("11/14/2025, 09:53:36 AM UTC", day("2025-11-14", "09:53:36")),  # Flock audit export
    ("2019-11-03 00:00:00", day("2019-11-03")),
    ("2019/11/03", day("2019-11-03")),
    # US and European numeric dates, month-first unless a part forces the order
    ("11/03/2019", day("2019-11-03")),
    ("11/3/19", day("2019-11-03")),
    ("11/03/2019 2:15 PM", day("2019-11-03", "14:15:00")),
    ("11/03/2019 12:05 am", day("2019-11-03", "00:05:00")),
    ("03/11/2019", day("2019-03-11")),
    ("3-11-2019", day("2019-03-11")),
    ("13/11/2019", day("2019-11-13")),
    ("11/13/2019", day("2019-11-13")),
    ("1/1/70", day("1970-01-01")),
    ("1/1/69", day("2069-01-01")),
    ("1/1/00", day("2000-01-01")),
    ("12/31/99", day("1999-12-31")),
    # dotted dates are day-first unless told otherwise (a European convention)
    ("03.11.2019", day("2019-11-03")),
    # month names, read by dateutil
    ("Nov. 3, 2019", day("2019-11-03")),
    ("November 3, 2019", day("2019-11-03")),
    ("3 November 2019", day("2019-11-03")),
    ("3 Nov 2019", day("2019-11-03")),
    ("Sunday, November 3, 2019", day("2019-11-03")),
    ("03-Nov-2019", day("2019-11-03")),
    ("03-NOV-19", day("2019-11-03")),
    ("3-Nov-76", day("1976-11-03")),
    ("3-Nov-05", day("2005-11-03")),
    ("3rd November 2019", day("2019-11-03")),
    ("Sept 3 2019", day("2019-09-03")),
    ("Nov 3, 2019 2:15 PM", day("2019-11-03", "14:15:00")),
    # partial dates stay partial
    ("Nov 2019", ParsedDate("2019-11", "month")),
    ("November 2019", ParsedDate("2019-11", "month")),
    ("November, 2019", ParsedDate("2019-11", "month")),
    ("November - 2015", ParsedDate("2015-11", "month")),
    ("11/2019", ParsedDate("2019-11", "month")),
    ("2019-11", ParsedDate("2019-11", "month")),
    ("2019", ParsedDate("2019", "year")),
    ("1900", ParsedDate("1900", "year")),
    ("2100", ParsedDate("2100", "year")),
    # ranges
    ("1/1/19 - 2/11/25", day("2019-01-01", end="2025-02-11")),
    ("1/1/19 – 2/11/25", day("2019-01-01", end="2025-02-11")),
    ("1/1/19-2/11/25", day("2019-01-01", end="2025-02-11")),
    ("between 1/1/19 and 2/11/25", day("2019-01-01", end="2025-02-11")),
    ("1-01-19 to 03-11-25", day("2019-01-01", end="2025-03-11")),
    ("from 2019-01-01 through 2019-06-30", day("2019-01-01", end="2019-06-30")),
    ("Nov 2019 - Jan 2020", ParsedDate("2019-11", "month", end="2020-01")),
    ("2019-2020", ParsedDate("2019", "year", end="2020")),
    ("1/13/19 - 2/11/25", day("2019-01-13", end="2025-02-11")),
    ("2/11/25 - 1/1/19", NONE),
    # invalid or not date-shaped
    ("13/13/2019", NONE),
    ("2019-02-30", NONE),
    ("2019-13", NONE),
    ("11/03/2019 25:00", NONE),
    ("November 31, 2019", NONE),
    ("1850", NONE),
    ("2101", NONE),
    ("1/1000", NONE),
    ("21-16030", NONE),
    ("320", NONE),
    ("Police", NONE),
    ("Police 3", NONE),
    ("Police 3 2019", NONE),
    ("(b)(6)", NONE),
    ("May", NONE),
    ("3 May", NONE),
    ("Nov 3", NONE),
    ("Nov 3 5", NONE),
    ("November", NONE),
    ("Monday", NONE),
    ("20191103", NONE),
    ("Nov 3 and Dec 4, 2019", NONE),
]


@pytest.mark.parametrize(
    ("raw", "expected"), DATE_CASES, ids=[repr(raw)[:40] for raw, _ in DATE_CASES]
)
def test_parse_date(raw: object, expected: ParsedDate) -> None:
    assert parse_date(raw) == expected


# OCR reads ruling lines, table borders and specks at a cell's edges as marks; in a cell of a
# date column the date left when they are taken off is read (the raw text is the caller's to
# keep), a day or month only.
EDGE_MARK_CASES: list[tuple[str, ParsedDate]] = [
    ("— 6/13/2025 8:14", day("2025-06-13", "08:14:00")),  # an em dash from the row above
    ("- 6/13/2025", day("2025-06-13")),
    ("|5/2/2019|", day("2019-05-02")),
    ("| 5/2/2019", day("2019-05-02")),
    ('"11/03/2019', day("2019-11-03")),
    ("‘11/03/2019’", day("2019-11-03")),
    ("__11/03/2019", day("2019-11-03")),
    ("8/19/2025 3:23 PM!", day("2025-08-19", "15:23:00")),
    ("11/2019)", ParsedDate("2019-11", "month")),
    ("| Nov 3, 2019 |", day("2019-11-03")),
    ("- 1/1/19 - 2/11/25 -", day("2019-01-01", end="2025-02-11")),
    # nothing but marks is still no date
    ("-", NONE),
    ("—", NONE),
    ("--", NONE),
    ("|", NONE),
    ("_", NONE),
    (".", NONE),
    # a bare year between marks is as likely a number or a citation
    ("(2019)", NONE),
    ("-2019", NONE),
    # what remains must still be a valid date
    ("— 13/13/2019", NONE),
    ("| 21-16030 |", NONE),
    ("-2 -2", NONE),
    ("(b)(6)", NONE),
    ("— Police 3", NONE),
]


@pytest.mark.parametrize(
    ("raw", "expected"), EDGE_MARK_CASES, ids=[repr(raw) for raw, _ in EDGE_MARK_CASES]
)
def test_marks_at_a_date_cells_edges_are_read_past(raw: str, expected: ParsedDate) -> None:
    assert parse_date(raw, strip_marks=True) == expected
    if expected.value:
        # Only a cell of a date column is read so: a quoted date in a line of prose is none.
        assert parse_date(raw) == NONE


DAYFIRST_CASES: list[tuple[str, bool | None, str]] = [
    ("03/11/2019", True, "2019-11-03"),
    ("03/11/2019", False, "2019-03-11"),
    ("03/11/2019", None, "2019-03-11"),
    ("03.11.2019", False, "2019-03-11"),
    ("03.11.2019", True, "2019-11-03"),
    ("3-11-2019", True, "2019-11-03"),
    ("13/11/2019", False, "2019-11-13"),
    ("11/13/2019", True, "2019-11-13"),
    ("1/2/19 - 3/4/19", True, "2019-02-01"),
]


@pytest.mark.parametrize(
    ("raw", "dayfirst", "expected"),
    DAYFIRST_CASES,
    ids=[f"{raw}-{dayfirst}" for raw, dayfirst, _ in DAYFIRST_CASES],
)
def test_parse_date_dayfirst(raw: str, dayfirst: bool | None, expected: str) -> None:
    assert parse_date(raw, dayfirst=dayfirst).value == expected


SERIAL_CASES: list[tuple[object, ParsedDate]] = [
    (43772, day("2019-11-03")),
    (43772.0, day("2019-11-03")),
    (43772.5, day("2019-11-03", "12:00:00")),
    (43772.59861111111, day("2019-11-03", "14:22:00")),
    ("43772", day("2019-11-03")),
    (Decimal("43772"), day("2019-11-03")),
    (1, day("1900-01-01")),
    (59, day("1900-02-28")),
    (60, day("1900-02-28")),
    (61, day("1900-03-01")),
    (2958465, day("9999-12-31")),
    (0, NONE),
    (0.5, NONE),
    (-1, NONE),
    (2958466, NONE),
    (10**400, NONE),
    (float("nan"), NONE),
    (float("inf"), NONE),
    (True, NONE),
    ("2019-11-03", day("2019-11-03")),
    (dt.date(2019, 11, 3), day("2019-11-03")),
]


@pytest.mark.parametrize(
    ("raw", "expected"), SERIAL_CASES, ids=[repr(raw)[:40] for raw, _ in SERIAL_CASES]
)
def test_parse_date_excel_serial(raw: object, expected: ParsedDate) -> None:
    assert parse_date(raw, excel_serial=True) == expected


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.datetime(1900, 1, 1)),
        (59, dt.datetime(1900, 2, 28)),
        (60, dt.datetime(1900, 2, 28)),
        (61, dt.datetime(1900, 3, 1)),
        (43772.25, dt.datetime(2019, 11, 3, 6)),
        (2958465, dt.datetime(9999, 12, 31)),
    ],
    ids=["first", "before-phantom", "phantom-29-feb-1900", "after-phantom", "time", "last"],
)
def test_excel_serial_to_datetime(serial: float, expected: dt.datetime) -> None:
    assert excel_serial_to_datetime(serial) == expected


@pytest.mark.parametrize(
    "serial", [0, 0.99, -5, 2958466, float("nan"), float("inf"), 2958465.99999999]
)
def test_excel_serial_to_datetime_rejects_non_serials(serial: float) -> None:
    with pytest.raises(FoialogError):
        excel_serial_to_datetime(serial)


INFER_CASES: list[tuple[list[object], bool | None]] = [
    (["13/11/2019", "01/02/2019"], True),
    (["13.11.2019"], True),
    (["11/13/2019", "01/02/2019"], False),
    (["11/13/2019 14:22"], False),
    (["01/02/2019", "03/04/19"], None),
    (["13/11/2019", "11/13/2019"], None),
    (["2019-11-13", "Nov 13, 2019"], None),
    (["45/11/2019"], None),
    ([dt.date(2019, 11, 13), 43772, None], None),
    ([], None),
]


@pytest.mark.parametrize(
    ("values", "expected"), INFER_CASES, ids=[repr(v)[:40] for v, _ in INFER_CASES]
)
def test_infer_dayfirst(values: list[object], expected: bool | None) -> None:
    assert infer_dayfirst(values) is expected


SERIAL_COLUMN_CASES: list[tuple[list[object], bool]] = [
    ([43772, 43773.5, "43000"], True),
    ([43772, 43773, 43774, 43775, 12], True),
    ([43772, 43773, 43774, 12], False),
    ([1, 2, 3], False),
    ([2019, 2020], False),
    (["2019-11-03", None, "x"], False),
    ([], False),
    ([True, False], False),
    ([43772, float("nan"), "", None], True),
]


@pytest.mark.parametrize(
    ("values", "expected"),
    SERIAL_COLUMN_CASES,
    ids=[repr(v)[:40] for v, _ in SERIAL_COLUMN_CASES],
)
def test_looks_like_excel_serial(values: list[object], expected: bool) -> None:
    assert looks_like_excel_serial(values) is expected


HOSTILE: list[object] = [
    *COMMON,
    "",
    " ",
    "2019\x00-11-03",
    "\u202e2019-11-03",
    "2019-11-03" * 1000,
    "Nov " * 2500 + "2019",
    "٢٠١٩-١١-٠٣",
    "Nov ٣, ٢٠١٩",
    "0000-00-00",
    "9999-99-99 99:99:99",
    "Nov 3, 99999",
    b"2019-11-03",
    [2019, 11, 3],
]


@pytest.mark.parametrize("raw", HOSTILE, ids=[repr(raw)[:30] for raw in HOSTILE])
def test_parse_date_hostile_input_is_empty(raw: object) -> None:
    assert parse_date(raw) == NONE
    assert parse_date(raw, dayfirst=True, excel_serial=True) == NONE


@given(st.text(max_size=40))
@settings(deadline=None)
def test_parse_date_never_raises_and_value_is_iso(text: str) -> None:
    parsed = parse_date(text)
    assert not parsed.value or ISO.match(parsed.value)
    assert not parsed.end or ISO.match(parsed.end)
    assert (parsed.value == "") == (parsed.precision == "")


date_parts = st.lists(
    st.sampled_from([*"0123456789/-.:, ", "Nov", "May", "2019", "PM", "to", "and"]),
    max_size=12,
).map("".join)


@given(date_parts, st.sampled_from([None, True, False]), st.booleans())
@settings(deadline=None)
def test_parse_date_never_raises_on_date_like_text(
    text: str, dayfirst: bool | None, excel_serial: bool
) -> None:
    parsed = parse_date(text, dayfirst=dayfirst, excel_serial=excel_serial)
    assert not parsed.value or ISO.match(parsed.value)


days = st.dates(min_value=dt.date(1000, 1, 1))


@given(days)
def test_iso_date_round_trips(value: dt.date) -> None:
    assert parse_date(value.isoformat()) == day(value.isoformat())


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_numeric_dates_round_trip_with_the_column_order(value: dt.date) -> None:
    us = f"{value.month}/{value.day}/{value.year}"
    eu = f"{value.day:02d}.{value.month:02d}.{value.year}"
    assert parse_date(us, dayfirst=False).value == value.isoformat()
    assert parse_date(eu, dayfirst=True).value == value.isoformat()


@given(st.dates(min_value=dt.date(1900, 3, 1)))
def test_excel_serial_round_trips(value: dt.date) -> None:
    serial = (value - dt.date(1899, 12, 30)).days
    assert excel_serial_to_datetime(serial).date() == value
    assert parse_date(serial, excel_serial=True) == day(value.isoformat())


EXPORT_TIMESTAMPS: list[tuple[str, ParsedDate]] = [
    # how exports join a date and a time, with zones (the zone is kept only in date_raw)
    ("01/22/2019 - 08:56", day("2019-01-22", "08:56:00")),
    ("01/22/2019 08:56 PM EST", day("2019-01-22", "20:56:00")),
    ("1/22/2019 12:05 AM", day("2019-01-22", "00:05:00")),
    ("2019-01-22T08:56:00Z", day("2019-01-22", "08:56:00")),
    ("2019-01-22T08:56:00+0200", day("2019-01-22", "08:56:00")),
    ("2021-04-29 23:51:08.507682-04", day("2021-04-29", "23:51:08")),
    ("22.01.2019 08:56", day("2019-01-22", "08:56:00")),
    ("22.01.2019, 08:56 CET", day("2019-01-22", "08:56:00")),
    ("Jan 22, 2019 8:56 AM PST", day("2019-01-22", "08:56:00")),
    ("22 January 2019 08:56 CEST", day("2019-01-22", "08:56:00")),
    # a dash between two dates is still a range, not a time
    ("01/22/2019 - 01/23/2019", day("2019-01-22", end="2019-01-23")),
    ("01/22/2019 - 25:61", NONE),
]


@pytest.mark.parametrize(("raw", "expected"), EXPORT_TIMESTAMPS)
def test_export_timestamps(raw: str, expected: ParsedDate) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10 giugno 2021", day("2021-06-10")),
        ("ottobre 2021", ParsedDate("2021-10", "month")),
        ("10 de junio de 2020", day("2020-06-10")),
        ("1er mars 2019", day("2019-03-01")),
        ("3. März 2019", day("2019-03-03")),
        ("février 2020", ParsedDate("2020-02", "month")),
        ("27 de dezembro de 2018", day("2018-12-27")),
        ("mei 2020", ParsedDate("2020-05", "month")),
        ("de 2019", ParsedDate("", "")),
    ],
)
def test_month_names_in_six_more_languages(raw: str, expected: ParsedDate) -> None:
    assert parse_date(raw) == expected
