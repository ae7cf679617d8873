"""An agency's evidence taken by positions is the evidence of its rows taken whole."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foialog.report import _EvidenceBuilder


def _rows(index: list[int]) -> pd.DataFrame:
    counts = [5, None, 9, 9, 1, 7, 9, 2]
    return pd.DataFrame(
        {
            "record_id": [f"r{n}" for n in range(8)],
            "source_file": "log.csv",
            "row": range(8),
            "agency_id": ["a", "b", "a", "a", "b", "a", "a", "a"],
            "count": pd.array(counts, dtype="Int64"),
        },
        index=index,
    )


@pytest.mark.parametrize(
    "index", [list(range(8)), [7, 3, 3, 0, 9, 7, 1, 3]], ids=["unique", "repeated"]
)
def test_evidence_by_positions_equals_evidence_of_the_rows(index: list[int]) -> None:
    rows = _rows(index)
    positions = np.flatnonzero(rows["agency_id"] == "a")
    builder, whole = _EvidenceBuilder([]), _EvidenceBuilder([])
    assert builder.add("k", "t", rows, "w", positions) == whole.add(
        "k", "t", rows.iloc[positions], "w"
    )
    assert builder.blocks == whole.blocks


def test_an_agencys_five_largest_counts_are_shown() -> None:
    rows = _rows(list(range(8)))
    builder = _EvidenceBuilder([])
    builder.add("k", "t", rows, "w", np.flatnonzero(rows["agency_id"] == "a"))
    # The five largest counts first (ties in the order sort_values gives them); the sixth out.
    shown = [item.where.split(" row ")[-1] for item in builder.blocks[0].items]
    assert set(shown) == {"0", "2", "3", "5", "6"}
    assert shown[3:] == ["5", "0"]
    assert builder.blocks[0].more.startswith("… and 1 more record(s)")
