"""Irvine PD's ALPR records-act release: figures checked by hand against the sheets."""

from __future__ import annotations

import pandas as pd
import pytest

from foialog.pipeline import Result, run
from tests.conftest import corpus_file

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def irvine() -> Result:
    return run(
        corpus_file(
            "irvine-alpr-cpra-xlsx", "alpr-audits-irvine-police-department-181267_doc5.xlsx"
        )
    )


@pytest.mark.parametrize(
    ("sheet", "expected"), [("A1", 316), ("A2", 1553), ("A3", 156), ("A4", 1065)]
)
def test_agency_lists(irvine: Result, sheet: str, expected: int) -> None:
    rows = irvine.records[irvine.records["sheet"] == sheet]
    named = rows[rows["agency_raw"] != ""]
    assert len(named) == expected
    assert len(rows) == expected
    assert named["row"].min() == 2  # the header "ORGANIZATION NAME" is not an agency


def test_audit_sheet_dates(irvine: Result) -> None:
    audit = irvine.records[irvine.records["sheet"] == "Audit"]
    assert len(audit) == 44659
    years = audit["date"].str[:4].astype(int)
    assert years.between(2019, 2025).all()
    assert (audit["time"] != "").mean() > 0.99
    assert audit["date_label"].eq("DateTime").all()


def test_detections_and_hits(irvine: Result) -> None:
    b = irvine.records[irvine.records["sheet"] == "B1&2"].set_index("metric")
    assert int(b.loc["detections", "count"]) == 107_472_041
    assert int(b.loc["hits", "count"]) == 31_278
    assert b.loc["detections", "date"] == "2019-01-01"
    assert b.loc["detections", "date_end"] == "2025-02-11"


def test_documents_row(irvine: Result) -> None:
    doc = irvine.documents.iloc[0]
    assert (doc["status"], doc["detected_type"], doc["sheets"]) == ("ok", "xlsx", 9)
    assert doc["n_records"] == len(irvine.records)
    assert pd.notna(doc["sha256"])
    assert len(doc["sha256"]) == 64


def test_monthly_counts_with_dashes(irvine: Result) -> None:
    other = irvine.records[irvine.records["sheet"] == "OtherAgencies"].set_index("date")
    assert int(other.loc["2025-01", "count"]) == 352_289
    assert int(other.loc["2024-12", "count"]) == 290_362
    assert other.loc["2024-01", "count_raw"] == "-"
    assert pd.isna(other.loc["2024-01", "count"])
    assert (irvine.records["row_type"] == "total").sum() == 0  # "Total reads stats" is a reason
