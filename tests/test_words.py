"""Words group into lines by vertical overlap, whatever order they arrive in."""

from __future__ import annotations

from extract.words import Word, group_lines


def test_group_lines_orders_rows_and_columns() -> None:
    words = [
        Word("Searches", 200, 10, 260, 20),
        Word("Agency", 10, 11, 60, 21),
        Word("320", 200, 30.5, 220, 40.5),
        Word("Interpol", 10, 30, 60, 40),
        Word("Europol", 10, 50, 60, 60),
    ]
    lines = group_lines(words)
    assert [[w.text for w in line] for line in lines] == [
        ["Agency", "Searches"],
        ["Interpol", "320"],
        ["Europol"],
    ]


def test_group_lines_keeps_close_but_separate_lines_apart() -> None:
    words = [Word("a", 0, 0, 5, 10), Word("b", 0, 11, 5, 21)]
    assert len(group_lines(words)) == 2
