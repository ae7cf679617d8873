"""A ruled table over pages whose first column is blank on a page but for its label (issue 18).

Page 2 prints the header again, and its Notes column holds no note: the rules and the label
still draw the column, so page 2's table is as wide as page 1's and carries it on (one
table, its title read for both pages), instead of a narrower table of its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from foialog.extract.readers.pdf.reader import read_pdf

HEADER = ("Notes", "Account", "Organization", "Hits")
WIDTHS = (40.0, 25.0, 70.0, 20.0)
NAMES = ["Mesa PD", "Oregon State Police", "Lane County Sheriff's Office", "Austin PD"]


def _rows(page: int, notes: bool) -> list[tuple[str, ...]]:
    return [
        ("renewed" if notes and k == 1 else "", f"{50871 + 97 * k + page}", name, f"{1200 + k}")
        for k, name in enumerate(NAMES * 2)
    ]


def _pdf(path: Path, notes_on_page_two: bool) -> Path:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_font("Helvetica", size=9)
    for page in range(2):
        pdf.add_page()
        if page == 0:
            pdf.set_xy(15, 15)
            pdf.cell(0, 6, "Customer usage report - 2020-03-19")
        pdf.set_xy(15, 25)
        for text, width in zip(HEADER, WIDTHS, strict=True):
            pdf.cell(width, 7, text, border=1)
        for row in _rows(page, notes=page == 0 or notes_on_page_two):
            pdf.ln()
            pdf.set_x(15)
            for text, width in zip(row, WIDTHS, strict=True):
                pdf.cell(width, 7, text, border=1)
    path.write_bytes(bytes(pdf.output()))
    return path


@pytest.mark.parametrize("notes_on_page_two", [False, True])
def test_a_blank_ruled_column_keeps_the_page_in_the_table(
    tmp_path: Path, notes_on_page_two: bool
) -> None:
    path = _pdf(tmp_path / "usage.pdf", notes_on_page_two)
    (table,) = read_pdf(path, path.name, None, ocr=None).tables
    assert table.rows[0] == list(HEADER)
    expected = [*_rows(0, True), *_rows(1, notes_on_page_two)]
    assert [tuple(r) for r in table.rows[1:]] == expected
    assert table.row_pages[-1] == 2
