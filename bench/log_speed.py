"""A 1 GB generated access log read by foialog: peak memory, and the rate against ``wc -l``.

Writes a combined access log of SIZE MB with tests/variation/logs.py's streaming writer (200
vendor account codes, searches, logins, views, 3 % failed requests; it returns each code's
searches and first and last date), then, each in a fresh process:

- ``wc -l`` on the file (the floor: reading the bytes and counting lines);
- foialog.extract.document.extract_document on the file, as ``foialog run`` reads it (sniff,
SHA-256,
  the line-log reader), printing its peak RSS.

It checks that every code's searches, first and last date are exact, and prints the times,
lines per second, the ratio to ``wc -l`` and the peak memory.

    .venv/bin/python bench/log_speed.py [--size-mb 1024] [--keep FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.variation.logs import write_access_log  # noqa: E402

_READ = """
import json, resource, sys, time
from collections import defaultdict
from pathlib import Path
from foialog.extract.document import extract_document
from foialog.extract.sources import Source
path = Path(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
result = extract_document(Source(path, path.name))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
seen = defaultdict(lambda: [0, "", ""])
for r in result.records:
    if r.metric == "searches":
        row = seen[r.agency_raw]
        row[0] += r.count or 0
        row[1] = min(row[1] or r.date, r.date)
        row[2] = max(row[2], r.date)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"wall": wall, "cpu": cpu, "peak": peak, "records": len(result.records),
                  "status": result.status, "notes": result.notes, "seen": seen}))
"""


def _timed(command: list[str]) -> tuple[float, float, str]:
    """Wall and child CPU seconds of a command, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, done.stdout


def main() -> None:
    """Generate, read, check and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--keep", type=Path, default=None, help="write the log here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="foialog-logspeed-") as tmp:
        path = args.keep or Path(tmp) / "access.log"
        truth = write_access_log(path, args.size_mb * 1_000_000)
        size = path.stat().st_size
        wc_wall, wc_cpu, counted = _timed(["wc", "-l", str(path)])
        lines = int(counted.split()[0])
        env_python = sys.executable
        os.environ["PYTHONPATH"] = str(ROOT)
        wall, _, out = _timed([env_python, "-c", _READ, str(path)])
        got = json.loads(out)
    exact = sum(
        tuple(got["seen"].get(code, [0, "", ""])) == (n, first, last)
        for code, (n, first, last) in truth.items()
    )
    print(f"file: {size / 1e6:,.0f} MB, {lines:,} lines, {len(truth)} account codes")
    print(f"wc -l: {wc_wall:.2f} s wall, {wc_cpu:.2f} s CPU")
    print(
        f"foialog: {got['wall']:.1f} s wall, {got['cpu']:.1f} s CPU in the reader "
        f"({lines / got['cpu']:,.0f} lines per CPU second); process {wall:.1f} s wall"
    )
    print(
        f"ratio to wc -l: {got['wall'] / wc_wall:,.0f}x wall, "
        f"{got['cpu'] / max(wc_cpu, 1e-3):,.0f}x CPU"
    )
    print(f"peak RSS: {got['peak'] / 2**20:,.0f} MiB; records: {got['records']:,}")
    print(f"codes with searches, first and last date exact: {exact}/{len(truth)}")
    print("notes: " + " | ".join(got["notes"]))


if __name__ == "__main__":
    main()
