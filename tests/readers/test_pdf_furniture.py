"""Page furniture: page and Bates numbers and printed stamps go, a header row at the top stays."""

from __future__ import annotations

import pytest

from foialog.extract.readers.pdf.furniture import is_furniture, split_furniture
from foialog.extract.tables.words import Word


@pytest.mark.parametrize(
    "text",
    ["Page 3 of 12", "- 4 -", "DOJ-OLA-000123", "Printed 01/05/2021 09:00", "Date: 2021-01-05"],
)
def test_page_numbers_bates_numbers_and_dated_stamps_are_furniture(text: str) -> None:
    assert is_furniture(text)


@pytest.mark.parametrize(
    "text",
    ["Date Actif Remarques Licences Organisme Région Recherches", "Date Agency Searches"],
)
def test_a_header_row_starting_with_date_is_not_a_stamp(text: str) -> None:
    assert not is_furniture(text)


def test_a_header_row_in_the_top_margin_stays_and_the_page_number_goes() -> None:
    height = 792.0
    header = [Word(t, 40 + 80 * k, 30, 100 + 80 * k, 40) for k, t in enumerate(["Date", "Agency"])]
    footer = [Word("Page", 280, 770, 300, 780), Word("2", 305, 770, 310, 780)]
    kept, found = split_furniture([*header, *footer], height)
    assert kept == header
    assert found == ["Page 2"]
