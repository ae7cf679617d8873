"""Counts of one metric split over columns ("Federal | State Requests"): a record each."""

from __future__ import annotations

from pathlib import Path

from foialog.extract.document import extract_document
from foialog.extract.record import Record
from foialog.extract.sources import Source
from foialog.extract.tables.roles import qualified_metric_header

STATES = [("Alabama", 4, 3), ("Alaska", 9, 3), ("Arizona", 15, 16), ("Arkansas", 2, 0)]


def _data(path: Path) -> list[Record]:
    result = extract_document(Source(path=path, name=path.name))
    assert result.status in ("ok", "partial"), result.error
    return [r for r in result.records if r.row_type == "data"]


def test_two_columns_counting_requests_give_two_records_per_row(tmp_path: Path) -> None:
    path = tmp_path / "requests.csv"
    lines = ["Time period start,State,Federal Requests,State Requests"]
    lines += [f"2021-07-01,{s},{f},{t}" for s, f, t in STATES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = _data(path)
    got = sorted((r.agency_raw, r.metric, r.count) for r in records)
    want = [(s, "Federal Requests", f) for s, f, _ in STATES]
    want += [(s, "State Requests", t) for s, _, t in STATES]
    assert got == sorted(want)
    assert sum(r.count or 0 for r in records) == sum(f + t for _, f, t in STATES)
    assert {r.row for r in records} == {2, 3, 4, 5}


def test_different_measures_stay_one_count_and_a_close_call(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    lines = ["Agency,Total number of Requests,Accounts Specified in the Requests"]
    lines += [f"Town {k} Police,{10 + k},{30 + 3 * k}" for k in range(5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = _data(path)
    assert [r.count for r in records] == [10 + k for k in range(5)]


def test_a_qualified_metric_header_ends_in_the_metric_after_qualifiers() -> None:
    assert qualified_metric_header("Federal Requests")
    assert qualified_metric_header("State Requests")
    assert not qualified_metric_header("Requests")
    assert not qualified_metric_header("Total number of Law Enforcement Requests")
    assert not qualified_metric_header("Accounts Specified in the Requests (number of)")
    assert not qualified_metric_header("Request No.")
