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

from extract.logevents import (
    PLAN_EVENTS,
    SEARCHES,
    Plan,
    category,
    event_time,
    is_code,
    organisation,
    plan,
)
from extract.logformats import SAMPLE_LINES, Detected, Event, detect, parse
from extract.record import Record
from extract.textfile import decode_text, detect_encoding

#: Events kept one record each; past this, records are per organisation, day and kind.
AGGREGATE_AFTER = 200_000
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
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            line = decode_text(raw, encoding).rstrip("\r\n")
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
    if _totals_table(sample, how):
        return None
    tally = _Tally()
    records: list[Record] = []
    grouped: dict[tuple[str, str, str], Record] = {}
    for number, line in itertools.chain(head, stream):
        if number in preamble or not line.strip():
            continue
        event = parse(detected, number, line)
        if event is None:
            tally.unread += 1
            if len(tally.shown) < SHOWN_UNREAD:
                tally.shown.append(f"line {number}: {line.strip()[:120]!r}")
            continue
        rec = _record(event, how, source_file, sha256)
        tally.kinds[rec.metric] += 1
        if rec.metric != SEARCHES:
            tally.by_org[rec.metric][rec.agency_raw or "(no organisation)"] += 1
        if grouped or len(records) >= AGGREGATE_AFTER:
            if not grouped:
                for old in records:
                    _add(grouped, old)
                records = []
            _add(grouped, rec)
        else:
            records.append(rec)
    if grouped:
        records = list(grouped.values())
        for rec in records:
            rec.extra = json.dumps(json.loads(rec.extra), ensure_ascii=False)
    notes = _notes(detected, how, tally, aggregated=bool(grouped))
    return LineLog(records=records, notes=notes, detected=detected, how=how)


def _totals_table(sample: list[Event], how: Plan) -> bool:
    """One row per organisation and a column of counts: a table of totals, not events.

    An event log names an organisation once per event, so its names repeat; a file with each
    organisation on one row beside a number above 1 is a summary, whatever timestamps it holds
    (a last login), and is left to the table reader.
    """
    orgs = [organisation(e.fields, e.cells, how) for e in sample]
    if len(sample) < 3 or not all(orgs) or len(set(orgs)) != len(orgs):
        return False
    for key in sample[0].fields:
        values = [e.fields.get(key, "").replace(",", "").strip() for e in sample]
        if all(v.isdigit() for v in values) and any(int(v) > 1 for v in values):
            return True
    return False


def _add(grouped: dict[tuple[str, str, str], Record], rec: Record) -> None:
    """Fold an event into its organisation, day and kind's record."""
    key = (rec.agency_raw, rec.date, rec.metric)
    found = grouped.get(key)
    if found is None:
        rec.extra = json.dumps(
            {"events": 1, "first line": rec.row, "last line": rec.row}, ensure_ascii=False
        )
        rec.count_raw = ""
        grouped[key] = rec
        return
    extra = json.loads(found.extra)
    extra["events"] += 1
    extra["last line"] = rec.row
    found.extra = json.dumps(extra)
    found.count = (found.count or 0) + 1


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
        f"action from {how.action!r}"
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
