"""Column roles, headers and totals on generated tables written the way agencies export them.

Each test writes a file whose truth is known (the generator below picks the values), reads it
through extract_document and checks the records, so a wrong column taken shows as wrong counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

import openpyxl

from foialog.extract.blocks import CellValue
from foialog.extract.document import extract_document
from foialog.extract.record import Record
from foialog.extract.sources import Source
from foialog.extract.tables.roles import infer_roles
from foialog.pipeline import run

AGENCIES = [
    ("Springfield Police Department", "MO", "Missouri"),
    ("Springfield Fire Marshal", "IL", "Illinois"),
    ("Cass County Sheriff's Office", "NE", "Nebraska"),
    ("Ohio State Highway Patrol", "OH", "Ohio"),
    ("Denver Police Department", "CO", "Colorado"),
    ("Austin Police Department", "TX", "Texas"),
    ("Texas Department of Public Safety", "TX", "Texas"),
    ("Miami-Dade Police Department", "FL", "Florida"),
    ("Hamilton County Sheriff", "TN", "Tennessee"),
    ("Port Authority Police", "NY", "New York"),
    ("Boise Police Department", "ID", "Idaho"),
    ("Utah Highway Patrol", "UT", "Utah"),
]


def _records(path: Path) -> tuple[list[Record], list[str]]:
    result = extract_document(Source(path=path, name=path.name))
    assert result.status in ("ok", "partial"), result.error
    return result.records, result.notes


def _data(records: list[Record]) -> list[Record]:
    return [r for r in records if r.row_type == "data"]


def test_csv_row_numbers_account_ids_and_grand_total(tmp_path: Path) -> None:
    rng = random.Random(11)
    path = tmp_path / "export.csv"
    truth: list[tuple[str, int, str, str]] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Row", "Agency Name", "State", "Account ID", "Total Searches", "Last Login"])
        for i, (name, state, _) in enumerate(AGENCIES, 1):
            searches = rng.randint(1, 9000)
            when = dt.datetime(2023, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), 5)
            out.writerow(
                [i, name, state, str(rng.randint(10000, 99999)), searches,
                 when.strftime("%m/%d/%Y - %H:%M")]
            )  # fmt: skip
            truth.append((name, searches, when.date().isoformat(), f"US-{state}"))
        out.writerow(["", "Grand Total", "", "", sum(t[1] for t in truth), ""])
    records, notes = _records(path)
    data = _data(records)
    assert [(r.agency_raw, r.count, r.date, r.region) for r in data] == truth
    assert {r.metric for r in data} == {"searches"}
    assert [r.row_type for r in records].count("total") == 1
    assert any("matches the sum" in n for n in notes)


def test_state_column_fills_the_region_of_same_named_agencies(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    path.write_text(
        "Agency,Jurisdiction,Searches\n"
        "Springfield Police Department,Missouri,10\n"
        "Springfield Police Department,Illinois,20\n"
        "Springfield Police Department,OR,30\n"
        "Hamburg Police,Hamburg,40\n",
        encoding="utf-8",
    )
    records, _ = _records(path)
    assert [(r.agency_raw, r.region, r.country) for r in records] == [
        ("Springfield Police Department", "US-MO", "US"),
        ("Springfield Police Department", "US-IL", "US"),
        ("Springfield Police Department", "US-OR", "US"),
        ("Hamburg Police", "DE-HH", "DE"),
    ]


def test_xlsx_title_row_org_number_left_of_searches_and_formula_total(tmp_path: Path) -> None:
    rng = random.Random(12)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Customer usage report, 1 July 2023 - 30 September 2023"])
    ws.append([])
    ws.append(["Organization", "Org #", "Searches", "Seats", "Administrative Fees"])
    truth = []
    for name, _, _ in AGENCIES:
        searches = rng.randint(0, 900)
        ws.append([name, rng.randint(10000, 99999), searches, rng.randint(1, 40), 125.5])
        truth.append((name, searches))
    ws.append(["Total", None, f"=SUM(C4:C{3 + len(AGENCIES)})", None, None])
    path = tmp_path / "usage.xlsx"
    wb.save(path)
    records, _ = _records(path)
    data = _data(records)
    assert [(r.agency_raw, r.count) for r in data] == truth
    assert {r.metric for r in data} == {"searches"}
    # The title's range dates rows that have no date of their own.
    assert {(r.date, r.date_end) for r in data} == {("2023-07-01", "2023-09-30")}
    assert [r.row_type for r in records][-1] == "total"


def test_customer_codes_fees_and_yes_no_flags_take_no_role(tmp_path: Path) -> None:
    rng = random.Random(13)
    path = tmp_path / "clients.csv"
    truth = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Customer No.", "Fee ($)", "Organization", "Active", "Queries Run", "Trial"])
        for i, (name, _, _) in enumerate(AGENCIES):
            queries = rng.randint(1, 5000)
            out.writerow(
                [f"C-{90000 + i * 37}", f"${rng.randint(100, 900)}.00", name,
                 rng.choice(["Yes", "No"]), queries, rng.choice(["Y", "N"])]
            )  # fmt: skip
            truth.append((name, queries, ""))
    records, _ = _records(path)
    data = _data(records)
    assert [(r.agency_raw, r.count, r.country) for r in data] == truth
    assert {r.metric for r in data} == {"queries"}


def test_sparse_free_text_column_is_not_the_agency(tmp_path: Path) -> None:
    rng = random.Random(14)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    note = "If non-custodial records were provided by another agency, provide the agency name"
    ws.append(["Request ID", note, "Handling Division", "Received", "Requests"])
    truth = []
    for i in range(40):
        division = rng.choice(["Office of the Director", "Records Bureau", "Patrol Division"])
        received = dt.date(2019, 1 + i % 12, 1 + i % 27)
        extra = "State Police" if i % 13 == 0 else None
        ws.append([f"2019-{i:04d}", extra, division, received, 1])
        truth.append((division, received.isoformat()))
    path = tmp_path / "log.xlsx"
    wb.save(path)
    records, _ = _records(path)
    assert [(r.agency_raw, r.date) for r in _data(records)] == truth


def test_headers_with_colons_line_breaks_and_title_dates(tmp_path: Path) -> None:
    path = tmp_path / "colon.csv"
    path.write_text(
        "Audit export generated 01/02/2019\n"
        'Agency Name:,"Number of\nSearches:",Search Date:\n'
        "North Police Department,12,01/22/2019 - 08:56\n"
        "South Sheriff's Office,7,02/03/2019 - 17:01\n"
        "East Marshal Service,3,02/04/2019 - 09:30\n",
        encoding="utf-8",
    )
    records, _ = _records(path)
    assert [(r.agency_raw, r.count, r.date, r.time) for r in records] == [
        ("North Police Department", 12, "2019-01-22", "08:56:00"),
        ("South Sheriff's Office", 7, "2019-02-03", "17:01:00"),
        ("East Marshal Service", 3, "2019-02-04", "09:30:00"),
    ]
    assert {r.metric for r in records} == {"searches"}
    assert {r.date_label for r in records} == {"Search Date"}


def test_two_level_header_and_total_above_the_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Requests report 2021"])
    ws.append([None, "Requests", "Requests", None, "Outcome", "Outcome"])
    ws.append([None, "Number of requests", "Accounts specified", None, "Rejected", "Disclosed"])
    ws.merge_cells("B2:C2")
    ws.merge_cells("E2:F2")
    rows = [("Argentina", 382, 462, 40, 300), ("Austria", 145, 129, 13, 80), ("Chile", 9, 12, 1, 5)]
    ws.append(["TOTAL", sum(r[1] for r in rows), sum(r[2] for r in rows), None, 54, 385])
    for country, requests, accounts, rejected, disclosed in rows:
        ws.append([country, requests, accounts, None, rejected, disclosed])
    path = tmp_path / "lerr.xlsx"
    wb.save(path)
    records, notes = _records(path)
    data = _data(records)
    # A table of countries: the country is whom each row is about.
    assert [(r.agency_raw, r.country, r.count) for r in data] == [
        ("Argentina", "AR", 382), ("Austria", "AT", 145), ("Chile", "CL", 9)
    ]  # fmt: skip
    assert {r.metric for r in data} == {"requests"}
    assert any("matches the sum of the rows below" in n for n in notes), notes
    assert all("Accounts specified" not in r.agency_raw for r in records)


def test_summary_sheet_rows_are_not_agency_records(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Clients"
    ws.append(["Organization", "Account type", "Searches"])
    ws.append(["North Police Department", "Paid", 10])
    ws.append(["South Sheriff's Office", "Trial", 4])
    summary = wb.create_sheet("Summary")
    summary.append(["Account type", "Organizations", "Searches"])
    summary.append(["Paid", 1, 10])
    summary.append(["Trial", 1, 4])
    summary.append([])
    summary.append(["Total", 2, 14])
    path = tmp_path / "clients.xlsx"
    wb.save(path)
    records, _ = _records(path)
    assert [(r.agency_raw, r.count) for r in _data(records)] == [
        ("North Police Department", 10),
        ("South Sheriff's Office", 4),
    ]
    summary_rows = [r for r in records if r.sheet == "Summary"]
    assert [r.row_type for r in summary_rows] == ["summary", "summary", "total"]


def test_close_call_between_two_count_columns_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "Agency,Searches,Hits\nNorth Police,10,2\nSouth Police,20,9\nEast Police,30,4\n",
        encoding="utf-8",
    )
    records, notes = _records(path)
    assert [r.count for r in records] == [10, 20, 30]
    assert any("close call" in n and "'Hits'" in n for n in notes), notes
    review = run(path).review
    assert review is not None
    flagged = review[review["kind"] == "column role"]
    assert len(flagged) == 1
    assert "'Searches'" in flagged.iloc[0]["reason"]
    assert "'Hits'" in flagged.iloc[0]["reason"]


def test_reasons_name_the_evidence() -> None:
    header = ["#", "Org #", "Agency", "Searches", "Fee", "Foreign"]
    columns: list[list[CellValue]] = [
        [1, 2, 3, 4, 5],
        ["10021", "10534", "11872", "12001", "13555"],
        ["A Police", "B Sheriff", "C Police", "D Patrol", "E Police"],
        [5, 7, 9, 2, 1],
        ["$10.00", "$12.50", "$3.00", "$8.00", "$1.00"],
        ["No", "No", "Yes", "No", "No"],
    ]
    roles = infer_roles(header, columns, headerless=False)
    assert [r.role for r in roles] == ["other", "other", "agency", "count", "other", "other"]
    assert "row number" in roles[0].reason
    assert "identifier" in roles[1].reason
    assert "money" in roles[4].reason
    assert "yes/no" in roles[5].reason
    # A sum matching a printed total is named as evidence.
    summed = infer_roles(header, columns, headerless=False, totals=[[None, None, "Total", 24]])
    assert "printed total" in summed[3].reason


def test_headers_in_other_languages_name_the_counted_column() -> None:
    columns: list[list[CellValue]] = [
        ["1", "2", "3", "4", "5", "6"],
        ["Polizei Hamburg", "Polizei Bremen", "LKA Berlin", "BKA", "Zoll", "Polizei Kiel"],
        ["12", "40", "7", "1", "5", "9"],
        ["3", "8", "2", "9", "1", "4"],
    ]
    for header in (
        ["Nr.", "Behörde", "Anzahl Suchanfragen", "Nutzer"],
        ["N°", "Organisme", "Nombre de recherches", "Utilisateurs"],
        ["Nº", "Organismo", "Número de búsquedas", "Usuarios"],
        ["Nr", "Organisatie", "Aantal zoekopdrachten", "Gebruikers"],
    ):
        roles = infer_roles(header, columns, headerless=False)
        assert [r.role for r in roles] == ["other", "agency", "count", "other"], header
        assert roles[2].metric == "searches"


def test_subtotals_in_the_agency_column_and_a_grand_total(tmp_path: Path) -> None:
    path = tmp_path / "groups.tsv"
    path.write_text(
        "Rapporto di utilizzo – marzo 2019\n"
        "Numero di richieste\tOsservazioni\tNome dell'ente\tSituazione\n"
        "20\t\tKoninklijke Marechaussee\tAttivo\n"
        "7\t\tPolitie Eenheid Amsterdam\tInattivo\n"
        "27\t\tSubtotale NL\t\n"
        "8\tRecords provided by the county\tKomenda Wojewódzka Policji\tSospeso\n"
        "7\t\tKomenda Miejska Policji w Łodzi\tAttivo\n"
        "15\t\tSubtotale PL\t\n"
        "\t\t\t\n"
        "42\t\tTotale generale\t\n",
        encoding="utf-8",
    )
    records, notes = _records(path)
    assert [(r.agency_raw, r.count, r.date) for r in _data(records)] == [
        ("Koninklijke Marechaussee", 20, "2019-03"),
        ("Politie Eenheid Amsterdam", 7, "2019-03"),
        ("Komenda Wojewódzka Policji", 8, "2019-03"),
        ("Komenda Miejska Policji w Łodzi", 7, "2019-03"),
    ]
    assert [r.row_type for r in records].count("total") == 3
    assert not any("DOES NOT MATCH" in n for n in notes), notes
    assert any("matches the printed total in 3 of 3 checks" in n for n in notes), notes


def test_a_notes_sheet_gives_no_records_and_says_so(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    ws.append(["Agency", "Searches"])
    ws.append(["North Police Department", 4])
    notes_sheet = wb.create_sheet("Notes")
    notes_sheet.append(["Counts are searches run by users of each agency."])
    notes_sheet.append(["Agencies with no activity are not listed."])
    path = tmp_path / "with_notes.xlsx"
    wb.save(path)
    records, notes = _records(path)
    assert [(r.sheet, r.agency_raw, r.count) for r in records] == [
        ("Data", "North Police Department", 4)
    ]
    assert any(n.startswith("sheet 'Notes': no column holds") for n in notes), notes


def test_repeated_header_with_colons_and_dotted_totals(tmp_path: Path) -> None:
    path = tmp_path / "pt.tsv"
    path.write_text(
        "NÚMERO DE PEDIDOS:\tNOME DO ÓRGÃO:\tVALOR (EUR):\n"
        "2.068\tIllinois State Police\t2.387,50 EUR\n"
        "1.382\tPolícia Judiciária\t1.325,00 EUR\n"
        "NÚMERO DE PEDIDOS:\tNOME DO ÓRGÃO:\tVALOR (EUR):\n"
        "7\tGuarda Nacional Republicana\t4.825,00 EUR\n"
        "3.457\tSubtotal PT\t\n"
        "3.457\tEindtotaal\t\n",
        encoding="utf-8",
    )
    records, _ = _records(path)
    assert [(r.agency_raw, r.count) for r in _data(records)] == [
        ("Illinois State Police", 2068),
        ("Polícia Judiciária", 1382),
        ("Guarda Nacional Republicana", 7),
    ]
    assert [r.row_type for r in records].count("total") == 2


def test_footnotes_under_the_table_are_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        "Agency,Searches,Users\n"
        "North Police Department,12,3\n"
        '"Bureau of Alcohol, Tobacco, Firearms and Explosives",,\n'
        "Total,12,3\n"
        "* Counts are searches run by users of each agency.,,\n"
        "Agencies with no activity are not listed in this export.,,\n",
        encoding="utf-8",
    )
    records, _ = _records(path)
    assert [(r.agency_raw, r.count, r.row_type) for r in records] == [
        ("North Police Department", 12, "data"),
        ("Bureau of Alcohol, Tobacco, Firearms and Explosives", None, "data"),
        ("Total", 12, "total"),
    ]


def test_group_banners_carried_down_and_row_counts_in_total_labels(tmp_path: Path) -> None:
    path = tmp_path / "foia_log.csv"
    path.write_text(
        "Request ID,Requester Name,Organization,Requested Date,\n"
        "Request Type: Consultation,,,,\n"
        '24-00011-C,"Finn, D.",Office of Management and Budget,04/01/2024,\n'
        '24-00012-C,"Seidel, M.","FBI, Information Management Division",04/03/2024,\n'
        "Total No of Requests for 'Consultation' :2,,,,\n"
        "Request Type: FOIA,,,,\n"
        '24-00020-F,"Doe, J.",Example News,04/05/2024,\n'
        "Total No of Requests for 'FOIA' :3,,,,\n",
        encoding="utf-8",
    )
    records, notes = _records(path)
    data = _data(records)
    assert [(r.agency_raw, r.date) for r in data] == [
        ("Office of Management and Budget", "2024-04-01"),
        ("FBI, Information Management Division", "2024-04-03"),
        ("Example News", "2024-04-05"),
    ]
    assert [json.loads(r.extra)["Request Type"] for r in data] == ["Consultation"] * 2 + ["FOIA"]
    assert [r.row_type for r in records].count("total") == 2
    assert any("printed number of rows 2 matches the 2 rows above" in n for n in notes), notes
    assert any("printed number of rows 3 DOES NOT MATCH the 1 rows above" in n for n in notes)


def test_rates_and_shares_are_not_counts() -> None:
    header = ["Time period start", "Percentage of requests under seal", "Requests", "Hit rate"]
    columns: list[list[CellValue]] = [
        ["2021-07-01", "2021-01-01", "2020-07-01"],
        ["0.496", "0.548", "0.488"],
        ["120", "95", "101"],
        ["3", "4", "2"],
    ]
    roles = infer_roles(header, columns, headerless=False)
    assert [r.role for r in roles] == ["date", "other", "count", "other"]
    assert "rate or share" in roles[3].reason


def test_a_group_label_over_a_status_column_does_not_make_it_the_agency() -> None:
    # "Client" heads "Client Notes" and "Client Status" (a two-level header flattened): the
    # names are under "Administration", which no agency word names.
    header = ["Administration", "Client Notes", "Region", "Searches", "Client Status"]
    names: list[CellValue] = [
        "Koninklijke Marechaussee",
        "Metropolitan Police Service",
        "Europol",
        "Interpol",
    ]
    columns: list[list[CellValue]] = [
        names,
        ["", "Renewed after trial", "", ""],
        ["NL", "GB", "INT", "INT"],
        [10, 4, 14, 12],
        ["Trial", "Active", "Inactive", "Suspended"],
    ]
    roles = infer_roles(header, columns, headerless=False)
    assert roles[0].role == "agency"
    assert roles[4].role != "agency"


def test_redacted_names_fill_their_column_and_a_repeated_status_is_no_agency() -> None:
    # No header: a status repeated down the rows beside names, two of them redacted.
    status: list[CellValue] = ["Trial", "Active", "Suspended", "Trial", "Inactive", "Trial"]
    names: list[CellValue] = ["Bundeskriminalamt", "Bundespolizei", "Arma dei Carabinieri"]
    names += ["(b)(6), (b)(7)(C)"]
    names += ["(b)(6)", "Polícia Judiciária"]
    columns: list[list[CellValue]] = [status, names, [2247, 4481, 1203, 2276, 1765, 511]]
    roles = infer_roles(["", "", ""], columns, headerless=True)
    assert [r.role for r in roles] == ["other", "agency", "count"]
