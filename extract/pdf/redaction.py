"""Redaction boxes: a dark filled rectangle over a cell makes that cell redacted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extract.words import Box, Word

#: What a redaction box reads as in a table cell; extract.values.redaction knows it as a marker.
BOX_TEXT = "\u2588\u2588\u2588\u2588"


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
    """
    if not fills:
        return list(words), []
    kept: list[Word] = []
    hidden: dict[int, int] = {}
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
        if under is None:
            kept.append(word)
        else:
            hidden[under] = hidden.get(under, 0) + len(word.text)
    boxes = [Word(BOX_TEXT, x0, top, x1, bottom) for x0, top, x1, bottom in fills]
    findings = [HiddenText(page, fills[i], n) for i, n in sorted(hidden.items())]
    return kept + boxes, findings
