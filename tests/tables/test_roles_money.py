"""Money is the count only of a table that counts nothing else; postal codes and ids never are."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from foialog.extract.document import extract_document
from foialog.extract.record import Record
from foialog.extract.sources import Source
from foialog.extract.tables.roles import infer_roles
from foialog.extract.tables.stitch import StitchedTable, count_columns
from foialog.extract.tables.words import WordRow
from foialog.extract.values.money import parse_amount

EMPLOYERS = [
    "Saint Paul Public Schools",
    "Ramsey County",
    "University of Minnesota",
    "Metro Transit",
    "Hennepin Healthcare",
    "Self-employed",
    "Minneapolis Public Schools",
    "State of Minnesota",
]


def _data(path: Path) -> list[Record]:
    result = extract_document(Source(path=path, name=path.name))
    assert result.status in ("ok", "partial"), result.error
    return [r for r in result.records if r.row_type == "data"]


def _donations(path: Path, rng: random.Random) -> list[tuple[str, int]]:
    """A donations list: names, a ZIP column (some ZIP+4), employer, date and amount in dollars."""
    truth: list[tuple[str, int]] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Last Name", "City", "State", "Zip", "Employer", "Date", "Amount"])
        for i in range(30):
            zip_code = rng.choice(["55104", "55105", "55116", "55408"])
            if i % 13 == 5:
                zip_code += f"-{rng.randint(1000, 9999)}"
            dollars = rng.choice([25, 50, 60, 100, 250, 500])
            employer = EMPLOYERS[i % len(EMPLOYERS)]
            out.writerow(
                [
                    "Doe",
                    "Saint Paul",
                    "MN",
                    zip_code,
                    employer,
                    f"10/{i % 28 + 1}/2012",
                    f"{dollars}.00",
                ]
            )
            truth.append((employer, dollars))
    return truth


def test_a_donations_table_counts_its_amounts_and_never_its_zip_codes(tmp_path: Path) -> None:
    path = tmp_path / "donations.csv"
    truth = _donations(path, random.Random(4))
    records = _data(path)
    assert [(r.agency_raw, r.count) for r in records] == truth
    assert {r.metric for r in records} == {"amount"}
    assert all(r.region == "US-MN" for r in records)
    assert all('"Zip"' in r.extra for r in records)


def test_money_beside_a_count_stays_out_of_the_count() -> None:
    header = ["Agency", "Fee", "Searches"]
    columns = [
        [f"Town {k} Police Department" for k in range(8)],
        [f"${k * 12.5 + 100:,.2f}" for k in range(8)],
        [str(3 + 7 * k) for k in range(8)],
    ]
    roles = {r.header: r for r in infer_roles(header, columns, headerless=False)}
    assert roles["Searches"].role == "count"
    assert not roles["Searches"].money
    assert roles["Fee"].role == "other"


def test_headerless_amounts_with_cents_are_the_count_of_a_table_with_no_other() -> None:
    columns = [
        [f"PAYEE NUMBER {k} LLC" for k in range(8)],
        [f"{k}/1{k}/2019" for k in range(1, 9)],
        [f"{1200 + 997 * k:,}.{k * 7 % 100:02d}" for k in range(8)],
    ]
    roles = infer_roles(["column 1", "column 2", "column 3"], columns, headerless=True)
    assert [r.role for r in roles] == ["agency", "date", "count"]
    assert roles[2].money
    # Shares with two decimals are no money: they stay out of the count.
    shares = [[f"Town {k} Police" for k in range(8)], [f"0.{k * 11 + 10:02d}" for k in range(8)]]
    roles = infer_roles(["Agency", "Ratio"], shares, headerless=False)
    assert roles[1].role == "other"


def test_zero_padded_account_numbers_are_identifiers_even_when_two_repeat() -> None:
    ids = ["08145", "01116", "05578", "05685", "09017", "01116", "03310", "07002"]
    counts = ["46", "182", "3", "1,045", "77", "12", "9", "640"]
    header = ["Agency", "Account", "Searches"]
    names = [f"Town {k} Police Department" for k in range(8)]
    roles = infer_roles(header, [names, ids, counts], headerless=False)
    assert [r.role for r in roles] == ["agency", "other", "count"]
    rows = [
        WordRow((n, i, c, str(k % 5)), (0, 0, 1, 1), 1.0)
        for k, (n, i, c) in enumerate(zip(names, ids, counts, strict=True))
    ]
    table = StitchedTable(header=("Agency", "Account", "Searches", "Users"), title=(), rows=rows)
    assert count_columns(table) == [2, 3]


def test_amounts_are_read_in_either_convention_and_rounded() -> None:
    assert parse_amount("$1,250.00").value == 1250
    assert parse_amount("1.250,00 €").value == 1250
    assert parse_amount("37,499.96").value == 37500
    assert parse_amount("37,499.96").qualifier == "approx"
    assert parse_amount("(b)(6)").value is None
    assert parse_amount("Lot 1").value is None
