"""Tests for foialog.extract.values.counts: count cells into integers with qualifiers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foialog.extract.values.counts import (
    INT64_MAX,
    NULL_TOKENS,
    ParsedCount,
    is_decimal_comma_column,
    parse_count,
)
from tests.values.hostile_values import COMMON

NONE = ParsedCount(None, "")


def exact(value: int) -> ParsedCount:
    """Return an exact count."""
    return ParsedCount(value, "exact")


COUNT_CASES: list[tuple[object, ParsedCount]] = [
    # plain and grouped numbers
    ("0", exact(0)),
    ("320", exact(320)),
    ("  320  ", exact(320)),
    ("1,234", exact(1234)),
    ("1,234,567", exact(1234567)),
    ("1 234", exact(1234)),
    ("1\u00a0234", exact(1234)),
    ("1\u202f234", exact(1234)),
    ("1'234", exact(1234)),
    ("1,234.00", exact(1234)),
    ("1.0", exact(1)),
    ("107472041.0", exact(107472041)),
    ("\ufeff320", exact(320)),
    ("-5", exact(-5)),
    ("−5", exact(-5)),
    # typed spreadsheet values
    (320, exact(320)),
    (-5, exact(-5)),
    (107472041.0, exact(107472041)),
    (1.5, NONE),
    (Decimal("12"), exact(12)),
    (Decimal("12.5"), NONE),
    (True, NONE),
    (False, NONE),
    (None, NONE),
    (dt.date(2019, 11, 3), NONE),
    (dt.datetime(2019, 11, 3, 1, 2), NONE),
    (dt.time(1, 2), NONE),
    # not whole numbers, or ambiguous thousands
    ("1.234", NONE),
    ("1.5", NONE),
    ("1.000", NONE),
    ("1.234.567", NONE),
    ("1,23", NONE),
    # at least
    ("320+", ParsedCount(320, "at_least")),
    ("more than 320", ParsedCount(320, "at_least")),
    ("More Than 320", ParsedCount(320, "at_least")),
    ("over 320", ParsedCount(320, "at_least")),
    ("at least 320", ParsedCount(320, "at_least")),
    (">320", ParsedCount(320, "at_least")),
    ("> 320", ParsedCount(320, "at_least")),
    ("≥320", ParsedCount(320, "at_least")),
    ("320 or more", ParsedCount(320, "at_least")),
    ("1,000+", ParsedCount(1000, "at_least")),
    # at most
    ("fewer than 10", ParsedCount(10, "at_most")),
    ("less than 10", ParsedCount(10, "at_most")),
    ("under 10", ParsedCount(10, "at_most")),
    ("<10", ParsedCount(10, "at_most")),
    ("up to 10", ParsedCount(10, "at_most")),
    ("at most 10", ParsedCount(10, "at_most")),
    ("10 or fewer", ParsedCount(10, "at_most")),
    ("10 or less", ParsedCount(10, "at_most")),
    # approximate
    ("~300", ParsedCount(300, "approx")),
    ("~ 300", ParsedCount(300, "approx")),
    ("about 300", ParsedCount(300, "approx")),
    ("approximately 300", ParsedCount(300, "approx")),
    ("approx. 300", ParsedCount(300, "approx")),
    ("approx 300", ParsedCount(300, "approx")),
    ("around 300", ParsedCount(300, "approx")),
    ("circa 300", ParsedCount(300, "approx")),
    ("c. 300", ParsedCount(300, "approx")),
    ("ca. 300", ParsedCount(300, "approx")),
    ("some 300", ParsedCount(300, "approx")),
    ("300 (approx)", ParsedCount(300, "approx")),
    ("300 (approx.)", ParsedCount(300, "approx")),
    ("300 (est.)", ParsedCount(300, "approx")),
    # ranges
    ("300-400", ParsedCount(300, "range", 400)),
    ("300–400", ParsedCount(300, "range", 400)),
    ("300 - 400", ParsedCount(300, "range", 400)),
    ("300 to 400", ParsedCount(300, "range", 400)),
    ("between 300 and 400", ParsedCount(300, "range", 400)),
    ("from 300 to 400", ParsedCount(300, "range", 400)),
    ("5-10", ParsedCount(5, "range", 10)),
    ("1,000-2,000", ParsedCount(1000, "range", 2000)),
    ("400-300", NONE),
    ("300-300", NONE),
    # trailing metric words
    ("320 searches", exact(320)),
    ("320 license plate reads", exact(320)),
    ("more than 320 searches", ParsedCount(320, "at_least")),
    ("320 or more searches", ParsedCount(320, "at_least")),
    ("300-400 requests", ParsedCount(300, "range", 400)),
    # null tokens
    ("", NONE),
    ("-", NONE),
    ("–", NONE),
    ("—", NONE),
    ("N/A", NONE),
    ("n.a.", NONE),
    ("None", NONE),
    ("NULL", NONE),
    ("nil", NONE),
    ("?", NONE),
    ("Unknown", NONE),
    # numbers inside text that is not a count
    ("21-16030", NONE),
    ("19-0345", NONE),
    ("Room 12B", NONE),
    ("12B", NONE),
    ("2019-11-03", NONE),
    ("11/03/2019", NONE),
    ("(b)(6)", NONE),
    ("$1,200", NONE),
    ("€1.200", NONE),
    ("1,200 USD", NONE),
    ("3 million", NONE),
    ("12 pm", NONE),
    ("12%", NONE),
    ("Police", NONE),
    ("320 or", NONE),
    ("#320", NONE),
]


@pytest.mark.parametrize(
    ("raw", "expected"), COUNT_CASES, ids=[repr(raw)[:40] for raw, _ in COUNT_CASES]
)
def test_parse_count(raw: object, expected: ParsedCount) -> None:
    assert parse_count(raw) == expected


DECIMAL_COMMA_CASES: list[tuple[object, ParsedCount]] = [
    ("1.234", exact(1234)),
    ("1.234.567", exact(1234567)),
    ("1 234", exact(1234)),
    ("1,0", exact(1)),
    ("1,5", NONE),
    ("1.234,5", NONE),
    ("1,000", NONE),
    ("1,234", NONE),
    ("mehr als 1.234", NONE),
    ("1.234+", ParsedCount(1234, "at_least")),
    ("1.000-2.000", ParsedCount(1000, "range", 2000)),
    (1234.0, exact(1234)),
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    DECIMAL_COMMA_CASES,
    ids=[repr(raw)[:40] for raw, _ in DECIMAL_COMMA_CASES],
)
def test_parse_count_decimal_comma(raw: object, expected: ParsedCount) -> None:
    assert parse_count(raw, decimal_comma=True) == expected


HOSTILE: list[object] = [
    *COMMON,
    "",
    " ",
    "3\x002",
    "\u202e123",
    "\u200f123",
    "1" * 10_000,
    "-1e309",
    "9" * 5000,
    "１２３",
    "1,2,3,4",
    "((((((((",
    ",,,,,,,,",
    float("-inf"),
    1e300,
    -(10**400),
    Decimal("NaN"),
    Decimal("Infinity"),
    Decimal("1e400"),
    b"123",
    [1, 2],
]


@pytest.mark.parametrize("raw", HOSTILE, ids=[repr(raw)[:30] for raw in HOSTILE])
def test_parse_count_hostile_input_is_empty(raw: object) -> None:
    assert parse_count(raw) == NONE
    assert parse_count(raw, decimal_comma=True) == NONE


def test_int64_bounds() -> None:
    assert parse_count(str(INT64_MAX)) == exact(INT64_MAX)
    assert parse_count(str(INT64_MAX + 1)) == NONE
    assert parse_count(INT64_MAX + 1) == NONE


def test_null_tokens_are_lower_case_and_empty() -> None:
    assert all(token == token.lower() for token in NULL_TOKENS)
    assert all(parse_count(token) == NONE for token in NULL_TOKENS)
    assert all(parse_count(token.upper()) == NONE for token in NULL_TOKENS)


COLUMN_CASES: list[tuple[list[object], bool]] = [
    (["1.234", "12", "3.456.789"], True),
    (["1.234,5"], True),
    (["1.234", "1,234"], False),
    (["1,234", "5"], False),
    (["1.234,5", "1,234.5"], False),
    (["12", "340"], False),
    (["1.5", "2.25"], False),
    ([], False),
    ([1234.0, 1.234, None, True], False),
    (["about 1.234", None, 12], True),
    (["03.11.2019"], False),
]


@pytest.mark.parametrize(
    ("values", "expected"), COLUMN_CASES, ids=[repr(v)[:40] for v, _ in COLUMN_CASES]
)
def test_is_decimal_comma_column(values: list[object], expected: bool) -> None:
    assert is_decimal_comma_column(values) is expected


def test_is_decimal_comma_column_reads_a_generator_once() -> None:
    assert is_decimal_comma_column(v for v in ["1.234", "5"]) is True


counts = st.integers(min_value=-INT64_MAX, max_value=INT64_MAX)


@given(st.text(max_size=60))
@settings(deadline=None)
def test_parse_count_never_raises_on_text(text: str) -> None:
    parsed = parse_count(text)
    assert (parsed.value is None) == (parsed.qualifier == "")
    parse_count(text, decimal_comma=True)


@given(counts)
def test_grouped_count_round_trips(value: int) -> None:
    assert parse_count(f"{value:,}") == exact(value)
    assert parse_count(str(value)) == exact(value)
    assert parse_count(value) == exact(value)


@given(counts)
def test_european_grouped_count_round_trips(value: int) -> None:
    european = f"{value:,}".replace(",", ".")
    assert parse_count(european, decimal_comma=True) == exact(value)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["+", " or more"]))
def test_at_least_round_trips(value: int, suffix: str) -> None:
    assert parse_count(f"{value:,}{suffix}") == ParsedCount(value, "at_least")


def test_a_leading_zero_group_is_a_fraction_not_thousands() -> None:
    # "0.496" is a share in any convention; "1.496" is one thousand and more only day-first.
    assert parse_count("0.496", decimal_comma=True).value is None
    assert parse_count("0,496").value is None
    assert parse_count("1.496", decimal_comma=True).value == 1496
    assert not is_decimal_comma_column(["0.496", "0.053", "0.450"])
