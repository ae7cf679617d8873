"""Tables repeated across files: the same rows read from two documents are counted once.

A leak often holds one table twice under different bytes: a PDF and the spreadsheet it was
printed from, a scan and a PNG of it, an attachment sent in two messages. Summing both would
double every total. Two documents hold the same table when they give the same rows of agency,
count and date (and time of day, for logs); the evidence is the rows themselves, never the
file names or types.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from foialog.extract.document import DocumentResult
from foialog.extract.record import Record

#: A row as two readings of one table give it alike: agency as written (case and spacing
#: folded), count, date, end of range and time of day.
RowKey = tuple[str, int | None, str, str, str]

#: Fewest rows with a count a document needs before it can be judged a repeat: one or two
#: matching numbers could be chance, and a list of names with no counts adds nothing to totals.
MIN_COUNTED = 2
#: Share of a document's rows found in another one above which the two are noted as perhaps
#: one table read differently (an OCR slip, a wrapped cell), though both are counted.
OVERLAP_NOTE = 0.5


@dataclass(frozen=True)
class Repeat:
    """One document whose rows all appear in another one, which is kept."""

    #: Place of the repeat and of the document kept, in the run's list of documents.
    index: int
    kept: int
    rows: int
    #: True when both hold exactly the same rows; False when the kept one holds more.
    same: bool


@dataclass(frozen=True)
class Findings:
    """Repeated tables found among a run's documents, and notes on those sharing many rows."""

    repeats: list[Repeat] = field(default_factory=list)
    #: (document index, note) for documents sharing half their rows or more with another.
    notes: list[tuple[int, str]] = field(default_factory=list)


def set_aside_repeats(results: Sequence[DocumentResult], *, keep: bool = False) -> Findings:
    """Find repeated tables among ``results`` and set them aside (see apply_repeats)."""
    findings = find_repeats(results)
    apply_repeats(results, findings, keep=keep)
    return findings


def find_repeats(results: Sequence[DocumentResult]) -> Findings:
    """Find each document whose rows all appear in another's, and those sharing many rows.

    The one kept holds more rows, else is the better reading: ok before partial, then the
    higher mean confidence, then the first in input order.
    """
    counted = [
        i
        for i, d in enumerate(results)
        if sum(1 for r in d.records if r.row_type == "data" and r.count is not None) >= MIN_COUNTED
    ]
    if len(counted) < 2:  # nothing to compare: spare a large document its row keys
        return Findings()
    rows = {i: _rows(results[i].records) for i in counted}
    holders: dict[RowKey, set[int]] = defaultdict(set)
    for i in counted:
        for key in rows[i]:
            holders[key].add(i)
    rank = {i: _rank(results[i], i) for i in counted}
    found = Findings()
    dropped: set[int] = set()
    # Smallest documents first: a document is judged against the larger ones that contain it.
    for i in sorted(counted, key=lambda i: (sum(rows[i].values()), rank[i])):
        mine = rows[i]
        shared = _shared(i, mine, rows, holders, dropped)
        total = sum(mine.values())
        whole = [j for j, n in shared.items() if n == total]
        # Of two equal documents, the lower-ranked one is the repeat; a larger one is kept.
        keeper = [j for j in whole if sum(rows[j].values()) > total or rank[j] > rank[i]]
        if keeper:
            best = max(keeper, key=lambda j: (sum(rows[j].values()), rank[j]))
            found.repeats.append(Repeat(i, best, total, sum(rows[best].values()) == total))
            dropped.add(i)
            continue
        near = max(shared.items(), key=lambda item: item[1], default=None)
        if near is not None and total > near[1] >= max(MIN_COUNTED, total * OVERLAP_NOTE):
            found.notes.append(
                (
                    i,
                    f"{near[1]} of its {total} rows (agency, count, date) are also in "
                    f"{results[near[0]].source_file}: perhaps the same table read differently; "
                    "both are counted, so compare the two before adding them up",
                )
            )
    return found


def apply_repeats(
    results: Sequence[DocumentResult], findings: Findings, *, keep: bool = False
) -> None:
    """Flag each repeat: a skipped row naming the one kept, its rows dropped unless ``keep``.

    With ``keep`` its rows stay and a note says they are counted twice.
    """
    for repeat in findings.repeats:
        of = results[repeat.kept].source_file
        _flag(results[repeat.index], of, repeat.rows, same=repeat.same, keep=keep)
    for index, note in findings.notes:
        results[index].notes.append(note)


def _rows(records: Sequence[Record]) -> Counter[RowKey]:
    return Counter(
        (" ".join(r.agency_raw.casefold().split()), r.count, r.date, r.date_end, r.time)
        for r in records
        if r.row_type == "data"
    )


def _rank(document: DocumentResult, order: int) -> tuple[bool, float, int]:
    """Which of two equal readings to keep: ok before partial, surer, then the first."""
    sure = [r.confidence for r in document.records if r.row_type == "data"]
    return (document.status == "ok", sum(sure) / max(1, len(sure)), -order)


def _shared(
    i: int,
    mine: Counter[RowKey],
    rows: dict[int, Counter[RowKey]],
    holders: dict[RowKey, set[int]],
    dropped: set[int],
) -> Counter[int]:
    """Rows of document ``i`` found in each other document still counted (as a multiset)."""
    shared: Counter[int] = Counter()
    for key, n in mine.items():
        for j in holders[key]:
            if j != i and j not in dropped:
                shared[j] += min(n, rows[j][key])
    return shared


def _flag(document: DocumentResult, of: str, rows: int, *, same: bool, keep: bool) -> None:
    told = (
        f"the same {rows} rows (agency, count, date) as {of}"
        if same
        else f"all {rows} of its rows (agency, count, date) are among those of {of}"
    )
    if keep:
        document.notes.append(f"{told}; counted again, as --keep-duplicates asks")
        return
    document.status = "skipped"
    document.error = (
        f"{document.source_file}: {told}: the same table, so its rows are counted once, as "
        f"{of}'s; run with --keep-duplicates to count both"
    )
    document.records = []
