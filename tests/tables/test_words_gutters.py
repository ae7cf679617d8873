"""Columns set one space apart (issue 11): found from words aligned down the rows.

Each test draws a small table with fpdf2, as a report writer prints it (left-aligned text,
right-aligned numbers, one space or a little more between columns), reads the PDF's text
layer and checks the rows the table finder gives.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from foialog.extract.readers.pdf.text import open_pdf, read_page
from foialog.extract.tables.words import WordTable, find_word_tables

#: (text, "L" or "R") per cell; a cell may be "" (empty).
Cell = tuple[str, str]


def _draw(
    path: Path,
    rows: list[list[Cell]],
    *,
    font: str = "Helvetica",
    size: float = 11,
    gap: float = 1.2,
    notes: tuple[str, ...] = (),
    wrap: int | None = None,
    padding: float = 0.0,
    spacers: tuple[int, ...] = (),
) -> Path:
    """Print rows as an unruled table: columns as wide as their widest text, ``gap`` mm apart.

    ``wrap``: the column whose text breaks onto a new line at each " / " (a wrapped name);
    ``padding``: mm between rows, over the line spacing; ``spacers``: rows followed by a
    blank row as tall as a row of three lines.
    """
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.set_font(font, size=size)
    width = len(rows[0])
    parts = [
        [text.split(" / ") if k == wrap else [text] for k, (text, _) in enumerate(row)]
        for row in rows
    ]
    widths = [
        max(pdf.get_string_width(line) for row in parts for line in row[k]) for k in range(width)
    ]
    pitch = size * 0.45
    y = 30.0
    for n, (row, lines) in enumerate(zip(rows, parts, strict=True)):
        x = 15.0
        for k, ((_, align), texts) in enumerate(zip(row, lines, strict=True)):
            for j, text in enumerate(texts):
                if text:
                    w = pdf.get_string_width(text)
                    pdf.text(x + (widths[k] - w if align == "R" else 0), y + j * pitch, text)
            x += widths[k] + gap
        y += pitch * max(len(t) for t in lines) + padding
        if n in spacers:
            y += 3 * pitch + padding
    for note in notes:  # right under the table, as close as its rows
        pdf.text(15, y, note)
        y += pitch
    path.write_bytes(bytes(pdf.output()))
    return path


def _table(path: Path) -> WordTable:
    with open_pdf(path, name=path.name, password=None) as document:
        page = read_page(document, 0)
    (table,) = find_word_tables(page.words, rules=page.rules)
    return table


_CODES = [
    ("50", "A-68501", "US", "Drug Enforcement Administration"),
    ("41", "A-27642", "IN", "Lake County Sheriff's Office"),
    ("149", "A-19118", "CO", "Colorado Bureau of Investigation"),
    ("43", "A-41533", "MO", "Kansas City, Missouri Police Department"),
    ("47", "A-97664", "AZ", "Phoenix Police Department"),
    ("228", "A-79266", "PA", "Bucks County District Attorney's Office"),
]


def test_columns_one_space_apart_are_cut_where_their_words_line_up(tmp_path: Path) -> None:
    header = [("Suchanfragen", "R"), ("Kundennr.", "L"), ("Land", "L"), ("Kunde", "L")]
    rows = [header] + [
        [(count, "R"), (code, "L"), (state, "L"), (name, "L")]
        for count, code, state, name in _CODES
    ]
    table = _table(_draw(tmp_path / "codes.pdf", rows))
    assert table.header == ("Suchanfragen", "Kundennr.", "Land", "Kunde")
    assert [r.cells for r in table.rows] == [tuple(r) for r in _CODES]


def test_two_number_columns_one_space_apart_split_under_their_labels(tmp_path: Path) -> None:
    header = [("Organization", "L"), ("Queries", "R"), ("Account", "L")]
    data = [
        ("Irvine Police Dept.", "45", "15663"),
        ("California Highway Patrol", "65", "61677"),
        ("San Diego Police Department", "147", "52453"),
        ("Seattle Police Department", "61", "69443"),
    ]
    rows = [header] + [[(a, "L"), (c, "R"), (n, "L")] for a, c, n in data]
    table = _table(_draw(tmp_path / "numbers.pdf", rows, gap=2.5))
    assert table.header == ("Organization", "Queries", "Account")
    assert [r.cells for r in table.rows] == data


def test_a_number_split_into_digit_groups_stays_one_number(tmp_path: Path) -> None:
    header = [("Agency", "L"), ("Searches", "R")]
    data = [
        ("Bundespolizei", "12 345"),
        ("Europol", "1 204"),
        ("Interpol", "98 765"),
        ("Guardia Civil", "310"),
        ("Ertzaintza", "4 521"),
    ]
    # The digit groups stand a no-break space apart, as a French or German report prints them.
    rows = [header] + [[(a, "L"), (c.replace(" ", "\u00a0"), "R")] for a, c in data]
    table = _table(_draw(tmp_path / "groups.pdf", rows, font="Courier", gap=6))
    assert [r.cells for r in table.rows] == data


def test_a_date_and_its_time_stay_one_cell_in_a_fixed_width_font(tmp_path: Path) -> None:
    # In Courier every word of every line sits on one grid: alignment alone proves nothing.
    header = [("Period", "L"), ("Agency", "L"), ("Searches", "R")]
    data = [
        ("15 August 2017 10:22 AM", "Eugene Police Department", "12"),
        ("03 March 2017 09:01 PM", "Lane County Sheriff", "7"),
        ("21 April 2017 11:45 AM", "Oregon State Police", "310"),
        ("11 June 2017 08:30 AM", "Polk County Sheriff", "56"),
    ]
    rows = [header] + [[(d, "L"), (a, "L"), (c, "R")] for d, a, c in data]
    table = _table(_draw(tmp_path / "dates.pdf", rows, font="Courier", size=9, gap=3))
    assert [r.cells for r in table.rows] == data


def test_a_flag_one_space_after_a_wrapped_name_is_its_own_column(tmp_path: Path) -> None:
    # No header; the name wraps onto a second line; the flag column stands a space away.
    data = [
        ("181", "King County Sheriff's / Office", "No"),
        ("187", "Eugene Police / Department", "Yes"),
        ("375", "Denver Police / Department", "No"),
        ("232", "Maricopa County / Attorney's Office", "Yes"),
        ("319", "U.S. Marshals Service", "No"),
        ("689", "Seattle Police / Department", "Yes"),
    ]
    rows = [[(c, "R"), (a, "L"), (f, "L")] for c, a, f in data]
    path = _draw(
        tmp_path / "flags.pdf",
        rows,
        size=8,
        wrap=1,
        notes=("* Counts are searches run by users of each agency, as the vendor reported them.",),
    )
    table = _table(path)
    assert [r.cells for r in table.rows] == [(c, a.replace(" / ", " "), f) for c, a, f in data]
    assert table.notes == (
        "* Counts are searches run by users of each agency, as the vendor reported them.",
    )


def test_a_subtotal_under_an_empty_first_column_is_a_row_of_its_own(tmp_path: Path) -> None:
    data = [
        ("ORG-52955", "No", "2.035", "Bundespolizei"),
        ("ORG-90730", "Yes", "1.837", "Bundeskriminalamt"),
        ("", "", "3.872", "Subtotale DE"),
        ("ORG-42317", "No", "1.712", "Koninklijke Marechaussee"),
        ("ORG-81782", "Yes", "1.580", "Politie Eenheid Amsterdam"),
        ("", "", "3.292", "Subtotale NL"),
    ]
    rows = [[(a, "L"), (f, "L"), (c, "R"), (n, "L")] for a, f, c, n in data]
    table = _table(_draw(tmp_path / "subtotals.pdf", rows, font="Times", size=7, gap=3))
    assert [r.cells for r in table.rows] == data


def test_a_count_and_an_account_number_a_space_apart_with_no_header(tmp_path: Path) -> None:
    # Right-aligned counts end at one x, left-aligned account numbers start at one x.
    data = [
        ("182", "08460", "Alaska State Troopers"),
        ("7", "01600", "Anchorage Police Department"),
        ("1,204", "66647", "Gendarmerie nationale"),
        ("26", "27419", "Police nationale"),
        ("42", "59977", "Denver Police Department"),
    ]
    rows = [[(c, "R"), (n, "L"), (a, "L")] for c, n, a in data]
    table = _table(_draw(tmp_path / "accounts.pdf", rows, gap=4))
    assert table.header == ()
    assert [r.cells for r in table.rows] == data


def test_blank_rows_between_wrapped_rows_leave_one_table_under_its_header(tmp_path: Path) -> None:
    # Rows of three lines with padding stand far apart; a blank row after the header and
    # between rows is a row's height, more than three lines: still one table, one header.
    data = [
        ("1", "Landeskriminalamt / Baden / Württemberg", "173"),
        ("2", "Policía de / Investigaciones / de Chile", "756"),
        ("3", "Service de / police de la Ville / de Montréal", "159"),
        ("4", "Royal Canadian / Mounted / Police", "175"),
        ("5", "Policía / Municipal de / Málaga", "157"),
    ]
    header = [("#", "R"), ("Department", "L"), ("Hits", "R")]
    rows = [header] + [[(n, "R"), (a, "L"), (c, "R")] for n, a, c in data]
    path = _draw(tmp_path / "spaced.pdf", rows, size=8, wrap=1, padding=3, spacers=(0, 2))
    table = _table(path)
    assert table.header == ("#", "Department", "Hits")
    assert [r.cells for r in table.rows] == [(n, a.replace(" / ", " "), c) for n, a, c in data]


def test_a_date_whose_month_and_day_line_up_is_no_number_column(tmp_path: Path) -> None:
    # Dates of one form line up ("Mar 07, 2018", "Dec 12, 2019"): the space after the month
    # then runs down most rows beside a number (the day), but the month is no name and the
    # day no count.
    header = [("Org ID", "L"), ("Agency Name", "L"), ("Total Searches", "R"), ("Last Login", "L")]
    data = [
        ("A9754", "Mitchell Heights Police Department", "35", "Mar 07, 2018 08:06 PM"),
        ("A3279", "Cornwall-on-Hudson Village Police", "238754", "Sep 28, 2023 07:23 PM"),
        ("A6758", "Aztec Police Department, NM", "1016", "Dec 12, 2019 07:53 PM"),
        ("A1620", "Biscoe Police Department", "704", "Mar 13, 2020 05:35 AM"),
        ("A7681", "Hazlet Township Police Department", "69546", "Dec 08, 2023 12:17 PM"),
        ("A7152", "Sellersburg Police Department", "41", "Oct 20, 2020 06:42 PM"),
        (
            "A4174",
            "Harrison County Drug and Violent Crime Task Force, WV",
            "15",
            "Oct 22, 2021 08:48 AM",
        ),
        ("A2027", "Herculaneum Police Department, MO", "168582", "Feb 16, 2023 08:29 AM"),
    ]
    rows = [header] + [[(i, "L"), (a, "L"), (c, "R"), (d, "L")] for i, a, c, d in data]
    table = _table(_draw(tmp_path / "logins.pdf", rows, size=9, gap=6))
    assert table.header == tuple(text for text, _ in header)
    assert [r.cells for r in table.rows] == data


_MONTHS = [
    ("September 2019", "Mesa PD", "49"),
    ("January 2019", "Bucks County District Attorney's Office", "175"),
    ("June 2019", "U.S. Immigration & Customs Enforcement", "177"),
    ("November 2019", "Tempe Police Department", "235"),
    ("March 2019", "Pennsylvania State Police", "45"),
    ("May 2019", "Phoenix Police Department", "1,204"),
]


def test_row_numbers_before_months_are_a_column_though_they_read_as_days(
    tmp_path: Path,
) -> None:
    # "1 September 2019" reads as a date; 1, 2, 3 ... down the lines are row numbers, set
    # closer to the month than a space in a fixed-width font.
    header = [("Row", "R"), ("Month", "L"), ("Searches", "R"), ("Organization", "L")]
    rows = [header] + [
        [(str(n), "R"), (m, "L"), (c, "R"), (a, "L")]
        for n, (m, a, c) in enumerate(_MONTHS, start=1)
    ]
    table = _table(_draw(tmp_path / "rows.pdf", rows, font="Courier", gap=1.6))
    assert table.header == ("Row", "Month", "Searches", "Organization")
    assert [r.cells for r in table.rows] == [
        (str(n), m, c, a) for n, (m, a, c) in enumerate(_MONTHS, start=1)
    ]


def test_days_running_day_by_day_stay_part_of_their_dates(tmp_path: Path) -> None:
    # A daily log: "1 September 2019", "2 September 2019" ... are dates, not row numbers.
    header = [("Day", "L"), ("Organization", "L"), ("Searches", "R")]
    data = [(f"{d} September 2019", a, c) for d, (_, a, c) in enumerate(_MONTHS, start=1)]
    rows = [header] + [[(d, "L"), (a, "L"), (c, "R")] for d, a, c in data]
    table = _table(_draw(tmp_path / "daily.pdf", rows, font="Courier", gap=4))
    assert [r.cells for r in table.rows] == data


def test_a_title_in_a_larger_font_holding_a_date_is_no_row_of_the_table(
    tmp_path: Path,
) -> None:
    # "Export: 2020-01-05 14:22" over a table with no header, in a larger font: its two
    # phrases and date make it look like a row, and it would run across every gutter.
    path = tmp_path / "titled.pdf"
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.set_font("Times", size=12)
    pdf.text(15, 20, "Export:")
    pdf.text(31, 20, "2020-01-05 14:22")
    pdf.set_font("Times", size=9)
    data = [(str(n), c, f"A-{70000 + 311 * n}", a) for n, (_, a, c) in enumerate(_MONTHS, 1)]
    for k, row in enumerate(data):
        y = 30 + 5.5 * k
        pdf.text(20 - pdf.get_string_width(row[0]), y, row[0])
        pdf.text(34 - pdf.get_string_width(row[1]), y, row[1])
        pdf.text(37, y, row[2])
        pdf.text(55, y, row[3])
    path.write_bytes(bytes(pdf.output()))
    table = _table(path)
    assert table.title == ("Export:", "2020-01-05 14:22")
    assert [r.cells for r in table.rows] == data


def test_a_count_before_month_dates_under_labels_of_their_own_is_cut(tmp_path: Path) -> None:
    # "17 décembre 2021" reads as a date, but "Recherches" ends where the counts end and
    # "Date de recherche" starts where the months start: a count, then a month.
    header = [("Administration", "L"), ("Recherches", "R"), ("Date de recherche", "L")]
    data = [
        ("Federal Bureau of Investigation", "17", "décembre 2021"),
        ("King County Sheriff's Office", "35", "juillet 2021"),
        ("Europol", "20", "mars 2021"),
        ("Interpol", "22", "octobre 2021"),
        ("Guardia Civil", "14", "février 2021"),
    ]
    rows = [header] + [[(a, "L"), (c, "R"), (d, "L")] for a, c, d in data]
    table = _table(_draw(tmp_path / "months.pdf", rows, font="Times", size=9, gap=1.6))
    assert table.header == ("Administration", "Recherches", "Date de recherche")
    assert [r.cells for r in table.rows] == data


def test_a_bold_label_run_over_its_cells_rule_is_cut_at_the_rule(tmp_path: Path) -> None:
    # Columns measured in the regular font; the bold header runs wider and touches the next
    # label across the rule ("Account-IDGebruikers" in the text layer).
    path = tmp_path / "ruled.pdf"
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    header = ("Account-ID", "Gebruikers", "Zoekopdrachten")
    data = [("04855", "16", "42"), ("00225", "46", "64"), ("08393", "14", "50")]
    pdf.set_font("Times", size=10)
    widths = [pdf.get_string_width(h) + 1.6 for h in header]
    for i, row in enumerate([header, *data]):
        pdf.set_font("Times", "B" if i == 0 else "", size=10)
        x, y = 20.0, 20.0 + 6 * i
        for k, text in enumerate(row):
            right = k > 0  # numbers and their labels right-aligned
            w = pdf.get_string_width(text)
            pdf.text(x + widths[k] - 0.3 - w if right else x + 0.3, y + 4, text)
            if k:
                pdf.line(x, y, x, y + 6)
            x += widths[k]
    path.write_bytes(bytes(pdf.output()))
    table = _table(path)
    assert table.header == header
    assert [r.cells for r in table.rows] == data


def test_rows_in_a_larger_font_than_the_rest_of_the_page_are_still_rows(tmp_path: Path) -> None:
    # A dashboard report: many lines of small print around a short table in a larger font.
    path = tmp_path / "dashboard.pdf"
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=7)
    for k in range(12):
        pdf.text(15, 15 + 3.5 * k, f"Report detail line {k} of the dashboard export settings")
    pdf.set_font("Helvetica", size=11)
    data = [("1", "Detections", "4944782"), ("2", "Hits", "34606")]
    for k, (n, kind, count) in enumerate([("Contributor", "Record Type", "Records"), *data]):
        y = 70 + 8 * k
        pdf.text(20, y, n)
        pdf.text(70, y, kind)
        pdf.text(150 - pdf.get_string_width(count), y, count)
    path.write_bytes(bytes(pdf.output()))
    with open_pdf(path, name=path.name, password=None) as document:
        page = read_page(document, 0)
    tables = find_word_tables(page.words, rules=page.rules)
    assert [r.cells for t in tables for r in t.rows][-2:] == data
