"""The command line: options reach the library, and missing pieces are named."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from foialog.cli import cli


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
