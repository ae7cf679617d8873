"""A PDF page's text layer, ruling lines and filled boxes, read fast with pypdfium2."""

from __future__ import annotations

import bisect
import ctypes
import itertools
import mmap
import re
import statistics
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from foialog.errors import ReadError
from foialog.extract.tables.words import Box, Rule, Word, group_lines
from foialog.extract.values.redaction import find_redaction

# Hyphen look-alikes that fonts map to Unicode hyphens; read as "-" so "13‐Sep‐11" parses.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00ad": "-"})
_SPACES = frozenset(" \t\r\n\u00a0\u2002\u2003\u2009\u200b\ufffe\uffff")
#: Filled boxes darker than this (0 black, 1 white) are read as redaction boxes.
_DARK = 0.3
#: In a text layer without spaces, a gap between glyph outlines wider than this share of
#: the line height is a space (letters sit under 0.07 apart, spaces over 0.14, in NICS).
_SPACE_GAP = 0.11
#: A letter (or other non-digit alphanumeric): a word without one never splits.
_LETTER = re.compile(r"[^\W\d_]")
#: A path thinner than this (points) is a ruling line, not a box.
_THIN = 2.5


@dataclass(frozen=True)
class PageContent:
    """What one page holds before any table is looked for."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...]
    #: Dark filled rectangles: redaction boxes, in PDF points, top-left origin.
    fills: tuple[Box, ...]
    #: Characters whose font has no Unicode map (garbage text: the page needs OCR).
    unmapped_chars: int = 0
    chars: int = 0
    #: Words printed in white (or near it) on no background: invisible, so left out of
    #: ``words`` (a redaction's code running out past its box, hidden text).
    invisible_words: int = 0


@contextmanager
def open_pdf(path: Path, *, name: str, password: str | None) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF, turning pdfium's failures into ReadErrors that say what to do."""
    try:
        document = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        # pdfium keeps its last error code across documents and sets none when it refuses a
        # file for having no pages: a password error is believed only for an encrypted file.
        code = exc.err_code
        if code in (pdfium_c.FPDF_ERR_SUCCESS, pdfium_c.FPDF_ERR_PASSWORD) and not _holds(
            path, rb"/Encrypt"
        ):
            if _holds(path, rb"/Count 0"):
                raise ReadError(f"{name}: the PDF has no pages; there is nothing to read") from None
            code = pdfium_c.FPDF_ERR_FORMAT
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            if password is None:
                raise ReadError(
                    f"{name}: the PDF is encrypted; run again with --password PASSWORD"
                ) from None
            raise ReadError(
                f"{name}: the password given does not open this PDF; check it and run again"
            ) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(f"{name}: the PDF uses an unsupported security handler") from None
        raise ReadError(
            f"{name}: not a readable PDF ({exc}); the file may be damaged or cut short: "
            "re-download it or repair it with qpdf"
        ) from None
    try:
        yield document
    finally:
        document.close()


def _holds(path: Path, needle: bytes) -> bool:
    """True when the file's bytes contain ``needle`` (searched through a memory map)."""
    try:
        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m.find(needle) >= 0
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return False


def read_page(document: pdfium.PdfDocument, index: int) -> PageContent:
    """Read the words, ruling lines and dark filled boxes of page ``index`` (0-based)."""
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        raise ReadError(
            f"page {index + 1} cannot be loaded ({exc}); the PDF's page tree is damaged: "
            "repair it with qpdf and run again"
        ) from None
    try:
        width, height = page.get_size()
        rotation = page.get_rotation() % 360
        rules, fills, grounds = _paths(page, width, height, rotation)
        textpage = page.get_textpage()
        try:
            # Where dark boxes are, a word ends where the ink changes from light to dark: a
            # code printed in white on a box runs on into the black text beside the box.
            # A word ends at a vertical ruling line too: text run over from one ruled cell
            # ("Account-ID" in bold, wider than its column) touches its neighbour's.
            walls = sorted(((r.x0 + r.x1) / 2, r.top, r.bottom) for r in rules if r.vertical)
            words, light, unmapped, chars = _words(
                textpage, width, height, rotation, colours=bool(fills), walls=walls
            )
        finally:
            textpage.close()
    finally:
        page.close()
    invisible = {id(w) for w in light if not _on_any(w, grounds)}
    shown_width, shown_height = (height, width) if rotation in (90, 270) else (width, height)
    return PageContent(
        number=index + 1,
        width=shown_width,
        height=shown_height,
        words=tuple(w for w in words if id(w) not in invisible),
        rules=tuple(rules),
        # A dark box with light text on it is a styled cell (a header band), not a redaction.
        fills=tuple(f for f in _shown_fills(fills, light)),
        unmapped_chars=unmapped,
        chars=chars,
        invisible_words=len(invisible),
    )


def _on_any(word: Word, boxes: Sequence[Box]) -> bool:
    """True when the word's centre lies on one of ``boxes``."""
    cx, cy = (word.x0 + word.x1) / 2, word.middle
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def drop_overprinted(words: Sequence[Word]) -> list[Word]:
    """Drop a row label printed again over a value of its own line, as Tableau exports do.

    Such a label ("Ala..", or "Iowa" when it fits) is a hidden column's text overflowing
    onto its neighbour; keeping it would glue it to the number it covers. Of two words that
    overlap, the one that is cut short ("..") or repeats the line's first word goes.
    """
    dropped: set[int] = set()
    for line in group_lines(words):
        first = line[0].text
        for a, b in itertools.pairwise(line):
            # min() and max() written out (the same values): this runs for every word.
            right = b.x1 if b.x1 < a.x1 else a.x1
            left = b.x0 if b.x0 > a.x0 else a.x0
            a_width, b_width = a.x1 - a.x0, b.x1 - b.x0
            if right - left <= 0.3 * (b_width if b_width < a_width else a_width):
                continue
            for word in (a, b):
                text = word.text
                if text.endswith(("..", "\u2026")) or (word is not line[0] and text == first):
                    dropped.add(id(word))
    return [w for w in words if id(w) not in dropped]


def _shown(box: Box, width: float, height: float, rotation: int) -> Box:
    """Map a box from the unrotated page (top-left origin) to the page as displayed."""
    x0, top, x1, bottom = box
    if rotation == 90:
        return height - bottom, x0, height - top, x1
    if rotation == 180:
        return width - x1, height - bottom, width - x0, height - top
    if rotation == 270:
        return top, width - x1, bottom, width - x0
    return box


def _shown_fills(fills: list[Box], light: list[Word]) -> list[Box]:
    kept = []
    for f in fills:
        on = [w for w in light if f[0] <= (w.x0 + w.x1) / 2 <= f[2] and f[1] <= w.middle <= f[3]]
        # Light text on a dark box is a styled cell, unless it is only an exemption code
        # printed on the box ("(b)(6)" in white): that box is a redaction.
        if not on or find_redaction(" ".join(w.text for w in on)) is not None:
            kept.append(f)
    return kept


def _by_address(function: Any, *argtypes: type, restype: type = ctypes.c_int) -> Callable[..., Any]:
    """A copy of a pdfium function whose pointer arguments are plain addresses.

    ctypes checks a typed pointer argument (LP_fpdf_textpage_t) on every call, which costs
    more than pdfium's own work in a loop over every character of a page.
    """
    copy = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    copy.argtypes, copy.restype = argtypes, restype
    return cast("Callable[..., Any]", copy)


_ADDRESS = ctypes.c_void_p
_INDEX = ctypes.c_int
_HAS_MAP_ERROR = _by_address(pdfium_c.FPDFText_HasUnicodeMapError, _ADDRESS, _INDEX)
_LOOSE_BOX = _by_address(pdfium_c.FPDFText_GetLooseCharBox, _ADDRESS, _INDEX, _ADDRESS)
_TIGHT_BOX = _by_address(pdfium_c.FPDFText_GetCharBox, _ADDRESS, _INDEX, *[_ADDRESS] * 4)
_FILL_COLOR = _by_address(pdfium_c.FPDFText_GetFillColor, _ADDRESS, _INDEX, *[_ADDRESS] * 4)
_GET_OBJECT = _by_address(pdfium_c.FPDFPage_GetObject, _ADDRESS, _INDEX, restype=_ADDRESS)
_OBJECT_TYPE = _by_address(pdfium_c.FPDFPageObj_GetType, _ADDRESS)
_OBJECT_BOUNDS = _by_address(pdfium_c.FPDFPageObj_GetBounds, *[_ADDRESS] * 5)
_OBJECT_FILL = _by_address(pdfium_c.FPDFPageObj_GetFillColor, *[_ADDRESS] * 5)
_DRAW_MODE = _by_address(pdfium_c.FPDFPath_GetDrawMode, *[_ADDRESS] * 3)


def _slots(array: ctypes.Array[Any]) -> tuple[memoryview, list[int]]:
    """A ctypes array read as one memoryview, and the address of each of its items."""
    size = ctypes.sizeof(array) // len(array)
    view = memoryview(array).cast("B").cast(array._type_._type_)
    return view, [ctypes.addressof(array) + k * size for k in range(len(array))]


def _words(
    textpage: pdfium.PdfTextPage,
    width: float,
    height: float,
    rotation: int,
    *,
    colours: bool = False,
    walls: Sequence[tuple[float, float, float]] = (),
) -> tuple[list[Word], list[Word], int, int]:
    """Join characters into words where pdfium sees no space or line break between them.

    ``colours``: a word also ends where its characters change from light ink to dark or
    back (read for every character, so only asked for where it matters). ``walls``:
    vertical ruling lines (x, top, bottom), sorted by x; a word ends where one runs
    between two of its characters.
    """
    raw = textpage.raw
    page = ctypes.cast(raw, ctypes.c_void_p).value
    count = pdfium_c.FPDFText_CountChars(raw)
    # Some exporters (Tableau) place every glyph and write no spaces at all; there a space is
    # a wider gap between the glyphs' own outlines (loose boxes are all one width).
    every = textpage.get_text_range()
    # One call for the page's text instead of one per character, when it lines up with the
    # character indices (it does not when a character lies outside the BMP).
    chars = every if len(every) == count else None
    spaceless = count > 200 and every.count(" ") < 0.005 * count
    spaceless = spaceless and rotation == 0
    # pdfium writes each box into these buffers, read back in one step per character.
    loose, (loose_at, *_) = _slots((ctypes.c_float * 4)())  # FS_RECTF: left, top, right, bottom
    tight, (t_left, t_right, t_bottom, t_top) = _slots((ctypes.c_double * 4)())
    color, (c_r, c_g, c_b, c_a) = _slots((ctypes.c_uint * 4)())
    #: Per character of the current word when spaceless: loose x0, x1 and its index.
    loose_edges: list[tuple[float, float, int]] = []
    words: list[Word] = []
    light: list[Word] = []
    text: list[str] = []
    x0 = top = x1 = bottom = 0.0
    unmapped = 0
    is_light = False
    wall_xs = [x for x, _, _ in walls]
    centre = 0.0  # the last character's

    def outline(index: int) -> tuple[float, float]:
        """The left and right of a character's glyph outline (its tight box)."""
        _TIGHT_BOX(page, index, t_left, t_right, t_bottom, t_top)
        return tight[0], tight[1]

    def flush() -> None:
        joined = "".join(text).translate(_HYPHENS)
        if not spaceless:
            parts = [(joined, x0, x1)]
        elif ".." in joined or _LETTER.search(joined):
            edges = [(a, b, *outline(k)) for a, b, k in loose_edges]
            parts = _split_spaceless(joined, edges)
        else:
            # It cannot split (see _split_spaceless): only its ends' outlines are needed.
            parts = [(joined, outline(loose_edges[0][2])[0], outline(loose_edges[-1][2])[1])]
        for part, p_x0, p_x1 in parts:
            words.append(Word(part, p_x0, top, p_x1, bottom))
            if is_light:
                light.append(words[-1])
        text.clear()
        loose_edges.clear()

    for i in range(count):
        if chars is not None:
            char = chars[i]
        else:
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            char = chr(code) if 0 < code < 0x110000 else ""
        # pdfium's generated characters are spaces and line breaks, caught here too.
        if not char or char in _SPACES:
            if text:
                flush()
            continue
        unmapped += _HAS_MAP_ERROR(page, i) == 1
        if not _LOOSE_BOX(page, i, loose_at):
            continue
        left, high, right, low = loose.tolist()
        if rotation:
            c_x0, c_top, c_x1, c_bottom = _shown(
                (left, height - high, right, height - low), width, height, rotation
            )
        else:
            c_x0, c_top, c_x1, c_bottom = left, height - high, right, height - low
        if text:
            size = bottom - top
            same_line = abs((c_top + c_bottom) - (top + bottom)) / 2 < 0.5 * size
            # pdfium marks most gaps with a generated space; a jump back or a wide gap it
            # left unmarked still ends the word.
            if (
                not same_line
                or c_x0 < x0 - 0.5
                or c_x0 - x1 > 0.6 * size
                or (
                    walls
                    # A rule drawn through a word in a merged cell ("Pri|vate") or a label
                    # cut short ("Ala.|.") parts no text: a new word starts with a letter or
                    # digit, and not a lower-case letter after one.
                    and char.isalnum()
                    and not (char.islower() and text[-1].islower())
                    and _wall_between(wall_xs, walls, centre, c_x0, c_x1, c_top, c_bottom)
                )
            ):
                flush()
            elif colours:
                _FILL_COLOR(page, i, c_r, c_g, c_b, c_a)
                if _light(color) != is_light:
                    flush()
        if spaceless:
            loose_edges.append((c_x0, c_x1, i))
        if not text:
            x0, top, x1, bottom = c_x0, c_top, c_x1, c_bottom
            _FILL_COLOR(page, i, c_r, c_g, c_b, c_a)
            is_light = _light(color)
        else:
            # Conditionals, not min() and max(): the same result, at a fraction of the cost.
            x0 = c_x0 if c_x0 < x0 else x0
            top = c_top if c_top < top else top
            x1 = c_x1 if c_x1 > x1 else x1
            bottom = c_bottom if c_bottom > bottom else bottom
        text.append(char)
        centre = (c_x0 + c_x1) / 2
    if text:
        flush()
    return words, light, unmapped, count


def _wall_between(
    xs: Sequence[float],
    walls: Sequence[tuple[float, float, float]],
    left: float,
    x0: float,
    x1: float,
    top: float,
    bottom: float,
) -> bool:
    """True when a wall stands between x ``left`` and the middle of the box x0..x1, at the
    height of the box's middle."""
    right, middle = (x0 + x1) / 2, (top + bottom) / 2
    k = bisect.bisect_right(xs, left)
    while k < len(xs) and xs[k] < right:
        _, wall_top, wall_bottom = walls[k]
        if wall_top <= middle <= wall_bottom:
            return True
        k += 1
    return False


def _light(color: memoryview) -> bool:
    """True for a light fill colour (r, g, b, a): white or a pale grey."""
    return bool((0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2]) / 255 > 0.8)


def _split_spaceless(
    text: str, edges: Sequence[tuple[float, float, float, float]]
) -> list[tuple[str, float, float]]:
    """Split a word of a spaceless text layer where its glyphs sit a space apart.

    A gap counts when a letter is on one side and it is wider than both a tenth of the
    glyph height and twice the word's typical gap between letters (a bold title spaces its
    letters wider), and a letter or number follows. Digits alone never split: their outlines
    sit far inside their advance. A cut-short label ("Gra..") splits from what follows.
    """
    if len(text) != len(edges):
        return [(text, edges[0][2], edges[-1][3])] if edges else []
    if ".." not in text and not _LETTER.search(text):
        return [(text, edges[0][2], edges[-1][3])]  # no cut has a letter or ".." beside it
    gaps = [b[2] - a[3] for a, b in itertools.pairwise(edges)]
    letters = [
        g
        for g, (p, q) in zip(gaps, itertools.pairwise(text), strict=True)
        if p.isalpha() and q.isalpha()
    ]
    size = edges[0][1] - edges[0][0]
    typical = statistics.median(letters) if letters else 0.0
    limit = max(_SPACE_GAP * size, 2.2 * typical)
    cuts = [
        k + 1
        for k, (g, (p, q)) in enumerate(zip(gaps, itertools.pairwise(text), strict=True))
        if g > limit
        and q.isalnum()
        and (p.isalpha() or q.isalpha() or text[max(k - 1, 0) : k + 1] == "..")
    ]
    parts: list[tuple[str, float, float]] = []
    for a, b in itertools.pairwise([0, *cuts, len(text)]):
        # Outlines, not loose boxes: here every loose box is one width, wider than an "i".
        parts.append((text[a:b], edges[a][2], edges[b - 1][3]))
    return parts


#: Page objects light text may be printed on and still be seen: pictures, shadings, forms
#: (whose own paths are not read here, so a dark band inside one is not missed).
_GROUNDS = frozenset(
    {pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING, pdfium_c.FPDF_PAGEOBJ_FORM}
)


def _paths(
    page: pdfium.PdfPage, width: float, height: float, rotation: int
) -> tuple[list[Rule], list[Box], list[Box]]:
    """Ruling lines (thin paths and the edges of stroked boxes), dark filled boxes, and
    everything light text can be seen on (filled paths that are not light, pictures)."""
    rules: list[Rule] = []
    fills: list[Box] = []
    grounds: list[Box] = []
    page_area = width * height
    handle = ctypes.cast(page.raw, ctypes.c_void_p).value
    bounds, bounds_at = _slots((ctypes.c_float * 4)())
    mode, mode_at = _slots((ctypes.c_int * 2)())
    color, color_at = _slots((ctypes.c_uint * 4)())
    # Raw calls: pypdfium2's object helpers wrap every text object too, which costs more than
    # reading the page's text on a dense page.
    for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        raw = _GET_OBJECT(handle, k)
        kind = _OBJECT_TYPE(raw)
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH and kind not in _GROUNDS:
            continue
        if not _OBJECT_BOUNDS(raw, *bounds_at):
            continue
        left, low, right, high = bounds.tolist()
        x0, top, x1, bottom = _shown(
            (left, height - high, right, height - low), width, height, rotation
        )
        if kind in _GROUNDS:
            grounds.append((x0, top, x1, bottom))
            continue
        w, h = x1 - x0, bottom - top
        if not _DRAW_MODE(raw, *mode_at):
            continue
        fill_mode, stroke = mode.tolist()
        if w < _THIN or h < _THIN:
            if max(w, h) > 3:
                rules.append(Rule(x0, top, x1, bottom))
            continue
        if stroke:
            rules.extend(
                (
                    Rule(x0, top, x1, top),
                    Rule(x0, bottom, x1, bottom),
                    Rule(x0, top, x0, bottom),
                    Rule(x1, top, x1, bottom),
                )
            )
        if fill_mode:
            _OBJECT_FILL(raw, *color_at)
            r, g, b, a = color.tolist()
            lum = (0.299 * r + 0.587 * g + 0.114 * b) / 255
            if a > 128 and lum < _DARK and w * h < 0.3 * page_area:
                fills.append((x0, top, x1, bottom))
            if a > 128 and not _light(color):
                grounds.append((x0, top, x1, bottom))
    return rules, fills, grounds
