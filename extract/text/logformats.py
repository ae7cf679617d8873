"""Line formats of event logs: which one a text is written in, and each line's fields.

Parsers, by format (each picked over a library for the reason given):

- JSON Lines: the standard library's ``json`` (nested objects flattened to dotted keys).
- NCSA common/combined access logs: one regular expression. ``apachelogs`` parses a line only
  when it matches a LogFormat string whole; vendor exports append their own fields
  (``org_id="ORG-1" qid=Q-7``) after the standard ones, which it then rejects as a whole line.
- logfmt / key=value: one tokenising expression (quoted values with escapes, bare values); the
  logfmt packages on PyPI are unmaintained (the last release of ``logfmt`` is from 2018) and
  none splits values that hold spaces in multi-space separated fixed-column lines.
- syslog RFC 5424 and RFC 3164: regular expressions for the header; the message is read as
  key=value pairs or JSON. ``syslog-rfc5424-parser`` (last release 2019) reads only 5424.
- fixed-column text: cells split at tabs, pipes or two or more spaces.

Nothing here decides what a field means; foialog.extract.text.logevents does that.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

#: Lines of a text looked at to decide its format.
SAMPLE_LINES = 200
#: Share of the sampled lines a format must read for the text to be a log in it.
FORMAT_SHARE = 0.6
#: Fewest lines a format must read.
MIN_LINES = 3

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_ZONE = r"(?:\s?(?:UTC|GMT|Z|[A-Z]{3,4}|[+-]\d{2}:?\d{2})(?![A-Za-z]))?"
#: A timestamp written inside a line: a date with a time of day (and maybe a zone).
STAMP = re.compile(
    rf"(?:\b\d{{4}}-\d{{2}}-\d{{2}}[T ]{_CLOCK}|\b\d{{4}}/\d{{2}}/\d{{2}}[T ]{_CLOCK}|"
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}},?\s{_CLOCK}|"
    rf"\b\d{{1,2}}[ /-]{_MONTH}[ /-]\d{{4}}[,:\s]\s?{_CLOCK}|"
    rf"\b{_MONTH}\s+\d{{1,2}},?\s\d{{4}},?\s{_CLOCK})"
    rf"{_ZONE}"
)
_NCSA = re.compile(
    r'^(?P<host>\S+) (?P<ident>\S+) (?P<user>\S+|"[^"]*") \[(?P<time>[^\]]+)\] '
    r'"(?P<request>[^"]*)" (?P<status>\d{3}|-) (?P<bytes>\d+|-)'
    r'(?: "(?P<referer>[^"]*)" "(?P<agent>[^"]*)")?(?P<rest>.*)$'
)
_SYSLOG_5424 = re.compile(
    r"^<(?P<pri>\d{1,3})>1 (?P<time>\S+) (?P<host>\S+) (?P<app>\S+) (?P<procid>\S+) "
    r"(?P<msgid>\S+) (?P<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (?P<msg>.*))?$"
)
_SYSLOG_3164 = re.compile(
    rf"^(?:<(?P<pri>\d{{1,3}})>)?(?P<time>{_MONTH}\s+\d{{1,2}}(?:\s\d{{4}})?\s\d{{2}}:\d{{2}}:\d{{2}})"
    r"\s(?P<host>\S+)\s(?P<tag>[\w./-]+)(?:\[(?P<procid>[^\]]*)\])?:\s?(?P<msg>.*)$"
)
_SD_ELEMENT = re.compile(r"\[(?P<id>[^\s\]]+)(?P<params>(?:[^\]\\]|\\.)*)\]")
_SD_PARAM = re.compile(r'(?P<key>[^\s=\]"]+)="(?P<value>(?:[^"\\]|\\.)*)"')
#: key=value with a quoted or bare value; a bare value ends at white space.
_PAIR = re.compile(
    r'(?:^|(?<=[\s,;{(\[]))"?(?P<key>[A-Za-z_@][\w.@-]{0,40})"?\s?[=:]\s?'
    r'(?P<value>"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[^\s"\',;]*(?:[,;](?!\s)[^\s"\',;]*)*)'
)
#: Cells of a fixed-column line: split at tabs, pipes or two or more spaces.
_CELLS = re.compile(r"\t|\s+\|\s+|\s{2,}")
#: A cell that is one key=value (or key: value) pair, the value running to the cell's end.
_CELL_PAIR = re.compile(r"^(?P<key>[A-Za-z_][\w.-]{0,40})\s?[=:]\s?(?P<value>.*)$")


@dataclass(frozen=True)
class Event:
    """One log line read in its format: fields by name, the raw timestamp, loose cells."""

    #: 1-based line number in the text.
    number: int
    fields: dict[str, str]
    #: The timestamp as written ("" when the line has none).
    stamp: str
    #: Cells that are not key=value pairs and not the timestamp (fixed-column lines).
    cells: tuple[str, ...] = ()


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"').replace("\\'", "'").replace("\\\\", "\\")
    return value


def pairs(text: str) -> dict[str, str]:
    """The key=value (or key: "value") pairs of a logfmt text, values unquoted."""
    return {m["key"]: _unquote(m["value"]) for m in _PAIR.finditer(text)}


def flatten(value: object, prefix: str = "") -> dict[str, str]:
    """A JSON object's leaves by dotted key ("actor.org.name"); lists by index."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key, inner in value.items():
            out.update(flatten(inner, f"{prefix}{key}."))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            out.update(flatten(inner, f"{prefix}{index}."))
    elif value is not None:
        text = value if isinstance(value, str) else json.dumps(value)
        out[prefix[:-1]] = text.strip('"') if isinstance(value, bool) else text
    return out


def _message_fields(message: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Fields of a free message part: a JSON object, else key=value pairs and loose cells."""
    text = message.strip()
    start = text.find("{")
    if start >= 0 and text.endswith("}"):
        try:
            parsed = json.loads(text[start:])
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            loose = tuple(c for c in _CELLS.split(text[:start]) if c.strip())
            return flatten(parsed), loose
    return _fixed_fields(text)


def _fixed_fields(text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """A fixed-column text's cells: key=value cells as fields, the rest as loose cells."""
    cells = [c.strip() for c in _CELLS.split(text) if c.strip()]
    if len(cells) <= 1:
        found: dict[str, str] = {}
        between: list[str] = []
        at = 0
        for match in _PAIR.finditer(text):
            found[match["key"]] = _unquote(match["value"])
            between.append(text[at : match.start()])
            at = match.end()
        if found:
            between.append(text[at:])
            return found, tuple(" ".join(between).split())
    fields: dict[str, str] = {}
    loose: list[str] = []
    for cell in cells:
        one = _CELL_PAIR.match(cell)
        if one is not None and not STAMP.fullmatch(cell):
            inner = pairs(cell)
            # A cell of several pairs ("user=a org=b") is split; a single pair keeps its
            # whole value, spaces and commas included ("agency=Columbia PD, SC").
            if len(inner) > 1 and all(_unquote(v) != one["value"] for v in inner.values()):
                fields.update(inner)
            else:
                fields[one["key"]] = _unquote(one["value"].strip())
        else:
            loose.append(cell)
    return fields, tuple(loose)


def _stamp_out(cells: Sequence[str], line: str) -> tuple[str, tuple[str, ...]]:
    """The line's first timestamp and the loose cells without it."""
    found = STAMP.search(line)
    if found is None:
        return "", tuple(cells)
    stamp = found.group(0).strip()
    rest: list[str] = []
    for cell in cells:
        if stamp and stamp in cell:
            left = cell.replace(stamp, " ").strip(" ,[]")
            if left:
                rest.extend(x for x in _CELLS.split(left) if x.strip())
            stamp = ""
        else:
            rest.append(cell)
    return found.group(0).strip(), tuple(rest)


def parse_jsonl(number: int, line: str) -> Event | None:
    """A JSON object on one line (also one element of an array written one per line)."""
    text = line.strip().rstrip(",")
    if text.startswith("[{"):
        text = text[1:]
    if text.endswith("}]"):
        text = text[:-1]
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return Event(number, flatten(value), "")


def parse_ncsa(number: int, line: str) -> Event | None:
    """An NCSA common or combined access log line, with any fields after the standard ones."""
    found = _NCSA.match(line.strip())
    if found is None:
        return None
    host, ident, user, time, request, status, size, referer, agent, rest = found.groups()
    method, _, target = request.partition(" ")
    fields = {
        "host": host,
        "ident": ident,
        "user": _unquote(user),
        "time": time,
        "request": request,
        "status": status,
        "bytes": size,
        "method": method,
        "path": target.rsplit(" ", 1)[0] if " HTTP/" in target else target,
    }
    path, _, query = fields["path"].partition("?")
    if query:
        # The organisation may be written only in the query string (?org_id=Erie+PD).
        fields["path"] = path
        for key, value in parse_qsl(query):
            fields.setdefault(key, value)
    if referer is not None:
        fields["referer"], fields["agent"] = referer, agent
    if not rest.strip():
        return Event(number, fields, time)
    extra, loose = _fixed_fields(rest)
    for key, value in extra.items():
        fields.setdefault(key, value)
    return Event(number, fields, time, loose)


_CEF_HEADER = re.compile(r"(?:^|\s)CEF:(?P<version>\d+)\|(?P<rest>.*)$")
_CEF_KEY = re.compile(r"(?:^|(?<=\s))(?P<key>[A-Za-z0-9_.]+)=")
_CEF_HEADER_NAMES = ("device vendor", "device product", "device version", "signature id", "name")


def parse_cef(number: int, line: str) -> Event | None:
    """An ArcSight CEF line (maybe after a syslog prefix): seven header fields split at
    unescaped pipes, then key=value extensions whose values run to the next key; each
    csNLabel names its csN value ("cs1Label=org_id cs1=Erie PD" gives org_id)."""
    found = _CEF_HEADER.search(line.strip())
    if found is None:
        return None
    parts = re.split(r"(?<!\\)\|", found["rest"], maxsplit=6)
    if len(parts) < 7:
        return None
    fields = dict(zip(_CEF_HEADER_NAMES, parts[:5], strict=True))
    fields["severity"] = parts[5]
    extension = parts[6]
    keys = list(_CEF_KEY.finditer(extension))
    for index, key in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(extension)
        fields[key["key"]] = extension[key.end() : end].strip().replace("\\=", "=")
    for label in [k for k in fields if re.fullmatch(r"c[sn]\d+Label", k)]:
        value = fields.get(label[: -len("Label")])
        if value is not None:
            fields.setdefault(fields[label], value)
    prefix = STAMP.search(line[: found.start()]) or _SYSLOG_3164.match(line.strip())
    stamp = fields.get("rt") or fields.get("end") or fields.get("start") or ""
    if not stamp and prefix is not None:
        stamp = prefix.group("time") if "time" in prefix.groupdict() else prefix.group(0)
    return Event(number, fields, stamp)


def parse_syslog5424(number: int, line: str) -> Event | None:
    """An RFC 5424 syslog line: header, structured data params and message fields."""
    found = _SYSLOG_5424.match(line.strip())
    if found is None:
        return None
    fields = {k: found[k] for k in ("time", "host", "app", "procid", "msgid")}
    for element in _SD_ELEMENT.finditer(found["sd"] or ""):
        for param in _SD_PARAM.finditer(element["params"]):
            fields.setdefault(param["key"], param["value"].replace('\\"', '"'))
    more, loose = _message_fields(found["msg"] or "")
    for key, value in more.items():
        fields.setdefault(key, value)
    return Event(number, fields, found["time"], loose)


def parse_syslog3164(number: int, line: str) -> Event | None:
    """An RFC 3164 (BSD) syslog line: "<pri>Mmm dd hh:mm:ss host tag[pid]: message"."""
    found = _SYSLOG_3164.match(line.strip())
    if found is None:
        return None
    fields = {"time": found["time"], "host": found["host"], "app": found["tag"]}
    more, loose = _message_fields(found["msg"] or "")
    for key, value in more.items():
        fields.setdefault(key, value)
    # A year the header lacks may be written in the message ("2019-09-07T06:20:11Z").
    stamp = found["time"]
    inner = STAMP.search(found["msg"] or "")
    if inner is not None and re.search(r"\d{4}", inner.group(0)):
        stamp = inner.group(0)
        loose = tuple(c for c in loose if c != stamp)
    return Event(number, fields, stamp, loose)


def parse_keyvalue(number: int, line: str) -> Event | None:
    """A logfmt line (a timestamp and two or more key=value pairs), maybe in fixed columns."""
    fields, loose = _message_fields(line.strip())
    if len(fields) < 2:
        return None
    stamp_key = next((k for k, v in fields.items() if STAMP.fullmatch(v.strip())), "")
    if stamp_key:
        return Event(number, fields, fields[stamp_key], loose)
    stamp, rest = _stamp_out(loose, line)
    if not stamp:
        return None
    return Event(number, fields, stamp, rest)


def parse_fixed(number: int, line: str) -> Event | None:
    """A fixed-column line: a timestamp and two or more other cells."""
    fields, loose = _message_fields(line.strip())
    stamp, rest = _stamp_out(loose, line)
    if not stamp or len(rest) + len(fields) < 2:
        return None
    return Event(number, fields, stamp, rest)


#: Each format's line parser, most specific first.
PARSERS = {
    "CEF (ArcSight)": parse_cef,
    "JSON Lines": parse_jsonl,
    "NCSA access log": parse_ncsa,
    "syslog (RFC 5424)": parse_syslog5424,
    "syslog (RFC 3164)": parse_syslog3164,
    "key=value (logfmt)": parse_keyvalue,
    "fixed-column text": parse_fixed,
}


@dataclass(frozen=True)
class Detected:
    """The format a text's lines are written in, and the header line above them, if any."""

    name: str
    #: Lines (1-based numbers) above the first event: titles, comments, a column header.
    preamble: tuple[tuple[int, str], ...] = ()
    #: Column names from a header line (empty when none).
    header: tuple[str, ...] = ()
    #: The delimiter of a CSV/TSV log ("" for other formats).
    delimiter: str = ""


DELIMITED = "CSV/TSV log"
#: Delimiters of CSV/TSV logs, tried in turn.
DELIMITERS = (",", ";", "\t", "|")
#: Lines at the top of a CSV/TSV log that may stand above its header (a title, a comment).
HEADER_WITHIN = 5


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


def _stamp_cell(cells: Sequence[str]) -> str:
    """The first cell that is a timestamp (a date with a time of day), "" when none."""
    for cell in cells:
        found = STAMP.match(cell.strip())
        if found is not None and len(found.group(0)) >= len(cell.strip()) - 1:
            return cell.strip()
    return ""


def parse_delimited(detected: Detected, number: int, line: str) -> Event | None:
    """A row of a CSV/TSV log: as wide as its header, one cell a timestamp."""
    cells = _split(line, detected.delimiter)
    if len(cells) != len(detected.header):
        return None
    stamp = _stamp_cell(cells)
    if not stamp:
        return None
    fields = {key: cell.strip() for key, cell in zip(detected.header, cells, strict=True)}
    return Event(number, fields, stamp)


W3C = "W3C extended log (IIS)"


def parse_w3c(detected: Detected, number: int, line: str) -> Event | None:
    """A W3C extended log line: space-separated values named by the #Fields: directive."""
    if line.startswith("#"):
        return None
    cells = line.split()
    if len(cells) != len(detected.header):
        return None
    raw = dict(zip(detected.header, cells, strict=True))
    fields = {k: v for k, v in raw.items() if v != "-"}
    # W3C writes "-" for an empty field; only the whole field, never a hyphen inside a value.
    query = fields.get("cs-uri-query", "")
    for key, value in parse_qsl(query):
        fields.setdefault(key, value)
    if "cs-method" in raw:
        fields["method"], fields["path"] = raw["cs-method"], raw.get("cs-uri-stem", "")
        fields["request"] = f"{fields['method']} {fields['path']}"
    if "sc-status" in raw:
        fields["status"] = raw["sc-status"]
    stamp = " ".join(raw[k] for k in ("date", "time") if k in raw)
    if not STAMP.match(stamp):
        return None
    return Event(number, fields, stamp)


def _detect_w3c(sample: Sequence[tuple[int, str]]) -> Detected | None:
    """A #Fields: directive and lines as many values wide (IIS and other W3C logs)."""
    for index, (_, line) in enumerate(sample[:20]):
        if line.startswith("#Fields:"):
            header = tuple(line[len("#Fields:") :].split())
            found = Detected(W3C, tuple(sample[: index + 1]), header)
            body = [(n, t) for n, t in sample[index + 1 :] if not t.startswith("#")]
            hits = sum(parse_w3c(found, n, t) is not None for n, t in body)
            if hits >= MIN_LINES and hits >= FORMAT_SHARE * len(body):
                return found
    return None


def _detect_delimited(sample: Sequence[tuple[int, str]]) -> Detected | None:
    """A header line (no timestamp, 3+ cells) and rows as wide, each with a timestamp."""
    best: tuple[int, Detected] | None = None
    for delimiter in DELIMITERS:
        for index, (_, line) in enumerate(sample[:HEADER_WITHIN]):
            header = [c.strip() for c in _split(line, delimiter)]
            if len(header) < 3 or _stamp_cell(header) or not all(header):
                continue
            found = Detected(DELIMITED, tuple(sample[: index + 1]), tuple(header), delimiter)
            # The header printed again and indented lines (a stack trace under an error)
            # are no rows: they count neither for the format nor against it.
            body = [
                (n, text)
                for n, text in sample[index + 1 :]
                if not text[:1].isspace() and text.strip() != line.strip()
            ]
            hits = sum(parse_delimited(found, n, text) is not None for n, text in body)
            enough = hits >= MIN_LINES and hits >= FORMAT_SHARE * len(body)
            if enough and (best is None or hits > best[0]):
                best = (hits, found)
            break
    return best[1] if best else None


def detect(lines: Iterable[tuple[int, str]]) -> Detected | None:
    """The format most of the first lines parse in; None when no format reads enough of them."""
    sample = [(n, line) for n, line in lines if line.strip()][:SAMPLE_LINES]
    if not sample:
        return None
    w3c = _detect_w3c(sample)
    if w3c is not None:
        return w3c
    # A CEF line holds seven "|" and a syslog line may hold a few: a line format that reads
    # the lines comes before reading them as columns split at a delimiter.
    by_format = _detect_by_format(sample)
    if by_format is not None and by_format.name != "fixed-column text":
        return by_format
    delimited = _detect_delimited(sample)
    if delimited is not None:
        return delimited
    return by_format


def _detect_by_format(sample: Sequence[tuple[int, str]]) -> Detected | None:
    """The line format most of the sample parses in, or None."""
    tally: Counter[str] = Counter()
    first: dict[str, int] = {}
    indented: set[str] = set()
    for index, (number, line) in enumerate(sample):
        for name, parser in PARSERS.items():
            if parser(number, line) is not None:
                tally[name] += 1
                first.setdefault(name, index)
                if line[:1].isspace():
                    indented.add(name)
                break
    if not tally:
        return None
    name, hits = tally.most_common(1)[0]
    start = first[name]
    body = len(sample) - start
    if name not in indented:
        # Events written at the margin: an indented line continues the entry above (a stack
        # trace under an error line) and neither counts for the format nor against it.
        body = sum(1 for _, line in sample[start:] if not line[:1].isspace())
    if hits < MIN_LINES or hits < FORMAT_SHARE * body:
        return None
    preamble = tuple(sample[:start])
    header: tuple[str, ...] = ()
    if name in ("fixed-column text", "key=value (logfmt)") and preamble:
        cells = [c.strip() for c in _CELLS.split(preamble[-1][1]) if c.strip()]
        if len(cells) >= 2 and not any(ch.isdigit() for ch in preamble[-1][1]):
            header = tuple(cells)
    return Detected(name, preamble, header)


def parse(detected: Detected, number: int, line: str) -> Event | None:
    """One line in the detected format; header names given to a fixed-column line's cells."""
    if detected.name == DELIMITED:
        return parse_delimited(detected, number, line)
    if detected.name == W3C:
        return parse_w3c(detected, number, line)
    event = PARSERS[detected.name](number, line)
    if event is None or not detected.header:
        return event
    cells = [c.strip() for c in _CELLS.split(line.strip()) if c.strip()]
    if len(cells) != len(detected.header):
        return event
    fields = dict(zip(detected.header, cells, strict=True))
    return Event(number, {**event.fields, **fields}, event.stamp, ())
