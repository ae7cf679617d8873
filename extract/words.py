"""Words with boxes, from a PDF text layer or from OCR, grouped into lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One word and its box in PDF points (top-left origin), with OCR confidence 0-1 if any."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float = 1.0

    @property
    def middle(self) -> float:
        """Vertical centre of the box."""
        return (self.top + self.bottom) / 2


def group_lines(words: Sequence[Word], *, tolerance: float = 0.5) -> list[list[Word]]:
    """Group words into lines by vertical overlap, top to bottom, each line left to right.

    ``tolerance`` is the share of a word's height by which its centre may sit off the line's.
    """
    lines: list[list[Word]] = []
    centres: list[float] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        height = max(word.bottom - word.top, 1e-6)
        if lines and abs(word.middle - centres[-1]) <= tolerance * height:
            lines[-1].append(word)
            centres[-1] = sum(w.middle for w in lines[-1]) / len(lines[-1])
        else:
            lines.append([word])
            centres.append(word.middle)
    return [sorted(line, key=lambda w: w.x0) for line in lines]
