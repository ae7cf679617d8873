"""The README's Python example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import foialog
from foialog.sample import write_sample
from tests.conftest import ROOT


def readme_python() -> str:
    """Return the README's ```python block."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    assert len(blocks) == 1, "the README should show one Python example"
    return str(blocks[0])


def test_readme_example_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write_sample(tmp_path / "sample", seed=0)
    monkeypatch.chdir(tmp_path)
    code = readme_python()
    assert len(code.strip().splitlines()) <= 6
    namespace: dict[str, object] = {}
    exec(compile(code, str(ROOT / "README.md"), "exec"), namespace)
    printed = capsys.readouterr().out
    result = namespace["result"]
    assert isinstance(result, foialog.Result)
    assert len(result.documents) == len(manifest.files)
    assert len(result.records) > 100
    for column in ("source_file", "status", "n_records", "agency_raw"):
        assert column in printed
    assert "visage_clients_2019.xlsx" in printed
