"""PDF pages that need OCR: image-only pages and garbage text layers; such pages OCRed."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from foialog.extract import parallel
from foialog.extract.readers.images import tidy_lines
from foialog.extract.readers.ocr import (
    OcrError,
    OcrPage,
    OcrSettings,
    ocr_image,
    settings_from_environment,
)
from foialog.extract.readers.pdf.text import PageContent, open_pdf
from foialog.extract.tables.words import Rule

#: Share of odd characters (private use, control, unassigned, U+FFFD) that marks a font with
#: no Unicode map: such fonts hand out glyph numbers, which land in those ranges.
_ODD_SHARE = 0.1
#: Below this share of word-like tokens the text is not language (a scrambled encoding).
_WORDLIKE_SHARE = 0.5
#: Share of characters drawn at an angle that is not a right angle: a skewed scan's OCR layer.
_SLANTED_SHARE = 0.5
_TOKEN = re.compile(r"[^\W\d_]{2,}")
_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœаеёиоуыэюяαεηιουω")
_REPEAT = re.compile(r"(.)\1{3,}")
#: Characters sampled for their angle; a page's text shares one direction, so a sample will do.
_ANGLE_SAMPLE = 400


def garbage_reason(text: str) -> str:
    """Why a page's extracted text is not readable text ("" when it looks like language)."""
    # Each distinct character tested once (a page holds thousands of a hundred or so).
    counts = [(ch, n) for ch, n in Counter(text).items() if not ch.isspace()]
    visible = sum(n for _, n in counts)
    if not visible:
        return ""
    odd = sum(n for ch, n in counts if _is_odd(ch))
    if odd / visible > _ODD_SHARE:
        return f"{odd / visible:.0%} of its characters are private-use or control codes"
    alnum = sum(n for ch, n in counts if ch.isalnum())
    if visible >= 30 and alnum / visible < 0.4:
        return f"only {alnum / visible:.0%} of its characters are letters or digits"
    tokens = _TOKEN.findall(text)
    if len(tokens) >= 8:
        wordlike = sum(_is_wordlike(t) for t in tokens)
        if wordlike / len(tokens) < _WORDLIKE_SHARE:
            return f"only {wordlike}/{len(tokens)} of its words look like words"
    return ""


def page_ocr_reason(page: pdfium.PdfPage) -> str:
    """Why a PDF page must be OCRed ("" when its text layer can be used as it is)."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range() if count else ""
        if len(text.strip()) < 3:
            return "no text layer (image only)" if _has_image(page) else ""
        reason = garbage_reason(text)
        if reason:
            return f"garbage text layer: {reason}"
        slanted = _slanted_share(textpage, count)
        if slanted > _SLANTED_SHARE:
            return f"text drawn at a slant ({slanted:.0%} of characters)"
        return ""
    finally:
        textpage.close()


def ocr_pdf_page(page: pdfium.PdfPage, settings: OcrSettings | None = None) -> OcrPage:
    """Render a PDF page at the settings' DPI and OCR it; words come back in PDF points."""
    settings = settings or OcrSettings()
    bitmap = page.render(scale=settings.dpi / 72, grayscale=True)
    try:
        image = bitmap.to_pil()
        return ocr_image(image, settings, points_per_pixel=72 / settings.dpi)
    finally:
        bitmap.close()


def ocr_page_content(
    path: Path,
    index: int,
    password: str | None,
    *,
    languages: str | None = None,
    timeout: float | None = None,
) -> PageContent:
    """OCR page ``index`` (0-based) of a PDF into what the PDF reader reads from a text layer.

    Languages are ``languages``, else FOIALOG_OCR_LANGUAGES (default eng); ``timeout`` is
    Tesseract's seconds per page image (default OcrSettings'); boxes in PDF points.
    """
    settings = settings_from_environment()
    if languages:
        settings = replace(settings, languages=languages)
    if timeout is not None:
        settings = replace(settings, timeout=timeout)
    with open_pdf(path, name=path.name, password=password) as document:
        page = document[index]
        try:
            found = ocr_pdf_page(page, settings)
        finally:
            page.close()
    return PageContent(
        number=index + 1,
        width=found.width,
        height=found.height,
        # Specks and split dates tidied as for image files, before the PDF's table finder.
        words=tuple(w for line in tidy_lines(found.words) for w in line),
        rules=tuple(Rule(r.x0, r.top, r.x1, r.bottom) for r in found.rules),
        fills=tuple((b.x0, b.top, b.x1, b.bottom) for b in found.redactions),
    )


def ocr_contents(
    ocr: Callable[[Path, int, str | None], PageContent],
    path: Path,
    password: str | None,
    indexes: Sequence[int],
) -> list[PageContent | OcrError]:
    """OCR the given pages (0-based), on every core when there are several, in page order.

    A page Tesseract cannot read (stopped at its time limit, say) is its OcrError in the list:
    one hard page must not lose the others.
    """
    workers = min(parallel.cores(), len(indexes))
    if workers < 2:
        return [_page_or_error(ocr, path, i, password) for i in indexes]
    context = parallel.process_context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_page_or_error, ocr, path, i, password) for i in indexes]
        return [future.result() for future in futures]


def _page_or_error(
    ocr: Callable[[Path, int, str | None], PageContent],
    path: Path,
    index: int,
    password: str | None,
) -> PageContent | OcrError:
    try:
        return ocr(path, index, password)
    except OcrError as exc:
        return exc


def _is_odd(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc", "Cn", "Cs")


def _is_wordlike(token: str) -> bool:
    """A token that could be a word: one case pattern, a vowel when long, no long repeats."""
    if not (token.islower() or token.isupper() or token.istitle()):
        return False
    if _REPEAT.search(token):
        return False
    return len(token) < 4 or any(ch in _VOWELS for ch in token.lower())


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def _slanted_share(textpage: pdfium.PdfTextPage, count: int) -> float:
    """Share of sampled characters whose angle is not a multiple of 90 degrees."""
    step = max(1, count // _ANGLE_SAMPLE)
    seen = slanted = 0
    for index in range(0, count, step):
        angle = pdfium_c.FPDFText_GetCharAngle(textpage.raw, index)
        if angle < 0:  # -1: no angle for this character (a generated space)
            continue
        seen += 1
        off = math.degrees(angle) % 90
        slanted += min(off, 90 - off) > 2
    return slanted / seen if seen else 0.0
