"""Places from every clue (columns, name, email domain, county-equivalents, the document) and
what an unplaced look-alike does: it stays apart from its placed namesakes, with a review row."""

from __future__ import annotations

import pytest

from foialog.entities.domains import domain_place
from foialog.entities.link import place_of_mention
from foialog.entities.mention import Mention
from foialog.entities.normalise import parse_name
from foialog.entities.resolve import MentionStats, resolve
from foialog.extract.blocks import Text
from foialog.extract.record import Record
from foialog.extract.text.prose import prose_records, sentence_records
from foialog.tables import resolve_agencies


@pytest.mark.parametrize(
    ("domain", "place"),
    [
        ("columbiamo.gov", ("US", "US-MO")),
        ("cityofcolumbiamo.org", ("US", "US-MO")),
        ("columbiasc.gov", ("US", "US-SC")),
        ("kansascitymo.gov", ("US", "US-MO")),
        ("pointcomfort-tx.gov", ("US", "US-TX")),
        ("independencetownship-nj.gov", ("US", "US-NJ")),
        ("independencetownshipnj.gov", ("US", "US-NJ")),
        ("chestertownshippa.gov", ("US", "US-PA")),
        ("tiogacounty-newyork.gov", ("US", "US-NY")),
        ("webstersheriffla.org", ("US", "US-LA")),
        ("webstercountyla.gov", ("US", "US-LA")),
        ("austintexas.gov", ("US", "US-TX")),
        ("portlandoregon.gov", ("US", "US-OR")),
        ("police.vic.gov.au", ("AU", "AU-VIC")),
        ("opp.gov.on.ca", ("CA", "CA-ON")),
        ("rcmp-grc.gc.ca", ("CA", "")),
        ("co.washington.or.us", ("US", "US-OR")),
        ("ci.columbia.mo.us", ("US", "US-MO")),
        # Colorado's code after a county or city label ("co." leads only as the county).
        ("co.phillips.co.us", ("US", "US-CO")),
        ("ci.denver.co.us", ("US", "US-CO")),
        # Hosts write Saint, Fort and Mount short, as the Census key does not.
        ("stcharlescountyla.gov", ("US", "US-LA")),
        ("stcharlessheriffla.org", ("US", "US-LA")),
        ("ftmyersfl.gov", ("US", "US-FL")),
        ("dps.texas.gov", ("US", "US-TX")),
        ("chp.ca.gov", ("US", "US-CA")),
        ("met.police.uk", ("GB", "")),
        ("fbi.gov", ("US", "")),
        ("polksheriff.org", ("", "")),
        ("flocksafety.io", ("", "")),
        ("elmo.gov", ("US", "")),
        ("", ("", "")),
    ],
)
def test_domain_place(domain: str, place: tuple[str, str]) -> None:
    assert domain_place(domain) == place


@pytest.mark.parametrize(
    ("mention", "region", "source"),
    [
        (Mention("Springfield Police Department", region="US-MO"), "US-MO", "column"),
        (Mention("Springfield Police Department - MO"), "US-MO", "name"),
        (Mention("Springfield Police Department (Missouri)"), "US-MO", "name"),
        (Mention("Springfield Police Department, MO"), "US-MO", "name"),
        (Mention("Greene County MO SO"), "US-MO", "name"),
        (Mention("Jackson Police Department, Tennessee"), "US-TN", "name"),
        (Mention("Columbia PD", email_domain="columbiamo.gov"), "US-MO", "email domain"),
        (Mention("Jefferson Parish Sheriff's Office"), "US-LA", "county"),
        (Mention("Matanuska-Susitna Borough Police"), "US-AK", "county"),
        # A county alone does not: the FBI writes Louisiana's parish sheriffs "County".
        (Mention("Ouachita County Sheriff's Office"), "", ""),
        (Mention("Jefferson County Sheriff's Office"), "", ""),
        (Mention("Aurora Police Department", context_region="US-CO"), "US-CO", "document"),
        # The document's one state places local bodies, never a federal one.
        (Mention("Drug Enforcement Administration", context_region="US-CO"), "", ""),
        # A column wins over the name's county and the document.
        (Mention("Jefferson Parish SO", region="US-TX", context_region="US-CO"), "US-TX", "column"),
    ],
)  # fmt: skip
def test_place_of_mention(mention: Mention, region: str, source: str) -> None:
    place = place_of_mention(mention, parse_name(mention.raw))
    assert (place.region, place.source) == (region, source)


def _ids(mentions: list[Mention]) -> list[str]:
    agencies = resolve(mentions).agencies
    return [agencies[m].agency_id for m in mentions]


@pytest.mark.parametrize(
    "mentions",
    [
        [Mention("Aurora Police Department", region="US-CO"), Mention("Aurora Police Department")],
        [Mention("Columbia Police Department"), Mention("Columbia PD", region="US-MO")],
        [Mention("Portland Police Department (Maine)"), Mention("Portland Police Bureau")],
        [Mention("Jefferson Parish Sheriff's Office"), Mention("Jefferson County Sheriff")],
        [Mention("Franklin County Sheriff's Office", region="US-MA"), Mention("Franklin Co. SO")],
        [Mention("Bundeskriminalamt", "DE"), Mention("Bundeskriminalamt")],
        [Mention("Ouachita County Sheriff's Office"), Mention("Ouachita Co SO", region="US-AR")],
        [Mention("Springfield PD", email_domain="springfieldmo.gov"),
         Mention("Springfield PD", region="US-IL")],
    ],
)  # fmt: skip
def test_an_unplaced_look_alike_never_joins_a_placed_namesake(mentions: list[Mention]) -> None:
    ids = _ids(mentions)
    assert len(set(ids)) == len(ids)


def test_the_review_lists_the_namesakes_largest_count_first() -> None:
    bare = Mention("Springfield Police Department")
    mo = Mention("Springfield Police Department", region="US-MO")
    il = Mention("Springfield Police Department", region="US-IL")
    stats = {bare: MentionStats(3, 30), mo: MentionStats(1, 5), il: MentionStats(2, 900)}
    result = resolve(stats)
    assert len({result.agencies[m].agency_id for m in stats}) == 3
    rows = [r for r in result.review if r.variant == bare.raw and r.kind == "merge"]
    assert [result.agencies[m].agency_id for m in (il, mo)] == [r.other_agency_id for r in rows]
    assert [r.count_affected for r in rows] == [930, 35]
    assert all("several places" in r.reason for r in rows)


def test_an_unplaced_spelling_takes_the_region_of_its_domain_siblings() -> None:
    placed = Mention("Polk County FL SO", email_domain="polksheriff.org")
    bare = Mention("Polk Co. Sheriff", email_domain="polksheriff.org")
    other = Mention("Polk County Sheriff's Office", region="US-IA")
    agencies = resolve([placed, bare, other]).agencies
    assert agencies[bare].agency_id == agencies[placed].agency_id
    assert agencies[bare].region == "US-FL"
    assert agencies[other].agency_id != agencies[placed].agency_id


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (Mention("LAPD"), Mention("Los Angeles Police Department", region="US-CA")),
        (Mention("LAPD", region="US-CA"), Mention("Los Angeles Police Dept.")),
        (Mention("SBCSD"), Mention("San Bernardino County Sheriff's Department", region="US-CA")),
        (Mention("SBCSD", region="US-CA"), Mention("San Bernardino County Sheriff's Department")),
        (Mention("CHP"), Mention("California Highway Patrol")),
        (Mention("RCMP"), Mention("Royal Canadian Mounted Police", "CA")),
        (Mention("HSI"), Mention("Homeland Security Investigations")),
        # One reference entry is one agency, whatever state its rows are in.
        (Mention("FBI", region="US-MO"), Mention("FBI", region="US-TX")),
        (Mention("Victoria Police", email_domain="police.vic.gov.au"),
         Mention("Victoria Police", "AU")),
    ],
)  # fmt: skip
def test_acronyms_and_clues_join_one_agency(a: Mention, b: Mention) -> None:
    assert len(set(_ids([a, b]))) == 1


def test_a_file_whose_placed_rows_are_in_one_state_places_its_bare_local_names() -> None:
    def rows(source: str, names: list[tuple[str, str]]) -> list[Record]:
        return [Record(source_file=source, agency_raw=n, region=r) for n, r in names]

    missouri = rows(
        "mo.csv",
        [("Columbia Police Department", ""), ("Joplin PD", "US-MO"), ("Greene County MO SO", "")],
    )
    mixed = rows("mixed.csv", [("Columbia Police Department", ""), ("Joplin PD", "US-MO"),
                               ("Aiken PD", "US-SC")])  # fmt: skip
    resolve_agencies([*missouri, *mixed])
    assert missouri[0].region == "US-MO"
    assert mixed[0].region == ""
    assert missouri[0].agency_id != mixed[0].agency_id


def test_a_placed_acronym_is_a_local_agencys_initials_before_a_national_bodys() -> None:
    georgia = Mention("BPD, Georgia")
    texas = Mention("BPD", email_domain="bertram-tx.gov")
    bertram = Mention("Bertram Police Department", region="US-TX")
    buford = Mention("Buford Police Department", region="US-GA")
    dea = Mention("DEA", region="US-TX")
    agencies = resolve([georgia, texas, bertram, buford, dea]).agencies
    assert agencies[georgia].agency_id == agencies[buford].agency_id
    assert agencies[texas].agency_id == agencies[bertram].agency_id
    assert agencies[georgia].agency_id != agencies[texas].agency_id
    assert agencies[dea].name == "Drug Enforcement Administration"


def test_a_reference_name_written_word_for_word_tells_namesakes_apart() -> None:
    """Keys fold the kind (Bureau = Department), but only Oregon's Portland police is a Bureau
    and only Wisconsin's Madison is a Town; a short form of a namesake's name links nothing."""
    bureau = Mention("Portland Police Bureau")
    bare = Mention("Portland Police Department")
    maine = Mention("Portland Police Department", region="US-ME")
    town = Mention("Town of Madison Police Department")
    short = Mention("Cleveland Police")
    agencies = resolve([bureau, bare, maine, town, short]).agencies
    assert (agencies[bureau].reference_id, agencies[bureau].region) == ("OR0260200", "US-OR")
    assert len({agencies[m].agency_id for m in (bureau, bare, maine)}) == 3
    assert agencies[bare].region == ""
    assert agencies[town].reference_id == "WI0131000"
    assert agencies[short].reference_id == ""


@pytest.mark.parametrize(
    ("mention", "region"),
    [
        # A table of states (FBI NICS): each row is the state, with or without its column.
        (Mention("Oklahoma", "US", "US-OK"), "US-OK"),
        (Mention("Alabama", "US", "US-AL"), "US-AL"),
        (Mention("South Dakota", "US", "US-SD"), "US-SD"),
        (Mention("LOUISIANA"), "US-LA"),
        (Mention("Kansas"), "US-KS"),  # not the police of Kansas, Illinois
        (Mention("Germany"), ""),
        (Mention("Germany", "DE"), ""),
    ],
)  # fmt: skip
def test_a_bare_state_or_country_name_is_the_place_never_an_agency_in_it(
    mention: Mention, region: str
) -> None:
    agency = resolve([mention]).agencies[mention]
    assert (agency.reference_id, agency.agency_type, agency.region) == ("", "", region)
    assert agency.name == mention.raw


def test_a_state_name_under_another_states_column_is_a_town() -> None:
    """'Kansas' in an Illinois row is Kansas, Illinois; the FBI's 'Puerto Rico' is the place."""
    town = Mention("Kansas", "US", "US-IL")
    territory = Mention("Puerto Rico", "US", "US-PR")
    agencies = resolve([town, territory]).agencies
    assert agencies[town].reference_id == "IL0230200"
    assert (agencies[territory].reference_id, agencies[territory].region) == ("PRPPR0000", "US-PR")


def test_a_heading_naming_one_state_places_the_sentences_under_it() -> None:
    """A text titled "Illinois agencies" places its agencies, as a table's title does."""
    body = "In February 2019, Aurora Police Department ran 10,807 searches.\n"
    placed = prose_records(Text("Illinois agencies\n\n" + body), source_file="a.txt", sha256="")
    assert [(r.agency_raw, r.region) for r in placed.records] == [
        ("Aurora Police Department", "US-IL")
    ]
    other = "In May 2020, Aurora Police Department in Colorado ran 12 searches.\n"
    mixed = prose_records(
        Text("Illinois agencies\n\n" + body + other), source_file="b.txt", sha256=""
    )
    assert [r.region for r in mixed.records] == ["", "US-CO"]
    untitled = prose_records(Text(body), source_file="c.txt", sha256="")
    assert [r.region for r in untitled.records] == [""]


def test_a_place_word_inside_an_agencys_name_is_not_the_sentences_country() -> None:
    """'Columbia' is Colombia's name in Romanian; in 'Columbia Police Department' it is a city."""
    records = sentence_records("On 2018-10-03, Columbia Police Department ran 1,346 searches.")
    assert [(r.agency_raw, r.country) for r in records] == [("Columbia Police Department", "")]


def test_a_place_written_but_unread_keeps_a_look_alike_apart() -> None:
    """A State cell no reader knows ("Misuri") is a clue all the same: that row is not the
    bare name's agency nor a placed namesake's; rows of one unread place are one agency."""
    name = "Carter County Sheriff's Office"

    def row(region_raw: str = "", region: str = "", raw: str = name) -> Record:
        return Record(source_file="a.csv", agency_raw=raw, region_raw=region_raw, region=region)

    bare, unread, again, missouri, null = (
        row(),
        row("Misuri"),
        row("Misuri"),
        row("Missouri", "US-MO"),
        row("N/A"),
    )
    unique, unique_unread = (
        row(raw="Archer City Police Department"),
        row("Tejas", raw="Archer City Police Department"),
    )
    resolve_agencies([bare, unread, again, missouri, null, unique, unique_unread])
    assert len({bare.agency_id, unread.agency_id, missouri.agency_id}) == 3
    assert unread.agency_id == again.agency_id
    assert null.agency_id == bare.agency_id
    assert unread.region == ""
    assert unique.agency_id == unique_unread.agency_id
