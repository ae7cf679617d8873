"""Issue 12's acceptance figure: audit logs of the variation generator, scored per file and agency.

Generates SEEDS seeds of the ``log`` kind (and of ``log-totals``), runs foialog once over each
kind, and prints: row F1 (tests/variation/core.py score), the share of (file, agency) pairs
whose search count is exact, whose first and whose last search date are exact, each by log
format, and the worst seed with what it varied and its wrong rows.

    .venv/bin/python bench/log_variation.py [SEEDS] [--kind log|log-totals]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from foialog import run
from tests.variation.core import Generated, fold
from tests.variation.logs import KINDS
from tests.variation.runner import describe, generate, rerooted, score_kind


def pair_figures(made: list[Generated], root: Path, records: pd.DataFrame) -> None:
    """Per (file, agency): count exact, first date exact, last date exact; by format."""
    data = records[records["row_type"].fillna("data") == "data"]
    data = data[data["metric"].fillna("").isin(["", "searches", "search"])]
    totals: dict[tuple[str, str], int] = defaultdict(int)
    days: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f, raw, joined, c, d in zip(
        data["source_file"],
        data["agency_raw"],
        data["agency"],
        data["count"],
        data["date"],
        strict=True,
    ):
        for name in {fold(raw), fold(joined)}:
            key = (str(f), name)
            totals[key] += 0 if pd.isna(c) else int(c)
            if isinstance(d, str) and d:
                days[key].append(d[:10])
    by_format: dict[str, Counter[str]] = defaultdict(Counter)
    for generated in made:
        moved = rerooted(generated, root)
        fmt = generated.variation.get("format", "?")
        for t in moved.truth:
            if not t.date_last and t.count == 0:
                continue  # a client list's row, not an event log's
            key = (t.source_file, fold(t.agency))
            seen = sorted(days.get(key, []))
            tally = by_format[fmt]
            tally["pairs"] += 1
            tally["count"] += totals.get(key, -1) == t.count
            tally["first"] += (seen[0] if seen else "") == t.date
            tally["last"] += (seen[-1] if seen else "") == t.date_last
    everything: Counter[str] = Counter()
    for fmt, tally in sorted(by_format.items()):
        everything.update(tally)
        print(_pair_line(fmt, tally))
    print(_pair_line("all", everything))


def _pair_line(name: str, tally: Counter[str]) -> str:
    n = tally["pairs"] or 1
    return (
        f"  {name:>12}: pairs {tally['pairs']:5d}  count exact {tally['count'] / n:.4f}  "
        f"first date {tally['first'] / n:.4f}  last date {tally['last'] / n:.4f}"
    )


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seeds", nargs="?", type=int, default=300)
    parser.add_argument("--kind", choices=("log", "log-totals"), default=None)
    args = parser.parse_args()
    for kind in [args.kind] if args.kind else ["log", "log-totals"]:
        with tempfile.TemporaryDirectory(prefix=f"foialog-{kind}-") as tmp:
            root = Path(tmp)
            made = generate(KINDS[kind], range(args.seeds), root)
            started = time.perf_counter()
            records = run(root, settings={"cache": False}).records
            result = score_kind(kind, made, root, records)
            result.seconds = time.perf_counter() - started
            print(describe(result, wrong=8))
            if kind == "log":
                pair_figures(made, root, records)


if __name__ == "__main__":
    main()
