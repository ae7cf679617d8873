"""Sample leak, all kinds: B-cubed F1 of agency_id against the truth's entity_id (printed)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from foialog.pipeline import run
from foialog.sample import write_sample

SEEDS = range(8)


def bcubed(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """B-cubed precision and recall of (predicted, true) cluster labels; "" is a singleton."""
    labelled = [(p or f"unresolved-{i}", t) for i, (p, t) in enumerate(pairs)]
    both = Counter(labelled)
    predicted = Counter(p for p, _ in labelled)
    true = Counter(t for _, t in labelled)
    precision = sum(both[(p, t)] / predicted[p] for p, t in labelled) / len(labelled)
    recall = sum(both[(p, t)] / true[t] for p, t in labelled) / len(labelled)
    return precision, recall


def test_bcubed_scorer_penalises_both_errors() -> None:
    assert bcubed([("a", "x"), ("a", "x")]) == (1.0, 1.0)
    assert bcubed([("a", "x"), ("a", "y")])[0] == 0.5
    assert bcubed([("a", "x"), ("b", "x")])[1] == 0.5


def test_agency_ids_match_the_truth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scores = []
    for seed in SEEDS:
        manifest = write_sample(tmp_path / str(seed), seed=seed)
        records = run(manifest.leak_dir, settings={"workers": 0, "cache": False}).records
        truth = pd.read_csv(manifest.truth_csv, dtype=str, keep_default_na=False)
        truth = truth[(truth["row_type"] == "data") & (truth["entity_id"] != "")]
        found = records[["source_file", "sheet", "row", "agency_id"]].copy()
        found["sheet"] = found["sheet"].fillna("")
        found["row"] = found["row"].astype(str)
        joined = truth.merge(found, on=["source_file", "sheet", "row"], how="left")
        pairs = list(zip(joined["agency_id"].fillna(""), joined["entity_id"], strict=True))
        scores.append((len(pairs), *bcubed(pairs)))
    n = sum(s[0] for s in scores)
    precision = sum(s[0] * s[1] for s in scores) / n
    recall = sum(s[0] * s[2] for s in scores) / n
    f1 = 2 * precision * recall / (precision + recall)
    with capsys.disabled():
        print(
            f"\nSample leak, seeds {SEEDS.start}-{SEEDS.stop - 1}, {n} agency rows: B-cubed "
            f"precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}"
        )
    assert f1 >= 0.95
