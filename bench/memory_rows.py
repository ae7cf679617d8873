"""Peak memory of `foialog run` on a generated log export of many rows, per stage.

A CSV of ROWS rows (agency, count, date: the shape of a vendor's audit or request log export)
is read by a run in a child process, the way `foialog run CSV -o OUT` reads it (default
settings: a worker pool, each stage after reading under its limits). This process samples the
resident memory (RSS) of the run's own process and of all its processes together, and notes
which stage the run was in; the run's process also reports its exact peak (VmHWM) at the end.

Usage: .venv/bin/python bench/memory_rows.py [--rows 1000000] [--seed 0] [--memory-mb 4096]
       [--timeout 3600] [--no-cache]
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

#: Towns and the kinds of agency a log names them with; 40 x 8 = 320 distinct agencies.
TOWNS = (
    "Springfield", "Riverside", "Fairview", "Franklin", "Greenville", "Bristol", "Clinton",
    "Madison", "Georgetown", "Salem", "Ashland", "Burlington", "Manchester", "Oxford", "Dover",
    "Milton", "Newport", "Clayton", "Hudson", "Kingston", "Lexington", "Marion", "Jackson",
    "Auburn", "Dayton", "Lebanon", "Monroe", "Troy", "Winchester", "Arlington", "Chester",
    "Florence", "Hamilton", "Jefferson", "Lincoln", "Mount Vernon", "Oakland", "Plymouth",
    "Shelby", "Warren",
)  # fmt: skip
KINDS = ("PD", "Police Dept", "SO", "Sheriff's Office", "County SO", "DA", "Marshal", "Fire")

#: Run in the child: foialog's pipeline with the command line's default settings, each stage
#: it enters printed, then the process's own peak RSS (VmHWM) in KiB.
DRIVER = """
import sys
from pathlib import Path
from foialog.pipeline import run

def stage(name, done, total):
    print("stage", name, flush=True)

result = run([Path(sys.argv[1])], Path(sys.argv[2]),
             settings={"memory_mb": int(sys.argv[3]), "cache": sys.argv[4] == "cache",
                       "timeout": float(sys.argv[5])},
             on_stage=stage)
print("stage done", flush=True)
for line in Path("/proc/self/status").read_text().splitlines():
    if line.startswith("VmHWM:"):
        print("hwm", line.split()[1], flush=True)
print("skipped", dict(result.skipped), flush=True)
"""


def write_rows(path: Path, rows: int, seed: int) -> None:
    """Write a CSV log export of ``rows`` rows: agency, count, date (one day a row)."""
    rng = random.Random(seed)
    agencies = [f"{town} {kind}" for town in TOWNS for kind in KINDS]
    days = [f"2021-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Agency,Searches,Date\n")
        for _ in range(rows // 10_000):
            fh.writelines(
                f"{rng.choice(agencies)},{rng.randint(1, 40)},{rng.choice(days)}\n"
                for _ in range(10_000)
            )
        fh.writelines(
            f"{rng.choice(agencies)},{rng.randint(1, 40)},{rng.choice(days)}\n"
            for _ in range(rows % 10_000)
        )


def _rss(process: psutil.Process) -> tuple[int, int]:
    """RSS of ``process`` and of it with all its descendants, in bytes."""
    try:
        own = process.memory_info().rss
        children = process.children(recursive=True)
    except psutil.Error:
        return 0, 0
    total = own
    for child in children:
        try:
            total += child.memory_info().rss
        except psutil.Error:
            continue
    return own, total


def measure(
    csv_path: Path, out: Path, memory_mb: int, *, cache: bool, timeout: float
) -> dict[str, object]:
    """Run foialog on ``csv_path`` into ``out``; peaks per stage, sampled every 50 ms."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            DRIVER,
            str(csv_path),
            str(out),
            str(memory_mb),
            "cache" if cache else "no-cache",
            str(timeout),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    process = psutil.Process(child.pid)
    state: dict[str, object] = {"stage": "starting", "hwm": 0, "skipped": "{}"}
    order: list[str] = ["starting"]

    def listen() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            kind, _, value = line.rstrip("\n").partition(" ")
            if kind == "stage":
                state["stage"] = value
                order.append(value)
            elif kind == "hwm":
                state["hwm"] = int(value) * 1024
            elif kind == "skipped":
                state["skipped"] = value

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    peaks: dict[str, list[int]] = {}
    started = time.perf_counter()
    while child.poll() is None:
        own, total = _rss(process)
        peak = peaks.setdefault(str(state["stage"]), [0, 0])
        peak[0], peak[1] = max(peak[0], own), max(peak[1], total)
        time.sleep(0.05)
    reader.join()
    return {
        "seconds": time.perf_counter() - started,
        "exit": child.returncode,
        "hwm": state["hwm"],
        "skipped": state["skipped"],
        "peaks": {s: peaks[s] for s in dict.fromkeys(order) if s in peaks},
    }


def count_rows(path: Path) -> int:
    """Data rows of a CSV (its header left out), read as CSV (a quoted cell may hold a newline)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory-mb", type=int, default=4096)
    parser.add_argument("--no-cache", action="store_true", help="as foialog run --no-cache")
    # The file is one task of the pool: on a loaded machine 1M rows take more than the
    # default 300 s, and a stopped file says nothing about memory.
    parser.add_argument("--timeout", type=float, default=3600.0, help="as foialog run --timeout")
    args = parser.parse_args()
    mib = 2**20
    with tempfile.TemporaryDirectory(prefix="foialog-memory-") as tmp:
        csv_path = Path(tmp) / "log.csv"
        write_rows(csv_path, args.rows, args.seed)
        print(f"{csv_path.stat().st_size / 1e6:.1f} MB, {args.rows:,} rows (seed {args.seed})")
        figures = measure(
            csv_path,
            Path(tmp) / "out",
            args.memory_mb,
            cache=not args.no_cache,
            timeout=args.timeout,
        )
        records = Path(tmp) / "out" / "records.csv"
        written = count_rows(records) if records.exists() else 0
        documents = Path(tmp) / "out" / "documents.csv"
        if written != args.rows and documents.exists():
            with documents.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    print(f"{row['source_file']}: {row['status']} {row['error']}")
    print(f"exit {figures['exit']}, {figures['seconds']:.1f} s, records.csv {written:,} rows")
    print(f"{'stage':24} {'main MiB':>9} {'all MiB':>9}")
    peaks = figures["peaks"]
    assert isinstance(peaks, dict)
    for stage, (own, total) in peaks.items():
        print(f"{stage:24} {own / mib:9.0f} {total / mib:9.0f}")
    hwm = figures["hwm"]
    assert isinstance(hwm, int)
    top = max(total for _, total in peaks.values())
    print(f"main process peak (VmHWM) {hwm / mib:.0f} MiB; all processes (sampled) {top / mib:.0f}")
    print(f"stages left out: {figures['skipped']}")
    return 0 if figures["exit"] == 0 and written == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
