"""A request log's requesters (people) are not its agency; their organisations may be."""

from __future__ import annotations

from extract.person_names import name_shaped, person_share
from extract.roles import infer_roles

REQUESTERS = ["Jeff Salata", "Heather Marek", "Seth May", "Maria Lopez", "David Chen", "Seth May"]


def _roles(header: list[str], columns: list[list[str]]) -> dict[str, str]:
    roles = infer_roles(header, columns, headerless=False)
    return {r.header: r.role for r in roles}


def test_the_shape_of_a_name_is_two_or_three_capitalised_words() -> None:
    assert name_shaped("Randy C")
    assert name_shaped("Heather Marek")
    assert not name_shaped("EPD-2025-4510")
    assert not name_shaped("Oregon Law Center of Lane County")
    assert not name_shaped("Register-Guard")


def test_people_are_people_and_organisations_are_not() -> None:
    assert person_share(REQUESTERS) >= 0.6
    assert person_share(["Oregon Law Center", "Register-Guard", "Eugene Weekly"]) < 0.6


def test_a_requester_column_of_people_is_not_the_agency() -> None:
    ids = [f"EPD-2025-{4500 + i}" for i in range(len(REQUESTERS))]
    dates = ["6/25/2025", "10/5/2025", "9/24/2025", "9/2/2025", "8/1/2025", "7/7/2025"]
    status = ["In Progress", "Closed", "In Progress", "Closed", "Closed", "In Progress"]
    roles = _roles(["Request", "Created", "Requester", "Status"], [ids, dates, REQUESTERS, status])
    assert roles["Requester"] != "agency"
    assert roles["Created"] == "date"


def test_a_column_of_agencies_is_still_the_agency() -> None:
    agencies = ["Eugene Police Department", "Lane County Sheriff", "Springfield Police"] * 2
    counts = ["12", "4", "7", "9", "1", "3"]
    roles = _roles(["Agency", "Searches"], [agencies, counts])
    assert roles["Agency"] == "agency"
