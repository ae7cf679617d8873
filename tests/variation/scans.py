"""Degraded scans of tables with known rows (issue 13 point 7), scored as rows.

Written from how paper records come back from a scanner or a fax, not from foialog's OCR.
A table of 5-25 rows (agency, count, date; or a request log whose first column holds an id or
a date that starts each row, with a long description wrapped over several lines) is drawn with
Pillow at 150-300 dpi, ruled (full grid or horizontal rules only) or not, then degraded: a
stain or two, a dark copier margin, rotation up to 3 degrees, blur, noise, JPEG compression at
quality 30-90, or bitonal (1-bit, fax-like). Saved as PNG, JPEG, TIFF (CCITT G4 when bitonal;
several pages in one file) or an image-only PDF (Pillow's PDF writer: no text layer). A table
longer than a page continues on the next page under a repeated header; PNG and JPEG pages are
separate files.

Truth: one row per table row: the agency as printed, its count, its date (ISO).
"""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from tests.variation.core import Generated, Generator, TruthRow
from tests.variation.gazetteer import unique_names

FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
DESCRIPTIONS = (
    "Request for all records of automated license plate reader queries made on behalf of the "
    "agency, including audit trails, user names and the stated reason for each search",
    "Copies of the data sharing agreement and any amendments, with the list of networks the "
    "agency receives hotlist alerts from",
    "Emails between the vendor and the records unit about retention settings",
    "Invoices and purchase orders for camera installations, maintenance and cloud storage",
    "Search logs for the period stated, redacted under the applicable exemptions",
    "Policy documents governing the use of facial recognition software by investigators",
)
PAGE_INCHES = (8.5, 11.0)
#: The PDF's creation date (Pillow takes a struct_time): fixed, so a seed gives the same bytes.
SCANNED = time.gmtime(1609837200)


@dataclass(frozen=True)
class Look:
    """How one seed's scan looks: resolution, layout and every degradation applied."""

    dpi: int
    layout: str
    ruling: str
    font: str
    point: int
    angle: float
    blur: float
    noise: float
    jpeg: int
    bitonal: bool
    stains: int
    margin: str
    fmt: str
    date_style: str
    thousands: bool
    #: Space between columns, in ems (a cell's padding on both sides together).
    gap: float


Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(path: str, size: int) -> Font:
    if Path(path).exists():
        return ImageFont.truetype(path, size)
    for other in FONT_FILES:
        if Path(other).exists():
            return ImageFont.truetype(other, size)
    return ImageFont.load_default(size)


def _look(rng: random.Random) -> Look:
    bitonal = rng.random() < 0.3
    return Look(
        dpi=rng.choice((150, 200, 200, 300, 300)),
        layout=rng.choice(("simple", "simple", "wrapped_date", "wrapped_id")),
        ruling=rng.choice(("grid", "rows", "none")),
        font=rng.choice(FONT_FILES),
        point=rng.choice((9, 10, 11, 12)),
        angle=round(rng.uniform(-3.0, 3.0), 2),
        blur=round(rng.choice((0.0, rng.uniform(0.3, 1.2))), 2),
        noise=round(rng.choice((0.0, rng.uniform(4.0, 25.0))), 1),
        jpeg=0 if bitonal else rng.choice((0, rng.randint(30, 90))),
        bitonal=bitonal,
        stains=rng.choice((0, 0, 1, 2)),
        margin=rng.choice(("", "", "", "left", "top")),
        fmt=rng.choice(("pdf", "pdf", "png", "jpeg", "tiff")),
        date_style=rng.choice(("us", "iso", "long")),
        thousands=rng.random() < 0.4,
        gap=rng.choice((1.0, 1.6, 2.4)),
    )


def _printed_date(rng: random.Random, style: str) -> tuple[str, str]:
    year, month, day = rng.randint(2015, 2023), rng.randint(1, 12), rng.randint(1, 28)
    iso = f"{year}-{month:02d}-{day:02d}"
    if style == "us":
        return f"{month:02d}/{day:02d}/{year}", iso
    if style == "long":
        months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov")
        names = (*months, "Dec")
        return f"{names[month - 1]} {day}, {year}", iso
    return iso, iso


@dataclass(frozen=True)
class TableRow:
    """A row as drawn (cells, the description's lines) and its truth."""

    cells: tuple[str, ...]
    agency: str
    count: int
    date: str


def _rows(rng: random.Random, look: Look) -> tuple[tuple[str, ...], list[TableRow]]:
    """The header and the rows: agency, count and date in the layout's columns."""
    agencies = rng.sample(unique_names(), rng.randint(5, 25))
    rows: list[TableRow] = []
    for agency in agencies:
        count = rng.choice((rng.randint(0, 99), rng.randint(100, 9999), rng.randint(10000, 250000)))
        shown = f"{count:,}" if look.thousands else str(count)
        printed, iso = _printed_date(rng, look.date_style)
        if look.layout == "simple":
            rows.append(TableRow((agency.name, shown, printed), agency.name, count, iso))
            continue
        text = rng.choice(DESCRIPTIONS)
        text = text[: rng.randint(40, len(text))].rstrip(" ,") + "."
        cells: tuple[str, ...]
        if look.layout == "wrapped_date":
            cells = (printed, agency.name, text, shown)
        else:
            cells = (f"R-{iso[:4]}-{rng.randint(1, 9999):04d}", agency.name, text, printed, shown)
        rows.append(TableRow(cells, agency.name, count, iso))
    headers = {
        "simple": ("Agency", "Searches", "Date"),
        "wrapped_date": ("Received", "Requester Agency", "Description", "Pages"),
        "wrapped_id": ("Request No.", "Agency", "Description", "Date", "Records"),
    }
    return headers[look.layout], rows


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> list[str]:
    """Words of ``text`` in lines no wider than ``width`` pixels (a long word on its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _column_widths(
    draw: ImageDraw.ImageDraw,
    fonts: tuple[Font, Font],
    header: tuple[str, ...],
    rows: list[TableRow],
    width: int,
    pad: int,
) -> list[int]:
    """Short columns as wide as their widest cell; the agency at most 30-60 % of the table
    (longer names wrap); a description takes what is left."""
    font, bold = fonts
    needed = [
        max(
            int(draw.textlength(name, font=bold)),
            *(int(draw.textlength(r.cells[i], font=font)) for r in rows),
        )
        + pad
        for i, name in enumerate(header)
    ]
    if len(header) == 3:
        needed[0] = min(needed[0], int(width * 0.6))
        return needed
    needed[1] = min(needed[1], int(width * 0.3))
    needed[2] = max(int(width * 0.2), width - sum(needed) + needed[2])
    return needed


def _pages(rng: random.Random, look: Look) -> tuple[list[Image.Image], list[list[TableRow]]]:
    """Draw the table over as many pages as it needs; each page's rows."""
    header, rows = _rows(rng, look)
    dpi = look.dpi
    size = (int(PAGE_INCHES[0] * dpi), int(PAGE_INCHES[1] * dpi))
    px = round(look.point * dpi / 72)
    font = _font(look.font, px)
    bold_file = look.font.replace("-Regular.ttf", ".ttf").replace(".ttf", "-Bold.ttf")
    bold = _font(bold_file, px)
    line_h = int(px * 1.45)
    pad = int(px * look.gap)
    left, top = int(0.6 * dpi), int(0.8 * dpi)
    width = size[0] - 2 * left
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    widths = _column_widths(measure, (font, bold), header, rows, width, pad)
    right = left + sum(widths)
    # Agency and description cells wrap; ids, dates and numbers stay on one line.
    wrapping = {1, 2} if len(header) > 3 else {0}
    pages: list[Image.Image] = []
    page_rows: list[list[TableRow]] = []
    page: Image.Image | None = None
    draw: ImageDraw.ImageDraw | None = None
    y = 0
    title = rng.choice(("ALPR search audit", "Public records request log", "Agency usage"))
    for row in [*rows, None]:
        cell_lines = (
            [
                _wrap(measure, cell, font, w - pad) if i in wrapping else [cell]
                for i, (cell, w) in enumerate(zip(row.cells, widths, strict=True))
            ]
            if row
            else [[""]]
        )
        need = line_h * max(len(c) for c in cell_lines) + line_h // 3
        if page is None or row is None or y + need > size[1] - top:
            if page is not None and draw is not None:
                pages.append(page)
            if row is None:
                break
            page = Image.new("L", size, 255)
            draw = ImageDraw.Draw(page)
            page_rows.append([])
            draw.text((left, top - 2 * line_h), title, font=bold, fill=0)
            y = top
            x = left
            for name, w in zip(header, widths, strict=True):
                draw.text((x + pad // 2, y), name, font=bold, fill=0)
                x += w
            y += line_h + line_h // 3
            draw.line((left, y - line_h // 6, right, y - line_h // 6), fill=0, width=2)
        assert draw is not None
        row_top = y - line_h // 6
        x = left
        for i, (lines, w) in enumerate(zip(cell_lines, widths, strict=True)):
            for j, text in enumerate(lines):
                # Numbers right-aligned, as tables print them.
                is_number = i > 0 and text.replace(",", "").isdigit()
                cx = x + pad // 2
                if is_number:
                    cx = x + w - pad // 2 - int(draw.textlength(text, font=font))
                draw.text((cx, y + j * line_h), text, font=font, fill=0)
            x += w
        y += need
        if look.ruling != "none":
            draw.line((left, y - line_h // 6, right, y - line_h // 6), fill=0, width=1)
        if look.ruling == "grid":
            x = left
            for w in [0, *widths]:
                x += w
                draw.line((x, row_top, x, y - line_h // 6), fill=0, width=1)
        page_rows[-1].append(row)
    return pages, page_rows


def _degrade(rng: random.Random, page: Image.Image, look: Look) -> Image.Image:
    """Stains, a dark margin, rotation, blur, noise, JPEG artefacts or a fax-like 1-bit page."""
    width, height = page.size
    for _ in range(look.stains):
        stain = Image.new("L", page.size, 255)
        cx, cy = rng.randint(0, width), rng.randint(0, height)
        r = rng.randint(width // 12, width // 5)
        ImageDraw.Draw(stain).ellipse(
            (cx - r, cy - r // 2, cx + r, cy + r), fill=rng.randint(205, 235)
        )
        page = ImageChops.multiply(page, stain.filter(ImageFilter.GaussianBlur(r // 6)))
    if look.margin:
        band = rng.randint(width // 40, width // 15)
        shade = Image.new("L", page.size, 255)
        box = (0, 0, band, height) if look.margin == "left" else (0, 0, width, band)
        ImageDraw.Draw(shade).rectangle(box, fill=rng.randint(10, 60))
        page = ImageChops.multiply(page, shade.filter(ImageFilter.GaussianBlur(band // 5)))
    page = page.rotate(look.angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if look.blur:
        page = page.filter(ImageFilter.GaussianBlur(look.blur * look.dpi / 200))
    if look.noise:
        pixels = np.asarray(page, dtype=np.float32)
        noise = np.random.default_rng(rng.getrandbits(32)).normal(0, look.noise, pixels.shape)
        page = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "L")
    if look.bitonal:
        threshold = rng.randint(110, 170)
        return page.point(lambda v: 255 if v > threshold else 0).convert("1")
    if look.jpeg:
        buffer = io.BytesIO()
        page.save(buffer, "JPEG", quality=look.jpeg)
        buffer.seek(0)
        page = Image.open(buffer).convert("L")
    return page


def _save(folder: Path, stem: str, pages: list[Image.Image], look: Look) -> list[str]:
    """Write the pages; returns each page's file name (the same name for a multi-page file)."""
    dpi = (look.dpi, look.dpi)
    if look.fmt == "pdf":
        name = f"{stem}.pdf"
        # Fixed dates: the same seed gives the same bytes.
        pages[0].save(
            folder / name,
            "PDF",
            resolution=float(look.dpi),
            save_all=True,
            append_images=pages[1:],
            creationDate=SCANNED,
            modDate=SCANNED,
        )
        return [name] * len(pages)
    if look.fmt == "tiff":
        name = f"{stem}.tif"
        compression = "group4" if look.bitonal else "tiff_lzw"
        pages[0].save(
            folder / name,
            "TIFF",
            dpi=dpi,
            compression=compression,
            save_all=True,
            append_images=pages[1:],
        )
        return [name] * len(pages)
    names: list[str] = []
    for number, page in enumerate(pages, start=1):
        suffix = f"_p{number}" if len(pages) > 1 else ""
        if look.fmt == "jpeg":
            name = f"{stem}{suffix}.jpg"
            page.convert("L").save(folder / name, "JPEG", quality=look.jpeg or 85, dpi=dpi)
        else:
            name = f"{stem}{suffix}.png"
            page.save(folder / name, "PNG", dpi=dpi)
        names.append(name)
    return names


def generate_scan(seed: int, folder: Path) -> Generated:
    """One scanned table (one or more pages), its rows as truth."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    look = _look(rng)
    pages, page_rows = _pages(rng, look)
    degraded = [_degrade(rng, page, look) for page in pages]
    stem = rng.choice(("scan", "records_request_log", "IMG_0042", "fax"))
    names = _save(folder, stem, degraded, look)
    truth = [
        TruthRow(name, row.agency, row.count, row.date)
        for name, rows in zip(names, page_rows, strict=True)
        for row in rows
    ]
    variation = {k: str(v) for k, v in vars(look).items() if k != "font"}
    variation["font"] = Path(look.font).stem
    variation["pages"] = str(len(pages))
    return Generated("scan", seed, folder, truth, variation=variation)


KINDS: dict[str, Generator] = {"scan": generate_scan}
#: OCR is slow: tests/variation/test_variation.py runs this many seeds (bench/variation.py runs
#: 100).
TEST_SEEDS: dict[str, int] = {"scan": 6}
