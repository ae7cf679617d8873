"""What a name says: key, kind, places and product tags, table-driven."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foialog.entities.classify import classify, country_from_domain
from foialog.entities.normalise import fold, parse_name


@pytest.mark.parametrize(
    ("raw", "key", "kind", "region", "suffix"),
    [
        ("Polk County FL SO", "polk sheriff", "sheriff", "US-FL", ""),
        ("Polk County FL SO (LR)", "polk sheriff", "sheriff", "US-FL", "LR"),
        ("Polk County FL SO - Axon", "polk sheriff", "sheriff", "US-FL", "Axon"),
        ("Hillsborough County FL SO (FLEX)", "hillsborough sheriff", "sheriff", "US-FL", "FLEX"),
        ("POLK COUNTY SHERIFF'S OFFICE", "polk sheriff", "sheriff", "", ""),
        ("Polk Co. Sheriff", "polk sheriff", "sheriff", "", ""),
        ("Springfield Police Dept. (Mo.)", "springfield police", "police", "US-MO", ""),
        ("Springfield Police Department, IL", "springfield police", "police", "US-IL", ""),
        ("GA-Crisp County SO Wing", "crisp sheriff", "sheriff", "US-GA", "Wing"),
        ("Savannah PD - GA", "savannah police", "police", "US-GA", ""),
        ("Carrollton PD (GA) Flex", "carrollton police", "police", "US-GA", "Flex"),
        ("City of Venice Police", "venice police", "police", "", ""),
        ("Jackson Twp PD", "jackson township police", "police", "", ""),
        ("Brooklyn DA", "brooklyn prosecutor", "prosecutor", "", ""),
        ("Ohio State Hwy Patrol", "state police", "state police", "US-OH", ""),
        ("Justice Department", "department of justice", "", "", ""),
        ("Department of Justice", "department of justice", "", "", ""),
        ("Texas Department of Public Safety", "department of public safety", "", "US-TX", ""),
        ("Univ of Central Florida PD", "university of central florida police", "police", "", ""),
        ("Lake Wales Public Safety Department", "lake wales police", "police", "", ""),
        (
            "Texas Department of Public Safety (Criminal Investigations Division)",
            "department of public safety",
            "",
            "US-TX",
            "Criminal Investigations Division",
        ),
    ],
)
def test_parse_name(raw: str, key: str, kind: str, region: str, suffix: str) -> None:
    parsed = parse_name(raw)
    assert (parsed.key, parsed.kind, parsed.region, parsed.suffix) == (key, kind, region, suffix)


@pytest.mark.parametrize(
    ("raw", "acronym", "country"),
    [
        ("Royal Canadian Mounted Police (RCMP)", "rcmp", ""),
        ("F.B.I.", "fbi", ""),
        ("NYPD", "nypd", ""),
        ("Bundeskriminalamt Österreich", "", "AT"),
        ("Dutch National Police", "", "NL"),
        ("Polícia Federal do Brasil", "", "BR"),
        ("Indian River County FL SO", "", "US"),
        ("Jersey City PD", "", ""),
        ("New Mexico State Police", "", "US"),
    ],
)
def test_acronyms_and_countries(raw: str, acronym: str, country: str) -> None:
    parsed = parse_name(raw)
    assert (parsed.acronym, parsed.country) == (acronym, country)


def test_display_keeps_diacritics_and_drops_product_tags() -> None:
    assert parse_name("An Garda Síochána").display == "An Garda Síochána"
    assert parse_name("An Garda Síochána").key == "an garda siochana"
    assert parse_name("Polk County FL SO (LR)").display == "Polk County FL SO"
    assert parse_name("Albany GA PD - Wing LVI (Redspeed)").display == "Albany GA PD"


@given(st.text(max_size=60))
def test_parse_never_fails_and_fold_is_idempotent(text: str) -> None:
    parsed = parse_name(text)
    assert fold(parsed.key) == parsed.key
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("names", "domains", "expected"),
    [
        (["Polk County FL SO"], [], "sheriff"),
        (["Cook County State's Attorney's Office"], [], "prosecutor"),
        (["Florida Department of Corrections"], [], "corrections"),
        (["Kennesaw State University GA PD"], [], "university or school"),
        (["Acme Vision Systems Inc."], [], "private company"),
        (["Army CID Fort Bragg"], [], "military"),
        (["Springdale PD"], [], "local police"),
        (["Blue Team"], ["navy.mil"], "military"),
    ],
)
def test_classify(names: list[str], domains: list[str], expected: str) -> None:
    assert classify([parse_name(n) for n in names], None, domains=domains) == expected


@pytest.mark.parametrize(
    ("domain", "country"),
    [("polizei.bund.de", "DE"), ("met.police.uk", "GB"), ("fbi.gov", "US"), ("x.com", "")],
)
def test_country_from_domain(domain: str, country: str) -> None:
    assert country_from_domain(domain) == country


def test_an_unlisted_local_agency_named_after_a_census_place_is_in_the_us() -> None:
    from foialog.entities.mention import Mention
    from foialog.entities.resolve import resolve

    mention = Mention("Muscotah Police Dept")
    agency = resolve([mention]).agencies[mention]
    assert agency.reference_id == ""
    assert agency.country == "US"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="ABCDEFGHIJ PDSO abcdefg().-,'&ÉÖ0123456789", max_size=40), max_size=8
    )
)
def test_resolve_gives_every_named_mention_one_agency(raws: list[str]) -> None:
    from foialog.entities.mention import Mention
    from foialog.entities.resolve import resolve

    mentions = [Mention(r) for r in raws]
    agencies = resolve(mentions).agencies
    assert {m for m in mentions if m.raw.strip()} == set(agencies)
    assert all(a.agency_id.startswith("ag-") for a in agencies.values())
