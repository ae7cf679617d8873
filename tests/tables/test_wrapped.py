"""Tall wrapped rows: a column of ids or dates of one written form starts each row (issue 13)."""

from __future__ import annotations

from dataclasses import replace

from foialog.extract.tables.stitch import PageTable, common_columns, stitch
from foialog.extract.tables.words import Rule, Word, WordRow, WordTable, find_word_tables
from foialog.extract.tables.wrapped import cell_form, start_forms

_PITCH = 12.0
#: Lines of each request's description: tall rows, so the id column is filled on fewer than
#: a sixth of the lines (the first-filled-column rule would take the description instead).
_HEIGHTS = (9, 14, 7, 11)
_IDS = ("PRR-2024-0107", "PRR-2024-0093", "PRR-2024-0215", "PRR-2024-0031")
_DATES = ("3/4/2024 9:15 AM", "2/28/2024 12:00 AM", "5/16/2024 4:02 PM", "1/9/2024 10:30 AM")
#: The second date as OCR may read it (B for 8, O for 0): no longer a date, so the date
#: column is no column of values, and an id is no value either.
_MISREAD = "2/2B/2O24 12:0O AM"


def _line(texts: list[tuple[float, str]], top: float) -> list[Word]:
    """Words at the given x positions on one line, 5 points wide per character."""
    return [
        Word(part, x + 5 * len(text[:at]), top, x + 5 * (len(text[:at]) + len(part)), top + 8)
        for x, text in texts
        for at, part in _parts(text)
    ]


def _parts(text: str) -> list[tuple[int, str]]:
    """(offset, word) of each word of a text."""
    out, at = [], 0
    for part in text.split(" "):
        out.append((at, part))
        at += len(part) + 1
    return out


def _log(*, ruled: bool, lost_rule: int | None = None) -> tuple[list[Word], list[Rule]]:
    """A request log printed bottom-aligned: description lines, then id, date and status.

    One date is misread (_MISREAD). ``lost_rule``: the index of a row whose rule below it is
    missing (a scan's faint rule).
    """
    words = _line([(10, "Request"), (90, "Received"), (190, "Description"), (420, "Status")], 10)
    rules = [Rule(5, 22, 500, 22.5)]
    top = 28.0
    for n, (lines, rid, date) in enumerate(zip(_HEIGHTS, _IDS, _read(), strict=True)):
        for k in range(lines):
            # Prose with figures in it ("ORS 192.311", a date) must not start a row.
            text = f"item {k + 1}: records from 1/1/2020 under ORS 192.{311 + k}"
            words += _line([(190, text)], top)
            top += _PITCH
        words += _line([(10, rid), (90, date), (190, "Thank you."), (420, "Open")], top)
        top += _PITCH + 4
        if n != lost_rule:
            rules.append(Rule(5, top, 500, top + 0.5))
        top += 6
    if not ruled:
        return words, []
    rules += [Rule(x, 5, x + 0.5, top) for x in (5, 85, 185, 415, 500)]
    return words, rules


def _requests(words: list[Word], rules: list[Rule]) -> list[tuple[str, str, int]]:
    (table,) = find_word_tables(words, rules=rules)
    return [(r.cells[0], r.cells[1], r.lines) for r in table.rows]


def _read() -> tuple[str, ...]:
    return (_DATES[0], _MISREAD, *_DATES[2:])


def _expected() -> list[tuple[str, str, int]]:
    return [(i, d, n + 1) for i, d, n in zip(_IDS, _read(), _HEIGHTS, strict=True)]


def test_the_written_form_of_ids_and_dates() -> None:
    assert cell_form("EPD-2025-3308") == "A-9-9"
    assert cell_form("PEPD-2025-3308 t") == "A-9-9"  # a speck beside it, a letter misread
    assert cell_form("7/17/2025 12:00 AM") == cell_form("10/6/2025 3:54 PM") == "9/9/9"
    assert cell_form("Alan Torres") == ""


def test_a_column_of_one_form_filled_on_few_lines_starts_rows() -> None:
    ids = ["", "", "R-0001", "", "", "R-0002", "", "R-0003"]
    prose = ["a long", "request", "text", "that", "wraps", "here", "and", "on"]
    assert start_forms([ids, prose]) == {0: "A-9"}
    # Filled on every line: nothing wraps, no column is told apart by it.
    assert start_forms([["R-1", "R-2"], ["a", "b"]]) == {}
    # No one form: codes of many shapes are no row starts.
    assert start_forms([["R-1", "", "12/4", "", "x7"], ["a", "b", "c", "d", "e"]]) == {}
    # Plain numbers: a wrapped amount's second line has their form too.
    assert start_forms([["431", "", "2,612.50", "", "1,204.00"], prose[:5]]) == {}


def test_an_unruled_log_gives_one_row_per_request_id() -> None:
    assert _requests(*_log(ruled=False)) == _expected()


def test_a_ruled_log_gives_one_row_per_request_id() -> None:
    assert _requests(*_log(ruled=True)) == _expected()


def test_two_requests_whose_rule_between_them_was_lost_are_two_rows() -> None:
    words, rules = _log(ruled=True, lost_rule=1)
    assert _requests(words, rules) == _expected()


def test_a_line_ocr_could_not_read_spoils_no_row() -> None:
    """A row cut in half at a pasted strip's edge: its remains read as noise, at low confidence."""
    words, rules = _log(ruled=False)
    second = next(w for w in words if w.text == _IDS[1])
    top = second.bottom + 2  # under the second request's id line, above the third's text
    words = [w if w.top < top else replace(w, top=w.top + 10, bottom=w.bottom + 10) for w in words]
    noise = _line([(10, "eru-cuescose"), (90, "wry eves 22.52"), (190, "er Syme ary ur")], top)
    words += [replace(w, confidence=0.2) for w in noise]
    assert _requests(words, rules) == _expected()


# A log over pages whose columns OCR cut differently: an empty column merged into its
# neighbour on one page, split off on the next (see foialog.extract.tables.stitch).
_FIVE = ((70.0, 120.0), (120.0, 165.0), (165.0, 210.0), (210.0, 500.0), (500.0, 575.0))
_FOUR = ((71.0, 119.0), (119.0, 166.0), (166.0, 501.0), (501.0, 576.0))  # name and text as one
_SIX: tuple[tuple[float, float], ...] = ((72.0, 120.0), (120.0, 164.0), (164.0, 211.0))
_SIX += ((211.0, 256.0), (256.0, 499.0), (499.0, 574.0))  # an empty column split off the text


def _page_table(
    columns: tuple[tuple[float, float], ...],
    rows: list[tuple[str, ...]],
    *,
    title: tuple[str, ...] = (),
) -> WordTable:
    return WordTable(
        header=(),
        rows=tuple(
            WordRow(cells, (70, 10.0 * n, 575, 10.0 * n + 8), 0.9) for n, cells in enumerate(rows)
        ),
        columns=columns,
        title=title,
        notes=(),
        box=(columns[0][0], 0, columns[-1][1], 500),
        header_box=None,
        ruled=True,
    )


def _log_pages(third_title: tuple[str, ...] = ()) -> list[PageTable]:
    return [
        PageTable(
            1,
            _page_table(
                _FIVE,
                [
                    ("PRR-2024-0107", "3/4/2024 9:15 AM", "Ann Lee", "all emails ...", "Open"),
                    (
                        "PRR-2024-0093",
                        "2/28/2024 12:00 AM",
                        "Bo Park",
                        "the contract ...",
                        "Closed",
                    ),
                ],
            ),
        ),
        PageTable(
            2,
            _page_table(
                _FOUR,
                [
                    ("PRR-2024-0215", "5/16/2024 4:02 PM", "Cy Diaz the audit log ...", "Open"),
                ],
            ),
        ),
        PageTable(
            2,
            _page_table(
                _SIX,
                [
                    ("=", "1", "1", "", "1 ! lAnw andi", "1"),  # the remains of a row cut in half
                    (
                        "PRR-2024-0031",
                        "1/9/2024 10:30 AM",
                        "Di Wu",
                        "",
                        "camera sites ...",
                        "Closed",
                    ),
                ],
                title=third_title or ("wry eves 22.52",),
            ),
        ),
    ]


def test_a_log_whose_pages_are_cut_into_other_columns_is_one_table() -> None:
    (table,) = stitch(_log_pages())
    assert [r.cells for r in table.rows] == [
        ("PRR-2024-0107", "3/4/2024 9:15 AM", "Ann Lee", "all emails ...", "Open"),
        ("PRR-2024-0093", "2/28/2024 12:00 AM", "Bo Park", "the contract ...", "Closed"),
        # A merged cell goes under the column it covers most: the name stays in the text.
        ("PRR-2024-0215", "5/16/2024 4:02 PM", "", "Cy Diaz the audit log ...", "Open"),
        ("PRR-2024-0031", "1/9/2024 10:30 AM", "Di Wu", "camera sites ...", "Closed"),
    ]
    assert table.pages == [1, 1, 2, 2]
    assert table.spans == [1, 2]
    # The line with no id and no date is said, not kept as a request.
    assert any("1 ! lAnw andi" in r and "page 2" in r for r in table.remarks), table.remarks


def test_the_columns_most_pages_agree_on() -> None:
    columns = common_columns([_FIVE, _FOUR, _SIX])
    assert [round(b) for _, b in columns] == [120, 165, 210, 500, 576]


def test_a_dated_title_starts_a_new_table_of_the_same_ids() -> None:
    tables = stitch(_log_pages(third_title=("Requests received in 2025",)))
    assert [len(t.rows) for t in tables] == [3, 2]


def test_tables_of_plain_numbers_cut_differently_stay_apart() -> None:
    first = _page_table(_FIVE, [("1", "3/4/2024", "a", "b", "c"), ("2", "3/5/2024", "a", "b", "c")])
    second = _page_table(_FOUR, [("3", "3/6/2024", "a b", "c"), ("4", "3/7/2024", "a b", "c")])
    assert len(stitch([PageTable(1, first), PageTable(2, second)])) == 2
