"""Evidence crops of scanned records: the box drawn where OCR read the row, on a turned scan."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from foialog.extract.readers.images import read_image
from foialog.report.evidence import Box, crop_png
from foialog.sample.scans import scan_font

ROWS = (
    ("Agency", "Searches", "Date"),
    ("Europol", "1,234", "03/04/2024"),
    ("Interpol", "56", "05/06/2024"),
    ("Polk County Sheriff", "7", "07/08/2024"),
)


def _scan(turn: float) -> Image.Image:
    """A 200 dpi table of three columns spread over the page, turned ``turn`` degrees."""
    image = Image.new("L", (1700, 1000), 255)
    draw = ImageDraw.Draw(image)
    for i, row in enumerate(ROWS):
        for x, text in zip((150, 750, 1250), row, strict=True):
            draw.text((x, 200 + 70 * i), text, fill=0, font=scan_font(36))
    return image.rotate(turn, resample=Image.Resampling.BICUBIC, fillcolor=255)


def _red_box(png: bytes) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The crop in gray levels without the drawn box, and the box (x0, top, x1, bottom) in px."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    red = (rgb[..., 0] > 150) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    ys, xs = np.nonzero(red)
    gray = np.where(red, 255.0, rgb.mean(axis=2))  # the page without the drawn box
    return gray, (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))


def test_a_turned_png_scan_shows_each_row_inside_its_box(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    _scan(turn=2.0).save(path, dpi=(200, 200))
    table = read_image(path, path.name, None).tables[0]
    assert table.page == 1
    for i, row in enumerate(ROWS[1:], start=1):
        assert table.rows[i][0] == row[0]
        gray, (x0, top, x1, bottom) = _red_box(crop_png(path, 1, Box(*table.row_boxes[i])))
        # At both ends of the row (it spans the page), its ink is centred in the box: a turned
        # page not levelled as OCR levelled it puts one end of the row half a line off.
        middle = (top + bottom) / 2
        band = gray[max(0, top - 40) : bottom + 40]
        for strip in (band[:, x0 + 4 : x0 + 120], band[:, x1 - 120 : x1 - 4]):
            ys = np.nonzero(strip < 110)[0] + max(0, top - 40)
            assert abs(float(np.median(ys)) - middle) < 0.25 * (bottom - top), (i, row)
