"""write_csv's Arrow path writes what pandas' to_csv writes, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import foialog.outputs as outputs
from foialog.outputs import spreadsheet_safe, write_csv

#: Cells the csv module quotes, doubles or leaves alone, formula-like and missing ones.
TEXTS = [
    "plain", 'say "hi"', "a,b", "two\nlines", "a\rb", "tab\there", " lead", "", None,
    "=1+2", "-3", "+x", "@SUM(A1)", "'=x", "é ü 中 😀", '"', ",", "end,",
]  # fmt: skip


def _frame() -> pd.DataFrame:
    n = len(TEXTS)
    counts = [1, None, -5, 2**62, 0, 7, *range(n - 6)]
    floats = [0.1, None, 1.0, 1e20, 1 / 3, -0.0, float("inf"), 1e-7, 0.95, *[2.5] * (n - 9)]
    return pd.DataFrame(
        {
            "text": pd.array(TEXTS, dtype="str"),
            "count": pd.array(counts, dtype="Int64"),
            "confidence": pd.array(floats, dtype="Float64"),
            "with, comma": pd.array(list(reversed(TEXTS)), dtype="str"),
        }
    )


def _pandas(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator=os.linesep).encode("utf-8")


@pytest.mark.parametrize("chunk", [1_000, 4])
def test_the_arrow_path_writes_what_pandas_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(outputs, "CSV_CHUNK_ROWS", chunk)
    frame = _frame()
    assert outputs._csv_text(frame, header=True) is not None  # the Arrow path, not pandas
    write_csv(frame, tmp_path / "safe.csv")
    write_csv(frame, tmp_path / "raw.csv", raw=True)
    assert (tmp_path / "safe.csv").read_bytes() == _pandas(spreadsheet_safe(frame))
    assert (tmp_path / "raw.csv").read_bytes() == _pandas(frame)
    # Read back, every value is there: the quoting is valid CSV. (Not a bare carriage return:
    # the csv module of Python 3.11 leaves it unquoted with a "\n" line end, as pandas does.)
    kept = [not any(t and "\r" in t for t in pair) for pair in zip(TEXTS, TEXTS[::-1], strict=True)]
    write_csv(frame[kept], tmp_path / "kept.csv", raw=True)
    back = pd.read_csv(tmp_path / "kept.csv", dtype=str, keep_default_na=False)
    expected = [t or "" for t, k in zip(TEXTS, kept, strict=True) if k]
    assert back["text"].tolist() == expected


def test_a_column_of_another_kind_is_left_to_pandas(tmp_path: Path) -> None:
    frame = _frame().assign(mixed=pd.Series([1, "a", 2.5, None] * 4 + [True, "x"], dtype=object))
    assert outputs._csv_text(frame, header=True) is None
    write_csv(frame, tmp_path / "mixed.csv")
    assert (tmp_path / "mixed.csv").read_bytes() == _pandas(spreadsheet_safe(frame))
