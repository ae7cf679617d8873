"""Event logs written one event per line (access logs, logfmt, JSON Lines, syslog, columns).

Read in one pass: the format and the meaning of each field are decided from the first lines,
then each line becomes an event. A log of more than AGGREGATE_AFTER events is kept as one
record per organisation, day and kind of event (count = events, row = its first line), so that
a log of any size is read in bounded memory.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foialog.extract.record import Record
from foialog.extract.tables.roles import metric_from_text
from foialog.extract.text.encoding import MIXED, decode_text, detect_encoding
from foialog.extract.text.logevents import (
    PLAN_EVENTS,
    SEARCHES,
    Plan,
    category,
    event_time,
    is_code,
    organisation,
    plan,
)
from foialog.extract.text.logformats import (
    DELIMITED,
    SAMPLE_LINES,
    W3C,
    Detected,
    Event,
    detect,
    parse,
)

#: Events kept one record each; past this, records are per organisation, day and kind.
AGGREGATE_AFTER = 50_000
#: Lines that hold no event and are no error: blank, or the brackets around a JSON array.
_NOT_LINES = frozenset({"", "[", "]"})
#: Lines that did not parse shown in the notes.
SHOWN_UNREAD = 3
_EMAIL_KEYS = ("user", "email", "username", "login", "actor", "principal")


@dataclass
class _Tally:
    """What a log held: events per kind and organisation, lines that did not parse."""

    kinds: Counter[str] = field(default_factory=Counter)
    by_org: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    unread: int = 0
    shown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LineLog:
    """Records read from a line log, notes for documents.csv, and how it was read."""

    records: list[Record]
    notes: list[str]
    detected: Detected
    how: Plan


def iter_file_lines(path: Path) -> Iterator[tuple[int, str]]:
    """A text file's lines (1-based numbers), decoded in its detected encoding, streamed."""
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    encoding = detect_encoding(head) or "utf-8"
    if encoding.startswith(("utf-16", "utf-32")):
        # Multi-byte line ends: such files are small exports; decode whole.
        text = decode_text(path.read_bytes(), encoding)
        yield from enumerate(text.splitlines(), start=1)
        return
    if encoding == MIXED:  # UTF-8 with cp1252 lines: decoded line by line
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):
                line = decode_text(raw, encoding).rstrip("\r\n")
                yield number, (line[1:] if number == 1 and line.startswith("\ufeff") else line)
        return
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            yield number, (line[1:] if number == 1 and line.startswith("\ufeff") else line)


def read_line_log(
    lines: Iterable[tuple[int, str]], *, source_file: str, sha256: str
) -> LineLog | None:
    """Read numbered lines as an event log in one of the known line formats; None if not one."""
    stream = iter(lines)
    head = list(itertools.islice(stream, SAMPLE_LINES))
    detected = detect(head)
    if detected is None:
        return None
    preamble = {n for n, _ in detected.preamble}
    sample: list[Event] = []
    for number, line in head:
        if number not in preamble and line.strip():
            event = parse(detected, number, line)
            if event is not None:
                sample.append(event)
        if len(sample) >= PLAN_EVENTS:
            break
    how = plan([(e.fields, e.cells, e.stamp) for e in sample])
    if detected.name in TABLE_LIKE and _totals_table(sample, how):
        return None
    tally = _Tally()
    records: list[Record] = []
    # Past AGGREGATE_AFTER events: (organisation, day, kind) -> [first event's record, events,
    # last line]; a record is made only for the first event of each.
    grouped: dict[tuple[str, str, str], list[Any]] | None = None
    for number, line in itertools.chain(head, stream):
        if number in preamble or line.strip() in _NOT_LINES:
            continue
        if detected.name == W3C and line.startswith("#"):
            continue  # a directive (#Date:, #Fields: of a rotated file), not an event
        event = parse(detected, number, line)
        if event is None:
            tally.unread += 1
            if len(tally.shown) < SHOWN_UNREAD:
                tally.shown.append(f"line {number}: {line.strip()[:120]!r}")
            continue
        if grouped is None:
            rec = _record(event, how, source_file, sha256)
            agency, metric = rec.agency_raw, rec.metric
            records.append(rec)
            if len(records) > AGGREGATE_AFTER:
                grouped = _group(records)
                records = []
        else:
            agency = organisation(event.fields, event.cells, how)
            metric = category(event.fields, event.cells, how)
            date = event_time(event.stamp or event.fields.get(how.time, ""), how)[0]
            group = grouped.get((agency, date, metric))
            if group is None:
                first = _record(event, how, source_file, sha256)
                first.extra = "{}"  # a day's fields are not one event's: kept small
                grouped[(agency, date, metric)] = [first, 1, 0]
            else:
                group[1] += 1
                group[2] = number
        tally.kinds[metric] += 1
        if metric != SEARCHES:
            tally.by_org[metric][agency or "(no organisation)"] += 1
    if grouped is not None:
        records = [_grouped_record(*group) for group in grouped.values()]
    notes = _notes(detected, how, tally, aggregated=grouped is not None)
    return LineLog(records=records, notes=notes, detected=detected, how=how)


def describe(lines: Iterable[tuple[int, str]]) -> list[str]:
    """How the first lines of a text would be read as a log, in words (for inspect)."""
    head = list(itertools.islice(iter(lines), SAMPLE_LINES))
    detected = detect(head)
    if detected is None:
        return ["not a line log: no log format reads most of its first lines"]
    preamble = {n for n, _ in detected.preamble}
    sample = [
        e for n, line in head if n not in preamble and (e := parse(detected, n, line)) is not None
    ][:PLAN_EVENTS]
    how = plan([(e.fields, e.cells, e.stamp) for e in sample])
    said = [f"format: {detected.name}, {len(sample)} of its first {len(head)} lines read"]
    if detected.header:
        said.append(f"header: {' | '.join(detected.header)}")
    if detected.name in TABLE_LIKE and _totals_table(sample, how):
        said.append(
            "not an event log: its rows carry counts (each organisation on one row beside a "
            "number, or a column named for what it counts and nothing marking a row as one "
            "event); read as a table"
        )
        return said
    said.append(f"organisation: {how.org_how}")
    said.append(
        f"action: {_where(how.action)} (a value naming none counts as {how.action_default})"
        if how.action
        else "action: no action field, every event counted as a search"
    )
    if how.status:
        said.append(f"failures: {' or '.join(repr(k) for k in how.status)}")
    said.append(f"time: {repr(how.time) if how.time else 'the timestamp in each line'}")
    return said


def _where(field_name: str) -> str:
    if field_name.startswith("cell "):
        return f"column {int(field_name[5:]) + 1}"
    return repr(field_name)


#: Line formats that may hold a table of counts rather than events: an access log, a CEF
#: or a syslog line is one event whatever numbers it carries (a CEF signature id, a status).
TABLE_LIKE = frozenset({DELIMITED, "JSON Lines", "key=value (logfmt)", "fixed-column text"})


def _totals_table(sample: list[Event], how: Plan) -> bool:
    """Rows that each carry a count: a table of counts, not one event per line.

    Either each organisation is on one row beside a number above 1 (an event log names an
    organisation once per event, so its names repeat), whatever timestamps the rows hold (a
    last login); or a numeric column is named for what it counts ("Searches", "# of
    Queries") and nothing marks a row as one event (no action field, no user, no column of
    values unique to each row such as a request id). Such files are left to the table reader.
    """
    if len(sample) < 3:
        return False
    orgs = [organisation(e.fields, e.cells, how) for e in sample]
    numeric = [
        key
        for key in sample[0].fields
        if all(e.fields.get(key, "").replace(",", "").strip().isdigit() for e in sample)
        and any(int(e.fields[key].replace(",", "").strip()) > 1 for e in sample)
    ]
    if not numeric:
        return False
    if all(orgs) and len(set(orgs)) == len(orgs):
        return True
    named = [key for key in numeric if metric_from_text(key)]
    if not named or how.action:
        return False
    per_event = any(
        _compact_key(key) in _PER_EVENT_KEYS
        or len({e.fields.get(key, "") for e in sample}) == len(sample)
        for key in sample[0].fields
        if key not in numeric
        and key not in (how.org, how.time)
        and any(e.fields.get(key) != e.stamp for e in sample)
    )
    return not per_event


#: Field names that mark a row as one event (who did it, why).
_PER_EVENT_KEYS = frozenset({"user", "username", "email", "useremail", "reason", "purpose", "case"})


def _compact_key(key: str) -> str:
    return "".join(ch for ch in key.lower() if ch.isalnum())


def _group(records: list[Record]) -> dict[tuple[str, str, str], list[Any]]:
    """Per-event records folded per organisation, day and kind: [first record, events, last]."""
    grouped: dict[tuple[str, str, str], list[Any]] = {}
    for rec in records:
        group = grouped.get((rec.agency_raw, rec.date, rec.metric))
        if group is None:
            rec.extra = "{}"
            grouped[(rec.agency_raw, rec.date, rec.metric)] = [rec, 1, 0]
        else:
            group[1] += 1
            group[2] = rec.row
    return grouped


def _grouped_record(first: Record, events: int, last: int) -> Record:
    """The record of an organisation's events of one kind on one day: count = events."""
    first.count = events
    first.extra = json.dumps(
        {"events": events, "first line": first.row, "last line": last or first.row}
    )
    return first


def _record(event: Event, how: Plan, source_file: str, sha256: str) -> Record:
    fields, cells = event.fields, event.cells
    stamp = event.stamp or fields.get(how.time, "")
    date, clock = event_time(stamp, how)
    agency = organisation(fields, cells, how)
    extra: dict[str, str] = {k: v for k, v in fields.items() if k not in (how.org, how.time)}
    if event.stamp:
        extra = {k: v for k, v in extra.items() if v != event.stamp}
    for index, cell in enumerate(cells, start=1):
        if f"cell {index - 1}" != how.org:
            extra[f"column {index}"] = cell
    if agency and is_code(agency):
        extra["agency_code"] = agency
    email = next(
        (fields[k] for k in _EMAIL_KEYS if "@" in fields.get(k, "")),
        next((c for c in cells if "@" in c and " " not in c), ""),
    )
    return Record(
        source_file=source_file,
        source_sha256=sha256,
        row=event.number,
        method="log",
        agency_raw=agency,
        count=1,
        count_qualifier="exact",
        metric=category(fields, cells, how),
        date=date,
        time=clock,
        date_raw=stamp,
        date_label=how.time or "timestamp in line",
        extra=json.dumps(extra, ensure_ascii=False),
        confidence=1.0 if date else 0.5,
        user_email=email,
    )


def _notes(detected: Detected, how: Plan, tally: _Tally, *, aggregated: bool) -> list[str]:
    events = sum(tally.kinds.values())
    action = (
        f"action from {_where(how.action)}"
        if how.action
        else "no action field: every event counted as a search"
    )
    if how.status:
        action += f", failures from {' or '.join(repr(k) for k in how.status)}"
    notes = [
        f"event log ({detected.name}): {events} events; organisation from {how.org_how}; "
        f"{action}; searches {tally.kinds.get(SEARCHES, 0)}"
    ]
    if detected.preamble:
        notes.append(f"{len(detected.preamble)} line(s) above the first event kept out of it")
    for kind, n in tally.kinds.most_common():
        if kind == SEARCHES:
            continue
        orgs = tally.by_org[kind].most_common()
        shown = ", ".join(f"{org} {count}" for org, count in orgs[:10])
        more = f" and {len(orgs) - 10} more" if len(orgs) > 10 else ""
        notes.append(f"{kind} counted apart, not as searches: {n} ({shown}{more})")
    if tally.unread:
        notes.append(
            f"{tally.unread} line(s) did not parse as {detected.name} and were not counted: "
            + "; ".join(tally.shown)
        )
    if aggregated:
        notes.append(
            f"more than {AGGREGATE_AFTER:,} events: one record per organisation, day and kind "
            "(count = events; row = its first line; extra holds the first and last line)"
        )
    return notes
