"""Parse a date cell (text, spreadsheet date or Excel serial) into ISO text at its own precision."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from dateutil import parser as dateutil_parser

from foialog.errors import FoialogError

from .counts import clean_text

#: Longest text read as a date or date range; longer cells are prose.
MAX_DATE_TEXT = 80

#: Excel's 1900 date system: serial 1 is 1900-01-01, serial 2958465 is 9999-12-31.
EXCEL_SERIAL_MIN = 1
EXCEL_SERIAL_MAX = 2958465

#: Serials a column of real dates mostly falls in (1954-10-03 .. 2064-04-08).
PLAUSIBLE_SERIAL_MIN = 20000
PLAUSIBLE_SERIAL_MAX = 60000

#: A bare 4-digit number is read as a year only inside this span.
YEAR_MIN = 1900
YEAR_MAX = 2100

# Serial 61 is 1900-03-01 counted from this epoch; Excel's serials from 61 on are right.
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class ExcelSerialError(FoialogError):
    """A number cannot be an Excel serial date (outside 1 .. 2958465, or not finite)."""


@dataclass(frozen=True)
class ParsedDate:
    """A date read from one cell; value is "" when the cell holds no date."""

    value: str
    precision: str
    time: str = ""
    end: str = ""


_EMPTY = ParsedDate("", "")


def excel_serial_to_datetime(serial: float) -> dt.datetime:
    """Return the datetime an Excel 1900-system serial stands for; the fraction is the time."""
    if isinstance(serial, bool) or not math.isfinite(serial):
        raise ExcelSerialError(f"{serial!r} is not a finite number, so it is not an Excel date.")
    if not EXCEL_SERIAL_MIN <= serial < EXCEL_SERIAL_MAX + 1:
        raise ExcelSerialError(
            f"{serial!r} is outside the Excel date serials {EXCEL_SERIAL_MIN} .. "
            f"{EXCEL_SERIAL_MAX}; read the column as numbers instead."
        )
    seconds = round(serial * 86400)
    days, seconds = divmod(seconds, 86400)
    # Excel counts a 29 February 1900 that never existed (Lotus 1-2-3's leap-year bug), so
    # serials before 61 are one day early. Serial 60 is that phantom day: it is shown as
    # 1900-02-28, the day Excel's own neighbours agree on, as openpyxl does.
    if days < 60:
        days += 1
    try:
        return _EXCEL_EPOCH + dt.timedelta(days=days, seconds=seconds)
    except OverflowError as exc:
        raise ExcelSerialError(f"{serial!r} is past the last Excel date 9999-12-31.") from exc


def looks_like_excel_serial(values: Iterable[object]) -> bool:
    """Return True when a column's numbers are mostly Excel serials of plausible dates."""
    numeric = plausible = 0
    for value in values:
        number = _as_number(value)
        if number is None:
            continue
        numeric += 1
        plausible += PLAUSIBLE_SERIAL_MIN <= number <= PLAUSIBLE_SERIAL_MAX
    return numeric > 0 and plausible >= 0.8 * numeric


_NUMERIC_TEXT = re.compile(r"[0-9]{1,9}(?:\.[0-9]+)?", re.ASCII)


def _as_number(value: object) -> float | None:
    """Return a finite number from a typed number or a plain numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal | numbers.Real):
        try:
            number = float(value)
        except (OverflowError, ValueError):
            return None
        return number if math.isfinite(number) else None
    text = clean_text(value, MAX_DATE_TEXT)
    return float(text) if _NUMERIC_TEXT.fullmatch(text) else None


# Where dateutil is used, shape by shape:
# - ISO "2019-11-03[T14:22:05]", "2019-11" and a bare "2019": regular expressions, because
#   dateutil fills a missing day or month from its default and reads "2019" as a full date.
# - Numeric "11/03/2019", "3-11-19", "03.11.2019", "11/2019": regular expressions, because
#   dateutil guesses day/month order per cell (it is decided per column here, see
#   infer_dayfirst) and reads case numbers like "21-16030" as dates.
# - Month names ("Nov. 3, 2019", "03-Nov-19"): dateutil, guarded (see _worded).
# - Ranges: split here, as dateutil reads one date; each end goes through the rules above.
# - Excel serials: arithmetic in excel_serial_to_datetime; dateutil knows nothing of them.
# Exports join the date and time with a space, a "T", a comma or a dash ("01/22/2019 - 08:56");
# a zone after the time (Z, UTC, EST, +02:00, -04) is allowed and kept only in date_raw.
_ZONE = r"(?: ?(?:z|utc|gmt|[a-z]{2,4}t|[+-][0-9]{2}(?::?[0-9]{2})?)|z)"
_TIME = (
    r"(?:(?:,? |t| ?- ?|@ ?)(?P<hh>[0-9]{1,2}):(?P<mi>[0-9]{2})"
    r"(?::(?P<ss>[0-9]{2})(?:[.,][0-9]+)?)?"
    rf" ?(?P<ampm>[ap]\.?m\.?)?{_ZONE}?)?"
)
_ISO_DAY = re.compile(
    rf"(?P<y>[0-9]{{4}})(?P<sep>[-/.])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<d>[0-9]{{1,2}}){_TIME}",
    re.ASCII,
)
_ISO_MONTH = re.compile(r"(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})", re.ASCII)
_NUMERIC_DAY = re.compile(
    rf"(?P<a>[0-9]{{1,2}})(?P<sep>[-/.])(?P<b>[0-9]{{1,2}})(?P=sep)(?P<y>[0-9]{{4}}|[0-9]{{2}}){_TIME}",
    re.ASCII,
)
_NUMERIC_MONTH = re.compile(r"(?P<m>[0-9]{1,2})[-/.](?P<y>[0-9]{4})", re.ASCII)
_YEAR = re.compile(r"(?P<y>[0-9]{4})", re.ASCII)

# dateutil reads the shapes with month names: it already knows every order and punctuation
# of "Nov. 3, 2019", "Sunday, November 3, 2019", "03-Nov-2019" or "3rd November 2019 2:15 PM".
# It is only called on text made of the words below, because it would otherwise read
# "May" as this May or "Police 3" in fuzzy mode; a year is required of its result.
ENGLISH_MONTHS = _MONTH_NAMES = frozenset(
    {
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    }
)
# Month names in French, German, Spanish, Dutch, Italian and Portuguese, read as the English
# month (accents folded first: "février" -> "fevrier"); names equal to English ones are left out.
FOREIGN_MONTHS: dict[str, str] = {
    "janvier": "january", "fevrier": "february", "mars": "march", "avril": "april",
    "mai": "may", "juin": "june", "juillet": "july", "aout": "august",
    "septembre": "september", "octobre": "october", "novembre": "november",
    "decembre": "december", "janv": "jan", "fevr": "feb", "avr": "apr", "juil": "jul",
    "januar": "january", "februar": "february", "marz": "march", "maerz": "march",
    "juni": "june", "juli": "july", "oktober": "october", "dezember": "december",
    "okt": "oct", "dez": "dec", "mrz": "mar",
    "enero": "january", "febrero": "february", "marzo": "march", "abril": "april",
    "mayo": "may", "junio": "june", "julio": "july", "agosto": "august",
    "septiembre": "september", "setiembre": "september", "octubre": "october",
    "noviembre": "november", "diciembre": "december", "ene": "jan", "abr": "apr",
    "ago": "aug", "dic": "dec",
    "januari": "january", "februari": "february", "maart": "march", "mei": "may",
    "augustus": "august", "mrt": "mar",
    "gennaio": "january", "febbraio": "february", "aprile": "april", "maggio": "may",
    "giugno": "june", "luglio": "july", "settembre": "september", "ottobre": "october",
    "dicembre": "december", "gen": "jan", "mag": "may", "giu": "jun", "lug": "jul",
    "set": "sep", "ott": "oct",
    "janeiro": "january", "fevereiro": "february", "marco": "march", "maio": "may",
    "junho": "june", "julho": "july", "setembro": "september", "outubro": "october",
    "novembro": "november", "dezembro": "december", "fev": "feb", "out": "oct",
}  # fmt: skip
# Words around a date in those languages: "10 de junio de 2020", "1er mars", "le 3 mai".
_FOREIGN_DATE_WORDS = frozenset({"de", "del", "do", "da", "er", "le", "il", "den", "der"})
_FOREIGN_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def _fold_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def english_months(text: str) -> str:
    """A lower-case text with foreign month names written as English ones ("juin" -> "june")."""
    if text.isascii() and not any(t in FOREIGN_MONTHS for t in _FOREIGN_TOKEN.findall(text)):
        return text
    folded = _fold_accents(text)

    def english(match: re.Match[str]) -> str:
        word = match.group()
        return "" if word in _FOREIGN_DATE_WORDS else FOREIGN_MONTHS.get(word, word)

    return " ".join(_FOREIGN_TOKEN.sub(english, folded).split())


_DATE_WORDS = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
        *("st", "nd", "rd", "th", "of", "the", "at", "a", "p", "m", "am", "pm"),
        *("t", "z", "utc", "gmt", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"),
        *("cet", "cest", "bst", "wet", "west", "eet", "eest", "ist", "aest", "jst"),
    }
)
_TOKEN = re.compile(r"[a-z]+|[0-9]+|[^a-z0-9 ]", re.ASCII)
_WORD_PUNCTUATION = frozenset(",.-/:'")
_ALLOWED_TOKENS = _MONTH_NAMES | _DATE_WORDS | _WORD_PUNCTUATION
_DIGITS = re.compile("[0-9]+", re.ASCII)
# Two defaults that differ in every field: a field that differs between the two results was
# filled from the default (dateutil invents it), not read from the text.
_DEFAULT_A = dt.datetime(1904, 1, 1)
_DEFAULT_B = dt.datetime(1908, 2, 2)


def _two_digit_year(year: int) -> int:
    """Return the full year for a two-digit year: 00-69 are 2000s, 70-99 are 1900s."""
    return year + (2000 if year < 70 else 1900)


def _time_text(match: re.Match[str]) -> str | None:
    """Return "HH:MM:SS" from a matched time of day, "" when none, None when invalid."""
    if match["hh"] is None:
        return ""
    hour, minute, second = int(match["hh"]), int(match["mi"]), int(match["ss"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    # Exports write date-only values as "... 00:00:00"; midnight is dropped as for datetimes.
    return "" if hour == minute == second == 0 else f"{hour:02d}:{minute:02d}:{second:02d}"


def _day(year: int, month: int, day: int, time: str | None = "") -> ParsedDate:
    """Return a day-precision date, or the empty date when the calendar has no such day."""
    if time is None or year < 1000:
        return _EMPTY
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return _EMPTY
    return ParsedDate(value.isoformat(), "day", time)


def _month(year: int, month: int) -> ParsedDate:
    """Return a month-precision date, or the empty date for an impossible month."""
    if not 1 <= month <= 12 or year < 1000:
        return _EMPTY
    return ParsedDate(f"{year:04d}-{month:02d}", "month")


def _day_first(a: int, b: int, sep: str, dayfirst: bool | None) -> bool:
    """Return whether the first of two numeric date parts is the day."""
    if a > 12 >= b:
        return True
    if b > 12 >= a:
        return False
    if dayfirst is not None:
        return dayfirst
    # Dotted dates ("03.11.2019") are a European and Asian convention; US records use slashes.
    return sep == "."


def _numeric(text: str, dayfirst: bool | None) -> ParsedDate | None:
    """Return the date an all-numeric text spells, or None when the text has another shape."""
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        return _day(year, month, day, _time_text(match))
    if match := _NUMERIC_DAY.fullmatch(text):
        a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
        if len(match["y"]) == 2:
            year = _two_digit_year(year)
        day, month = (a, b) if _day_first(a, b, match["sep"], dayfirst) else (b, a)
        return _day(year, month, day, _time_text(match))
    # "2019-11", "11/2019" and "2019" are also how ratios, ranges and plain numbers look,
    # so these shapes are dates only for years in a plausible span.
    match = _ISO_MONTH.fullmatch(text) or _NUMERIC_MONTH.fullmatch(text) or _YEAR.fullmatch(text)
    if match is None:
        return None
    year = int(match["y"])
    if not YEAR_MIN <= year <= YEAR_MAX:
        return _EMPTY
    if "m" not in match.groupdict():
        return ParsedDate(str(year), "year")
    return _month(year, int(match["m"]))


_TRAILING_ZONE = re.compile(r"(?<=[0-9m.]) ?(?:z|utc|gmt|[a-z]{2,4}t|[+-][0-9]{2}(?::?[0-9]{2})?)$")


def _worded(text: str) -> ParsedDate:
    """Return the date a text with a month name spells, reading it with dateutil."""
    # dateutil does not know lower-case zone names ("pst"); the zone stays in date_raw.
    text = _TRAILING_ZONE.sub("", text)
    tokens = _TOKEN.findall(text)
    if sum(t in _MONTH_NAMES for t in tokens) != 1:
        return _EMPTY
    numbers_ = [t for t in tokens if _DIGITS.fullmatch(t)]
    if any(len(n) not in (1, 2, 4) for n in numbers_):
        return _EMPTY
    if any(t not in _ALLOWED_TOKENS and not _DIGITS.fullmatch(t) for t in tokens):
        return _EMPTY
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A, ignoretz=True)
        second = dateutil_parser.parse(text, default=_DEFAULT_B, ignoretz=True)
    except (ValueError, OverflowError, TypeError, LookupError):
        return _EMPTY
    if first.year != second.year or first.month != second.month:
        return _EMPTY  # no year in the text: a date without one is not a date here
    year = first.year
    if not any(len(n) == 4 for n in numbers_):
        if f"{year % 100:02d}" not in numbers_:
            return _EMPTY  # dateutil took a 1-digit number ("Nov 3 5") for the year
        year = _two_digit_year(year % 100)  # dateutil pivots on today's year; we do not
    if first.day != second.day:
        return _month(year, first.month)
    time = "" if first.time() == dt.time() else first.time().isoformat(timespec="seconds")
    return _day(year, first.month, first.day, time)


def _parse_text(text: str, dayfirst: bool | None) -> ParsedDate:
    """Return the single date a cleaned, lower-case text spells."""
    parsed = _numeric(text, dayfirst)
    if parsed is not None:
        return parsed
    if any(c.isalpha() for c in text):
        return _worded(text)
    return _EMPTY


_RANGES = tuple(
    re.compile(p, re.ASCII)
    for p in (
        r"between (?P<a>.+?) and (?P<b>.+)",
        r"(?:from )?(?P<a>.+?) (?:to|through|thru|until|till) (?P<b>.+)",
        r"(?P<a>.+?) ?[–—] ?(?P<b>.+)",
        r"(?P<a>.+?) - (?P<b>.+)",
        r"(?P<a>[^-]+)-(?P<b>[^-]+)",
    )
)
_NUMERIC_PARTS = re.compile(r"(?P<a>[0-9]{1,2})[-/.](?P<b>[0-9]{1,2})[-/.][0-9]{2,4}", re.ASCII)


def _parse_range(text: str, dayfirst: bool | None) -> ParsedDate:
    """Return a date range ("1/1/19 - 2/11/25", "between X and Y"); value is its start."""
    for pattern in _RANGES:
        match = pattern.fullmatch(text)
        if not match:
            continue
        a, b = match["a"].strip(), match["b"].strip()
        # Both ends were written the same way: a day-first end settles an ambiguous start.
        order = dayfirst if dayfirst is not None else infer_dayfirst((a, b))
        start, end = _parse_text(a, order), _parse_text(b, order)
        if start.value and end.value and end.value >= start.value:
            return ParsedDate(start.value, start.precision, start.time, end.value)
    return _EMPTY


def _from_serial(raw: float) -> ParsedDate:
    """Return the date an Excel serial stands for, or the empty date outside Excel's range."""
    try:
        when = excel_serial_to_datetime(raw)
    except FoialogError:
        return _EMPTY
    return _from_datetime(when)


def _from_datetime(when: dt.datetime) -> ParsedDate:
    """Return a day-precision date with the time of day unless it is exactly midnight."""
    time = "" if when.time() == dt.time() else when.time().isoformat(timespec="seconds")
    return ParsedDate(when.date().isoformat(), "day", time)


def parse_date(
    raw: object,
    *,
    dayfirst: bool | None = None,
    excel_serial: bool = False,
    strip_marks: bool = False,
) -> ParsedDate:
    """Return the date or date range a cell holds, at the precision written; never raises.

    With ``strip_marks`` (a cell of a column known to hold dates), marks at the text's ends
    that OCR reads from rules and specks ("— 6/13/2025 8:14") are read past; without it such
    a text is no date, so that a quoted date in a line of prose ("between '07/01/2012' and")
    does not make the line a row of values.
    """
    if isinstance(raw, str):  # first: nearly every cell is text, and the number checks are slow
        return _parse_date_text(raw, dayfirst, excel_serial, strip_marks)
    if isinstance(raw, dt.datetime):
        return _from_datetime(raw)
    if isinstance(raw, dt.date):
        return ParsedDate(raw.isoformat(), "day")
    if raw is None or isinstance(raw, bool | dt.time):
        return _EMPTY
    if isinstance(raw, int | float | Decimal | numbers.Real):
        number = _as_number(raw)
        return _from_serial(number) if excel_serial and number is not None else _EMPTY
    return _EMPTY


@lru_cache(maxsize=1 << 16)
def _parse_date_text(
    raw: str, dayfirst: bool | None, excel_serial: bool, strip_marks: bool = False
) -> ParsedDate:
    # Cached: a cell is parsed by layout, roles and rows, and leaked tables repeat values.
    text = clean_text(raw, MAX_DATE_TEXT).lower()
    if not text:
        return _EMPTY
    if excel_serial and (number := _as_number(text)) is not None:
        return _from_serial(number)
    if any(c.isalpha() for c in text):
        text = english_months(text)
    parsed = _parse_text(text, dayfirst)
    if parsed.value:
        return parsed
    parsed = _parse_range(text, dayfirst)
    if parsed.value or not strip_marks:
        return parsed
    return _without_edge_marks(text, dayfirst)


#: Marks OCR reads at a cell's edges from ruling lines, specks and table borders: dashes,
#: bars, underscores, quotes, brackets, dots (any character that is no letter, digit or space).
_EDGE_MARKS = re.compile(r"^(?:[^\w\s]|_)+\s*|\s*(?:[^\w\s]|_)+$")


def _without_edge_marks(text: str, dayfirst: bool | None) -> ParsedDate:
    """The date left when marks at the text's ends are taken off ("— 6/13/2025 8:14", "|5/2/19|").

    Only a day or month is taken so: a bare year between marks ("(2019)", "-2019") is as
    likely a number, and a text that is only marks ("-", "—") stays no date.
    """
    stripped = _EDGE_MARKS.sub("", text)
    if stripped == text or not stripped:
        return _EMPTY
    parsed = _parse_text(stripped, dayfirst)
    if not parsed.value:
        parsed = _parse_range(stripped, dayfirst)
    return parsed if parsed.precision in ("day", "month") else _EMPTY


@lru_cache(maxsize=1 << 16)
def _leading_parts(raw: str) -> tuple[int, int] | None:
    """The first two numbers of a numeric date at the start of a cell ("13/02/2021": 13, 2)."""
    # Cached: a column's every value is looked at, and columns repeat their values.
    match = _NUMERIC_PARTS.match(clean_text(raw, MAX_DATE_TEXT))
    return (int(match["a"]), int(match["b"])) if match else None


def infer_dayfirst(values: Iterable[object]) -> bool | None:
    """Return True or False when a column's numeric dates settle day/month order, else None."""
    day_first = month_first = False
    for value in values:
        parts = _leading_parts(value) if isinstance(value, str) else None
        if parts is None:
            continue
        a, b = parts
        if not (1 <= a <= 31 and 1 <= b <= 31):
            continue
        day_first |= a > 12 >= b
        month_first |= b > 12 >= a
        if day_first and month_first:
            return None
    if day_first:
        return True
    return False if month_first else None
