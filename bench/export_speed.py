"""Seconds and bytes of each export and of the report, for a finished run folder.

Usage: python bench/export_speed.py OUT        (OUT from `foialog run INPUT -o OUT`)
       python bench/export_speed.py             (runs foialog on the sample leak first)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import foialog
from foialog.export import FORMATS, export, read_tables
from foialog.report import write_report
from foialog.sample import write_sample


def main() -> None:
    """Print one line per export format and one for the report."""
    if len(sys.argv) > 1:
        out = Path(sys.argv[1])
    else:
        base = Path(tempfile.mkdtemp(prefix="foialog-bench-"))
        out = base / "out"
        foialog.run([write_sample(base / "sample", seed=0).leak_dir], out)
    rows = len(read_tables(out)["records"])
    print(f"{out}: {rows:,} records")
    for fmt in FORMATS:
        started = time.perf_counter()
        written = export(out, [fmt])
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in written)
        print(f"  {fmt:8} {seconds:7.2f} s  {size / 1024:10,.0f} KiB")
    started = time.perf_counter()
    written = write_report(out)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in written)
    print(f"  {'report':8} {seconds:7.2f} s  {size / 1024:10,.0f} KiB")


if __name__ == "__main__":
    main()
