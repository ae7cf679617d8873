"""Event logs: one line or row per search, query or request -> one record per event (count 1)."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from foialog.extract.blocks import CellValue, Table, Text, raw_text
from foialog.extract.record import Record
from foialog.extract.tables.layout import data_columns, find_layout
from foialog.extract.tables.roles import ColumnRole, infer_roles, metric_from_text
from foialog.extract.tables.words import Word, WordRow, WordTable, bounds, group_lines
from foialog.extract.text.linelog import describe, iter_file_lines, read_line_log
from foialog.extract.text.logevents import PLAN_EVENTS, SEARCHES, category, org_key_kind, plan
from foialog.extract.text.logformats import DELIMITED, SAMPLE_LINES, Detected, detect
from foialog.extract.values.counts import parse_count
from foialog.extract.values.dates import ParsedDate, parse_date

if TYPE_CHECKING:
    from foialog.extract.tables.view import TableView

#: Fewest event lines for a text to be read as a log rather than prose.
MIN_EVENTS = 3
#: Share of a table's dated rows that must carry a time of day for it to be an event log.
TIMED_SHARE = 0.8

_TZ = r"(?:\s?(?:UTC|GMT|Z|[A-Z]{3,4}|[+-]\d{2}:?\d{2}))?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_TIMESTAMP = re.compile(
    rf"(?:\b\d{{4}}-\d{{2}}-\d{{2}}[T ]{_CLOCK}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}},?\s{_CLOCK}|"
    rf"\d{{1,2}}\s{_MONTH}\s\d{{4}},?\s{_CLOCK}|{_MONTH}\s\d{{1,2}},?\s\d{{4}},?\s{_CLOCK})"
    rf"{_TZ}(?![\w:])"
)
_MIDNIGHT = re.compile(
    r"(?<![\d:])(?P<hour>0?0|12):00(?::00(?:\.0+)?)?(?:\s?(?P<meridiem>[AaPp])\.?[Mm]\.?)?(?![\d:])"
)
_EMAIL = re.compile(r"\b[\w.+-]+@([\w-]+(?:\.[\w-]+)+)\b")
_KEY_VALUE = re.compile(r"\b([A-Za-z_][\w-]{0,30})=(\"[^\"]*\"|'[^']*'|\S+)")
_LEGEND = re.compile(r"^\s*(?P<code>[A-Z][A-Z0-9-]{1,11})\s*(?:=|:|–|—|-)\s*(?P<name>\S.{2,})$")
_CELL_SPLIT = re.compile(r"\t|\s*\|\s*|\s{2,}")
_GLUED_NUMBER = re.compile(r"^(?P<n>\d[\d,]*)(?P<rest>[A-Za-z]+)$")
# A number run into a zero-padded date: "135785" + "11/14/2025,".
_GLUED_DATE = re.compile(r"^(?P<n>\d+)(?P<rest>\d{2}/\d{2}/\d{4},?)$")

_LABEL_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("time", re.compile(r"time|date|when|timestamp|logged", re.I)),
    ("user", re.compile(r"user|e-?mail|login|officer|analyst|searcher|requester", re.I)),
    ("agency_code", re.compile(r"\b(?:agency|org)[\s_]*(?:code|id)\b|\bori\b", re.I)),
    ("agency", re.compile(r"agency|org|department|customer|client|tenant|account", re.I)),
    ("reason", re.compile(r"reason|purpose|justification|case|offen[cs]e", re.I)),
)
# A column named like this is a time window, not the moment of the event.
_NOT_EVENT_TIME = re.compile(r"frame|range|window|start|end|from|until", re.I)


@dataclass(frozen=True)
class LogRecords:
    """Records read from an event log and notes for documents.csv."""

    records: list[Record]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LogLine:
    """One printed line of a log: its page, its 1-based line number there, its words."""

    page: int | None
    number: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        """The line's words joined by single spaces."""
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True)
class Column:
    """A header label and where it starts on the line."""

    label: str
    x0: float
    role: str


def text_log(text: Text, *, source_file: str, sha256: str) -> LogRecords | None:
    """Read a run of plain text as an event log, or return None when it is not one.

    A log printed under a header line with a time label is read by where its cells stand
    under the labels (cells may be blank or wrap); any other log by its line format.
    """
    lines = text_lines(text.text, page=text.page)
    stamped = [i for i, line in enumerate(lines) if _TIMESTAMP.search(line.text)]
    if _header_index(lines, stamped) is None:
        numbered = enumerate(text.text.splitlines(), start=1)
        found = read_line_log(numbered, source_file=source_file, sha256=sha256)
        if found is not None:
            return LogRecords(records=found.records, notes=found.notes)
    log = parse_log(lines, source_file=source_file, sha256=sha256, positioned=False)
    return None if log is None else classify(log)


#: Sniffed types whose files may be line logs (read by ``file_log`` before any other reader).
LINE_LOG_TYPES = frozenset({"text", "csv", "json"})


def file_log(path: Path, *, name: str, sha256: str, kind: str) -> LogRecords | None:
    """Read a text or CSV file as a line log, streamed (any size); None when it is not one.

    Left to the other readers: a log under a header line with a time label (read by where
    its cells stand, see ``text_log``) and a tab-separated file in columns (a table, whose
    events ``table_events`` finds).
    """
    if kind not in LINE_LOG_TYPES:
        return None
    head = list(itertools.islice(iter_file_lines(path), SAMPLE_LINES))
    detected = detect(head)
    if detected is None and kind == "json":
        return _json_array_log(path, name=name, sha256=sha256)
    if detected is None:
        return None
    if detected.name == "fixed-column text":
        lines = text_lines("\n".join(line for _, line in head))
        stamped = [i for i, line in enumerate(lines) if _TIMESTAMP.search(line.text)]
        if _header_index(lines, stamped) is not None or (
            kind == "csv" and any("\t" in line for _, line in head)
        ):
            return None
    if detected.name == DELIMITED and _sample_counts_per_row(head, detected):
        return None  # a table of counts with a time on each row: the table reader's
    found = read_line_log(iter_file_lines(path), source_file=name, sha256=sha256)
    return None if found is None else LogRecords(records=found.records, notes=found.notes)


def _sample_counts_per_row(head: Sequence[tuple[int, str]], detected: Detected) -> bool:
    """Whether a CSV's first lines are a table whose rows each hold a count of something."""
    try:
        split = csv.reader((line for _, line in head), delimiter=detected.delimiter)
        rows: list[list[CellValue]] = [list(cells) for cells in split]
    except csv.Error:
        return False
    if len(rows) != len(head):
        return False  # a quoted cell ran over lines: numbering would be off; read as a log
    table = Table(rows=rows, row_numbers=[n for n, _ in head], method="sheet")
    layout = find_layout(table)
    if layout.header_index is None:
        return False
    columns = data_columns(table, layout)
    roles = infer_roles(layout.header, columns, headerless=False)
    count = next((i for i, r in enumerate(roles) if r.role == "count"), None)
    if count is None:
        return False
    comma = roles[count].decimal_comma
    values = {parse_count(v, decimal_comma=comma).value for v in columns[count]} - {None}
    return _counts_per_row(roles, values)


def _counts_per_row(roles: Sequence[ColumnRole], counts: set[int | None]) -> bool:
    """A column named for what was counted ("Searches") holding counts other than 1, with no
    column giving each row a reason or case: a table of counts, not one event per row (a time,
    an account id or a user count beside the count does not make rows events)."""
    count_role = next((r for r in roles if r.role == "count"), None)
    headers = " ".join(r.header for r in roles)
    return (
        count_role is not None
        and bool(count_role.metric)
        and bool(counts - {0, 1, None})
        and not re.search(r"reason|purpose|case", headers, re.I)
    )


#: Largest JSON document read whole to see whether it is an array of events.
JSON_ARRAY_MAX_BYTES = 256 * 2**20


def _json_array_log(path: Path, *, name: str, sha256: str) -> LogRecords | None:
    """A JSON export of events (an array of objects, maybe under one key), read as a log.

    Each object is one event, numbered by its place in the array (the records' row); it is
    a log only when the objects carry a time and are not one row per organisation with a
    count, as for JSON Lines. Otherwise None, and the JSON reader makes a table of it.
    """
    if path.stat().st_size > JSON_ARRAY_MAX_BYTES:
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig", errors="replace"))
    except ValueError:
        return None
    items = document
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list)]
        items = max(lists, key=len) if lists else []
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        return None
    numbered = ((n, json.dumps(x)) for n, x in enumerate(items, start=1))
    found = read_line_log(numbered, source_file=name, sha256=sha256)
    if found is None or not any(r.date for r in found.records[:PLAN_EVENTS]):
        return None
    notes = [
        n.replace("(JSON Lines)", "(a JSON array of events; row = its place)") for n in found.notes
    ]
    return LogRecords(records=found.records, notes=notes)


def describe_file_log(path: Path, kind: str) -> list[str]:
    """How a text or CSV file would be read as a line log, from its first lines (inspect)."""
    if kind not in LINE_LOG_TYPES:
        return []
    head = list(itertools.islice(iter_file_lines(path), SAMPLE_LINES))
    detected = detect(head)
    if (
        detected is not None
        and detected.name == DELIMITED
        and _sample_counts_per_row(head, detected)
    ):
        return [
            f"format: {detected.name}; header: {' | '.join(detected.header)}",
            "not an event log: its rows carry counts (a column named for what it counts holds "
            "numbers above 1, and no column gives a row a reason, purpose or case); read as a "
            "table",
        ]
    return describe(iter_file_lines(path))


def classify(log: LogRecords) -> LogRecords:
    """Give each event of a log read by columns its kind (searches, logins ...) as metric.

    The action and outcome fields are found among the event's other fields (kept in extra)
    as for a line log; only searches keep the log's metric. Without an action field every
    event counts, and the notes say so.
    """
    events = [(json.loads(r.extra), (), r.date_raw) for r in log.records]
    how = plan(events[:PLAN_EVENTS])
    if not how.action and not how.status:
        return replace(log, notes=[*log.notes, "no action field: every event counted"])
    tally: Counter[str] = Counter()
    records = []
    for rec, (fields, _, _) in zip(log.records, events, strict=True):
        kind = category(fields, (), how)
        tally[kind] += 1
        records.append(replace(rec, metric=kind))
    apart = ", ".join(f"{kind} {n}" for kind, n in tally.most_common() if kind != SEARCHES)
    note = f"action from {how.action or '(none)'!r}" + (
        f", failures from {' or '.join(repr(k) for k in how.status)}" if how.status else ""
    )
    if apart:
        note += f"; counted apart, not as searches: {apart}"
    return LogRecords(records=records, notes=[*log.notes, note])


def words_log(
    pages: Sequence[tuple[int, Sequence[Word]]], *, source_file: str, sha256: str
) -> LogRecords | None:
    """Read PDF or OCR words, page by page, as an event log; None when it is not one."""
    lines = [line for page, words in pages for line in page_lines(page, words)]
    return parse_log(lines, source_file=source_file, sha256=sha256, positioned=True)


def page_lines(page: int | None, words: Sequence[Word]) -> list[LogLine]:
    """A page's words as printed lines, cells printed touching ("17652UTC") split apart.

    Words are not joined into cells here: two columns can sit closer than a space (a
    right-aligned count beside a left-aligned date), so a line is cut into cells only at the
    header's labels (a header line's own words are joined into labels by ``_join_close``).
    """
    return [
        LogLine(page, number, tuple(part for word in line for part in _split_glued(word)))
        for number, line in enumerate(group_lines(words), start=1)
    ]


def text_lines(text: str, *, page: int | None = None) -> list[LogLine]:
    """Split text into lines of cells (split at tabs, pipes, or two or more spaces)."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = []
        position = 0
        for piece in _CELL_SPLIT.split(line):
            at = line.find(piece, position) if piece else position
            if piece.strip():
                words.append(Word(piece.strip(), at, number, at + len(piece), number + 1))
            position = at + len(piece)
        if words:
            lines.append(LogLine(page, number, tuple(words)))
    return lines


def _split_glued(word: Word) -> list[Word]:
    """Split "17652UTC" or "13578511/14/2025," (cells printed touching) into two words."""
    glued = _GLUED_NUMBER.match(word.text) or _GLUED_DATE.match(word.text)
    if glued is None:
        return [word]
    cut = word.x0 + (word.x1 - word.x0) * len(glued["n"]) / len(word.text)
    return [
        replace(word, text=glued["n"], x1=cut),
        replace(word, text=glued["rest"], x0=cut + 0.01),
    ]


def _join_close(line: Sequence[Word]) -> list[Word]:
    """Join words closer than about a space into cells; wider gaps separate columns."""
    cells: list[Word] = []
    for word in line:
        height = max(word.bottom - word.top, 1.0)
        if cells and word.x0 - cells[-1].x1 < 0.45 * height:
            last = cells[-1]
            cells[-1] = Word(
                f"{last.text} {word.text}",
                last.x0,
                min(last.top, word.top),
                word.x1,
                max(last.bottom, word.bottom),
                min(last.confidence, word.confidence),
            )
        else:
            cells.append(word)
    return cells


def parse_log(
    lines: Sequence[LogLine], *, source_file: str, sha256: str, positioned: bool
) -> LogRecords | None:
    """One record per line holding a timestamp, fields placed by the header; None if no log."""
    stamped = [i for i, line in enumerate(lines) if _TIMESTAMP.search(line.text)]
    header_at = _header_index(lines, stamped)
    # Above the header sit titles and "Generated ..." lines, not events.
    events = [i for i in stamped if header_at is None or i > header_at]
    if len(events) < MIN_EVENTS:
        return None
    if header_at is None and len(events) < 0.5 * len(lines):
        return None
    columns = _columns(lines[header_at]) if header_at is not None else []
    before = lines[: header_at if header_at is not None else events[0]]
    legend = {m["code"]: m["name"].strip() for m in (_LEGEND.match(x.text) for x in before) if m}
    context = " ".join(x.text for x in before) + " " + " ".join(c.label for c in columns)
    metric = metric_from_text(context) or "events"
    records: list[Record] = []
    pending: dict[str, list[str]] = {}
    event_set = set(events)
    start = (header_at + 1) if header_at is not None else 0
    for i in range(start, len(lines)):
        line = lines[i]
        if i not in event_set:
            if columns and not _is_header_again(line, columns):
                for label, value in _place(line, columns).items():
                    pending.setdefault(label, []).append(value)
            continue
        fields = _place(line, columns) if columns else {}
        for label, parts in pending.items():
            fields[label] = " ".join([*parts, fields.get(label, "")]).strip()
        pending = {}
        records.append(
            _event(line, fields, columns, legend, metric, source_file, sha256, positioned)
        )
    records = _agencies_from_domains(records)
    notes = [
        f"event log: {len(records)} events ({metric}), "
        + (f"header: {' | '.join(c.label for c in columns)}" if columns else "no header line")
    ]
    return LogRecords(records=records, notes=notes)


def _header_index(lines: Sequence[LogLine], stamped: Sequence[int]) -> int | None:
    """The first line of column labels, with a time label, that timestamped lines follow."""
    if not stamped:
        return None
    for i, line in enumerate(lines[: stamped[-1]]):
        cells = [w.text for w in _join_close(line.words)]
        if len(cells) < 3 or any(ch.isdigit() for ch in line.text):
            continue
        if any(_role(c) == "time" for c in cells) and any(i < e <= i + 12 for e in stamped):
            return i
    return None


def _role(label: str) -> str:
    return next((role for role, rx in _LABEL_ROLES if rx.search(label)), "other")


def _columns(line: LogLine) -> list[Column]:
    return [Column(w.text, w.x0, _role(w.text)) for w in _join_close(line.words)]


def _is_header_again(line: LogLine, columns: Sequence[Column]) -> bool:
    return [w.text for w in _join_close(line.words)] == [c.label for c in columns]


def _column_index(word: Word, columns: Sequence[Column]) -> int:
    """The column whose label starts nearest on the left of the word's centre (else the first)."""
    centre = (word.x0 + word.x1) / 2
    return max((k for k, c in enumerate(columns) if c.x0 <= centre), default=0)


def _place(line: LogLine, columns: Sequence[Column]) -> dict[str, str]:
    """Put each word under the header label whose start is nearest on its left."""
    placed: dict[str, list[str]] = {}
    for word in line.words:
        placed.setdefault(columns[_column_index(word, columns)].label, []).append(word.text)
    return {label: " ".join(parts) for label, parts in placed.items()}


def _event(
    line: LogLine,
    fields: dict[str, str],
    columns: Sequence[Column],
    legend: dict[str, str],
    metric: str,
    source_file: str,
    sha256: str,
    positioned: bool,
) -> Record:
    roles = {c.label: c.role for c in columns}
    pairs = {k.lower(): v.strip("\"'") for k, v in _KEY_VALUE.findall(line.text)}
    for key, value in pairs.items():
        fields.setdefault(key, value)
        roles.setdefault(key, _role(key))
    stamp_text, stamp_label = _event_time(line.text, fields, roles)
    parsed = _parse_stamp(stamp_text)
    rec = Record(
        source_file=source_file,
        source_sha256=sha256,
        page=line.page,
        row=line.number,
        method="log",
        count=1,
        count_qualifier="exact",
        metric=metric,
        date=parsed.value,
        time=parsed.time,
        date_raw=stamp_text,
        date_label=stamp_label,
        confidence=min([1.0, *(w.confidence for w in line.words)]),
    )
    if positioned:
        rec.bbox = ",".join(f"{v:.1f}" for v in bounds(line.words))
    extra: dict[str, str] = {}
    for label, value in fields.items():
        role = roles.get(label, "other")
        if role == "agency" and not rec.agency_raw:
            rec.agency_raw = legend.get(value, value)
            if value in legend:
                extra["agency_code"] = value
        elif role == "agency_code" and value:
            extra["agency_code"] = value
            if not rec.agency_raw and value in legend:
                rec.agency_raw = legend[value]
            elif not rec.agency_raw:
                rec.agency_raw = value
        elif role == "user" and _EMAIL.search(value) and not rec.user_email:
            rec.user_email = _EMAIL.search(value).group(0)  # type: ignore[union-attr]
            if value != rec.user_email:
                extra[label] = value
        elif label != stamp_label or value != stamp_text:
            glued = _GLUED_NUMBER.match(value)
            extra[label] = glued["n"].replace(",", "") if glued else value
            if glued:
                extra[f"{label} (raw)"] = value
    if not rec.user_email and (found := _EMAIL.search(line.text)):
        rec.user_email = found.group(0)
    if not columns and not pairs:
        extra["line"] = line.text
    rec.extra = json.dumps(extra, ensure_ascii=False) if extra else "{}"
    if not parsed.value:
        rec.confidence = min(rec.confidence, 0.5)
    return rec


def _event_time(text: str, fields: dict[str, str], roles: dict[str, str]) -> tuple[str, str]:
    """The event's own timestamp: from its time column when there is one, else the first."""
    timed = [label for label, role in roles.items() if role == "time" and label in fields]
    timed.sort(key=lambda label: bool(_NOT_EVENT_TIME.search(label)))
    for label in timed:
        found = _TIMESTAMP.search(fields[label])
        if found:
            return found.group(0), label
    found = _TIMESTAMP.search(text)
    return (found.group(0), "timestamp in line") if found else ("", "")


def _parse_stamp(text: str) -> ParsedDate:
    # The date parser reads a time zone suffix but not a comma between date and time.
    cleaned = re.sub(r"\s?(?:UTC|GMT|Z)$", "", text.replace(",", ""))
    parsed = parse_date(cleaned)
    return replace(parsed, time=_event_clock(parsed.value, parsed.time, text))


def _event_clock(date: str, time: str, raw: str) -> str:
    """The time of an event, midnight included.

    The date parser drops a midnight time, as exports write date-only values that way; in a
    log whose every line carries its own time, "12:00:00 AM" is when the event happened.
    """
    found = _MIDNIGHT.search(raw) if date and not time else None
    if found is None:
        return time
    hour, meridiem = int(found["hour"]), (found["meridiem"] or "").lower()
    return "00:00:00" if (hour == 0 and meridiem != "p") or (hour == 12 and meridiem == "a") else ""


def _agencies_from_domains(records: list[Record]) -> list[Record]:
    """Give events with only an email the agency that the same domain has elsewhere in the log."""
    by_domain: dict[str, Counter[str]] = {}
    for rec in records:
        if rec.agency_raw and rec.user_email:
            domain = rec.user_email.rsplit("@", 1)[-1].lower()
            by_domain.setdefault(domain, Counter())[rec.agency_raw] += 1
    out = []
    for rec in records:
        domain = rec.user_email.rsplit("@", 1)[-1].lower() if rec.user_email else ""
        if not rec.agency_raw and domain in by_domain:
            name, _ = by_domain[domain].most_common(1)[0]
            extra = json.loads(rec.extra)
            extra["agency_from"] = f"email domain {domain}, named elsewhere in this log"
            rec = replace(
                rec,
                agency_raw=name,
                extra=json.dumps(extra, ensure_ascii=False),
                confidence=min(rec.confidence, 0.8),
            )
        out.append(rec)
    return out


#: A word holding a time of day: a page with fewer than MIN_EVENTS of them is not a log page.
_CLOCK_WORD = re.compile(r"\d{1,2}:\d{2}")


def may_hold_log(words: Sequence[Word]) -> bool:
    """A quick test that a page has enough times of day to be worth reading as a log."""
    return sum(1 for w in words if _CLOCK_WORD.search(w.text)) >= MIN_EVENTS


@dataclass(frozen=True)
class LogPages:
    """Pages read as an event log: each page's table of events, and notes for documents.csv."""

    tables: dict[int, WordTable]
    notes: list[str] = field(default_factory=list)


@dataclass
class _LogRun:
    """An event log being read over consecutive pages: its columns and lines not yet used."""

    columns: list[Column]
    #: Wrapped lines seen since the last event; they belong to the next event (bottom aligned).
    pending: list[LogLine] = field(default_factory=list)


def log_pages(pages: Sequence[tuple[int, Sequence[LogLine]]]) -> LogPages:
    """Read runs of consecutive pages that print an event log as one table of events per page.

    A run starts at a header line with a time label followed by at least MIN_EVENTS lines
    holding a timestamp, and carries on over the pages after it that hold timestamped lines.
    Each timestamped line is an event; each word goes under the header label whose start is
    nearest on its left (not where white space falls: a right-aligned count can sit closer
    than a space to the next column's text). Lines between events are wrapped cells of the
    event below them, as in a bottom-aligned export; a page that shows otherwise (lines that
    start in the first column without a timestamp, or wrapped lines only below the events)
    is left to the table finder.
    """
    tables: dict[int, WordTable] = {}
    notes: list[str] = []
    run: _LogRun | None = None
    previous = 0
    for page, lines in pages:
        if run is not None and page != previous + 1:
            notes.extend(_left_over(run))
            run = None
        previous = page
        stamped = [i for i, line in enumerate(lines) if _TIMESTAMP.search(line.text)]
        header_at = _header_index(lines, stamped)
        if header_at is not None:
            if run is not None:
                notes.extend(_left_over(run))
            run = _LogRun(_columns(lines[header_at]))
        if run is None:
            continue
        start = 0 if header_at is None else header_at + 1
        table = _log_page_table(lines, stamped, start, header_at, run)
        if table is None:
            notes.extend(_left_over(run))
            run = None
            continue
        tables[page] = table
    if run is not None:
        notes.extend(_left_over(run))
    if tables:
        events = sum(len(t.rows) for t in tables.values())
        first, last = min(tables), max(tables)
        where = f"page {first}" if first == last else f"pages {first}-{last}"
        notes.insert(0, f"event log read line by line on {where}: {events} events")
    return LogPages(tables=tables, notes=notes)


def _log_page_table(
    lines: Sequence[LogLine],
    stamped: Sequence[int],
    start: int,
    header_at: int | None,
    run: _LogRun,
) -> WordTable | None:
    """One page of a log as a table of its events; None when the page is not read as one."""
    columns = run.columns
    events = [i for i in stamped if i >= start]
    if len(events) < (MIN_EVENTS if header_at is not None else 1):
        return None
    body = [i for i in range(start, len(lines)) if not _is_header_again(lines[i], columns)]
    wrapped = [i for i in body if i not in set(events)]
    if any(
        _column_index(w, columns) == 0 for i in wrapped if i < events[-1] for w in lines[i].words
    ):
        return None  # a line starting a row without a timestamp: a table, not a log
    between = [i for i in wrapped if events[0] < i < events[-1]]
    if header_at is not None and between and not any(i < events[0] for i in wrapped):
        return None  # wrapped lines only below each event: top aligned, not read here
    rows: list[WordRow] = []
    event_set = set(events)
    for i in body:
        if i not in event_set:
            run.pending.append(lines[i])
            continue
        parts = [*run.pending, lines[i]]
        run.pending = []
        cells: list[list[str]] = [[] for _ in columns]
        for part in parts:
            for word in part.words:
                cells[_column_index(word, columns)].append(word.text)
        here = [w for part in parts if part.page == lines[i].page for w in part.words]
        rows.append(
            WordRow(
                cells=tuple(" ".join(c) for c in cells),
                box=bounds(here),
                confidence=min([1.0, *(w.confidence for w in here)]),
                lines=len(parts),
            )
        )
    words = [w for i in body for w in lines[i].words]
    ends = [c.x0 for c in columns[1:]] + [max(columns[-1].x0, *(w.x1 for w in words))]
    header = lines[header_at] if header_at is not None else None
    return WordTable(
        header=tuple(c.label for c in columns) if header is not None else (),
        rows=tuple(rows),
        columns=tuple(zip([c.x0 for c in columns], ends, strict=True)),
        title=tuple(line.text for line in lines[: header_at or 0]),
        notes=(),
        box=bounds([*words, *(header.words if header is not None else ())]),
        header_box=bounds(header.words) if header is not None else None,
        ruled=False,
    )


def _left_over(run: _LogRun) -> list[str]:
    """A note for lines after a log's last event (they belong to no event)."""
    if not run.pending:
        return []
    first = run.pending[0]
    return [
        f"page {first.page}: {len(run.pending)} line(s) after the event log's last event "
        f"kept out of it (first: {first.text!r})"
    ]


def _row_keys(view: TableView) -> list[tuple[int, tuple[int | None, int | None]]]:
    """Each data or totals row of a table's view with the (page, row) its records carry."""
    table = view.table
    return [
        (
            index,
            (
                table.row_pages[index] if index < len(table.row_pages) else table.page,
                table.row_numbers[index],
            ),
        )
        for index in sorted(view.layout.data + view.layout.totals)
    ]


def _metric_cells(view: TableView) -> dict[tuple[int | None, int | None], tuple[str, str]]:
    """A column read as naming what was counted ("lookup"): (page, row) -> (header, raw cell).

    In a log the metric is the log's own (searches), so that column is a field of the event.
    """
    column = next((r for r in view.roles if r.role == "metric"), None)
    if column is None:
        return {}
    data = set(view.layout.data)
    cells: dict[tuple[int | None, int | None], tuple[str, str]] = {}
    for index, key in _row_keys(view):
        row = view.table.rows[index]
        text = raw_text(row[column.index]).strip() if column.index < len(row) else ""
        if index in data and text:
            cells[key] = (column.header, text)
    return cells


def _row_reading(view: TableView) -> dict[tuple[int | None, int | None], float]:
    """How surely each row's text was read (OCR or word confidence): (page, row) -> 0 to 1."""
    scores = view.table.row_confidence
    return {key: scores[index] for index, key in _row_keys(view) if index < len(scores)}


def _roles_behind(view: TableView, row_type: str) -> list[float]:
    """The confidence of each column role an event of this row type stands on.

    Not the metric column's: a log's metric is its own. Not, for an event (counted as one),
    the count column's: its cells are kept raw in extra. A role the log reader replaces says
    nothing about how surely the event was read.
    """
    by_role = {r.role: r for r in view.roles if r.role != "other"}
    replaced = ("metric",) if row_type == "total" else ("metric", "count")
    return [r.confidence for role, r in by_role.items() if role not in replaced] or [0.5]


def _event_confidence(rec: Record, judged: Sequence[float], reading: float) -> float:
    """The weakest evidence behind a log event: the roles it uses, the row's text, its parses.

    ``rec`` is the table row's record before it became an event: a timestamp or count cell
    that did not parse still shows as a raw value without a parsed one.
    """
    weakest = [*judged, reading]
    if rec.date_raw and not rec.date:
        weakest.append(0.5)
    if rec.count_raw and rec.count is None:
        weakest.append(0.5)
    return round(min(weakest), 2)


def table_events(view: TableView, records: Sequence[Record]) -> LogRecords | None:
    """Read a table with timestamped rows: as an event log, or as per-agency lifetime totals.

    None for any other table (its records stand as they are).
    """
    data = [r for r in records if r.row_type == "data"]
    dated = [r for r in data if r.date]
    if len(data) < MIN_EVENTS or len(dated) < 0.5 * len(data):
        return None
    if sum(bool(r.time) for r in dated) < TIMED_SHARE * len(dated):
        return None
    headers = " ".join(r.header for r in view.roles)
    has_count = any(r.role == "count" for r in view.roles)
    if has_count and _one_row_per_agency(data):
        return _lifetime_totals(records)
    if _counts_per_row(view.roles, {r.count for r in data}):
        return None
    if has_count and not re.search(r"\bid\b|reason|purpose|case|user", headers, re.I):
        return None
    count_header = next((r.header for r in view.roles if r.role == "count"), "")
    labels = _metric_cells(view)
    metric = metric_from_text(" ".join([*view.table.context, *view.layout.title, headers]))
    metric = metric or "events"
    judged = {kind: _roles_behind(view, kind) for kind in ("data", "total")}
    reading = _row_reading(view)
    out = []
    for rec in records:
        extra = json.loads(rec.extra)
        if rec.count_raw:
            extra[count_header or "count"] = rec.count_raw
        if labels and (label := labels.get((rec.page, rec.row))):
            extra.setdefault(label[0], label[1])
        out.append(
            replace(
                rec,
                method="log",
                count=1 if rec.row_type == "data" else rec.count,
                count_raw="",
                count_qualifier="exact",
                metric=metric,
                time=_event_clock(rec.date, rec.time, rec.date_raw),
                extra=json.dumps(extra, ensure_ascii=False),
                confidence=_event_confidence(
                    rec,
                    judged["data" if rec.row_type == "data" else "total"],
                    reading.get((rec.page, rec.row), 1.0),
                ),
            )
        )
    notes = [f"event log: {len(data)} timestamped rows read as one {metric} each"]
    org = _org_code_column(view)
    if org:
        out = [
            replace(rec, agency_raw=str(json.loads(rec.extra).get(org, "")).strip())
            if rec.row_type == "data" and not rec.agency_raw
            else rec
            for rec in out
        ]
        notes.append(f"organisation from column {org!r}: codes repeated across events")
    out = _agencies_from_domains(out)
    return classify(LogRecords(out, notes))


def _org_code_column(view: TableView) -> str:
    """The header of a column naming each event's organisation by a code ("Customer":
    ORG-39826), when no column holds agency names; "" otherwise.

    The roles call a column of codes an identifier, never the agency; in an event log a code
    that repeats across events is the organisation's key, joined to names later.
    """
    if any(r.role == "agency" for r in view.roles):
        return ""
    data = view.layout.data
    for role in view.roles:
        if role.role != "other" or not org_key_kind(role.header):
            continue
        values = [
            raw_text(view.table.rows[i][role.index]).strip()
            for i in data
            if role.index < len(view.table.rows[i])
        ]
        filled = [v for v in values if v]
        if len(filled) >= 0.8 * len(values) and len(set(filled)) <= 0.5 * len(filled):
            return role.header
    return ""


#: The extra key marking a lifetime total dated by a moment (a last login): such a count is
#: not a month's, and is kept out of agencies_monthly.csv and the report's timeline.
NOT_IN_TIMELINE = "not_in_timeline"


def in_timeline(rec: Record) -> bool:
    """Whether a record's count belongs to the month of its date (not a lifetime total)."""
    return NOT_IN_TIMELINE not in rec.extra


def _lifetime_totals(records: Sequence[Record]) -> LogRecords:
    """A per-agency totals table's records, each total marked as not a count of its month."""
    out = []
    labels = set()
    for rec in records:
        if rec.row_type == "data" and rec.date and rec.count is not None:
            extra = json.loads(rec.extra)
            extra[NOT_IN_TIMELINE] = (
                f"a total over the whole export, dated by its {rec.date_label or 'timestamp'}"
            )
            labels.add(rec.date_label or "timestamp")
            rec = replace(rec, extra=json.dumps(extra, ensure_ascii=False))
        out.append(rec)
    said = ", ".join(sorted(labels))
    return LogRecords(
        out,
        [
            f"a table of per-agency totals (one row per agency, a count, a timestamp: {said}), "
            "not an event log; its totals are in no month of agencies_monthly.csv"
        ],
    )


def _one_row_per_agency(data: Sequence[Record]) -> bool:
    """A table of totals: each agency on one row, with counts other than 1.

    An event log names an agency once per event, so its agencies repeat; a table with one
    row per agency and a count column is a table of totals, whatever timestamps it holds
    (a last login, a date added).
    """
    # An agency is its name and its place: Springfield MO and Springfield IL are two rows.
    named = [(r.agency_raw.casefold(), r.region, r.country) for r in data if r.agency_raw]
    counts = {r.count for r in data if r.count is not None}
    return len(named) >= 0.8 * len(data) and len(set(named)) == len(named) and bool(counts - {0, 1})
