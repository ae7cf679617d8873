"""Row F1 of every variation-generator kind over many seeds (issue 11), into docs/accuracy.md.

    .venv/bin/python bench/variation.py [--seeds 300] [--kinds csv,xlsx ...] [--no-write]

Each kind's seeds 0..N-1 are generated (tests/variation/) into a temporary folder and read in
one `foialog run` per kind. Prints, per kind, the row F1 over all its rows and the distribution
of the per-seed F1 (minimum, median, mean) with the worst seed and what it varied, and puts the
table between the variation markers in docs/accuracy.md with the date and the machine. A kind's
module may set its seed count with BENCH_SEEDS; a kind whose test seeds are lowered with
TEST_SEEDS (OCR kinds take seconds a page) runs five times those.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.variation import kinds  # noqa: E402
from tests.variation.runner import KindResult, describe, measure  # noqa: E402

DOC = ROOT / "docs" / "accuracy.md"
START, END = "<!-- variation:start -->", "<!-- variation:end -->"


def seeds_for(kind: str, module_name: str, default: int) -> int:
    """The kind module's BENCH_SEEDS for this kind; a kind the test runs on fewer seeds than
    usual (TEST_SEEDS: OCR kinds) five times its test seeds; else the default."""
    module = importlib.import_module(module_name)
    bench = getattr(module, "BENCH_SEEDS", {})
    if kind in bench:
        return int(bench[kind])
    test = getattr(module, "TEST_SEEDS", {})
    return min(default, 5 * int(test[kind])) if kind in test else default


HEADER = (
    "| kind | seeds | truth rows | precision | recall | F1 | seed F1 min | median | mean "
    "| worst seed: what it varied | measured (UTC) |"
)


def table(results: list[KindResult], started: dt.datetime, kept: dict[str, str]) -> str:
    """The Markdown table of the results, beside the rows kept from an earlier run."""
    now = dt.datetime.now(dt.timezone.utc)
    lines = [
        f"Measured on {platform.machine()} {platform.system()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, by `bench/variation.py` (row F1: agency, count and date "
        "all right; per file and agency totals for the log kinds). A run of some kinds "
        "(`--kinds`) replaces their rows and keeps the others, each with when it was measured.",
        "",
        HEADER,
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = dict(kept)
    for r in results:
        d = r.distribution()
        generated, worst = r.worst
        varied = ", ".join(f"{k}={v}" for k, v in generated.variation.items())
        varied = varied.replace("|", "/")
        rows[r.kind] = (
            f"| {r.kind} | {len(r.seeds)} | {r.total.truth_rows:,} | {r.total.precision:.3f} "
            f"| {r.total.recall:.3f} | {r.total.f1:.3f} | {d['min']:.3f} | {d['median']:.3f} "
            f"| {d['mean']:.3f} | {generated.seed} (F1 {worst.f1:.3f}): {varied} "
            f"| {started:%Y-%m-%d %H:%M}-{now:%H:%M} |"
        )
    lines.extend(rows[kind] for kind in sorted(rows))
    return "\n".join(lines)


def kept_rows(doc: str, measured: set[str]) -> dict[str, str]:
    """The table rows in the doc of the kinds not measured now, each with its date."""
    if START not in doc or END not in doc:
        return {}
    block = doc.split(START, 1)[1].split(END, 1)[0]
    # Rows written before rows carried their date: the date of the table's first line.
    when = re.search(r"Measured (\d{4}-\d\d-\d\d \d\d:\d\d-\d\d:\d\d)", block)
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or cells[0] in {"kind", ""} or cells[0] in measured:
            continue
        if len(cells) == 10:
            line = f"{line.rstrip()} {when.group(1) if when else '?'} |"
        rows[cells[0]] = line.rstrip()
    return rows


def write_doc(text: str) -> None:
    """Put the table between the variation markers of docs/accuracy.md."""
    doc = DOC.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        raise SystemExit(f"{DOC}: the markers {START} and {END} are missing; add them first")
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=300)
    parser.add_argument("--kinds", default="", help="comma-separated kinds (default: all)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    generators = kinds()
    chosen = [k for k in args.kinds.split(",") if k] or sorted(generators)
    results = []
    started = dt.datetime.now(dt.timezone.utc)
    with tempfile.TemporaryDirectory(prefix="foialog-variation-") as tmp:
        for kind in chosen:
            generator = generators[kind]
            n = seeds_for(kind, generator.__module__, args.seeds)
            result = measure(kind, generator, range(n), Path(tmp) / kind)
            print(describe(result), f"\n    ({result.seconds:.0f} s)", flush=True)
            results.append(result)
    kept = {} if not args.kinds else kept_rows(DOC.read_text(encoding="utf-8"), set(chosen))
    text = table(results, started, kept)
    print(text)
    if not args.no_write:
        write_doc(text)


if __name__ == "__main__":
    main()
