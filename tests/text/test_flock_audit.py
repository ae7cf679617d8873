"""PDF event logs read line by line: the Okaloosa Flock audit (pages 1-50), made-up pages."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from foialog.extract.document import DocumentResult, extract_document
from foialog.extract.readers.pdf.text import open_pdf
from foialog.extract.sources import Source
from foialog.extract.tables.words import Word
from foialog.extract.text.logs import LogLine, log_pages, page_lines
from tests.conftest import corpus_file

PAGES = 50
PDF = "11_1_2025-12_8_2025-Okaloosa_County_FL_SO-Audit.pdf"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def first_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages 1-50 of the audit, saved as their own PDF."""
    source = corpus_file("okaloosa-flock-audit", PDF)
    out = tmp_path_factory.mktemp("okaloosa") / "okaloosa-audit-p1-50.pdf"
    with open_pdf(source, name=source.name, password=None) as document:
        part = pdfium.PdfDocument.new()
        part.import_pages(document, list(range(PAGES)))
        part.save(out)
        part.close()
    return out


@pytest.fixture(scope="module")
def result(first_pages: Path) -> DocumentResult:
    return extract_document(Source(first_pages, first_pages.name))


def _reference_rows(pdf: Path) -> list[dict[str, str]]:
    """Reference rows whose search ID is printed on the pages of ``pdf``."""
    with open_pdf(pdf, name=pdf.name, password=None) as document:
        ids: set[str] = set()
        for page in document:
            text = page.get_textpage()
            ids.update(_UUID.findall(text.get_text_range()))
            text.close()
            page.close()
    with corpus_file("okaloosa-flock-audit", "reference_EXTRACTED.csv").open(newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["ID"] in ids]


def _reference_time(text: str) -> str:
    """'11/14/2025, 09:53:36 AM UTC' -> '2025-11-14 09:53:36'."""
    return f"{dt.datetime.strptime(text, '%m/%d/%Y, %I:%M:%S %p UTC'):%Y-%m-%d %H:%M:%S}"


@pytest.mark.corpus
def test_one_record_per_search_equal_to_the_reference(
    result: DocumentResult, first_pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = _reference_rows(first_pages)
    ours: dict[str, tuple[str, str, str]] = {}
    for rec in result.records:
        extra = json.loads(rec.extra)
        ours[extra.get("ID", "")] = (
            f"{rec.date} {rec.time}",
            extra.get("Total Networks Searched", ""),
            extra.get("Total Devices Searched", ""),
        )
    equal = sum(
        ours.get(row["ID"])
        == (
            _reference_time(row["Search_Time"]),
            row["Total_Networks_Searched"],
            row["Total_Devices_Searched"],
        )
        for row in reference
    )
    with capsys.disabled():
        print(
            f"\nOkaloosa audit pages 1-{PAGES} via extract_document: "
            f"{len(result.records)} records, "
            f"{equal}/{len(reference)} reference rows equal (search time, networks, devices) "
            f"= {equal / len(reference):.3f}; read in {result.seconds:.1f} s"
        )
    assert result.status == "ok", result.error
    assert len(reference) > 400
    assert len(result.records) == len(ours) == len(reference)
    assert equal >= 0.99 * len(reference)


@pytest.mark.corpus
def test_records_are_searches_with_raw_counts_and_provenance(result: DocumentResult) -> None:
    recs = result.records
    assert {(r.method, r.count, r.metric, r.row_type) for r in recs} == {
        ("log", 1, "searches", "data")
    }
    assert {r.date_label for r in recs} == {"Search Time"}
    assert {r.agency_raw for r in recs} == {"Okaloosa County FL SO"}
    assert all(r.date_raw.endswith("UTC") and r.time for r in recs)
    assert sorted({r.page for r in recs if r.page is not None}) == list(range(1, PAGES + 1))
    for rec in recs:
        extra = json.loads(rec.extra)
        # Each count on its own, nothing from the next column run into it.
        assert extra["Total Networks Searched"].isdigit(), extra
        assert extra["Total Devices Searched"].isdigit(), extra
        assert re.fullmatch(r"(?:\S+, \S+ [AP]M UTC ?){2}", extra["Time Frame"]), extra
        x0, top, x1, bottom = (float(v) for v in rec.bbox.split(","))
        assert (x0 < x1, top < bottom) == (True, True)
    assert any("event log read line by line on pages 1-50" in n for n in result.notes)


@pytest.mark.corpus
def test_clean_searches_are_not_marked_for_review(
    result: DocumentResult, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every search time and count of these pages reads; "Search Type" ("lookup"), judged a
    # metric column at 0.5 and then replaced by the log's own metric, is not behind a record.
    shares = Counter(r.confidence for r in result.records)
    with capsys.disabled():
        print(f"\nOkaloosa audit pages 1-{PAGES} confidence: {dict(sorted(shares.items()))}")
    assert all(r.date and r.time for r in result.records)
    assert all(json.loads(r.extra)["Total Networks Searched"].isdigit() for r in result.records)
    assert min(shares) >= 0.9, shares


# The same line-by-line log reader on made-up pages, for what the audit does not show.


def _page(number: int, lines: list[list[tuple[float, str]]]) -> tuple[int, list[LogLine]]:
    """A page of words: each line a list of (x0, text), 10 points apart, 5.5 points a char."""
    words = [
        Word(text, x0, 20.0 + 10 * i, x0 + 5.5 * len(text), 27.0 + 10 * i)
        for i, line in enumerate(lines)
        for x0, text in line
    ]
    return number, page_lines(number, words)


HEADER = [
    (10, "User"),
    (80, "Devices"),
    (130, "Time"),
    (154, "Frame"),
    (230, "Search"),
    (265, "Time"),
]


def _event(user: str, devices: str, when: str) -> list[tuple[float, str]]:
    # The count ends 2 points before the next column's "UTC": closer than a space.
    return [
        (10, user),
        (128 - 5.5 * len(devices), devices),
        (130, "UTC"),
        (230, when),
        (287, "10:00"),
    ]


def test_log_pages_cut_lines_at_the_header_labels_and_carry_on_over_pages() -> None:
    first = _page(
        1,
        [
            HEADER,
            [(130, "11/13/2025,")],
            _event("ann", "17652", "11/14/2025"),
            [(130, "11/12/2025,")],
            _event("bob", "4", "11/15/2025"),
            [(130, "11/11/2025,")],
            _event("cy", "981", "11/16/2025"),
        ],
    )
    second = _page(2, [[(130, "11/10/2025,")], _event("dee", "12", "11/17/2025")])
    log = log_pages([first, second])
    assert sorted(log.tables) == [1, 2]
    assert log.tables[1].header == ("User", "Devices", "Time Frame", "Search Time")
    assert log.tables[2].header == ()
    rows = [row.cells for table in log.tables.values() for row in table.rows]
    assert rows == [
        ("ann", "17652", "11/13/2025, UTC", "11/14/2025 10:00"),
        ("bob", "4", "11/12/2025, UTC", "11/15/2025 10:00"),
        ("cy", "981", "11/11/2025, UTC", "11/16/2025 10:00"),
        ("dee", "12", "11/10/2025, UTC", "11/17/2025 10:00"),
    ]
    assert [row.lines for row in log.tables[1].rows] == [2, 2, 2]
    assert log.notes == ["event log read line by line on pages 1-2: 4 events"]


def test_a_table_with_undated_rows_is_left_to_the_table_finder() -> None:
    page = _page(
        1,
        [
            HEADER,
            _event("ann", "17652", "11/14/2025"),
            [(10, "bob"), (100, "4"), (230, "11/15/2025")],
            _event("cy", "981", "11/16/2025"),
            _event("dee", "12", "11/17/2025"),
        ],
    )
    assert log_pages([page]).tables == {}


def test_wrapped_lines_below_their_event_are_left_to_the_table_finder() -> None:
    page = _page(
        1,
        [
            HEADER,
            _event("ann", "17652", "11/14/2025"),
            [(130, "11/13/2025,")],
            _event("bob", "4", "11/15/2025"),
            [(130, "11/12/2025,")],
            _event("cy", "981", "11/16/2025"),
            [(130, "11/11/2025,")],
        ],
    )
    assert log_pages([page]).tables == {}


def test_lines_after_the_last_event_are_noted_not_dropped() -> None:
    page = _page(
        1,
        [
            HEADER,
            _event("ann", "17652", "11/14/2025"),
            _event("bob", "4", "11/15/2025"),
            _event("cy", "981", "11/16/2025"),
            [(130, "Total"), (230, "3")],
        ],
    )
    log = log_pages([page])
    assert len(log.tables[1].rows) == 3
    assert log.notes[1] == (
        "page 1: 1 line(s) after the event log's last event kept out of it (first: 'Total 3')"
    )
