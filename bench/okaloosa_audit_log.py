"""Okaloosa Flock search audit, first 50 pages: log events against the community reference.

Prints, for two ways of reading the pages, the share of reference rows on them whose search
time, networks and devices counts all equal what foialog read: the real reader path
(extract_document on a PDF of pages 1-50, pypdfium2 words, as ``foialog run`` reads it) and
pdfplumber's words fed to foialog.extract.text.logs.words_log. ``--all`` also reads the whole file
through the real path. Run: .venv/bin/python bench/okaloosa_audit_log.py [--all]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from foialog.extract.document import extract_document
from foialog.extract.record import Record
from foialog.extract.sources import Source
from foialog.extract.tables.words import Word
from foialog.extract.text.logs import words_log

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT.parent / "shared" / "corpus" / "okaloosa-flock-audit"
PDF = FOLDER / "11_1_2025-12_8_2025-Okaloosa_County_FL_SO-Audit.pdf"
REFERENCE = FOLDER / "reference_EXTRACTED.csv"
PAGES = 50
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def reference_time(text: str) -> str:
    """'11/14/2025, 09:53:36 AM UTC' -> '2025-11-14 09:53:36'."""
    when = dt.datetime.strptime(text.replace(" UTC", ""), "%m/%d/%Y, %I:%M:%S %p")
    return when.strftime("%Y-%m-%d %H:%M:%S")


def reference_rows(last_page: int) -> list[dict[str, str]]:
    """Reference rows printed on pages 1..last_page: the IDs poppler's text extraction sees."""
    layer = subprocess.run(
        ["pdftotext", "-f", "1", "-l", str(last_page), str(PDF), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    on_pages = set(_UUID.findall(layer))
    with REFERENCE.open(newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["ID"] in on_pages]


def compare(label: str, records: Sequence[Record], reference: Sequence[dict[str, str]]) -> None:
    """Print how many reference rows foialog's records equal, field by field and in all."""
    ours = {}
    for rec in records:
        extra = json.loads(rec.extra)
        ours[extra.get("ID", "")] = (
            f"{rec.date} {rec.time}",
            extra.get("Total Networks Searched", ""),
            extra.get("Total Devices Searched", ""),
        )
    equal = time_ok = nets_ok = devs_ok = 0
    for row in reference:
        mine = ours.get(row["ID"])
        if mine is None:
            continue
        t = mine[0] == reference_time(row["Search_Time"])
        n = mine[1] == row["Total_Networks_Searched"]
        d = mine[2] == row["Total_Devices_Searched"]
        time_ok += t
        nets_ok += n
        devs_ok += d
        equal += t and n and d
    total = len(reference)
    print(label)
    print(
        f"  events read {len(records)}; reference rows on these pages {total}; "
        f"IDs matched {sum(r['ID'] in ours for r in reference)}"
    )
    print(
        f"  search time equal {time_ok}/{total}; networks equal {nets_ok}/{total}; "
        f"devices equal {devs_ok}/{total}"
    )
    print(f"  rows equal to the reference (all three): {equal}/{total} = {equal / total:.3f}")


def pipeline(pdf: Path) -> tuple[list[Record], float]:
    """Records and seconds of extract_document on ``pdf`` (what foialog run does per file)."""
    started = time.perf_counter()
    result = extract_document(Source(pdf, pdf.name))
    if result.status != "ok":
        raise SystemExit(f"{pdf.name}: {result.status}: {result.error}")
    return result.records, time.perf_counter() - started


def pdfplumber_words() -> tuple[list[Record], float]:
    """Records of words_log fed pdfplumber's words for pages 1-50, and seconds taken."""
    started = time.perf_counter()
    with pdfplumber.open(PDF) as pdf:
        pages = [
            (
                n,
                [
                    Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
                    for w in page.extract_words()
                ],
            )
            for n, page in enumerate(pdf.pages[:PAGES], start=1)
        ]
    found = words_log(pages, source_file=PDF.name, sha256="")
    assert found is not None
    return found.records, time.perf_counter() - started


def main(argv: Sequence[str]) -> int:
    if not PDF.exists():
        print(f"corpus file {PDF} is absent")
        return 1
    reference = reference_rows(PAGES)
    with tempfile.TemporaryDirectory() as folder:
        part = Path(folder) / f"okaloosa-audit-p1-{PAGES}.pdf"
        source = pdfium.PdfDocument(PDF)
        out = pdfium.PdfDocument.new()
        out.import_pages(source, list(range(PAGES)))
        out.save(part)
        out.close()
        source.close()
        records, seconds = pipeline(part)
    compare(
        f"Okaloosa audit, pages 1-{PAGES}, extract_document (real reader path): {seconds:.1f} s",
        records,
        reference,
    )
    records, seconds = pdfplumber_words()
    compare(
        f"Okaloosa audit, pages 1-{PAGES}, pdfplumber words -> words_log: {seconds:.1f} s",
        records,
        reference,
    )
    if "--all" in argv:
        with pdfium.PdfDocument(PDF) as whole:
            count = len(whole)
        records, seconds = pipeline(PDF)
        compare(
            f"Okaloosa audit, all {count} pages, extract_document: {seconds:.1f} s",
            records,
            reference_rows(count),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
