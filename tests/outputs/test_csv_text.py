"""write_csv's Arrow path writes what pandas' to_csv writes, byte for byte, but quotes a CR."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
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
    """What pandas writes, with a field holding a bare carriage return quoted."""
    text = frame.to_csv(index=False, lineterminator=os.linesep)
    return text.replace("a\rb", '"a\rb"').encode("utf-8")


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
    # Read back, every value is there, a carriage return too (pandas' own to_csv leaves it
    # bare with "\n" line ends, and a reader splits the row there).
    back = pd.read_csv(tmp_path / "raw.csv", dtype=str, keep_default_na=False)
    assert back["text"].tolist() == [t or "" for t in TEXTS]
    assert back["with, comma"].tolist() == [t or "" for t in reversed(TEXTS)]


def test_a_column_of_python_strings_takes_the_arrow_path_and_quotes_a_cr(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"name": pd.Series(["Inter\rpol", None, "RCMP"], dtype=object), "n": [1, 2, 3]}
    )
    assert outputs._csv_text(frame, header=True) is not None
    write_csv(frame, tmp_path / "objects.csv", raw=True)
    back = pd.read_csv(tmp_path / "objects.csv", dtype=str, keep_default_na=False)
    assert back["name"].tolist() == ["Inter\rpol", "", "RCMP"]


def test_a_mixed_column_of_python_objects_is_written_as_pandas_writes_it(tmp_path: Path) -> None:
    mixed = pd.Series(
        [1, "a", 2.5, None, float("nan"), True, "x\ry", 1e20] * 2 + [0, "z"], dtype=object
    )
    frame = _frame().assign(mixed=mixed)
    assert outputs._csv_text(frame, header=True) is not None
    write_csv(frame, tmp_path / "mixed.csv")
    assert (tmp_path / "mixed.csv").read_bytes() == _pandas(spreadsheet_safe(frame)).replace(
        b"x\ry", b'"x\ry"'
    )


def test_numbers_booleans_and_times_are_formatted_by_pandas_field_by_field(tmp_path: Path) -> None:
    n = len(TEXTS)
    frame = _frame().assign(
        when=pd.date_range("2020-01-01", periods=n, freq="D"),
        at=pd.date_range("2020-01-01 10:30", periods=n, freq="h"),
        flag=[i % 2 == 0 for i in range(n)],
        small=np.arange(n, dtype="int32"),
        ratio=np.linspace(0, 1, n),
    )
    frame.loc[3, "ratio"] = np.nan
    assert outputs._csv_text(frame, header=True) is not None
    write_csv(frame, tmp_path / "kinds.csv")
    assert (tmp_path / "kinds.csv").read_bytes() == _pandas(spreadsheet_safe(frame))


def test_a_column_of_another_kind_is_left_to_pandas(tmp_path: Path) -> None:
    frame = _frame().assign(
        kind=pd.Categorical(["a", "b"] * (len(TEXTS) // 2)),
        name=pd.array(TEXTS, dtype="string[python]"),
        sure=pd.array([True, None] * (len(TEXTS) // 2), dtype="boolean"),
    )
    assert outputs._csv_text(frame, header=True) is not None
    write_csv(frame, tmp_path / "extension.csv")
    assert (tmp_path / "extension.csv").read_bytes() == _pandas(spreadsheet_safe(frame))
    left = frame.assign(month=pd.period_range("2020-01", periods=len(TEXTS), freq="M"))
    assert outputs._csv_text(left, header=True) is None
    write_csv(left, tmp_path / "periods.csv")
    assert (tmp_path / "periods.csv").read_bytes() == _pandas_bare(left)


def _pandas_bare(frame: pd.DataFrame) -> bytes:
    """What pandas writes, as is: a carriage return left bare."""
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator=os.linesep).encode()


def test_the_byte_search_finds_each_character_that_needs_quotes_in_the_cells_only() -> None:
    cells = ["plain", "a,b", "é ü 中 😀", 'say "hi"', "two\nlines", "a\rb"]
    text = pa.array(cells, pa.large_string())
    assert not outputs._may_need_quotes(text[:1])
    assert not outputs._may_need_quotes(text[2:3])  # many bytes a character, none of them ASCII
    # A slice shares the whole array's bytes: only its own cells count.
    for k, char in ((1, ","), (3, '"'), (4, "\n"), (5, "\r")):
        assert char in outputs._QUOTED
        assert outputs._may_need_quotes(text[k : k + 1])
        assert not outputs._may_need_quotes(pa.array([text[k].as_py().replace(char, "")]))
    assert outputs._may_need_quotes(pa.chunked_array([text[:1], text[2:3], text[1:2]]))
    assert not outputs._may_need_quotes(pa.chunked_array([text[:1], text[2:3]]))
    assert not outputs._may_need_quotes(pa.array([], pa.large_string()))


def test_a_float_column_of_repeated_values_is_written_as_pandas_writes_it(tmp_path: Path) -> None:
    # Each distinct value is written once and repeated: 0.0 and -0.0 stay apart.
    values = [0.0, -0.0, None, 0.95, 0.95, 1.0, -0.0, float("inf"), 1 / 3, 1.0]
    frame = pd.DataFrame({"confidence": pd.array(values, dtype="Float64"), "n": range(10)})
    write_csv(frame, tmp_path / "out.csv", raw=True)
    assert (tmp_path / "out.csv").read_bytes() == _pandas(frame)
