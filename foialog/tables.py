"""Records, agencies and documents as DataFrames in the output contract's columns."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from foialog.columns import column_kind
from foialog.entities.classify import folded_domain
from foialog.entities.corrections import Correction
from foialog.entities.mention import Agency, Mention
from foialog.entities.normalise import parse_name
from foialog.entities.resolve import MentionStats, resolve
from foialog.entities.review import REVIEW_COLUMNS
from foialog.extract.document import DocumentResult
from foialog.extract.record import RECORD_COLUMNS, Record
from foialog.extract.tables.rows import CLOSE_CALL_NOTE
from foialog.extract.text.logs import in_timeline
from foialog.extract.values.places import unread_place

DOCUMENT_COLUMNS = (
    "source_file", "sha256", "detected_type", "pages", "ocr_pages", "status", "error",
    "n_records", "seconds", "sheets", "notes",
)  # fmt: skip
AGENCY_COLUMNS = (
    "agency_id", "agency", "agency_type", "country", "region", "reference_id", "n_records",
    "count_total", "first_date", "last_date", "variants", "sources",
)  # fmt: skip


@dataclass(frozen=True)
class ResolvedAgencies:
    """Agencies by agency_id and the review queue, as resolve_agencies found them."""

    agencies: dict[str, Agency]
    review: pd.DataFrame


def _mention(r: Record, context: dict[str, str], scope: dict[str, str]) -> Mention:
    return Mention(
        raw=r.agency_raw,
        country=r.country,
        region=r.region,
        email_domain=folded_domain(r.user_email),
        context_country=context.get(r.source_file, ""),
        context_region=scope.get(r.source_file, ""),
        place_raw=unread_place(r.region_raw, r.region),
    )


def _one_region(records: Sequence[Record]) -> dict[str, str]:
    """Files whose placed rows (by column or name: two or more, and at least half the file's
    rows) all name one region."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    rows: Counter[str] = Counter()
    for r in records:
        rows[r.source_file] += 1
        region = r.region or parse_name(r.agency_raw).region
        if region:
            seen[r.source_file][region] += 1
    return {
        f: next(iter(c))
        for f, c in seen.items()
        if len(c) == 1 and c.total() >= max(2, rows[f] / 2)
    }


def resolve_agencies(
    records: Sequence[Record], corrections: Sequence[Correction] = ()
) -> ResolvedAgencies:
    """Fill agency, agency_id, agency_type and (where inferred) country/region, in place."""
    named = [r for r in records if r.agency_raw and r.row_type == "data"]
    # A document's usual country places its rows that name none (context, never a veto).
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in named:
        if r.country:
            votes[r.source_file][r.country] += 1
    context = {f: c.most_common(1)[0][0] for f, c in votes.items()}
    # A file whose placed rows are all in one state places its local agencies named bare.
    scope = _one_region(named)
    # Records are tallied by a plain tuple per spelling and place, and each distinct one is
    # made a Mention and looked up once: a Mention per record was most of this step's time.
    keys = [
        (r.agency_raw, r.country, r.region, r.user_email, r.source_file, r.region_raw)
        for r in named
    ]
    tally: dict[tuple[str, str, str, str, str, str], list[int]] = {}
    firsts: dict[tuple[str, str, str, str, str, str], Record] = {}
    for r, key in zip(named, keys, strict=True):
        counts = tally.get(key)
        if counts is None:
            counts = tally[key] = [0, 0]
            firsts[key] = r
        counts[0] += 1
        counts[1] += r.count or 0
    mentions = {key: _mention(first, context, scope) for key, first in firsts.items()}
    stats: dict[Mention, MentionStats] = {}
    for key, (n_records, count_total) in tally.items():
        m = mentions[key]
        old = stats.get(m, MentionStats(0, 0))
        stats[m] = MentionStats(old.n_records + n_records, old.count_total + count_total)
    resolution = resolve(stats, corrections)
    agency_of = {key: resolution.agencies.get(m) for key, m in mentions.items()}
    for r, key in zip(named, keys, strict=True):
        agency = agency_of[key]
        if agency is None:
            continue
        r.agency, r.agency_id, r.agency_type = agency.name, agency.agency_id, agency.agency_type
        if not r.country and agency.country:
            r.country = agency.country
        if not r.region and agency.region and agency.region.startswith(f"{r.country}-"):
            r.region = agency.region
        r.confidence = min(r.confidence, agency.confidence)
    review = pd.DataFrame(
        [row.as_dict() for row in resolution.review], columns=list(REVIEW_COLUMNS)
    )
    return ResolvedAgencies(
        agencies={a.agency_id: a for a in resolution.agencies.values()}, review=review
    )


def assign_record_ids(records: Sequence[Record]) -> None:
    """Give each record an id derived from its file hash and position (stable across runs)."""
    seen: dict[str, int] = defaultdict(int)
    for r in records:
        base = f"{r.source_sha256}|{r.source_file}|{r.sheet}|{r.page}|{r.row}|{r.method}"
        seen[base] += 1
        digest = hashlib.sha1(f"{base}|{seen[base]}".encode()).hexdigest()
        r.record_id = f"r-{digest[:14]}"


#: Records turned into columns at a time (see records_frame).
FRAME_CHUNK_ROWS = 50_000


def records_frame(records: Iterable[Record]) -> pd.DataFrame:
    """Return records as a DataFrame with contract columns and nullable integer counts."""
    # Built column by column (a list of 100,000 dicts costs pandas several times as long), a
    # chunk of records at a time: a tuple per record, transposed, held three copies of a
    # million rows at once, and with take_records each chunk's records are freed once copied.
    # Text is stored as Arrow strings with None as "", numbers typed as the exports read them
    # back, so that typed() needs no copy.
    parts: dict[str, list[Any]] = {name: [] for name in RECORD_COLUMNS}
    rows = iter(records)
    while chunk := list(islice(rows, FRAME_CHUNK_ROWS)):
        for name in RECORD_COLUMNS:
            kind = column_kind(name)
            if kind == "text":
                # Missing text (None, NaN) made null by Arrow and filled there: a third less
                # time than finding it with pd.isna in an object array first.
                cells = pa.array(
                    list(map(attrgetter(name), chunk)), type=pa.large_string(), from_pandas=True
                )
                parts[name].append(pc.fill_null(cells, ""))
            else:
                parts[name].append(
                    np.fromiter(map(attrgetter(name), chunk), dtype=object, count=len(chunk))
                )
        del chunk
    data: dict[str, object] = {}
    for name, chunks in parts.items():
        kind = column_kind(name)
        if kind == "text":
            data[name] = pd.array(pa.chunked_array(chunks, type=pa.large_string()), dtype="str")
        else:
            values = np.concatenate(chunks) if chunks else np.empty(0, dtype=object)
            if kind == "integer":
                data[name] = pd.array(values, dtype="Int64")
            else:
                data[name] = pd.array(values, dtype="Float64")
    return pd.DataFrame(data, columns=list(RECORD_COLUMNS))


def take_records(results: Sequence[DocumentResult]) -> Iterator[Record]:
    """Every document's records in order, each taken out of its document as it is given.

    For records_frame: a million records and their frame are never both held at once.
    """
    for d in results:
        while d.records:
            chunk = d.records[:FRAME_CHUNK_ROWS]
            del d.records[:FRAME_CHUNK_ROWS]
            yield from chunk
            del chunk


def documents_frame(results: Sequence[DocumentResult]) -> pd.DataFrame:
    """Return one row per input file, failures included."""
    rows = [
        {
            "source_file": d.source_file,
            "sha256": d.sha256,
            "detected_type": d.detected_type,
            "pages": d.pages,
            "ocr_pages": d.ocr_pages,
            "status": d.status,
            "error": d.error,
            "n_records": d.n_records,
            "seconds": d.seconds,
            "sheets": d.sheets,
            "notes": " | ".join(d.notes),
        }
        for d in results
    ]
    frame = pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))
    frame["pages"] = frame["pages"].astype("Int64")
    return frame


def agencies_frame(
    records: Sequence[Record], agencies: Mapping[str, Agency] | None = None
) -> pd.DataFrame:
    """Return one row per agency with counts per metric, date span, variants and sources."""
    by_id: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        if r.agency_id:
            by_id[r.agency_id].append(r)
    rows: list[dict[str, object]] = []
    metrics: set[str] = set()
    for agency_id, group in by_id.items():
        totals: dict[str, int] = defaultdict(int)
        for r in group:
            if r.count is not None:
                totals[r.metric or "count"] += r.count
        metrics.update(totals)
        dates = sorted(d for r in group for d in (r.date, r.date_end) if d)
        first = group[0]
        resolved = (agencies or {}).get(agency_id)
        row: dict[str, object] = {
            "agency_id": agency_id,
            "agency": first.agency,
            "agency_type": resolved.agency_type if resolved else first.agency_type,
            "country": (resolved and resolved.country) or _most_common([r.country for r in group]),
            "region": (resolved and resolved.region) or _most_common([r.region for r in group]),
            "reference_id": resolved.reference_id if resolved else "",
            "n_records": len(group),
            "count_total": json.dumps(dict(sorted(totals.items()))),
            "first_date": dates[0] if dates else "",
            "last_date": dates[-1] if dates else "",
            "variants": json.dumps(sorted({r.agency_raw for r in group}), ensure_ascii=False),
            "sources": json.dumps(sorted({r.source_file for r in group}), ensure_ascii=False),
            "confidence": resolved.confidence if resolved else None,
            "corrections": " | ".join(resolved.corrections) if resolved else "",
        }
        for metric, total in totals.items():
            row[f"count_total_{metric}"] = total
        rows.append(row)
    wide = [f"count_total_{m}" for m in sorted(metrics)]
    frame = pd.DataFrame(rows, columns=[*AGENCY_COLUMNS, "confidence", "corrections", *wide])
    for column in ["n_records", *wide]:
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(["country", "agency", "agency_id"], kind="stable").reset_index(
        drop=True
    )


#: What a reader writes in a document's notes for text left under a redaction box.
HIDDEN_TEXT = "text under redaction box"


def with_hidden_text(review: pd.DataFrame, results: Sequence[DocumentResult]) -> pd.DataFrame:
    """Put review rows first for text under redaction boxes and close calls of column roles."""
    rows = [
        {
            "kind": "hidden text",
            "score": 0.0,
            "reason": (
                f"{d.source_file} {note}: the PDF still holds text a redaction box covers; "
                "it is kept out of the tables. Check with the source before using it"
            ),
            "n_records": 0,
            "count_affected": 0,
        }
        for d in results
        for note in d.notes
        if HIDDEN_TEXT in note
    ]
    rows += [
        {
            "kind": "column role",
            "score": 0.5,
            "reason": f"{d.source_file} {note}",
            "n_records": d.n_records,
            "count_affected": 0,
        }
        for d in results
        for note in d.notes
        if CLOSE_CALL_NOTE in note
    ]
    if not rows:
        return review
    hidden = pd.DataFrame(rows, columns=review.columns).astype(review.dtypes.to_dict())
    return pd.concat([hidden, review], ignore_index=True)


MONTHLY_COLUMNS = (
    "agency_id", "agency", "month", "metric", "n_records", "count", "qualifiers", "methods",
)  # fmt: skip


def monthly_frame(records: Sequence[Record]) -> pd.DataFrame:
    """Return each agency's records and counts per month and metric (data rows with a month).

    A lifetime total dated by a moment (a last login in a per-agency totals table) is in no
    month; ``methods`` says whether a month's count is of log events or of table rows.
    """
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for r in records:
        if r.agency_id and r.row_type == "data" and len(r.date) >= 7 and in_timeline(r):
            groups[(r.agency_id, r.date[:7], r.metric or "count")].append(r)
    # A row per group as a tuple, with a short way for a month of one record (a wide table
    # gives a group per cell: 80,000 of them on NICS, where a dict and two sorted sets per
    # group were most of this table's time).
    rows: list[tuple[object, ...]] = []
    for key in sorted(groups):
        group = groups[key]
        first = group[0]
        if len(group) == 1:
            count: int | None = first.count
            kinds = "" if count is None else first.count_qualifier or "exact"
            methods = first.method
        else:
            counted = [r for r in group if r.count is not None]
            count = sum(r.count or 0 for r in counted) if counted else None
            kinds = ", ".join(sorted({r.count_qualifier or "exact" for r in counted}))
            methods = ", ".join(sorted({r.method for r in group}))
        rows.append((key[0], first.agency, key[1], key[2], len(group), count, kinds, methods))
    frame = pd.DataFrame(rows, columns=list(MONTHLY_COLUMNS))
    for column in ("n_records", "count"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _most_common(values: list[str]) -> str:
    present = [v for v in values if v]
    return max(sorted(set(present)), key=present.count) if present else ""
