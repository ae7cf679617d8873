"""Audit and access logs with known per-agency search counts (issue 12 point 7).

Written from how servers, syslog daemons and vendors write logs, not from foialog's reader.
Each seed picks one of: NCSA common / combined access logs, logfmt, JSON Lines (flat or
nested), syslog RFC 3164 and RFC 5424, CSV / TSV with a header line, fixed-column text with
12-hour US times and two-space separators, and a vendor export with a preamble above its header.
It varies the organisation's field name, the action words, the share of non-search events
(0-60 %), failed requests, time formats and zones, unparseable lines, and vendor account codes
with or without a code-to-name client list beside the log.

What the truth says (scoring "log", one TruthRow per file and agency):

- ``count``: successful search events (search, query, lookup, match, identify ... and not a
  login, logout, view, export or admin event). A failed request (HTTP status >= 400, or a
  result / outcome of error, failure, denied) is not a search.
- ``date`` / ``date_last``: the first / last successful search's date **as printed in the
  line**, in the line's own time zone: ``07/Sep/2019:23:50:00 -0500`` is 2019-09-07 even though
  it is the 8th in UTC (the zone stays in date_raw). A Unix epoch has no printed zone: its UTC
  date. RFC 3164 syslog prints no year, so its date is "" (a reader must not guess the year).
- ``agency``: the organisation as printed, or, when a client list in the same folder maps the
  printed account code to a name, that name. The client list's own rows are truth rows too
  (count 0, no date): it is a document naming agencies.

``log-totals`` is a vendor's per-agency summary (Agency Name, Total Searches, Last Login with a
time) as CSV, TSV, XLSX or a text PDF, scored as rows: one row per agency, its total, and the
last login's date; a printed Total row is not a row of the truth.

More log shapes (JSON arrays, CEF, W3C, URL-encoded organisations, rotated files, newest-first
exports) are the ``log-extra`` kind in tests/variation/logexports.py; this kind is kept as it is
so that tests pinned to its seeds stay valid.

``write_access_log`` streams an access log of any size (1 GB for the memory / rate bench).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from fpdf import FPDF

from tests.variation.core import Generated, Generator, TruthRow
from tests.variation.gazetteer import unique_names
from tests.variation.workbook import save_xlsx

#: Agencies outside the US, with letters that are not ASCII: logs are UTF-8 and say so nowhere.
WORLD = (
    "Victoria Police",
    "New South Wales Police Force",
    "Royal Canadian Mounted Police",
    "Polizei Berlin",
    "Landeskriminalamt Baden-Württemberg",
    "Policía Nacional",
    "An Garda Síochána",
    "Police nationale - DGPN",
    "Politiet i Oslo",
    "Metropolitan Police Service",
)

#: Words for a search, each seed using one or two (the vocabulary of one vendor).
SEARCH_WORDS = (
    ("search",),
    ("query",),
    ("lookup", "plate_lookup"),
    ("match",),
    ("identify", "face_search"),
    ("SEARCH",),
    ("Search Performed",),
    ("search", "query"),
)
#: Words for every other event.
OTHER_WORDS = (
    ("login", "logout", "view", "export"),
    ("LOGIN", "LOGOUT", "VIEW_RESULT", "EXPORT", "ADMIN"),
    ("sign_in", "sign_out", "download", "admin_update", "password_reset"),
    ("Login", "Logout", "Viewed Record", "Export CSV", "User Created"),
)
#: The organisation's field name, as vendors spell it.
ORG_KEYS = ("org", "org_id", "organization", "agency", "customer", "tenant", "account", "client")
FAILED_STATUS = (400, 401, 403, 404, 429, 500, 503)
FAILED_RESULT = ("error", "failure", "denied", "ERROR", "FAILED")
OK_RESULT = ("ok", "success", "SUCCESS", "OK", "completed")
#: Offsets in minutes east of UTC, US zones most often.
ZONES = (0, 0, -300, -360, -420, -480, -240, 60, 120, 600, 330)
ZONE_NAMES = {0: "UTC", -300: "EST", -360: "CST", -420: "MST", -480: "PST", -240: "EDT"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Event:
    """One logged event, in the time zone the line prints."""

    when: datetime
    user: str
    org: str
    word: str
    search: bool
    failed: bool
    ip: str
    ident: str

    @property
    def counts(self) -> bool:
        """True for a successful search: what the truth counts."""
        return self.search and not self.failed


@dataclass(frozen=True)
class Plan:
    """What one seed varies."""

    fmt: str
    org_key: str
    search_words: tuple[str, ...]
    other_words: tuple[str, ...]
    zone: int
    time_style: str
    codes: bool
    client_list: str


def _offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _iso_offset(minutes: int) -> str:
    if minutes == 0:
        return "Z"
    text = _offset(minutes)
    return f"{text[:3]}:{text[3:]}"


def _iso(when: datetime, zone: int, millis: bool = False) -> str:
    base = when.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        base += f".{when.microsecond // 1000:03d}"
    return base + _iso_offset(zone)


def _us12(when: datetime) -> str:
    return when.strftime("%m/%d/%Y %I:%M:%S %p")


def _stamp(event: Event, zone: int, style: str) -> str:
    """The event's time as the seed's format prints it."""
    when = event.when
    if style == "iso":
        return _iso(when, zone)
    if style == "iso_ms":
        return _iso(when, zone, millis=True)
    if style == "space":
        return when.strftime("%Y-%m-%d %H:%M:%S")
    if style == "us12":
        zone_name = ZONE_NAMES.get(zone)
        return _us12(when) + (f" {zone_name}" if zone_name else "")
    if style == "dayfirst":
        return when.strftime("%d.%m.%Y %H:%M:%S")
    if style == "dayfirst_slash":
        return when.strftime("%d/%m/%Y %H:%M")
    if style == "us_short":
        return f"{when.month}/{when.day}/{when.year} {when.strftime('%I:%M %p').lstrip('0')}"
    if style == "epoch":
        return str(int(when.timestamp()))
    if style == "epoch_ms":
        return str(int(when.timestamp() * 1000))
    raise ValueError(f"unknown time style {style!r}")


def _truth_day(event: Event, fmt: str, style: str) -> str:
    """The event's true date: as printed; UTC for an epoch; none when no year is printed."""
    if fmt == "syslog3164":
        return ""
    if style.startswith("epoch"):
        return event.when.astimezone(UTC).date().isoformat()
    return event.when.date().isoformat()


def _plan(rng: random.Random) -> Plan:
    fmt = rng.choice(
        (
            "ncsa",
            "combined",
            "logfmt",
            "jsonl",
            "jsonl_nested",
            "syslog3164",
            "syslog5424",
            "csv",
            "tsv",
            "fixed",
            "vendor",
        )
    )
    styles = {
        "ncsa": ("ncsa",),
        "combined": ("ncsa",),
        "logfmt": ("iso", "iso_ms", "space"),
        "jsonl": ("iso", "iso_ms", "epoch", "epoch_ms", "space"),
        "jsonl_nested": ("iso", "iso_ms", "epoch", "epoch_ms"),
        "syslog3164": ("bsd",),
        "syslog5424": ("iso_ms",),
        "csv": ("iso", "space", "us12", "us_short", "dayfirst"),
        "tsv": ("iso", "space", "us12", "dayfirst_slash"),
        "fixed": ("us12",),
        "vendor": ("us_short", "us12", "dayfirst", "dayfirst_slash", "space"),
    }[fmt]
    codes = rng.random() < 0.35
    return Plan(
        fmt=fmt,
        org_key=rng.choice(ORG_KEYS),
        search_words=rng.choice(SEARCH_WORDS),
        other_words=rng.choice(OTHER_WORDS),
        zone=rng.choice(ZONES),
        time_style=rng.choice(styles),
        codes=codes,
        client_list=rng.choice(("clients.csv", "Client List.xlsx", "")) if codes else "",
    )


def _agency_names(rng: random.Random, n: int) -> list[str]:
    """Distinct organisation names: US agencies (sometimes with ", ST") and a few abroad."""
    names: list[str] = []
    pool = unique_names()
    while len(names) < n:
        if rng.random() < 0.15:
            name = rng.choice(WORLD)
        else:
            agency = rng.choice(pool)
            name = agency.name + (f", {agency.state}" if rng.random() < 0.3 else "")
        if name not in names:
            names.append(name)
    return names


def _events(rng: random.Random, plan: Plan, orgs: list[str]) -> list[Event]:
    """Events over a few weeks, every org with at least one successful search."""
    zone = timezone(timedelta(minutes=plan.zone))
    start = datetime(rng.randint(2017, 2023), rng.randint(1, 12), 1, tzinfo=zone)
    span = rng.randint(20, 120)
    non_search = rng.uniform(0.0, 0.6)
    failed_share = rng.uniform(0.0, 0.12)
    weights = [1.0 / (i + 1) for i in range(len(orgs))]
    users = {o: [f"user{rng.randint(1, 999)}@{_domain(o)}" for _ in range(3)] for o in orgs}
    n = rng.randint(60, 400)
    events: list[Event] = []
    forced = list(orgs)
    for i in range(n):
        org = forced.pop() if forced else rng.choices(orgs, weights)[0]
        search = i < len(orgs) or rng.random() >= non_search
        failed = i >= len(orgs) and rng.random() < failed_share
        when = start + timedelta(
            seconds=rng.randint(0, span * 86400), microseconds=rng.randint(0, 999) * 1000
        )
        word = rng.choice(plan.search_words if search else plan.other_words)
        events.append(
            Event(
                when,
                rng.choice(users[org]),
                org,
                word,
                search,
                failed,
                _ip(rng),
                f"{rng.getrandbits(32):08x}",
            )
        )
    # Day-first and month-first dates are told apart only by a day above 12: make one exist.
    if all(e.when.day <= 12 for e in events):
        first = events[0]
        events[0] = Event(
            first.when.replace(day=13 + rng.randint(0, 14)),
            first.user,
            first.org,
            first.word,
            first.search,
            first.failed,
            first.ip,
            first.ident,
        )
    events.sort(key=lambda e: e.when)
    return events


def _ip(rng: random.Random) -> str:
    first = rng.choice((198, 203, 192))
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _domain(org: str) -> str:
    letters = "".join(w[0] for w in org.replace(",", " ").split() if w[:1].isalpha()).lower()
    return f"{letters or 'agency'}.example.org"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _kv(key: str, value: str, always_quote: bool = False) -> str:
    needs = always_quote or any(c in value for c in ' "=,')
    return f"{key}={_quote(value) if needs else value}"


def _result(rng: random.Random, event: Event) -> str:
    return rng.choice(FAILED_RESULT if event.failed else OK_RESULT)


def _status(rng: random.Random, event: Event) -> int:
    return rng.choice(FAILED_STATUS) if event.failed else rng.choice((200, 200, 200, 201, 204))


def _path(word: str, rng: random.Random) -> str:
    slug = word.lower().replace(" ", "_")
    version = rng.choice(("/api/v2", "/api/v1", "/v3", ""))
    return f"{version}/{slug}" + (f"?q={rng.getrandbits(24):06x}" if rng.random() < 0.3 else "")


def _ncsa(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    combined = plan.fmt == "combined"
    for e in events:
        stamp = (
            f"{e.when.day:02d}/{MONTHS[e.when.month - 1]}/{e.when.year}:"
            f"{e.when.strftime('%H:%M:%S')} {_offset(plan.zone)}"
        )
        method = "POST" if e.search else rng.choice(("GET", "POST"))
        line = (
            f'{e.ip} - {e.user} [{stamp}] "{method} {_path(e.word, rng)} HTTP/1.1" '
            f"{_status(rng, e)} {rng.randint(200, 90000)}"
        )
        if combined:
            line += ' "https://portal.example.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"'
        org = _kv(plan.org_key, e.org, always_quote=True)
        yield f"{line} {org} qid=Q-{rng.randint(100000, 999999)}"


def _logfmt(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    event_key = rng.choice(("event", "action", "type", "op"))
    order = rng.sample(("level", "event", "user", "org", "result"), 5)
    for e in events:
        parts = {
            "level": f"level={'WARN' if e.failed else 'INFO'}",
            "event": _kv(event_key, e.word),
            "user": _kv("user", e.user),
            "org": _kv(plan.org_key, e.org, always_quote=True),
            "result": _kv("result", _result(rng, e)),
        }
        yield " ".join([_stamp(e, plan.zone, plan.time_style), *(parts[k] for k in order)])


def _jsonl(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    nested = plan.fmt == "jsonl_nested"
    time_key = rng.choice(("timestamp", "ts", "@timestamp", "time", "eventTime"))
    for e in events:
        stamp: object = _stamp(e, plan.zone, plan.time_style)
        if plan.time_style.startswith("epoch"):
            stamp = int(str(stamp))
        outcome: dict[str, object] = (
            {"status": _status(rng, e)} if rng.random() < 0.5 else {"outcome": _result(rng, e)}
        )
        record: dict[str, object]
        if nested:
            record = {
                time_key: stamp,
                "actor": {"user": e.user, plan.org_key: e.org, "ip": e.ip},
                "action": {"type": e.word, **outcome},
                "request_id": e.ident,
            }
        else:
            record = {
                time_key: stamp,
                "event": e.word,
                "user": e.user,
                plan.org_key: e.org,
                **outcome,
                "request_id": e.ident,
            }
        yield json.dumps(record, ensure_ascii=rng.random() < 0.5)


def _syslog(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    host = rng.choice(("lpr-app01", "audit", "web-3.example.net"))
    app = rng.choice(("auditd", "portal", "searchsvc"))
    for e in events:
        pri = f"<{rng.choice((134, 132, 86))}>"
        if plan.fmt == "syslog3164":
            stamp = f"{MONTHS[e.when.month - 1]} {e.when.day:>2} {e.when.strftime('%H:%M:%S')}"
            yield (
                f"{pri}{stamp} {host} {app}[{rng.randint(100, 9999)}]: "
                f"{_kv('event', e.word)} {_kv('user', e.user)} "
                f"{_kv(plan.org_key, e.org, always_quote=True)} {_kv('result', _result(rng, e))}"
            )
        else:
            data = (
                f"[audit@32473 {plan.org_key}={_quote(e.org)} action={_quote(e.word)} "
                f"result={_quote(_result(rng, e))}]"
            )
            yield (
                f"{pri}1 {_iso(e.when, plan.zone, millis=True)} {host} {app} "
                f"{rng.randint(100, 9999)} AUDIT {data} user {e.user} {e.word}"
            )


def _table_lines(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    delimiter = "\t" if plan.fmt == "tsv" else rng.choice((",", ",", ";"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    org_header = rng.choice(
        ("Organization", "Agency", "Customer", "Account", "Tenant", plan.org_key)
    )
    columns = ["time", "user", "org", "action", "result", "ip", "id"]
    rng.shuffle(columns)
    columns.remove("time")
    columns.insert(rng.choice((0, 0, 1)), "time")
    headers = {
        "time": rng.choice(("Timestamp", "Date/Time", "Event Time", "time")),
        "user": rng.choice(("User", "Username", "user_email")),
        "org": org_header,
        "action": rng.choice(("Action", "Event", "Event Type", "activity")),
        "result": rng.choice(("Result", "Status", "Outcome")),
        "ip": "IP Address",
        "id": rng.choice(("Query ID", "Request", "id")),
    }
    if plan.fmt == "vendor":
        yield rng.choice(
            (
                "Audit Trail Export - generated 2024-01-05 09:30 by Vendor Portal",
                "User Activity Report",
                "# exported from the admin console; times are local",
            )
        )
        if rng.random() < 0.5:
            yield ""
    writer.writerow([headers[c] for c in columns])
    for e in events:
        values = {
            "time": _stamp(e, plan.zone, plan.time_style),
            "user": e.user,
            "org": e.org,
            "action": e.word,
            "result": _result(rng, e) if rng.random() < 0.5 else str(_status(rng, e)),
            "ip": e.ip,
            "id": e.ident,
        }
        writer.writerow([values[c] for c in columns])
    yield from buffer.getvalue().splitlines()


def _fixed(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    for e in events:
        yield "  ".join(
            (
                _stamp(e, plan.zone, plan.time_style),
                e.word.upper().replace(" ", "_"),
                f"user={e.user}",
                f"{plan.org_key}={e.org}",
                f"result={_result(rng, e).upper()}",
                f"id={e.ident}",
            )
        )


WRITERS: dict[str, Callable[[list[Event], Plan, random.Random], Iterator[str]]] = {
    "ncsa": _ncsa,
    "combined": _ncsa,
    "logfmt": _logfmt,
    "jsonl": _jsonl,
    "jsonl_nested": _jsonl,
    "syslog3164": _syslog,
    "syslog5424": _syslog,
    "csv": _table_lines,
    "tsv": _table_lines,
    "vendor": _table_lines,
    "fixed": _fixed,
}
EXTENSIONS = {
    "jsonl": ".jsonl",
    "jsonl_nested": ".json",
    "csv": ".csv",
    "tsv": ".tsv",
    "vendor": ".csv",
}
JUNK = (
    "-- MARK --",
    "\x00\x00\x00\x00",
    "Traceback (most recent call last):",
    '  File "/srv/app/handlers.py", line 88, in handle',
    "=== log rotated ===",
    "2019-1",
)


def _with_junk(lines: list[str], rng: random.Random, header_lines: int) -> list[str]:
    """Some unparseable lines (rotation marks, NULs, a traceback, a cut-off stamp) put in."""
    out = list(lines)
    for _ in range(rng.randint(0, 4)):
        out.insert(rng.randint(header_lines, len(out)), rng.choice(JUNK))
    return out


def _write_client_list(
    path: Path, rng: random.Random, codes: dict[str, str], extra: list[str]
) -> None:
    """The vendor's code-to-name sheet: the log's codes and a few clients that logged nothing."""
    rows = [(code, name) for name, code in codes.items()]
    rows += [(f"ORG-{rng.randint(10000, 99999)}", name) for name in extra]
    rng.shuffle(rows)
    header = (
        rng.choice(("Account ID", "Org ID", "Customer Number", "Client Code")),
        rng.choice(("Client Name", "Organization", "Agency", "Customer")),
        "Status",
    )
    body = [(code, name, rng.choice(("Active", "Active", "Trial"))) for code, name in rows]
    if path.suffix == ".xlsx":
        table: list[list[object]] = [[*header]]
        table += [[*row] for row in body]
        save_xlsx(path, table, sheet="Clients")
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(body)


def generate_log(seed: int, folder: Path) -> Generated:
    """One log file (and maybe a client list), truth per file and agency."""
    rng = random.Random(seed)
    plan = _plan(rng)
    folder.mkdir(parents=True, exist_ok=True)
    names = _agency_names(rng, rng.randint(3, 10))
    codes = {name: f"ORG-{rng.randint(10000, 99999)}" for name in names} if plan.codes else {}
    printed = [codes.get(n, n) for n in names]
    events = _events(rng, plan, printed)
    lines = list(WRITERS[plan.fmt](events, plan, rng))
    header_lines = len(lines) - len(events)
    lines = _with_junk(lines, rng, header_lines)
    name = (
        f"{rng.choice(('audit', 'access', 'activity', 'export'))}{EXTENSIONS.get(plan.fmt, '.log')}"
    )
    path = folder / name
    encoding_bom = plan.fmt in {"csv", "vendor"} and rng.random() < 0.2
    path.write_text(
        ("\ufeff" if encoding_bom else "") + "\n".join(lines) + "\n",
        encoding="utf-8",
        newline="\r\n" if rng.random() < 0.2 else "\n",
    )
    by_code = {code: n for n, code in codes.items()}
    truth: list[TruthRow] = []
    for label in printed:
        hits = [e for e in events if e.org == label and e.counts]
        days = sorted(_truth_day(e, plan.fmt, plan.time_style) for e in hits)
        truth.append(
            TruthRow(
                name,
                by_code.get(label, label) if plan.client_list else label,
                len(hits),
                days[0],
                metric="searches",
                date_last=days[-1],
            )
        )
    if plan.client_list:
        idle = [n for n in _agency_names(rng, len(names) + 3) if n not in names][:3]
        _write_client_list(folder / plan.client_list, rng, codes, idle)
        truth += [TruthRow(plan.client_list, n, 0, "") for n in [*names, *idle]]
    return Generated(
        "log",
        seed,
        folder,
        truth,
        variation={
            "format": plan.fmt,
            "time": plan.time_style,
            "zone": _offset(plan.zone),
            "org_key": plan.org_key,
            "search": "|".join(plan.search_words),
            "codes": ("sheet " + plan.client_list) if plan.client_list else str(plan.codes),
            "events": str(len(events)),
            "bom": str(encoding_bom),
        },
        scoring="log",
    )


ID_HEADERS = ("Account ID", "Customer #", "Org ID")


def _last_login(rng: random.Random, style: str) -> tuple[object, str]:
    """A last-login time as the cell holds it (text, or a datetime in a workbook), its date."""
    when = datetime(
        rng.randint(2018, 2023),
        rng.randint(1, 12),
        rng.randint(1, 28),
        rng.randint(0, 23),
        rng.randint(0, 59),
        rng.randint(0, 59),
    )
    if style == "cell":
        return when, when.date().isoformat()
    zone = rng.choice(("UTC", "EST", "PST", "CST"))
    text = {
        "iso": when.strftime("%Y-%m-%d %H:%M:%S"),
        "iso_t": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "iso_zone": when.strftime("%Y-%m-%d %H:%M:%S ") + zone,
        "us12": _us12(when),
        "us_short": f"{when.month}/{when.day}/{when.year} {when.strftime('%I:%M %p').lstrip('0')}",
        "long": when.strftime("%b %d, %Y %I:%M %p"),
        "dayfirst": when.strftime("%d/%m/%Y %H:%M"),
    }[style]
    return text, when.date().isoformat()


def generate_log_totals(seed: int, folder: Path) -> Generated:
    """A vendor's per-agency summary: Agency Name, Total Searches, Last Login (a time)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = _agency_names(rng, rng.randint(5, 30))
    fmt = rng.choice(("csv", "xlsx", "tsv", "pdf"))
    styles = ["iso", "iso_t", "iso_zone", "us12", "us_short", "long", "dayfirst"]
    style = rng.choice([*styles, "cell", "cell"] if fmt == "xlsx" else styles)
    headers = [
        rng.choice(("Agency Name", "Organization", "Customer", "Account Name", "Agency")),
        rng.choice(("Total Searches", "Searches", "# of Queries", "Search Count", "Total Lookups")),
        rng.choice(("Last Login", "Last Activity", "Last Seen", "Most Recent Login")),
    ]
    with_users = rng.random() < 0.5
    if with_users:
        headers.insert(1, rng.choice(("Users", "Active Users", "# Users")))
    with_ids = rng.random() < 0.3
    if with_ids:
        headers.insert(0, rng.choice(ID_HEADERS))
    rows: list[list[object]] = []
    truth: list[TruthRow] = []
    name = rng.choice(("agency_totals", "usage_by_agency", "Customer Summary"))
    file_name = f"{name}.{fmt}"
    thousands = fmt != "xlsx" and rng.random() < 0.3
    logins = [_last_login(rng, style) for _ in names]
    # Day-first and month-first dates are told apart only by a day above 12.
    if style in {"us12", "us_short", "dayfirst"} and all(int(day[8:]) <= 12 for _, day in logins):
        cell, day = logins[0]
        moved = datetime.fromisoformat(day).replace(day=20)
        logins[0] = (str(cell).replace(*_swap_day(style, day, moved)), moved.date().isoformat())
    for agency, (login, login_day) in zip(names, logins, strict=True):
        total = rng.choice((rng.randint(0, 50), rng.randint(50, 5000), rng.randint(5000, 250000)))
        total_cell: object = f"{total:,}" if thousands else total
        row: list[object] = [agency, total_cell, login]
        if with_users:
            row.insert(1, rng.randint(1, 40))
        if with_ids:
            row.insert(0, f"A{rng.randint(1000, 9999)}")
        rows.append(row)
        truth.append(TruthRow(file_name, agency, total, login_day, metric="searches"))
    with_total = rng.random() < 0.4
    if with_total:
        grand = sum(t.count or 0 for t in truth)
        total_row: list[object] = ["Total", f"{grand:,}" if thousands else grand, ""]
        if with_users:
            total_row.insert(1, "")
        if with_ids:
            total_row.insert(0, "")
        rows.append(total_row)
    title = rng.choice(("", "", "Usage by agency", "Customer usage summary - all time"))
    # Half a gutter each side of a cell, in mm: 1 mm puts a right-aligned count 2 mm from the
    # date beside it, as tight vendor reports do.
    gutter = rng.choice((3.0, 3.0, 1.0)) if fmt == "pdf" else 0.0
    path = folder / file_name
    if fmt == "xlsx":
        lead: list[list[object]] = [[title]] if title else []
        save_xlsx(path, [*lead, list(headers), *rows])
    elif fmt == "pdf":
        _totals_pdf(path, title, headers, rows, gutter)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t" if fmt == "tsv" else ",")
            if title:
                writer.writerow([title])
            writer.writerows([headers, *rows])
    return Generated(
        "log-totals",
        seed,
        folder,
        truth,
        variation={
            "format": fmt,
            "time": style,
            "headers": "|".join(headers),
            "thousands": str(thousands),
            "title": title,
            "total_row": str(with_total),
            "gutter_mm": str(2 * gutter),
        },
    )


def _totals_pdf(
    path: Path, title: str, headers: list[str], rows: list[list[object]], gutter: float
) -> None:
    """A vendor's usage report as a text PDF: a title, a ruled header, one line per agency."""
    pdf = FPDF(orientation="landscape" if len(headers) > 4 else "portrait", format="letter")
    pdf.set_creation_date(datetime(2021, 1, 5, 9, 0, tzinfo=UTC))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 12)
    if title:
        pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    # Each column as wide as its widest cell plus a gutter, the name column takes the rest;
    # numbers right-aligned as reports print them, 2 x gutter mm from the next column's text.
    pdf.c_margin = gutter
    pdf.set_font("helvetica", "B", 9)
    narrow = [
        max(pdf.get_string_width(str(c)) for c in [h, *(row[i] for row in rows)]) + 8
        for i, h in enumerate(headers)
    ]
    name_col = 1 if headers[0] in ID_HEADERS else 0
    narrow[name_col] = usable - sum(w for i, w in enumerate(narrow) if i != name_col)
    for h, w in zip(headers, narrow, strict=True):
        pdf.cell(w, 7, h, border="B")
    pdf.ln()
    pdf.set_font("helvetica", "", 9)
    for row in rows:
        for value, w in zip(row, narrow, strict=True):
            text = str(value)
            number = text.replace(",", "").isdigit()
            pdf.cell(w, 6, text, align="R" if number else "L")
        pdf.ln()
    pdf.output(str(path))


def _swap_day(style: str, day: str, moved: datetime) -> tuple[str, str]:
    """The printed date of ``day`` and of ``moved`` in ``style``, to replace one by the other."""
    old = datetime.fromisoformat(day)
    if style == "dayfirst":
        return old.strftime("%d/%m/%Y"), moved.strftime("%d/%m/%Y")
    if style == "us12":
        return old.strftime("%m/%d/%Y"), moved.strftime("%m/%d/%Y")
    return f"{old.month}/{old.day}/{old.year}", f"{moved.month}/{moved.day}/{moved.year}"


def write_access_log(path: Path, size_bytes: int, seed: int = 0) -> dict[str, tuple[int, str, str]]:
    """Stream a combined access log of ``size_bytes`` (to within one line, never more);
    per org: successful searches, first and last date.

    Lines are written in blocks, so memory stays flat however large the file; times advance
    one to five seconds a line in UTC, so dates are as printed. Every line is ASCII.
    """
    rng = random.Random(seed)
    orgs = [f"ORG-{10000 + i}" for i in range(200)]
    weights = [1.0 / (i + 1) for i in range(len(orgs))]
    paths = ("/api/v2/search", "/api/v2/search", "/api/v2/search", "/api/v2/login", "/api/v2/view")
    when = datetime(2019, 1, 1, tzinfo=UTC)
    seen: dict[str, tuple[int, str, str]] = {}
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < size_bytes:
            block: list[str] = []
            chosen = rng.choices(orgs, weights, k=5000)
            for org in chosen:
                if written >= size_bytes:
                    break
                when += timedelta(seconds=rng.randint(1, 5))
                target = paths[rng.randrange(5)]
                status = 200 if rng.random() < 0.97 else 403
                stamp = f"{when.day:02d}/{MONTHS[when.month - 1]}/{when.year}:{when:%H:%M:%S} +0000"
                line = (
                    f"198.51.100.{rng.randrange(1, 255)} - "
                    f"u{rng.randrange(999)}@{org.lower()}.example.org "
                    f'[{stamp}] "POST {target} HTTP/1.1" {status} {rng.randrange(200, 9000)} '
                    f'"-" "Mozilla/5.0" org_id="{org}" qid=Q-{rng.randrange(100000, 999999)}\n'
                )
                if written + len(line) > size_bytes:
                    written = size_bytes
                    break
                written += len(line)
                block.append(line)
                if target.endswith("search") and status < 400:
                    day = when.date().isoformat()
                    count, first, _ = seen.get(org, (0, day, day))
                    seen[org] = (count + 1, first, day)
            handle.write("".join(block))
    return seen


KINDS: dict[str, Generator] = {"log": generate_log, "log-totals": generate_log_totals}
#: Logs read fast: the default number of seeds in tests/variation/test_variation.py.
TEST_SEEDS: dict[str, int] = {}
