"""People's names are no agency: a records-request log's requester column (issue 13)."""

from __future__ import annotations

from foialog.extract.blocks import CellValue
from foialog.extract.tables.roles import infer_roles, people_note

_PEOPLE = ["Alan Torres", "Jaime Adame", "John Q. Murray", "ROSALIND LEE", "Rebecca Hansen-White"]
_PEOPLE += ["Seth May", "Randy C", "Ky Fireside", "Alan Torres", "Heather Marek"]
_IDS = [f"PRR-2024-{n:04d}" for n in range(101, 111)]
_DATES = [f"7/{d}/2025 12:00 AM" for d in range(1, 11)]
_STATUS = ["In Progress", "Cancelled", "Complete", "Awaiting Clarification", "Complete"] * 2
_ORGS = ["", "Oregon Law Center", "", "", "Register-Guard", "", "", "", "Lookout Eugene", ""]
#: Request texts run to paragraphs (the log's shortest is three lines).
_TEXT = [
    f"I request all records of the {w} contract, its amendments and the emails about it" * 2
    for w in "abcdefghij"
]


def _roles(header: list[str], columns: list[list[CellValue]]) -> dict[int, str]:
    roles = infer_roles(header, columns, headerless=not any(header))
    return {r.index: r.role for r in roles}


def _log(names: list[str]) -> list[list[CellValue]]:
    return [list(_IDS), list(_DATES), list(names), list(_ORGS), list(_TEXT), list(_STATUS)]


def test_a_headerless_request_log_has_no_agency_column() -> None:
    """The requester's name is not the agency, and neither is the status column instead."""
    roles = infer_roles([""] * 6, _log(_PEOPLE), headerless=True)
    assert "agency" not in {r.role for r in roles}
    assert "people's names" in roles[2].reason
    assert roles[1].role == "date"
    assert "column 3" in people_note(
        infer_roles(["column 1", "column 2", "column 3"] + [""] * 3, _log(_PEOPLE), headerless=True)
    )


def test_a_column_of_people_under_name_is_no_agency() -> None:
    header = ["Request #", "Date of Request", "Name", "Business Name", "Description", "Status"]
    assert 2 not in {i for i, role in _roles(header, _log(_PEOPLE)).items() if role == "agency"}


def test_agency_names_under_name_stay_the_agency() -> None:
    agencies = ["Albany OR PD", "Austin Police Department", "Cass County Sheriff's Office"]
    agencies += ["Utah Highway Patrol", "Boise Police Department", "Ohio State Highway Patrol"]
    agencies += ["Denver Police Department", "Hamilton County Sheriff", "Travis County"]
    agencies += ["Port Authority Police"]
    header = ["Request #", "Date of Request", "Name", "Business Name", "Description", "Status"]
    assert _roles(header, _log(agencies))[2] == "agency"
    assert people_note(infer_roles(header, _log(agencies), headerless=False)) == ""


def test_two_word_company_names_under_an_organisation_header_stay_the_agency() -> None:
    """Shaped like people's names, but the header says they are clients."""
    companies = ["Oracle America", "Thomson Reuters", "Lexis Nexis", "Palantir Technologies"]
    companies += ["Acxiom", "Equifax", "Clearview", "Vigilant Solutions", "Motorola", "Axon"]
    header = ["Request #", "Date", "Client", "Business Name", "Description", "Status"]
    assert _roles(header, _log(companies))[2] == "agency"
