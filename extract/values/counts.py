"""Parse a count cell ("1,234", "320+", "about 300", "300-400") into an integer and a qualifier."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

#: Longest text read as a count; longer cells are prose, and the cap bounds regex work.
MAX_COUNT_TEXT = 100

#: Counts outside the signed 64-bit range cannot be stored in the output table (Parquet int64).
INT64_MAX = 2**63 - 1

#: Cell texts that mean "no value", compared after trimming and lower-casing.
NULL_TOKENS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "–",
        "—",
        "‒",
        "―",
        "−",
        ".",
        "..",
        "...",
        "…",
        "?",
        "??",
        "n/a",
        "n / a",
        "na",
        "n.a.",
        "n.a",
        "#n/a",
        "n/k",
        "nan",
        "none",
        "null",
        "nil",
        "unknown",
        "not known",
        "not available",
        "not applicable",
        "tbd",
        "tba",
    }
)

# Invisible characters that change nothing about how digits read; spreadsheets and CSV
# exports leave them at the start of cells (BOM) or inside them (zero-width joiners).
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))
# Bidirectional controls reorder what a reporter sees ("\u202e123" shows as "321"), so a cell
# holding one, or any other control character, is never read as a value: the parsed value
# could differ from the visible one.
_UNREADABLE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"
)


def clean_text(raw: object, max_len: int = MAX_COUNT_TEXT) -> str:
    """Return a str cell trimmed with white space collapsed, or "" when unusable or too long."""
    if not isinstance(raw, str) or len(raw) > 4 * max_len:
        return ""
    text = raw.translate(_INVISIBLE)
    if _UNREADABLE.search(text):
        return ""
    # str.split() splits on every Unicode space, including no-break and narrow no-break space.
    text = " ".join(text.split())
    return text if len(text) <= max_len else ""


@dataclass(frozen=True)
class ParsedCount:
    """A count read from one cell; value is None when the cell holds nothing countable."""

    value: int | None
    qualifier: str
    value_end: int | None = None


_EMPTY = ParsedCount(None, "")

# A number token before validation: digits with any thousands or decimal separators inside.
_NUM = r"[0-9](?:[0-9,.' ’]*[0-9])?"
_SIGN = r"[-−]"

_AT_LEAST_PREFIX = (
    r"more than|over|at least|greater than|in excess of|upwards of|no fewer than|"
    r"no less than|not less than|>=|>|≥|=>"
)
_AT_LEAST_SUFFIX = r"\+|or more|or over|and over|and above|and up|or greater|plus"
_AT_MOST_PREFIX = (
    r"fewer than|less than|under|below|up to|at most|no more than|not more than|"
    r"maximum of|maximum|max\.?|<=|<|≤|=<"
)
_AT_MOST_SUFFIX = r"or fewer|or less|or under|and under|and below|at most|max\.?|maximum"
_APPROX_PREFIX = (
    r"approximately|approx\.?|about|around|circa|ca\.?|c\.|some|roughly|an estimated|"
    r"estimated|est\.?|~|≈|∼"
)
_APPROX_SUFFIX = (
    r"\((?:approx\.?|approximately|about|circa|ca\.?|est\.?|estimated|estimate|~)\)|"
    r"approx\.?|approximately|est\.?|\(\?\)"
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.ASCII), q)
    for p, q in (
        (rf"(?P<sign>{_SIGN})?(?P<a>{_NUM})", "exact"),
        (rf"(?:{_AT_LEAST_PREFIX}) ?(?P<a>{_NUM})", "at_least"),
        (rf"(?P<a>{_NUM}) ?(?:{_AT_LEAST_SUFFIX})", "at_least"),
        (rf"(?:{_AT_MOST_PREFIX}) ?(?P<a>{_NUM})", "at_most"),
        (rf"(?P<a>{_NUM}) ?(?:{_AT_MOST_SUFFIX})", "at_most"),
        (rf"(?:{_APPROX_PREFIX}) ?(?P<a>{_NUM})", "approx"),
        (rf"(?P<a>{_NUM}) ?(?:{_APPROX_SUFFIX})", "approx"),
        (rf"(?:between )?(?P<a>{_NUM}) ?(?P<dash>[-–—]) ?(?P<b>{_NUM})", "range"),
        (rf"(?:from |between )?(?P<a>{_NUM}) (?:to|through|thru) (?P<b>{_NUM})", "range"),
        (rf"between (?P<a>{_NUM}) and (?P<b>{_NUM})", "range"),
    )
)

# A trailing word naming what was counted ("320 searches"); the metric is read elsewhere.
_TRAILING_WORD = re.compile(r"(?P<rest>.+) (?P<word>[a-z][a-z'’\-]*\.?)", re.ASCII)
_MAX_TRAILING_WORDS = 3
# Trailing words that change what the number means, so the cell is not a plain count.
_NOT_METRIC_WORDS = frozenset(
    {
        # qualifier fragments: "10 or", "320 more" are broken qualifiers, not metrics
        "and",
        "or",
        "to",
        "than",
        "more",
        "less",
        "fewer",
        "over",
        "under",
        "above",
        "below",
        "up",
        "approx",
        "approx.",
        "est",
        "est.",
        # magnitudes: "3 million" is not the count 3
        "k",
        "m",
        "mn",
        "bn",
        "b",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "hundred",
        "hundreds",
        "dozen",
        "lakh",
        "crore",
        # amounts and shares are not counts
        "usd",
        "eur",
        "gbp",
        "cad",
        "aud",
        "chf",
        "jpy",
        "dollar",
        "dollars",
        "euro",
        "euros",
        "pound",
        "pounds",
        "cents",
        "percent",
        "per",
        "pct",
        # times of day
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "h",
        "hrs",
    }
)

_PLAIN = re.compile(r"[0-9]+", re.ASCII)
_DOT_DECIMAL = re.compile(r"(?P<int>[0-9]+)\.(?P<frac>[0-9]+)", re.ASCII)
_COMMA_DECIMAL = re.compile(r"(?P<int>[0-9]+),(?P<frac>[0-9]+)", re.ASCII)
_GROUPED_DOT_DECIMAL = re.compile(
    r"(?P<int>[0-9]{1,3}(?P<sep>[, '’])[0-9]{3}(?:(?P=sep)[0-9]{3})*)(?:\.(?P<frac>[0-9]+))?",
    re.ASCII,
)
_GROUPED_COMMA_DECIMAL = re.compile(
    r"(?P<int>[0-9]{1,3}(?P<sep>[. '’])[0-9]{3}(?:(?P=sep)[0-9]{3})*)(?:,(?P<frac>[0-9]+))?",
    re.ASCII,
)
# int() refuses more than 4300 digits; anything past 19 digits is beyond int64 anyway.
_MAX_DIGITS = 19


def _number(token: str, decimal_comma: bool) -> int | None:
    """Return the integer a number token spells, or None when it is not a whole number."""
    if _PLAIN.fullmatch(token):
        return _bounded(token)
    decimal, grouped = (
        (_COMMA_DECIMAL, _GROUPED_COMMA_DECIMAL)
        if decimal_comma
        else (_DOT_DECIMAL, _GROUPED_DOT_DECIMAL)
    )
    match = grouped.fullmatch(token)
    if match and match["int"][0] == "0":
        return None  # "0.496" in a decimal-comma column, "0,496" in a decimal-point one
    if match:
        digits = re.sub(r"[^0-9]", "", match["int"])
    else:
        match = decimal.fullmatch(token)
        if not match:
            return None
        digits = match["int"]
        # "1.000" (or "1,000" in a decimal-comma column) is one thousand in the other
        # convention; a zero fraction of exactly 3 digits is too likely a thousands group.
        if len(match["frac"]) == 3 and len(digits) <= 3:
            return None
    frac = match["frac"] or ""
    if frac.strip("0"):
        return None
    return _bounded(digits)


def _bounded(digits: str) -> int | None:
    """Return int(digits) when it fits a signed 64-bit integer."""
    digits = digits.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return None
    value = int(digits)
    return value if value <= INT64_MAX else None


def _is_whole(number: float | Decimal) -> bool:
    """Return True for a finite float or Decimal with no fractional part."""
    if isinstance(number, float):
        return math.isfinite(number) and number.is_integer()
    return number.is_finite() and number == number.to_integral_value()


def _from_number(raw: float | int | Decimal) -> ParsedCount:
    """Return the count a typed spreadsheet number holds, when it is a whole number."""
    try:
        if isinstance(raw, int):
            value = raw
        elif _is_whole(raw):
            value = int(raw)
        else:
            return _EMPTY
    except (ValueError, OverflowError, ArithmeticError):
        return _EMPTY
    return ParsedCount(value, "exact") if -INT64_MAX <= value <= INT64_MAX else _EMPTY


def _match(text: str, decimal_comma: bool) -> ParsedCount:
    """Return the count when the whole text is one count shape, else the empty count."""
    for pattern, qualifier in _PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        start = _number(match["a"], decimal_comma)
        if start is None:
            return _EMPTY
        if qualifier == "exact":
            return ParsedCount(-start if match["sign"] else start, "exact")
        if qualifier != "range":
            return ParsedCount(start, qualifier)
        end = _number(match["b"], decimal_comma)
        if end is None or end <= start or not _plausible_range(match):
            return _EMPTY
        return ParsedCount(start, "range", end)
    return _EMPTY


def _plausible_range(match: re.Match[str]) -> bool:
    """Return False for hyphenated case numbers ("21-16030", "19-0345") posing as ranges."""
    a, b = match["a"], match["b"]
    if (len(a) > 1 and a.startswith("0")) or (len(b) > 1 and b.startswith("0")):
        return False
    if match.groupdict().get("dash") != "-" or " " in match.group(0):
        return True
    # A tight hyphen joining numbers of very different lengths is an identifier, not a range.
    return abs(len(re.sub(r"[^0-9]", "", a)) - len(re.sub(r"[^0-9]", "", b))) < 2


def parse_count(raw: object, *, decimal_comma: bool = False) -> ParsedCount:
    """Return the count a cell holds, with its qualifier; never raises."""
    if isinstance(raw, str):  # first: nearly every cell is text, and the number checks are slow
        return _parse_count_text(raw, decimal_comma)
    if isinstance(raw, bool) or raw is None or isinstance(raw, dt.date | dt.time):
        return _EMPTY
    if isinstance(raw, int | float | Decimal):
        return _from_number(raw)
    if isinstance(raw, numbers.Integral):  # numpy and pandas integer scalars
        return _from_number(int(raw))
    return _EMPTY


@lru_cache(maxsize=1 << 16)
def _parse_count_text(raw: str, decimal_comma: bool) -> ParsedCount:
    # Cached: a cell is parsed by layout, roles and rows, and leaked tables repeat values.
    text = clean_text(raw).lower()
    if text in NULL_TOKENS:
        return _EMPTY
    for _ in range(_MAX_TRAILING_WORDS + 1):
        parsed = _match(text, decimal_comma)
        if parsed.value is not None:
            return parsed
        trailing = _TRAILING_WORD.fullmatch(text)
        if not trailing or len(trailing["word"]) < 2 or trailing["word"] in _NOT_METRIC_WORDS:
            return _EMPTY
        text = trailing["rest"]
    return _EMPTY


_NUMBER_IN_TEXT = re.compile(r"[0-9][0-9.,]*[0-9]", re.ASCII)
# A leading group of "0" is no thousands group: "0.496" and "0,496" are fractions.
_EU_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?", re.ASCII)
_US_GROUPED = re.compile(r"[1-9][0-9]*,[0-9]{3}(?:,[0-9]{3})*(?:\.[0-9]+)?", re.ASCII)


def is_decimal_comma_column(values: Iterable[object]) -> bool:
    """Return True when a column's text numbers use "." for thousands and "," for decimals."""
    european = False
    for value in values:
        if not isinstance(value, str):
            continue  # clean_text gives "" for anything but text
        eu, us = _grouping(value)
        if us:
            return False
        european = european or eu
    return european


def number_convention(values: Iterable[object]) -> str:
    """ "eu" when text numbers group thousands with "." ("1.234,50"), "us" with ",", else ""."""
    european = False
    for value in values:
        if not isinstance(value, str):
            continue
        eu, us = _grouping(value)
        if us:
            return "us"
        european = european or eu
    return "eu" if european else ""


@lru_cache(maxsize=1 << 16)
def _grouping(raw: str) -> tuple[bool, bool]:
    """Whether a cell holds a number grouped the European way ("1.234") and the US way."""
    # Cached: a column's every value is looked at, and columns repeat their values.
    european = american = False
    for token in _NUMBER_IN_TEXT.findall(clean_text(raw)):
        if _EU_GROUPED.fullmatch(token):
            european = True
        elif _US_GROUPED.fullmatch(token):
            american = True
    return european, american
