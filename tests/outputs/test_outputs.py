"""Outputs are written whole or not at all; run.json marks a finished run."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from foialog.errors import FoialogError
from foialog.outputs import write_atomic
from foialog.pipeline import run
from foialog.sample import write_sample


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "records.csv"
    target.write_text("old complete file\n")

    def explode(tmp: Path) -> None:
        tmp.write_text("half a fi")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, explode)
    assert target.read_text() == "old complete file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["records.csv"]


def test_written_files_get_the_usual_mode_not_a_private_one(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "agencies.csv", lambda tmp: tmp.write_text("a\n"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "agencies.csv").stat().st_mode) == 0o644


def test_run_writes_contract_files_and_run_json_last(tmp_path: Path) -> None:
    manifest = write_sample(tmp_path / "s", seed=1)
    out = tmp_path / "out"
    result = run(manifest.leak_dir, out)
    # Hidden entries (the per-file result cache) are not outputs.
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "agencies.csv", "agencies_monthly.csv", "documents.csv", "foialog.metadata.json",
        "foialog.sqlite",
        "methodology.md", "records.csv", "report.html", "review.csv", "run.json",
    ]  # fmt: skip
    info = json.loads((out / "run.json").read_text())
    assert info["records"] == len(result.records)
    assert info["documents"] == {"ok": len(manifest.files)}
    records = pd.read_csv(out / "records.csv", keep_default_na=False)
    assert list(records.columns[:25]) == [
        "record_id", "source_file", "source_sha256", "page", "sheet", "row", "bbox", "method",
        "agency_raw", "agency", "agency_id", "agency_type", "country", "region", "count",
        "count_raw", "count_qualifier", "metric", "date", "date_end", "date_raw", "date_label",
        "redacted", "extra", "confidence",
    ]  # fmt: skip
    assert records["record_id"].is_unique
    again = run(manifest.leak_dir)
    assert list(again.records["record_id"]) == list(records["record_id"])  # stable ids
    assert list(again.records["agency_id"].fillna("")) == list(records["agency_id"].fillna(""))


def test_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    manifest = write_sample(tmp_path / "s", seed=1)
    clash = tmp_path / "out"
    clash.write_text("x")
    with pytest.raises(FoialogError, match="is a file"):
        run(manifest.leak_dir, clash)


def test_agencies_monthly_sums_events_per_agency_and_month(tmp_path: Path) -> None:
    log = tmp_path / "audit.csv"
    log.write_text(
        "Agency,Searches,Date\n"
        "Europol,1,2020-01-03\nEuropol,1,2020-01-19\nEuropol,2,2020-02-01\n"
        "Interpol,320+,2020-01-20\nInterpol,5,2020\n"
    )
    result = run(log, tmp_path / "out", settings={"workers": 0})
    monthly = pd.read_csv(tmp_path / "out" / "agencies_monthly.csv", keep_default_na=False)
    got = {
        (row["agency"], row["month"]): (row["n_records"], row["count"], row["qualifiers"])
        for _, row in monthly.iterrows()
    }
    assert got == {
        ("Europol", "2020-01"): (2, 2, "exact"),
        ("Europol", "2020-02"): (1, 2, "exact"),
        ("Interpol", "2020-01"): (1, 320, "at_least"),  # the year-only row has no month
    }
    assert result.monthly is not None
    assert len(result.monthly) == 3
