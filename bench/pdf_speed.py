"""foialog against pdfplumber's extract_tables() on the same text PDFs, in one run.

    .venv/bin/python bench/pdf_speed.py [CORPUS_DIR]

Times, on nics-2019-2023-multipage, ca-warn-2015, okaloosa-sharing-agencies and the Ghana
awards (108 pages): a whole `foialog run` as a subprocess (start-up, every file, entity
resolution and every output included), foialog's PDF reader alone (read_pdf per file, in this
process), and pdfplumber's page.extract_tables() on every page. Prints seconds, pages per
second and the ratio. The acceptance asks the whole run to take at most a fifth of
pdfplumber's time. On a shared machine timings are noisy: compare figures from one run.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

from foialog.extract.readers.pdf.reader import read_pdf

FILES = (
    "nics-2019-2023-multipage/nics-checks-last-five-years.pdf",
    "ca-warn-2015/ca-warn-report.pdf",
    "okaloosa-sharing-agencies/Sharing_Agencies.pdf",
    "ghana-roads-procurement-awards/Publication_of_award_of_Bids_for_Transport_Sector__August_2016.pdf",
)


def _foialog_run(folder: Path, out: Path) -> tuple[float, int]:
    """Seconds for a whole `foialog run` in a fresh process, and its exit code."""
    command = [str(Path(sys.executable).with_name("foialog")), "run", str(folder)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "-o", str(out), "--no-cache", "-q"], capture_output=True, check=False
    )
    return time.perf_counter() - started, done.returncode


def _foialog_reader(paths: list[Path]) -> tuple[float, int]:
    """Seconds for read_pdf on every file (tables found and stitched), and their pages."""
    started = time.perf_counter()
    pages = sum(read_pdf(p, p.name, None).pages for p in paths)
    return time.perf_counter() - started, pages


def _pdfplumber(paths: list[Path]) -> tuple[float, int, int]:
    """Seconds for pdfplumber's extract_tables() on every page, pages and tables found."""
    started = time.perf_counter()
    pages = tables = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tables += len(page.extract_tables())
                pages += 1
                page.close()  # frees the page's cached objects, as pdfplumber advises
    return time.perf_counter() - started, pages, tables


def main() -> None:
    """Copy the four files to a temporary folder and time the three readers on them."""
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        paths = []
        for name in FILES:
            source = corpus / name
            if not source.exists():
                sys.exit(f"{source} is missing: pass the corpus folder as the first argument")
            paths.append(Path(shutil.copy(source, folder)))
        run_seconds, code = _foialog_run(folder, Path(tmp) / "out")
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        reader_seconds, pages = _foialog_reader(paths)
        plumber_seconds, plumber_pages, tables = _pdfplumber(paths)
    print(f"{len(paths)} files, {pages} pages (pdfplumber saw {plumber_pages}, {tables} tables)")
    rows = (
        (f"foialog run, whole (exit {code})", run_seconds),
        ("foialog read_pdf only", reader_seconds),
        ("pdfplumber extract_tables()", plumber_seconds),
    )
    for label, seconds in rows:
        print(f"  {label:32s} {seconds:7.1f} s  {pages / seconds:6.1f} pages/s")
    print(f"  whole run / pdfplumber: {run_seconds / plumber_seconds:.2f} (acceptance: <= 0.20)")
    print(f"  read_pdf / pdfplumber:  {reader_seconds / plumber_seconds:.2f}")
    print(f"  peak memory of the foialog run's largest process: {child_peak:.0f} MiB")


if __name__ == "__main__":
    main()
