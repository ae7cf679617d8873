"""Whole pipeline on the synthetic sample leak, scored against its truth; figures are printed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from foialog.evaluate import Score, row_mismatches, score
from foialog.pipeline import run
from foialog.sample import write_sample

SEEDS = range(8)


def _run_seed(tmp_path: Path, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    manifest = write_sample(tmp_path / f"s{seed}", seed=seed)
    # In-process: this test is about extraction; tests/cli/test_engine.py covers the pool.
    result = run(manifest.leak_dir, tmp_path / f"s{seed}" / "out", settings={"workers": 0})
    records = pd.read_csv(
        tmp_path / f"s{seed}" / "out" / "records.csv", dtype=str, keep_default_na=False
    )
    assert len(records) == len(result.records)
    truth = pd.read_csv(manifest.truth_csv, dtype=str, keep_default_na=False)
    return records, truth


def test_row_f1_on_the_sample_leak(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    all_records, all_truth = [], []
    for seed in SEEDS:
        records, truth = _run_seed(tmp_path, seed)
        records["source_file"] = f"{seed}/" + records["source_file"]
        truth["source_file"] = f"{seed}/" + truth["source_file"]
        all_records.append(records)
        all_truth.append(truth)
    records, truth = pd.concat(all_records), pd.concat(all_truth)
    scores = {s.kind: s for s in score(records, truth)}
    with capsys.disabled():
        print(
            f"\nSample leak, seeds {SEEDS.start}-{SEEDS.stop - 1}: row-level accuracy "
            "(agency, count and date all right)"
        )
        for s in scores.values():
            print("  " + s.line())
        wrong = row_mismatches(records, truth)
        wrong = wrong[wrong["problem"] != ""]
        for _, row in wrong.head(10).iterrows():
            print(f"    {row['source_file']} {row['sheet']} row {row['row']}: {row['problem']}")
    for kind in ("xlsx", "csv", "tsv", "ods"):
        assert scores[kind].f1 >= 0.98, scores[kind].line()
    assert scores["all"].f1 >= 0.98


def test_totals_rows_check_out_and_documents_are_ok(tmp_path: Path) -> None:
    manifest = write_sample(tmp_path, seed=3)
    result = run(manifest.leak_dir)
    assert set(result.documents["status"]) == {"ok"}
    totals = result.records[result.records["row_type"] == "total"]
    assert len(totals) >= 1
    assert all("matches" in n for n in result.documents["notes"] if "printed total" in n)


def test_scorer_catches_errors() -> None:
    truth = pd.DataFrame(
        {
            "source_file": ["a.csv"] * 2,
            "sheet": ["", ""],
            "row": ["2", "3"],
            "row_type": ["data"] * 2,
            "agency_raw": ["X", "Y"],
            "count": ["1", ""],
            "date": ["2019-01-01", ""],
        }
    )
    wrong = truth.copy()
    wrong.loc[1, "count"] = "5"
    s: Score = score(wrong, truth)[-1]
    assert (s.correct, s.precision, s.recall) == (1, 0.5, 0.5)
