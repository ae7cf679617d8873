"""Rows of tall wrapped cells: the column whose cells share one shape (ids, dates) starts a row.

A request log prints one row per request with a long description wrapping onto dozens of
lines; its request number and date stand on one line of the row. Those cells share one
written form ("ABC-2025-0001" -> "A-9-9", "7/17/2025 12:00 AM" -> "9/9/9"), which no line of
prose keeps repeating in that column. Such a column says which lines start a row where the
values test cannot (an id is no count or date; an OCR'd date may be read as noise).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

#: Runs of one class of character: letters, digits, spaces; any other character stands alone.
_RUN = re.compile(r"[^\W\d_]+|\d+|\s+|.")
#: Share of a column's filled cells that must show its commonest form.
_SHARE = 0.6
#: The form of a plain number: any count, amount or year has it, and so does a wrapped
#: amount's second line ("2,612.50" under "EUR"), so it tells no row's first line.
_NUMBER_FORM = re.compile(r"9(?:[,.' ]9)*")


@functools.lru_cache(maxsize=65536)
def cell_form(text: str) -> str:
    """The written form of a cell's longest token holding a digit ("EPD-2025-3308" -> "A-9-9").

    Letters become A and digits 9, a run of either one character; "" when no token has a
    digit. The longest token stands for the cell, so a stray OCR speck beside it ("t") or a
    time after a date does not change the form.
    """
    tokens = [t for t in text.split() if any(c.isdigit() for c in t)]
    if not tokens:
        return ""
    token = max(tokens, key=len)
    return "".join(_symbol(run) for run in _RUN.findall(token))


def is_number_form(form: str) -> bool:
    """True for the form of a plain number ("9", "9,9.9"): no id's letters, no date's slashes."""
    return bool(_NUMBER_FORM.fullmatch(form))


def _symbol(run: str) -> str:
    if run[0].isdigit():
        return "9"
    if run[0].isalpha():
        return "A"
    return run


def start_forms(columns: Sequence[Sequence[str]]) -> dict[int, str]:
    """Columns that start rows, with their form: {column index: form}.

    ``columns`` holds each column's cell texts, one per body line ("" for an empty cell). A
    column starts rows when at least two of its cells share one form holding a digit and more
    than a plain number's (an id's letters, a date's slashes), that form covers most of its
    filled cells, and it is filled on fewer lines than the fullest column (something wraps).
    An empty dict when no column qualifies.
    """
    filled = [sum(bool(t) for t in texts) for texts in columns]
    most = max(filled, default=0)
    out: dict[int, str] = {}
    for k, texts in enumerate(columns):
        if not filled[k] or filled[k] >= most:
            continue
        forms = Counter(cell_form(t) for t in texts if t)
        forms.pop("", None)
        if not forms:
            continue
        form, count = forms.most_common(1)[0]
        if count >= 2 and count >= _SHARE * filled[k] and not is_number_form(form):
            out[k] = form
    return out
