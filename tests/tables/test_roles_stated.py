"""Evidence beyond the header: a total the title states, agency names under a metric header."""

from __future__ import annotations

from foialog.extract.tables.roles import infer_roles, stated_totals


def test_totals_stated_in_a_title_are_found_and_dates_are_not() -> None:
    lines = [
        "Total Records: 4,979,388",
        "Hit Ratio Count: 2",
        "Time Frame: From 1-01-19 12 AM To 03-11-25 12 AM",
        "Totals for 2019-05",
        "Grand total 1.234.567 searches",
    ]
    assert stated_totals(lines) == [4979388, 1234567]


def test_the_column_that_adds_up_to_the_stated_total_is_the_count() -> None:
    header = ["Contributor", "Record Type", "Records"]
    columns = [["1", "2"], ["Detections", "Hits"], ["4944782", "34606"]]
    plain = infer_roles(header, columns, headerless=False)
    stated = infer_roles(header, columns, headerless=False, stated=[4944782 + 34606])
    assert [r.role for r in stated] == ["other", "metric", "count"]
    assert "printed total" in stated[2].reason
    # Without the title's total the two number columns are a close call.
    assert plain[0].role == "count"


def test_agency_names_under_a_header_naming_a_metric_are_the_agency_column() -> None:
    names = [
        "Alameda County Narcotics Task Force",
        "Anaheim Police Department",
        "Bay Area Rapid Transit Police (CA)",
        "Brea Police Department CA",
        "CAL FIRE",
        "Beverly Hills Police Department",
    ]
    (role,) = infer_roles(["Detections Shared"], [names], headerless=False)
    assert role.role == "agency"
    (role,) = infer_roles(
        ["Searches"], [["ok", "failed", "ok", "ok", "n/a", "x"]], headerless=False
    )
    assert role.role != "agency"
