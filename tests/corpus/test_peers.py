"""The peers of bench/peers.py still run: each wrapper on one small generated file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fpdf import FPDF

from bench.peer_tools import afternoon_records, peers
from bench.peers import row_recall, write_between

ROWS = [
    ("Kent County Sheriff's Office", "1,204", "03/14/2020"),
    ("Riverside Police Department", "87", "04/02/2020"),
    ("Interpol", "320", "05/30/2020"),
]
TRUTH = [("Kent County Sheriff's Office", 1204, "2020-03-14"), ("Riverside Police Department", 87,
         "2020-04-02"), ("Interpol", 320, "2020-05-30")]  # fmt: skip


def _ruled_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 10, "Searches by agency, 2020", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(80, 30, 40)) as table:
        for row in [("Agency", "Searches", "Date"), *ROWS]:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def ruled_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _ruled_pdf(tmp_path_factory.mktemp("peers") / "clients.pdf")


@pytest.mark.parametrize("name", ["camelot", "pdfplumber", "tabula"])
def test_each_pdf_peer_reads_a_ruled_table(name: str, ruled_pdf: Path) -> None:
    peer = next(p for p in peers() if p.name == name)
    assert not peer.missing, peer.missing
    records = afternoon_records(peer.read(ruled_pdf), "clients.pdf")
    assert [(r["agency_raw"], r["count"], r["date"]) for r in records] == TRUTH


def test_pandas_peer_reads_csv_and_xlsx(tmp_path: Path) -> None:
    frame = pd.DataFrame(ROWS, columns=["Agency", "Searches", "Date"])
    frame.to_csv(tmp_path / "clients.csv", index=False, sep=";")
    frame.to_excel(tmp_path / "clients.xlsx", index=False)
    peer = next(p for p in peers() if p.name == "pandas")
    for name in ("clients.csv", "clients.xlsx"):
        records = afternoon_records(peer.read(tmp_path / name), name)
        assert [(r["agency_raw"], r["count"], r["date"]) for r in records] == TRUTH, name


def test_afternoon_script_skips_totals_and_tables_without_a_header() -> None:
    tables = [
        [["no", "header", "here"], ["1", "2", "3"]],
        [["Agency", "Searches"], ["Interpol", "320"], ["Total", "320"]],
    ]
    records = afternoon_records(tables, "x.pdf")
    assert [(r["agency_raw"], r["count"]) for r in records] == [("Interpol", 320)]


def test_row_recall_needs_every_cell_of_a_row_in_one_output_row() -> None:
    reference = pd.DataFrame(
        {"month": ["2020-01"] * 3, "state": ["Ohio", "Iowa", "Utah"], "n": ["1,204", "87", "5"]}
    )
    rows = [["Ohio", "1204"], ["Iowa", "88"], ["Utah 5 extra"]]
    # The constant month column is left out; Iowa's count is wrong.
    assert row_recall(reference, rows) == (2, 3)


def test_row_recall_leaves_out_a_column_carried_down_from_page_titles() -> None:
    # A month per page of 12 rows (the reference adds it to every row; no row prints it) is
    # left out; the state column, different on every row, is checked.
    states = [f"State {chr(65 + i)}" for i in range(12)]
    reference = pd.DataFrame(
        {
            "month": ["2023-09"] * 12 + ["2023-08"] * 12,
            "state": states * 2,
            "n": [str(i) for i in range(24)],
        }
    )
    rows = [[s, str(i)] for i, s in enumerate(states * 2)]
    rows[5] = ["State F", "999"]
    assert row_recall(reference, rows) == (23, 24)


def test_a_partial_run_is_written_after_the_full_runs_tables_and_leaves_them(
    tmp_path: Path,
) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text(
        "intro\n<!-- peers:start -->\nfull run\n<!-- peers:end -->\n\nNotes on the run above.\n"
        "\n## Next\n"
    )
    write_between(doc, "peers-partial", "corpus only", "peers")
    write_between(doc, "peers-partial", "corpus only, again", "peers")
    text = doc.read_text()
    assert "full run" in text
    assert "corpus only, again" in text
    assert "corpus only\n" not in text  # the second partial run replaced the first
    # The full run's notes stay beside it; the partial run goes before the next heading.
    assert text.index("Notes on the run above") < text.index("<!-- peers-partial:start -->")
    assert text.index("<!-- peers-partial:end -->") < text.index("## Next")
