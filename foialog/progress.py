"""What `foialog run` shows while it works and when it is done: stage, file count, summary."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from foialog.export import run_info
from foialog.extract.document import DocumentResult
from foialog.pipeline import Result, run
from foialog.settings import Settings

#: Columns of output written to a pipe or file: wide enough that no name is cut over lines.
PIPED_WIDTH = 1000
#: Characters of a file name shown beside the bar.
NAME_WIDTH = 40


def fit_width(console: Console) -> None:
    """Stop ``console`` wrapping at 80 columns when it writes to a pipe or a file.

    Rich assumes 80 columns without a terminal, so an agency name was split over four lines
    that grep and logs could not put together again. COLUMNS, when set, still wins.
    """
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH


def process_start() -> float | None:
    """``time.perf_counter()`` when this process started, where the system says (Linux)."""
    try:
        stat = Path("/proc/self/stat").read_text()
        # Field 22, the start in clock ticks after boot; the name in field 2 may hold spaces.
        ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return time.perf_counter() - (uptime - ticks / os.sysconf("SC_CLK_TCK"))


def run_with_progress(
    inputs: list[Path],
    out: Path,
    settings: Settings,
    *,
    console: Console,
    quiet: bool,
    started: float | None = None,
) -> Result:
    """Run foialog, showing its stage and files done of files found.

    The result's seconds are wall time from ``started`` (a ``time.perf_counter()``; default:
    now) to the last output written.
    """
    started = time.perf_counter() if started is None else started
    if quiet:
        result = run(inputs, out, settings=settings)
    else:
        result = _shown(inputs, out, settings, console)
    # The summary's time is the whole command's, outputs and report included.
    return replace(result, seconds=round(time.perf_counter() - started, 3))


def _shown(inputs: list[Path], out: Path, settings: Settings, console: Console) -> Result:
    columns = (
        TextColumn("{task.fields[stage]}"),
        BarColumn(),
        TextColumn("{task.fields[files]}"),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=None, stage="starting", files="")

        def stage(name: str, done: int, total: int) -> None:
            if name == "writing outputs":
                # The bar's refresh thread must be gone before the outputs are written: with
                # no other thread running, their processes fork and share the run's tables.
                progress.stop()
                console.print(f"{name} into {out}")
                return
            known = name != "finding files"
            progress.update(
                task,
                stage=name,
                completed=done,
                total=total if known else None,
                files=f"{done}/{total} files" if known else "",
                description="",
            )
            progress.refresh()  # a new stage shows at once, not at the next tick

        def advance(done: int, total: int, result: DocumentResult) -> None:
            progress.update(
                task,
                completed=done,
                total=total,
                files=f"{done}/{total} files",
                description=result.source_file[-NAME_WIDTH:],
            )

        return run(inputs, out, settings=settings, on_progress=advance, on_stage=stage)


def print_summary(result: Result, console: Console) -> None:
    """Print what was read, the top agencies and every file the run wrote."""
    docs = result.documents
    status = ", ".join(f"{n} {s}" for s, n in docs["status"].value_counts().items())
    console.print(
        f"\n{len(docs)} files ({status}); {len(result.records)} records; "
        f"{len(result.agencies)} agencies; {result.seconds:.1f} s"
    )
    problems = docs[docs["status"] != "ok"]
    for _, row in problems.iterrows():
        console.print(f"  [yellow]{row['status']}[/yellow] {row['error'] or row['notes']}")
    agencies = result.agencies
    if len(agencies):
        metric_cols = [c for c in agencies.columns if c.startswith("count_total_")]
        top = agencies.copy()
        top["_total"] = top[metric_cols].fillna(0).sum(axis=1) if metric_cols else 0
        top = top.sort_values(["_total", "n_records"], ascending=False).head(10)
        grid = RichTable(
            "agency",
            "country",
            "records",
            *[c.removeprefix("count_total_") for c in metric_cols],
            "first",
            "last",
            title="Top agencies",
        )
        for _, row in top.iterrows():
            grid.add_row(
                str(row["agency"]),
                str(row["country"]),
                str(row["n_records"]),
                *[
                    ("" if row[c] is None or str(row[c]) == "<NA>" else f"{int(row[c]):,}")
                    for c in metric_cols
                ],
                str(row["first_date"]),
                str(row["last_date"]),
            )
        console.print(grid)
    if result.out is not None and result.written:
        console.print(f"Outputs in {result.out}: {', '.join(written_files(result.out))}")


def written_files(out: Path) -> list[str]:
    """The files the run in ``out`` wrote, as its run.json lists them, run.json last."""
    listed = run_info(out).get("outputs")
    names = [str(n) for n in listed] if isinstance(listed, list) else []
    return [*names, "run.json"]
