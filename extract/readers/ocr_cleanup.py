"""Image clean-up before OCR, chosen per page by measurement (issue 13 point 2).

A page is measured first (text height, a 1-bit page, the spread between paper and ink, pixel
noise) and the clean-up its measures call for is applied before the first reading: small text
enlarged, a grey page's contrast stretched, a 3-pixel median on text large enough to keep its
strokes. When Tesseract is unsure of that reading's words (mean word confidence low), other
clean-ups are tried, each a full reading, and the best-scoring reading is kept (the mean word
confidence lowered by the share of count or date cells that are no number or date):
binarisation by Tesseract's own Sauvola threshold (stains, uneven paper), and enlarging with
smoothing (jagged fax strokes, small text).
Levelling, turning, margins and ruling lines are measured in ocr.py and are listed with these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from foialog.extract.readers.ocr_values import value_cells, value_kind
from foialog.extract.tables.words import Word

#: Robust spread (grey levels) of the paper around its 3-pixel median above which a page is
#: noisy: clean, JPEG and 1-bit pages measure 0-1.5, a noisy scan 3 and more.
NOISY = 2.0
#: Paper and ink closer than this many grey levels: a faint or grey page, stretched.
FAINT = 120
#: Share of its marks pure black above which a page is 1-bit (a fax, a bitonal scan).
BITONAL = 0.97
#: Below this mean word confidence a page reads badly and other clean-ups are tried (the
#: readings are then compared by reading_score).
READS_BADLY = 0.8
#: A clean-up tried after the first reading is kept only when it reads this much better.
BETTER_BY = 0.02
#: Most extra readings of one page (each a full Tesseract run, 1-4 CPU-seconds).
MAX_TRIES = 2
#: Side (pixels) of the page's middle part that is measured: the page's paper and text.
_SAMPLE = 1200
#: Percentile of a page's pixels taken for its ink.
_INK_SHARE = 0.2
#: Enlargement of a poorly read page with small or jagged text, before smoothing.
_SMOOTH_SCALE = 2.0
#: Most pixels a smoothed, enlarged page may have (Tesseract's time grows with them).
_MAX_PIXELS = 20_000_000

#: Tesseract's Sauvola binarisation (a local threshold: stains, uneven paper, grey text).
_SAUVOLA = ("-c", "thresholding_method=2")


@dataclass(frozen=True)
class PageMeasures:
    """What a page image measures: noise, 1-bit, and the grey of its paper and of its ink."""

    noise: float
    bitonal: bool
    paper: float
    ink: float

    @property
    def faint(self) -> bool:
        """Paper and ink too close for a global threshold."""
        return self.paper - self.ink < FAINT


@dataclass(frozen=True)
class Cleanup:
    """One way to clean a page: image steps in order, and Tesseract options."""

    steps: tuple[str, ...]

    @property
    def tesseract_options(self) -> tuple[str, ...]:
        """The options the steps ask of Tesseract itself (its binarisation)."""
        return _SAUVOLA if "binarise" in self.steps else ()


def measure(gray: Image.Image, *, bitonal: bool | None = None) -> PageMeasures:
    """Measure a grayscale page: noise (in its middle), paper and ink levels, and whether it
    is 1-bit (given when the page was measured before levelling, which greys a 1-bit page)."""
    width, height = gray.size
    side = min(_SAMPLE, width, height)
    left, top = (width - side) // 2, (height - side) // 2
    crop = gray.crop((left, top, left + side, top + side))
    pixels = np.asarray(crop, dtype=np.int16)
    smooth = np.asarray(crop.filter(ImageFilter.MedianFilter(3)), dtype=np.int16)
    # The median absolute deviation of the paper from its median, as a Gaussian's sigma:
    # letters' edges, a few pixels in a thousand, do not move it; speckle everywhere does.
    residual = (pixels - smooth)[smooth > 150]
    noise = 1.4826 * float(np.median(np.abs(residual))) if residual.size else 0.0
    page = np.asarray(gray)
    paper = float(np.percentile(page, 75))
    # Text covers a few hundredths of a page; its darkest part stands for the ink.
    ink = float(np.percentile(page, _INK_SHARE))
    one_bit = is_bitonal(gray) if bitonal is None else bitonal
    return PageMeasures(noise=round(noise, 2), bitonal=one_bit, paper=paper, ink=ink)


def is_bitonal(gray: Image.Image) -> bool:
    """True for a 1-bit page (a fax, a bitonal scan): its marks have no grey edges."""
    page = np.asarray(gray)
    marked = int((page < 235).sum())
    grey = int(((page > 20) & (page < 235)).sum())
    return marked > 0 and grey <= (1 - BITONAL) * marked


def first_cleanup(measures: PageMeasures, *, enlarged: bool) -> Cleanup:
    """The clean-up the page's measures call for before its first reading."""
    steps: list[str] = []
    if measures.faint and not measures.bitonal:
        steps.append("contrast")
    # Text this large is a scan: a 3-pixel median removes speckle and keeps the strokes. It
    # stays on first (on the degraded-scan seeds no pixel measure told the 1-bit pages it
    # helps from those it hurts); a page that reads badly is read without it too. On small
    # text enlarged from few pixels it would blur the strokes together.
    if not enlarged:
        steps.append("denoise")
    return Cleanup(tuple(steps))


def other_cleanups(measures: PageMeasures, first: Cleanup, *, enlarged: bool) -> list[Cleanup]:
    """Clean-ups to try, most likely first, when the first reading reads badly.

    Small or 1-bit text first enlarged and smoothed (its strokes are few pixels or jagged),
    other pages first binarised locally. The median is not turned off: on speckled 1-bit
    scans of the degraded-scan seeds (59, 72) the reading without it scored better and was
    worse, its speckle left out of the score as words Tesseract did not report.
    """
    smooth = Cleanup((*(s for s in first.steps if s != "denoise"), "smooth"))
    binarise = Cleanup((*first.steps, "binarise"))
    if measures.bitonal:
        # A 1-bit page has no grey for a local threshold to choose from.
        options = [smooth]
    elif enlarged:
        options = [smooth, binarise]
    else:
        options = [binarise, smooth]
    return [c for c in options if c.steps != first.steps]


def apply(gray: Image.Image, cleanup: Cleanup, measures: PageMeasures) -> Image.Image:
    """The page image with the clean-up's image steps applied (binarising is Tesseract's)."""
    image = gray
    for step in cleanup.steps:
        if step == "contrast":
            image = stretched(image, measures.ink, measures.paper)
        elif step == "denoise":
            image = image.filter(ImageFilter.MedianFilter(3))
        elif step == "smooth":
            image = smoothed(image)
    return image


def stretched(gray: Image.Image, ink: float, paper: float) -> Image.Image:
    """The page's grey levels stretched so that its ink is black and its paper white."""
    span = max(1.0, paper - ink)
    table = [min(255, max(0, round((v - ink) * 255 / span))) for v in range(256)]
    return gray.point(table)


def smoothed(gray: Image.Image) -> Image.Image:
    """The page enlarged and smoothed: jagged 1-bit strokes and small letters made round."""
    scale = _smooth_scale(gray)
    if scale > 1:
        size = (round(gray.width * scale), round(gray.height * scale))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    return gray.filter(ImageFilter.GaussianBlur(max(1.0, scale / 2)))


def scale_of(gray: Image.Image, cleanup: Cleanup) -> float:
    """How much the clean-up enlarges the page (boxes read on it are divided by this)."""
    return _smooth_scale(gray) if "smooth" in cleanup.steps else 1.0


def _smooth_scale(gray: Image.Image) -> float:
    return max(1.0, min(_SMOOTH_SCALE, float(np.sqrt(_MAX_PIXELS / (gray.width * gray.height)))))


def reading_score(words: Sequence[Word]) -> float:
    """How well a page read, 0-1: the mean confidence of its words holding a letter or digit,
    lowered by the share of words in columns of numbers or dates that are no number or date."""
    meant = [w for w in words if any(ch.isalnum() for ch in w.text)]
    if not meant:
        return 0.0
    confidence = sum(w.confidence for w in meant) / len(meant)
    values = sum(1 for w in meant if value_kind(w.text))
    broken = len(value_cells(meant))
    return confidence * (1 - broken / (values + broken)) if values + broken else confidence
