"""Okaloosa Flock search audit, first 50 pages: log events against the community reference.

Prints the share of reference rows on those pages whose search time, networks and devices
counts all equal what foialog read. Run: .venv/bin/python bench/okaloosa_audit_log.py
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber

from extract.logs import words_log
from extract.words import Word

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


def main() -> int:
    if not PDF.exists():
        print(f"corpus file {PDF} is absent")
        return 1
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
    read = time.perf_counter() - started
    found = words_log(pages, source_file=PDF.name, sha256="")
    assert found is not None
    ours = {}
    for rec in found.records:
        extra = json.loads(rec.extra)
        ours[extra.get("ID", "")] = (
            f"{rec.date} {rec.time}",
            extra.get("Total Networks Searched", ""),
            extra.get("Total Devices Searched", ""),
        )
    # Which reference rows sit on these pages: the IDs poppler's own text extraction sees there.
    layer = subprocess.run(
        ["pdftotext", "-f", "1", "-l", str(PAGES), str(PDF), "-"], capture_output=True, text=True
    ).stdout
    on_pages = set(_UUID.findall(layer))
    with REFERENCE.open(newline="") as fh:
        reference = [r for r in csv.DictReader(fh) if r["ID"] in on_pages]
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
    print(f"Okaloosa audit, pages 1-{PAGES}: text layer read in {read:.1f} s")
    print(
        f"  events read {len(found.records)}; reference rows on these pages {total}; "
        f"IDs matched {sum(r['ID'] in ours for r in reference)}"
    )
    print(
        f"  search time equal {time_ok}/{total}; networks equal {nets_ok}/{total}; "
        f"devices equal {devs_ok}/{total}"
    )
    print(f"  rows equal to the reference (all three): {equal}/{total} = {equal / total:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
