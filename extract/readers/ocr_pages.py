"""PDF pages that need OCR: image-only pages and garbage text layers; such pages OCRed."""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
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
    reread_cells,
    settings_from_environment,
)
from foialog.extract.readers.ocr_values import (
    MARGIN,
    IdCell,
    dominant_id_shape,
    id_shape,
    settled_id,
)
from foialog.extract.readers.pdf.text import PageContent, open_pdf
from foialog.extract.tables.stitch import StitchedTable
from foialog.extract.tables.words import Box, Rule, Word

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
    settings = _settings(languages, timeout)
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


def _settings(languages: str | None, timeout: float | None) -> OcrSettings:
    """The run's OCR settings: FOIALOG_OCR_LANGUAGES unless ``languages``, and ``timeout``."""
    settings = settings_from_environment()
    if languages:
        settings = replace(settings, languages=languages)
    if timeout is not None:
        settings = replace(settings, timeout=timeout)
    return settings


#: Cells of a PDF page OCR read, read again alone: (path, 0-based page, password, boxes in
#: points, whitelist, the page's size as read) -> (text, confidence) per box, or None when
#: the page cannot be read again at the same size.
CellReread = Callable[
    [Path, int, "str | None", Sequence[Box], str, tuple[float, float]],
    "list[tuple[str, float]] | None",
]


def reread_page_cells(
    path: Path,
    index: int,
    password: str | None,
    cells: Sequence[Box],
    whitelist: str,
    size: tuple[float, float],
    *,
    languages: str | None = None,
    timeout: float | None = None,
) -> list[tuple[str, float]] | None:
    """Cells of page ``index`` (0-based) that ocr_page_content read, each read again alone as
    one line of the whitelist's characters (ocr.reread_cells); settings as ocr_page_content's."""
    settings = _settings(languages, timeout)
    with open_pdf(path, name=path.name, password=password) as document:
        page = document[index]
        try:
            bitmap = page.render(scale=settings.dpi / 72, grayscale=True)
            try:
                image = bitmap.to_pil()
                return reread_cells(
                    image,
                    settings,
                    cells,
                    whitelist,
                    points_per_pixel=72 / settings.dpi,
                    size=size,
                )
            finally:
                bitmap.close()
        finally:
            page.close()


#: Most misshapen ids of one table read again (each is one Tesseract run on a cell, and each
#: page holding one is rendered and levelled again).
_MAX_ID_CELLS = 24


def reread_misshapen_ids(
    table: StitchedTable,
    contents: Mapping[int, PageContent],
    path: Path,
    password: str | None,
    reread: CellReread,
) -> StitchedTable:
    """The table with the ids of its first column that are out of the shape most of them
    share (ocr_values.dominant_id_shape) read again from their cells on their page images.

    A page holding one row alone gives the per-page re-read (ocr._reread_ids) no column of
    ids to learn the shape from; the stitched table does. ``contents`` are the OCR'd pages'
    words by page number; rows of other pages are left alone. A reading in shape replaces the
    first one (ocr_values.settled_id) and the row's confidence falls to the cell's; each
    disagreement is noted in the table's remarks. An id in shape with more read beside it in
    its cell (a speck of the table's edge read as a letter) is read again the same way.
    """
    firsts = [
        row.cells[0].split()[0] if row.cells and row.cells[0].split() else "" for row in table.rows
    ]
    found = dominant_id_shape(firsts)
    if found is None:
        return table
    where = {
        i: _word_at(contents[page].words, row.box, firsts[i])
        for i, (row, page) in enumerate(zip(table.rows, table.pages, strict=True))
        if page in contents and firsts[i]
    }
    placed = [
        contents[table.pages[i]].words[k]
        for i, k in where.items()
        if k is not None and id_shape(firsts[i]) == found.shape
    ]
    if not placed:
        return table
    # The column's extent where its ids stand: a misread id's box may have lost a letter.
    x0 = statistics.median(w.x0 for w in placed)
    x1 = statistics.median(w.x1 for w in placed)
    misshapen = set(found.misshapen)
    by_page: dict[int, list[tuple[int, IdCell]]] = {}
    chosen = 0
    for i, k in where.items():
        in_shape = id_shape(firsts[i]) == found.shape
        if k is None or chosen >= _MAX_ID_CELLS or not (in_shape or i in misshapen):
            continue
        page = table.pages[i]
        words = contents[page].words
        word = words[k]
        box = (min(word.x0, x0), word.top, max(word.x1, x1), word.bottom)
        read_there = _cell_words(words, k, box)
        if in_shape and read_there == (k,):
            continue  # the id alone in its cell, in shape
        # Out of shape, or in shape with more read beside it in its cell (a speck of the
        # table's edge read as a letter): the cell is read again.
        chosen += 1
        by_page.setdefault(page, []).append(
            (i, IdCell(box, found.shape, found.whitelist, read_there))
        )
    rows, remarks = list(table.rows), list(table.remarks)
    for page, cells in by_page.items():
        content = contents[page]
        boxes = [cell.box for _, cell in cells]
        size = (content.width, content.height)
        readings = reread(path, page - 1, password, boxes, found.whitelist, size)
        if readings is None:
            continue
        for (i, cell), (text, confidence) in zip(cells, readings, strict=True):
            first = [content.words[k] for k in cell.first]
            after = settled_id(first, text, confidence, cell)
            row = rows[i]
            sure = min([row.confidence, *(w.confidence for w in after)])
            text_now = _cell_text(row.cells[0], first, after)
            rows[i] = replace(row, cells=(text_now, *row.cells[1:]), confidence=sure)
            before = " ".join(w.text for w in first)
            if text and text != before.replace(" ", ""):
                replaced = id_shape(text) == found.shape
                outcome = "kept" if replaced else "the first reading stands, less sure"
                remarks.append(
                    f"page {page}: row id {before!r}, not one id in the shape {found.shape} of"
                    f" its column's other ids, read again alone from its cell as {text!r}:"
                    f" {outcome}"
                )
    return replace(table, rows=rows, remarks=remarks)


def _cell_words(words: Sequence[Word], k: int, box: Box) -> tuple[int, ...]:
    """Indexes of the words read in an id's cell: beside word ``k`` (on its line) and inside
    the cell's box, or in the margin before it where a bar at the row's edge is read."""
    word = words[k]
    x0, _, x1, _ = box
    start = x0 - MARGIN * (word.bottom - word.top)
    return tuple(
        j
        for j, w in enumerate(words)
        if j == k
        or (
            w.top < word.bottom
            and word.top < w.bottom
            and w.x0 < x1
            and start < w.x1
            and (w.x0 + w.x1) / 2 < x1
        )
    )


def _cell_text(cell: str, first: Sequence[Word], after: Sequence[Word]) -> str:
    """A cell's text with the words first read in its id's box put as read ``after``."""
    if [w.text for w in first] == [w.text for w in after]:
        return cell
    tokens = cell.split()
    taken: set[int] = set()
    for word in first:
        at = next((j for j, t in enumerate(tokens) if t == word.text and j not in taken), None)
        if at is not None:
            taken.add(at)
    where = min(taken, default=0)
    rest = [t for j, t in enumerate(tokens) if j not in taken]
    return " ".join([*rest[:where], *(w.text for w in after), *rest[where:]])


def _word_at(words: Sequence[Word], box: Box, text: str) -> int | None:
    """Index of the topmost word reading ``text`` whose middle lies in ``box``, if any."""
    x0, top, x1, bottom = box
    inside = [
        k
        for k, w in enumerate(words)
        if w.text == text
        and x0 <= (w.x0 + w.x1) / 2 <= x1
        and top <= (w.top + w.bottom) / 2 <= bottom
    ]
    return min(inside, key=lambda k: words[k].top, default=None)


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
