"""OCR with Tesseract: page images to words with boxes and confidences, upright and deskewed."""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from foialog.errors import FoialogError
from foialog.extract.readers.ocr_cleanup import (
    BETTER_BY,
    MAX_TRIES,
    NOISY,
    READS_BADLY,
    Cleanup,
    PageMeasures,
    apply,
    first_cleanup,
    is_bitonal,
    measure,
    other_cleanups,
    reading_score,
    scale_of,
)
from foialog.extract.readers.ocr_values import (
    DISAGREE,
    MARGIN,
    WHITELIST,
    bare_value,
    empty_cells,
    id_cells,
    id_shape,
    settled,
    settled_id,
    value_cells,
    value_kind,
)
from foialog.extract.tables.words import Word

_LANGUAGES = re.compile(r"[A-Za-z_]+(?:\+[A-Za-z_]+)*")
#: Environment variable that sets the OCR languages of a run ("eng", "eng+deu").
LANGUAGES_VARIABLE = "FOIALOG_OCR_LANGUAGES"
#: Below this mean word confidence a page is tried again after asking OSD which way is up.
_RETRY_ORIENTATION_BELOW = 0.6
#: Pages whose text lines are lower than this (median, in pixels) are enlarged first.
_SMALL_TEXT_PX = 20
# Tesseract is best with capital letters about 30 px high; screenshots have about 12.
_TARGET_TEXT_PX = 32
#: Lines of ink left unread by the first reading above which the page is read again.
_UNREAD_INK = 0
#: Most pixels an enlarged page may have (a letter page at 300 DPI has 8.4 million).
_MAX_PIXELS = 16_000_000
#: Most cells of one page read a second time as a count or date (each is one Tesseract run,
#: about a quarter of a CPU-second).
_MAX_REREADS = 24
#: Most id cells of one page read again (a row whose id was misread or left out).
_MAX_ID_REREADS = 8
#: Share of a re-read box's height inked in one pixel column that marks a rule or bar.
_BAR_SHARE = 0.9
#: Height (pixels) a word's crop is enlarged to before it is read again on its own.
_CELL_TEXT_PX = 48
#: Widest gap (pixels) bridged inside a scanned rule, and the share of a rule that is ink.
_RULE_GAP = 3
_RULE_FILL = 0.9
#: Above this share of ink along its side, a line is letters' feet, not a rule.
_RULE_NEIGHBOURS = 0.2
#: Widest break (pixels) between two pieces of one rule (a step where the line moves a row).
_RULE_JOIN = 16
#: Pixels a faint rule is averaged over along its length, and how much darker than the paper
#: the average must be (noise of 25 grey levels averages out to about 6).
_FAINT_RUN = 15
_FAINT_DROP = 25
#: Widest gap (pixels) between the specks of a dotted rule, and the share of it that is ink.
_DOT_GAP = 40
_DOT_FILL = 0.12
#: A dotted rule's band holds at least this many times the specks of the paper around it.
_DOT_CONTRAST = 3.0
#: Tallest speck (pixels) of a dotted rule: a thin line's dots are one to three pixels high;
#: the slivers of a line of letters cut in half where page strips were pasted together are
#: taller (the Eugene request log's page 4).
_DOT_HEIGHT = 3
#: A dotted rule is at least this many specks, none more than this share of its ink.
_DOT_PIECES = 8
_DOT_LARGEST = 0.25


class OcrError(FoialogError):
    """OCR could not run: Tesseract or a language is missing, or it failed on an image."""


@dataclass(frozen=True)
class OcrSettings:
    """How to OCR: languages ("eng", "eng+deu"), page render DPI, time limit, deskew."""

    languages: str = "eng"
    dpi: int = 300
    #: Seconds Tesseract may spend on one page image before it is stopped.
    timeout: float = 120.0
    #: Largest skew (degrees) the projection deskew looks for; 0 turns deskew off.
    max_skew: float = 5.0
    #: Ask Tesseract's orientation detection (--psm 0) when a page reads badly.
    detect_orientation: bool = True

    def __post_init__(self) -> None:
        if not _LANGUAGES.fullmatch(self.languages):
            raise OcrError(
                f"OCR languages {self.languages!r} are not valid: give Tesseract codes joined "
                "by '+', such as 'eng' or 'eng+deu'"
            )
        if not 72 <= self.dpi <= 1200:
            raise OcrError(f"OCR dpi {self.dpi} is out of range: use 72 to 1200 (300 is usual)")
        if self.timeout <= 0:
            raise OcrError(f"OCR timeout {self.timeout} must be a positive number of seconds")
        if not 0 <= self.max_skew <= 45:
            raise OcrError(f"OCR max_skew {self.max_skew} must be 0 to 45 degrees")


@dataclass(frozen=True)
class Box:
    """A rectangle in the same units as the page's words (top-left origin)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class OcrPage:
    """What OCR found on one page image, in points (or pixels when the image has no DPI)."""

    words: list[Word]
    width: float
    height: float
    #: Quarter turns (0, 90, 180, 270, clockwise) applied to make the page upright.
    rotation: int = 0
    #: Degrees the upright page was turned to level its lines (counter-clockwise positive).
    skew: float = 0.0
    #: Filled dark rectangles: redaction boxes (labels printed on them are not read).
    redactions: list[Box] = field(default_factory=list)
    #: Thin straight ruling lines (table borders), wiped before reading.
    rules: list[Box] = field(default_factory=list)
    seconds: float = 0.0
    #: Clean-up steps taken, each chosen by a measure of this page: margins, deskew, turn,
    #: upscale, lines (ruling lines wiped), contrast, denoise, binarise, smooth.
    cleanup: tuple[str, ...] = ()
    #: Full-page Tesseract readings made to choose the clean-up and the orientation.
    readings: int = 1

    @property
    def confidence(self) -> float:
        """Mean word confidence, 0-1 (0 when no word was read)."""
        return sum(w.confidence for w in self.words) / len(self.words) if self.words else 0.0


def settings_from_environment() -> OcrSettings:
    """OCR settings for a run: languages from FOIALOG_OCR_LANGUAGES, defaults otherwise."""
    languages = os.environ.get(LANGUAGES_VARIABLE, "").strip()
    return OcrSettings(languages=languages) if languages else OcrSettings()


def tesseract_program() -> str:
    """Return the path of the tesseract program, or raise an error that says how to install it."""
    found = shutil.which("tesseract")
    if found is None:
        raise OcrError(
            "OCR needs the tesseract program, which is not installed: run "
            "scripts/install-system.sh, or `sudo apt-get install tesseract-ocr tesseract-ocr-eng` "
            "(macOS: `brew install tesseract`)"
        )
    return found


@functools.lru_cache(maxsize=1)
def installed_languages() -> tuple[str, ...]:
    """Return the language codes Tesseract has installed (osd included when present)."""
    done = _run([tesseract_program(), "--list-langs"], b"", timeout=30.0)
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return tuple(sorted(line.strip() for line in lines[1:] if line.strip()))


def check_languages(languages: str) -> None:
    """Raise an error naming the missing languages, the installed ones and the fix."""
    have = installed_languages()
    missing = [code for code in languages.split("+") if code not in have]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in missing)
        raise OcrError(
            f"OCR language {'+'.join(missing)} is not installed; installed: "
            f"{', '.join(c for c in have if c != 'osd') or 'none'}; add it with "
            f"`sudo apt-get install {packages}` or choose an installed language"
        )


def ocr_image(
    image: Image.Image, settings: OcrSettings | None = None, *, points_per_pixel: float = 1.0
) -> OcrPage:
    """OCR one page image: make it upright and level, read words, and scale boxes to points."""
    settings = settings or OcrSettings()
    check_languages(settings.languages)
    started = time.perf_counter()
    gray = _grayscale(image)
    whitened, level, skew = _level(gray, settings.max_skew)
    # Measured before levelling, which gives a 1-bit page grey edges.
    bitonal = is_bitonal(gray)
    read = _read_level(level, settings, bitonal=bitonal)
    readings = read.tries
    rotation = 0
    if settings.detect_orientation and _mean_confidence(read.words) < _RETRY_ORIENTATION_BELOW:
        turn = _orientation(level, settings)
        if turn:
            turned = level.rotate(-turn, expand=True)
            again = _read_level(turned, settings, bitonal=bitonal)
            readings += again.tries
            if _mean_confidence(again.words) > _mean_confidence(read.words):
                read, level, rotation = again, turned, turn
    scale = points_per_pixel
    steps = (
        *(("margins",) if whitened is not gray else ()),
        *(("deskew",) if skew else ()),
        *(("turn",) if rotation else ()),
        *read.steps,
    )
    return OcrPage(
        words=[_box_words(w, scale) for w in read.words],
        width=level.width * scale,
        height=level.height * scale,
        rotation=rotation,
        skew=skew,
        redactions=[_scale_box(b, scale) for b in read.redactions],
        rules=[_scale_box(b, scale) for b in read.rules],
        seconds=time.perf_counter() - started,
        cleanup=steps,
        readings=readings,
    )


def _level(gray: Image.Image, max_skew: float) -> tuple[Image.Image, Image.Image, float]:
    """The page with its copier margins whitened, and levelled: (whitened, level, skew)."""
    whitened = _whiten_margins(gray)
    skew = _skew_angle(whitened, max_skew) if max_skew else 0.0
    # A margin is straight before levelling when the scanner made it, after when the copier
    # that made the page did: both are whitened.
    level = _whiten_margins(_rotate(whitened, skew)) if skew else whitened
    return whitened, level, skew


def level_like_ocr(image: Image.Image, max_skew: float = OcrSettings.max_skew) -> Image.Image:
    """A page image levelled by the skew ocr_image finds in it, so OCR boxes fit it."""
    gray = _grayscale(image)
    return _rotate(gray, _skew_angle(gray, max_skew) if max_skew else 0.0)


def levelled(image: Image.Image, page: OcrPage) -> Image.Image:
    """The page image as OCR read it: grayscale, levelled by its skew, turned upright."""
    level = _rotate(_grayscale(image), page.skew)
    return level.rotate(-page.rotation, expand=True) if page.rotation else level


@dataclass(frozen=True)
class _Read:
    """Words, redaction boxes and ruling lines of an upright, level page, in its pixels."""

    words: list[Word]
    redactions: list[Box]
    rules: list[Box]
    #: Clean-up steps the reading kept (upscale, lines, contrast, denoise, binarise, smooth).
    steps: tuple[str, ...] = ()
    #: Full-page readings made to choose the clean-up (1 when the first read well).
    tries: int = 1


def _read_level(level: Image.Image, settings: OcrSettings, *, bitonal: bool) -> _Read:
    """Find boxes and rules, wipe them (Tesseract reads rules as | and [), then read words."""
    measures = measure(level, bitonal=bitonal)
    clean, redactions, rules = wiped(level, noisy=measures.noise >= NOISY)
    enlarge = _enlargement(clean)
    if enlarge > 1:
        size = (round(clean.width * enlarge), round(clean.height * enlarge))
        clean = clean.resize(size, Image.Resampling.LANCZOS)
    cleanup, image, found, tries = _chosen_reading(clean, measures, settings, enlarge > 1)
    options = cleanup.tesseract_options
    if _unread_ink(image, found) > _UNREAD_INK:
        # Mode 3's block finder leaves out what it takes for no text, right-aligned columns
        # of short numbers among them; mode 6 reads the page as one block of lines, which
        # finds them but runs words of a loose layout together: its words are taken only
        # where mode 3 read nothing.
        try:
            again = _read_words(image, settings, "6", extra=options)
        except OcrError:
            again = []  # out of time on a dense page: the first reading stands
        found += [w for w in again if not _overlaps(w, found)]
    found = _reread_values(image, found, settings)
    scale = enlarge * scale_of(clean, cleanup)
    words = [_box_words(w, 1 / scale) for w in found]
    # A rule that escaped wiping is read as a bar glued to a word ("|Name", "AM|ROSALIND"):
    # never text here, and a bar inside a word parts two cells.
    words = [part for w in words for part in _split_at_bars(w)]
    steps = (
        *(("upscale",) if enlarge > 1 else ()),
        *(("lines",) if rules else ()),
        *cleanup.steps,
    )
    return _Read(words=words, redactions=redactions, rules=rules, steps=steps, tries=tries)


def wiped(level: Image.Image, *, noisy: bool = False) -> tuple[Image.Image, list[Box], list[Box]]:
    """The level page with its redaction boxes and ruling lines painted white, and those
    (grey rules looked for too on a ``noisy`` page)."""
    redactions = find_redaction_boxes(level)
    rules = [
        r for r in find_rules(level, noisy=noisy) if not any(_inside(r, b) for b in redactions)
    ]
    clean = level.copy()
    draw = ImageDraw.Draw(clean)
    for box in [*redactions, *rules]:
        draw.rectangle((box.x0 - 1, box.top - 1, box.x1 + 1, box.bottom + 1), fill=255)
    return clean, redactions, rules


def _chosen_reading(
    clean: Image.Image, measures: PageMeasures, settings: OcrSettings, enlarged: bool
) -> tuple[Cleanup, Image.Image, list[Word], int]:
    """The page read with the clean-up its measures call for, and, when that reads badly,
    with other clean-ups: the best-scoring reading, its clean-up and image, and how many
    readings were made."""
    cleanup = first_cleanup(measures, enlarged=enlarged)
    image = apply(clean, cleanup, measures)
    found = _read_words(image, settings, "3", extra=cleanup.tesseract_options)
    score = reading_score(found)
    tries = 1
    # Read again only when Tesseract is unsure of the words themselves: a table of many
    # broken values read surely (the Eugene request log's page 6) lost a row's lines when
    # read enlarged and smoothed.
    if _mean_confidence(found) >= READS_BADLY:
        return cleanup, image, found, tries
    for other in other_cleanups(measures, cleanup, enlarged=enlarged)[:MAX_TRIES]:
        candidate = apply(clean, other, measures)
        try:
            again = _read_words(candidate, settings, "3", extra=other.tesseract_options)
        except OcrError:
            break  # out of time on a hard page: the readings so far stand
        tries += 1
        better = reading_score(again)
        if better > score + BETTER_BY:
            cleanup, image, found, score = other, candidate, again, better
        if _mean_confidence(found) >= READS_BADLY:
            break
    return cleanup, image, found, tries


def _reread_values(gray: Image.Image, words: list[Word], settings: OcrSettings) -> list[Word]:
    """Words in a column of counts or dates that are no value, each read again on its own.

    The second reading is of the word's box alone, as one line (--psm 7), with only the
    characters of a number or a date allowed; ocr_values.settled keeps the reading that is
    a value and lowers the confidence when the two differ. A cell of such a column left
    unread on a line of values, where ink is, is read the same way.
    """
    kept = list(words)
    chosen = value_cells(words)[:_MAX_REREADS]
    for index, kind in chosen:
        word = words[index]
        if value_kind(bare_value(word.text)) == kind:
            kept[index] = replace(word, text=bare_value(word.text))
            continue  # a value with a speck at its end: no second reading needed
        box = (round(word.x0), round(word.top), round(word.x1), round(word.bottom))
        text, confidence = _read_value(gray, box, WHITELIST[kind], settings)
        kept[index] = settled(word, text, confidence, kind)
    budget = _MAX_REREADS - len(chosen)
    for (x0, top, x1, bottom), kind in empty_cells(kept):
        box = (round(x0), round(top), round(x1), round(bottom))
        if budget <= 0 or not _inked(gray, box):
            continue
        budget -= 1
        text, confidence = _read_value(gray, box, WHITELIST[kind], settings)
        if value_kind(text) == kind:
            # Read only the second time: the row is as sure as a disagreement.
            sure = round(confidence * DISAGREE, 3)
            kept.append(Word(text=text, x0=x0, top=top, x1=x1, bottom=bottom, confidence=sure))
    return _reread_ids(gray, kept, settings)


def _reread_ids(gray: Image.Image, words: list[Word], settings: OcrSettings) -> list[Word]:
    """Id cells of rows read without their id (ocr_values.id_cells), each read again alone.

    A reading in the column's shape replaces what was read there first, the row as sure as a
    disagreement; any other reading leaves the first one standing, less sure when it differs.
    """
    kept: list[Word | None] = list(words)
    added: list[Word] = []
    budget = _MAX_ID_REREADS
    for cell in id_cells(words):
        x0, top, x1, bottom = cell.box
        box = (round(x0), round(top), round(x1), round(bottom))
        if budget <= 0:
            break
        if not _inked(gray, box):
            continue
        budget -= 1
        text, confidence = _read_value(gray, box, cell.whitelist, settings)
        after = settled_id([words[i] for i in cell.first], text, confidence, cell)
        if id_shape(text) == cell.shape:
            added += after
            for index in cell.first:
                kept[index] = None
        else:
            for index, word in zip(cell.first, after, strict=True):
                kept[index] = word
    return [w for w in kept if w is not None] + added


def reread_cells(
    image: Image.Image,
    settings: OcrSettings,
    cells: Sequence[tuple[float, float, float, float]],
    whitelist: str,
    *,
    points_per_pixel: float,
    size: tuple[float, float],
) -> list[tuple[str, float]] | None:
    """Cells of a page image ocr_image read before, each read again alone as one line of the
    whitelist's characters (as _reread_ids reads an id cell): (text, confidence) per cell.

    ``cells`` are boxes in the points of that reading, whose page measured ``size``; the
    image is levelled the same way first. None when the levelled image is of another size
    (OCR turned the page upright): its boxes would not fit. An uninked cell reads "".
    """
    _, level, _ = _level(_grayscale(image), settings.max_skew)
    width, height = level.width * points_per_pixel, level.height * points_per_pixel
    if abs(width - size[0]) > 1 or abs(height - size[1]) > 1:
        return None
    readings: list[tuple[str, float]] = []
    for cell in cells:
        x0, top, x1, bottom = (round(v / points_per_pixel) for v in cell)
        box = (x0, top, x1, bottom)
        inked = _inked(level, box)
        readings.append(_read_value(level, box, whitelist, settings) if inked else ("", 0.0))
    return readings


def _read_value(
    gray: Image.Image, box: tuple[int, int, int, int], whitelist: str, settings: OcrSettings
) -> tuple[str, float]:
    """A box read alone as one line of the whitelist's characters (a number's, a date's, an
    id column's): text, confidence.

    The box is cut to its tallest band of inked rows (a rule or a neighbour's descenders
    above or below are left out), set on a white border and enlarged to a readable height.
    """
    x0, top, x1, bottom = box
    pad = round(MARGIN * (bottom - top))
    crop = gray.crop(
        (
            max(0, x0 - pad),
            max(0, top - pad),
            min(gray.width, x1 + pad),
            min(gray.height, bottom + pad),
        )
    )
    ink = np.asarray(crop) < 128
    # A column inked from top to bottom of the padded box is a rule or a bar beside the cell
    # (a row's dark edge), never a letter: left in, it is read as a letter or swallows one.
    # Its soft edge is grey, so lighter ink counts there.
    bars = (np.asarray(crop) < 200).mean(axis=0) >= _BAR_SHARE
    if bars.any():
        bars[1:] |= bars[:-1].copy()
        bars[:-1] |= bars[1:].copy()
        pixels = np.array(crop)
        pixels[:, bars] = 255
        crop, ink = Image.fromarray(pixels, "L"), ink & ~bars
    rows = ink.any(axis=1)
    padded = np.concatenate(([False], rows, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    runs = list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))
    if not runs:
        return "", 0.0
    start, end = max(runs, key=lambda r: r[1] - r[0])
    crop = crop.crop((0, start, crop.width, end))
    if crop.height < _CELL_TEXT_PX:
        grow = _CELL_TEXT_PX / crop.height
        crop = crop.resize((round(crop.width * grow), _CELL_TEXT_PX), Image.Resampling.LANCZOS)
    crop = ImageOps.expand(crop, border=crop.height // 2, fill=255)
    try:
        again = _read_words(
            crop, settings, "7", extra=["-c", f"tessedit_char_whitelist={whitelist}"]
        )
    except OcrError:
        return "", 0.0  # out of time: the first reading stands
    text = "".join(w.text for w in again)
    return text, min((w.confidence for w in again), default=0.0)


def _inked(gray: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """True when a box holds strokes of ink (more than a speck or a dotted rule)."""
    dark = np.asarray(gray.crop(box)) < 128
    return bool(dark.size) and int((dark.sum(axis=0) > 0).sum()) >= 0.15 * dark.shape[0]


def _split_at_bars(word: Word) -> list[Word]:
    """The parts of a word between bars, boxes shared out by their number of characters."""
    if "|" not in word.text:
        return [word]
    width = (word.x1 - word.x0) / len(word.text)
    parts: list[Word] = []
    start = 0
    for piece in word.text.split("|"):
        if piece.strip():
            x0 = word.x0 + start * width
            parts.append(replace(word, text=piece.strip(), x0=x0, x1=x0 + len(piece) * width))
        start += len(piece) + 1
    return parts


def find_rules(gray: Image.Image, *, thickness: int = 6, noisy: bool = False) -> list[Box]:
    """Find thin straight ruling lines (table borders) in a page image, in pixels.

    A scanned rule is rarely whole: a faint or blurred line, broken into dashes where a fax's
    threshold cut it, or stepping one pixel up every few hundred where the page was levelled
    a twentieth of a degree short. Ink is judged against the paper around it (a faint line is
    darker than its paper, not than a fixed grey), short gaps in a run are bridged, and the
    pieces of one line that step or break are joined into one rule. On a ``noisy`` page, grey
    rules are looked for on the page averaged along each line's direction as well.
    """
    dark = _ink(gray)
    solid = np.asarray(gray) < 128
    # A quarter inch at 300 dpi: longer than any letter's stroke, shorter than the border of
    # one row of a table printed row by row (an Excel print with breaks between rows).
    length = max(40, round(0.03 * min(dark.shape)))
    found: list[Box] = []
    for transposed in (False, True):
        grid = dark.T if transposed else dark
        strict = solid.T if transposed else solid
        pieces = [
            band
            for band in _bands(grid, lambda row: _line_spans(row, length))
            if band[1] - band[0] <= thickness  # thicker is a filled area, not a line
        ]
        for top, bottom, x0, x1 in _joined(pieces, step=thickness // 2 + 1, thickness=thickness):
            if _beside_ink(grid, top, bottom, x0, x1) > _RULE_NEIGHBOURS:
                continue  # the foot of a line of letters (serifs, underlined words)
            top, bottom = _core(strict, top, bottom, x0, x1)
            found.append(Box(top, x0, bottom, x1) if transposed else Box(x0, top, x1, bottom))
    if noisy:
        # Only there: a clean screenshot's light grey row lines never break its words, and
        # the table finder reads its rows better without them (eugene-flock-sharing-screenshots).
        found += _faint_rules(gray, found, thickness=thickness, length=2 * length)
    found += _dotted_rules(dark, found, thickness=thickness, length=4 * length)
    # A piece found by one pass inside a longer line found by a later one is that line.
    return [
        rule
        for rule in found
        if not any(
            _length(other) > _length(rule) and _same_line(rule, other, thickness) for other in found
        )
    ]


def _length(box: Box) -> float:
    return max(box.x1 - box.x0, box.bottom - box.top)


def _faint_rules(
    gray: Image.Image, found: Sequence[Box], *, thickness: int, length: int
) -> list[Box]:
    """Grey rules on a noisy page: found on the page averaged along each line's direction.

    A thin rule blurred to light grey and overlaid with noise is dark in only some of its
    pixels; averaged over a few pixels along the line it is an even grey band a little
    darker than the paper, while the noise around it evens out to the paper's shade.
    """
    # Imported here: scipy took a quarter of a CPU-second of every run's start, scans or not.
    from scipy import ndimage

    pixels = np.asarray(gray, dtype=np.float32)
    small = gray.reduce(8) if min(gray.size) >= 64 else gray
    paper = small.filter(ImageFilter.MaxFilter(5)).resize(gray.size, Image.Resampling.BILINEAR)
    background = np.asarray(paper, dtype=np.float32)
    rules: list[Box] = []
    for transposed in (False, True):
        smooth = ndimage.uniform_filter1d(pixels, size=_FAINT_RUN, axis=0 if transposed else 1)
        dark = smooth < background - _FAINT_DROP
        grid = dark.T if transposed else dark
        pieces = [
            band
            for band in _bands(grid, lambda row: _line_spans(row, length))
            if band[1] - band[0] <= thickness
        ]
        for top, bottom, x0, x1 in _joined(pieces, step=thickness // 2 + 1, thickness=thickness):
            box = Box(top, x0, bottom, x1) if transposed else Box(x0, top, x1, bottom)
            if _beside_ink(grid, top, bottom, x0, x1) > _RULE_NEIGHBOURS or any(
                _same_line(box, other, thickness) for other in [*found, *rules]
            ):
                continue
            rules.append(box)
    return rules


def _dotted_rules(
    dark: np.ndarray, found: Sequence[Box], *, thickness: int, length: int
) -> list[Box]:
    """Rules across the page broken into specks: runs of specks no taller than a thin rule.

    A faint rule under blur, noise and a fax's threshold is a row of dots with gaps wider
    than a solid rule's. Tesseract glues such dots to the words beside them, which then
    stand taller than their line and are grouped with the wrong row. Only specks as flat as
    a thin rule count (letters are taller), and a run of them must be long and dense: scattered
    noise is neither. Rules down the page are not looked for this way: the 1s of a column
    of dates ("2019", "2017") stack into such a run.
    """
    from scipy import ndimage

    labels, count = ndimage.label(dark, structure=np.ones((3, 3), dtype=bool))
    if not count:
        return []
    heights = np.array([0, *(s[0].stop - s[0].start for s in ndimage.find_objects(labels))])
    keep = heights <= _DOT_HEIGHT
    keep[0] = False  # the paper
    thin = keep[labels]
    # The dots of a rule levelled a little short wander a row or two: each row is seen with
    # its neighbours.
    rows = thin.copy()
    rows[1:] |= thin[:-1]
    rows[:-1] |= thin[1:]
    speckle = float(rows.mean())
    pieces = [
        (y, y + 1, x0, x1)
        for y in np.flatnonzero(rows.sum(axis=1) >= _DOT_FILL * length).tolist()
        for x0, x1 in _line_spans(rows[y], length, gap=_DOT_GAP, fill=_DOT_FILL)
    ]
    rules: list[Box] = []
    for top, bottom, x0, x1 in _joined(pieces, step=2, thickness=thickness):
        box = Box(x0, top, x1, bottom)
        if (
            _beside_ink(dark, top, bottom, x0, x1) > _RULE_NEIGHBOURS
            or not _stands_out(rows, top, bottom, x0, x1, 2 * thickness, speckle)
            or not _many_specks(labels, top, bottom, x0, x1)
            or any(_same_line(box, other, thickness) for other in found)
        ):
            continue
        rules.append(box)
    return rules


def _stands_out(
    grid: np.ndarray, top: int, bottom: int, x0: int, x1: int, off: int, speckle: float
) -> bool:
    """True when a band holds many times the specks of the strips a little above and below
    it and of the page (``speckle``, its share of specks): a row of dots, not a noisy
    page's speckle, which is as dense everywhere."""
    height = bottom - top
    band = float(grid[top:bottom, x0:x1].mean())
    strips = (
        grid[max(0, top - off - height) : max(0, top - off), x0:x1],
        grid[bottom + off : bottom + off + height, x0:x1],
    )
    around = max((float(s.mean()) for s in strips if s.size), default=0.0)
    return band >= _DOT_CONTRAST * max(around, speckle)


def _many_specks(labels: np.ndarray, top: int, bottom: int, x0: int, x1: int) -> bool:
    """True when a band's ink is many specks, none of them much of it: a letter's stem
    among noise is one piece that holds most of the ink."""
    inside = labels[max(0, top - 1) : bottom + 1, x0:x1]
    _, sizes = np.unique(inside[inside > 0], return_counts=True)
    return len(sizes) >= _DOT_PIECES and sizes.max() <= _DOT_LARGEST * sizes.sum()


def _same_line(a: Box, b: Box, thickness: int) -> bool:
    """True when line ``a`` was found already as ``b``: close across, mostly along it."""
    if (a.x1 - a.x0 >= a.bottom - a.top) != (b.x1 - b.x0 >= b.bottom - b.top):
        return False
    if a.x1 - a.x0 >= a.bottom - a.top:
        across = abs((a.top + a.bottom) - (b.top + b.bottom)) / 2
        along = min(a.x1, b.x1) - max(a.x0, b.x0)
        return across <= thickness and along >= 0.5 * (a.x1 - a.x0)
    across = abs((a.x0 + a.x1) - (b.x0 + b.x1)) / 2
    along = min(a.bottom, b.bottom) - max(a.top, b.top)
    return across <= thickness and along >= 0.5 * (a.bottom - a.top)


def _core(strict: np.ndarray, top: int, bottom: int, x0: int, x1: int) -> tuple[int, int]:
    """A line's rows that are mostly solid ink; all its rows when none is (a faint rule).

    The grey edge of a rule is not wiped with it: one row more under a header's rule cut the
    descenders of its letters ("Request" read "Prequest").
    """
    rows = [y for y in range(top, bottom) if strict[y, x0:x1].mean() >= 0.5]
    return (rows[0], rows[-1] + 1) if rows else (top, bottom)


def _beside_ink(grid: np.ndarray, top: int, bottom: int, x0: int, x1: int) -> float:
    """Share of ink in the few rows along either side of a line (the larger side)."""
    above = grid[max(0, top - 3) : max(0, top - 1), x0:x1]
    below = grid[bottom + 1 : bottom + 3, x0:x1]
    return max(float(side.mean()) if side.size else 0.0 for side in (above, below))


def _ink(gray: Image.Image) -> np.ndarray:
    """Pixels darker than the paper around them (a faint rule on a stain counts as ink)."""
    pixels = np.asarray(gray, dtype=np.int16)
    small = gray.reduce(8) if min(gray.size) >= 64 else gray
    paper = small.filter(ImageFilter.MaxFilter(5)).resize(gray.size, Image.Resampling.BILINEAR)
    background = np.asarray(paper, dtype=np.int16)
    return (pixels < 128) | (pixels < background - 45)


def _line_spans(
    row: np.ndarray, length: int, *, gap: int = _RULE_GAP, fill: float = _RULE_FILL
) -> list[tuple[int, int]]:
    """Runs of ink at least ``length`` long, bridging gaps up to ``gap`` pixels (a dashed
    scan), at least ``fill`` of each run inked."""
    padded = np.concatenate(([False], row, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    if not edges.size:
        return []
    starts, ends = edges[0::2], edges[1::2]
    # Runs closer than a gap are one group: a group starts after each wider gap. Vectorised:
    # a page has thousands of rows, a row of text hundreds of runs.
    first = np.concatenate(([0], np.flatnonzero(starts[1:] - ends[:-1] > gap) + 1))
    last = np.concatenate((first[1:] - 1, [len(starts) - 1]))
    begin, end = starts[first], ends[last]
    inked = np.add.reduceat(ends - starts, first)
    keep = (end - begin >= length) & (inked >= fill * (end - begin))
    return list(zip(begin[keep].tolist(), end[keep].tolist(), strict=True))


def _joined(
    pieces: list[tuple[int, int, int, int]], *, step: int, thickness: int
) -> list[tuple[int, int, int, int]]:
    """Pieces of one line joined: (top, bottom, x0, x1).

    Pieces within ``step`` rows of a line that touch or overlap it end to end are the same
    line (stepping, broken, or a thick line whose rows differ in length), while the line
    stays no thicker than ``thickness`` plus a step.
    """
    joined: list[list[int]] = []
    for top, bottom, x0, x1 in sorted(pieces, key=lambda p: (p[2], p[0])):
        for line in joined:
            near = line[0] - step <= top and bottom <= line[1] + step
            thin = max(line[1], bottom) - min(line[0], top) <= thickness + step
            if near and thin and x0 - line[3] <= _RULE_JOIN:
                line[:] = [min(line[0], top), max(line[1], bottom), line[2], max(x1, line[3])]
                break
        else:
            joined.append([top, bottom, x0, x1])
    return sorted((a, b, c, d) for a, b, c, d in joined)


def _bands(
    grid: np.ndarray, spans_of: Callable[[np.ndarray], list[tuple[int, int]]]
) -> list[tuple[int, int, int, int]]:
    """Runs of rows sharing one dark span: (top, bottom, x0, x1), top to bottom."""
    bands: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}
    for y in range(grid.shape[0] + 1):
        spans = spans_of(grid[y]) if y < grid.shape[0] else []
        for span, start in list(open_runs.items()):
            if not any(abs(s[0] - span[0]) <= 2 and abs(s[1] - span[1]) <= 2 for s in spans):
                bands.append((start, y, span[0], span[1]))
                del open_runs[span]
        for span in spans:
            if not any(abs(s[0] - span[0]) <= 2 and abs(s[1] - span[1]) <= 2 for s in open_runs):
                open_runs[span] = y
    return sorted(bands)


def _scale_box(box: Box, scale: float) -> Box:
    return Box(
        round(box.x0 * scale, 2),
        round(box.top * scale, 2),
        round(box.x1 * scale, 2),
        round(box.bottom * scale, 2),
    )


def parse_tsv(tsv: str) -> list[Word]:
    """Turn Tesseract's TSV output into words (pixels), dropping empty and non-word entries."""
    words: list[Word] = []
    # Tesseract writes text unquoted, so a quote character in a word is data, not quoting.
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        conf = float(row["conf"])
        if conf < 0:
            continue
        left, top = int(row["left"]), int(row["top"])
        words.append(
            Word(
                text=text,
                x0=left,
                top=top,
                x1=left + int(row["width"]),
                bottom=top + int(row["height"]),
                confidence=round(conf / 100, 3),
            )
        )
    return words


def find_redaction_boxes(gray: Image.Image, *, min_size: int = 12) -> list[Box]:
    """Find filled dark rectangles (redaction boxes) in a grayscale page image, in pixels.

    A box is a stack of rows in which the same wide span is solid dark, or two such bands
    (above and below a label printed in white) with a mostly dark space between them. Text
    is never that solid, and a ruled cell is light inside, so neither is taken for a box.
    """
    small = 2 if gray.width > 1000 else 1
    pixels = np.asarray(gray.reduce(small) if small > 1 else gray) < 100
    need = max(2, min_size // small)
    bands = _bands(pixels, lambda row: _dark_spans(row, need))
    boxes: list[Box] = []
    used: set[int] = set()
    for i, (top, bottom, x0, x1) in enumerate(bands):
        if i in used:
            continue
        for j in range(i + 1, len(bands)):
            top2, bottom2, a0, a1 = bands[j]
            if top2 - bottom > 6 * need:
                break
            if j in used or abs(a0 - x0) > 3 or abs(a1 - x1) > 3:
                continue
            # A ruled cell or text is under a fifth dark; a box with a white label, over a third.
            if top2 <= bottom or pixels[bottom:top2, x0:x1].mean() >= 0.35:
                bottom, used = max(bottom, bottom2), used | {j}
        box = Box(x0 * small, top * small, x1 * small, bottom * small)
        if bottom - top >= need and not any(_inside(box, b) for b in boxes):
            boxes = [b for b in boxes if not _inside(b, box)] + [box]
    return boxes


def _inside(inner: Box, outer: Box, slack: float = 4) -> bool:
    return (
        inner.x0 >= outer.x0 - slack
        and inner.x1 <= outer.x1 + slack
        and inner.top >= outer.top - slack
        and inner.bottom <= outer.bottom + slack
    )


def _dark_spans(row: np.ndarray, need: int) -> list[tuple[int, int]]:
    """Runs of dark pixels at least ``need`` long, allowing small light gaps (label text)."""
    spans: list[tuple[int, int]] = []
    padded = np.concatenate(([False], row, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    merged: list[list[int]] = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if merged and s - merged[-1][1] <= 3:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    for s, e in merged:
        if e - s >= max(need * 3, 20) and row[s:e].mean() > 0.9:
            spans.append((s, e))
    return spans


def _grayscale(image: Image.Image) -> Image.Image:
    """Grayscale on white: transparency flattened, dark-mode screenshots inverted."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    gray = image.convert("L")
    if float(np.asarray(gray.reduce(4) if min(gray.size) >= 8 else gray).mean()) < 110:
        gray = ImageOps.invert(gray)
    return gray


def _whiten_margins(gray: Image.Image) -> Image.Image:
    """The page with dark copier margins (bands along its edges, mostly ink) made white.

    Left dark, a margin reads as a ruling line, a redaction box or a column of specks. A
    margin turned with the page is a wedge: each line (row or column) is whitened as far as
    its own run of ink reaches from the band, not only as far as the band's straight part.
    """
    pixels = np.array(gray)
    dark = pixels < 128
    # A margin's inner edge fades into the paper: grey on the way out is the margin's too.
    shade = pixels < 200
    changed = False
    # Each edge seen with the edge at column 0: left, right, top, bottom.
    for view, ink, grey in (
        (pixels, dark, shade),
        (pixels[:, ::-1], dark[:, ::-1], shade[:, ::-1]),
        (pixels.T, dark.T, shade.T),
        (pixels[::-1].T, dark[::-1].T, shade[::-1].T),
    ):
        start, band = _edge_run(ink.mean(axis=0))
        if band:
            # Each line is whitened over its own first run of grey (gaps of a pixel or two
            # bridged) when that run starts in the band's outer half or is half the band
            # long: a wedge is narrower than the band on some lines, where the first
            # letters stand inside the band.
            reach = max(band, int(0.1 * ink.shape[1]))
            more = grey[:, :reach].copy()
            more[:, :-2] |= more[:, 1:-1] | more[:, 2:]
            columns = np.arange(reach)[None, :]
            first = np.argmax(more, axis=1)[:, None]
            after = ~more & (columns >= first)
            end = np.where(after.any(axis=1), np.argmax(after, axis=1), reach)[:, None]
            # A margin moved off the edge by the turn starts further in, but is a long run.
            near = (first < (start + band) / 2) | (end - first >= (band - start) / 2)
            margin = more.any(axis=1, keepdims=True) & (first < band) & near
            # A run cut short by noise in the margin's fading edge goes on to the band's end
            # where no letter stands before it.
            letters = (ink[:, :reach] & (columns >= end) & (columns < band)).any(
                axis=1, keepdims=True
            )
            end = np.where(letters, end, np.maximum(end, band))
            view[:, :reach][margin & (columns < end)] = 255
            changed = True
    return Image.fromarray(pixels, "L") if changed else gray


def _edge_run(share: np.ndarray) -> tuple[int, int]:
    """Where a band of lines each more than half ink starts and ends, from the edge ((0, 0)
    when there is none).

    The band may start a little in (a copier's shade fades towards the paper's edge); it may
    take no more than a tenth of the page, so a table is never taken for a margin.
    """
    solid = share > 0.5
    start = int(np.argmax(solid))
    if not solid[start] or start > 0.03 * len(share):
        return 0, 0
    end = start + int(np.argmin(solid[start:])) if not solid[start:].all() else len(share)
    return (start, end) if end <= 0.1 * len(share) else (0, 0)


def _enlargement(gray: Image.Image) -> float:
    """How much to enlarge an image whose text is small (screenshots), from dark-run heights."""
    pixels = np.asarray(gray) < 128
    # A row crossing a line of text is inked over about 1% of the width or more; speckle
    # and stray dots ink far less.
    rows = pixels.sum(axis=1) >= max(2, 0.008 * pixels.shape[1])
    padded = np.concatenate(([False], rows, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    heights = (edges[1::2] - edges[0::2]).tolist()
    # Line heights of text: ignore one-pixel rules and very tall blocks (images, boxes).
    heights = [h for h in heights if 4 <= h <= 200]
    if not heights:
        return 1.0
    typical = float(np.median(heights))
    if typical >= _SMALL_TEXT_PX:
        return 1.0
    # Tesseract's time grows with the pixels: a page is never enlarged past the budget.
    budget = math.sqrt(_MAX_PIXELS / (gray.width * gray.height))
    return max(1.0, min(4.0, _TARGET_TEXT_PX / typical, budget))


def _skew_angle(gray: Image.Image, max_skew: float) -> float:
    """Angle (degrees) that makes text lines horizontal: the one with the sharpest row profile."""
    small = gray.copy()
    small.thumbnail((1200, 1200))
    ink = Image.fromarray(((np.asarray(small) < 140) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST)).sum(axis=1)
        return float(np.square(np.diff(rows.astype(np.float64))).sum())

    coarse = np.arange(-max_skew, max_skew + 1e-9, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1)
    angle = float(max(fine, key=sharpness))
    # Below a tenth of a degree, turning the image costs sharpness and gains nothing.
    return round(angle, 1) if abs(angle) >= 0.1 else 0.0


def _rotate(gray: Image.Image, angle: float) -> Image.Image:
    if not angle:
        return gray
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


def _read_words(
    gray: Image.Image, settings: OcrSettings, mode: str, *, extra: Sequence[str] = ()
) -> list[Word]:
    done = _tesseract(gray, settings, ["--psm", mode, *extra, "tsv"])
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def _unread_ink(gray: Image.Image, words: list[Word]) -> int:
    """Lines of ink no word box covers: text the reading left out (speckle is too thin)."""
    dark = np.asarray(gray) < 128
    for w in words:
        dark[int(w.top) - 2 : int(w.bottom) + 3, max(0, int(w.x0) - 2) : int(w.x1) + 3] = False
    # Count text-like blobs cheaply: ink in at least a few pixels of a row, in runs of rows
    # as tall as a letter.
    rows = dark.sum(axis=1) >= 3
    padded = np.concatenate(([False], rows, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return sum(1 for a, b in zip(edges[0::2], edges[1::2], strict=True) if b - a >= 6)


def _overlaps(word: Word, others: list[Word]) -> bool:
    return any(
        word.x0 < o.x1 and o.x0 < word.x1 and word.top < o.bottom and o.top < word.bottom
        for o in others
    )


def _orientation(gray: Image.Image, settings: OcrSettings) -> int:
    """Quarter turns Tesseract's OSD says to apply (0 when unsure or OSD is not installed)."""
    if "osd" not in installed_languages():
        return 0
    try:
        done = _tesseract(gray, settings, ["--psm", "0"], languages="osd")
    except OcrError:
        return 0  # OSD gives up on pages with few letters; the upright reading stands
    text = done.stdout.decode("utf-8", "replace")
    rotate = re.search(r"Rotate:\s*(\d+)", text)
    confident = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    if rotate is None or confident is None or float(confident.group(1)) < 1.0:
        return 0
    return int(rotate.group(1)) % 360


def _tesseract(
    gray: Image.Image, settings: OcrSettings, args: list[str], *, languages: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    buffer = io.BytesIO()
    gray.save(buffer, format="PNG")
    dpi = str(max(70, min(1200, settings.dpi)))
    command = [
        tesseract_program(),
        "stdin",
        "stdout",
        "-l",
        languages or settings.languages,
        "--dpi",
        dpi,
        *args,
    ]
    return _run(command, buffer.getvalue(), timeout=settings.timeout)


def _run(command: list[str], data: bytes, *, timeout: float) -> subprocess.CompletedProcess[bytes]:
    # One thread per Tesseract: pages already run in parallel, and OpenMP threads fight them.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(
            f"Tesseract took longer than {timeout:g} s on a page image and was stopped; "
            "raise --ocr-timeout (seconds per page) to give it more time"
        ) from exc
    except OSError as exc:
        raise OcrError(f"cannot start Tesseract ({command[0]}): {exc.strerror or exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(
            f"Tesseract failed (exit {done.returncode}): {message[-1] if message else 'no message'}"
        )
    return done


def _mean_confidence(words: list[Word]) -> float:
    return sum(w.confidence for w in words) / len(words) if words else 0.0


def _box_words(word: Word, scale: float) -> Word:
    return Word(
        text=word.text,
        x0=round(word.x0 * scale, 2),
        top=round(word.top * scale, 2),
        x1=round(word.x1 * scale, 2),
        bottom=round(word.bottom * scale, 2),
        confidence=word.confidence,
    )
