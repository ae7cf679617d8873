"""What a log's fields mean: the organisation, the action and its outcome, the event's time.

Decided once per log from its first events (field names first, then the values), then applied
to every line: a log of millions of lines is read in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from foialog.extract.values.dates import parse_date

#: Events looked at to decide which field is which.
PLAN_EVENTS = 500

SEARCHES = "searches"
#: The metric of each kind of event; only searches are the log's count.
CATEGORIES = (
    SEARCHES, "logins", "logouts", "views", "exports", "admin actions", "failed requests",
    "other events",
)  # fmt: skip

# Words of an action, by the kind of event they name; matched at the start of a word, so
# "searched", "queries", "logged" match. Checked in this order: "export search" is an export.
_ACTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("failed requests", ("fail", "error", "denied", "deny", "reject", "unauthori", "forbidden")),
    ("logouts", ("logout", "logoff", "signout", "signoff", "sessionend")),
    ("logins", ("login", "logon", "signin", "sessionstart", "authenticat", "auth")),
    ("exports", ("export", "download", "print")),
    ("admin actions", (
        "admin", "create", "update", "delete", "remove", "config", "setting", "grant",
        "revoke", "permission", "role", "password", "provision", "invite", "edit", "modify",
        "enable", "disable", "useradd", "adduser",
    )),
    # Not "hit", "scan" or "read": a hotlist hit or a plate read is a detection, not a search.
    (SEARCHES, ("search", "query", "quer", "lookup", "match", "identif", "find", "locate")),
    ("views", ("view", "open", "read", "display", "show", "browse", "detail", "access")),
)  # fmt: skip
_JOINED = {"sign in": "signin", "log in": "login", "log on": "logon", "log out": "logout",
           "sign out": "signout", "look up": "lookup", "log off": "logoff"}  # fmt: skip
_FAILED_VALUES = frozenset(
    {"error", "err", "fail", "failed", "failure", "denied", "deny", "rejected", "reject",
     "unauthorized", "unauthorised", "forbidden", "invalid", "timeout", "false", "no", "0"}
)  # fmt: skip
_OK_VALUES = frozenset({"ok", "success", "succeeded", "successful", "true", "yes", "1", "pass"})

_ORG_WORDS = frozenset(
    {"org", "orgs", "organization", "organisation", "agency", "agencies", "customer", "tenant",
     "account", "client", "department", "dept", "company", "institution", "subscriber",
     "ori", "entity", "partner"}
)  # fmt: skip
_ID_WORDS = frozenset({"id", "code", "key", "no", "number", "num", "ref", "uuid", "identifier"})
_NAME_WORDS = frozenset({"name", "display", "full", "label", "title", "legal", "short"})
_ACTION_KEYS = frozenset(
    {"event", "action", "activity", "operation", "op", "verb", "evt", "msgid", "kind", "type",
     "eventtype", "eventname", "actiontype", "category", "method", "command", "cmd", "task"}
)  # fmt: skip
_STATUS_KEYS = frozenset(
    {"status", "result", "outcome", "success", "succeeded", "response", "statuscode",
     "httpstatus", "responsecode", "state"}
)  # fmt: skip
_TIME_KEYS = ("timestamp", "time", "ts", "datetime", "date", "when", "created", "logged",
              "eventtime", "occurred", "at")  # fmt: skip
_USER_KEYS = frozenset({"user", "username", "email", "login", "userid", "actor", "officer",
                        "analyst", "requester", "searcher", "account", "principal"})  # fmt: skip

_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
#: A vendor's account code: letters and digits with a digit, no spaces ("ORG-11299",
#: "C-90738", "a3f9c2d1", a UUID).
_CODE = re.compile(
    r"^(?:[A-Za-z]{1,6}[-_]?\d[\w-]*|\d[\dA-Za-z-]*|[0-9a-f]{6,}|"
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def key_tokens(key: str) -> tuple[str, ...]:
    """A field name's words, camelCase and separators split: "orgId" -> ("org", "id")."""
    last = key.rsplit(".", 2)[-2:] if "." in key else [key]
    words: list[str] = []
    for part in last:
        words.extend(w for w in _WORD_SPLIT.split(_CAMEL.sub("_", part).lower()) if w)
    return tuple(words)


def _compact(key: str) -> str:
    return "".join(key_tokens(key))


def org_key_kind(key: str) -> str:
    """ "name" or "code" for a field naming an organisation ("org", "org_id"); "" otherwise."""
    words = key_tokens(key)
    if not words:
        return ""
    if words[-1] in _ORG_WORDS:
        return "name"
    if len(words) >= 2 and words[-2] in _ORG_WORDS:
        if words[-1] in _ID_WORDS:
            return "code"
        if words[-1] in _NAME_WORDS:
            return "name"
    return ""


def is_code(value: str) -> bool:
    """A value shaped like an account code or id rather than a name."""
    text = value.strip()
    return (
        bool(text)
        and " " not in text
        and bool(_CODE.match(text))
        and any(ch.isdigit() for ch in text)
    )


def agency_shaped(value: str) -> bool:
    """A value shaped like an organisation's name: capitalised words, mostly letters."""
    text = value.strip()
    if not 3 <= len(text) <= 120 or any(ch in text for ch in "@/=\\{}<>"):
        return False
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 10:
        return False
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.7 * len(text.replace(" ", "")):
        return False
    return text[0].isupper() and sum(w[0].isupper() for w in words if w[0].isalpha()) >= 2


@lru_cache(maxsize=4096)
def action_category(value: str) -> str:
    """The kind of event an action value names ("plate_search" -> searches); "" if none."""
    text = " ".join(_WORD_SPLIT.split(_CAMEL.sub(" ", value).lower()))
    for phrase, joined in _JOINED.items():
        text = text.replace(phrase, joined)
    words = [w for w in _WORD_SPLIT.split(text) if w]
    for category, stems in _ACTION_WORDS:
        if any(w.startswith(stems) for w in words):
            return category
    return ""


@lru_cache(maxsize=1024)
def failed_status(value: str) -> bool:
    """An outcome that is a failure: HTTP status 400 and above, "error", "denied", "false"."""
    text = value.strip().lower()
    if text.isdigit():
        return len(text) == 3 and int(text) >= 400
    return text in _FAILED_VALUES or (
        text not in _OK_VALUES and action_category(text) == "failed requests"
    )


@dataclass(frozen=True)
class Plan:
    """Which field of a log's events holds what, and why (for notes and inspect)."""

    #: The field (or "cell N" for a loose cell) naming the organisation; "" when none.
    org: str = ""
    #: A field holding the organisation's code beside its name ("" when none or the same).
    org_code: str = ""
    #: How the organisation was found, in words.
    org_how: str = "no organisation field"
    #: The field naming the action ("method path" for access logs); "" when none.
    action: str = ""
    #: The kind of an action value that names none: what the action field's own name says
    #: ("Search Type": every value a kind of search), else other events.
    action_default: str = "other events"
    #: The fields holding the outcome (HTTP status, result); a line may carry either.
    status: tuple[str, ...] = ()
    #: The field holding the event's time when the format has no header timestamp.
    time: str = ""
    #: Whether all-numeric dates are day first (read from the values that show it).
    dayfirst: bool = False
    #: The year of timestamps that print none (RFC 3164), from elsewhere in the log.
    year: str = ""


def _value(fields: Mapping[str, str], cells: Sequence[str], where: str) -> str:
    if where.startswith("cell "):
        index = int(where[5:])
        return cells[index] if index < len(cells) else ""
    if where == "method path":
        return f"{fields.get('method', '')} {fields.get('path', '')}"
    return fields.get(where, "")


def plan(events: Sequence[tuple[Mapping[str, str], Sequence[str], str]]) -> Plan:
    """Decide from sample events ((fields, loose cells, raw stamp)) which field holds what."""
    keys: Counter[str] = Counter()
    for fields, _, _ in events:
        keys.update(k for k, v in fields.items() if v.strip())
    common = [k for k, n in keys.items() if n >= 0.5 * len(events)]
    org, org_code, org_how = _org_plan(events, common)
    action = _action_plan(events, common, skip={org, org_code})
    status = tuple(
        k
        for k, n in keys.items()
        if n >= 0.05 * len(events)
        and (_compact(k) in _STATUS_KEYS or key_tokens(k)[-1:] in {(w,) for w in _STATUS_KEYS})
        and k not in {action, org}
    )
    time = ""
    if not any(stamp for _, _, stamp in events):
        time = _time_key(events, common)
    stamps = [stamp or fields.get(time, "") for fields, _, stamp in events]
    named_kind = "" if action.startswith(("cell ", "method ")) else action_category(action)
    return Plan(
        action_default=named_kind or "other events",
        org=org,
        org_code=org_code,
        org_how=org_how,
        action=action,
        status=status,
        time=time,
        dayfirst=_dayfirst(stamps),
        year=_year_hint(events),
    )


def _org_plan(
    events: Sequence[tuple[Mapping[str, str], Sequence[str], str]], common: Sequence[str]
) -> tuple[str, str, str]:
    named = [k for k in common if org_key_kind(k)]
    values = {k: [f.get(k, "") for f, _, _ in events] for k in named}
    names = [k for k in named if sum(not is_code(v) for v in values[k] if v) > 0.5 * len(events)]
    codes = [k for k in named if k not in names]
    # A name field over a code field; among names, the one called a name ("org_name").
    names.sort(key=lambda k: (org_key_kind(k) != "name", len(key_tokens(k))))
    codes.sort(key=lambda k: (org_key_kind(k) != "code", len(key_tokens(k))))
    if names:
        code = codes[0] if codes else ""
        return names[0], code, f"field {names[0]!r} (named for an organisation)"
    if codes:
        return codes[0], codes[0], f"field {codes[0]!r} (an account code; joined to names later)"
    # Failing a name: the loose cell or field whose values are shaped like agency names.
    width = max((len(c) for _, c, _ in events), default=0)
    candidates: list[tuple[float, str]] = []
    for index in range(width):
        cells = [c[index] for _, c, _ in events if index < len(c)]
        share = sum(agency_shaped(v) for v in cells) / len(events)
        candidates.append((share, f"cell {index}"))
    for key in common:
        if _compact(key) in _USER_KEYS or _compact(key) in _ACTION_KEYS:
            continue
        share = sum(agency_shaped(f.get(key, "")) for f, _, _ in events) / len(events)
        candidates.append((share, key))
    if candidates:
        share, where = max(candidates)
        if share >= 0.5:
            what = f"column {int(where[5:]) + 1}" if where.startswith("cell ") else repr(where)
            return where, "", f"{what}: its values are shaped like agency names ({share:.0%})"
    for key in common:
        if sum(bool(_EMAIL.search(f.get(key, ""))) for f, _, _ in events) >= 0.5 * len(events):
            return f"email {key}", "", f"the email domain in field {key!r} (no agency field)"
    for index in range(width):
        cells = [c[index] for _, c, _ in events if index < len(c)]
        if sum(bool(_EMAIL.search(v)) for v in cells) >= 0.5 * len(events):
            return f"email cell {index}", "", f"the email domain in column {index + 1}"
    return "", "", "no organisation field or agency-shaped value"


def _action_plan(
    events: Sequence[tuple[Mapping[str, str], Sequence[str], str]],
    common: Sequence[str],
    skip: set[str],
) -> str:
    """The field whose values name actions: by name, then by values (a token like SEARCH)."""
    if "method" in common and "path" in common and "request" in common:
        return "method path"

    def named(key: str) -> float:
        values = [f.get(key, "") for f, _, _ in events]
        return sum(bool(action_category(v)) for v in values if v) / len(events)

    by_name = [(named(k), k) for k in common if _compact(k) in _ACTION_KEYS and k not in skip]
    by_name = [x for x in by_name if x[0] > 0]
    if by_name:
        return max(by_name)[1]
    candidates: list[tuple[float, str]] = []
    for key in common:
        if key in skip or org_key_kind(key) or _compact(key) in _USER_KEYS:
            continue
        values = [f.get(key, "") for f, _, _ in events]
        if len({v for v in values if v}) <= 30:
            candidates.append((named(key), key))
    width = max((len(c) for _, c, _ in events), default=0)
    for index in range(width):
        cells = [c[index] if index < len(c) else "" for _, c, _ in events]
        if len(set(cells)) <= 30 and all(len(v.split()) <= 3 for v in cells):
            share = sum(bool(action_category(v)) for v in cells if v) / len(events)
            candidates.append((share, f"cell {index}"))
    if candidates:
        share, where = max(candidates)
        if share >= 0.5:
            return where
    return ""


def _time_key(
    events: Sequence[tuple[Mapping[str, str], Sequence[str], str]], common: Sequence[str]
) -> str:
    ranked = sorted(
        (k for k in common if set(key_tokens(k)) & set(_TIME_KEYS)),
        key=lambda k: min(_TIME_KEYS.index(t) for t in key_tokens(k) if t in _TIME_KEYS),
    )
    for key in ranked:
        if sum(bool(event_time(f.get(key, ""), Plan())[0]) for f, _, _ in events) >= 0.5 * len(
            events
        ):
            return key
    return ""


def _dayfirst(stamps: Iterable[str]) -> bool:
    first = second = 0
    for stamp in stamps:
        found = _NUMERIC.match(stamp.strip())
        if found is not None:
            first = max(first, int(found["a"]))
            second = max(second, int(found["b"]))
    return first > 12 >= second


def _year_hint(events: Sequence[tuple[Mapping[str, str], Sequence[str], str]]) -> str:
    for fields, _, _ in events:
        for value in fields.values():
            found = re.search(r"\b(19[7-9]\d|20\d\d)-\d{2}-\d{2}", value)
            if found:
                return found.group(1)
    return ""


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
)}  # fmt: skip
_ISO = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_NCSA_TIME = re.compile(r"^(\d{1,2})/([A-Za-z]{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2})")
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{2,4}),?(?:\s+(?P<h>\d{1,2}):(?P<m>\d{2})"
    r"(?::(?P<s>\d{2}))?(?:[.,]\d+)?\s?(?P<ap>[AaPp])?)?"
)
_WORDED = re.compile(
    r"^(?:(?P<d1>\d{1,2})[ /-])?(?P<mon>[A-Za-z]{3})[a-z]*\.?[ /-]*(?P<d2>\d{1,2})?,?"
    r"(?:[ /-](?P<y>\d{4}))?[,:\s]+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:[.,]\d+)?"
    r"\s?(?P<ap>[AaPp])?"
)


def _clock(h: str | None, m: str | None, s: str | None, ap: str | None = None) -> str:
    if h is None or m is None:
        return ""
    hour = int(h)
    if ap:
        hour = hour % 12 + (12 if ap.lower() == "p" else 0)
    return f"{hour:02d}:{m}:{s or '00'}"


def event_time(raw: str, how: Plan) -> tuple[str, str]:
    """An event's (ISO date, HH:MM:SS) from its timestamp as written; ("", "") if none.

    The date is the one printed: a zone suffix is kept in date_raw, not applied, so that a
    line's date is the date on the line. Epoch seconds (and milliseconds) are read as UTC.
    """
    text = raw.strip().strip("[]")
    if not text:
        return "", ""
    found = _ISO.match(text)
    if found:
        return f"{found[1]}-{found[2]}-{found[3]}", _clock(found[4], found[5], found[6])
    found = _NCSA_TIME.match(text)
    if found and found[2].lower() in _MONTHS:
        month = _MONTHS[found[2].lower()]
        return f"{found[3]}-{month:02d}-{int(found[1]):02d}", f"{found[4]}:{found[5]}:{found[6]}"
    if re.fullmatch(r"\d{10}(?:\.\d+)?|\d{13}", text):
        seconds = float(text) / (1000 if len(text) == 13 else 1)
        when = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        return when.date().isoformat(), when.strftime("%H:%M:%S")
    found = _NUMERIC.match(text)
    if found:
        a, b, year = int(found["a"]), int(found["b"]), int(found["y"])
        year = year + 2000 if year < 100 else year
        day, month = (a, b) if how.dayfirst else (b, a)
        try:
            date = dt.date(year, month, day).isoformat()
        except ValueError:
            date = ""
        if date:
            return date, _clock(found["h"], found["m"], found["s"], found["ap"])
    found = _WORDED.match(text)
    if found and found["mon"].lower() in _MONTHS:
        day_text = found["d1"] or found["d2"]
        year_text = found["y"] or how.year
        if day_text and year_text:
            try:
                date = dt.date(
                    int(year_text), _MONTHS[found["mon"].lower()], int(day_text)
                ).isoformat()
            except ValueError:
                date = ""
            if date:
                return date, _clock(found["h"], found["m"], found["s"], found["ap"])
    parsed = parse_date(text)
    return (parsed.value, parsed.time) if parsed.precision == "day" else ("", "")


def organisation(fields: Mapping[str, str], cells: Sequence[str], how: Plan) -> str:
    """The organisation an event names, by the plan ("" when it names none)."""
    if not how.org:
        return ""
    if how.org.startswith("email "):
        found = _EMAIL.search(_value(fields, cells, how.org[6:]))
        return found.group(1).lower() if found else ""
    value = _value(fields, cells, how.org).strip()
    if not value and how.org_code:
        value = fields.get(how.org_code, "").strip()
    return value


def category(fields: Mapping[str, str], cells: Sequence[str], how: Plan) -> str:
    """The event's metric: searches, logins, failed requests ... (searches with no action)."""
    if any(failed_status(fields.get(key, "")) for key in how.status):
        return "failed requests"
    if not how.action:
        return SEARCHES
    return action_category(_value(fields, cells, how.action)) or how.action_default
