"""Evidence for a number: the page image cropped around the record's box, with the box drawn."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from foialog.errors import FoialogError
from foialog.extract.readers.ocr import level_like_ocr
from foialog.extract.readers.ocr_pages import page_ocr_reason

#: Page images are rendered at this many pixels per PDF point (144 dpi).
SCALE = 2.0
#: Points of page shown above and below the box, so the row's neighbours give context.
MARGIN = 24.0
#: Crops wider than this many pixels are scaled down to keep the report small.
MAX_WIDTH = 1400
BOX = (200, 30, 45)


@dataclass(frozen=True)
class Box:
    """x0, top, x1, bottom in PDF points, top-left origin (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @classmethod
    def parse(cls, text: str) -> Box:
        """Read a records.csv bbox ("x0,top,x1,bottom")."""
        try:
            x0, top, x1, bottom = (float(part) for part in text.split(","))
        except ValueError as exc:
            raise FoialogError(f"bbox {text!r} is not four numbers x0,top,x1,bottom") from exc
        return cls(min(x0, x1), min(top, bottom), max(x0, x1), max(top, bottom))


def find_source(source_file: str, inputs: Sequence[Path]) -> Path | None:
    """Return the file a records.csv source_file names, looking under each input of the run."""
    if " > " in source_file:
        return None  # a member of a container (zip, email) has no file of its own on disk
    for root in inputs:
        candidate = root / source_file if root.is_dir() else root
        if candidate.is_file() and (root.is_dir() or root.name == source_file):
            return candidate
    return None


def crop_png(
    path: Path, page: int, box: Box, password: str | None = None, *, text_layer: bool = False
) -> bytes:
    """Return a PNG of page ``page`` (1-based) of a PDF or image around ``box``, box drawn.

    ``password`` opens an encrypted PDF (the run's --password; a plain PDF ignores it).
    ``text_layer``: the run read no page of this PDF by OCR, so the box is where the text layer
    put it, and the page is shown as printed without asking whether OCR would read it.
    """
    if _is_pdf(path) and (text_layer or not _ocr_page(path, page, password)):
        crop, scale, (left, top) = _pdf_window(path, page, box, password)
    else:
        # A scan's boxes are where OCR read them: on the page levelled as OCR levelled it.
        image, scale = (
            _pdf_page_image(path, page, password) if _is_pdf(path) else _page_image(path, page)
        )
        left, top, right, bottom = _window(box, image.width / scale, image.height / scale)
        if bottom <= top or right <= left:
            raise FoialogError(f"{path.name}: box {box} lies outside page {page}")
        crop = image.crop(
            (int(left * scale), int(top * scale), int(right * scale), int(bottom * scale))
        )
    crop = crop.convert("RGB")
    draw = ImageDraw.Draw(crop)
    pad = 2
    draw.rectangle(
        (
            (box.x0 - left) * scale - pad,
            (box.top - top) * scale - pad,
            (box.x1 - left) * scale + pad,
            (box.bottom - top) * scale + pad,
        ),
        outline=BOX,
        width=3,
    )
    if crop.width > MAX_WIDTH:
        ratio = MAX_WIDTH / crop.width
        crop = crop.resize((MAX_WIDTH, max(1, int(crop.height * ratio))), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # A page of text needs few colours: a 32-colour palette keeps it sharp at a quarter the size.
    crop.quantize(colors=32, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
    return buffer.getvalue()


def _window(box: Box, width: float, height: float) -> tuple[float, float, float, float]:
    """The part of a page shown around ``box``: left, top, right, bottom in points."""
    left, right = 0.0, width
    if box.x1 - box.x0 < right * 0.6:
        # A narrow box (one cell): show the neighbourhood rather than the whole width.
        left = max(0.0, box.x0 - 4 * MARGIN)
        right = min(right, box.x1 + 4 * MARGIN)
    return left, max(0.0, box.top - MARGIN), right, min(height, box.bottom + MARGIN)


def _pdf_window(
    path: Path, page: int, box: Box, password: str | None
) -> tuple[Image.Image, float, tuple[float, float]]:
    """Render just the window around ``box``: a band of the page, not the whole page."""
    handle = _page(path, page, password)
    if handle is None:
        pages = len(_open_pdf(path, password))
        raise FoialogError(f"{path.name} has {pages} page(s); page {page} does not exist")
    width, height = handle.get_size()
    left, top, right, bottom = _window(box, width, height)
    if bottom <= top or right <= left:
        raise FoialogError(f"{path.name}: box {box} lies outside page {page}")
    # Rendered at the width the report shows (never over MAX_WIDTH pixels) rather than
    # scaled down after: a full-width band of a landscape page skips a LANCZOS resize.
    scale = min(SCALE, MAX_WIDTH / (right - left))
    # pdfium crops by what to cut off each edge: left, bottom, right, top.
    bitmap = handle.render(scale=scale, crop=(left, height - bottom, width - right, top))
    image: Image.Image = bitmap.to_pil()
    return image, scale, (left, top)


@lru_cache(maxsize=64)
def _ocr_page(path: Path, page: int, password: str | None) -> bool:
    """True when the PDF's page is read by OCR (an image-only or garbage text page)."""
    handle = _page(path, page, password)
    return handle is not None and bool(page_ocr_reason(handle))


@lru_cache(maxsize=64)
def _page(path: Path, page: int, password: str | None) -> pdfium.PdfPage | None:
    """Page ``page`` (1-based) of the PDF, loaded once for all its crops; None past the end.

    Loading a page parses its whole content stream: on a dense table page that cost more than
    rendering a crop of it, and a report shows several records of one page.
    """
    pdf = _open_pdf(path, password)
    return pdf[page - 1] if 1 <= page <= len(pdf) else None


@lru_cache(maxsize=8)
def _pdf_page_image(path: Path, page: int, password: str | None) -> tuple[Image.Image, float]:
    """A PDF page read by OCR, rendered whole and levelled as OCR levelled it."""
    rendered = _open_pdf(path, password)[page - 1].render(scale=SCALE, grayscale=True).to_pil()
    return level_like_ocr(rendered), SCALE


@lru_cache(maxsize=4)
def _open_pdf(path: Path, password: str | None = None) -> pdfium.PdfDocument:
    """The PDF, opened once for all the crops of a report (its pages are read many times)."""
    try:
        return pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError as exc:
        raise FoialogError(f"{path.name}: cannot be opened for its page image ({exc})") from exc


def data_uri(png: bytes) -> str:
    """Return PNG bytes as a data: URI for an <img> in a self-contained page."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@lru_cache(maxsize=8)
def _page_image(path: Path, page: int) -> tuple[Image.Image, float]:
    """Return an image file's page and its pixels per point."""
    with Image.open(path) as image:
        try:
            image.seek(page - 1)  # page > 1 only in a multi-page TIFF
        except EOFError as exc:
            raise FoialogError(f"{path.name}: image has no page {page}") from exc
        # The same rule as foialog.extract.readers.images: the stated DPI, else a pixel is a point.
        dpi = image.info.get("dpi")
        scale = float(dpi[0]) / 72 if dpi and float(dpi[0]) >= 50 else 1.0
        return level_like_ocr(image), scale


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"%PDF-"
