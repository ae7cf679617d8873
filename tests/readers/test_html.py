"""HTML pages: HTTP headers, nested tables, lists of names and label/value figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from foialog.extract.document import extract_document
from foialog.extract.options import ReadOptions
from foialog.extract.readers.html import read_html, split_names
from foialog.extract.sources import Source, sniff

PAGE = """<!DOCTYPE html><html><head><title>Clients</title></head><body>
<h1>Customer searches</h1>
<table>
 <tr><th>Customer</th><th>State</th><th>Searches by month</th></tr>
 <tr><td>Mesa PD</td><td>AZ</td><td>
   <table><tr><th>Month</th><th>Searches</th></tr>
     <tr><td>2021-01</td><td>12</td></tr><tr><td>2021-02</td><td>7</td></tr></table></td></tr>
 <tr><td>Okaloosa County SO</td><td>FL</td><td>
   <table><tr><th>Month</th><th>Searches</th></tr>
     <tr><td>2021-01</td><td>40</td></tr></table></td></tr>
</table>
</body></html>"""

HEADER = (
    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    "Date: Sat, 18 Jan 2020 10:00:00 GMT\r\nServer: nginx\r\n\r\n"
)


@pytest.mark.parametrize("prefix", ["", HEADER, "<!-- saved from url=(0014)about:internet -->\n"])
def test_page_is_html_with_or_without_an_http_header(tmp_path: Path, prefix: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text(prefix + PAGE, encoding="utf-8")
    assert sniff(path) == "html"
    blocks = read_html(path, path.name, ReadOptions())
    assert "HTTP/1.1" not in "".join(t.text for t in blocks.texts)
    assert "nginx" not in "".join(t.text for t in blocks.texts)


def test_nested_tables_carry_the_outer_row(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HEADER + PAGE, encoding="utf-8")
    blocks = read_html(path, path.name, ReadOptions())
    nested = [t for t in blocks.tables if t.sheet == "tables nested in table 1"]
    assert len(nested) == 1
    assert nested[0].rows == [
        ["Customer", "State", "Month", "Searches"],
        ["Mesa PD", "AZ", "2021-01", "12"],
        ["Mesa PD", "AZ", "2021-02", "7"],
        ["Okaloosa County SO", "FL", "2021-01", "40"],
    ]
    # The outer rows live on in the nested rows; only its header would be left: dropped.
    assert [t.sheet for t in blocks.tables] == ["tables nested in table 1"]
    result = extract_document(Source(path=path, name=path.name))
    got = sorted((r.agency_raw, r.count, r.date) for r in result.records if r.method == "table")
    assert got == [
        ("Mesa PD", 7, "2021-02"),
        ("Mesa PD", 12, "2021-01"),
        ("Okaloosa County SO", 40, "2021-01"),
    ]


PORTAL = """<!DOCTYPE html><html><body><header><h1>Springfield PD</h1>
<h6>Last Updated: <span>Sun Jan 25 2026</span></h6>
<nav><ul><li><a href="/a">Home</a></li><li><a href="/b">About Us</a></li>
<li><a href="/c">Reports</a></li><li><a href="/d">Contact</a></li><li><a href="/e">Help</a></li>
</ul></nav></header>
<div class="box"><div class="k">Organizations granted access</div>
<div class="v">Mesa AZ PD, Albany CA PD , University of California, Berkeley, NCRIC,
Kern County CA SO, Los Angeles Port Police CA, Foothill-DeAnza CA PD</div></div>
<div class="box"><div class="k">Searches in the last 30 days</div><div class="v">837</div></div>
<div class="box"><div class="k">Hotlist hits in the last 30 days</div>
<div class="v">4,237</div></div>
<div class="box"><div class="k">Prohibited uses</div>
<div class="v">Immigration enforcement, traffic enforcement, harassment, personal use, sales</div>
</div>
<footer>Copyright 2024</footer></body></html>"""


def test_page_without_tables_lists_names_and_figures(tmp_path: Path) -> None:
    path = tmp_path / "portal.html"
    path.write_text(PORTAL, encoding="utf-8")
    blocks = read_html(path, path.name, ReadOptions())
    lists = [t for t in blocks.tables if t.sheet and t.sheet.startswith("list")]
    assert len(lists) == 1  # not the menu, not the lower-case list of uses
    assert [r[0] for r in lists[0].rows] == [
        "Mesa AZ PD",
        "Albany CA PD",
        "University of California, Berkeley",
        "NCRIC",
        "Kern County CA SO",
        "Los Angeles Port Police CA",
        "Foothill-DeAnza CA PD",
    ]
    assert lists[0].context == ["Organizations granted access"]
    result = extract_document(Source(path=path, name=path.name))
    figures = [
        (r.agency_raw, r.count, r.metric, r.date) for r in result.records if r.sheet == "figures"
    ]
    assert figures == [
        ("Springfield PD", 837, "Searches in the last 30 days", "2026-01-25"),
        ("Springfield PD", 4237, "Hotlist hits in the last 30 days", "2026-01-25"),
    ]
    prose = " ".join(r.extra for r in result.records if r.method == "prose")
    assert "837" not in prose  # a figure is read once, from its pair


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("A PD, B SO, C DA, D PD, E SO", ["A PD", "B SO", "C DA", "D PD", "E SO"]),
        ("Mesa PD, University of Utah, Provo, FBI, DEA, ICE", None),
        ("red, green, blue", []),  # too few to be a list
        ("the police, the sheriff, a court, the jail, an agency", []),  # clauses
    ],
)
def test_split_names(text: str, names: list[str] | None) -> None:
    got = split_names(text)
    if names is None:  # a one-word piece after a comma continues the name before it
        assert got == ["Mesa PD", "University of Utah, Provo", "FBI", "DEA", "ICE"]
    else:
        assert got == names


def test_banded_counts_in_tables_read(tmp_path: Path) -> None:
    rows = "".join(
        f"<tr><td>{period}</td><td>{band}</td><td>{band}</td></tr>"
        for period, band in [
            ("Jan 2023 – Jun 2023", "0 – 499"),
            ("Jul 2022 – Dec 2022", "500 – 999"),
        ]
    )
    page = (
        "<html><body><h2>National Security Letters</h2><table><tr><th>Reporting period</th>"
        f"<th>Requests</th><th>Accounts</th></tr>{rows}</table></body></html>"
    )
    path = tmp_path / "nsl.html"
    path.write_text(page, encoding="utf-8")
    blocks = read_html(path, path.name, ReadOptions())
    assert len(blocks.tables) == 1
    assert blocks.tables[0].context == ["National Security Letters"]
    assert blocks.tables[0].rows[1] == ["Jan 2023 – Jun 2023", "0 – 499", "0 – 499"]
