"""What `foialog run` prints: stage and file count, wall time, unwrapped names, every output."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

import foialog
from foialog.cli import cli
from foialog.progress import process_start, run_with_progress, written_files
from foialog.settings import Settings

#: Longer than a column of an 80-character table: rich used to split it over several lines.
LONG_NAME = "Metropolitan Nashville and Davidson County Police Department Special Investigations"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _inputs(folder: Path) -> Path:
    """Three small CSVs of agencies, searches and dates (one with a long agency name)."""
    folder.mkdir()
    names = [LONG_NAME, "Springfield Police Department", "Shelbyville Sheriff's Office"]
    for n in range(3):
        rows = [f"{name},{100 * (n + 1) + i},2019-0{n + 1}-1{i}" for i, name in enumerate(names)]
        text = "Agency,Searches,Date\n" + "\n".join(rows) + "\n"
        (folder / f"clients_{n}.csv").write_text(text)
    return folder


def test_piped_output_keeps_each_name_on_one_line_and_lists_every_output(
    tmp_path: Path,
) -> None:
    leak, out = _inputs(tmp_path / "leak"), tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(leak), "-o", str(out), "--workers", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(LONG_NAME in line for line in lines), result.output
    listed = next(line for line in lines if line.startswith("Outputs in"))
    # Hidden files (the lock, the mark of a foialog folder) are not outputs.
    on_disk = {p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    named = set(listed.split(": ", 1)[1].split(", "))
    assert named == on_disk  # every file written, and none that was not
    assert {"report.html", "methodology.md", "review.csv", "run.json"} <= named


def test_summary_time_runs_from_the_start_given_to_the_last_output(tmp_path: Path) -> None:
    leak, out = _inputs(tmp_path / "leak"), tmp_path / "out"
    # main() passes when the process started; an hour ago here, so the time must show it.
    started = time.perf_counter() - 3600
    result = CliRunner().invoke(
        cli, ["run", str(leak), "-o", str(out), "--workers", "0"], obj={"started": started}
    )
    assert result.exit_code == 0, result.output
    seconds = float(re.search(r"agencies; ([\d.]+) s", result.output).group(1))  # type: ignore[union-attr]
    assert 3600 <= seconds < 3600 + 600
    # Without a start, the time covers the outputs too: never less than the reading alone.
    quiet = run_with_progress(
        [leak], tmp_path / "out2", Settings(workers=0), console=Console(), quiet=True
    )
    reading = json.loads((tmp_path / "out2" / "run.json").read_text())["seconds"]
    assert quiet.seconds >= reading


def test_process_start_is_before_this_test_began() -> None:
    began = process_start()
    assert began is not None  # Linux: /proc says
    assert began < time.perf_counter()


def test_progress_shows_stage_and_file_count_before_any_file_is_done(tmp_path: Path) -> None:
    leak = _inputs(tmp_path / "leak")
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=160)
    run_with_progress([leak], tmp_path / "out", Settings(workers=0), console=console, quiet=False)
    shown = _ANSI.sub("", screen.getvalue())
    assert "finding files" in shown
    assert "0/?" not in shown
    first_count = re.search(r"(\d+)/(\d+) files", shown)
    assert first_count is not None
    assert first_count.groups() == ("0", "3"), shown[:2000]
    assert "reading" in shown
    assert "3/3 files" in shown
    assert "writing outputs into" in shown


def test_stages_give_the_file_count_before_the_first_file_finishes(tmp_path: Path) -> None:
    leak = _inputs(tmp_path / "leak")
    events: list[tuple[str, int, int]] = []
    foialog.run(
        [leak],
        tmp_path / "out",
        settings={"workers": 0},
        on_stage=lambda stage, done, total: events.append((stage, done, total)),
        on_progress=lambda done, total, result: events.append(("file", done, total)),
    )
    stages = [e[0] for e in events]
    assert stages[:3] == ["finding files", "checking files", "reading"]
    assert events[1:3] == [("checking files", 0, 3), ("reading", 0, 3)]
    assert stages[3:6] == ["file"] * 3
    assert stages[6:] == ["resolving agencies", "writing outputs"]
    # A second run finds every file in the cache: the count starts at 3 of 3.
    events.clear()
    foialog.run(
        [leak],
        tmp_path / "out",
        settings={"workers": 0},
        on_stage=lambda stage, done, total: events.append((stage, done, total)),
    )
    assert ("reading", 3, 3) in events


def test_written_files_are_run_json_s_outputs_and_run_json(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text(json.dumps({"outputs": ["records.csv", "report.html"]}))
    assert written_files(tmp_path) == ["records.csv", "report.html", "run.json"]


@pytest.mark.parametrize(
    ("args", "ok"),
    [
        (["--format", "xlsx", "--bom"], False),
        (["--format", "parquet", "--raw-csv"], False),
        (["--format", "csv", "--bom", "--format", "xlsx"], True),
        (["--format", "xlsx"], True),
    ],
)
def test_bom_and_raw_csv_need_the_csv_format(tmp_path: Path, args: list[str], ok: bool) -> None:
    leak, out = _inputs(tmp_path / "leak"), tmp_path / "out"
    foialog.run([leak], out, settings={"workers": 0})
    result = CliRunner().invoke(cli, ["export", str(out), *args])
    if ok:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2
    assert "CSV files only" in result.output
    assert "--format csv with --bom and/or --raw-csv" in result.output
    assert not (out / "foialog.xlsx").exists()
