"""Text-PDF sample kinds: ruled, unruled over pages, wrapped cells, redaction boxes; with truth."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from fpdf import FPDF
from fpdf.enums import TableCellFillMode

from foialog.extract.readers.pdf.redaction import BOX_TEXT
from foialog.sample.files import refuse_directory, write_file
from foialog.sample.truth import AGENCIES, Agency, TruthRow, data_row_truth

RULED_PDF: Final = "visage_clients_ruled.pdf"
LOG_PDF: Final = "visage_search_log.pdf"
WRAPPED_PDF: Final = "visage_clients_wrapped.pdf"
REDACTED_PDF: Final = "visage_clients_redacted.pdf"
#: The PDF files the sampler owns, in writing order.
PDF_FILES: Final = (RULED_PDF, LOG_PDF, WRAPPED_PDF, REDACTED_PDF)

_HEADER: Final = ("Agency", "Searches", "First search")
_LOG_PAGES: Final = 3
_LOG_ROWS: Final = 30
# A fixed stamp so each PDF is byte-identical for a given seed.
_STAMP: Final = dt.datetime(2020, 1, 15, 9, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class PdfSample:
    """The PDF files written and their truth rows."""

    files: tuple[Path, ...]
    truth: list[TruthRow]


@dataclass(frozen=True)
class _Row:
    agency: Agency | None
    name: str
    count: int
    day: dt.date

    def cells(self) -> tuple[str, str, str]:
        day = self.day
        return (self.name, f"{self.count:,}", f"{day.month:02d}/{day.day:02d}/{day.year}")


def write_pdfs(leak: Path, seed: int) -> PdfSample:
    """Write the text-PDF kinds into ``leak`` and return their truth (page and row per record)."""
    paths = tuple(leak / name for name in PDF_FILES)
    for path in paths:
        refuse_directory(path)
    rng = random.Random(seed)
    # Core PDF fonts hold Latin-1 only; the names stay as the other kinds spell them. A name
    # two agencies share (Springfield PD in Illinois and in Missouri) needs a place column to
    # tell them apart, and these tables have none: such names stay out, as in the Trials sheet.
    shared = Counter(a.names[0] for a in AGENCIES)
    pool = [a for a in AGENCIES if a.names[0].isascii() and shared[a.names[0]] == 1]
    truth: list[TruthRow] = []
    builders = (_ruled, _log, _wrapped, _redacted)
    for path, build in zip(paths, builders, strict=True):
        data, rows = build(random.Random(rng.getrandbits(64)), pool)
        write_file(path, data)
        truth += [_truth_row(path.name, page, row, item) for page, row, item in rows]
    return PdfSample(files=paths, truth=truth)


def _truth_row(file: str, page: int, row: int, item: _Row) -> TruthRow:
    redacted = "" if item.agency else f"agency:{BOX_TEXT}"
    base = data_row_truth(
        file,
        "",
        row,
        item.agency,
        item.name if item.agency else "",
        (item.count, "exact"),
        item.day.isoformat(),
        redacted=redacted,
    )
    return replace(base, page=page)


def _rows(rng: random.Random, pool: Sequence[Agency], n: int) -> list[_Row]:
    # The pool is small: a long log names an agency more than once, as real logs do.
    chosen = [a for _ in range(0, n, len(pool)) for a in rng.sample(list(pool), len(pool))][:n]
    rows = []
    for agency in chosen:
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(365))
        rows.append(_Row(agency, agency.names[0], rng.randint(1, 60000), day))
    # A day over 12 in some row, so the column reads month-first without doubt.
    if all(r.day.day <= 12 for r in rows):
        rows[0] = replace(rows[0], day=rows[0].day.replace(day=25))
    return rows


def _document() -> FPDF:
    pdf = FPDF(orientation="portrait", unit="pt", format="letter")
    pdf.set_creation_date(_STAMP)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(54, 54, 54)
    return pdf


def _table(pdf: FPDF, rows: Sequence[_Row], widths: tuple[int, int, int], lines: bool) -> None:
    """A table drawn by fpdf2: ruled (every cell bordered) or bare, header in bold."""
    pdf.set_font("Helvetica", size=9)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align=("LEFT", "RIGHT", "LEFT"),
        borders_layout="ALL" if lines else "NONE",
        cell_fill_mode=TableCellFillMode.NONE,
        line_height=12,
        padding=(2, 8),
        first_row_as_headings=True,
    ) as table:
        table.row(_HEADER)
        for row in rows:
            table.row(row.cells())


def _ruled(rng: random.Random, pool: Sequence[Agency]) -> tuple[bytes, list[tuple[int, int, _Row]]]:
    """One page, every cell bordered."""
    rows = _rows(rng, pool, 25)
    pdf = _document()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.cell(text="Visage Metrics - client searches")
    pdf.ln(24)
    _table(pdf, rows, (260, 90, 100), lines=True)
    return bytes(pdf.output()), [(1, i + 1, r) for i, r in enumerate(rows)]


def _log(rng: random.Random, pool: Sequence[Agency]) -> tuple[bytes, list[tuple[int, int, _Row]]]:
    """Several pages, no lines; header repeated, running title, page and Bates numbers."""
    rows = _rows(rng, pool, _LOG_PAGES * _LOG_ROWS)
    pdf = _document()
    bates = rng.randrange(100, 9000)
    out: list[tuple[int, int, _Row]] = []
    for page in range(_LOG_PAGES):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(54, 30)
        pdf.cell(text="Visage Metrics search log - CONFIDENTIAL")
        pdf.set_xy(54, 70)
        chunk = rows[page * _LOG_ROWS : (page + 1) * _LOG_ROWS]
        _table(pdf, chunk, (260, 90, 100), lines=False)
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(54, 750)
        pdf.cell(text=f"Page {page + 1} of {_LOG_PAGES}")
        pdf.set_xy(460, 750)
        pdf.cell(text=f"VM-LOG-{bates + page:06d}")
        out += [(page + 1, i + 1, r) for i, r in enumerate(chunk)]
    return bytes(pdf.output()), out


def _wrapped(
    rng: random.Random, pool: Sequence[Agency]
) -> tuple[bytes, list[tuple[int, int, _Row]]]:
    """Bordered cells in a narrow agency column, so long names wrap over two or three lines."""
    rows = _rows(rng, pool, 20)
    rows = [
        replace(r, name=f"{r.name} (Criminal Investigations Division)") if i % 3 == 0 else r
        for i, r in enumerate(rows)
    ]
    pdf = _document()
    pdf.add_page()
    _table(pdf, rows, (130, 80, 90), lines=True)
    return bytes(pdf.output()), [(1, i + 1, r) for i, r in enumerate(rows)]


def _redacted(
    rng: random.Random, pool: Sequence[Agency]
) -> tuple[bytes, list[tuple[int, int, _Row]]]:
    """Black boxes over some agency cells; under half of them the text is still there."""
    rows = _rows(rng, pool, 22)
    hidden = sorted(rng.sample(range(len(rows)), 5))
    pdf = _document()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    top = 80.0
    pitch = 16.0
    columns = (54.0, 330.0, 420.0)
    for x, text in zip(columns, _HEADER, strict=True):
        pdf.set_xy(x, top)
        pdf.cell(text=text)
    out: list[tuple[int, int, _Row]] = []
    for i, row in enumerate(rows):
        y = top + (i + 1) * pitch
        redacted = i in hidden
        # A careless redaction: the box is drawn over text that stays in the text layer.
        keep_text = not redacted or i % 2 == 0
        for k, (x, text) in enumerate(zip(columns, row.cells(), strict=True)):
            if k == 0 and not keep_text:
                continue
            pdf.set_xy(x, y)
            pdf.cell(text=text)
        if redacted:
            pdf.set_fill_color(0, 0, 0)
            pdf.rect(columns[0] - 2, y - 1, 200, 13, style="F")
        out.append((1, i + 1, replace(row, agency=None) if redacted else row))
    return bytes(pdf.output()), out
