"""Column roles: which column holds the agency, the count and its metric, the date, the place."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from extract.blocks import CellValue
from extract.values.counts import NULL_TOKENS, is_decimal_comma_column, parse_count
from extract.values.dates import infer_dayfirst, looks_like_excel_serial, parse_date
from extract.values.places import parse_country, parse_region
from extract.values.redaction import find_redaction

#: Roles a column can take; at most one column per role, the rest go to ``extra``.
ROLES = ("agency", "count", "date", "country", "region", "user_email", "account_type", "metric")

_HEADER_CUES: dict[str, re.Pattern[str]] = {
    "agency": re.compile(
        r"agenc|organi[sz]ation|\borg\b|client|customer|entity|authorit|behörde|organismo|"
        r"institution|partner|jurisdiction|department|^name$|^names$|"
        r"compan|contractor|employer|payee",
        re.IGNORECASE,
    ),
    "count": re.compile(
        r"\b(number|no\.?|num|nr|count|counts|#|total|searches|search count|queries|hits|"
        r"detections|requests|scans|lookups|matches|alerts|reads|uploads|logins|checks|"
        r"suchanfragen|anzahl|cantidad)\b|^#|#$",
        re.IGNORECASE,
    ),
    "date": re.compile(
        r"date|time|\bday\b|month|\byear\b|\bwhen\b|start|begin|since|until|period|access|"
        r"created|submitted|received|closed|login|seen|datum|fecha|\bfirst\b|\blast\b",
        re.IGNORECASE,
    ),
    "country": re.compile(r"country|nation|\bland\b|\bpays\b|país|paese|staat", re.IGNORECASE),
    "region": re.compile(r"\bstate\b|region|province|\bprov\b|territory|bundesland", re.IGNORECASE),
    "user_email": re.compile(r"e-?mail|\buser\b|login", re.IGNORECASE),
    "account_type": re.compile(
        r"account|\btype\b|\bplan\b|tier|licen[cs]e|status|subscription", re.IGNORECASE
    ),
}
#: Header words that name what was counted, mapped to the metric written in records.
METRIC_WORDS: dict[str, str] = {
    "search": "searches", "searches": "searches", "suchanfragen": "searches",
    "query": "queries", "queries": "queries", "hit": "hits", "hits": "hits",
    "detection": "detections", "detections": "detections", "request": "requests",
    "requests": "requests", "scan": "scans", "scans": "scans", "lookup": "lookups",
    "lookups": "lookups", "match": "matches", "matches": "matches", "alert": "alerts",
    "alerts": "alerts", "read": "reads", "reads": "reads", "upload": "uploads",
    "uploads": "uploads", "login": "logins", "logins": "logins", "check": "checks",
    "checks": "checks", "image": "images", "images": "images", "photo": "photos",
    "photos": "photos", "event": "events", "events": "events",
}  # fmt: skip
_AGENCY_NOUNS = re.compile(
    r"\b(police|polic[ií]a|polizei|polizia|politie|sheriff'?s?|constabulary|gendarmerie|garda|"
    r"carabinieri|department|dept|ministry|ministerio|minist[eè]re|bureau|agency|authority|"
    r"office|service|services|force|patrol|marshal'?s?|attorney|prosecutor|court|commission|"
    r"corrections|university|college|school|district|county|city|state|federal|national|"
    r"interpol|europol|pd|so|da|fbi|dea|ice|cbp|dhs|rcmp|afp|bka|nypd|lapd)\b",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_ACCOUNT_RE = re.compile(
    r"\b(trial|paid|free|demo|pilot|subscription|subscriber|licen[cs]ed|enterprise|"
    r"evaluation|customer|expired|active|basic|premium|pro)\b",
    re.IGNORECASE,
)


#: Values per column read to judge its role.
_SAMPLE = 500


@dataclass(frozen=True)
class ColumnRole:
    """The role judged for one column, how sure, and why."""

    index: int
    header: str
    role: str
    confidence: float
    reason: str
    metric: str = ""
    dayfirst: bool | None = None
    excel_serial: bool = False
    decimal_comma: bool = False


@dataclass(frozen=True)
class _Stats:
    n: int
    count: float
    date: float
    text: float
    email: float
    country: float
    region: float
    account: float
    agency_shaped: float
    metric_words: float
    mean_len: float
    excel_serial: bool
    dayfirst: bool | None
    decimal_comma: bool


def infer_roles(
    header: Sequence[str], columns: Sequence[Sequence[CellValue]], *, headerless: bool
) -> list[ColumnRole]:
    """Return one ColumnRole per column ("other" for columns with no role)."""
    stats = [
        _stats(values, header[i] if not headerless else "") for i, values in enumerate(columns)
    ]
    candidates: list[tuple[float, int, str, str]] = []
    for i, st in enumerate(stats):
        text = "" if headerless else header[i]
        for role in ROLES:
            score, why = _score(role, text, st)
            if score > 0:
                candidates.append((score, -i, role, why))
    candidates.sort(reverse=True)
    taken_roles: dict[str, int] = {}
    taken_cols: dict[int, tuple[str, float, str]] = {}
    for score, neg_i, role, why in candidates:
        i = -neg_i
        if role in taken_roles or i in taken_cols:
            continue
        taken_roles[role] = i
        taken_cols[i] = (role, score, why)
    result: list[ColumnRole] = []
    for i, st in enumerate(stats):
        name = header[i]
        role, score, why = taken_cols.get(i, ("other", 0.0, "no role fits; kept raw in extra"))
        result.append(
            ColumnRole(
                index=i,
                header=name,
                role=role,
                confidence=round(min(score, 1.0), 2),
                reason=why,
                metric=_metric(name) if role == "count" and not headerless else "",
                dayfirst=st.dayfirst if role == "date" else None,
                excel_serial=st.excel_serial if role == "date" else False,
                decimal_comma=st.decimal_comma if role == "count" else False,
            )
        )
    return result


def metric_from_text(text: str) -> str:
    """Return the metric named in a header or label ("Number of searches" -> "searches")."""
    for token in re.findall(r"[\w]+", text.casefold()):
        if token in METRIC_WORDS:
            return METRIC_WORDS[token]
    return ""


def _metric(header: str) -> str:
    return metric_from_text(header) or "count"


@lru_cache(maxsize=1 << 16)
def _holds_value(text: str) -> bool:
    """True for a text cell that is not blank, a redaction marker or a null token ("n/a")."""
    # Cached: every value of every column is looked at, and columns repeat their values.
    stripped = text.strip()
    return (
        bool(stripped) and find_redaction(text) is None and stripped.casefold() not in NULL_TOKENS
    )


def _stats(values: Sequence[CellValue], header: str) -> _Stats:
    # Only text can be blank, a marker or a null token; any other value but None is present.
    present = [v for v in values if (_holds_value(v) if isinstance(v, str) else v is not None)]
    n = len(present)
    if n == 0:
        return _Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, False, None, False)
    decimal_comma = is_decimal_comma_column(present)
    dayfirst = infer_dayfirst(present)
    excel_serial = bool(_HEADER_CUES["date"].search(header)) and looks_like_excel_serial(present)
    counts = dates = texts = emails = countries = regions = accounts = shaped = metrics = 0
    total_len = 0
    # Shares from an evenly spaced sample: a 40,000-row audit log is judged as well from 500
    # values, while day-first and decimal-comma evidence above was looked for in every value.
    step = max(1, len(present) // _SAMPLE)
    present = present[::step]
    n = len(present)
    for v in present:
        if isinstance(v, str):
            fits = _text_fits(v, decimal_comma, dayfirst, excel_serial)
            counts += fits[0]
            dates += fits[1]
            total_len += fits[2]
            texts += fits[3]
            shaped += fits[4]
            metrics += fits[5]
            countries += fits[6]
            regions += fits[7]
            accounts += fits[8]
            emails += fits[9]
            continue
        is_count = (
            not isinstance(v, bool)
            and parse_count(v, decimal_comma=decimal_comma).value is not None
        )
        is_date = bool(parse_date(v, dayfirst=dayfirst, excel_serial=excel_serial).value)
        if isinstance(v, int | float) and not excel_serial:
            is_date = False
        counts += is_count
        dates += is_date
    return _Stats(
        n=n,
        count=counts / n,
        date=dates / n,
        text=texts / n,
        email=emails / n,
        country=countries / n,
        region=regions / n,
        account=accounts / n,
        agency_shaped=shaped / n,
        metric_words=metrics / n,
        mean_len=total_len / n,
        excel_serial=excel_serial,
        dayfirst=dayfirst,
        decimal_comma=decimal_comma,
    )


@lru_cache(maxsize=1 << 16)
def _text_fits(
    value: str, decimal_comma: bool, dayfirst: bool | None, excel_serial: bool
) -> tuple[int, int, int, int, int, int, int, int, int, int]:
    """A text value's fit to each of _stats' tests, in its order (1 or 0; its length third)."""
    # Cached: a column repeats its values (the same 50 states on every page of a report).
    is_count = parse_count(value, decimal_comma=decimal_comma).value is not None
    is_date = bool(parse_date(value, dayfirst=dayfirst, excel_serial=excel_serial).value)
    text = value.strip()
    email = int(bool(_EMAIL_RE.match(text)))
    if is_count or is_date:
        return int(is_count), int(is_date), len(text), 0, 0, 0, 0, 0, 0, email
    return (
        0,
        0,
        len(text),
        1,
        int(bool(_AGENCY_NOUNS.search(text))),
        int(text.casefold().strip("\"' ") in METRIC_WORDS),
        int(bool(parse_country(text))),
        int(bool(parse_region(text))),
        int(bool(_ACCOUNT_RE.search(text))),
        email,
    )


def pct(share: float) -> str:
    """Format a share as a whole percentage."""
    return f"{share:.0%}"


def _score(role: str, header: str, st: _Stats) -> tuple[float, str]:
    """Score a role for a column: header cue up to 0.5, value fit up to 0.5; 0 when unfit."""
    if st.n == 0:
        return 0.0, ""
    cue = bool(header) and role in _HEADER_CUES and bool(_HEADER_CUES[role].search(header))
    if role == "agency" and header and _HEADER_CUES["user_email"].search(header):
        cue = False  # "User Name" is a person, not an agency
    head = f"header {header!r} " if cue else ""
    if role == "count":
        fit = st.count
        ok = fit >= 0.8 or (cue and fit >= 0.6)
        if cue and st.date > fit:
            ok = False
        return (0.5 * cue + 0.5 * fit, f"{head}{pct(fit)} of values are counts") if ok else (0, "")
    if role == "date":
        fit = st.date
        ok = fit >= 0.8 or (cue and fit >= 0.6)
        why = f"{head}{pct(fit)} of values are dates"
        if st.excel_serial:
            why += " (Excel serial numbers)"
        if st.dayfirst is not None:
            why += ", day first" if st.dayfirst else ", month first"
        return (0.5 * cue + 0.5 * fit + 0.05, why) if ok else (0, "")
    if role == "user_email":
        fit = st.email
        return (
            (0.5 * cue + 0.5 * fit + 0.1, f"{head}{pct(fit)} of values are emails")
            if fit >= 0.7
            else (0, "")
        )
    if role == "country":
        fit = st.country
        ok = fit >= 0.8 or (cue and fit >= 0.5)
        return (
            (0.5 * cue + 0.5 * fit, f"{head}{pct(fit)} of values are countries") if ok else (0, "")
        )
    if role == "region":
        fit = st.region
        ok = (cue and fit >= 0.5) or (fit >= 0.95 and st.mean_len <= 3)
        return (
            (0.5 * cue + 0.45 * fit, f"{head}{pct(fit)} of values are states or regions")
            if ok
            else (0, "")
        )
    if role == "account_type":
        fit = st.account
        ok = (cue and fit >= 0.5) or fit >= 0.9
        return (
            (0.5 * cue + 0.45 * fit, f"{head}{pct(fit)} of values name an account type")
            if ok
            else (0, "")
        )
    if role == "metric":
        fit = st.metric_words
        return (0.5 * fit, f"{pct(fit)} of values name what was counted") if fit >= 0.8 else (0, "")
    if role == "agency":
        fit = st.text
        if fit < 0.7 or st.email > 0.5 or st.mean_len > 120 or st.metric_words > 0.5:
            return 0, ""
        if cue:
            return 0.5 + 0.4 * fit, f"{head}{pct(fit)} of values are names"
        if st.agency_shaped >= 0.3:
            return (
                0.3 + 0.4 * st.agency_shaped,
                f"{pct(st.agency_shaped)} of values have agency words (police, sheriff...)",
            )
        return 0, ""
    return 0, ""
