"""Bad input becomes a documents.csv row with a reason; the other inputs still give records."""

from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from foialog.cli import cli
from foialog.pipeline import run


def _workbook(rows: list[list[object]] | None) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows or []:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["Agency", "Number of searches", "Date"],
    ["Interpol", "320+", "2020-01-18"],
    ["RCMP", 41, "2019-11-03"],
]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder with one good workbook, one good CSV and six bad files."""
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "good.xlsx").write_bytes(_workbook(GOOD))
    (leak / "good.csv").write_text("Agency,Searches\nEuropol,12\n", encoding="utf-8")
    (leak / "empty.xlsx").write_bytes(b"")
    (leak / "letter.xlsx").write_text("Dear editor,\nthis is not a spreadsheet at all.\n")
    plain = io.BytesIO(_workbook(GOOD))
    locked = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("s3cret", locked)
    (leak / "protected.xlsx").write_bytes(locked.getvalue())
    whole = _workbook(GOOD)
    (leak / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])
    (leak / "no_rows.xlsx").write_bytes(_workbook(None))
    (leak / "nul.csv").write_bytes(b"Agency,Searches\nPolice\x00 Dept,3\n")
    return leak


EXPECTED = {
    "empty.xlsx": ("skipped", "empty"),
    "letter.xlsx": ("skipped", "plain text"),
    "protected.xlsx": ("failed", "--password"),
    "truncated.xlsx": ("failed", "truncated"),
    "no_rows.xlsx": ("skipped", "no rows"),
    "nul.csv": ("failed", "NUL byte"),
    "good.xlsx": ("ok", ""),
    "good.csv": ("ok", ""),
}


def test_each_bad_file_is_a_documents_row_and_the_rest_is_read(batch: Path, tmp_path: Path) -> None:
    result = run(batch, tmp_path / "out")
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False)
    assert sorted(docs["source_file"]) == sorted(EXPECTED)
    for _, row in docs.iterrows():
        status, words = EXPECTED[row["source_file"]]
        assert row["status"] == status, row.to_dict()
        assert words in row["error"], row.to_dict()
        if status != "ok":
            assert row["source_file"] in row["error"]  # the message names the file
            assert "\n" not in row["error"]
    records = result.records
    assert sorted(records["agency_raw"]) == ["Europol", "Interpol", "RCMP"]
    assert result.succeeded


def test_password_opens_the_protected_workbook(batch: Path) -> None:
    result = run(batch / "protected.xlsx", settings={"password": "s3cret"})
    assert list(result.records["agency_raw"]) == ["Interpol", "RCMP"]
    wrong = run(batch / "protected.xlsx", settings={"password": "nope"})
    assert wrong.documents.loc[0, "status"] == "failed"
    assert "password" in wrong.documents.loc[0, "error"]


def test_exit_codes(batch: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    mixed = runner.invoke(cli, ["run", str(batch), "-o", str(tmp_path / "o1"), "-q"])
    assert mixed.exit_code == 0, mixed.output
    for name in ("good.xlsx", "good.csv"):
        (batch / name).unlink()
    failed = runner.invoke(cli, ["run", str(batch), "-o", str(tmp_path / "o2")])
    assert failed.exit_code == 1
    assert "No input could be read" in failed.output
    assert (tmp_path / "o2" / "documents.csv").exists()
