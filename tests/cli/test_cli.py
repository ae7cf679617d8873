"""The command line: options reach the library, and missing pieces are named."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from foialog.cli import cli
from foialog.errors import SettingsError
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
