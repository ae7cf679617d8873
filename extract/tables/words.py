"""Words with boxes, from a PDF text layer or from OCR, grouped into lines."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from foialog.extract.tables.folded import MIN_RECORDS, two_line_records
from foialog.extract.tables.layout import is_value_like
from foialog.extract.tables.wrapped import cell_form, start_forms
from foialog.extract.values.dates import parse_date
from foialog.extract.values.redaction import find_redaction


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
    total = 0.0
    # Word.middle written out: the property call cost more than the sort on a dense page.
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        top, bottom = word.top, word.bottom
        height = bottom - top
        height = 1e-6 if height < 1e-6 else height  # max(height, 1e-6)
        middle = (top + bottom) / 2
        if lines and abs(middle - centres[-1]) <= tolerance * height:
            lines[-1].append(word)
            total += middle  # running sum: the line's centre without re-adding every word
            centres[-1] = total / len(lines[-1])
        else:
            lines.append([word])
            centres.append(middle)
            total = middle
    return [sorted(line, key=_LEFT) for line in lines]


_LEFT = operator.attrgetter("x0")


#: A box in PDF points, top-left origin: (x0, top, x1, bottom).
Box = tuple[float, float, float, float]


def bounds(words: Sequence[Word]) -> Box:
    """The smallest box around ``words`` (at least one)."""
    return (
        min(w.x0 for w in words),
        min(w.top for w in words),
        max(w.x1 for w in words),
        max(w.bottom for w in words),
    )


@dataclass(frozen=True)
class Rule:
    """A ruling line as the table finder needs it, in the same units as the words."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def vertical(self) -> bool:
        """True for a line taller than it is wide."""
        return (self.bottom - self.top) > (self.x1 - self.x0)


@dataclass(frozen=True)
class WordRow:
    """One table row: a cell text per column, its box, and its least sure word's confidence."""

    cells: tuple[str, ...]
    box: Box
    confidence: float
    #: How many text lines were joined into the row (wrapped cells).
    lines: int = 1


@dataclass(frozen=True)
class WordTable:
    """A table found in a page's words: flattened header, rows, and the text around it."""

    header: tuple[str, ...]
    rows: tuple[WordRow, ...]
    #: The x-extent of each column.
    columns: tuple[tuple[float, float], ...]
    #: Lines above the table that are not part of it (titles such as "November - 2015").
    title: tuple[str, ...]
    #: Lines below it that do not fit its columns (notes, footnotes).
    notes: tuple[str, ...]
    box: Box
    header_box: Box | None
    #: True when columns came from ruling lines rather than from white space.
    ruled: bool
    #: Where wrapped lines sit: "bottom" or "top" when the page shows it, "?" when it had to
    #: guess, "" when nothing wraps or ruling lines decide.
    wrap_evidence: str = ""
    #: Columns to read a continuation page with: for an unruled table, each column starts
    #: where its header label starts (body text is aligned to it, the white space varies).
    template: tuple[tuple[float, float], ...] = ()


def find_word_tables(
    words: Sequence[Word],
    *,
    rules: Sequence[Rule] = (),
    min_rows: int = 2,
    bottom_aligned: bool | None = None,
) -> list[WordTable]:
    """Find tables in a page's words by the white space (or ruling lines) between columns.

    Works the same on a PDF's text layer and on OCR words: lines are grouped, the header is
    the run of label lines above the first row of values, columns are the x-ranges that the
    body's phrases cover (or the cells between vertical ruling lines), and lines whose first
    column is empty are joined to the row they wrap from: the one above, or the one below
    when ``bottom_aligned`` (None: judged from the page).
    """
    fold = _Fold.of(words)
    if not fold.records:
        return _find_tables(
            words,
            rules=rules,
            min_rows=min_rows,
            bottom_aligned=bottom_aligned,
            lined=fold.lines,
        )
    # The runs' lines are known to be a header and records: each run is read as one table,
    # the words between them as any page's are.
    tables: list[WordTable] = []
    title: list[_Line] = []
    for part, headed in fold.parts:
        if headed is None:
            found = _find_tables(
                part, rules=rules, min_rows=min_rows, bottom_aligned=bottom_aligned
            )
            tables.extend(found)
            title = [] if found else _lines(part, rules)[0]
            continue
        lines, height = _lines(part, rules)
        header = [_without_numbers(ln, height) for ln in lines[:1]] if headed else []
        table = _build(header, lines[len(header) :], title, rules, height, bottom_aligned)
        title = []
        if table is not None:
            tables.append(fold.unfold(table))
    if title and tables:  # lines under the last table that make no table: its notes
        last = tables[-1]
        tables[-1] = replace(last, notes=(*last.notes, *(ln.text for ln in title)))
    return tables


def read_word_table(
    words: Sequence[Word],
    columns: Sequence[tuple[float, float]],
    *,
    rules: Sequence[Rule] = (),
    bottom_aligned: bool | None = None,
    under_header: bool = False,
) -> WordTable | None:
    """Read a page's words as rows of a table whose columns are already known.

    For a page that carries on a table from the page before: every line is a row (or part
    of one), with no header, cut at the known columns, so a page whose own white space would
    suggest other columns (a column empty on that page, a long name) still lines up.
    ``under_header``: the words are those under the table's header printed again, so no
    title can stand above them, and words a space apart across a column edge are two cells.
    """
    fold = _Fold.of(words)
    lines, height = _lines(fold.words, rules, None if fold.records else fold.lines)
    if under_header:
        edges = [b for _, b in columns[:-1]]
        lines = [replace(ln, phrases=_split_at(ln.phrases, edges)) for ln in lines]
    top = 0
    while top < len(lines) and _crosses(lines[top], columns, height):
        top += 1  # a title across the columns: kept as the table's title
    if top == len(lines):
        return None
    table = _build([], lines[top:], lines[:top], rules, height, bottom_aligned, known=columns)
    return fold.unfold(table) if table is not None and fold.records else table


#: How far right a record's second line is moved to stand beside its first: past any page
#: (the widest paper is under 3,400 points wide; OCR words are in points too), the same on
#: every page so that a continuation page is cut at the first page's columns.
FOLD_SHIFT = 20_000.0


@dataclass(frozen=True)
class _Fold:
    """A page's words with each record printed on two lines folded into one line (the second
    line moved right of the first, at its height), and each record's real box."""

    words: Sequence[Word]
    #: (top, bottom) of each folded line, and the box of the two lines it came from.
    records: tuple[tuple[float, float, Box], ...]
    #: The page's words in parts, top to bottom: a run of folded records and whether it has
    #: its header (True, False), or words between runs (None).
    parts: tuple[tuple[list[Word], bool | None], ...] = ()
    #: The page's lines (group_lines) when nothing was folded, for the finder to reuse.
    lines: Sequence[Sequence[Word]] | None = None

    @classmethod
    def of(cls, words: Sequence[Word]) -> _Fold:
        """Fold the records printed on two lines, if the page shows them (folded.py)."""
        if len(words) < 4 * MIN_RECORDS:
            return cls(words, ())
        lines = group_lines(words)
        runs = two_line_records(lines, _median([w.bottom - w.top for w in words], 10.0))
        if not runs:
            return cls(words, (), lines=lines)
        moved: dict[int, list[Word]] = {}
        records = []
        for a, b in (pair for run in runs for pair in run.pairs):
            first, second = lines[a], lines[b]
            top, bottom = min(w.top for w in first), max(w.bottom for w in first)
            shift = (top + bottom) / 2 - (
                min(w.top for w in second) + max(w.bottom for w in second)
            ) / 2
            moved[b] = [
                replace(
                    w,
                    x0=w.x0 + FOLD_SHIFT,
                    x1=w.x1 + FOLD_SHIFT,
                    top=w.top + shift,
                    bottom=w.bottom + shift,
                )
                for w in second
            ]
            records.append((top, bottom, bounds([*first, *second])))
        gone = {i for run in runs for i in run.drawn}
        parts: list[tuple[list[Word], bool | None]] = []
        at = 0
        for run in runs:
            if run.first > at:
                parts.append(([w for line in lines[at : run.first] for w in line], None))
            inside = range(run.first, run.last + 1)
            parts.append(
                ([w for i in inside if i not in gone for w in moved.get(i, lines[i])], run.headed)
            )
            at = run.last + 1
        if at < len(lines):
            parts.append(([w for line in lines[at:] for w in line], None))
        out = [w for part, _ in parts for w in part]
        return cls(out, tuple(records), tuple(parts))

    def unfold(self, table: WordTable) -> WordTable:
        """``table`` with its boxes back on the page: a folded row's box covers both its
        lines. Its columns stay folded: a continuation page is cut at them."""
        rows = tuple(replace(r, box=self._box(r.box)) for r in table.rows)
        head = table.header_box
        return replace(
            table,
            rows=rows,
            box=self._box(table.box),
            header_box=self._box(head) if head is not None else None,
        )

    def _box(self, box: Box) -> Box:
        if box[2] < FOLD_SHIFT:
            return box
        inside = [
            real for top, bottom, real in self.records if box[1] <= (top + bottom) / 2 <= box[3]
        ]
        if not inside:
            left = box[0] if box[0] < FOLD_SHIFT else box[0] - FOLD_SHIFT
            return (left, box[1], box[2] - FOLD_SHIFT, box[3])
        return (
            min(r[0] for r in inside),
            min(box[1], *(r[1] for r in inside)),
            max(r[2] for r in inside),
            max(box[3], *(r[3] for r in inside)),
        )


@dataclass(frozen=True)
class _Line:
    words: tuple[Word, ...]
    phrases: tuple[tuple[Word, ...], ...]
    values: int
    top: float
    bottom: float
    middle: float

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _median(values: Sequence[float], default: float) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else default


def _phrases(
    line: Sequence[Word], gap: float, walls: Sequence[float] = ()
) -> tuple[tuple[Word, ...], ...]:
    """Split a line into phrases where the space between words is wider than ``gap``.

    ``walls`` (sorted x of vertical ruling lines crossing the line) split a phrase too: in a
    ruled table a full cell can stand closer to its neighbour than a space.
    """
    phrases: list[list[Word]] = []
    for word in line:
        last = phrases[-1][-1] if phrases else None
        size = max(word.bottom - word.top, last.bottom - last.top) if last else 0.0
        if (
            last is not None
            and word.x0 - last.x1 <= max(gap, 0.6 * size)
            and not (walls and _parted(walls, last, word))
        ):
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return tuple(tuple(p) for p in phrases)


def _walled(walls: Sequence[float], x0: float, x1: float) -> bool:
    """True when a wall lies between x0 and x1 (a little into either word counts: OCR boxes).

    x0 and x1 are the end of one word and the start of the next.
    """
    k = bisect.bisect_left(walls, x0 - 1.0)
    return k < len(walls) and walls[k] <= x1 + 1.0


def _parted(walls: Sequence[float], a: Word, b: Word) -> bool:
    """True when a wall parts two neighbouring words: between their ends (a little into
    either), or between their middles (a bold label run over its cell's rule)."""
    if _walled(walls, a.x1, b.x0):
        return True
    k = bisect.bisect_right(walls, (a.x0 + a.x1) / 2)
    return k < len(walls) and walls[k] < (b.x0 + b.x1) / 2


def _walls(rules: Sequence[Rule], height: float) -> list[tuple[float, float, float]]:
    """Vertical ruling lines taller than a line of text: (top, bottom, x), by top."""
    return sorted(
        (r.top, r.bottom, (r.x0 + r.x1) / 2)
        for r in rules
        if r.vertical and r.bottom - r.top >= height
    )


_NUMBER = re.compile(r"[$€£]?\d[\d,. ]*")


@functools.lru_cache(maxsize=65536)
def _value_like(text: str) -> bool:
    """is_value_like, with quick answers for plain numbers and for text without a digit.

    Cached: a long table repeats its values ("0", an agency's name) on every page.
    """
    if _NUMBER.fullmatch(text):
        return True
    if not any(c.isdigit() for c in text):
        # No count or day-precise date without a digit; only a redaction or an address.
        return "@" in text or find_redaction(text) is not None
    return is_value_like(text)


def _phrase_text(phrase: Sequence[Word]) -> str:
    return " ".join(w.text for w in phrase)


def _find_tables(
    words: Sequence[Word],
    *,
    rules: Sequence[Rule],
    min_rows: int,
    bottom_aligned: bool | None,
    lined: Sequence[Sequence[Word]] | None = None,
) -> list[WordTable]:
    lines, height = _lines(words, rules, lined)
    if not lines:
        return []
    multi = [ln for ln in lines if len(ln.phrases) >= 2]
    value_mode = bool(multi) and sum(ln.values > 0 for ln in multi) >= 0.3 * len(multi)
    pitch = _median([b.middle - a.middle for a, b in itertools.pairwise(lines)], height)
    # Where names wrap, rows stand further apart than lines: a blank spacer row between two
    # rows of three lines is no gap between two tables.
    data = [ln for ln in lines if _is_data(ln, value_mode)]
    # The upper quartile: a wrapped value (a fee over two lines) makes some data lines close.
    gaps = sorted(b.middle - a.middle for a, b in itertools.pairwise(data))
    # At most four lines a row: with few rows, the gap between two tables is no row pitch.
    rows_pitch = min(gaps[3 * len(gaps) // 4], 4 * pitch) if gaps else pitch
    apart = 3.5 * max(pitch, 0.75 * rows_pitch)
    frames = _frames(rules, height)
    # _rule_above looks through the horizontal rules for every line: told apart once.
    flat = [r for r in rules if not r.vertical]
    tables: list[WordTable] = []
    pending: list[_Line] = []
    i = 0
    while i < len(lines):
        start = _first_data(lines, i, value_mode)
        if start is None:
            break
        frame = next((f for f in frames if f[0] <= lines[start].middle <= f[1]), None)
        head = start
        if frame is not None:
            # In a ruled row, a tall wrapped cell's lines above the row's values are part of
            # the row, however far apart: back to the rule above it (the build moves them
            # from the header to the body by the same rule).
            above = _rule_above(flat, lines[start], frame[0])
            while head > i and lines[head - 1].middle > above:
                head -= 1
        band = head
        while (
            head > i
            and band - head < 6
            and not _is_data(lines[head - 1], value_mode)
            # Right above the rows, a header may stand a blank row away (a spacer row at
            # the top of a page of wrapped rows); higher up, lines a row apart are a title.
            and lines[head].middle - lines[head - 1].middle
            < 2.5 * (max(pitch, 0.75 * rows_pitch) if head == band else pitch)
            and not _is_title(lines[head - 1], height)
        ):
            head -= 1
        while head < band and len(lines[head].phrases) < 2:
            head += 1
        if not value_mode and head == start and start + 1 < len(lines):
            start += 1  # with no values to tell them apart, the first row of labels is the header
        end = start + 1
        while end < len(lines):
            gap = lines[end].middle - lines[end - 1].middle
            # Inside ruling lines a wrapped cell's lines (no values) carry the table on, and
            # so does a line past a wide gap when the rule of a row border explains the gap.
            inside = frame is not None and lines[end].middle <= frame[1]
            framed = any(f[0] <= lines[end].middle <= f[1] for f in frames)
            bordered = framed and _rule_above(flat, lines[end], lines[end - 1].bottom) < (
                lines[end].top
            )
            # Between ruling lines rows are told by the rules: a gap wider than lines is no
            # spacer row there (a tall ruled row's description must not run on past it).
            limit = 3.5 * pitch if framed else apart
            if (gap > limit and not bordered) or (
                value_mode
                and gap > 1.8 * pitch
                and not inside
                and not _is_data(lines[end], value_mode)
            ):
                break
            end += 1
        title = pending + lines[i:head]
        header = [_without_numbers(ln, height) for ln in lines[head:start]]
        table = _build(header, lines[start:end], title, rules, height, bottom_aligned)
        if table is not None and (len(table.rows) >= min_rows or _one_ruled_record(table)):
            tables.append(table)
            pending = []
        else:
            pending = title + lines[head:end]
        i = end
    return tables


def _one_ruled_record(table: WordTable) -> bool:
    """True for a ruled table of one row holding two values (an id and a date, say).

    A log printed with one tall row per page (a long description) is still a table there.
    """
    if not table.ruled or len(table.rows) != 1:
        return False
    return sum(_value_like(c) for c in table.rows[0].cells if c) >= 2


def _rule_above(flat: Sequence[Rule], line: _Line, floor: float) -> float:
    """Height of the nearest of the horizontal ruling lines ``flat`` above ``line`` that runs
    under most of it."""
    left, right = line.words[0].x0, line.words[-1].x1
    return max(
        (
            (r.top + r.bottom) / 2
            for r in flat
            if floor - 1 <= r.top < line.top
            and min(r.x1, right) - max(r.x0, left) >= 0.5 * (right - left)
        ),
        default=line.top,
    )


def _frames(rules: Sequence[Rule], height: float) -> list[tuple[float, float]]:
    """Heights (top, bottom) that two or more vertical ruling lines run through: ruled tables."""
    events = sorted(
        (y, step)
        for r in rules
        if r.vertical and r.bottom - r.top >= height
        for y, step in ((r.top, 1), (r.bottom, -1))
    )
    frames: list[tuple[float, float]] = []
    depth = 0
    opened = 0.0
    for y, step in events:
        before, depth = depth, depth + step
        if before < 2 <= depth:
            opened = y
        elif depth < 2 <= before:
            frames.append((opened, y))
    return frames


def _lines(
    words: Sequence[Word],
    rules: Sequence[Rule] = (),
    lined: Sequence[Sequence[Word]] | None = None,
) -> tuple[list[_Line], float]:
    """The page's lines with their phrases and value counts, and the typical word height.

    ``lined``: ``words`` already grouped into lines (group_lines), when the caller has them.
    """
    height = _median([w.bottom - w.top for w in words], 10.0)
    walls = _walls(rules, height)
    grouped = []
    for line in group_lines(words) if lined is None else lined:
        if _unreadable(line):
            continue
        middle = (min(w.top for w in line) + max(w.bottom for w in line)) / 2
        crossing = sorted(x for top, bottom, x in walls if top <= middle <= bottom) if walls else []
        grouped.append((line, _phrases(line, 0.6 * height, crossing)))
    cuts = _aligned_cuts(grouped, height)
    lines = []
    for line, phrases in grouped:
        middle = (min(w.top for w in line) + max(w.bottom for w in line)) / 2
        here = sorted(x for top, bottom, x in cuts if top <= middle <= bottom)
        if here:
            phrases = _split_at(phrases, here)
        values = (
            0 if _numbers_columns(phrases) else sum(map(_value_like, map(_phrase_text, phrases)))
        )
        top, bottom = min(w.top for w in line), max(w.bottom for w in line)
        lines.append(_Line(tuple(line), phrases, values, top, bottom, (top + bottom) / 2))
    return lines, height


#: Below this median word confidence an OCR'd line is no text: a row cut in half at the edge
#: of a pasted page strip, a stain. Text-layer words are sure (1.0) and never left out.
_UNREADABLE = 0.3


def _unreadable(line: Sequence[Word]) -> bool:
    """True for a line OCR could not read: joined to a row it would spoil its id and date."""
    confidences = sorted(w.confidence for w in line)
    return confidences[len(confidences) // 2] < _UNREADABLE


def _split_at(
    phrases: Sequence[tuple[Word, ...]], xs: Sequence[float]
) -> tuple[tuple[Word, ...], ...]:
    """Phrases split between two words wherever one of ``xs`` falls between them."""
    out: list[tuple[Word, ...]] = []
    for phrase in phrases:
        part = [phrase[0]]
        for a, b in itertools.pairwise(phrase):
            if any(a.x1 < x < b.x0 for x in xs):
                out.append(tuple(part))
                part = []
            part.append(b)
        out.append(tuple(part))
    return tuple(out)


_TIME = re.compile(r"\d{1,2}[:.]\d\d(?:[:.]\d\d)?(?:[.,]\d+)?")


@functools.lru_cache(maxsize=65536)
def _shape(text: str) -> str:
    """A word's kind, to tell two columns apart: number, value, code, lower or word."""
    if _NUMBER.fullmatch(text):
        # "26.06.2020" is written with a number's characters but is a date.
        return "value" if text.count(".") == 2 and parse_date(text).precision == "day" else "number"
    if _TIME.fullmatch(text):
        return "value"
    if any(c.isdigit() for c in text):
        return "value" if _value_like(text) else "code"
    letters = [c for c in text if c.isalpha()]
    return "lower" if letters and all(c.islower() for c in letters) else "word"


@functools.lru_cache(maxsize=65536)
def _is_date(text: str) -> bool:
    """True when the text reads as a date (any precision); cached, as phrases repeat."""
    return bool(parse_date(text).precision)


def _differ(a: Word, b: Word, phrase: Sequence[Word]) -> bool:
    """True when two neighbouring words look like two columns' values, not one value's parts.

    A date's parts ("15 August 2017", "2021-05-03 10:22 AM"), a number's digit groups
    ("1 234") and its unit ("1.350,00 EUR") are one value; a count beside a code, a date or
    a name are two. Two words of text are never told apart by their kind.
    """
    left, right = _shape(a.text), _shape(b.text)
    k = phrase.index(a)
    if k and _shape(phrase[k - 1].text) == "number" and _unit(a.text):
        left = "number"  # a unit after a number ("1.350,00 EUR")
    if left == right or {left, right} <= _TEXT:
        return False
    if left == "number" and right in _TEXT and _unit(b.text):
        return False  # a number's currency ("1.350,00 EUR")
    if left == "value" and right in _TEXT and 2 <= len(b.text) <= 4 and b.text.isupper():
        return False  # a time's AM/PM or zone
    if left in _TEXT and right == "number" and _unit(a.text):
        return False  # a currency before its amount ("EUR 400.00")
    return not _is_date(_phrase_text(phrase))


_TEXT = frozenset({"word", "lower"})


def _unit(text: str) -> bool:
    """True for a currency beside an amount: a code of three capitals ("EUR") or a sign."""
    # Not one letter (a flag: "Y", "N") nor two (a state or country: "US", "CA").
    return (len(text) == 3 and text.isalpha() and text.isupper()) or (
        len(text) <= 3 and not any(c.isalnum() for c in text)
    )


def _aligned_cuts(
    lines: Sequence[tuple[Sequence[Word], Sequence[Sequence[Word]]]], height: float
) -> list[tuple[float, float, float]]:
    """Column edges narrower than a phrase gap, found from words aligned down many lines.

    A table printed with one space between columns shows no gutter, but its columns are
    aligned: down many lines a word starts (left-aligned column) or ends (right-aligned) at
    the same x, and no word crosses just beside it. Such an edge is a column edge when the
    words either side differ in kind on most lines (a count then a code or a name), when a
    few categories follow varied names (flags, statuses), when the top line of the run is
    labels aligned the same way (a header), or when both sides are numbers aligned on their
    own (a right-aligned count, a left-aligned account number). See _edge_span.
    Returns (top, bottom, x): the cut at x for a line whose middle lies within.
    """
    spans = _Spans.of(lines)
    ocr = any(w.confidence < 1 for words, _ in lines for w in words)
    tol = (0.2 if ocr else 0.1) * height
    # (side, x, kind): "strong" for two words of different kinds (or two numbers) inside a
    # phrase, "text" for two words of text inside one, "edge" for where a phrase starts or
    # ends after a gutter. An edge is tried where strong pairs line up, or where a pair of
    # words lines up with the gutters of other lines (a flag a space after a long name).
    candidates: list[tuple[str, float, str]] = []
    for _, phrases in lines:
        for n, phrase in enumerate(phrases):
            if n:
                candidates.append(("start", phrase[0].x0, "edge"))
            if n < len(phrases) - 1:
                candidates.append(("end", phrase[-1].x1, "edge"))
            for a, b in itertools.pairwise(phrase):
                both_numbers = _shape(a.text) == _shape(b.text) == "number"
                kind = "strong" if both_numbers or _differ(a, b, phrase) else "text"
                if kind == "text" and a is phrase[0] and a.text.isdigit() and len(a.text) <= 4:
                    # A small integer before the words of a date ("1 September 2019") may
                    # be a row number: tried as such only (_row_numbers).
                    kind = "counter"
                candidates += [("start", b.x0, kind), ("end", a.x1, kind)]
    cuts: list[tuple[float, float, float]] = []
    for side in ("start", "end"):
        xs = sorted((x, kind) for s, x, kind in candidates if s == side)
        k = 0
        while k < len(xs):
            j = k
            while j + 1 < len(xs) and xs[j + 1][0] - xs[k][0] <= tol:
                j += 1
            kinds = [kind for _, kind in xs[k : j + 1]]
            strong, edges = kinds.count("strong"), kinds.count("edge")
            counters = kinds.count("counter")
            if strong >= 2 or (len(kinds) - edges - counters >= 1 and edges >= 2) or counters >= 3:
                edge = xs[(k + j) // 2][0]
                cut = edge - 0.1 * height if side == "start" else edge + 0.1 * height
                if not any(abs(c[2] - cut) < 0.3 * height for c in cuts):
                    # Tried for row numbers alone when nothing else lines up there.
                    only = counters >= 3 and strong < 2 and edges < 2
                    cuts += _runs_at(lines, side, edge, cut, tol, rows_only=only, spans=spans)
            k = j + 1
    return cuts


@dataclass(frozen=True)
class _Spans:
    """A page's words flattened line after line, to test a column edge on every line at once.

    _aligned_cuts tries tens of edges on a page of a thousand words; testing each edge word by
    word in Python was half the time of reading a dense text PDF.
    """

    words: tuple[Word, ...]
    x0: npt.NDArray[np.float64]
    x1: npt.NDArray[np.float64]
    #: Each word's line.
    line: npt.NDArray[np.intp]
    lines: int
    #: Each pair of neighbouring words of one line, by the index of its left word.
    pairs: npt.NDArray[np.intp]
    #: Each pair of neighbouring words of one phrase (line, left, right), line after line.
    joined: tuple[tuple[int, Word, Word], ...]
    joined_x1: npt.NDArray[np.float64]
    joined_x0: npt.NDArray[np.float64]
    #: Each line's words, each with the indexes of the line's phrases that hold it (by value,
    #: as ``word in phrase`` tests): a pair's phrase found by two look-ups, not by comparing
    #: the pair with every word of the line (half a million Word.__eq__ calls on a page).
    phrases_of: tuple[dict[Word, list[int]], ...]

    def shared(self, line: int, a: Word, b: Word) -> int | None:
        """The index of the first of the line's phrases that holds both words, or None."""
        of = self.phrases_of[line]
        after = of.get(b, ())
        return next((k for k in of.get(a, ()) if k in after), None)

    @classmethod
    def of(cls, lines: Sequence[tuple[Sequence[Word], Sequence[Sequence[Word]]]]) -> _Spans:
        """The spans of a page's lines, each its words and its phrases."""
        words = tuple(w for line, _ in lines for w in line)
        line = np.repeat(np.arange(len(lines), dtype=np.intp), [len(ws) for ws, _ in lines])
        joined = tuple(
            (i, a, b)
            for i, (_, phrases) in enumerate(lines)
            for phrase in phrases
            for a, b in itertools.pairwise(phrase)
        )
        return cls(
            words=words,
            x0=np.array([w.x0 for w in words], dtype=np.float64),
            x1=np.array([w.x1 for w in words], dtype=np.float64),
            line=line,
            lines=len(lines),
            pairs=np.flatnonzero(line[:-1] == line[1:]),
            joined=joined,
            joined_x1=np.array([a.x1 for _, a, _ in joined], dtype=np.float64),
            joined_x0=np.array([b.x0 for _, _, b in joined], dtype=np.float64),
            phrases_of=tuple(_phrases_of(phrases) for _, phrases in lines),
        )


def _phrases_of(phrases: Sequence[Sequence[Word]]) -> dict[Word, list[int]]:
    """Each word of a line's phrases with the indexes of the phrases that hold it, in order."""
    of: dict[Word, list[int]] = {}
    for k, phrase in enumerate(phrases):
        for word in phrase:
            held = of.setdefault(word, [])
            if not held or held[-1] != k:
                held.append(k)
    return of


def _runs_at(
    lines: Sequence[tuple[Sequence[Word], Sequence[Sequence[Word]]]],
    side: str,
    edge: float,
    cut: float,
    tol: float,
    *,
    rows_only: bool = False,
    spans: _Spans | None = None,
) -> list[tuple[float, float, float]]:
    """Cuts at ``cut`` for the lines of each run (between lines crossing it) where a column
    edge at ``edge`` holds: one (top, bottom, x) per line whose phrase it splits.
    ``rows_only``: only a row-number column before the edge counts (_row_numbers); ``spans``:
    the lines' _Spans, made once for every edge of a page."""
    found: list[tuple[float, float, float]] = []
    support: list[int] = []
    pairs: list[tuple[int, Word, Word, Sequence[Word]]] = []
    #: Pairs of words inside one phrase on either side of the cut, on any line of the run.
    joined: list[tuple[int, Word, Word]] = []

    s = spans if spans is not None else _Spans.of(lines)

    def close() -> None:
        span = (
            _edge_span(lines, cut, tol, support, pairs, s, rows_only=rows_only)
            if len(support) >= 3
            else None
        )
        if span is not None:
            apart = [(a, b) for i, a, b, _ in pairs if s.shared(i, a, b) is None]
            # Where other lines show a gutter after a column's aligned ends, a joined pair
            # splits only when its second word starts where theirs do ("Subtotal US-CO"
            # running over a wide gutter does not). Left-aligned text ends ragged: no test.
            first_start = min((b.x0 for _, b in apart), default=-math.inf)
            for i, _, b in joined:
                if not span[0] <= i <= span[1]:
                    continue
                if side == "end" and b.x0 < first_start - 0.5 * (b.bottom - b.top):
                    continue
                words = lines[i][0]
                found.append((min(w.top for w in words), max(w.bottom for w in words), cut))
        support.clear()
        pairs.clear()
        joined.clear()

    # On every line at once: a word crossing the cut, a word aligned on the edge, the pairs of
    # neighbouring words either side of the cut (in the line, in one phrase).
    crossed = np.zeros(s.lines, dtype=bool)
    crossed[s.line[(s.x0 < cut) & (cut < s.x1)]] = True
    aligned = np.zeros(s.lines, dtype=bool)
    aligned[s.line[np.abs((s.x0 if side == "start" else s.x1) - edge) <= tol]] = True
    either_side: dict[int, list[tuple[Word, Word]]] = {}
    for k in s.pairs[(s.x1[s.pairs] < cut) & (cut < s.x0[s.pairs + 1])].tolist():
        either_side.setdefault(int(s.line[k]), []).append((s.words[k], s.words[k + 1]))
    joined_at: dict[int, list[tuple[int, Word, Word]]] = {}
    for k in np.flatnonzero((s.joined_x1 < cut) & (cut < s.joined_x0)).tolist():
        joined_at.setdefault(s.joined[k][0], []).append(s.joined[k])
    for i in range(s.lines):
        if crossed[i]:
            close()
            continue
        joined.extend(joined_at.get(i, ()))
        if aligned[i]:
            support.append(i)
            # Every pair of words the edge lies between is evidence; a pair inside one phrase
            # (no gutter yet) is what the cut is for.
            phrases = lines[i][1]
            for a, b in either_side.get(i, ()):
                k = s.shared(i, a, b)
                pairs.append((i, a, b, (a, b) if k is None else phrases[k]))
    close()
    return found


def _edge_span(
    lines: Sequence[tuple[Sequence[Word], Sequence[Sequence[Word]]]],
    cut: float,
    tol: float,
    support: Sequence[int],
    pairs: Sequence[tuple[int, Word, Word, Sequence[Word]]],
    spans: _Spans,
    *,
    rows_only: bool = False,
) -> tuple[int, int] | None:
    """The first and last line an aligned edge cuts, when the words either side of it show
    two columns (see _aligned_cuts); None when they do not. ``rows_only``: only when the
    words before it are row numbers (_row_numbers); ``spans``: the lines' _Spans."""
    # Pairs of the body (under the run's top line) inside one phrase: what a cut is for. A
    # gutter (or a wall) already splits the others; a title over them proves nothing.
    joined = sum(spans.shared(i, a, b) is not None for i, a, b, _ in pairs if i != support[0])
    if not joined:
        return None
    lefts = {a.text for _, a, _, _ in pairs}
    rights = {b.text for _, _, b, _ in pairs}
    if len(lefts) == 1 and len(rights) == 1:
        return None  # the same words on every line ("Bureau of ..."): a repeated name
    body = [(i, a, b, p) for i, a, b, p in pairs if i != support[0]]
    if rows_only:
        # Numbers before the words of a date: row numbers, or a count under a label of its
        # own ("Recherches" over "17", "Date" over "décembre 2021": labels either side).
        labelled = joined >= 2 and _labels_around(lines[support[0]][0], cut)
        return (support[0], support[-1]) if labelled or _row_numbers(body, tol) else None
    changed = [i for i, a, b, p in body if _differ(a, b, p)]
    varied = len({a.text for _, a, _, _ in body}) >= 2 and len({b.text for _, _, b, _ in body}) >= 2
    if len(changed) >= 2 and len(changed) >= 0.75 * len(body) and varied:
        # Varied words both sides (not "Subtotal US-CO", "Subtotal US-TX": a label and its
        # code). From the first line that shows the change, with up to two aligned lines
        # right above it (a header), to the last.
        first = support.index(changed[0])
        while (
            first > 0
            and changed[0] - support[first - 1] <= 2
            and support[first - 1] == (support[first] - 1)
        ):
            first -= 1
        if first == 1:
            # The run's top line is the row above, a wrapped line or two up: its words
            # either side change kind as the rows' do ("23 NY" over "24 LA"), unlike a header.
            kinds = {(_shape(a.text), _shape(b.text)) for i, a, b, p in body if i in changed}
            top = [(a, b, p) for i, a, b, p in pairs if i == support[0]]
            if top and all(
                _differ(a, b, p) and (_shape(a.text), _shape(b.text)) in kinds for a, b, p in top
            ):
                first = 0
        # Rows below whose second word starts where the changed rows' do carry the column
        # on, though alone it may read as a unit after a number ("6 NYS": "NYS" like "EUR").
        begins = sorted(b.x0 for i, _, b, _ in body if i in changed)
        start = begins[len(begins) // 2]
        last = max(
            (i for i, a, b, _ in body if abs(b.x0 - start) <= tol and _unit(b.text)),
            default=changed[-1],
        )
        return support[first], max(last, changed[-1])
    texts = all(_shape(a.text) in _TEXT and _shape(b.text) in _TEXT for _, a, b, _ in body)
    if texts and len(body) >= 4:
        # A column of a few categories (flags, statuses) one space after a column of names.
        ends = {a.text for _, a, _, _ in body}
        starts = {b.text for _, _, b, _ in body}
        if len(starts) <= min(3, len(body) // 2) and len(ends) >= 3:
            return support[0], support[-1]
    # A header: the run's top line holds labels either side of the edge.
    labels = _labels_around(lines[support[0]][0], cut)
    grouped = all(
        _shape(a.text) == "number" and len(b.text) == 3 and b.text.isdigit() for _, a, b, _ in body
    )
    if labels and joined >= 2 and not grouped:
        return support[0], support[-1]
    # Two numbers a space apart on every line, the first ending and the second starting at
    # one x (a right-aligned count, a left-aligned account number): two columns, unless the
    # second is always three digits (a number's digit groups, "12 345").
    numbers = all(_shape(a.text) == _shape(b.text) == "number" for _, a, b, _ in body)
    if numbers and len(body) >= 3 and not grouped:
        ends_at = [a.x1 for _, a, _, _ in body]
        starts_at = [b.x0 for _, _, b, _ in body]
        if max(ends_at) - min(ends_at) <= 2 * tol and max(starts_at) - min(starts_at) <= 2 * tol:
            return support[0], support[-1]
    return None


def _labels_around(words: Sequence[Word], cut: float) -> bool:
    """True when words without digits stand either side of ``cut`` (two header labels)."""
    around = [(a, b) for a, b in itertools.pairwise(words) if a.x1 < cut < b.x0]
    return bool(around) and all(not any(c.isdigit() for c in a.text + b.text) for a, b in around)


def _row_numbers(body: Sequence[tuple[int, Word, Word, Sequence[Word]]], tol: float) -> bool:
    """True when the words before an edge are integers running 1, 2, 3 ... down the lines,
    aligned on one side, with the words after it starting at one x: a row-number column.

    Read with the words after them they may make a date ("1 September 2019" above
    "2 January 2019"); a day column does not count up line by line, and where the dates so
    read run day after day (a daily log) they are left whole.
    """
    if len(body) < 3 or not all(a.text.isdigit() and len(a.text) <= 4 for _, a, _, _ in body):
        return False
    numbers = [int(a.text) for _, a, _, _ in body]
    steps = [b - a for a, b in itertools.pairwise(numbers)]
    if not all(s >= 1 for s in steps) or sum(s == 1 for s in steps) < 0.8 * len(steps):
        return False
    ends = [a.x1 for _, a, _, _ in body]
    starts = [a.x0 for _, a, _, _ in body]
    if min(max(ends) - min(ends), max(starts) - min(starts)) > 2 * tol:
        return False
    after = [b.x0 for _, _, b, _ in body]
    if max(after) - min(after) > 2 * tol:
        return False
    days = [parse_date(_phrase_text(p)) for _, _, _, p in body]
    if all(d.precision == "day" for d in days):
        ordinals = [dt.date.fromisoformat(d.value[:10]).toordinal() for d in days]
        return not all(b - a == 1 for a, b in itertools.pairwise(ordinals))
    return True


def _numbers_columns(phrases: Sequence[Sequence[Word]]) -> bool:
    """True for a line of column numbers ("1 2 3 ... 24"), which labels columns, not a row."""
    texts = [w.text for p in phrases for w in p]
    numbers = [int(t) for t in texts if t.isdigit() and len(t) <= 3]
    return len(numbers) >= 4 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _without_numbers(line: _Line, height: float) -> _Line:
    """A header line without its column numbers ("1 2 ... 24"), which are no labels."""
    if not _numbers_columns(line.phrases):
        return line
    kept = tuple(w for w in line.words if not w.text.isdigit())
    return replace(line, words=kept, phrases=_phrases(kept, 0.6 * height))


def _is_title(line: _Line, height: float) -> bool:
    """True for a line in a larger font than the body (a page title such as "September 2023")."""
    return max(w.bottom - w.top for w in line.words) > 1.6 * height


def _set_larger(line: _Line, below: _Line) -> bool:
    """True for a text-layer line with a value, every word in a larger font than the row
    under it ("Export: 2020-01-05 14:22" over a table): a title, never its first row.

    A text layer's word boxes are as tall as the font; OCR boxes follow the ink, whose
    height varies too much to tell a font by. A header line holds no value.
    """
    return (
        line.values > 0
        and all(w.confidence == 1 for w in (*line.words, *below.words))
        and min(w.bottom - w.top for w in line.words)
        > 1.2 * max(w.bottom - w.top for w in below.words)
    )


def _is_data(line: _Line, value_mode: bool) -> bool:
    return len(line.phrases) >= 2 and (line.values > 0 or not value_mode)


def _first_data(lines: Sequence[_Line], start: int, value_mode: bool) -> int | None:
    """The first data line from ``start`` on that is in no larger font than the next one."""
    candidate = None
    for i in range(start, len(lines)):
        if not _is_data(lines[i], value_mode):
            continue
        if candidate is not None and not _set_larger(lines[candidate], lines[i]):
            return candidate
        candidate = i
    return candidate


def _separators(
    body: Sequence[_Line], rules: Sequence[Rule], height: float, header: Sequence[_Line] = ()
) -> tuple[list[float], bool]:
    """Column boundaries: vertical ruling lines down the body, else gaps in its phrases.

    In a ruled table, rules are taken as far out as the header's words reach too: a ruled
    column may hold no value on a page but its label.
    """
    top, bottom = body[0].top, body[-1].bottom
    left = min(w.x0 for ln in body for w in ln.words)
    right = max(w.x1 for ln in body for w in ln.words)
    span = max(bottom - top, 1.0)
    reach = [w for ln in header for w in ln.words]
    outer = min([left, *(w.x0 for w in reach)]), max([right, *(w.x1 for w in reach)])
    covered: dict[float, float] = {}
    for rule in rules:
        if not rule.vertical or rule.x0 < outer[0] - 2 * height or rule.x0 > outer[1] + 2 * height:
            continue
        overlap = min(rule.bottom, bottom) - max(rule.top, top)
        if overlap > 0:
            x = round((rule.x0 + rule.x1) / 2)
            key = next((k for k in covered if abs(k - x) <= 1.5), float(x))
            covered[key] = covered.get(key, 0.0) + overlap
    ruled = sorted(x for x, length in covered.items() if length >= 0.6 * span)
    # Whether the table is ruled is told by the rules along its rows alone: a page frame
    # out by the header's words is no evidence of a ruled table.
    if sum(left - 2 * height <= x <= right + 2 * height for x in ruled) >= 2:
        return ruled, True
    gutters = _gutters(body, left, right, height)
    return sorted([*gutters, *_number_edges(body, gutters, height)]), False


def _under_labels(
    separators: Sequence[float], body: Sequence[_Line], labels: _Line, height: float
) -> list[float]:
    """``separators`` but the gutters no wider than a space, under a word of the header line
    right above the rows, with the same word before them on every row: in a fixed-width
    font they run down a column whose values all start alike ("GO SJ 2012-1225905",
    "GO SJ 2012-1226203"), which its one label names. A label wider than its values stands
    over a gutter too ("Kundennr." over "A-68501"), but the values before it vary.
    """
    inside = 0.15 * height
    kept = []
    for x in separators:
        if not any(w.x0 + inside < x < w.x1 - inside for w in labels.words):
            kept.append(x)
            continue
        before = [max((w for w in ln.words if w.x1 <= x), key=_RIGHT, default=None) for ln in body]
        after = [min((w.x0 for w in ln.words if w.x0 >= x), default=math.inf) for ln in body]
        alike = (
            len(body) >= 3
            and all(
                w is not None and b - w.x1 <= height for w, b in zip(before, after, strict=True)
            )
            and len({w.text for w in before if w is not None}) == 1
        )
        if not alike:
            kept.append(x)
    return kept


_RIGHT = operator.attrgetter("x1")


def _number_edges(body: Sequence[_Line], gutters: Sequence[float], height: float) -> list[float]:
    """Boundaries a word space wide between a column of numbers and a column of text.

    A right-aligned count printed against a left-aligned name is closer than the phrase gap,
    so no gutter shows; but no word crosses that x, most lines have a space there, and on
    one side of it a number. Word spaces inside text line up on a few lines, not on all,
    and have words on both sides, not numbers.
    """
    if len(body) < 3:
        return []
    cuts: dict[int, list[tuple[Word, Word]]] = {}
    for line in body:
        # Spaces inside phrases only: wider ones are gutters already.
        for k, phrase in enumerate(line.phrases):
            # A date's parts may stand a phrase gap apart ("Mar 07,"  "2018 08:06 PM"): the
            # month and its day are no number beside a name.
            if _split_date(line.phrases, k):
                continue
            for a, b in itertools.pairwise(phrase):
                # The number must end its phrase on its side ("Name 123", "123 Name"): one
                # inside a name ("Town 5 Police Department") is part of the name.
                outer = (b is phrase[-1] and _shape(b.text) == "number" and not _unit(a.text)) or (
                    a is phrase[0] and _shape(a.text) == "number" and not _unit(b.text)
                )
                if b.x0 - a.x1 > 0.1 * height and outer and not _is_date(_phrase_text(phrase)):
                    for x in range(int(a.x1) + 1, int(b.x0) + 1):
                        cuts.setdefault(x, []).append((a, b))
    found: list[float] = []
    for x in sorted(cuts):
        pairs = cuts[x]
        if len(pairs) < max(3, 0.4 * len(body)) or any(abs(x - g) < 2 * height for g in gutters):
            continue
        if found and x - found[-1] < 2 * height:
            continue  # the same space, one point further on
        crossed = sum(any(w.x0 < x < w.x1 for w in ln.words) for ln in body)
        numbers = sum(
            (_shape(a.text) == "number") != (_shape(b.text) == "number") for a, b in pairs
        )
        # A stray OCR mark may cross it on a line or two.
        if crossed <= 0.1 * len(body) and numbers >= 0.8 * len(pairs):
            found.append(float(x))
    return found


def _split_date(phrases: Sequence[Sequence[Word]], k: int) -> bool:
    """True when phrase k is no date alone but one with the phrase beside it."""
    text = _phrase_text(phrases[k])
    if _is_date(text):
        return False
    before = _phrase_text(phrases[k - 1]) + " " if k else ""
    after = " " + _phrase_text(phrases[k + 1]) if k + 1 < len(phrases) else ""
    return bool(after and _is_date(text + after)) or bool(before and _is_date(before + text))


def _gutters(body: Sequence[_Line], left: float, right: float, height: float) -> list[float]:
    """Middles of the vertical strips that (almost) no phrase of the body crosses."""
    step = 0.5
    size = int((right - left) / step) + 2
    cover = [0] * size
    for line in body:
        for phrase in line.phrases:
            a = int((phrase[0].x0 - left) / step)
            b = int((phrase[-1].x1 - left) / step)
            for k in range(max(a, 0), min(b + 1, size)):
                cover[k] += 1
    # OCR words are noisy (a box too wide, two cells read as one word): there a gutter may be
    # crossed on one line in ten; a text layer's words are where they are drawn.
    ocr = any(w.confidence < 1 for ln in body for w in ln.words)
    tolerance = int((0.1 if ocr else 0.03) * len(body))
    gutters: list[float] = []
    run_start: int | None = None
    for k in range(size + 1):
        empty = k < size and cover[k] <= tolerance
        if empty and run_start is None:
            run_start = k
        elif not empty and run_start is not None:
            if run_start > 0 and k < size and (k - run_start) * step >= max(1.5, 0.15 * height):
                gutters.append(left + (run_start + k) / 2 * step)
            run_start = None
    return gutters


def _columns(
    separators: Sequence[float], body: Sequence[_Line], header: Sequence[_Line] = ()
) -> list[tuple[float, float]]:
    """The x-ranges between separators that hold words of the body or of its header.

    A column with no value on a page is still one where its label is printed (a ruled Notes
    column left blank on page 2): the page's table is as wide as the one it carries on.
    """
    left = min(w.x0 for ln in body for w in ln.words)
    right = max(w.x1 for ln in body for w in ln.words)
    edges = [min(left, *separators) - 1, *separators, max(right, *separators) + 1]
    spans = [(a, b) for a, b in itertools.pairwise(edges) if b - a > 2]
    middles = [(w.x0 + w.x1) / 2 for ln in (*body, *header) for w in ln.words]
    used = [span for span in spans if any(span[0] <= x < span[1] for x in middles)]
    first, last = spans.index(used[0]), spans.index(used[-1])
    return spans[first : last + 1]  # empty columns between used ones stay (a blank column)


def _column_of(x: float, columns: Sequence[tuple[float, float]]) -> int:
    for i, (a, b) in enumerate(columns):
        if a <= x < b:
            return i
    return min(
        range(len(columns)), key=lambda i: min(abs(x - columns[i][0]), abs(x - columns[i][1]))
    )


def _cells(line: _Line, columns: Sequence[tuple[float, float]]) -> list[list[Word]]:
    cells: list[list[Word]] = [[] for _ in columns]
    for word in line.words:
        cells[_column_of((word.x0 + word.x1) / 2, columns)].append(word)
    return cells


def _all_cells(
    lines: Sequence[_Line], columns: Sequence[tuple[float, float]]
) -> list[list[list[Word]]]:
    """_cells of every line, each word's column found by bisection where columns allow it."""
    starts = [a for a, _ in columns]
    ordered = all(a < b for a, b in columns) and all(
        b <= c for (_, b), (c, _) in itertools.pairwise(columns)
    )
    if not ordered:
        return [_cells(line, columns) for line in lines]
    # Sorted columns that do not overlap: the one holding x is the last starting at or before
    # it, the same as _column_of's first match; outside every column, _column_of decides.
    out: list[list[list[Word]]] = []
    for line in lines:
        cells: list[list[Word]] = [[] for _ in columns]
        for word in line.words:
            x = (word.x0 + word.x1) / 2
            k = bisect.bisect_right(starts, x) - 1
            if k < 0 or not x < columns[k][1]:
                k = _column_of(x, columns)
            cells[k].append(word)
        out.append(cells)
    return out


def _crosses(line: _Line, columns: Sequence[tuple[float, float]], height: float) -> bool:
    """True when a phrase runs well across a column boundary (prose, not a table row)."""
    bounds = [b for _, b in columns[:-1]]
    return any(p[0].x0 + height < x < p[-1].x1 - height for p in line.phrases for x in bounds)


def _join(parts: Sequence[str]) -> str:
    text = ""
    for part in parts:
        if not text:
            text = part
        elif text.endswith(("-", "/")) and not text.endswith((" -", " /")):
            text += part  # a word or code broken at a hyphen or slash
        else:
            text += " " + part
    return text


def _header_split(
    lines: Sequence[_Line],
    cells: Sequence[Sequence[Sequence[Word]]],
    columns: Sequence[tuple[float, float]],
    height: float,
) -> list[_Line]:
    """Header lines whose phrases are split where a label lines up with its column's values.

    Labels set a space apart ("Seats Queries Department") make one phrase; where the word
    after a space starts where a column's values start, or the word before it ends where a
    column's values end (labels aligned as their values are), it is two labels.
    """
    tol = 0.15 * height
    starts = [min((c[k][0].x0 for c in cells if c[k]), default=None) for k in range(len(columns))]
    ends = [max((c[k][-1].x1 for c in cells if c[k]), default=None) for k in range(len(columns))]
    edges = [a for a, _ in columns[1:]]
    out = []
    for n, line in enumerate(lines):
        xs = []
        for a, b in itertools.pairwise(line.words):
            begins = any(x is not None and abs(b.x0 - x) <= tol for x in starts[1:])
            closes = any(x is not None and abs(a.x1 - x) <= tol for x in ends[:-1])
            # On the line right above the rows, a space on a column edge splits too (a
            # right-aligned label beside a left-aligned one); group labels stand higher.
            on_edge = n == len(lines) - 1 and any(a.x1 < x < b.x0 for x in edges)
            # Or each word lines up with a column of its own ("Código" with the codes'
            # starts, "Pesquisas" with the counts' ends).
            anchors = {_anchor(a, starts, ends, tol), _anchor(b, starts, ends, tol)}
            apart = None not in anchors and len(anchors) == 2
            if a.x1 < b.x0 and (begins or closes or on_edge or apart):
                xs.append((a.x1 + b.x0) / 2)
        out.append(replace(line, phrases=_split_at(line.phrases, xs)) if xs else line)
    return out


def _anchor(
    word: Word, starts: Sequence[float | None], ends: Sequence[float | None], tol: float
) -> int | None:
    """The column whose values start where ``word`` starts or end where it ends, if any."""
    for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if (start is not None and abs(word.x0 - start) <= tol) or (
            end is not None and abs(word.x1 - end) <= tol
        ):
            return k
    return None


def _header(
    lines: Sequence[_Line],
    columns: Sequence[tuple[float, float]],
    rules: Sequence[Rule],
    ruled: bool,
    height: float,
) -> tuple[str, ...]:
    """One label per column: header lines joined top to bottom, group labels spread."""
    parts: list[list[str]] = [[] for _ in columns]
    centres = [(a + b) / 2 for a, b in columns]
    last = lines[-1].middle if lines else 0.0
    for line in lines:
        here = [r for r in rules if r.vertical and r.top <= line.middle <= r.bottom]
        # Borders that stop above the bottom header line mark column groups; where a group
        # line has them, the borders of every column (drawn through it too) do not count.
        groups = [r for r in here if r.bottom < last]
        if len(groups) >= 2:
            here = groups
        for phrase in line.phrases:
            x0, x1 = phrase[0].x0, phrase[-1].x1
            if ruled:
                # Out to the walls round the phrase's first and last words' middles: a bold
                # label may run a little over its cell's rule.
                crossing = [(r.x0 + r.x1) / 2 for r in here]
                left = (phrase[0].x0 + phrase[0].x1) / 2
                right = (phrase[-1].x0 + phrase[-1].x1) / 2
                x0 = max((x for x in crossing if x <= left), default=x0)
                x1 = min((x for x in crossing if x >= right), default=x1)
            hit = [i for i, c in enumerate(centres) if x0 - 1 <= c <= x1 + 1]
            if len(hit) > 1 and not ruled:
                # A label wider than its column (a right-aligned "Interrogazioni" over narrow
                # counts) lies mostly over it; a group label spreads over its columns evenly.
                inside = [min(x1, b) - max(x0, a) for a, b in columns]
                best = max(range(len(columns)), key=lambda k: inside[k])
                if inside[best] >= 0.7 * (x1 - x0):
                    hit = [best]
            if not hit:
                hit = [_column_of((phrase[0].x0 + phrase[-1].x1) / 2, columns)]
            for i in hit:
                parts[i].append(_phrase_text(phrase))
    # A cut-short label ("No Meas..") under a column's own label is a hidden column's overflow.
    parts = [[t for t in p if not t.endswith("..")] or p for p in parts]
    return tuple(_join(p) for p in parts)


def _build(
    header_lines: Sequence[_Line],
    body: Sequence[_Line],
    title: Sequence[_Line],
    rules: Sequence[Rule],
    height: float,
    bottom_aligned: bool | None,
    *,
    known: Sequence[tuple[float, float]] = (),
) -> WordTable | None:
    if known:
        columns, ruled = list(known), False
    else:
        # Lines of one phrase at the foot (notes under the table, or a wrapped cell's last
        # lines) leave out of the white space: a note runs across every gutter. Those that
        # fit the columns found without them are read as rows again below.
        core = len(body)
        # Under rows of values, a line without one at the foot is a note even when an aligned
        # edge split it in two ("* Counts are searches run | by users of each agency.").
        valued = any(ln.values for ln in body)
        while (
            core > 2 and not body[core - 1].values and (valued or len(body[core - 1].phrases) == 1)
        ):
            core -= 1
        separators, ruled = _separators(body[:core], rules, height, header_lines)
        if header_lines and not ruled:
            separators = _under_labels(separators, body, header_lines[-1], height)
        if not separators:
            return None
        columns = _columns(separators, body, header_lines)
    if len(columns) < 2:
        return None
    body = list(body)
    header_lines = list(header_lines)
    cuts = _row_cuts(rules, columns)
    if cuts and header_lines:
        # A ruled row whose first line holds no value (a wrapped name) is not a header line:
        # the rule under the header says where the header ends.
        band = sum(c < body[0].middle for c in cuts)
        while header_lines and sum(c < header_lines[-1].middle for c in cuts) == band:
            body.insert(0, header_lines.pop())
    notes: list[_Line] = []
    while body and (_crosses(body[-1], columns, height) or len(body[-1].phrases) == 0):
        notes.insert(0, body.pop())
    if not body:
        return None
    cells = _all_cells(body, columns)
    starts = _row_starts(cells, len(columns), len(body), ruled=ruled)
    foot = _foot_notes(body, starts) if not ruled and bottom_aligned is not True else len(body)
    if foot < len(body):
        notes[:0] = body[foot:]
        body, cells, starts = body[:foot], cells[:foot], starts[:foot]
    groups = _wrap_groups(body, starts, cells, rules, columns, bottom_aligned)
    evidence = ""
    if not all(starts) and not _row_cuts(rules, columns):
        evidence = "bottom" if not starts[0] else "top" if not starts[-1] else "?"
    rows: list[WordRow] = []
    for group in groups:
        if len(group) == 1:  # most rows: one line, whose cells need no joining across lines
            texts = tuple(" ".join([w.text for w in cell]) for cell in cells[group[0]])
        else:
            texts = tuple(
                _join([" ".join(w.text for w in cells[i][k]) for i in group if cells[i][k]])
                for k in range(len(columns))
            )
        members = [w for i in group for w in body[i].words]
        rows.append(
            WordRow(
                cells=texts,
                box=bounds(members),
                confidence=min(w.confidence for w in members),
                lines=len(group),
            )
        )
    every = [w for ln in [*header_lines, *body] for w in ln.words]
    head_words = [w for ln in header_lines for w in ln.words]
    return WordTable(
        header=(
            _header(
                header_lines if ruled else _header_split(header_lines, cells, columns, height),
                columns,
                rules,
                ruled,
                height,
            )
            if header_lines
            else ()
        ),
        rows=tuple(rows),
        columns=tuple(columns),
        # Phrase by phrase: a page title often shares its line with unrelated text
        # ("September 2023" beside a disclaimer), and the date must be read on its own.
        title=tuple(_phrase_text(p) for ln in title for p in ln.phrases),
        notes=tuple(ln.text for ln in notes),
        box=bounds(every),
        header_box=bounds(head_words) if head_words else None,
        ruled=ruled,
        wrap_evidence=evidence,
        template=_template(header_lines, columns, height) if not ruled else tuple(columns),
    )


def _foot_notes(body: Sequence[_Line], starts: Sequence[bool]) -> int:
    """Where notes begin under the last row: lines after it set further apart than wrapped
    lines are (a note that fits inside the first column is no part of the last name).

    Wrapped lines follow their row at the text's line spacing; a row ends with its padding.
    Returns len(body) when nothing is set apart, or when no line wraps to measure by.
    """
    last = max((i for i, s in enumerate(starts) if s), default=len(body))
    wrapped = [body[i].middle - body[i - 1].middle for i in range(1, last) if not starts[i]]
    if not wrapped or last >= len(body) - 1:
        return len(body)
    spacing = _median(wrapped, 0.0)
    for i in range(last + 1, len(body)):
        if body[i].middle - body[i - 1].middle > 1.6 * spacing:
            return i
    return len(body)


def _row_starts(
    cells: Sequence[Sequence[Sequence[Word]]], width: int, size: int, *, ruled: bool
) -> list[bool]:
    """Which body lines start a row: those holding a value where values stand one to a row.

    Names and descriptions wrap onto lines of their own; a count, date or request number
    does not. So when the columns whose cells are values are filled on fewer lines than a
    text column, a line starts a row when it holds one of those values. Otherwise (no value
    column, or nothing wraps) the first column filled on a sixth of the lines decides.
    """
    filled = [sum(bool(c[k]) for c in cells) for k in range(width)]
    values = [
        k
        for k in range(width)
        if filled[k]
        and sum(_value_like(" ".join(w.text for w in c[k])) for c in cells if c[k])
        >= 0.8 * filled[k]
    ]
    if values and max(filled[k] for k in values) < max(filled):
        starts = [any(c[k] for k in values) for c in cells]
        # Between ruling lines one row alone counts when two of its cells are values (a
        # request number and a date under a tall description).
        if sum(starts) >= 2 or (ruled and any(starts) and len(values) >= 2):
            return starts
    # Request numbers are no values and an OCR'd date may be noise: a column whose cells
    # share one form (ids, dates) starts the rows, wherever the lines between them fall.
    texts = [[" ".join(w.text for w in c[k]) for c in cells] for k in range(width)]
    forms = start_forms(texts)
    if forms:
        # A line with a value of its own is a row too (below: a subtotal's count).
        starts = [
            any(cell_form(texts[k][i]) == f for k, f in forms.items())
            or any(texts[k][i] and _value_like(texts[k][i]) for k in values)
            for i in range(size)
        ]
        if sum(starts) >= 2 or (ruled and any(starts) and len(forms) >= 2):
            return starts
    key = next((k for k, n in enumerate(filled) if n >= 0.15 * size), 0)
    # A line with a value of its own (a subtotal's count under an empty first column) is a
    # row: wrapped lines carry on a name or a note, never a count or a date.
    return [
        bool(c[key]) or any(c[k] and _value_like(" ".join(w.text for w in c[k])) for k in values)
        for c in cells
    ]


def _template(
    header_lines: Sequence[_Line], columns: Sequence[tuple[float, float]], height: float
) -> tuple[tuple[float, float], ...]:
    """Columns cut just left of where each header label starts, when every column has one."""
    starts: list[float] = []
    for k, span in enumerate(columns):
        xs = [
            w.x0
            for ln in header_lines
            for w in ln.words
            if _column_of((w.x0 + w.x1) / 2, columns) == k
        ]
        starts.append(min(xs) if xs else span[0])
    if not header_lines or any(b <= a for a, b in itertools.pairwise(starts)):
        return tuple(columns)
    edges = [columns[0][0], *(x - 0.3 * height for x in starts[1:]), columns[-1][1]]
    return tuple(itertools.pairwise(edges))


def _wrap_groups(
    body: Sequence[_Line],
    starts: Sequence[bool],
    cells: Sequence[Sequence[Sequence[Word]]],
    rules: Sequence[Rule],
    columns: Sequence[tuple[float, float]],
    bottom_aligned: bool | None,
) -> list[list[int]]:
    """Group body lines into rows: a line with an empty first column wraps from a neighbour.

    Between horizontal ruling lines a wrapped line joins the row started in its band; without
    them, the side it belongs to is judged from where wrapped lines sit (Excel prints cells
    bottom-aligned, so there the wrapped part sits above the line that starts the row).
    """
    first = [i for i, s in enumerate(starts) if s]
    if not first:
        return [list(range(len(body)))]
    cuts = _row_cuts(rules, columns)
    bands = [sum(c < ln.middle for c in cuts) for ln in body]
    if cuts and len(set(bands)) >= max(3, 0.3 * len(first)):
        # Rules between the rows: each band is one row, however its cells sit inside it
        # (a one-line cell centred beside a wrapped one is a line of its own).
        by_band: dict[int, list[int]] = {}
        for i, band in enumerate(bands):
            by_band.setdefault(band, []).append(i)
        texts = [[" ".join(w.text for w in c[k]) for c in cells] for k in range(len(columns))]
        forms = start_forms(texts)
        if bottom_aligned is None and any(_full_starts(m, cells, forms) for m in by_band.values()):
            bottom_aligned = _bottom_aligned(body, starts, cells)
        return [
            part
            for members in by_band.values()
            for part in _split_band(members, cells, forms, bool(bottom_aligned))
        ]
    if bottom_aligned is None:
        bottom_aligned = _bottom_aligned(body, starts, cells)
    groups: dict[int, list[int]] = {i: [i] for i in first}
    for i, start in enumerate(starts):
        if start:
            continue
        in_band = [s for s in first if bands[s] == bands[i]] if cuts else []
        before = [s for s in (in_band or first) if s < i]
        after = [s for s in (in_band or first) if s > i]
        if in_band:
            target = before[-1] if before else after[0]
        elif bottom_aligned:
            target = after[0] if after else before[-1]
        else:
            target = before[-1] if before else after[0]
        groups[target].append(i)
    return [sorted(groups[i]) for i in first]


def _full_starts(
    members: Sequence[int],
    cells: Sequence[Sequence[Sequence[Word]]],
    forms: dict[int, str],
) -> list[int]:
    """The lines of one ruled band that start a row of their own, when two or more do.

    Such a line holds a cell of a row-starting column's form (a request id, see
    foialog.extract.tables.wrapped) and another cell with a digit (its date). Two in one band are
    two rows
    whose rule between them the page lost (a scan's faint rule); a wrapped cell's second line
    ("11,200 US$" under an amount, "2013" under a date) holds no id.
    """
    full = []
    for i in members:
        texts = [" ".join(w.text for w in c) for c in cells[i]]
        keyed = [k for k, f in forms.items() if cell_form(texts[k]) == f]
        digits = [k for k, t in enumerate(texts) if any(ch.isdigit() for ch in t)]
        if keyed and set(digits) - {keyed[0]}:
            full.append(i)
    return full if len(full) >= 2 else []


def _split_band(
    members: Sequence[int],
    cells: Sequence[Sequence[Sequence[Word]]],
    forms: dict[int, str],
    bottom_aligned: bool,
) -> list[list[int]]:
    """A ruled band's lines as rows: one row, or one per full row start (see _full_starts)."""
    full = _full_starts(members, cells, forms)
    if not full:
        return [list(members)]
    groups: dict[int, list[int]] = {i: [] for i in full}
    for i in members:
        before = [s for s in full if s <= i]
        after = [s for s in full if s >= i]
        if bottom_aligned:
            target = after[0] if after else before[-1]
        else:
            target = before[-1] if before else after[0]
        groups[target].append(i)
    return [groups[i] for i in full]


def _row_cuts(rules: Sequence[Rule], columns: Sequence[tuple[float, float]]) -> list[float]:
    """Heights of horizontal ruling lines that run across most of the table."""
    left, right = columns[0][0], columns[-1][1]
    covered: dict[float, float] = {}
    for rule in rules:
        if rule.vertical:
            continue
        overlap = min(rule.x1, right) - max(rule.x0, left)
        if overlap > 0:
            y = (rule.top + rule.bottom) / 2
            key = next((k for k in covered if abs(k - y) <= 1.5), y)
            covered[key] = covered.get(key, 0.0) + overlap
    return sorted(y for y, length in covered.items() if length >= 0.5 * (right - left))


def _bottom_aligned(
    body: Sequence[_Line], starts: Sequence[bool], cells: Sequence[Sequence[Sequence[Word]]]
) -> bool:
    """True when wrapped lines sit above their row's first-column line (bottom alignment)."""
    if not starts or all(starts):
        return False
    if not starts[0]:
        return True
    if not starts[-1]:
        return False
    above = below = 0.0
    for i in range(1, len(body) - 1):
        if not starts[i] and starts[i - 1] and starts[i + 1]:
            above += body[i].middle - body[i - 1].middle
            below += body[i + 1].middle - body[i].middle
    if above != below:
        return below < above
    return _short_lines_end_cells(cells, starts)


def _short_lines_end_cells(
    cells: Sequence[Sequence[Sequence[Word]]], starts: Sequence[bool]
) -> bool:
    """True when the way text wraps says wrapped lines sit above their row's values.

    Text wraps by filling a line before starting the next, so a line much shorter than the
    column is the last of its cell: a short value line followed by wrapped lines ends its
    cell (bottom alignment); a short wrapped line followed by a value line ends the cell
    above it (top alignment). Evenly spaced lines give no other evidence.
    """
    bottom = top = 0
    for k in range(len(cells[0]) if cells else 0):
        widths = [(c[k][-1].x1 - c[k][0].x0) if c[k] else 0.0 for c in cells]
        full = max(widths)
        for i in range(len(cells) - 1):
            if not cells[i][k] or not cells[i + 1][k] or widths[i] >= 0.6 * full:
                continue
            if starts[i] and not starts[i + 1]:
                bottom += 1
            elif not starts[i] and starts[i + 1]:
                top += 1
    return bottom > top
