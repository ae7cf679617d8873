"""The PDF reader: pages in parallel, tables found and stitched, provenance on every row."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from pypdfium2 import PdfDocument

from foialog.errors import ReadError
from foialog.extract import parallel
from foialog.extract.blocks import Blocks, CellValue, Table
from foialog.extract.readers.ocr import OcrError
from foialog.extract.readers.ocr_pages import (
    CellReread,
    garbage_reason,
    ocr_contents,
    ocr_page_content,
    reread_misshapen_ids,
    reread_page_cells,
)
from foialog.extract.readers.pdf.furniture import running_lines, split_furniture
from foialog.extract.readers.pdf.redaction import HiddenText, apply_redactions
from foialog.extract.readers.pdf.text import PageContent, drop_overprinted, open_pdf, read_page
from foialog.extract.tables.stitch import PageTable, StitchedTable, count_columns, stitch
from foialog.extract.tables.words import (
    Box,
    Rule,
    Word,
    WordTable,
    find_word_tables,
    read_word_table,
)
from foialog.extract.text.logs import LogLine, LogPages, log_pages, may_hold_log, page_lines

#: OCR for one page, supplied by the OCR reader: (path, 0-based page, password) -> its words
#: as a PageContent. Pages with no text layer are read through it when it is given.
PageOcr = Callable[[Path, int, "str | None"], PageContent]

#: Pages per task handed to a worker process; small enough to spread, large enough to pay.
_CHUNK = 16
#: Below this many pages, starting worker processes costs more than it saves.
_PARALLEL_FROM = 12
#: Share of characters without a Unicode map above which a page's text is garbage.
_GARBAGE = 0.3
_SPACED_DATE = re.compile(r"^\d(?: ?[\d/.-])+$")


@dataclass
class PageResult:
    """What one page gave: its tables, what was taken out, and whether it needs OCR."""

    number: int
    tables: list[WordTable] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    hidden: list[HiddenText] = field(default_factory=list)
    #: Words printed in white on no background (see PageContent.invisible_words).
    invisible: int = 0
    needs_ocr: str = ""
    #: Kept only while the side wrapped lines belong to is still to be decided.
    content: PageContent | None = None
    #: The words and rules of a page that may carry on the table of the page before (one
    #: unruled table), kept to re-cut it at that table's columns without reading it again.
    words: list[Word] | None = None
    rules: tuple[Rule, ...] = ()
    #: The lines of a page with enough times of day to be part of an event log, kept until
    #: the log reader (which needs the header from the log's first page) has looked at them.
    log_lines: list[LogLine] | None = None


#: Starts the note of a page OCR could not read; the document is then partial, not failed.
OCR_FAILED = "OCR FAILED"


def read_pdf(
    path: Path,
    name: str,
    password: str | None,
    *,
    ocr: PageOcr | None = ocr_page_content,
    reread: CellReread | None = reread_page_cells,
) -> Blocks:
    """Read every table of a text PDF as Blocks, one Table per table (stitched over pages).

    ``reread`` reads cells of OCR'd pages again once their tables are stitched (a row id out
    of the shape its column's other ids share); None leaves them as first read.
    """
    with open_pdf(path, name=name, password=password) as document:
        count = len(document)
    if count == 0:
        raise ReadError(f"{name}: the PDF has no pages; there is nothing to read")
    try:
        results = _read_pages(path, password, count)
    except ReadError as exc:
        raise ReadError(f"{name}: {exc}") from None
    ocred: set[int] = set()
    ocr_read: dict[int, PageContent] = {}
    failed: list[str] = []
    if ocr is not None:
        need = [r for r in results if r.needs_ocr]
        contents = ocr_contents(ocr, path, password, [r.number - 1 for r in need])
        for result, content in zip(need, contents, strict=True):
            if isinstance(content, OcrError):
                failed.append(f"page {result.number}: {content}")
                result.tables, result.needs_ocr = [], ""
                continue
            result_ocr = _analyse(content, None)
            result.tables, result.needs_ocr = result_ocr.tables, ""
            ocred.add(result.number)
            ocr_read[result.number] = content
    ocr_pages = len(ocred)
    bottom_aligned = _settle_wrapping(results)
    _carry_columns(results, bottom_aligned)
    log = _read_logs(results)
    running = running_lines([t.title for r in results for t in r.tables[:1]])
    page_tables = [
        PageTable(r.number, replace(t, title=tuple(x for x in t.title if x not in running)))
        for r in results
        for t in r.tables
    ]
    stitched = stitch(page_tables)
    if reread is not None and ocr_read:
        stitched = [reread_misshapen_ids(s, ocr_read, path, password, reread) for s in stitched]
    tables = [
        replace(t, method="ocr") if set(s.pages) <= ocred else t
        for s, t in ((s, _to_table(s)) for s in stitched if s.rows)
    ]
    notes = [*_notes(results, stitched, running), *log.notes]
    if ocred:
        notes.append(f"{len(ocred)} page(s) read by OCR: pages {_ranges(sorted(ocred))}")
    notes.extend(f"{OCR_FAILED}: {reason}" for reason in failed)
    return Blocks(tables=tables, pages=count, ocr_pages=ocr_pages, notes=notes)


def _read_pages(path: Path, password: str | None, count: int) -> list[PageResult]:
    chunks = [(start, min(start + _CHUNK, count)) for start in range(0, count, _CHUNK)]
    workers = min(parallel.cores(), len(chunks))
    if count < _PARALLEL_FROM or workers < 2:
        return [r for a, b in chunks for r in _read_chunk(path, password, a, b)]
    context = parallel.process_context()
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_open_for_chunks,
        initargs=(path, password),
    ) as pool:
        futures = [pool.submit(_read_chunk, path, password, a, b) for a, b in chunks]
        return [r for future in futures for r in future.result()]


#: The PDF a page worker opened once for every chunk it reads: (path, password, document),
#: and what keeps it open until the worker ends.
_held: tuple[Path, str | None, PdfDocument] | None = None
_holding = ExitStack()


def _open_for_chunks(path: Path, password: str | None) -> None:
    """Open the PDF in a new page worker, for every chunk it is given."""
    # Opening a PDF parses its cross-references: 32 ms for NICS's 3.5 MB, once a chunk before.
    global _held
    try:
        document = _holding.enter_context(open_pdf(path, name=path.name, password=password))
    except ReadError:
        return  # each chunk opens it again, and says why it cannot
    _held = (path, password, document)


def _read_chunk(path: Path, password: str | None, start: int, stop: int) -> list[PageResult]:
    """Read pages start..stop-1; runs in a worker process."""
    if _held is not None and _held[:2] == (path, password):
        return [_analyse(read_page(_held[2], i), None) for i in range(start, stop)]
    with open_pdf(path, name=path.name, password=password) as document:
        return [_analyse(read_page(document, i), None) for i in range(start, stop)]


def _analyse(content: PageContent, bottom_aligned: bool | None) -> PageResult:
    result = PageResult(number=content.number, invisible=content.invisible_words)
    if not content.words:
        result.needs_ocr = "no text layer (image only)"
        return result
    if content.chars and content.unmapped_chars / content.chars > _GARBAGE:
        result.needs_ocr = "a font with no Unicode map (the text layer is garbage)"
        return result
    garbage = garbage_reason(" ".join(w.text for w in content.words))
    if garbage:
        result.needs_ocr = f"garbage text layer: {garbage}"
        return result
    words, result.furniture, result.hidden = _page_words(content)
    if may_hold_log(words):
        result.log_lines = page_lines(content.number, words)
    result.tables = find_word_tables(words, rules=content.rules, bottom_aligned=bottom_aligned)
    if len(result.tables) == 1 and not result.tables[0].ruled:
        result.words, result.rules = words, content.rules
    if any(t.wrap_evidence == "?" for t in result.tables):
        result.content = content
    return result


def _page_words(content: PageContent) -> tuple[list[Word], list[str], list[HiddenText]]:
    """A page's words for the table finder: overprints, furniture and redacted text out."""
    words, furniture = split_furniture(drop_overprinted(content.words), content.height)
    words, hidden = apply_redactions(words, content.fills, page=content.number)
    return words, furniture, hidden


def _settle_wrapping(results: Sequence[PageResult]) -> bool | None:
    """Re-read pages that guessed the side of wrapped lines, following the decided pages."""
    votes = Counter(t.wrap_evidence for r in results for t in r.tables)
    decided = None if votes["bottom"] == votes["top"] else votes["bottom"] > votes["top"]
    for result in results:
        if result.content is not None and decided is not None:
            result.tables = _analyse(result.content, decided).tables
        result.content = None
    return decided


def _carry_columns(results: Sequence[PageResult], bottom_aligned: bool | None) -> None:
    """Re-read, at the columns of the table it carries on, each page that has no header.

    An unruled table's columns are found from each page's white space, which varies: a
    column empty on one page, a long name on another. A page whose only table has no header
    of its own (its first row was taken for one) carries on the table above, so it is cut
    where that table's header labels start, unless a line at its top runs across those
    columns (a title: a new table starts there).
    """
    template: WordTable | None = None
    pending: list[tuple[PageResult, WordTable]] = []
    for result in results:
        if template is not None and (
            _carries_on(result.tables, template) or _repeats_header(result.tables, template)
        ):
            pending.append((result, template))
        elif result.tables:
            last = result.tables[-1]
            template = last if (not last.ruled and last.header and last.template) else None
    for result, above in pending:
        own = result.tables[0]
        words = result.words or []
        repeated = _repeats_header(result.tables, above) and own.header_box is not None
        if repeated and own.header_box is not None:
            # The page prints the table's header again: its rows are the words under it.
            words = [w for w in words if w.top > own.header_box[3] - 1]
        table = read_word_table(
            words,
            # Under a header printed again, the columns the first page's rows showed; the
            # label starts (the template) guess them for a page with no header of its own.
            above.columns if repeated else above.template,
            rules=result.rules,
            bottom_aligned=bottom_aligned,
            under_header=repeated,
        )
        if table is not None and not table.title:
            if repeated:
                table = replace(
                    table, header=above.header, header_box=own.header_box, title=own.title
                )
            result.tables = [table]
    for result in results:
        result.words, result.rules = None, ()


def _read_logs(results: Sequence[PageResult]) -> LogPages:
    """Give the pages that print an event log its table of events instead of the finder's.

    The table finder cuts columns at white space, which an export can leave narrower than a
    space (a right-aligned count beside a left-aligned date); a log's lines are cut at its
    header's labels instead, one row per timestamped line.
    """
    log = log_pages([(r.number, r.log_lines) for r in results if r.log_lines])
    for result in results:
        # A table whose columns are cut by ruling lines is read at its rules, which are surer
        # than the log header's labels (a header broken over two lines, a redaction box).
        ruled = bool(result.tables) and all(t.ruled for t in result.tables)
        events = log.tables.get(result.number)
        if events is not None and not ruled and not _finer(result.tables, events):
            result.tables = [events]
        result.log_lines = None
    return log


def _finer(tables: Sequence[WordTable], events: WordTable) -> bool:
    """True when the finder's one table on a page cuts at least the columns the log reader
    did, with more rows or more columns, and a label over each column.

    The log reader cuts at the header's phrases; labels set a space apart ("No Identifiant
    Utilisateurs Date") make one phrase there, which the finder splits at its body's columns.
    It reads one row per timestamp, and a subtotal row has none; a header over two lines
    ("DATE DE" over "RECHERCHE") it takes for labels and an event's first words.
    """
    if len(tables) != 1:
        return False
    (table,) = tables
    more = (len(table.columns), len(table.rows)) > (len(events.columns), len(events.rows))
    return (
        more
        and len(table.columns) >= len(events.columns)
        and len(table.rows) >= len(events.rows)
        and len(table.header) == len(table.columns)
        and all(label.strip() for label in table.header)
    )


def _carries_on(tables: Sequence[WordTable], template: WordTable) -> bool:
    """True when a page's only table is unruled, as wide as ``template``, with no own header."""
    if len(tables) != 1 or tables[0].ruled or not tables[0].header:
        return False
    keys = {" ".join(c.split()).casefold() for c in template.header}
    return not {" ".join(c.split()).casefold() for c in tables[0].header} & keys


def _repeats_header(tables: Sequence[WordTable], template: WordTable) -> bool:
    """True when a page's only table is unruled under the same header words as ``template``.

    The page's own white space may cut that header (and its few rows) otherwise than the
    first page's many rows did; the words are the same.
    """
    if len(tables) != 1 or tables[0].ruled or not tables[0].header:
        return False
    return _header_words(tables[0].header) == _header_words(template.header)


def _header_words(header: Sequence[str]) -> frozenset[str]:
    return frozenset(w for cell in header for w in cell.casefold().split())


def _tidy(text: str) -> str:
    """Close up a letter-spaced date or number ("0 3 / 2 5 / 2 0 16" -> "03/25/2016")."""
    if " " in text and "/" in text and _SPACED_DATE.match(text):
        return text.replace(" ", "")
    return text


def _to_table(stitched: StitchedTable) -> Table:
    """Build the Table that layout and roles read: header first, then rows in page order."""
    width = len(stitched.header) if stitched.header else len(stitched.rows[0].cells)
    header = list(stitched.header) or [f"column {k + 1}" for k in range(width)]
    cells = [[_tidy(c) for c in row.cells] for row in stitched.rows]
    counts = count_columns(stitched)
    rows: list[list[CellValue]] = []
    numbers: list[int] = []
    boxes: list[Box] = []
    pages: list[int] = []
    metrics: list[str] = []
    first_box = stitched.rows[0].box
    if len(counts) >= 3:
        # A wide table (NICS: 24 counts a row): one row per (row, count column), so every
        # number is a record with its own metric, checked against its own column's total.
        keep = [k for k in range(width) if k not in counts]
        kept = [[row[j] for j in keep] for row in cells]  # once a row, not once a count
        rows.append([*(header[k] for k in keep), "Count"])
        numbers.append(0)
        boxes.append(first_box)
        pages.append(stitched.pages[0])
        metrics.append("")
        for k in counts:
            for i, row in enumerate(cells):
                if not row[k].strip():
                    continue
                rows.append([*kept[i], row[k]])
                numbers.append(stitched.row_numbers[i])
                boxes.append(stitched.rows[i].box)
                pages.append(stitched.pages[i])
                metrics.append(header[k])
    else:
        if stitched.header:
            rows.append(list(header))
            numbers.append(0)
            boxes.append(first_box)
            pages.append(stitched.pages[0])
        rows.extend(list(row) for row in cells)
        numbers.extend(stitched.row_numbers)
        boxes.extend(r.box for r in stitched.rows)
        pages.extend(stitched.pages)
    confidence = [1.0] * (len(rows) - len(stitched.rows)) + [r.confidence for r in stitched.rows]
    return Table(
        rows=rows,
        row_numbers=numbers,
        page=stitched.pages[0],
        context=list(stitched.title),
        method="table",
        row_confidence=confidence if len(confidence) == len(rows) else [],
        row_boxes=boxes,
        row_pages=pages,
        row_metrics=metrics,
    )


def _notes(
    results: Sequence[PageResult], stitched: Sequence[StitchedTable], running: frozenset[str]
) -> list[str]:
    notes: list[str] = []
    for table in stitched:
        first, last = table.spans[0], table.spans[-1]
        where = f"page {first}" if first == last else f"pages {first}-{last}"
        notes.append(f"table on {where}: {len(table.rows)} rows")
        notes.extend(table.remarks)
    furniture = [f for r in results for f in r.furniture]
    if furniture:
        notes.append(
            f"page furniture kept out of the rows: {len(furniture)} lines (e.g. {furniture[0]!r})"
        )
    notes.extend(f"running title kept out of the rows: {line!r}" for line in sorted(running))
    for result in results:
        for hidden in result.hidden:
            box = ",".join(f"{v:.1f}" for v in hidden.box)
            notes.append(
                f"page {hidden.page}: text under redaction box at {box} "
                f"({hidden.characters} characters; not published)"
            )
    invisible = [r for r in results if r.invisible]
    if invisible:
        pages = _ranges([r.number for r in invisible])
        notes.append(
            f"{sum(r.invisible for r in invisible)} word(s) printed in white on no background "
            f"(invisible on the page) not read: pages {pages}"
        )
    need = [r.number for r in results if r.needs_ocr]
    if need:
        reasons = sorted({r.needs_ocr for r in results if r.needs_ocr})
        notes.append(f"{len(need)} page(s) need OCR ({'; '.join(reasons)}): pages {_ranges(need)}")
    return notes


def _ranges(numbers: Sequence[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
