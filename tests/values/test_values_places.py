"""Tests for foialog.extract.values.places: country and region cells into ISO 3166 codes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foialog.extract.text.prose import sentence_records
from foialog.extract.values.places import (
    find_region,
    parse_country,
    parse_host,
    parse_region,
    title_region,
)
from tests.values.hostile_values import COMMON

COUNTRY_CASES: list[tuple[object, str]] = [
    ("United Kingdom", "GB"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("uk", "GB"),
    ("Great Britain", "GB"),
    ("England", "GB"),
    ("Scotland", "GB"),
    ("GB", "GB"),
    ("GBR", "GB"),
    ("United States", "US"),
    ("United States of America", "US"),
    ("USA", "US"),
    ("U.S.A.", "US"),
    ("U.S.", "US"),
    ("US", "US"),
    ("  usa ", "US"),
    ("Deutschland", "DE"),
    ("Germany", "DE"),
    ("DE", "DE"),
    ("DEU", "DE"),
    ("Brasil", "BR"),
    ("Brazil", "BR"),
    ("España", "ES"),
    ("Espana", "ES"),
    ("Spain", "ES"),
    ("Nederland", "NL"),
    ("Netherlands", "NL"),
    ("The Netherlands", "NL"),
    ("Holland", "NL"),
    ("Türkiye", "TR"),
    ("Turkey", "TR"),
    ("UAE", "AE"),
    ("United Arab Emirates", "AE"),
    ("Saudi Arabia", "SA"),
    ("KSA", "SA"),
    ("Côte d'Ivoire", "CI"),
    ("Cote d’Ivoire", "CI"),
    ("Ivory Coast", "CI"),
    ("South Korea", "KR"),
    ("Korea, Republic of", "KR"),
    ("North Korea", "KP"),
    ("Russia", "RU"),
    ("Russian Federation", "RU"),
    ("Czechia", "CZ"),
    ("Czech Republic", "CZ"),
    ("Vietnam", "VN"),
    ("Viet Nam", "VN"),
    ("Iran", "IR"),
    ("Taiwan", "TW"),
    ("Bosnia and Herzegovina", "BA"),
    ("Bosnia & Herzegovina", "BA"),
    ("St. Lucia", "LC"),
    ("Democratic Republic of the Congo", "CD"),
    ("México", "MX"),
    # pycountry's own translations
    ("Alemania", "DE"),
    ("Allemagne", "DE"),
    ("États-Unis", "US"),
    ("Estados Unidos", "US"),
    ("Vereinigte Staaten", "US"),
    ("Reino Unido", "GB"),
    ("Royaume-Uni", "GB"),
    ("Suiza", "CH"),
    ("Namibia", "NA"),
    # not a single country
    ("International", ""),
    ("Global", ""),
    ("NA", ""),
    ("N/A", ""),
    ("Korea", ""),
    ("Europe", ""),
    ("Police", ""),
    ("Texas", ""),
    ("", ""),
    (None, ""),
    (840, ""),
    (True, ""),
]


@pytest.mark.parametrize(
    ("raw", "expected"), COUNTRY_CASES, ids=[repr(raw)[:40] for raw, _ in COUNTRY_CASES]
)
def test_parse_country(raw: object, expected: str) -> None:
    assert parse_country(raw) == expected


REGION_CASES: list[tuple[object, str, str]] = [
    ("TX", "US", "US-TX"),
    ("Texas", "US", "US-TX"),
    ("texas", "", "US-TX"),
    ("TX", "", "US-TX"),
    ("Tex.", "", "US-TX"),
    ("Calif.", "US", "US-CA"),
    # with no country, a 2-letter code that is a US state is read as one
    ("CA", "", "US-CA"),
    ("CA", "US", "US-CA"),
    ("Ontario", "CA", "CA-ON"),
    ("ON", "CA", "CA-ON"),
    ("Ontario", "", "CA-ON"),
    ("ON", "", ""),
    ("Québec", "CA", "CA-QC"),
    ("Quebec", "CA", "CA-QC"),
    ("Bavaria", "DE", "DE-BY"),
    ("Bayern", "DE", "DE-BY"),
    ("BY", "DE", "DE-BY"),
    ("Bavaria", "", "DE-BY"),
    ("North Rhine-Westphalia", "DE", "DE-NW"),
    ("Nordrhein-Westfalen", "DE", "DE-NW"),
    ("Baden-Württemberg", "DE", "DE-BW"),
    ("New South Wales", "AU", "AU-NSW"),
    ("NSW", "AU", "AU-NSW"),
    ("NSW", "", ""),
    ("England", "GB", "GB-ENG"),
    ("District of Columbia", "US", "US-DC"),
    ("Washington, D.C.", "US", "US-DC"),
    ("D.C.", "", "US-DC"),
    ("Puerto Rico", "US", "US-PR"),
    ("US-TX", "", "US-TX"),
    ("us-tx", "US", "US-TX"),
    ("US-TX", "CA", ""),
    # Montana is also a Bulgarian province; with no country the US state wins
    ("Montana", "", "US-MT"),
    ("Texas", "CA", ""),
    ("TX", "MX", ""),
    ("Texas", "United States", "US-TX"),
    ("Texas", "USA", "US-TX"),
    ("Texas", "XX", ""),
    ("Texas", "  ", "US-TX"),
    ("Texas", " us ", "US-TX"),
    ("Khomas", "NA", "NA-KH"),
    ("Bavaria", "Germany", "DE-BY"),
    ("Atlantis", "", ""),
    ("Police", "US", ""),
    ("", "US", ""),
    (None, "US", ""),
    (48, "US", ""),
]


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    REGION_CASES,
    ids=[f"{raw!r}-{country}" for raw, country, _ in REGION_CASES],
)
def test_parse_region(raw: object, country: str, expected: str) -> None:
    assert parse_region(raw, country) == expected


HOSTILE: list[object] = [
    *COMMON,
    "US\x00",
    "\u202eUS",
    "United States" * 1000,
    b"US",
    ["US"],
]


@pytest.mark.parametrize("raw", HOSTILE, ids=[repr(raw)[:30] for raw in HOSTILE])
def test_hostile_input_is_empty(raw: object) -> None:
    assert parse_country(raw) == ""
    assert parse_region(raw) == ""
    assert parse_region(raw, "US") == ""


@given(st.text(max_size=40), st.text(max_size=5))
@settings(deadline=None)
def test_places_never_raise_and_return_codes(text: str, country: str) -> None:
    assert re.fullmatch(r"(?:[A-Z]{2})?", parse_country(text))
    assert re.fullmatch(r"(?:[A-Z]{2}-[A-Z0-9]{1,3})?", parse_region(text, country))


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("Caroline du Nord", "", "US-NC"),
        ("Carolina del Norte", "US", "US-NC"),
        ("Kalifornien", "", "US-CA"),
        ("Louisiane", "", "US-LA"),
        ("Nuevo México", "", "US-NM"),
        ("Bavière", "DE", "DE-BY"),
        ("Baviera", "", "DE-BY"),
        ("Géorgie", "", "US-GA"),
        ("Kalifornien", "DE", ""),
    ],
)
def test_region_names_in_other_languages(raw: str, country: str, expected: str) -> None:
    assert parse_region(raw, country) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("j.doe@columbiamo.gov", ("US", "US-MO")),
        ("https://www.police.vic.gov.au/contact", ("AU", "AU-VIC")),
        ("opp.gov.on.ca", ("CA", "CA-ON")),
        ("records@rcmp-grc.gc.ca", ("CA", "")),
        ("analyst@gmail.com", ("", "")),
        ("Columbia Police Department", ("", "")),
        (None, ("", "")),
    ],
)
def test_parse_host(raw: object, expected: tuple[str, str]) -> None:
    assert parse_host(raw) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In June 2023, the department in Pennsylvania ran 18,062 searches.", "US-PA"),
        ("In April 2021, CMPPD in New Jersey ran 4,638 searches.", "US-NJ"),
        ("Officers in Georgia ran 5 searches.", "US-GA"),
        ("It was in Washington, D.C. that they met.", "US-DC"),
        ("The State Police of Bavaria searched 40 plates.", "DE-BY"),
        ("Agencies in Texas and Oklahoma ran 5 searches.", ""),
        ("In June 2023 the office ran 12 searches.", ""),
    ],
)
def test_find_region_in_a_sentence(sentence: str, expected: str) -> None:
    assert find_region(sentence)[0] == expected


def test_a_sentence_places_its_agency_but_not_by_the_agencys_own_name() -> None:
    tioga = sentence_records(
        "In June 2023, Tioga Police Department in Pennsylvania ran 812 searches."
    )
    jersey = sentence_records("Cape May Point Police Department in New Jersey ran 705 searches.")
    county = sentence_records("Washington County Sheriff's Office ran 61 searches in June 2023.")
    assert [(r.country, r.region) for r in tioga] == [("US", "US-PA")]
    assert [(r.country, r.region) for r in jersey] == [("US", "US-NJ")]
    assert [(r.region) for r in county] == [""]


def test_a_contact_address_in_a_sentence_is_the_rows_email() -> None:
    one = sentence_records("Yale PD (contact: records@yale-mi.gov) ran 9,604 searches.")
    two = sentence_records("Yale PD (a@yale-mi.gov, b@yaleok.gov) ran 9,604 searches.")
    assert [r.user_email for r in one] == ["records@yale-mi.gov"]
    assert [r.user_email for r in two] == [""]


@pytest.mark.parametrize(
    ("title", "names", "regions", "expected"),
    [
        (["Missouri agencies"], ["Columbia PD", "Joplin PD"], ["", ""], "US-MO"),
        (["Georgia agencies"], ["Clayton County SO", "Oakwood PD (GA)"], ["", ""], "US-GA"),
        # A row placed elsewhere says the title is not the rows' scope.
        (["Sharing list of Okaloosa County, Florida"], ["GA-Crisp County SO"], [""], ""),
        (["Missouri agencies"], ["Columbia PD"], ["US-SC"], ""),
        (["Agencies, 2023"], ["Columbia PD"], [""], ""),
    ],
)
def test_title_region(
    title: list[str], names: list[str], regions: list[str], expected: str
) -> None:
    assert title_region(title, names, regions)[0] == expected
