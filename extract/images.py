"""Image files (PNG, JPEG, TIFF, GIF screenshots and scans) to tables through OCR."""

from __future__ import annotations

import itertools
import os
import statistics
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from entities.errors import ReadError
from extract.blocks import Blocks, CellValue, Table
from extract.ocr import OcrPage, OcrSettings, ocr_image
from extract.words import Word, group_lines

#: Environment variable that sets the OCR languages of a run ("eng", "eng+deu").
LANGUAGES_VARIABLE = "FOIALOG_OCR_LANGUAGES"
#: A gap wider than this many line heights between two words starts a new cell.
_CELL_GAP = 1.2
#: What a redaction box becomes in a cell; the value parsers read it as a redaction.
REDACTED = "█████"
#: Frames past this many in one image file are not read (a stated limit, not a silent one).
MAX_FRAMES = 500


def settings_from_environment() -> OcrSettings:
    """OCR settings for a run: languages from FOIALOG_OCR_LANGUAGES, defaults otherwise."""
    languages = os.environ.get(LANGUAGES_VARIABLE, "").strip()
    return OcrSettings(languages=languages) if languages else OcrSettings()


def read_image(
    path: Path, name: str, password: str | None, *, settings: OcrSettings | None = None
) -> Blocks:
    """OCR every frame of an image file into one table per frame (page), with confidences."""
    settings = settings or settings_from_environment()
    blocks = Blocks()
    pages = 0
    tables: list[Table] = []
    for pages, (frame, points_per_pixel) in enumerate(_frames(path, name), start=1):
        page = ocr_image(frame, settings, points_per_pixel=points_per_pixel)
        tables.extend(page_tables(page, page_number=pages))
        blocks.notes.append(_page_note(page, pages))
    # A single image has no pages to cite; frames of a TIFF or GIF are numbered like pages.
    blocks.tables = tables if pages > 1 else [replace(t, page=None) for t in tables]
    blocks.pages = blocks.ocr_pages = pages
    return blocks


def page_tables(page: OcrPage, *, page_number: int) -> list[Table]:
    """Tables found among a page's OCR words; its lines as one table when none is found."""
    words = [w for w in page.words if not _inside_redaction(w, page)]
    words += [
        Word(REDACTED, box.x0, box.top, box.x1, box.bottom, confidence=1.0)
        for box in page.redactions
    ]
    # A line with no letter or digit is scanner speckle or a rule, not a row.
    lines = [line for line in group_lines(words) if any(_meaningful(w) for w in line)]
    if not lines:
        return []
    rows: list[list[CellValue]] = []
    confidence: list[float] = []
    boxes: list[tuple[float, float, float, float]] = []
    for line in lines:
        rows.append(list(_cells(line)))
        confidence.append(min(w.confidence for w in line))
        boxes.append(
            (
                min(w.x0 for w in line),
                min(w.top for w in line),
                max(w.x1 for w in line),
                max(w.bottom for w in line),
            )
        )
    return [
        Table(
            rows=rows,
            row_numbers=list(range(1, len(rows) + 1)),
            page=page_number,
            method="ocr",
            row_confidence=confidence,
            row_boxes=boxes,
        )
    ]


def _cells(line: Sequence[Word]) -> Iterator[str]:
    """Split a line of words into cells at gaps wider than the line's text height."""
    height = statistics.median(w.bottom - w.top for w in line)
    cell = [line[0].text]
    for before, word in itertools.pairwise(line):
        if word.x0 - before.x1 > _CELL_GAP * height:
            yield " ".join(cell)
            cell = []
        cell.append(word.text)
    yield " ".join(cell)


def _meaningful(word: Word) -> bool:
    return word.text == REDACTED or any(ch.isalnum() for ch in word.text)


def _inside_redaction(word: Word, page: OcrPage) -> bool:
    """True when most of a word lies in a redaction box (a label printed on the box)."""
    area = max((word.x1 - word.x0) * (word.bottom - word.top), 1e-6)
    for box in page.redactions:
        dx = min(word.x1, box.x1) - max(word.x0, box.x0)
        dy = min(word.bottom, box.bottom) - max(word.top, box.top)
        if dx > 0 and dy > 0 and dx * dy / area > 0.5:
            return True
    return False


def _frames(path: Path, name: str) -> Iterator[tuple[Image.Image, float]]:
    """Each frame of an image with its points per pixel (1 when the file states no DPI)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= MAX_FRAMES:
                    raise ReadError(
                        f"{name}: more than {MAX_FRAMES} frames in one image; split the file"
                    )
                frame.load()
                dpi = frame.info.get("dpi")
                scale = 72 / float(dpi[0]) if dpi and float(dpi[0]) >= 50 else 1.0
                yield frame.copy(), scale
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ReadError(f"{name}: not a readable image: {exc}") from exc
    except Image.DecompressionBombWarning as exc:
        raise ReadError(f"{name}: image too large to OCR safely ({exc})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ReadError(f"{name}: the image is damaged or truncated: {exc}") from exc


def _page_note(page: OcrPage, number: int) -> str:
    turned = f", turned {page.rotation}°" if page.rotation else ""
    level = f", deskewed {page.skew:+.1f}°" if page.skew else ""
    boxes = f", {len(page.redactions)} redaction boxes" if page.redactions else ""
    return (
        f"page {number}: OCR {len(page.words)} words, mean confidence {page.confidence:.2f}"
        f"{turned}{level}{boxes}, {page.seconds:.1f} s"
    )
