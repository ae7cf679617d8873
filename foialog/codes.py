"""Vendor account codes joined to agency names from another file of the same leak.

A log often names each customer only by an account code ("ORG-11299", "C-90738", a hex id)
while a client list or sheet elsewhere in the leak gives each code's name. The join is made
after every document is read: each code is looked up among the other files' records, in the
agency column or in any other cell of a row that also names an agency.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from foialog.entities.review import REVIEW_COLUMNS
from foialog.extract.document import DocumentResult
from foialog.extract.record import Record
from foialog.extract.text.logevents import agency_shaped, is_code


@dataclass(frozen=True)
class Name:
    """The name a code stands for and the file (and row) that says so."""

    name: str
    source_file: str
    row: int | None


@dataclass
class CodeJoin:
    """Codes of log events, the names found for them, and the events joined."""

    #: Every name found for each code, in any file.
    names: dict[str, set[Name]] = field(default_factory=dict)
    #: Events per code that no other file names, largest first when listed.
    unjoined: Counter[str] = field(default_factory=Counter)
    #: Files each unjoined code's events are in.
    unjoined_files: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: The joined records, their codes and names, to restore agency_raw after resolution.
    joined: list[tuple[Record, str, Name]] = field(default_factory=list)

    def restore(self) -> None:
        """Put each joined record's code back as agency_raw and its joined name as agency."""
        for rec, code, name in self.joined:
            # The agency is the name the client list gives (the contract for joins),
            # beside the agency_id that resolution gave that name.
            rec.agency = name.name
            rec.agency_raw = code

    def review(self) -> pd.DataFrame:
        """review.csv rows for codes no file names: largest event count first."""
        rows = [
            {
                **dict.fromkeys(REVIEW_COLUMNS, ""),
                "kind": "unjoined code",
                "score": 0.0,
                "reason": (
                    f"{code}: {n} log event(s) in {', '.join(sorted(self.unjoined_files[code]))} "
                    "name their organisation only by this account code, and no other file of "
                    "the inputs gives its name; add the vendor's client list to the inputs, or "
                    "name it in the corrections file"
                ),
                "n_records": n,
                "count_affected": n,
                "variant": code,
            }
            for code, n in sorted(self.unjoined.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))


def _log_code(rec: Record) -> str:
    """The account code a log event names its organisation by ("" when it names a name)."""
    if rec.method != "log" or not rec.agency_raw or not is_code(rec.agency_raw):
        return ""
    return rec.agency_raw


def _names_for(codes: set[str], records: Sequence[Record]) -> dict[str, set[Name]]:
    """Each code's name from the records of files other than the logs that carry it."""
    found: dict[str, Counter[Name]] = defaultdict(Counter)
    for rec in records:
        if rec.method == "log" and _log_code(rec):
            continue
        try:
            extra = json.loads(rec.extra) if rec.extra and rec.extra != "{}" else {}
        except ValueError:
            extra = {}
        cells = [str(v).strip() for v in extra.values() if isinstance(v, str | int)]
        if rec.agency_raw and not is_code(rec.agency_raw):
            for cell in cells:
                if cell in codes:
                    found[cell][Name(rec.agency_raw.strip(), rec.source_file, rec.row)] += 1
        elif rec.agency_raw in codes:
            named = [c for c in cells if agency_shaped(c)]
            if len(named) == 1:
                found[rec.agency_raw][Name(named[0], rec.source_file, rec.row)] += 1
    return {code: set(candidates) for code, candidates in found.items()}


def _folder(source_file: str) -> tuple[str, ...]:
    """The folders (and containers) a file sits in: "a/b.zip > c.csv" -> ("a", "b.zip")."""
    parts = [p for piece in source_file.split(" > ") for p in piece.split("/")]
    return tuple(parts[:-1])


def closest(names: set[Name], source_file: str) -> Name | None:
    """The name given by the files nearest the log (same folder first); None if they differ.

    A leak of several vendors' exports can reuse a code; the client list beside the log is
    the one that speaks for it, and two different names at the same distance are not joined.
    """
    here = _folder(source_file)

    def shared(name: Name) -> int:
        there = _folder(name.source_file)
        return next(
            (i for i, (a, b) in enumerate(zip(here, there, strict=False)) if a != b),
            min(len(here), len(there)),
        )

    others = [n for n in names if n.source_file != source_file]
    if not others:
        return None
    best = max(shared(n) for n in others)
    nearest = [n for n in others if shared(n) == best]
    if len({n.name.casefold() for n in nearest}) != 1:
        return None
    return min(nearest, key=lambda n: (n.source_file, n.row or 0))


def join_codes(records: Sequence[Record]) -> CodeJoin:
    """Name each log event known only by a code, from another file; restore() undoes agency_raw.

    Joined events carry the name as agency_raw until ``restore`` (so that agencies are resolved
    by the name) and keep the code and where its name came from in extra.
    """
    events = [(rec, code) for rec in records if (code := _log_code(rec))]
    join = CodeJoin()
    if not events:
        return join
    codes = {code for _, code in events}
    join.names = _names_for(codes, [r for r in records if r.method != "log"])
    chosen: dict[tuple[str, str], Name | None] = {}
    for rec, code in events:
        key = (code, rec.source_file)
        if key not in chosen:
            chosen[key] = closest(join.names.get(code, set()), rec.source_file)
        name = chosen[key]
        if name is None:
            join.unjoined[code] += rec.count or 0
            join.unjoined_files[code].add(rec.source_file)
            continue
        extra = json.loads(rec.extra)
        extra["agency_code"] = code
        where = name.source_file + (f" row {name.row}" if name.row is not None else "")
        extra["agency_joined_from"] = where
        rec.extra = json.dumps(extra, ensure_ascii=False)
        rec.agency_raw = name.name
        join.joined.append((rec, code, name))
    return join


def join_notes(join: CodeJoin) -> dict[str, list[str]]:
    """A documents.csv note for each log file with joined or unjoined codes."""
    joined: dict[str, dict[str, Name]] = defaultdict(dict)
    for rec, code, name in join.joined:
        joined[rec.source_file][code] = name
    notes: dict[str, list[str]] = defaultdict(list)
    for source, codes in joined.items():
        shown = ", ".join(
            f"{code} -> {name.name} ({name.source_file})"
            for code, name in sorted(codes.items())[:10]
        )
        more = f" and {len(codes) - 10} more" if len(codes) > 10 else ""
        notes[source].append(f"{len(codes)} account code(s) joined to names: {shown}{more}")
    unjoined: dict[str, Counter[str]] = defaultdict(Counter)
    for code, files in join.unjoined_files.items():
        for source in files:
            unjoined[source][code] = join.unjoined[code]
    for source, missing in unjoined.items():
        shown = ", ".join(f"{code} ({n} events)" for code, n in missing.most_common(5))
        notes[source].append(
            f"{len(missing)} account code(s) not joined, no other file names them (review.csv): "
            + shown
        )
    return notes


def join_into(records: Sequence[Record], results: Sequence[DocumentResult]) -> CodeJoin:
    """join_codes, with a note on each log file's documents.csv row saying what was joined."""
    join = join_codes(records)
    notes = join_notes(join)
    for result in results:
        result.notes.extend(notes.pop(result.source_file, []))
    return join


def with_review(review: pd.DataFrame, join: CodeJoin) -> pd.DataFrame:
    """The review queue with a row per unjoined code appended (largest event count first)."""
    rows = join.review()
    if rows.empty:
        return review
    return pd.concat([review, rows.astype(review.dtypes.to_dict())], ignore_index=True)
