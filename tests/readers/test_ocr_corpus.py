"""OCR on real released documents: screenshots, image-only and faxed PDF pages; figures printed."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pytest

from foialog.extract import document
from foialog.extract.readers.ocr import OcrError
from foialog.extract.readers.ocr_pages import ocr_page_content, ocr_pdf_page, page_ocr_reason
from foialog.extract.readers.pdf.text import PageContent
from foialog.extract.tables.words import find_word_tables, group_lines
from foialog.pipeline import run
from tests.conftest import corpus_file

pytestmark = pytest.mark.corpus

# The human reference's own mistakes, checked against the screenshots (corpus README).
REFERENCE_FIXES = {
    "Albany OR PR": "Albany OR PD",
    "OR - Centra Point PD": "OR - Central Point PD",
    "Oregon Community Credit Union": "Oregon Community Credit Union (OR)",
}


def test_flock_sharing_screenshots_give_the_agency_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = corpus_file("eugene-flock-sharing-screenshots")
    images = sorted(p for p in folder.iterdir() if p.suffix in (".png", ".jpeg"))
    started = time.perf_counter()
    result = run(images)
    seconds = time.perf_counter() - started
    records = result.records
    assert set(result.documents["ocr_pages"]) == {1}
    assert set(records["method"]) == {"ocr"}
    names = list(records["agency_raw"])
    reference = list(pd.read_csv(folder / "reference_list_human.csv")["Name"])
    fixed = [REFERENCE_FIXES.get(n, n) for n in reference]
    raw_hits = sum(n in names for n in reference)
    fixed_hits = sum(n in names for n in fixed)
    with capsys.disabled():
        print(
            f"\nEugene Flock screenshots: {len(names)} names read by OCR from {len(images)} images"
            f" in {seconds:.1f} s ({seconds / len(images):.1f} s/image)\n"
            f"  exact matches: {raw_hits}/{len(reference)} against the human reference as is, "
            f"{fixed_hits}/{len(fixed)} with its known errors corrected\n"
            f"  missed (corrected reference): {[n for n in fixed if n not in names]}\n"
            f"  read instead: {[n for n in names if n not in fixed]}"
        )
    assert len(names) == len(reference)
    assert fixed_hits >= 50
    # Every record points at its line in the image and carries the OCR confidence.
    assert records["bbox"].str.fullmatch(r"[\d.]+,[\d.]+,[\d.]+,[\d.]+").all()
    assert (records["confidence"] <= 1).all()


def _ocr_pages(path: Path, pages: range) -> list[tuple[str, list[str], float, int]]:
    """(reason, lines, seconds, redaction boxes) of each page OCRed."""
    document = pdfium.PdfDocument(path)
    out = []
    for index in pages:
        page = document[index]
        reason = page_ocr_reason(page)
        found = ocr_pdf_page(page)
        lines = [" ".join(w.text for w in line) for line in group_lines(found.words)]
        out.append((reason, lines, found.seconds, len(found.redactions)))
    return out


def test_image_only_request_log_pages_are_read_with_their_redactions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = corpus_file(
        "eugene-prr-log-imageonly", "EPD-2025-4537_report_JustFlockALPR_redacted.pdf"
    )
    ((reason, lines, seconds, boxes),) = _ocr_pages(path, range(1))
    text = "\n".join(lines)
    with capsys.disabled():
        print(
            f"\nEugene PRR log page 1 (image only): {len(lines)} lines, {boxes} redaction boxes,"
            f" {seconds:.1f} s"
        )
    assert reason == "no text layer (image only)"
    assert re.search(r"Request\s*#", text)
    assert "EPD-2025-3762" in text
    assert "8/18/2025" in text
    assert boxes >= 1


def test_faxed_inventory_names_the_systems_in_the_released_spreadsheet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = corpus_file("eugene-surveillance-inventory-scan")
    pages = _ocr_pages(folder / "DOC102825-10282025103848.pdf", range(4))
    text = " ".join(line for _, lines, _, _ in pages for line in lines).lower()
    sheet = pd.read_csv(
        folder / "Public_Records_xlsx_as_csv__Sheet1.csv",
        header=None,
        names=["kind", "system", "n"],
    )
    systems = sorted({str(v) for v in sheet["system"].dropna()})
    found = [s for s in systems if s.lower() in text]
    seconds = sum(p[2] for p in pages)
    with capsys.disabled():
        print(
            f"\nEugene inventory fax scan, 4 pages OCRed in {seconds:.1f} s: "
            f"{len(found)}/{len(systems)} system names of the released xlsx appear in the OCR text"
            f"\n  found: {found}\n  not in the scan's text: "
            f"{[s for s in systems if s not in found]}"
        )
    assert all(p[0] == "no text layer (image only)" for p in pages)
    assert {"Guardian Trailers", "Flock"} <= set(found)


def test_audit_pages_drawn_rotated_keep_a_readable_text_layer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = corpus_file("okaloosa-flock-audit")
    path = folder / "11_1_2025-12_8_2025-Okaloosa_County_FL_SO-Audit.pdf"
    reference = set(pd.read_csv(folder / "reference_EXTRACTED.csv", nrows=200)["ID"])
    document = pdfium.PdfDocument(path)
    pages = [document[i].get_textpage().get_text_range() for i in range(3)]
    reasons = [page_ocr_reason(document[i]) for i in range(3)]
    ocr = ocr_pdf_page(document[0])
    ocr_text = " ".join(w.text for w in ocr.words)
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    ids = [m for text in pages for m in uuid.findall(text)]
    in_layer = [i for i in ids if i in reference]
    page_one = uuid.findall(pages[0])
    in_ocr = [i for i in page_one if i in ocr_text]
    with capsys.disabled():
        print(
            f"\nOkaloosa audit pages 1-3: rotation {document[0].get_rotation()}°, OCR verdicts "
            f"{reasons}; text-layer search IDs also in the reference: {len(in_layer)}/{len(ids)}"
            f" (pages 1-3); page 1 IDs read exactly by OCR instead: {len(in_ocr)}/"
            f"{len(page_one)} ({ocr.seconds:.1f} s)"
        )
    assert reasons == ["", "", ""]
    assert len(ids) >= 20
    assert in_layer == ids


def test_a_tall_ruled_row_does_not_run_on_past_its_rules() -> None:
    """Eugene page 1: one request whose description runs down the page is one table row."""
    path = corpus_file(
        "eugene-prr-log-imageonly", "EPD-2025-4537_report_JustFlockALPR_redacted.pdf"
    )
    content = ocr_page_content(path, 0, None)
    tables = find_word_tables(list(content.words), rules=content.rules)
    rows = [" ".join(row.cells) for table in tables for row in table.rows]
    assert rows, "no table on the page"
    assert all(re.search(r"EPD-\d{4}-\d+", row) for row in rows), rows


# Request ids and dates as the page images print them (read by eye, issue 13): pages 4 and 5,
# 11 legible requests. Page 4 also shows three rows cut in half where strips of the log were
# pasted together, and its OCR finds the page's table cut into columns two ways; page 5's
# first request begins at the top of the page, under the last one of page 4.
_EUGENE_REQUESTS = {
    "EPD-2025-3308": "7/17/2025",
    "EPD-2025-3611": "8/7/2025",
    "EPD-2025-3783": "8/19/2025",
    "EPD-2025-2542": "6/2/2025",
    "EPD-2025-3072": "7/3/2025",
    "EPD-2025-3073": "7/3/2025",
    "EPD-2025-2738": "6/12/2025",
    "EPD-2025-3468": "7/28/2025",
    "EPD-2025-3295": "7/17/2025",
    "EPD-2025-3299": "7/17/2025",
    "EPD-2025-4532": "10/6/2025",
}
_EUGENE_PAGES = (3, 4)


def _ocr_eugene_pages(
    path: Path,
    index: int,
    password: str | None,
    *,
    languages: str | None = None,
    timeout: float | None = None,
) -> PageContent:
    """OCR the pages of _EUGENE_PAGES only (0-based); any other page is one OCR could not read.

    Module-level, so that the PDF reader's worker processes can be handed it.
    """
    if index not in _EUGENE_PAGES:
        raise OcrError(f"page {index + 1} left out of the test")
    return ocr_page_content(path, index, password, languages=languages, timeout=timeout)


def test_an_image_only_request_log_gives_one_record_per_request(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tall bottom-aligned rows over a page break, the pages' columns cut differently by OCR:
    one table, one record per request with its id and request date, descriptions in extra."""
    path = corpus_file(
        "eugene-prr-log-imageonly", "EPD-2025-4537_report_JustFlockALPR_redacted.pdf"
    )
    monkeypatch.setattr(document, "ocr_page_content", _ocr_eugene_pages)
    # Read in this process, where the patch is: a file worker started from a fork server
    # that an earlier test left running would import document afresh and OCR all 15 pages.
    result = run([path], settings={"workers": 0})
    records = result.records
    extras = [json.loads(e) for e in records["extra"]]
    ids = [re.findall(r"EPD-\d{4}-\d{4}", str(next(iter(e.values()), ""))) for e in extras]
    found = {i[0]: d for i, d in zip(ids, records["date_raw"], strict=True) if len(i) == 1}
    notes = result.documents["notes"].iloc[0]
    with capsys.disabled():
        print(
            f"\nEugene PRR log pages 4-5: {len(records)} records, {len(found)}/"
            f"{len(_EUGENE_REQUESTS)} requests with their id; {notes[:160]}"
        )
    assert "table on pages 4-5" in notes, notes  # one table across the page break
    assert len(records) == len(_EUGENE_REQUESTS)
    assert all(len(i) == 1 for i in ids), ids  # one request a record
    assert set(found) == set(_EUGENE_REQUESTS)
    for rid, date in _EUGENE_REQUESTS.items():
        assert date in found[rid], (rid, found[rid])
    # The descriptions (3 to 37 lines) stay in their request's record.
    assert sum(len(" ".join(map(str, e.values()))) > 200 for e in extras) >= 8
    # The requester is a person, not the agency; no column names the requester's agency.
    assert not records["agency_raw"].isin(["Seth", "Jaime Adame", "Alan Torres"]).any()
    assert "holds people's names" in notes, notes


def test_row_ids_misread_or_left_unread_are_read_again_from_their_cells() -> None:
    """Eugene pages 3 and 7: a dark bar down a row's edge glued to its id ('Jero-2025-s348')
    or read alone as 'i' with the id left out; the id cell read on its own gives the id, on
    the row's line, beside its request date."""
    path = corpus_file(
        "eugene-prr-log-imageonly", "EPD-2025-4537_report_JustFlockALPR_redacted.pdf"
    )
    expected = {2: ("EPD-2025-3348", "7/21/2025"), 6: ("EPD-2025-2763", "6/13/2025")}
    for index, (rid, date) in expected.items():
        content = ocr_page_content(path, index, None)
        lines = [[w.text for w in line] for line in group_lines(list(content.words))]
        row = next(line for line in lines if date in line)
        assert rid in row, (index + 1, row)
        ids = [t for line in lines for t in line if re.fullmatch(r"\w+-2025-\w+", t)]
        assert all(re.fullmatch(r"EPD-2025-\d{4}", t) for t in ids), (index + 1, ids)


def _ocr_eugene_pages_10_to_13(
    path: Path,
    index: int,
    password: str | None,
    *,
    languages: str | None = None,
    timeout: float | None = None,
) -> PageContent:
    """OCR pages 10-13 only; any other page is one OCR could not read (module-level)."""
    if not 9 <= index <= 12:
        raise OcrError(f"page {index + 1} left out of the test")
    return ocr_page_content(path, index, password, languages=languages, timeout=timeout)


def test_an_id_alone_on_its_page_is_read_in_the_shape_of_the_other_pages_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Eugene page 13 holds one request, its id glued to the row's dark edge bar and read
    'PEPD-2025-3772'; the page shows no column of ids to read it again by, the log's other
    pages do (EPD-2025-4378 ... on pages 10-12): it is read again from its cell as printed."""
    path = corpus_file(
        "eugene-prr-log-imageonly", "EPD-2025-4537_report_JustFlockALPR_redacted.pdf"
    )
    monkeypatch.setattr(document, "ocr_page_content", _ocr_eugene_pages_10_to_13)
    result = run([path], settings={"workers": 0})
    records = result.records
    on_13 = records[records["page"] == 13]
    assert len(on_13) == 1
    (extra,) = [json.loads(e) for e in on_13["extra"]]
    assert next(iter(extra.values())) == "EPD-2025-3772", extra
    assert on_13["date_raw"].iloc[0].startswith("8/18/2025"), on_13["date_raw"].iloc[0]
    notes = result.documents["notes"].iloc[0]
    assert "page 13: row id 'PEPD-2025-3772'" in notes, notes
