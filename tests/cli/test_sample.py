"""Tests for the synthetic leak: determinism, provenance of every truth row, and its shapes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pycountry
import pytest

from foialog.errors import FoialogError
from foialog.sample import write_sample
from foialog.sample.mail import EMAIL_FILES, MBOX
from foialog.sample.pdfs import PDF_FILES
from foialog.sample.sheets import LEAK_FILES
from foialog.sample.truth import REDACTION, TRUTH_COLUMNS, SampleError, SampleManifest

# encoding, delimiter, has a header row
DELIMITED = {
    "searches_eu.csv": ("cp1252", ";", True),
    "us_agencies.tsv": ("utf-16", "\t", True),
    "export_noheader.csv": ("utf-8-sig", ",", False),
    "monthly_usage.csv": ("utf-8", ",", True),
}
XLSX = "visage_clients_2019.xlsx"
ODS = "trial_accounts.ods"
CLIENTS_HEADER_ROW = 4
Sample = tuple[SampleManifest, list[dict[str, str]]]


def _truth(manifest: SampleManifest) -> list[dict[str, str]]:
    """truth.csv as dicts."""
    with manifest.truth_csv.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _records(path: Path) -> list[list[str]]:
    """A delimited leak file read with its stated encoding and delimiter."""
    encoding, delimiter, _ = DELIMITED[path.name]
    text = path.read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _rows(truth: list[dict[str, str]], file: str, sheet: str = "") -> list[dict[str, str]]:
    """The truth rows of one file and sheet."""
    return [t for t in truth if t["source_file"] == file and t["sheet"] == sheet]


def _expected_agency_cell(t: dict[str, str]) -> str:
    """What the agency cell must hold: the raw name, or the marker when redacted."""
    return REDACTION if t["redacted"].startswith("agency:") else t["agency_raw"]


@pytest.fixture(scope="module", params=[0, 3])
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """One written sample per seed, shared by the read-back tests."""
    manifest = write_sample(tmp_path_factory.mktemp("sample"), seed=request.param)
    return manifest, _truth(manifest)


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    a = write_sample(tmp_path / "a", seed=5)
    b = write_sample(tmp_path / "b", seed=5)
    assert a.truth_csv.read_bytes() == b.truth_csv.read_bytes()
    for fa, fb in zip(a.files, b.files, strict=True):
        # xlsx and ods too: the sampler pins the zip member times and document dates.
        assert fa.read_bytes() == fb.read_bytes(), fa.name


def test_email_dump_bytes_do_not_follow_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = write_sample(tmp_path / "a", seed=5, emails=True)
    # mailbox stamps a message that has no From_ line with time.gmtime().
    monkeypatch.setattr(time, "gmtime", lambda secs=None: time.struct_time((2001, 2, 3) + (0,) * 6))
    b = write_sample(tmp_path / "b", seed=5, emails=True)
    assert [p.name for p in b.files] == [*LEAK_FILES, *EMAIL_FILES, *PDF_FILES]
    for fa, fb in zip(a.files, b.files, strict=True):
        assert fa.read_bytes() == fb.read_bytes(), fa.name
    mbox = (b.leak_dir / MBOX).read_text(encoding="utf-8")
    assert "2001" not in mbox
    assert "From sales@visage-metrics.example" in mbox or "From support@" in mbox


def test_other_seed_gives_other_truth(tmp_path: Path) -> None:
    a = write_sample(tmp_path / "a", seed=0)
    b = write_sample(tmp_path / "b", seed=1)
    assert a.truth_csv.read_bytes() != b.truth_csv.read_bytes()
    assert a.files[1].read_bytes() != b.files[1].read_bytes()


def test_manifest_lists_files_outside_truth(sample: Sample) -> None:
    manifest, truth = sample
    names = (*LEAK_FILES, *PDF_FILES)
    assert manifest.files == tuple(manifest.leak_dir / name for name in names)
    assert all(f.is_file() for f in manifest.files)
    assert manifest.truth_csv.parent == manifest.leak_dir.parent
    assert manifest.n_rows == len(truth)
    assert 150 <= sum(t["source_file"] in LEAK_FILES for t in truth) <= 300
    assert {t["source_file"] for t in truth} == set(names)


def test_truth_columns_and_conventions(sample: Sample) -> None:
    manifest, truth = sample
    with manifest.truth_csv.open(encoding="utf-8", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == TRUTH_COLUMNS
    for t in truth:
        assert t["row_type"] in {"data", "total"}
        assert t["metric"] == "searches"
        assert (t["count"] == "") == (t["count_qualifier"] == "")
        assert t["count_qualifier"] in {"", "exact", "at_least", "at_most", "approx"}
        assert t["count"] == "" or t["count"].isdigit()
        assert re.fullmatch(r"(\d{4}-\d{2}(-\d{2})?)?", t["date"])
        assert t["account_type"] in {"", "trial", "paid"}
        assert t["country"] == "" or pycountry.countries.get(alpha_2=t["country"])
        if t["region"]:
            assert pycountry.subdivisions.get(code=t["region"]) is not None
            assert t["region"].startswith(t["country"] + "-")
        hidden = t["row_type"] == "total" or t["redacted"].startswith("agency:")
        assert (t["entity_id"] == "") == hidden
        assert (t["agency_raw"] == "") == t["redacted"].startswith("agency:")
        # No real people: only numbered role accounts on reserved .example domains.
        assert t["user_email"] == "" or re.fullmatch(r"[a-z]+\d+@[a-z-]+\.example", t["user_email"])
    countries = {t["country"] for t in truth if t["country"]}
    assert len(countries) >= 12
    assert any(t["region"] for t in truth)


def test_truth_rows_point_at_the_agency_cell(sample: Sample) -> None:
    manifest, truth = sample
    wb = openpyxl.load_workbook(manifest.leak_dir / XLSX)
    assert wb.sheetnames == ["Clients", "Trials"]
    for sheet, first in (("Clients", CLIENTS_HEADER_ROW + 1), ("Trials", 2)):
        ws = wb[sheet]
        rows = _rows(truth, XLSX, sheet)
        for t in rows:
            assert ws.cell(int(t["row"]), 1).value == _expected_agency_cell(t), t
        filled = {r for r in range(first, ws.max_row + 1) if ws.cell(r, 1).value is not None}
        assert filled == {int(t["row"]) for t in rows}

    sheets = pd.read_excel(manifest.leak_dir / ODS, sheet_name=None, header=None, engine="odf")
    assert list(sheets) == ["Sheet1"]
    frame = sheets["Sheet1"]
    rows = _rows(truth, ODS, "Sheet1")
    for t in rows:
        assert frame.iloc[int(t["row"]) - 1, 0] == t["agency_raw"], t
    assert sorted(int(t["row"]) for t in rows) == list(range(2, len(frame) + 1))

    for name, (_, _, has_header) in DELIMITED.items():
        records = _records(manifest.leak_dir / name)
        rows = _rows(truth, name)
        for t in rows:
            assert records[int(t["row"]) - 1][0] == t["agency_raw"], (name, t)
        first = 2 if has_header else 1
        assert sorted(int(t["row"]) for t in rows) == list(range(first, len(records) + 1))


def test_clients_layout_and_cell_values(sample: Sample) -> None:
    manifest, truth = sample
    ws = openpyxl.load_workbook(manifest.leak_dir / XLSX)["Clients"]
    assert ws["A1"].value == "Visage Metrics — client activity export"
    assert str(ws["A2"].value).startswith("Generated ")
    assert all(c.value is None for c in ws[3])
    assert [c.value for c in ws[CLIENTS_HEADER_ROW]] == [
        "Organization",
        "Country",
        "Account type",
        "Number of searches",
        "First search",
        "Contact email",
    ]
    data = [t for t in _rows(truth, XLSX, "Clients") if t["row_type"] == "data"]
    assert 40 <= len(data) <= 80
    raw_counts = set()
    for t in data:
        count = ws.cell(int(t["row"]), 4).value
        when = ws.cell(int(t["row"]), 5).value
        raw_counts.add(count)
        if isinstance(count, int):
            assert (t["count"], t["count_qualifier"]) == (str(count), "exact")
        if count in {None, "n/a", "-"}:
            assert t["count"] == ""
        if isinstance(when, dt.datetime):
            assert t["date"] == when.date().isoformat()
            assert ws.cell(int(t["row"]), 5).number_format != "General"
        if isinstance(when, str) and re.fullmatch(r"\d{4}-\d{2}", when):
            assert t["date"] == when
    assert {"n/a", "-", None} <= raw_counts
    assert any(isinstance(c, str) and c.startswith("~") for c in raw_counts)
    story = [t for t in data if t["entity_id"] == "interpol" and t["count_qualifier"] == "at_least"]
    assert any(ws.cell(int(t["row"]), 4).value == "more than 320" for t in story)
    assert all(t["count"] == "320" and t["account_type"] == "trial" for t in story)
    redacted = [t for t in data if t["redacted"].startswith("agency:")]
    assert len(redacted) == 1
    assert redacted[0]["country"]


def test_one_merged_country_cell_applies_to_each_row(sample: Sample) -> None:
    manifest, truth = sample
    ws = openpyxl.load_workbook(manifest.leak_dir / XLSX)["Clients"]
    ranges = [str(r) for r in ws.merged_cells.ranges]
    assert "A1:F1" in ranges
    country_merges = [
        r for r in ws.merged_cells.ranges if r.min_col == r.max_col == 2 and r.min_row > 4
    ]
    assert len(country_merges) == 1
    merge = country_merges[0]
    assert 2 <= merge.max_row - merge.min_row + 1 <= 3
    assert ws.cell(merge.min_row, 2).value
    by_row = {int(t["row"]): t for t in _rows(truth, XLSX, "Clients")}
    countries = {by_row[r]["country"] for r in range(merge.min_row, merge.max_row + 1)}
    assert len(countries) == 1
    assert countries != {""}


def test_totals_row_is_the_sum_of_exact_counts(sample: Sample) -> None:
    manifest, truth = sample
    ws = openpyxl.load_workbook(manifest.leak_dir / XLSX)["Clients"]
    rows = _rows(truth, XLSX, "Clients")
    total = rows[-1]
    assert total["row_type"] == "total"
    assert [t for t in rows if t["row_type"] == "total"] == [total]
    assert (total["agency_raw"], total["entity_id"]) == ("Total", "")
    exact = sum(int(t["count"]) for t in rows[:-1] if t["count_qualifier"] == "exact")
    assert int(total["count"]) == exact
    printed = ws.cell(int(total["row"]), 4).value
    assert isinstance(printed, int)
    assert printed == exact
    # Independently of the truth: integer cells plus "1,234"-style strings above the total.
    from_cells = 0
    for r in range(CLIENTS_HEADER_ROW + 1, int(total["row"])):
        value = ws.cell(r, 4).value
        if isinstance(value, int):
            from_cells += value
        elif isinstance(value, str) and re.fullmatch(r"\d{1,3}(,\d{3})+", value):
            from_cells += int(value.replace(",", ""))
    assert from_cells == printed


def test_trials_dates_are_bare_excel_serials(sample: Sample) -> None:
    manifest, truth = sample
    ws = openpyxl.load_workbook(manifest.leak_dir / XLSX)["Trials"]
    assert [c.value for c in ws[1]] == ["Agency", "Trial start", "Searches during trial"]
    for t in _rows(truth, XLSX, "Trials"):
        cell = ws.cell(int(t["row"]), 2)
        assert isinstance(cell.value, int | float)
        assert cell.number_format == "General"
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(cell.value))
        assert t["date"] == day.isoformat()
        assert t["count"] == str(ws.cell(int(t["row"]), 3).value)
        assert t["account_type"] == "trial"


def test_encodings_exercise_detection(sample: Sample) -> None:
    manifest, _ = sample
    eu = (manifest.leak_dir / "searches_eu.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        eu.decode("utf-8")
    assert eu.decode("cp1252").startswith("Agency;Country;Searches;Date\r\n")
    tsv = (manifest.leak_dir / "us_agencies.tsv").read_bytes()
    assert tsv.startswith(b"\xff\xfe")
    assert tsv.decode("utf-16").startswith("Agency Name\tState\tSearches\tDate of Access\tUser")
    assert (manifest.leak_dir / "export_noheader.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    monthly = (manifest.leak_dir / "monthly_usage.csv").read_bytes()
    assert monthly.decode("utf-8").startswith("Agency,Month,Searches\r\n")


def test_eu_file_is_day_first_with_dot_thousands(sample: Sample) -> None:
    manifest, truth = sample
    records = _records(manifest.leak_dir / "searches_eu.csv")
    big = 0
    late_days = 0
    for t in _rows(truth, "searches_eu.csv"):
        _, _, count, date = records[int(t["row"]) - 1]
        assert "," not in count
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", count):
            big += 1
        if t["count"]:
            assert int(count.replace(".", "")) == int(t["count"])
        if date:
            day = dt.datetime.strptime(date, "%d/%m/%Y").date()
            assert t["date"] == day.isoformat()
            late_days += day.day > 12
    assert big >= 3
    assert late_days >= 3


def test_us_file_is_month_first_and_splits_springfield(sample: Sample) -> None:
    manifest, truth = sample
    records = _records(manifest.leak_dir / "us_agencies.tsv")
    late_days = 0
    springfield: dict[str, str] = {}
    for t in _rows(truth, "us_agencies.tsv"):
        name, state, count, date, user = records[int(t["row"]) - 1]
        day = dt.datetime.strptime(date, "%m/%d/%Y").date()
        assert t["date"] == day.isoformat()
        late_days += day.day > 12
        if t["count"]:
            assert int(count.replace(",", "")) == int(t["count"])
        assert t["user_email"] == user
        assert t["region"] == (f"US-{state}" if state else "")
        if name == "Springfield Police Department":
            springfield[t["entity_id"]] = state
    assert late_days >= 3
    assert springfield == {"us-il-springfield-pd": "IL", "us-mo-springfield-pd": "MO"}


def test_names_vary_and_same_names_stay_distinguishable(
    sample: Sample,
) -> None:
    _, truth = sample
    spellings: dict[str, set[str]] = {}
    for t in truth:
        if t["entity_id"]:
            spellings.setdefault(t["entity_id"], set()).add(t["agency_raw"])
    assert len(spellings) >= 20
    assert sum(len(s) >= 2 for s in spellings.values()) >= 10
    # A name shared by two entities appears only where a location column separates them.
    owners: dict[str, set[str]] = {}
    for t in truth:
        if t["entity_id"]:
            owners.setdefault(t["agency_raw"].casefold(), set()).add(t["entity_id"])
    shared = {name for name, ids in owners.items() if len(ids) > 1}
    no_location = {"monthly_usage.csv", XLSX + "/Trials"}
    for t in truth:
        if t["agency_raw"].casefold() in shared:
            assert f"{t['source_file']}/{t['sheet']}".rstrip("/") not in no_location


def test_monthly_dates_are_month_only(sample: Sample) -> None:
    manifest, truth = sample
    records = _records(manifest.leak_dir / "monthly_usage.csv")
    labels: Counter[str] = Counter()
    for t in _rows(truth, "monthly_usage.csv"):
        label = records[int(t["row"]) - 1][1]
        fmt = "%b %Y" if len(label.split()[0]) == 3 else "%B %Y"
        assert t["date"] == dt.datetime.strptime(label, fmt).strftime("%Y-%m")
        labels[fmt] += 1
    assert sum(labels.values()) >= 15


def test_datetime_strings_keep_only_the_date(sample: Sample) -> None:
    manifest, truth = sample
    frame = pd.read_excel(manifest.leak_dir / ODS, header=None, engine="odf", dtype=object)
    stamped = 0
    for t in _rows(truth, ODS, "Sheet1"):
        value = frame.iloc[int(t["row"]) - 1, 3]
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", value):
            assert t["date"] == value[:10]
            stamped += 1
    assert stamped >= 2


def test_overwrites_own_files_and_keeps_others(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "notes.txt").write_text("reporter's notes", encoding="utf-8")
    (leak / "searches_eu.csv").write_text("stale", encoding="utf-8")
    manifest = write_sample(tmp_path, seed=2)
    assert (leak / "notes.txt").read_text(encoding="utf-8") == "reporter's notes"
    assert (leak / "searches_eu.csv").read_bytes() != b"stale"
    assert leak / "notes.txt" not in manifest.files


def test_refuses_a_file_where_the_leak_folder_goes(tmp_path: Path) -> None:
    (tmp_path / "leak").write_text("not a folder", encoding="utf-8")
    with pytest.raises(SampleError, match="leak") as caught:
        write_sample(tmp_path)
    assert isinstance(caught.value, FoialogError)


def test_refuses_a_folder_where_a_leak_file_goes(tmp_path: Path) -> None:
    (tmp_path / "leak" / "monthly_usage.csv").mkdir(parents=True)
    with pytest.raises(SampleError, match=r"monthly_usage\.csv"):
        write_sample(tmp_path)


def test_rejects_a_seed_that_is_not_an_int(tmp_path: Path) -> None:
    with pytest.raises(SampleError, match="'7'"):
        write_sample(tmp_path, seed="7")  # type: ignore[arg-type]
