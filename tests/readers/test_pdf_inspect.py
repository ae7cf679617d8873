"""foialog inspect --page N --png: what the reader found, drawn over the page."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from foialog.cli import cli
from foialog.extract.readers.pdf.overlay import SCALE, page_findings
from foialog.sample.pdfs import LOG_PDF, REDACTED_PDF, write_pdfs


def test_inspect_png_outlines_tables_redactions_and_furniture(tmp_path: Path) -> None:
    write_pdfs(tmp_path, seed=1)
    redacted = tmp_path / REDACTED_PDF
    found = page_findings(redacted, 1)
    assert len(found.tables) == 1
    assert len(found.tables[0].rows) == 22
    assert len(found.redactions) == 5
    log = page_findings(tmp_path / LOG_PDF, 2)
    assert len(log.furniture) == 1  # "Page 2 of 3" and the Bates number, one footer line
    png = tmp_path / "page1.png"
    result = CliRunner().invoke(cli, ["inspect", str(redacted), "--page", "1", "--png", str(png)])
    assert result.exit_code == 0, result.output
    image = Image.open(png).convert("RGB")
    assert image.size == (round(612 * SCALE), round(792 * SCALE))
    x0, top, _, _ = found.redactions[0]
    # The red outline sits 2 px outside the box's corner; the table's blue outline likewise.
    assert image.getpixel((round(x0 * SCALE) - 1, round(top * SCALE) + 10))[0] > 200
    tx0, ttop, _, _ = found.tables[0].box
    blue = image.getpixel((round(tx0 * SCALE) - 2, round(ttop * SCALE) + 20))
    assert blue[2] > 150
    assert blue[0] < 100


def test_inspect_png_names_a_missing_page(tmp_path: Path) -> None:
    write_pdfs(tmp_path, seed=1)
    result = CliRunner().invoke(
        cli, ["inspect", str(tmp_path / REDACTED_PDF), "--page", "9", "--png", "x.png"]
    )
    assert result.exit_code != 0
    assert "there is no page 9; the PDF has 1 page(s)" in str(result.exception or result.output)
