"""Scanned sample kinds: the client table printed, scanned crooked and noisy, as PNG and PDF."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from foialog.extract.readers.pdf.redaction import BOX_TEXT
from foialog.sample.files import refuse_directory, write_file
from foialog.sample.truth import AGENCIES, Agency, TruthRow, data_row_truth

SCAN_PNG: Final = "scanned_clients.png"
SCAN_PDF: Final = "scanned_clients.pdf"
#: The scanned files the sampler owns, in writing order.
SCAN_FILES: Final = (SCAN_PNG, SCAN_PDF)

_DPI: Final = 200
_PAGE: Final = (1700, 2200)  # US letter at 200 DPI
_TEXT_PX: Final = 30  # about 11 pt at 200 DPI
_LINE_PX: Final = 62
_COLUMNS: Final = (150, 1000, 1300)
_HEADER: Final = ("Agency", "Searches", "First search")
_TITLE: Final = "Visage Metrics client searches (scanned copy)"
_ROWS: Final = 22
# Fixed stamps so the PDF is byte-identical for a given seed.
_STAMP: Final = dt.datetime(2020, 1, 15, 9, 30)


@dataclass(frozen=True)
class ScanSample:
    """The scanned files written and their truth rows."""

    files: tuple[Path, ...]
    truth: list[TruthRow]


def write_scans(leak: Path, seed: int) -> ScanSample:
    """Write the scanned kinds into ``leak`` and return their truth (same rows in both files)."""
    png, pdf = leak / SCAN_PNG, leak / SCAN_PDF
    for path in (png, pdf):
        refuse_directory(path)
    rng = random.Random(seed)
    page, rows = _render(rng)
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(_DPI, _DPI))
    write_file(png, buffer.getvalue())
    buffer = io.BytesIO()
    page.save(
        buffer,
        format="PDF",
        resolution=_DPI,
        title="scanned clients",
        creationDate=_STAMP.timetuple(),
        modDate=_STAMP.timetuple(),
    )
    write_file(pdf, buffer.getvalue())
    truth = [
        replace(
            data_row_truth(
                name,
                "",
                row,
                agency,
                raw,
                (count, "exact"),
                date,
                redacted="" if agency else f"agency:{BOX_TEXT}",
            ),
            # An image file is page 1, as the PDF's table is on its one page.
            page=1,
        )
        for name in SCAN_FILES
        for row, agency, raw, count, date in rows
    ]
    return ScanSample(files=(png, pdf), truth=truth)


def scan_font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's own scalable font: the same glyphs on every machine, so the sample is too."""
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):  # Pillow built without FreeType
        raise RuntimeError("Pillow lacks FreeType; reinstall Pillow from PyPI wheels")
    return font


def _render(
    rng: random.Random,
) -> tuple[Image.Image, list[tuple[int, Agency | None, str, int, str]]]:
    """Draw the table, then scan it: a slight turn, blur and speckle."""
    image = Image.new("L", _PAGE, 255)
    draw = ImageDraw.Draw(image)
    font, bold = scan_font(_TEXT_PX), scan_font(_TEXT_PX + 4)
    draw.text((_COLUMNS[0], 150), _TITLE, fill=0, font=bold)
    y = 150 + 2 * _LINE_PX
    for x, text in zip(_COLUMNS, _HEADER, strict=True):
        draw.text((x, y), text, fill=0, font=font)
    draw.line((_COLUMNS[0], y + 44, _PAGE[0] - 150, y + 44), fill=0, width=2)
    pool = [a for a in AGENCIES if a.names[0].isascii()]
    chosen = rng.sample(pool, _ROWS)
    redacted_index = rng.randrange(_ROWS)
    rows: list[tuple[int, Agency | None, str, int, str]] = []
    for i, agency in enumerate(chosen):
        y += _LINE_PX
        count = rng.randint(3, 48000)
        day = dt.date(2019, 8, 1) + dt.timedelta(days=rng.randrange(160))
        cells = (agency.names[0], f"{count:,}", f"{day.month:02d}/{day.day:02d}/{day.year}")
        for x, text in zip(_COLUMNS, cells, strict=True):
            draw.text((x, y), text, fill=0, font=font)
        # Rows are numbered among the page's table rows, header excluded.
        row = i + 1
        if i == redacted_index:
            width = int(draw.textlength(cells[0], font=font))
            draw.rectangle((_COLUMNS[0] - 6, y - 4, _COLUMNS[0] + width + 6, y + 38), fill=0)
            rows.append((row, None, "", count, day.isoformat()))
        else:
            rows.append((row, agency, agency.names[0], count, day.isoformat()))
    return _scan(image, rng), rows


def _scan(image: Image.Image, rng: random.Random) -> Image.Image:
    """Turn the page slightly, soften it and sprinkle speckles, as a cheap scanner does."""
    angle = rng.choice((-1, 1)) * rng.uniform(0.6, 1.6)
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    soft = turned.filter(ImageFilter.GaussianBlur(0.7))
    pixels = np.asarray(soft).copy()
    noise = np.random.default_rng(rng.getrandbits(32))
    specks = noise.random(pixels.shape) < 0.002
    pixels[specks] = noise.integers(0, 120, int(specks.sum()))
    return Image.fromarray(pixels)
