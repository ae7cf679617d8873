"""What the readers found on a page, drawn over the page's image (foialog inspect --png).

PDF pages with a text layer, image-only PDF pages and image files (read by OCR) alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from foialog.errors import ReadError
from foialog.extract.readers.images import image_frames, page_word_tables
from foialog.extract.readers.ocr import OcrSettings, levelled, ocr_image, settings_from_environment
from foialog.extract.readers.ocr_pages import page_ocr_reason
from foialog.extract.readers.pdf.furniture import split_furniture
from foialog.extract.readers.pdf.redaction import apply_redactions
from foialog.extract.readers.pdf.text import drop_overprinted, open_pdf, read_page
from foialog.extract.tables.words import Box, WordTable, bounds, find_word_tables, group_lines

#: Pixels per PDF point in the drawing (144 DPI).
SCALE = 2.0
_TABLE = (0, 90, 200)
_HEADER = (0, 150, 60)
_CELL = (120, 170, 230)
_REDACTION = (220, 0, 0)
_FURNITURE = (230, 140, 0)


@dataclass(frozen=True)
class PageFindings:
    """What the reader found on one page, in PDF points (top-left origin)."""

    page: int
    tables: tuple[WordTable, ...]
    redactions: tuple[Box, ...]
    furniture: tuple[Box, ...]
    #: A page read by OCR: the image as OCR read it (upright and level), which the boxes fit.
    image: Image.Image | None = None
    #: Pixels of ``image`` per point.
    image_scale: float = 1.0


def page_findings(
    path: Path, page: int, *, password: str | None = None, settings: OcrSettings | None = None
) -> PageFindings:
    """Find the tables, redaction boxes and furniture of page ``page`` (1-based).

    A PDF page with a text layer is read from it; an image-only page, and every frame of an
    image file (PNG, JPEG, TIFF), are read by OCR as the readers read them.
    """
    if not _is_pdf(path):
        return _image_findings(path, page, settings or settings_from_environment())
    with open_pdf(path, name=path.name, password=password) as document:
        if not 1 <= page <= len(document):
            raise ReadError(
                f"{path.name}: there is no page {page}; the PDF has {len(document)} page(s)"
            )
        handle = document[page - 1]
        if page_ocr_reason(handle):
            settings = settings or settings_from_environment()
            bitmap = handle.render(scale=settings.dpi / 72, grayscale=True)
            return _ocr_findings(bitmap.to_pil(), page, settings, 72 / settings.dpi)
        content = read_page(document, page - 1)
    words = drop_overprinted(content.words)
    kept, _ = split_furniture(words, content.height)
    left = {id(w) for w in kept}
    furniture = [bounds(line) for line in group_lines([w for w in words if id(w) not in left])]
    kept, _ = apply_redactions(kept, content.fills, page=page)
    tables = find_word_tables(kept, rules=content.rules)
    return PageFindings(page, tuple(tables), tuple(content.fills), tuple(furniture))


def _image_findings(path: Path, page: int, settings: OcrSettings) -> PageFindings:
    """OCR frame ``page`` of an image file as foialog.extract.readers.images reads it."""
    for number, (frame, points_per_pixel) in enumerate(image_frames(path, path.name), start=1):
        if number == page:
            return _ocr_findings(frame, page, settings, points_per_pixel)
    raise ReadError(f"{path.name}: there is no page {page}; the image has {number} frame(s)")


def _ocr_findings(
    image: Image.Image, page: int, settings: OcrSettings, points_per_pixel: float
) -> PageFindings:
    found = ocr_image(image, settings, points_per_pixel=points_per_pixel)
    tables, _ = page_word_tables(found, page_number=page)
    return PageFindings(
        page,
        tuple(tables),
        tuple((b.x0, b.top, b.x1, b.bottom) for b in found.redactions),
        (),
        image=levelled(image, found),
        image_scale=1 / points_per_pixel,
    )


def draw_page(path: Path, page: int, *, password: str | None = None) -> Image.Image:
    """The page rendered with its tables, headers, cells, redactions and furniture outlined.

    Tables are blue, their headers green, cells light blue, redaction boxes red and page
    furniture (page and Bates numbers, stamps) orange. A page read by OCR is drawn as OCR
    read it: upright and level, at SCALE.
    """
    found = page_findings(path, page, password=password)
    if found.image is not None:
        ratio = SCALE / found.image_scale
        size = (round(found.image.width * ratio), round(found.image.height * ratio))
        rendered = found.image.resize(size, Image.Resampling.LANCZOS)
    else:
        with open_pdf(path, name=path.name, password=password) as document:
            rendered = document[page - 1].render(scale=SCALE).to_pil()
    image: Image.Image = rendered.convert("RGB")
    draw = ImageDraw.Draw(image)
    for table in found.tables:
        for row in table.rows:
            top, bottom = row.box[1], row.box[3]
            for x0, x1 in table.columns:
                _rect(draw, (x0, top, x1, bottom), _CELL, 1)
        if table.header_box is not None:
            _rect(draw, table.header_box, _HEADER, 3)
        _rect(draw, table.box, _TABLE, 3)
    for box in found.redactions:
        _rect(draw, box, _REDACTION, 4)
    for box in found.furniture:
        _rect(draw, box, _FURNITURE, 3)
    return image


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(1024).lstrip().startswith(b"%PDF-")


def _rect(draw: ImageDraw.ImageDraw, box: Box, colour: tuple[int, int, int], width: int) -> None:
    x0, top, x1, bottom = (v * SCALE for v in box)
    draw.rectangle((x0 - 2, top - 2, x1 + 2, bottom + 2), outline=colour, width=width)
