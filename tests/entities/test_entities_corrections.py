"""Reporter corrections applied on every run; review rows ordered by what they affect."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from foialog.entities.corrections import load_corrections, parse_corrections
from foialog.entities.mention import Mention
from foialog.entities.reference import load_entries, load_reference
from foialog.entities.resolve import MentionStats, resolve
from foialog.errors import CorrectionsError
from foialog.pipeline import run
from foialog.sample import write_sample

POLK = Mention("Polk County FL SO")
POLK_LR = Mention("Polk County FL SO (LR)")
SPRING_IL = Mention("Springfield PD", region="US-IL")
SPRING_MO = Mention("Springfield PD", region="US-MO")
NEWCO = Mention("Northwind Analytics")
NEWCO2 = Mention("Northwind Analytic Group")


def test_each_action_changes_the_outcome() -> None:
    before = resolve([POLK, POLK_LR, SPRING_IL, SPRING_MO, NEWCO, NEWCO2]).agencies
    assert before[SPRING_IL].agency_id != before[SPRING_MO].agency_id
    assert before[NEWCO].agency_id != before[NEWCO2].agency_id
    fixes = parse_corrections(
        "action,name,value,note\n"
        "# a comment line\n"
        "merge,Northwind Analytic Group,Northwind Analytics,same firm per its filings\n"
        "split,Polk County FL SO (LR),,LR is a separate account\n"
        "rename,Northwind Analytics,Northwind Analytics LLC,\n"
        "set_type,Northwind Analytics,private company,\n"
        "set_country,Northwind Analytics,GB,\n"
        "reject,Springfield PD,,not an agency in this leak\n"
    )
    result = resolve([POLK, POLK_LR, SPRING_IL, SPRING_MO, NEWCO, NEWCO2], fixes)
    after = result.agencies
    assert after[NEWCO].agency_id == after[NEWCO2].agency_id
    assert after[NEWCO].name == "Northwind Analytics LLC"
    assert (after[NEWCO].agency_type, after[NEWCO].country) == ("private company", "GB")
    assert after[POLK].agency_id != after[POLK_LR].agency_id
    assert SPRING_IL not in after
    assert SPRING_IL in result.rejected
    assert "merge: Northwind Analytic Group -> Northwind Analytics" in after[NEWCO].corrections
    assert all(a.matched for a in result.applied)


def test_a_correction_that_matches_nothing_is_a_review_row() -> None:
    fixes = parse_corrections("action,name,value\nmerge,Nowhere PD,Polk County FL SO\n")
    result = resolve([POLK], fixes)
    assert result.applied[0].matched == 0
    assert [r.kind for r in result.review] == ["correction"]


def test_link_by_correction() -> None:
    fixes = parse_corrections("action,name,value\nlink,Northwind Analytics,gb:nca\n")
    agency = resolve([NEWCO], fixes).agencies[NEWCO]
    assert agency.reference_id == "gb:nca"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("verb,name\nmerge,A\n", "header"),
        ("action,name,value\nsmash,A,B\n", "unknown action 'smash'"),
        ("action,name,value\nmerge,A,\n", "needs a value"),
        ("action,name,value\nset_type,A,cops\n", "not one of"),
        ("action,name,value\nset_country,A,Germany\n", "ISO code"),
        ("action,name,value\nrename,,X\n", "name is empty"),
    ],
)
def test_bad_corrections_name_the_line_and_the_fix(text: str, words: str) -> None:
    with pytest.raises(CorrectionsError, match=re.escape(words)):
        parse_corrections(text, "fixes.csv")


def test_unreadable_corrections_file(tmp_path: Path) -> None:
    bad = tmp_path / "fixes.csv"
    bad.write_bytes(b"action,name\n\xff\xfe\xfa")
    with pytest.raises(CorrectionsError, match=r"fixes\.csv"):
        load_corrections(bad)


def test_review_rows_are_ordered_by_counts_affected() -> None:
    stats = {
        Mention("Springfield PD"): MentionStats(1, 5),
        Mention("Springfield PD", region="US-IL"): MentionStats(3, 900),
        Mention("Springfield PD", region="US-MO"): MentionStats(2, 40),
        Mention("Polk Co. Sheriff"): MentionStats(1, 7000),
    }
    review = resolve(stats).review
    assert review, "ambiguous names must be queued"
    affected = [r.count_affected for r in review]
    assert affected == sorted(affected, reverse=True)
    assert review[0].variant == "Polk Co. Sheriff"
    assert all(r.suggestion.split(",")[0] in ("merge", "split", "link") for r in review)


def test_corrections_in_a_run_are_recorded_and_ids_are_stable(tmp_path: Path) -> None:
    manifest = write_sample(tmp_path / "s", seed=1)
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("action,name,value\nrename,LAPD,LA Police (corrected)\n", encoding="utf-8")
    settings = {"workers": 0, "cache": False, "corrections": fixes}
    first = run(manifest.leak_dir, tmp_path / "out", settings=settings)
    again = run(manifest.leak_dir, settings=settings)
    assert first.records["agency_id"].tolist() == again.records["agency_id"].tolist()
    agencies = pd.read_csv(tmp_path / "out" / "agencies.csv", dtype=str, keep_default_na=False)
    lapd = agencies[agencies["agency"] == "LA Police (corrected)"]
    assert len(lapd) == 1
    assert "rename: LAPD" in lapd["corrections"].iloc[0]
    assert (tmp_path / "out" / "review.csv").exists()


def test_reference_data_loads_and_covers_the_story() -> None:
    entries, version = load_entries()
    ids = {e.reference_id for e in entries}
    assert version
    assert len(ids) == len(entries)
    for rid in ("FL0530000", "IL0840200", "MO0390300", "int:interpol", "int:europol",
                "sa:thakaa", "ae:adp", "gb:met", "gb:nca", "ca:rcmp", "au:afp", "nz:police",
                "fr:federal-bureau-of-investigation", "br:pf", "mx:gn", "co:ponal", "in:cbi",
                "jp:npa", "kr:knpa", "sg:spf"):  # fmt: skip
        assert rid in ids, rid
    eu = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
          "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}  # fmt: skip
    assert eu <= {e.country for e in entries if e.source == "curated"}
    assert load_reference().entry("FL0530000") is not None
