"""Why each peer misses the truth rows of the generated kinds: every missed row, classified.

    .venv/bin/python bench/peer_misses.py [--seeds 10] [--kinds pdf_grid,csv] [--tools camelot]

For each generated kind a peer reads (tests/variation: PDF tables, CSV, XLSX) and each peer of
bench/peer_tools.py, seeds 0..n-1, every truth row the peer's afternoon script does not give
exactly (agency, count and date all right) is put in one class, by what the peer's raw tables
and records show about that row:

- ``no table``: no raw table of the file holds the row's agency;
- ``no header row``: the table prints no header (the generator's header-less tables);
- ``header not found``: a header is printed but its words match none of the script's keywords
  (the words are counted apart);
- ``agency column wrong``: the file gave records, none with this agency, and the row's agency is
  printed whole in one raw cell;
- ``row split/merged``: the agency is not in one raw cell (a name wrapped over lines);
- ``redacted``: the truth agency or count is empty (redacted) and the peer gave the hidden text or
  the exemption code;
- ``count wrong: <how>`` / ``date wrong: <format>``: the agency is found, the count or the date
  is not right (the date format is the seed's, from its variation);
- ``date granularity``: the date is right to the month but the truth is a month and the peer
  gives a day in it (or the reverse): a scoring mismatch, not a wrong date.

Extra records (precision) are counted apart by class: total rows, header or title rows, others.
The bench's row F1 (bench/peers.py) scores the same records; this script explains them.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.peer_tools import (  # noqa: E402
    _AGENCY,
    _COUNT,
    _DATE,
    Rows,
    _names,
    afternoon_records,
    peers,
)
from tests.variation import kinds  # noqa: E402
from tests.variation.core import Generated, TruthRow, fold  # noqa: E402
from tests.variation.runner import generate  # noqa: E402

PDF_KINDS = ("pdf_grid", "pdf_unruled", "pdf_wrapped", "pdf_redacted")
SHEET_KINDS = ("csv", "xlsx")


def _cells(tables: list[Rows]) -> set[str]:
    return {fold(c) for table in tables for row in table for c in row if c}


def _header_words(tables: list[Rows], agency: str) -> list[str]:
    """The printed header cells above the first row holding the agency (none when none)."""
    for table in tables:
        for i, row in enumerate(table):
            if any(fold(c) == agency for c in row):
                for above in reversed(table[:i]):
                    cells = [c for c in above if c]
                    if len(cells) >= 2 and not any(re.fullmatch(r"[\d,. ]+", c) for c in cells):
                        return cells
                return []
    return []


def _count_how(tables: list[Rows], agency: str, truth: int | None, got: object) -> str:
    """How a count was misread, from the raw row that holds the agency."""
    if got is None:
        return "count wrong: none read (count column not found or cut off)"
    row = next(
        (r for t in tables for r in t if any(fold(c) == agency for c in r)),
        [],
    )
    numbers = {int(d) for c in row for d in [re.sub(r"[^\d]", "", c)] if d and len(d) < 15}
    if truth is not None and str(got).startswith(str(truth)) and got != truth:
        return "count wrong: digits of another cell run on (merged cells)"
    if got in numbers and truth in numbers:
        return "count wrong: another column's number"
    return "count wrong: other"


def _date_style(generated: Generated) -> str:
    dates = generated.variation.get("dates", "")
    return dates.removeprefix("row:") if dates.startswith("row:") else f"{dates} date"


def classify(
    generated: Generated,
    file_name: str,
    truth: list[TruthRow],
    tables: list[Rows],
    records: list[dict[str, object]],
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Each missed truth row of one file in one class; unmatched header words; extra records."""
    gold: Counter[tuple[str, object, str]] = Counter(
        (fold(t.agency), t.count, t.date) for t in truth
    )
    pred: Counter[tuple[str, object, str]] = Counter(
        (fold(r["agency_raw"]), r["count"], str(r["date"] or "")) for r in records
    )
    missed, extra = gold - pred, pred - gold
    classes: Counter[str] = Counter()
    words: Counter[str] = Counter()
    by_agency: dict[str, list[tuple[object, str]]] = {}
    for (a, c, d), n in extra.items():
        by_agency.setdefault(a, []).extend([(c, d)] * n)
    cells = _cells(tables)
    header = generated.variation.get("header", "single")
    encoding = generated.variation.get("encoding", "")
    readable = {"", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"}
    garbled = "" if encoding in readable else encoding
    for (agency, count, date), n in missed.items():
        for _ in range(n):
            found = by_agency.get(agency, [])
            if not agency:
                label = "redacted name: hidden text or exemption code read as the name"
            elif garbled and not any(agency in c for c in cells):
                label = f"text garbled ({garbled} read as cp1252)"
            elif not records and agency not in cells and not any(agency in c for c in cells):
                label = "table not found (or found without the agency column)"
            elif not records and header == "none":
                label = "no header row"
            elif not records:
                label = "header not found"
                for w in _header_words(tables, agency):
                    if not _names([w], _AGENCY + _COUNT + _DATE):
                        words[" ".join(w.split())] += 1
            elif not found:
                if agency in cells:
                    label = "agency column wrong"
                elif any(agency in c for c in cells):
                    label = "row merged (agency inside a longer cell)"
                else:
                    label = "row split (agency not in one cell)"
            else:
                same_count = [d for c, d in found if c == count]
                if count is None and not same_count:
                    label = "redacted: count read"
                elif not same_count:
                    label = _count_how(tables, agency, count, found[0][0])
                elif date and any(d[:7] == date[:7] for d in same_count) and len(date) == 7:
                    label = "date granularity: month truth, day given"
                elif not date:
                    label = "date given where the row has none"
                else:
                    got = same_count[0] or "none"
                    label = f"date wrong: {_date_style(generated)} ({_date_shape(got, date)})"
            classes[label] += 1
            if found:
                found.pop(0)
    kinds_of_extra: Counter[str] = Counter()
    for (a, _c, _d), n in extra.items():
        if any(a.startswith(w) for w in ("total", "sub", "summe", "gesamt", "zwischen", "sous")):
            kinds_of_extra["total/subtotal row"] += n
        elif a not in gold_agencies(gold):
            kinds_of_extra["not a truth agency"] += n
        else:
            kinds_of_extra["truth agency, wrong value"] += n
    return classes, words, kinds_of_extra


def gold_agencies(gold: Counter[tuple[str, object, str]]) -> set[str]:
    """The agencies of a file's truth rows."""
    return {a for a, _, _ in gold}


def _date_shape(got: str, truth: str) -> str:
    if got == "none":
        return "none read"
    if got[:4] != truth[:4]:
        return "year wrong"
    if len(got) == 10 and len(truth) == 10 and got[5:7] == truth[8:10] and got[8:10] == truth[5:7]:
        return "day and month swapped"
    return "other"


def main() -> None:
    """Generate the kinds, run each peer on every file, classify and print the misses."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--kinds", default=",".join(PDF_KINDS + SHEET_KINDS))
    parser.add_argument("--tools", default="camelot,pdfplumber,tabula,pandas")
    args = parser.parse_args()
    tools = [p for p in peers() if p.name in args.tools.split(",") and not p.missing]
    warnings.simplefilter("ignore")
    every = kinds()
    summary: list[str] = ["| kind | peer | truth rows | right | top causes of the missed rows |"]
    summary.append("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="peer-misses-") as tmp:
        for kind in args.kinds.split(","):
            made = generate(every[kind], range(args.seeds), Path(tmp) / kind)
            for peer in tools:
                files = [
                    (g, p)
                    for g in made
                    for p in sorted(g.folder.iterdir())
                    if p.suffix.lower() in peer.suffixes
                ]
                if not files:
                    continue
                classes: Counter[str] = Counter()
                words: Counter[str] = Counter()
                extras: Counter[str] = Counter()
                truth_n = correct = predicted = 0
                for generated, path in files:
                    truth = [t for t in generated.truth if t.source_file == path.name]
                    try:
                        tables = peer.read(path)
                    except Exception as exc:  # a peer failing on a file is a figure
                        classes[f"peer failed: {type(exc).__name__}"] += len(truth)
                        truth_n += len(truth)
                        continue
                    records = afternoon_records(tables, path.name)
                    c, w, e = classify(generated, path.name, truth, tables, records)
                    classes += c
                    words += w
                    extras += e
                    truth_n += len(truth)
                    predicted += len(records)
                    correct += len(truth) - sum(c.values())
                print(
                    f"\n{kind} / {peer.name}: truth {truth_n}, records {predicted}, "
                    f"right {correct} (recall {correct / max(truth_n, 1):.3f})"
                )
                for label, n in classes.most_common():
                    print(f"  {n:5d}  {label}")
                if words:
                    print(
                        "  header words no keyword matched: "
                        + ", ".join(f"{w!r} {n}" for w, n in words.most_common(12))
                    )
                if extras:
                    print("  extra records: " + ", ".join(f"{k} {n}" for k, n in extras.items()))
                top = "; ".join(f"{label} {n}" for label, n in classes.most_common(4))
                summary.append(f"| {kind} | {peer.name} | {truth_n} | {correct} | {top} |")
    print("\n" + "\n".join(summary))


if __name__ == "__main__":
    main()
