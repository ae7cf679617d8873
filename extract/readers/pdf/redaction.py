"""Redaction boxes: a dark filled rectangle over a cell makes that cell redacted."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from foialog.extract.tables.words import Box, Word
from foialog.extract.values.redaction import find_redaction

#: What a redaction box reads as in a table cell; foialog.extract.values.redaction knows it as a
#: marker.
BOX_TEXT = "\u2588\u2588\u2588\u2588"
#: Share of an empty box's width left out on each side of the word that stands for it.
_INSET = 0.25


@dataclass(frozen=True)
class HiddenText:
    """Text still present in the text layer under a redaction box (kept out of the tables)."""

    page: int
    box: Box
    characters: int


def apply_redactions(
    words: Sequence[Word], fills: Sequence[Box], *, page: int
) -> tuple[list[Word], list[HiddenText]]:
    """Replace what lies under each redaction box by one box word; report hidden text.

    The words under a box are dropped, never published: a badly redacted PDF often keeps
    the text, and a reporter should see that it is there, not what it says, by default.
    Words under a box that are only an exemption code ("(b)(6)" printed on the box) are the
    box's label: the box word carries the code, and they are not hidden text.
    """
    if not fills:
        return list(words), []
    kept: list[Word] = []
    under_box: dict[int, list[Word]] = {}
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, word.middle
        under = next(
            (
                i
                for i, (x0, top, x1, bottom) in enumerate(fills)
                if x0 <= cx <= x1 and top <= cy <= bottom
            ),
            None,
        )
        if under is None and find_redaction(word.text) is not None:
            # An exemption code printed from a box's left edge may run out past a narrow box.
            under = next(
                (
                    i
                    for i, (x0, top, x1, bottom) in enumerate(fills)
                    if x0 <= word.x0 <= x1 and top <= cy <= bottom
                ),
                None,
            )
        if under is None:
            kept.append(word)
        else:
            under_box.setdefault(under, []).append(word)
    boxes: list[Word] = []
    findings: list[HiddenText] = []
    # A box word is as tall as a line of text, not as the box: a box padded round its cell
    # would otherwise read as a larger font, whose word spaces are wider than a column gap.
    line_height = statistics.median(w.bottom - w.top for w in words) if words else 0.0
    for i, (x0, top, x1, bottom) in enumerate(fills):
        covered = under_box.get(i, [])
        if covered:
            top, bottom = min(w.top for w in covered), max(w.bottom for w in covered)
        if 0 < line_height < bottom - top:
            middle = (top + bottom) / 2
            top, bottom = middle - line_height / 2, middle + line_height / 2
        text = " ".join(w.text for w in sorted(covered, key=lambda w: (round(w.middle), w.x0)))
        label = find_redaction(text) if covered else None
        # The box word stands where the text stood: the covered words' extent, or the middle
        # of the box. A box fills its cell to the edges, and at its full width it would close
        # the white space an unruled table's columns are cut at. A code printed on the box is
        # no text of the cell: it starts at the box's edge, whatever side the column's values
        # are aligned to, and may run out past a narrow box.
        if covered and label is None:
            left, right = min(w.x0 for w in covered), max(w.x1 for w in covered)
        else:
            inset = (x1 - x0) * _INSET
            left, right = x0 + inset, x1 - inset
        if label is not None and label.code:
            boxes.append(Word(f"{BOX_TEXT} {label.code}", left, top, right, bottom))
            continue
        boxes.append(Word(BOX_TEXT, left, top, right, bottom))
        if covered:
            findings.append(HiddenText(page, fills[i], sum(len(w.text) for w in covered)))
    return kept + boxes, findings
