"""foialog inspect --png on scans: image files and image-only PDF pages, drawn as OCR read them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image, ImageDraw

from foialog.cli import cli
from foialog.extract.readers.pdf.overlay import SCALE, page_findings
from foialog.sample.scans import scan_font

ROWS = (
    ("Agency", "Searches", "Date"),
    ("Europol", "1,234", "03/04/2024"),
    ("Interpol", "56", "05/06/2024"),
    ("Polk County Sheriff", "7", "07/08/2024"),
)


def _scan(turn: float = 0.0) -> Image.Image:
    """A 200 dpi table: three columns, drawn at known places, turned ``turn`` degrees."""
    image = Image.new("L", (1700, 1000), 255)
    draw = ImageDraw.Draw(image)
    for i, row in enumerate(ROWS):
        for x, text in zip((150, 750, 1150), row, strict=True):
            draw.text((x, 200 + 70 * i), text, fill=0, font=scan_font(36))
    return image.rotate(turn, resample=Image.Resampling.BICUBIC, fillcolor=255)


def _blue_pixels(image: Image.Image) -> int:
    pixels = np.asarray(image.convert("RGB")).astype(int)
    return int(((pixels[..., 2] > 150) & (pixels[..., 0] < 60)).sum())


def test_inspect_png_draws_the_table_found_on_an_image_file(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    _scan(turn=1.5).save(path, dpi=(200, 200))
    found = page_findings(path, 1)
    (table,) = found.tables
    assert table.header == ROWS[0]
    assert [r.cells for r in table.rows] == [tuple(r) for r in ROWS[1:]]
    assert found.image is not None
    out = tmp_path / "drawn.png"
    result = CliRunner().invoke(cli, ["inspect", str(path), "--png", str(out)])
    assert result.exit_code == 0, result.output
    drawn = Image.open(out)
    # Points at 144 dpi: the 1700 px page at 200 dpi is 612 points wide, 1224 px drawn.
    assert drawn.width == round(1700 * 72 / 200 * SCALE)
    assert _blue_pixels(drawn) > 1000  # the table's outline
    x0, top, _, _ = table.box
    rgb = np.asarray(drawn.convert("RGB"))
    assert rgb[round(top * SCALE) + 10, round(x0 * SCALE) - 2, 2] > 150  # blue at its corner


def test_inspect_png_draws_an_image_only_pdf_page(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _scan().convert("RGB").save(path, "PDF", resolution=200)
    found = page_findings(path, 1)
    assert len(found.tables) == 1
    assert found.image is not None
    out = tmp_path / "drawn.png"
    result = CliRunner().invoke(cli, ["inspect", str(path), "--page", "1", "--png", str(out)])
    assert result.exit_code == 0, result.output
    assert _blue_pixels(Image.open(out)) > 1000


def test_inspect_png_names_a_missing_frame(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    _scan().save(path)
    result = CliRunner().invoke(cli, ["inspect", str(path), "--page", "3", "--png", "x.png"])
    assert result.exit_code != 0
    assert "there is no page 3; the image has 1 frame(s)" in str(result.exception or result.output)
