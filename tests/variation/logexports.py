"""Audit logs in shapes the ``log`` kind leaves out (issue 12 point 7), scored per file and agency.

The ``log-extra`` kind adds formats: a JSON array export (pretty-printed, one object over many
lines), ArcSight CEF (with or without a syslog prefix), W3C extended / IIS logs (``#Fields:``
header, times in UTC, the organisation URL-encoded in ``cs-uri-query``), access logs whose
organisation is only in the query string (``?org=Victoria%20Police``), and workbook exports
(XLSX, time cells as datetimes or text). It also varies the file around the lines, for every
format: newest events first (vendor exports sort that way), the header repeated where two
exports were pasted together, and a log rotated into two or three files (``access.log``,
``access.log.1`` ...), each file its own truth.

The truth's rules are the ``log`` kind's (tests/variation/logs.py): successful searches only,
the date as printed in the line; W3C times and Unix epochs are UTC, so their UTC date.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path
from urllib.parse import quote, quote_plus

from tests.variation.core import Generated, Generator, TruthRow
from tests.variation.logs import (
    MONTHS,
    ORG_KEYS,
    OTHER_WORDS,
    SEARCH_WORDS,
    WRITERS,
    ZONES,
    Event,
    Plan,
    _agency_names,
    _events,
    _offset,
    _result,
    _stamp,
    _status,
    _truth_day,
    _with_junk,
    _write_client_list,
)
from tests.variation.workbook import save_xlsx

#: Formats of this kind, and the time styles each may print.
STYLES: dict[str, tuple[str, ...]] = {
    "json_array": ("iso", "iso_ms", "epoch", "space"),
    "cef": ("cef", "epoch_ms"),
    "cef_syslog": ("cef",),
    "w3c": ("utc",),
    "ncsa_query": ("ncsa",),
    "xlsx": ("cell", "space", "us12", "dayfirst"),
    "csv": ("iso", "space", "us12", "us_short", "dayfirst"),
    "logfmt": ("iso", "iso_ms", "space"),
    "jsonl": ("iso", "iso_ms", "epoch_ms"),
}
#: Formats written as lines under a header line (whose header may repeat).
HEADED = {"csv", "xlsx"}
#: Formats that are one document: never rotated, never given junk lines.
WHOLE = {"json_array", "xlsx", "w3c"}


def _cef_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("=", "\\=")


def _cef_stamp(event: Event, style: str) -> str:
    if style == "epoch_ms":
        return str(int(event.when.timestamp() * 1000))
    when = event.when
    return f"{MONTHS[when.month - 1]} {when.day:02d} {when.year} {when:%H:%M:%S}"


def _cef(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    host = rng.choice(("siem-fwd01", "lpr-portal"))
    for i, e in enumerate(events):
        extension = " ".join(
            (
                f"rt={_cef_stamp(e, plan.time_style)}",
                f"suser={e.user}",
                f"src={e.ip}",
                f"act={e.word}",
                f"outcome={'failure' if e.failed else 'success'}",
                f"cs1Label={plan.org_key}",
                f"cs1={_cef_escape(e.org)}",
                "requestClientApplication=portal",
            )
        )
        severity = 7 if e.failed else 3
        line = f"CEF:0|Vendor|LPR Portal|3.2|{100 + i % 7}|{e.word}|{severity}|{extension}"
        if plan.fmt == "cef_syslog":
            prefix = f"{MONTHS[e.when.month - 1]} {e.when.day:>2} {e.when:%H:%M:%S}"
            line = f"<134>{prefix} {host} {line}"
        yield line


def _w3c(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    first = events[0].when.astimezone(UTC) if events else None
    yield "#Software: Microsoft Internet Information Services 10.0"
    yield "#Version: 1.0"
    if first is not None:
        yield f"#Date: {first:%Y-%m-%d %H:%M:%S}"
    yield (
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
        "c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken"
    )
    for e in events:
        when = e.when.astimezone(UTC)
        query = f"{plan.org_key}={quote_plus(e.org)}&ref={e.ident}"
        slug = e.word.lower().replace(" ", "_")
        yield (
            f"{when:%Y-%m-%d %H:%M:%S} 10.0.4.12 {'POST' if e.search else 'GET'} "
            f"/api/{slug} {query} 443 {e.user} {e.ip} Mozilla/5.0+(Windows+NT+10.0;+Win64) "
            f"{_status(rng, e)} 0 0 {rng.randint(3, 900)}"
        )


def _ncsa_query(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    plus = rng.random() < 0.5
    for e in events:
        stamp = (
            f"{e.when.day:02d}/{MONTHS[e.when.month - 1]}/{e.when.year}:"
            f"{e.when:%H:%M:%S} {_offset(plan.zone)}"
        )
        org = quote_plus(e.org) if plus else quote(e.org)
        slug = e.word.lower().replace(" ", "_")
        path = f"/api/v2/{slug}?{plan.org_key}={org}&plate={e.ident[:6].upper()}"
        yield (
            f'{e.ip} - {e.user} [{stamp}] "{"POST" if e.search else "GET"} {path} HTTP/1.1" '
            f"{_status(rng, e)} {rng.randint(200, 90000)}"
        )


def _objects(events: list[Event], plan: Plan, rng: random.Random) -> list[dict[str, object]]:
    nested = rng.random() < 0.5
    time_key = rng.choice(("timestamp", "createdAt", "event_time", "date"))
    out: list[dict[str, object]] = []
    for e in events:
        stamp: object = _stamp(e, plan.zone, plan.time_style)
        if plan.time_style.startswith("epoch"):
            stamp = int(str(stamp))
        outcome = {"success": not e.failed} if rng.random() < 0.5 else {"status": _status(rng, e)}
        if nested:
            out.append(
                {
                    "id": e.ident,
                    time_key: stamp,
                    "user": {"email": e.user, plan.org_key: {"name": e.org}},
                    "activity": {"type": e.word, **outcome},
                }
            )
        else:
            out.append(
                {
                    "id": e.ident,
                    time_key: stamp,
                    "user": e.user,
                    plan.org_key: e.org,
                    "action": e.word,
                    **outcome,
                }
            )
    return out


def _json_array(events: list[Event], plan: Plan, rng: random.Random) -> Iterator[str]:
    records = _objects(events, plan, rng)
    document: object = records
    if rng.random() < 0.4:
        document = {"exported": "2024-01-05T09:30:00Z", "count": len(records), "events": records}
    yield from json.dumps(document, indent=rng.choice((2, 4)), ensure_ascii=False).splitlines()


def _xlsx_rows(events: list[Event], plan: Plan, rng: random.Random) -> list[list[object]]:
    header: list[object] = [
        rng.choice(("Date/Time", "Timestamp", "Event Time")),
        rng.choice(("User", "Username")),
        rng.choice(("Organization", "Agency", "Customer", "Account")),
        rng.choice(("Action", "Event Type")),
        rng.choice(("Result", "Status")),
    ]
    rows: list[list[object]] = [header]
    for e in events:
        when: object = (
            e.when.replace(tzinfo=None)
            if plan.time_style == "cell"
            else _stamp(e, plan.zone, plan.time_style)
        )
        rows.append([when, e.user, e.org, e.word, _result(rng, e)])
    return rows


LineWriter = Callable[[list[Event], Plan, random.Random], Iterator[str]]


def _extra_writer(fmt: str) -> LineWriter:
    extra: dict[str, LineWriter] = {
        "json_array": _json_array,
        "cef": _cef,
        "cef_syslog": _cef,
        "w3c": _w3c,
        "ncsa_query": _ncsa_query,
    }
    return extra.get(fmt) or WRITERS[fmt]


def _day(event: Event, plan: Plan) -> str:
    if plan.time_style in {"utc", "epoch", "epoch_ms"}:
        return event.when.astimezone(UTC).date().isoformat()
    return _truth_day(event, plan.fmt, plan.time_style)


def _split(rng: random.Random, events: list[Event], parts: int) -> list[list[Event]]:
    """Time-ordered events cut into ``parts`` consecutive runs, oldest first."""
    cuts = sorted(rng.sample(range(1, len(events)), parts - 1))
    bounds = [0, *cuts, len(events)]
    return [events[a:b] for a, b in itertools.pairwise(bounds)]


def _rotated_names(rng: random.Random, name: str, parts: int) -> list[str]:
    """File names of a rotated log, oldest first: access.log.2, access.log.1, access.log."""
    stem, _, ext = name.rpartition(".")
    if rng.random() < 0.5:
        return [f"{name}.{i}" for i in range(parts - 1, 0, -1)] + [name]
    return [f"{stem}_part{i}.{ext}" for i in range(1, parts + 1)]


def generate_log_extra(seed: int, folder: Path) -> Generated:
    """One log (maybe rotated into several files, maybe with a client list), truth per file."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    fmt = rng.choice([*STYLES, "json_array", "cef", "w3c", "ncsa_query", "xlsx"])
    codes_on = rng.random() < 0.3
    plan = Plan(
        fmt=fmt,
        org_key=rng.choice(ORG_KEYS),
        search_words=rng.choice(SEARCH_WORDS),
        other_words=rng.choice(OTHER_WORDS),
        zone=rng.choice(ZONES),
        time_style=rng.choice(STYLES[fmt]),
        codes=codes_on,
        client_list=rng.choice(("clients.csv", "Client List.xlsx", "")) if codes_on else "",
    )
    names = _agency_names(rng, rng.randint(3, 10))
    codes = {n: f"ORG-{rng.randint(10000, 99999)}" for n in names} if plan.codes else {}
    printed = [codes.get(n, n) for n in names]
    events = _events(rng, plan, printed)
    newest_first = rng.random() < 0.4
    repeated_header = fmt in HEADED and rng.random() < 0.4
    parts = 1 if fmt in WHOLE or rng.random() < 0.5 else rng.choice((2, 3))
    ext = {"json_array": ".json", "xlsx": ".xlsx", "csv": ".csv", "jsonl": ".jsonl"}.get(
        fmt, ".log"
    )
    base = f"{rng.choice(('audit', 'access', 'activity', 'export'))}{ext}"
    files = _rotated_names(rng, base, parts) if parts > 1 else [base]
    truth: list[TruthRow] = []
    by_code = {code: n for n, code in codes.items()}
    chunks = _split(rng, events, parts) if parts > 1 else [events]
    if fmt in WHOLE:
        ordered = list(reversed(events)) if newest_first else events
        _write_whole(folder / files[0], rng, plan, ordered, repeated_header)
    else:
        # One writer over the whole log, so every rotated file has the same fields and header.
        lines = list(_extra_writer(fmt)(events, plan, rng))
        head, body = lines[: len(lines) - len(events)], lines[len(lines) - len(events) :]
        start = 0
        for name, chunk in zip(files, chunks, strict=True):
            own = body[start : start + len(chunk)]
            start += len(chunk)
            _write_lines(
                folder / name, rng, head, own[::-1] if newest_first else own, repeated_header
            )
    for name, chunk in zip(files, chunks, strict=True):
        for label in printed:
            hits = [e for e in chunk if e.org == label and e.counts]
            if not hits:
                continue
            days = sorted(_day(e, plan) for e in hits)
            agency = by_code.get(label, label) if plan.client_list else label
            truth.append(
                TruthRow(name, agency, len(hits), days[0], metric="searches", date_last=days[-1])
            )
    if plan.client_list:
        idle = [n for n in _agency_names(rng, len(names) + 3) if n not in names][:3]
        _write_client_list(folder / plan.client_list, rng, codes, idle)
        truth += [TruthRow(plan.client_list, n, 0, "") for n in [*names, *idle]]
    return Generated(
        "log-extra",
        seed,
        folder,
        truth,
        variation={
            "format": fmt,
            "time": plan.time_style,
            "zone": _offset(plan.zone),
            "org_key": plan.org_key,
            "codes": ("sheet " + plan.client_list) if plan.client_list else str(plan.codes),
            "newest_first": str(newest_first),
            "repeated_header": str(repeated_header),
            "files": str(parts),
            "events": str(len(events)),
        },
        scoring="log",
    )


def _write_whole(
    path: Path, rng: random.Random, plan: Plan, events: list[Event], repeated_header: bool
) -> None:
    """A log that is one document: a workbook, a JSON array, a W3C log with its directives."""
    if plan.fmt == "xlsx":
        rows = _xlsx_rows(events, plan, rng)
        if repeated_header and len(rows) > 3:
            rows.insert(rng.randint(2, len(rows) - 1), list(rows[0]))
        save_xlsx(path, rows, sheet=rng.choice(("Audit", "Sheet1", "export")))
        return
    lines = list(_extra_writer(plan.fmt)(events, plan, rng))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_lines(
    path: Path, rng: random.Random, head: list[str], body: list[str], repeated_header: bool
) -> None:
    """Header lines, then one line per event, a pasted-in header and junk lines among them."""
    lines = [*head, *body]
    if repeated_header and head and len(body) > 2:
        lines.insert(rng.randint(len(head) + 1, len(lines) - 1), head[-1])
    lines = _with_junk(lines, rng, len(head))
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8", newline="\r\n" if rng.random() < 0.2 else "\n")


KINDS: dict[str, Generator] = {"log-extra": generate_log_extra}
