"""An unruled table over pages, its header printed again on each: one table, cut as page 1 is.

A page holding the last row or two under the repeated header shows too little white space to
find its columns (a one-space gap between a fee and a name looks like a word space there);
it is read at the columns the first page's rows showed.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from foialog.extract.readers.pdf.reader import read_pdf

HEADER = (("Account", "L"), ("Searches", "R"), ("Fee", "R"), ("Agency", "L"))
ROWS = [
    (f"A-{10000 + 7 * k}", str(3 + 11 * k), f"${(k + 1) * 137.5:,.2f}", name)
    for k, name in enumerate(
        [
            "Eugene Police Department",
            "Lane County Sheriff's Office",
            "Oregon State Police",
            "Polk County Sheriff",
            "Springfield Police Department",
            "Marion County Sheriff's Office",
        ]
        * 6
    )
]


TOTAL = (
    "",
    str(sum(int(r[1]) for r in ROWS)),
    f"${sum(float(r[2][1:].replace(',', '')) for r in ROWS):,.2f}",
    "",
)


def _pdf(path: Path) -> Path:
    """Rows one space apart between the fee (right-aligned) and the agency; 35 rows on page
    1, the header, the last row and the total fee on page 2."""
    pdf = FPDF(unit="pt", format="Letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    texts = [tuple(t for t, _ in HEADER), *ROWS, TOTAL]
    widths = [max(pdf.get_string_width(row[k]) for row in texts) for k in range(4)]
    space = pdf.get_string_width(" ") * 1.3
    starts = [40.0, 40 + widths[0] + 12]
    starts += [starts[1] + widths[1] + 12, starts[1] + widths[1] + 12 + widths[2] + space]

    def line(row: tuple[str, ...], y: float) -> None:
        for k, text in enumerate(row):
            x = starts[k] + (widths[k] - pdf.get_string_width(text) if HEADER[k][1] == "R" else 0)
            pdf.text(x, y, text)

    for page in (ROWS[:35], [*ROWS[35:], TOTAL]):
        pdf.add_page()
        line(tuple(t for t, _ in HEADER), 60)
        for i, row in enumerate(page):
            line(row, 78 + 15 * i)
    path.write_bytes(bytes(pdf.output()))
    return path


def test_a_page_under_a_repeated_header_is_cut_at_the_first_pages_columns(tmp_path: Path) -> None:
    blocks = read_pdf(_pdf(tmp_path / "two_pages.pdf"), "two_pages.pdf", None, ocr=None)
    (table,) = blocks.tables
    assert table.rows[0] == ["Account", "Searches", "Fee", "Agency"]
    assert [list(r) for r in table.rows[1:]] == [list(r) for r in [*ROWS, TOTAL]]
    assert table.row_pages[-2:] == [2, 2]
