"""Clean-up before OCR chosen per page by measurement, on generated pages whose damage is known."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from foialog.extract.readers.ocr import ocr_image
from foialog.extract.readers.ocr_cleanup import (
    Cleanup,
    PageMeasures,
    apply,
    first_cleanup,
    measure,
    other_cleanups,
    reading_score,
)
from foialog.extract.tables.words import Word, group_lines
from foialog.sample.scans import scan_font

LINES = ("Agency Searches Date", "Europol 1,234 03/14/2021", "Interpol 56 11/02/2020")


def _page(*, noise: float = 0.0, paper: int = 255, ink: int = 0, seed: int = 0) -> Image.Image:
    """Three lines of a table on a letter-sized page at 200 dpi, with Gaussian noise."""
    image = Image.new("L", (1700, 2200), paper)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(LINES):
        draw.text((150, 300 + 90 * i), line, fill=ink, font=scan_font(44))
    if not noise:
        return image
    pixels = np.asarray(image, dtype=np.float32)
    pixels += np.random.default_rng(seed).normal(0, noise, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")


def _word(text: str, top: float, x0: float, confidence: float = 0.9) -> Word:
    return Word(text=text, x0=x0, top=top, x1=x0 + 60, bottom=top + 20, confidence=confidence)


def test_noise_one_bit_and_faint_pages_measure_as_such() -> None:
    clean = measure(_page())
    noisy = measure(_page(noise=20))
    assert clean.noise < 1 < 3 < noisy.noise
    assert not clean.bitonal
    assert not noisy.bitonal
    assert measure(_page().convert("1").convert("L")).bitonal
    faint = measure(_page(paper=200, ink=120))
    assert faint.faint
    assert not clean.faint


def test_only_the_clean_up_a_page_measures_for_comes_first() -> None:
    assert first_cleanup(measure(_page()), enlarged=True) == Cleanup(())
    assert first_cleanup(measure(_page(noise=20)), enlarged=False) == Cleanup(("denoise",))
    # Small text enlarged from few pixels is not median-filtered: its strokes would merge.
    assert first_cleanup(measure(_page(noise=20)), enlarged=True) == Cleanup(())
    faint = first_cleanup(measure(_page(paper=200, ink=120)), enlarged=True)
    assert faint.steps == ("contrast",)
    grey = _page(paper=200, ink=120)
    stretched = np.asarray(apply(grey, faint, measure(grey)))
    assert stretched.min() < 30
    assert stretched.max() > 230


def test_the_other_clean_ups_differ_from_the_first_and_suit_the_page() -> None:
    grey = PageMeasures(noise=5.0, bitonal=False, paper=240, ink=10)
    first = first_cleanup(grey, enlarged=False)
    others = other_cleanups(grey, first, enlarged=False)
    assert first not in others
    assert others[0] == Cleanup(("denoise", "binarise"))
    assert Cleanup(("smooth",)) in others
    fax = PageMeasures(noise=0.0, bitonal=True, paper=255, ink=0)
    # A 1-bit page has no grey for Tesseract's local threshold: never binarised again.
    assert all("binarise" not in c.steps for c in other_cleanups(fax, Cleanup(()), enlarged=True))
    assert Cleanup(("binarise",)).tesseract_options == ("-c", "thresholding_method=2")


def test_a_column_of_broken_values_lowers_the_reading_score() -> None:
    counts = [_word(t, 40 * i, 300) for i, t in enumerate(("12", "345", "67", "89"))]
    good = reading_score(counts)
    broken = reading_score([*counts[:2], _word("6T", 80, 300), counts[3]])
    assert good == 0.9
    assert broken < good * 0.8
    assert reading_score([]) == 0.0


def test_a_clean_and_a_noisy_scan_are_read_whole_and_say_what_was_done() -> None:
    clean = ocr_image(_page(), points_per_pixel=72 / 200)
    noisy = ocr_image(_page(noise=35), points_per_pixel=72 / 200)
    assert "denoise" in noisy.cleanup
    for page in (clean, noisy):
        texts = [" ".join(w.text for w in line) for line in group_lines(page.words)]
        assert texts == list(LINES)
    # A page that reads well is read once.
    assert clean.readings == 1
