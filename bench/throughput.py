"""Throughput of a whole `foialog run` at 100, 1k and 10k generated pages, on 1 core and on all.

    .venv/bin/python bench/throughput.py [PAGES ...]     # default: 100 1000 10000

Pages are written as PDFs of 100 pages each (a 30-row table per page, a header and a footer
on every page), so a run has one task per 100 pages. "1 core" pins the run and every process
it starts to CPU 0 with taskset; "all cores" leaves it free. Peak memory is the largest sum of
proportional set size (PSS: a page shared by n processes counts 1/n in each) over the foialog
process tree, sampled every 0.2 s. Prints a Markdown table
and puts it in docs/performance.md between its throughput markers.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from pdf_memory import _write_pdf

PAGES_PER_FILE = 100
ROOT = Path(__file__).resolve().parents[1]


def _leak(folder: Path, pages: int, template: Path) -> None:
    folder.mkdir(parents=True)
    for i in range(max(1, pages // PAGES_PER_FILE)):
        shutil.copy(template, folder / f"part_{i:04d}.pdf")


def _measure(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    proc = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        total = 0
        for p in [proc, *proc.children(recursive=True)]:
            try:
                # PSS, not RSS: the processes foialog forks share the parent's pages, and
                # summing RSS would count each shared page once per process.
                total += p.memory_full_info().pss
            except psutil.Error:
                continue
        peak = max(peak, total)
        time.sleep(0.2)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {proc.returncode}")
    return time.perf_counter() - started, peak


def _run(leak: Path, out: Path, cores: str) -> dict[str, float]:
    foialog = str(Path(sys.executable).with_name("foialog"))
    # One template copied under many names: --keep-duplicates reads every copy, as a leak of
    # that many distinct files would be read.
    command = [foialog, "run", str(leak), "-o", str(out), "-q", "--no-cache", "--keep-duplicates"]
    if cores == "1":
        command = ["taskset", "-c", "0", *command, "--workers", "1"]
    seconds, peak = _measure(command)
    with (out / "records.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = len({r["agency_raw"] for r in rows if r["agency_raw"]})
    with (out / "documents.csv").open(encoding="utf-8") as fh:
        pages = sum(int(d["pages"] or 0) for d in csv.DictReader(fh))
    return {"seconds": seconds, "pages": pages, "records": len(rows), "names": names,
            "peak_mb": peak / 2**20}  # fmt: skip


def main() -> None:
    """Run every size on 1 core and on all cores; print and save the table."""
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000, 10000]
    lines = [
        "| pages | cores | seconds | pages/s | records/s | names/s | peak MiB | speed-up |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.pdf"
        _write_pdf(template, PAGES_PER_FILE)
        for size in sizes:
            leak = Path(tmp) / f"leak{size}"
            _leak(leak, size, template)
            one = _run(leak, Path(tmp) / f"out{size}-1", "1")
            every = _run(leak, Path(tmp) / f"out{size}-all", "all")
            for cores, m in (("1", one), (str(os.cpu_count()), every)):
                speedup = one["seconds"] / m["seconds"]
                line = (
                    f"| {m['pages']:,} | {cores} | {m['seconds']:.1f} | "
                    f"{m['pages'] / m['seconds']:.1f} | {m['records'] / m['seconds']:,.0f} | "
                    f"{m['names'] / m['seconds']:,.0f} | {m['peak_mb']:,.0f} | {speedup:.2f}x |"
                )
                lines.append(line)
                print(line, flush=True)
    table = (
        "Measured by `bench/throughput.py` on this project's machine kind "
        f"({os.cpu_count()} cores). Generated text PDFs of {PAGES_PER_FILE} pages (30-row "
        "table per page); a whole `foialog run` including start-up, `--no-cache`. Speed-up is "
        "against the same run pinned to one core. Peak memory is the largest sum of PSS over "
        "the run's processes (forked processes share pages; summed RSS would count them twice)."
        "\n\n" + "\n".join(lines)
    )
    _replace_section(ROOT / "docs" / "performance.md", table)


def _replace_section(doc: Path, text: str) -> None:
    """Put ``text`` between the throughput markers of ``doc``, keeping the rest of the page."""
    start, end = "<!-- throughput:start -->", "<!-- throughput:end -->"
    page = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    if start in page and end in page:
        before, rest = page.split(start, 1)
        after = rest.split(end, 1)[1]
    else:
        before, after = page.rstrip("\n") + "\n\n", "\n"
    doc.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
