"""A generated 2,000-page text PDF through a whole `foialog run`: time and peak memory.

    .venv/bin/python bench/pdf_memory.py [PAGES]

Each page holds a 30-row table (agency, searches, date) with a repeated header and a page
footer, so the reader stitches one 60,000-row table. Prints the documents.csv row, seconds
and the peak resident memory of the largest foialog process.
"""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fpdf import FPDF

ROWS = 30


def _write_pdf(path: Path, pages: int) -> None:
    """A long unruled table over ``pages`` pages, header on each, 'Page N of M' under it."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(auto=False)
    pdf.set_font("Helvetica", size=9)
    for page in range(pages):
        pdf.add_page()
        for x, text in ((60, "Agency"), (340, "Searches"), (440, "Date")):
            pdf.set_xy(x, 60)
            pdf.cell(text=text)
        for i in range(ROWS):
            n = page * ROWS + i
            y = 80 + 20 * i
            cells = (
                (60, f"Town {n % 997} Police Department"),
                (340, f"{(n * 7919) % 5000:,}"),
                (440, f"{1 + n % 12:02d}/{1 + n % 28:02d}/2021"),
            )
            for x, text in cells:
                pdf.set_xy(x, y)
                pdf.cell(text=text)
        pdf.set_xy(60, 750)
        pdf.cell(text=f"Page {page + 1} of {pages}")
    pdf.output(str(path))


def main() -> None:
    """Write the PDF, run foialog on it in a fresh process and print what it took."""
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "leak"
        folder.mkdir()
        started = time.perf_counter()
        _write_pdf(folder / "long.pdf", pages)
        print(f"wrote {pages} pages in {time.perf_counter() - started:.1f} s")
        command = [str(Path(sys.executable).with_name("foialog")), "run", str(folder)]
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "-o", str(Path(tmp) / "out"), "--no-cache", "-q"],
            capture_output=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with (Path(tmp) / "out" / "documents.csv").open(encoding="utf-8") as handle:
            row = next(csv.DictReader(handle))
    print(
        f"foialog run: exit {done.returncode}, {seconds:.1f} s ({pages / seconds:.1f} pages/s), "
        f"peak memory of its largest process {peak:.0f} MiB"
    )
    print(
        f"documents.csv: status {row['status']}, {row['n_records']} records, "
        f"pages {row['pages']}, error {row['error']!r}"
    )
    print(f"notes: {row['notes'][:300]}")


if __name__ == "__main__":
    main()
