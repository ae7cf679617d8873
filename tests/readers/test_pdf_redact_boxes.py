"""Redaction boxes in text PDFs: a box with its exemption code printed on it, a box over text."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from foialog.extract.document import extract_document
from foialog.extract.readers.pdf.reader import read_pdf
from foialog.extract.readers.pdf.redaction import BOX_TEXT, apply_redactions
from foialog.extract.readers.pdf.text import open_pdf, read_page
from foialog.extract.sources import Source
from foialog.extract.tables.words import Word
from foialog.pipeline import run

ROWS = [
    ("Metro Police Department", "120", ""),
    ("County Sheriff", "45", "code"),
    ("Town 1 Police Department", "11", "hidden"),
    ("Town 2 Police Department", "12", ""),
    ("Town 3 Police Department", "13", "code"),
    ("Town 4 Police Department", "14", ""),
]


def _redacted_pdf(path: Path) -> None:
    """A ruled table whose agency cells are redacted two ways: a code in white, a box over text."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    widths, height = (240.0, 80.0), 18.0
    table = [("Agency", "Searches", ""), *ROWS]
    for i, (name, count, how) in enumerate(table):
        y = 80 + height * i
        pdf.rect(60, y, widths[0], height)
        pdf.rect(60 + widths[0], y, widths[1], height)
        if how != "code":
            pdf.text(64, y + 12, name)
        pdf.text(60 + widths[0] + widths[1] - 4 - pdf.get_string_width(count), y + 12, count)
        if how:
            pdf.set_fill_color(0, 0, 0)
            pdf.rect(61, y + 1, widths[0] - 2, height - 2, style="F")
        if how == "code":
            pdf.set_text_color(255, 255, 255)
            pdf.text(64, y + 12, "(b)(6)")
            pdf.set_text_color(0, 0, 0)
    path.write_bytes(bytes(pdf.output()))


def test_a_box_with_its_code_in_white_is_a_redaction_not_a_styled_cell(tmp_path: Path) -> None:
    path = tmp_path / "log.pdf"
    _redacted_pdf(path)
    blocks = read_pdf(path, path.name, None, ocr=None)
    (table,) = blocks.tables
    agencies = [row[0] for row in table.rows[1:]]
    counts = [row[1] for row in table.rows[1:]]
    assert counts == [count for _, count, _ in ROWS]
    assert agencies[1] == agencies[4] == f"{BOX_TEXT} (b)(6)"
    assert agencies[2] == BOX_TEXT
    # Only the box over real text is reported as text left under a redaction.
    hidden = [n for n in blocks.notes if "text under redaction box" in n]
    assert len(hidden) == 1
    assert f"{len(ROWS[2][0].replace(' ', ''))} characters" in hidden[0]


def test_redacted_agency_cells_give_records_with_the_code_and_no_agency(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    _redacted_pdf(leak / "log.pdf")
    records = run(leak, settings={"workers": 0, "cache": False}).records
    records = records[records["row_type"] == "data"] if "row_type" in records else records
    assert list(records["count"].astype(int)) == [int(c) for _, c, _ in ROWS]
    redacted = records[records["redacted"].astype(str) != ""]
    assert len(redacted) == 3
    assert set(redacted["agency_raw"].fillna("")) == {""}
    assert sorted(redacted["redacted"].astype(str))[0].count("(b)(6)") == 1


def test_only_words_under_a_box_are_replaced_and_a_code_label_is_kept() -> None:
    words = [
        Word("Agency", 10, 10, 40, 20),
        Word("(b)(7)(C)", 12, 30, 50, 40),
        Word("Secret", 12, 50, 40, 60),
        Word("Name", 45, 50, 70, 60),
    ]
    fills = [(10.0, 28.0, 90.0, 42.0), (10.0, 48.0, 90.0, 62.0), (10.0, 68.0, 90.0, 82.0)]
    kept, hidden = apply_redactions(words, fills, page=3)
    texts = [w.text for w in kept]
    assert texts == ["Agency", f"{BOX_TEXT} (b)(7)(C)", BOX_TEXT, BOX_TEXT]
    assert [(h.page, h.characters) for h in hidden] == [(3, 10)]


def test_the_box_word_stands_where_the_text_stood_not_over_the_whole_cell() -> None:
    # An empty box fills its cell to the edges; its word keeps away from the column gaps.
    (empty,), _ = apply_redactions([], [(100.0, 10.0, 300.0, 20.0)], page=1)
    assert (empty.x0, empty.x1) == (150.0, 250.0)
    # A box over text: the word spans the covered text.
    words = [Word("Polk", 104, 11, 124, 19), Word("County", 127, 11, 160, 19)]
    (over,), _ = apply_redactions(words, [(100.0, 10.0, 300.0, 20.0)], page=1)
    assert (over.x0, over.x1) == (104, 160)


def test_a_row_whose_count_is_a_redaction_box_is_not_taken_for_a_header(tmp_path: Path) -> None:
    path = tmp_path / "headerless.csv"
    names = [f"Town {k} Police Department" for k in range(10)]
    counts = [str(40 + 7 * k) for k in range(10)]
    counts[6] = BOX_TEXT
    lines = [
        f"{n},TX,C-{1000 + k},{k % 2 == 0},{c}"
        for k, (n, c) in enumerate(zip(names, counts, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = extract_document(Source(path=path, name=path.name))
    data = [r for r in result.records if r.row_type == "data"]
    assert [r.agency_raw for r in data] == names
    assert [r.count for r in data] == [None if c == BOX_TEXT else int(c) for c in counts]
    assert data[6].redacted == f"count:{BOX_TEXT}"


def test_a_footnote_under_a_headerless_table_is_not_its_header(tmp_path: Path) -> None:
    path = tmp_path / "footnoted.csv"
    names = [BOX_TEXT, "Georgia Bureau of Investigation", "Miami-Dade Police Department"]
    names += ["Gwinnett County Police Department", "U.S. Marshals Service"]
    lines = [f'"{n}","{k * 12},50 EUR",{100 + 61 * k}' for k, n in enumerate(names)]
    lines.append('"* Counts are searches run by users of each","agency.",')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = extract_document(Source(path=path, name=path.name))
    counted = [r for r in result.records if r.row_type == "data" and r.count is not None]
    assert [r.count for r in counted] == [100 + 61 * k for k in range(5)]
    assert counted[0].redacted == f"agency:{BOX_TEXT}"


def test_a_code_running_out_past_a_narrow_box_is_still_its_label() -> None:
    words = [Word("(b)(7)(C)", 102, 11, 140, 19), Word("Yes", 150, 11, 165, 19)]
    kept, hidden = apply_redactions(words, [(100.0, 10.0, 115.0, 20.0)], page=1)
    assert [w.text for w in kept] == ["Yes", f"{BOX_TEXT} (b)(7)(C)"]
    assert hidden == []


def test_a_data_row_under_headerless_rows_is_not_their_header(tmp_path: Path) -> None:
    # "1971" reads like a year label and "A-15628" like a code: still a row like those above.
    path = tmp_path / "headerless_codes.csv"
    rows = [
        ("1692", "A-84884", "", "Active", "Interpol"),
        ("4499", "A-67542", "LA", "Suspended", "Baton Rouge Police Department"),
        ("2224", "A-79240", "LA", "Active", "Louisiana State Police"),
        ("1971", "A-15628", "GA", "Active", "Georgia Bureau of Investigation"),
        ("5976", "A-79455", "IN", "Trial", "Hammond Police Department"),
        ("1761", "A-41812", "IN", "Active", "Indiana State Police"),
    ]
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    result = extract_document(Source(path=path, name=path.name))
    data = [r for r in result.records if r.row_type == "data"]
    assert [(r.agency_raw, r.count) for r in data] == [(r[4], int(r[0])) for r in rows]


def _overflow_pdf(path: Path) -> list[tuple[str, str, str]]:
    """An unruled table whose narrow count cells are redacted with a box and a code in white
    that runs out past the box over the next column; returns the rows a reader must give."""
    rows = [
        ("Mesa Police Department", "120", ""),
        ("Gendarmerie nationale", "875", "(b)(6), (b)(7)(C)"),
        ("Policía Nacional", "192", ""),
        ("Interpol", "66", "(b)(7)(C)"),
        ("Tempe Police Department", "45", ""),
    ]
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("Times", size=9)
    expected = []
    for i, (name, count, code) in enumerate(rows):
        y = 80 + 14.0 * i
        pdf.text(60, y + 10, name)
        if code:
            # The box fills the count cell; its code starts at the cell's left edge, in white.
            pdf.set_fill_color(0, 0, 0)
            pdf.rect(181, y + 1, 22, 12, style="F")
            pdf.set_text_color(255, 255, 255)
            pdf.text(183, y + 10, code)
            pdf.set_text_color(0, 0, 0)
        else:
            pdf.text(203 - pdf.get_string_width(count), y + 10, count)
        flag = "Yes" if i % 2 else "No"
        pdf.text(208, y + 10, flag)
        expected.append((name, f"{BOX_TEXT} {code.split(',')[0]}" if code else count, flag))
    path.write_bytes(bytes(pdf.output()))
    return expected


def test_a_code_in_white_running_out_past_a_narrow_box_stays_out_of_the_next_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "overflow.pdf"
    expected = _overflow_pdf(path)
    blocks = read_pdf(path, path.name, None, ocr=None)
    (table,) = blocks.tables
    assert [tuple(row) for row in table.rows] == expected


def test_white_text_on_no_background_is_not_read_and_white_text_on_a_box_is(
    tmp_path: Path,
) -> None:
    path = tmp_path / "white.pdf"
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(60, 100, "Visible")
    pdf.set_fill_color(20, 20, 20)
    pdf.rect(58, 120, 80, 16, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.text(60, 132, "Banner")
    pdf.text(200, 100, "Invisible words")
    path.write_bytes(bytes(pdf.output()))
    with open_pdf(path, name=path.name, password=None) as document:
        page = read_page(document, 0)
    assert sorted(w.text for w in page.words) == ["Banner", "Visible"]
    assert page.invisible_words == 2
    notes = read_pdf(path, path.name, None, ocr=None).notes
    assert (
        "2 word(s) printed in white on no background (invisible on the page) not read: "
        "pages 1" in notes
    )


def test_a_box_word_is_a_line_of_text_tall_not_as_tall_as_its_box() -> None:
    # A box padded round its cell would read as a larger font, whose word spaces are wider
    # than the column gaps beside it.
    words = [Word("Mesa", 10, 14, 30, 22), Word("45", 60, 14, 70, 22)]
    kept, _ = apply_redactions(words, [(35.0, 10.0, 55.0, 26.0)], page=1)
    (box,) = [w for w in kept if w.text == BOX_TEXT]
    assert (box.top, box.bottom) == (14.0, 22.0)
    # A code printed on a box stands in the box's middle, not where the code starts.
    code = Word("(b)(6)", 36, 14, 58, 22)
    kept, _ = apply_redactions([*words, code], [(35.0, 10.0, 55.0, 26.0)], page=1)
    (label,) = [w for w in kept if w.text.startswith(BOX_TEXT)]
    assert (label.x0, label.x1) == (40.0, 50.0)


def test_a_group_total_whose_count_is_partly_redacted_is_known_by_its_fees(tmp_path: Path) -> None:
    # "Total PT" could begin a name; its count cannot be checked (a count above is redacted)
    # but its fees add up to the cent.
    path = tmp_path / "groups.csv"
    lines = [
        "Status,Organization,Searches,Fee",
        'Active,Polícia Judiciária,████,"EUR 187,50"',
        "Suspended,Guarda Nacional Republicana,227,EUR 2625.00",
        "Trial,PSP Lisboa,158,EUR 1200.25",
        ",Total PT,543,EUR 4012.75",
    ]
    lines = [ln.replace('"EUR 187,50"', "EUR 187.50") for ln in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = extract_document(Source(path=path, name=path.name))
    kinds = [(r.agency_raw, r.row_type) for r in result.records]
    assert kinds[-1] == ("Total PT", "total")
    assert [k for _, k in kinds].count("data") == 3
