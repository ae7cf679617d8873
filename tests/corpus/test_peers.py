"""The peers of bench/peers.py still run: each wrapper on one small generated file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fpdf import FPDF

from bench.peer_tools import afternoon_records, peers
from bench.peers import first_of_month, remove_between, row_recall, write_between

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


@pytest.mark.parametrize(
    ("printed", "found"),
    [("98 452", 1), ("98\u00a0452", 1), ("98452", 1), ("98,452", 1), ("98 453", 0), ("98", 0)],
)
def test_row_recall_reads_thousands_set_apart_by_a_space(printed: str, found: int) -> None:
    # Some pages print "98 452": a tool that keeps the value as printed scores as one that
    # joins it, and the same rule holds for every tool.
    reference = pd.DataFrame({"state": ["California", "Ohio"], "n": ["98,452", "7"]})
    assert row_recall(reference, [["California", printed], ["Ohio", "7"]]) == (1 + found, 2)


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


def test_a_full_run_takes_out_an_older_partial_runs_tables(tmp_path: Path) -> None:
    doc = tmp_path / "accuracy.md"
    doc.write_text("intro\n<!-- peers:start -->\nold\n<!-- peers:end -->\n\nNotes.\n\n## Next\n")
    write_between(doc, "peers-partial", "partial tables", "peers")
    write_between(doc, "peers", "new full run")
    remove_between(doc, "peers-partial")
    text = doc.read_text()
    assert "partial tables" not in text
    assert "peers-partial" not in text
    assert (
        text
        == "intro\n<!-- peers:start -->\nnew full run\n<!-- peers:end -->\n\nNotes.\n\n## Next\n"
    )
    remove_between(doc, "peers-partial")  # nothing to take out: the doc stays as it is
    assert doc.read_text() == text


@pytest.mark.parametrize(
    ("given", "truth", "scored"),
    [
        ("2024-03-01", "2024-03", "2024-03"),  # the first of the month stands for the month
        ("2024-03-04", "2024-03", "2024-03-04"),  # another day is a wrong day
        ("2024-04-01", "2024-03", "2024-04-01"),  # another month
        ("2024-03-01", "2024-03-01", "2024-03-01"),  # a day's truth is left to the scorer
        ("2024-03", "2024-03-01", "2024-03"),  # a month where the truth is a day stays wrong
        ("", "2024-03", ""),
    ],
)
def test_first_of_month_is_the_month_where_the_truth_gives_a_month(
    given: str, truth: str, scored: str
) -> None:
    records = pd.DataFrame(
        {
            "source_file": ["a.pdf", "a.pdf"],
            "agency_raw": ["Kent County  Sheriff's Office", "Interpol"],
            "count": pd.array([1204, 320], dtype="Int64"),
            "date": [given, given],
        }
    )
    rows = [("a.pdf", "kent county sheriff's office", 1204, truth)]
    # Only the row whose file, agency and count match the truth row is read as a month.
    assert first_of_month(records, rows)["date"].tolist() == [scored, given]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # "Agency" before "State"; "Searches" before "Acct #"; a month with no day is a month.
        (
            [["State", "Acct #", "Agency", "Searches", "Month"], ["TX", "0123", "Mesa PD", "87",
             "March 2024"]],
            ("Mesa PD", 87, "2024-03"),
        ),
        # Day first where the column shows it (a first number above 12); German month names.
        (
            [["Behörde", "Anzahl Anfragen", "Datum"], ["Bundespolizei", "1.234", "14/03/2024"],
             ["Europol", "5", "05/03/2024"], ["Interpol", "6", "7. März 2024"]],
            ("Europol", 5, "2024-03-05"),
        ),
        # A header printed on two lines, the count's name on the second.
        ([["Organisatie", "Uitgevoerde"], ["", "bevragingen"], ["Politie", "12"]],
         ("Politie", 12, "")),
    ],
)  # fmt: skip
def test_afternoon_script_reads_what_a_reporter_sees_after_opening_the_file(
    table: list[list[str]], expected: tuple[str, int, str]
) -> None:
    records = afternoon_records([table], "x.pdf")
    assert expected in [(r["agency_raw"], r["count"], r["date"]) for r in records]


def test_afternoon_script_keeps_a_redacted_name_and_drops_totals_in_any_language() -> None:
    table = [
        ["Nr.", "Kunde", "Suchanfragen"],
        ["1", "Bundespolizei", "12"],
        ["2", "", "7"],
        ["", "", ""],
        ["", "Zwischensumme DE", "19"],
        ["Gesamt", "", "19"],
    ]
    records = afternoon_records([table], "x.csv")
    assert [(r["agency_raw"], r["count"]) for r in records] == [("Bundespolizei", 12), ("", 7)]


def test_title_lines_above_a_csv_table_do_not_hide_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Exported by admin\nSearches by agency, March 2024\nAgency;Searches\nInterpol;320\n"
    )
    peer = next(p for p in peers() if p.name == "pandas")
    records = afternoon_records(peer.read(path), path.name)
    assert [(r["agency_raw"], r["count"], r["date"]) for r in records] == [
        ("Interpol", 320, "2024-03")
    ]


def test_afternoon_script_joins_a_name_wrapped_onto_a_row_of_its_own() -> None:
    table = [
        ["Agency", "Searches", "Date"],
        ["Kent County Sheriff's", "1,204", "03/14/2020"],
        ["Office", "", ""],
        ["Interpol", "320", "05/30/2020"],
        ["", "", ""],
        ["Europol", "", ""],  # after a blank row: a row of its own, not a continuation
    ]
    records = afternoon_records([table], "x.pdf")
    assert [(r["agency_raw"], r["count"]) for r in records] == [
        ("Kent County Sheriff's Office", 1204),
        ("Interpol", 320),
        ("Europol", None),
    ]


def test_the_bench_compiles_foialogs_bytecode_through_the_linked_folders() -> None:
    # foialog.extract lives in extract/ behind a link: its bytecode must be where an import
    # through the link looks for it, or every fresh foialog process compiles it again.
    import importlib.util

    import foialog.extract.document as document
    from bench.peers import compile_bytecode

    assert compile_bytecode()
    cached = Path(importlib.util.cache_from_source(document.__file__))
    assert cached.exists()
    source = Path(document.__file__)
    assert cached.stat().st_mtime >= source.stat().st_mtime
