"""The command line: options reach the library, and missing pieces are named."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

import foialog
from foialog.cli import cli
from foialog.errors import SettingsError
from foialog.extract.readers.ocr import OcrSettings
from foialog.rerun import rerun_command
from foialog.sample.scans import scan_font
from foialog.settings import MIN_MEMORY_MB, Settings


def test_missing_spacy_model_is_named_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text(
        "Dated 18 January 2020.\n\nInterpol ran more than 320 searches during its trial.\n"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path / "note.txt"), "-o", str(out), "-q", "--model", "xx_missing"]
    )
    assert result.exit_code == 0, result.output
    assert "spaCy model xx_missing is not installed" in result.output
    assert "rule layer" in result.output
    records = pd.read_csv(out / "records.csv", keep_default_na=False)
    assert list(records["count"]) == [320]  # the rule layer still reads the sentence


def _option(command: str, name: str) -> click.Option:
    """The click option of that name on one foialog command."""
    found = [p for p in cli.commands[command].params if isinstance(p, click.Option)]
    return next(p for p in found if name in p.opts)


def test_memory_and_stage_limits_are_one_option_on_run_export_and_report() -> None:
    memory = [_option(c, "--memory-mb") for c in ("run", "export", "report")]
    assert len({m.help for m in memory}) == 1
    assert {m.default for m in memory} == {Settings.memory_mb}
    stage = [_option(c, "--stage-timeout") for c in ("run", "export", "report")]
    assert {s.default for s in stage} == {Settings.stage_timeout}


@pytest.mark.parametrize("command", ["run", "export", "report"])
def test_memory_below_the_least_is_refused_alike(command: str, tmp_path: Path) -> None:
    args = {
        "run": [str(tmp_path), "-o", str(tmp_path / "out")],
        "export": [str(tmp_path), "-f", "csv"],
    }
    result = CliRunner().invoke(
        cli, [command, *args.get(command, [str(tmp_path)]), "--memory-mb", "63"]
    )
    assert result.exit_code == 2
    assert "'--memory-mb'" in result.output
    assert f"63 is not in the range x>={MIN_MEMORY_MB}" in result.output
    assert not (tmp_path / "out").exists()


def test_settings_refuse_the_memory_the_command_line_refuses() -> None:
    with pytest.raises(
        SettingsError, match=f"memory_mb must be a whole number of at least {MIN_MEMORY_MB}, not 63"
    ):
        Settings(memory_mb=MIN_MEMORY_MB - 1)
    assert Settings(memory_mb=MIN_MEMORY_MB).memory_mb == MIN_MEMORY_MB


def _scan(folder: Path) -> list[Path]:
    """A page of typed text as a PNG and as an image-only PDF: both are read by Tesseract."""
    image = Image.new("L", (1200, 400), 255)
    ImageDraw.Draw(image).text((60, 150), "Interpol ran 320 searches in 2019", font=scan_font(48))
    folder.mkdir()
    png, pdf = folder / "scan.png", folder / "scan.pdf"
    image.save(png)
    image.save(pdf, resolution=150)
    return [png, pdf]


def test_ocr_timeout_reaches_tesseract_and_its_message_names_the_option(tmp_path: Path) -> None:
    # 1 ms: Tesseract cannot load its language in that time, so every page call is stopped.
    leak, out = _scan(tmp_path / "leak")[0].parent, tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["run", str(leak), "-o", str(out), "-q", "--workers", "1", "--ocr-timeout", "0.001"]
    )
    assert result.exit_code == 1, result.output  # neither file could be read
    rows = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("source_file")
    stopped = (
        "Tesseract took longer than 0.001 s on a page image and was stopped; raise --ocr-timeout"
    )
    assert rows.loc["scan.png", "status"] == "failed"
    assert stopped in rows.loc["scan.png", "error"]
    assert f"OCR FAILED: page 1: {stopped}" in rows.loc["scan.pdf", "notes"]
    run = json.loads((out / "run.json").read_text())
    assert run["settings"]["ocr_timeout"] == 0.001
    command = rerun_command([leak], out, run["settings"]).text
    assert "--ocr-timeout 0.001" in command


def test_ocr_timeout_from_the_python_api_and_its_default(tmp_path: Path) -> None:
    png = _scan(tmp_path / "leak")[0]
    result = foialog.run([png], tmp_path / "out", settings={"ocr_timeout": 0.001, "workers": 0})
    assert "0.001 s" in result.documents["error"].iloc[0]
    assert Settings().ocr_timeout == OcrSettings().timeout == 120
    assert Settings().read_options().ocr_timeout == 120


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "2", True])
def test_ocr_timeout_must_be_a_positive_number_of_seconds(value: object) -> None:
    with pytest.raises(SettingsError, match="ocr_timeout must be a positive number of seconds"):
        Settings(ocr_timeout=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_ocr_timeout_option_refuses_what_is_not_a_positive_number(
    value: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path), "-o", str(tmp_path / "o"), "--ocr-timeout", value]
    )
    assert result.exit_code == 2
    assert "'--ocr-timeout'" in result.output
    assert not (tmp_path / "o").exists()
