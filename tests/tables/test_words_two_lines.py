"""Records printed on two lines (issue 18): a fixed-width listing whose every record runs on
a second line, in columns of its own, under the first, with no ruling between.

Each test prints such a listing with fpdf2 in Courier, field by field padded with spaces as
a mainframe report writes it, reads the PDF's text layer and checks that the table finder
gives one row per record holding every field of both lines, under both header lines.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fpdf import FPDF

from foialog.extract.readers.pdf.reader import read_pdf
from foialog.extract.readers.pdf.text import open_pdf, read_page
from foialog.extract.tables.words import WordTable, find_word_tables

#: (label, width in characters, indent of the value under its label) per field, per line.
FIRST = [("KIND", 10, 0), ("MAKER", 22, 0), ("MODEL", 14, 0), ("SIZE", 6, 0), ("STATE", 8, 0)]
SECOND = [("SERIAL", 12, 0), ("TAG NUMBER", 16, 3), ("FILE NUMBER", 21, 2), ("PLACE", 18, 0)]
WORDS = ["ALPHA", "BRAVO", "CEDAR", "DELTA", "EMBER", "FJORD", "GROVE", "HAZEL", "IVORY"]


def _value(rng: random.Random, k: int, line: int) -> str:
    """A field's value: names of one to three words, codes, and a file number that always
    starts alike ("GO SJ 2012-...")."""
    if line == 0:
        if k == 3:
            return rng.choice(["38", ".22", "12GA", "9MM", "7.65"])
        if k == 4:
            return rng.choice(["FOUND", "HELD", "SAFE"])
        return " ".join(rng.sample(WORDS, rng.randint(1, (1, 3, 2)[k])))
    if k == 0:
        return rng.choice(["REMOVED", str(rng.randint(100, 99999)), f"K{rng.randint(100, 9999)}"])
    if k == 1:
        return f"Tag#:SJ{rng.randint(1000, 9999)}-{rng.randint(1, 3)}"
    if k == 2:
        return f"GO SJ 2012-{rng.randint(1000000, 9999999)}"
    return "/".join(rng.sample(WORDS, 2))


def _line(fields: list[tuple[str, int, int]], texts: list[str]) -> str:
    return "".join(
        (" " * indent + text).ljust(width + 1)
        for (_, width, indent), text in zip(fields, texts, strict=True)
    ).rstrip()


def _print(
    path: Path, records: list[list[str]], *, blank: bool, pages: int = 1, headed: bool = True
) -> Path:
    """Print the listing: both header lines, each underlined with dashes, then the records;
    ``blank``: a blank line after each record; ``pages``: the records split over that many
    pages, the header printed again on each when ``headed``."""
    pdf = FPDF(unit="pt", format="Letter", orientation="L")
    pdf.set_font("Courier", size=8)
    share = -(-len(records) // pages)
    for page in range(pages):
        pdf.add_page()
        # A running title with the page's number, as the San Jose listing prints it.
        lines = [f"Page {page + 1}   FIREARM LISTING   Run 05/24/2016", ""]
        if page == 0 or headed:
            lines += [
                _line(FIRST, [label for label, _, _ in FIRST]),
                _line(FIRST, ["-" * width for _, width, _ in FIRST]),
                _line(SECOND, [label for label, _, _ in SECOND]),
                _line(SECOND, ["-" * (width - 2) for _, width, _ in SECOND]),
                "",
            ]
        for record in records[page * share : (page + 1) * share]:
            lines += [_line(FIRST, record[: len(FIRST)]), _line(SECOND, record[len(FIRST) :])]
            if blank:
                lines.append("")
        if page == pages - 1:
            lines += ["", "Flags = e (evidence) d (disposed)"]
        for n, text in enumerate(lines):
            if text:
                pdf.text(25, 40 + 8 * n, text)
    pdf.output(str(path))
    return path


def _records(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [
        [_value(rng, k, 0) for k in range(len(FIRST))]
        + [_value(rng, k, 1) for k in range(len(SECOND))]
        for _ in range(count)
    ]


def _tables(path: Path) -> tuple[list[WordTable], float]:
    with open_pdf(path, name=path.name, password=None) as document:
        content = read_page(document, 0)
    return find_word_tables(content.words, rules=content.rules), content.width


@pytest.mark.parametrize(("seed", "blank"), [(0, True), (1, True), (2, False), (3, False)])
def test_each_record_is_one_row_with_both_lines(tmp_path: Path, seed: int, blank: bool) -> None:
    records = _records(seed, 9)
    tables, width = _tables(_print(tmp_path / "listing.pdf", records, blank=blank))
    assert len(tables) == 1
    table = tables[0]
    labels = [label for label, _, _ in (*FIRST, *SECOND)]
    assert list(table.header) == labels
    assert [list(row.cells) for row in table.rows] == records
    # Each row's box is on the page and covers both its lines.
    for row in table.rows:
        x0, top, x1, bottom = row.box
        assert 0 <= x0 < x1 <= width
        assert bottom - top > 12  # two lines of 8 points
    assert table.box[2] <= width
    assert any("Flags" in note for note in table.notes)
    assert any("FIREARM LISTING" in line for line in table.title)


@pytest.mark.parametrize("headed", [True, False])
def test_a_listing_over_pages_is_one_table(tmp_path: Path, headed: bool) -> None:
    """Page 2, its header printed again or not, is cut at page 1's columns: one row a record,
    one table though the running title's page number differs."""
    records = _records(7, 14)
    path = _print(tmp_path / "pages.pdf", records, blank=True, pages=2, headed=headed)
    (table,) = read_pdf(path, path.name, None, ocr=None).tables
    labels = [label for label, _, _ in (*FIRST, *SECOND)]
    assert table.rows[0] == labels
    assert [list(r) for r in table.rows[1:]] == records
    assert table.row_pages[-1] == 2


def test_a_wrapped_cell_is_not_a_second_line(tmp_path: Path) -> None:
    """Names wrapped onto a second line line up with their own column: rows stay as they are."""
    pdf = FPDF(unit="pt", format="Letter", orientation="L")
    pdf.add_page()
    pdf.set_font("Courier", size=8)
    rows = [("Agency", "Queries", "Date")]
    lines = ["Agency".ljust(24) + "Queries".rjust(8) + "  Date"]
    for n in range(8):
        name = f"{WORDS[n]} County Sheriff"
        lines.append(name.ljust(24) + str(10 * n + 7).rjust(8) + f"  2020-01-{n + 10}")
        lines.append("Office of the Sheriff")
        rows.append((f"{name} Office of the Sheriff", str(10 * n + 7), f"2020-01-{n + 10}"))
    for n, text in enumerate(lines):
        pdf.text(25, 40 + 8 * n, text)
    path = tmp_path / "wrapped.pdf"
    pdf.output(str(path))
    tables, _ = _tables(path)
    assert len(tables) == 1
    assert [tuple(r.cells) for r in tables[0].rows] == rows[1:]


def test_one_line_records_are_left_alone(tmp_path: Path) -> None:
    """A listing of one line per record reads as before: no line is moved."""
    records = _records(5, 8)
    pdf = FPDF(unit="pt", format="Letter", orientation="L")
    pdf.add_page()
    pdf.set_font("Courier", size=8)
    lines = [_line(FIRST, [label for label, _, _ in FIRST])]
    lines += [_line(FIRST, record[: len(FIRST)]) for record in records]
    for n, text in enumerate(lines):
        pdf.text(25, 40 + 8 * n, text)
    path = tmp_path / "one.pdf"
    pdf.output(str(path))
    tables, width = _tables(path)
    assert len(tables) == 1
    assert [list(r.cells) for r in tables[0].rows] == [r[: len(FIRST)] for r in records]
    assert tables[0].box[2] <= width
