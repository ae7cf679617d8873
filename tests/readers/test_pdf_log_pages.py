"""A PDF table with a timestamp on every row: read by the table finder or as an event log."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from foialog.extract.readers.pdf.reader import read_pdf

HEADER = ("No", "Identifier", "Subscribers", "Date", "Status", "Agency", "Searches")
ALIGN = "RLRLLLR"
ROWS = [
    ("1", "45266", "27", "12/1/2024 9:12 AM PST", "Suspended", "Colorado Bureau", "117"),
    ("2", "87793", "14", "4/4/2024 10:57 AM EST", "Inactive", "Mesa Police", "87"),
    ("3", "54380", "21", "8/24/2024 6:00 AM EST", "Active", "Illinois State Police", "52"),
    ("4", "44877", "58", "4/21/2024 9:31 AM PST", "Inactive", "Aurora Police Dept.", "147"),
    ("5", "85329", "10", "4/19/2024 3:49 PM UTC", "Inactive", "Tempe Police", "46"),
    ("6", "38999", "60", "1/20/2024 1:27 PM EST", "Trial", "King County Sheriff", "112"),
]


def _log_like_pdf(path: Path) -> None:
    """Columns as wide as their widest text plus 3 mm, text 0.8 mm inside, measured in the
    regular font: the header, printed in bold, runs wider, its labels less than a space
    apart ("Identifier Subscribers Date")."""
    pdf = FPDF(unit="mm", format="letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=8.5)
    widths = [
        max(pdf.get_string_width(t) for t in (HEADER[k], *(r[k] for r in ROWS))) + 3
        for k in range(len(HEADER))
    ]
    for i, row in enumerate([HEADER, *ROWS]):
        pdf.set_font("Helvetica", "B" if i == 0 else "", size=8.5)
        x, y = 12.0, 20.0 + 5.0 * i
        for k, text in enumerate(row):
            w = pdf.get_string_width(text)
            pdf.text(x + widths[k] - 0.8 - w if ALIGN[k] == "R" else x + 0.8, y, text)
            x += widths[k]
    path.write_bytes(bytes(pdf.output()))


def test_a_timestamped_table_keeps_the_columns_its_rows_show(tmp_path: Path) -> None:
    # The log reader cuts at the header's phrases, and "No Account Users Date" set a space
    # apart is one phrase; the table finder cuts at the columns the rows line up in.
    path = tmp_path / "usage.pdf"
    _log_like_pdf(path)
    (table,) = read_pdf(path, path.name, None, ocr=None).tables
    assert tuple(table.rows[0]) == HEADER
    assert [tuple(r) for r in table.rows[1:]] == ROWS
