"""Records printed on two lines: which lines of a page pair up into one record.

A fixed-width listing (a property-room report, a mainframe printout) can print each record
on two lines, the second holding the rest of the record in columns of its own under the
first, with no ruling between. Read as they stand, the two kinds of line mix their columns
into one table of half-records. The evidence used holds whatever the words say: the lines
alternate between two layouts, each line lining up with the one two below it and not with
the one right under it (a wrapped cell's second line lines up with its own column above).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Boxed(Protocol):
    """A word with its box, as the table finder holds it."""

    @property
    def text(self) -> str: ...
    @property
    def x0(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def bottom(self) -> float: ...


@dataclass(frozen=True)
class Run:
    """One run of records printed on two lines, by line number (top to bottom)."""

    #: Its first line (the header's first when it has one) and its last record's second.
    first: int
    last: int
    #: Each record's (first, second) line; the header's two label lines first when headed.
    pairs: tuple[tuple[int, int], ...]
    headed: bool
    #: The lines drawn with characters (``-----``) among them, which hold no text.
    drawn: tuple[int, ...]


#: A line drawn with characters: runs of dashes, equals signs or underscores only.
_DRAWN = re.compile(r"[-=_]{3,}")
#: Fewest records in a row that make the pattern: two could be chance.
MIN_RECORDS = 3
#: Share of a line's phrases that line up with another line's for the two to share a layout.
SAME = 0.6
#: At most this share lines up between the two lines of one record (the first column, the
#: left margin, often does).
CROSS = 0.5


def _phrases(line: Sequence[Boxed], height: float) -> list[tuple[float, float]]:
    """(x0, x1) of the runs of words set closer than a line's height: a space apart, not a
    column gap (which is wider in a fixed-width listing: two spaces or more)."""
    spans: list[tuple[float, float]] = []
    for word in line:
        if spans and word.x0 - spans[-1][1] <= height:
            spans[-1] = (spans[-1][0], word.x1)
        else:
            spans.append((word.x0, word.x1))
    return spans


@dataclass(frozen=True)
class _Layout:
    """A line's phrases, and their starts and ends sorted for lookup."""

    spans: tuple[tuple[float, float], ...]
    starts: tuple[float, ...]
    ends: tuple[float, ...]

    @classmethod
    def of(cls, spans: Sequence[tuple[float, float]]) -> _Layout:
        return cls(
            tuple(spans), tuple(sorted(a for a, _ in spans)), tuple(sorted(b for _, b in spans))
        )


def _near(xs: Sequence[float], x: float, tol: float) -> bool:
    k = bisect.bisect_left(xs, x - tol)
    return k < len(xs) and xs[k] <= x + tol


def _reach(a: _Layout, b: _Layout, tol: float, need: float) -> bool:
    """True when at least ``need`` of ``a``'s phrases start where one of ``b``'s starts or
    end where one ends (counting stops as soon as the answer is known: dense pages)."""
    hits, left = 0, len(a.spans)
    for x0, x1 in a.spans:
        left -= 1
        if _near(b.starts, x0, tol) or _near(b.ends, x1, tol):
            hits += 1
            if hits >= need:
                return True
        elif hits + left < need:
            return False
    return hits >= need


def _labels(line: Sequence[Boxed]) -> bool:
    """True for a line of labels: no digit in it."""
    return not any(c.isdigit() for w in line for c in w.text)


def two_line_records(lines: Sequence[Sequence[Boxed]], height: float) -> list[Run]:
    """The runs of ``lines`` (top to bottom, each left to right) that print one record on
    two lines, each with the two label lines above it when they are there.

    A run is at least MIN_RECORDS records where each first line shares its layout with the
    next record's first line, each second line with the next second line, the two lines of
    a record do not share theirs, and the second stands right under the first.
    """
    drawn = [all(_DRAWN.fullmatch(w.text) for w in line) for line in lines]
    kept = [i for i, line in enumerate(lines) if line and not drawn[i]]
    spans = [_Layout.of(_phrases(lines[i], height)) for i in kept]
    tol = 0.3 * height

    def cross(k: int) -> bool:
        """True when kept lines k and k+1 can be one record's first and second line."""
        a, b = lines[kept[k]], lines[kept[k + 1]]
        upper, lower = spans[k], spans[k + 1]
        return (
            len(spans[k].spans) >= 2
            and len(spans[k + 1].spans) >= 2
            and b[0].top - max(w.bottom for w in a) < height
            and not _reach(upper, lower, tol, math.floor(CROSS * len(upper.spans)) + 1)
            and not _reach(lower, upper, tol, math.floor(CROSS * len(lower.spans)) + 1)
        )

    def same(k: int, j: int) -> bool:
        upper, lower = spans[k], spans[j]
        return _reach(upper, lower, tol, SAME * len(upper.spans)) and _reach(
            lower, upper, tol, SAME * len(lower.spans)
        )

    found: list[tuple[int, int]] = []
    k = 0
    while k + 1 < len(kept):
        end = k
        while end + 1 < len(kept) and cross(end):
            if end > k and not (same(end - 2, end) and same(end - 1, end + 1)):
                break
            end += 2
        if (end - k) // 2 >= MIN_RECORDS:
            found.append((k, end))
            k = end
        else:
            k += 1
    runs = []
    for start, end in found:
        if _labels(lines[kept[start]]) and _labels(lines[kept[start + 1]]):
            # The header lines up with the records as a record would: labels over values.
            head: int | None = start
            start += 2
        else:
            head = _header_pair(lines, kept, spans, start, height)
        top = head if head is not None else start
        # Lines drawn right above it (a rule over the header, or under a header the page
        # printed again, above which the records were cut) belong to it too.
        first = kept[top - 1] + 1 if top > 0 else 0
        pairs = [(kept[k], kept[k + 1]) for k in range(start, end, 2)]
        if head is not None:
            pairs.insert(0, (kept[head], kept[head + 1]))
        last = kept[end - 1]
        runs.append(
            Run(
                first=first,
                last=last,
                pairs=tuple(pairs),
                headed=head is not None,
                drawn=tuple(i for i in range(first, last + 1) if drawn[i]),
            )
        )
    return runs


def _header_pair(
    lines: Sequence[Sequence[Boxed]],
    kept: Sequence[int],
    spans: Sequence[_Layout],
    start: int,
    height: float,
) -> int | None:
    """The first of the two label lines right above a run of two-line records, if any: the
    header is printed as the records are, one line of labels for each line of a record."""
    if start < 2:
        return None
    first, second = start - 2, start - 1
    a, b = lines[kept[first]], lines[kept[second]]
    near = (
        b[0].top - max(w.bottom for w in a) < 3.5 * height
        and lines[kept[start]][0].top - max(w.bottom for w in b) < 3.5 * height
    )
    if (
        near
        and _labels(a)
        and _labels(b)
        and len(spans[first].spans) >= 2
        and len(spans[second].spans) >= 2
    ):
        return first
    return None
