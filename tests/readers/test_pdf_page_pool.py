"""The PDF page pool: each worker opens the PDF once for every chunk of pages it reads."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF

from foialog.extract import parallel
from foialog.extract.readers.pdf import reader, text

PAGES = 14


def table_pdf(path: Path) -> Path:
    """A text PDF of PAGES pages, each a small table of agency, searches and date."""
    pdf = FPDF(unit="pt", format="Letter")
    pdf.set_font("Helvetica", size=11)
    for page in range(PAGES):
        pdf.add_page()
        for n in range(8):
            top = 100 + 22 * n
            pdf.text(72, top, "Agency" if n == 0 else f"County agency {page * 8 + n}")
            pdf.text(300, top, "Searches" if n == 0 else str(13 * n + page))
            pdf.text(380, top, "Date" if n == 0 else f"10/{n:02d}/2019")
    pdf.output(str(path))
    return path


def test_each_page_worker_opens_the_pdf_once_for_all_its_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    pdf = table_pdf(tmp_path / "log.pdf")
    opened = tmp_path / "opened"
    real = text.open_pdf

    @contextmanager
    def counted(path: Path, *, name: str, password: str | None) -> Iterator[pdfium.PdfDocument]:
        with opened.open("a") as log:  # forked workers inherit this patch
            log.write(f"{os.getpid()}\n")
        with real(path, name=name, password=password) as document:
            yield document

    monkeypatch.setattr(reader, "open_pdf", counted)
    monkeypatch.setattr(reader, "_CHUNK", 2)  # seven chunks for two workers
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    pages = reader._read_pages(pdf, None, PAGES)
    workers = opened.read_text().split()
    assert 1 <= len(workers) <= 2  # one open a worker, not one a chunk (7)
    assert len(set(workers)) == len(workers)
    assert os.getpid() not in {int(w) for w in workers}
    # The pages as one process reads them, opening the PDF itself.
    alone = reader._read_chunk(pdf, None, 0, PAGES)
    assert [p.number for p in pages] == list(range(1, PAGES + 1))
    assert [p.tables for p in pages] == [p.tables for p in alone]
    assert any(p.tables for p in pages)  # the comparison above is of tables found
