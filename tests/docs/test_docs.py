"""README, docs and --help stay in step with the code."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from foialog.cli import cli
from foialog.extract.record import RECORD_COLUMNS
from foialog.tables import AGENCY_COLUMNS, DOCUMENT_COLUMNS
from tests.conftest import ROOT

COMMANDS = sorted(cli.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"foialog {command}" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"foialog {command}" in (ROOT / "README.md").read_text()


def test_output_doc_lists_every_column() -> None:
    doc = (ROOT / "docs" / "output.md").read_text()
    documented = set(re.findall(r"^\| ([a-z_0-9]+) \|", doc, flags=re.MULTILINE))
    assert set(RECORD_COLUMNS) <= documented
    for column in (*AGENCY_COLUMNS, *DOCUMENT_COLUMNS):
        assert column in doc


def test_readme_shows_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make demo") < readme.index("make test") < 600
    assert "make test" in (ROOT / ".ci" / "run").read_text()
