"""Event logs: one record per timestamped line or row, agencies from legends and email domains."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from foialog.extract.blocks import Text
from foialog.extract.document import extract_document
from foialog.extract.sources import Source
from foialog.extract.tables.words import Word
from foialog.extract.text.logs import text_log, words_log
from foialog.pipeline import run
from foialog.sample.mail import AUDIT_LOG, write_email_dump
from tests.conftest import corpus_file

LOG = """Search audit export
Generated 2020-01-15 09:30 UTC

Agency codes:
  NL-01 = Politie Nederland

Timestamp            User                          Agency             Reason
2019-11-03 14:22:10  analyst3@politie.example      NL-01              case 19-2231
2019-11-03 15:00:00  det1@garda.example            An Garda Síochána  bolo 77
2019-11-04 08:01:59  det1@garda.example                               welfare check
2019-12-01 23:59:00  x@unknown.example                                missing person
"""


def test_text_log_fields_legend_and_domains() -> None:
    out = text_log(Text(LOG), source_file="audit.txt", sha256="")
    assert out is not None
    recs = out.records
    assert [(r.row, r.agency_raw, r.date, r.time) for r in recs] == [
        (8, "Politie Nederland", "2019-11-03", "14:22:10"),
        (9, "An Garda Síochána", "2019-11-03", "15:00:00"),
        (10, "An Garda Síochána", "2019-11-04", "08:01:59"),
        (11, "", "2019-12-01", "23:59:00"),
    ]
    assert all((r.count, r.method, r.metric) == (1, "log", "searches") for r in recs)
    assert json.loads(recs[0].extra) == {"agency_code": "NL-01", "Reason": "case 19-2231"}
    assert "email domain garda.example" in json.loads(recs[2].extra)["agency_from"]
    assert recs[3].user_email == "x@unknown.example"


def test_prose_is_not_a_log() -> None:
    text = "On 2019-11-03 10:00 the RCMP ran 4 searches.\nNothing else happened."
    assert text_log(Text(text), source_file="a.txt", sha256="") is None


def test_key_value_log() -> None:
    lines = "\n".join(
        f'2019-11-0{d}T10:00:00Z user=a{d}@fbi.example agency="Federal Bureau of Investigation"'
        for d in range(1, 5)
    )
    out = text_log(Text(lines), source_file="kv.log", sha256="")
    assert out is not None
    assert len(out.records) == 4
    assert {r.agency_raw for r in out.records} == {"Federal Bureau of Investigation"}


def test_csv_audit_log_is_one_event_per_row(tmp_path: Path) -> None:
    rows = ["Search time,User,Agency,Reason"] + [
        f"2019-11-{d:02d} 10:{d:02d}:00,u{d}@lapd.example,LAPD,case {d}" for d in range(1, 8)
    ]
    (tmp_path / "audit.csv").write_text("\n".join(rows) + "\n")
    records = run(tmp_path).records
    assert len(records) == 7
    assert set(records["method"]) == {"log"}
    assert set(records["count"]) == {1}


def test_csv_audit_log_keeps_every_cell_raw_and_counts_by_its_action(tmp_path: Path) -> None:
    # A CSV log is one event per row: its numbers ("Total Networks Searched", one cell
    # misread as "8O0") are fields of the event kept raw, not counts; "Search Type" names
    # the action, so a "login" row is counted apart from the searches.
    rows = ["ID,Org Name,Total Networks Searched,Reason,Search Time,Search Type"] + [
        f"id-{d},Okaloosa County FL SO,{'8O0' if d == 3 else 840 + d},bolo,"
        f"2025-11-{d:02d} 10:{d:02d}:00,{'login' if d == 5 else 'lookup'}"
        for d in range(1, 8)
    ]
    path = tmp_path / "audit.csv"
    path.write_text("\n".join(rows) + "\n")
    result = extract_document(Source(path, path.name))
    by_id = {json.loads(r.extra)["ID"]: r for r in result.records}
    assert len(by_id) == 7
    assert {(r.method, r.count) for r in by_id.values()} == {("log", 1)}
    assert {i: r.metric for i, r in by_id.items() if r.metric != "searches"} == {"id-5": "logins"}
    assert json.loads(by_id["id-3"].extra)["Total Networks Searched"] == "8O0"
    assert {r.agency_raw for r in by_id.values()} == {"Okaloosa County FL SO"}
    assert (by_id["id-4"].date, by_id["id-4"].time) == ("2025-11-04", "10:04:00")
    assert any("logins counted apart" in n and "Okaloosa County FL SO 1" in n for n in result.notes)


def test_sample_audit_log_per_agency_counts_are_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for seed in range(4):
        truth = write_email_dump(tmp_path, random.Random(seed))
        expected = Counter(t.agency_raw for t in truth if t.source_file == AUDIT_LOG)
        records = run(tmp_path / AUDIT_LOG).records
        got = Counter(records["agency_raw"])
        with capsys.disabled():
            print(
                f"\naudit log seed {seed}: {len(records)} events, {len(got)} agencies, "
                f"per-agency counts equal: {got == expected}"
            )
        assert got == expected


@pytest.mark.corpus
def test_okaloosa_audit_first_pages_match_the_reference() -> None:
    import csv

    import pdfplumber

    pdf_path = corpus_file(
        "okaloosa-flock-audit", "11_1_2025-12_8_2025-Okaloosa_County_FL_SO-Audit.pdf"
    )
    reference = corpus_file("okaloosa-flock-audit", "reference_EXTRACTED.csv")
    with pdfplumber.open(pdf_path) as pdf:
        pages = [
            (
                n,
                [
                    Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
                    for w in p.extract_words()
                ],
            )
            for n, p in enumerate(pdf.pages[:5], start=1)
        ]
    out = words_log(pages, source_file=pdf_path.name, sha256="")
    assert out is not None
    with reference.open(newline="") as fh:
        ref = {r["ID"]: r for r in csv.DictReader(fh)}
    assert len(out.records) >= 40
    for rec in out.records:
        extra = json.loads(rec.extra)
        row = ref[extra["ID"]]
        when = dt.datetime.strptime(row["Search_Time"].replace(" UTC", ""), "%m/%d/%Y, %I:%M:%S %p")
        assert f"{rec.date} {rec.time}" == f"{when:%Y-%m-%d %H:%M:%S}"
        assert extra["Total Networks Searched"] == row["Total_Networks_Searched"]
        assert extra["Total Devices Searched"] == row["Total_Devices_Searched"]
        assert re.fullmatch(r"[\d.]+,[\d.]+,[\d.]+,[\d.]+", rec.bbox or "")
