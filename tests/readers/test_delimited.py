"""Delimited text: table or prose, stacked tables, long cells, and what the records become."""

from __future__ import annotations

from pathlib import Path

import pytest

from foialog.errors import ReadError
from foialog.extract.document import extract_document
from foialog.extract.readers.delimited import detect_delimiter, read_delimited, split_tables
from foialog.extract.sources import Source, sniff

# A news story: quotes, commas and a semicolon in every paragraph, some paragraphs with the
# same number of commas (a sniffer counting commas per line takes it for a CSV).
NEWS = """Police searched plate readers thousands of times, records show

By a staff reporter, March 14, 2024

Interpol, which ran more than 320 searches of the database in February 2024, said the checks
were "routine, lawful and logged," according to the records.

The Metropolitan Police Service, which ran about 1,200 searches, declined to comment.

"We do not discuss operational tools," a spokesperson said, adding that the force had reviewed it.

Critics, however, said the numbers, released under freedom-of-information law, raise questions.
"""

# Paragraphs of one sentence, each with exactly two commas: one field count on every line.
EVEN_COMMAS = (
    "Interpol, which ran more than 320 searches in February 2024, declined to comment.\n"
    "Europol, the EU agency, said it had run about 45 searches in March 2024.\n"
    "The Garda, Ireland's police, ran at least 12 searches that year, records show.\n"
)


# Numbers with thousands separators cut a sentence at their commas; two paragraphs that share
# a field count must not make a number column of one row.
THOUSANDS = (
    "Police searched a database thousands of times, records show\n\nBy the Data Desk\n\n"
    "On February 1, 2022, Mesa Police ran 7,189 searches of the database, according to the "
    "records. Police Scotland, which ran more than 24,586 searches in November 2022, declined "
    "to comment.\n\nRecords show the Ertzaintza performed about 23,653 queries on July 25, "
    "2022. The Garda ran 11,826 searches on March 14, 2022, a figure it called routine.\n\n"
    "Records show Policia Federal performed about 17 queries in July 2022.\n"
)


# A headline, a byline and a last paragraph that each hold one comma (one field count), the
# paragraph ending in a year: short cells, no column of values, half the lines sentences.
BYLINE = (
    "Police searched a license plate database thousands of times, records show\n\n"
    "By Jordan Lee, Staff Writer\n\n"
    "On 27 December 2024, Atlanta Police Department ran 942 searches of the database, "
    "according to the records. Suffolk County Police, which ran more than 602 searches in May "
    "2024, declined to comment on the figures.\n\n"
    "Records show Travis County Sheriff's Office performed about 16,192 queries in April 2024.\n"
)


# A headline and a byline of one comma each beside one long paragraph of many commas.
ONE_PARAGRAPH = (
    "Police searched a license plate database thousands of times, records show\n\n"
    "By Jordan Lee, Staff Writer\n\n"
    "Records show New Zealand Police performed about 22,554 queries on February 7, 2020. "
    "On January 4, 2020, Policia Judiciaria ran 838 searches of the database, according to "
    "the records.\n"
)


@pytest.mark.parametrize("text", [NEWS, EVEN_COMMAS, THOUSANDS, BYLINE, ONE_PARAGRAPH])
def test_prose_with_commas_is_not_a_table(tmp_path: Path, text: str) -> None:
    assert detect_delimiter(text) is None
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    assert sniff(path) == "text"


def test_news_story_gives_prose_records_and_no_table_records(tmp_path: Path) -> None:
    path = tmp_path / "story.csv"  # the extension does not make it a table
    path.write_text(NEWS, encoding="utf-8")
    result = extract_document(Source(path=path, name=path.name))
    assert result.detected_type == "text"
    assert {r.method for r in result.records} == {"prose"}
    interpol = next(r for r in result.records if r.agency_raw == "Interpol")
    assert (interpol.count, interpol.count_qualifier) == (320, "at_least")
    assert interpol.date == "2024-02"


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Agency,Searches\nPolice,3\nSheriff,4\n", ","),
        ("Agency;Searches;Date\nPolizei Köln;1.234;02.01.2021\nGendarmerie;7;03.01.2021\n", ";"),
        ("Agency\tState\nMesa PD\tAZ\nOkaloosa County SO\tFL\nAlaska State Troopers\tAK\n", "\t"),
        # A one-line title above, group labels of one field between rows (ragged widths).
        ("Axon\n,ICV,125\n,BWC,250\nCCTV\n,Pods,4\n,HQ,22\n,ECU,18\nPhones\n,EPD,269\n", ","),
        # A long description column beside short ones: still a table.
        (
            'ID,Requester,Description,Received\n24-1,"Doe, J","All records about the '
            'contract, including emails. Please send them.",04/02/2024\n24-2,"Roe, K","Any '
            'policy on readers, and the audit logs.",04/03/2024\n',
            ",",
        ),
    ],
)
def test_tables_are_tables(text: str, delimiter: str) -> None:
    assert detect_delimiter(text) == delimiter


def test_pdf_marker_in_a_cell_near_the_top_stays_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Agency,Attachment,Searches\nMesa PD,%PDF-1.7 scan.pdf,12\nFBI,,3\n")
    assert sniff(path) == "csv"
    junk = tmp_path / "prefixed.pdf"  # a real PDF behind a line of junk still is one
    junk.write_bytes(b"From the scanner\n%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")
    assert sniff(junk) == "pdf"


STACKED = (
    "Table 1/3: User Notice,,,\n"
    "Time period start,Share under seal,Share notified,\n"
    "2021-07-01,0.496,0.053,\n"
    "2021-01-01,0.548,0.065,\n"
    ",,,\n,,,\n"
    "Table 2/3: State Requests,,,\n"
    "Time period start,State,Information requests,Accounts\n"
    "2021-07-01,Alabama,12,15\n"
    "2021-07-01,Alaska,3,3\n"
    "2021-01-01,Alabama,9,11\n"
    ",,,\n"
    "Table 3/3: National Security Letters,,,\n"
    "Time period start,Letters,Accounts,\n"
    "2021-07-01,0 - 499,0 - 499,\n"
)


def test_stacked_tables_are_read_apart(tmp_path: Path) -> None:
    path = tmp_path / "transparency.csv"
    path.write_text(STACKED.replace("\n", "\r\n"), encoding="utf-8")
    read = read_delimited(path)
    assert [t.sheet for t in read.tables] == [
        "Table 1/3: User Notice",
        "Table 2/3: State Requests",
        "Table 3/3: National Security Letters",
    ]
    assert [len(t.rows) for t in read.tables] == [4, 5, 3]
    assert read.tables[1].row_numbers[0] == 7  # source line numbers are kept
    result = extract_document(Source(path=path, name=path.name))
    states = [r for r in result.records if r.sheet == "Table 2/3: State Requests"]
    assert [(r.agency_raw, r.count, r.date) for r in states] == [
        ("Alabama", 12, "2021-07-01"),
        ("Alaska", 3, "2021-07-01"),
        ("Alabama", 9, "2021-01-01"),
    ]


def test_banner_rows_without_blank_rows_do_not_split() -> None:
    rows = [
        ["ID", "Organization", "Received"],
        ["Request Type: FOIA", "", ""],
        ["24-1", "Acme", "04/02/2024"],
        ["Total No of Requests for 'FOIA' :1", "", ""],
        ["Request Type: Triage", "", ""],
        ["24-2", "Initech", "04/03/2024"],
    ]
    tables = split_tables(rows)
    assert len(tables) == 1
    assert len(tables[0].rows) == 6
    assert tables[0].sheet is None


def test_long_cells_and_bad_quoting(tmp_path: Path) -> None:
    long = tmp_path / "long.csv"
    long.write_text("Agency,Notes,Searches\nMesa PD," + "x" * 300_000 + ",4\nFBI,short,3\n")
    assert read_delimited(long).table.rows[1][2] == "4"
    cp1252 = tmp_path / "sec.csv"
    cp1252.write_bytes(
        "ID,Organization,Description,Received\r\n24-1,Zürich Police,“records” – all,04/02/2024\r\n"
        "24-2,Policía Nacional,audit,04/03/2024\r\n".encode("cp1252")
    )
    read = read_delimited(cp1252)
    assert (read.encoding, read.table.rows[1][1], read.table.rows[2][1]) == (
        "cp1252",
        "Zürich Police",
        "Policía Nacional",
    )
    assert read.notes == []


def test_prose_named_csv_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "letter.csv"
    path.write_text(EVEN_COMMAS)
    with pytest.raises(ReadError, match=r"letter\.csv: .*plain text, not a table"):
        read_delimited(path)


def test_csv_saved_with_its_http_header(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\nServer: nginx\r\n\r\n"
        b"Agency,Searches\r\nMesa PD,12\r\nFBI,3\r\n"
    )
    assert sniff(path) == "csv"
    assert read_delimited(path).table.rows == [
        ["Agency", "Searches"],
        ["Mesa PD", "12"],
        ["FBI", "3"],
    ]


def test_commas_inside_numbers_are_not_the_delimiter() -> None:
    """Pipes split every row; the commas group thousands (and one falls in the title)."""
    text = (
        "Agency query summary, 2024-10\n"
        "4,085|IL|Active|Illinois State Police\n1,739|IL|Trial|Chicago Police Department\n"
        "2,143|IL|Active|Cook County Sheriff\n7,967|||Total US-IL\n"
    )
    assert detect_delimiter(text) == "|"
    # A real CSV whose fields happen to be a number and a three-digit one keeps its comma.
    assert detect_delimiter("No,Searches,Agency\n5,123,Erie Police\n6,245,Mesa PD\n") == ","


def test_lines_of_nul_bytes_alone_are_left_out_with_a_note(tmp_path: Path) -> None:
    """A zero-filled block (a crash mid-write) is no reason to fail the file; a stray NUL is."""
    path = tmp_path / "usage.csv"
    path.write_bytes(b"Agency,Searches\nErie Police,3\n\x00\x00\x00\x00\nMesa PD,4\n")
    read = read_delimited(path)
    assert read.tables[0].rows == [["Agency", "Searches"], ["Erie Police", "3"], ["Mesa PD", "4"]]
    assert read.notes == ["1 line(s) of NUL bytes alone (a zero-filled block) left out"]
    stray = tmp_path / "stray.csv"
    stray.write_bytes(b"Agency,Searches\nErie\x00 Police,3\nMesa PD,4\n")
    with pytest.raises(ReadError, match="NUL byte"):
        read_delimited(stray)
