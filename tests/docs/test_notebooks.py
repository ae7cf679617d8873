"""The worked notebooks run from top to bottom, as CI executes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT

nbformat = pytest.importorskip("nbformat", reason="nbformat is a dev dependency")
nbclient = pytest.importorskip("nbclient", reason="nbclient is a dev dependency")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: The kernel talks to this process over ZeroMQ on loopback, and nowhere else.
pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]


def test_there_are_three_worked_notebooks() -> None:
    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_without_errors(notebook: Path, tmp_path: Path) -> None:
    book = nbformat.read(notebook, as_version=4)
    client = nbclient.NotebookClient(
        book,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs
    )
    assert "Traceback" not in text
    if notebook.stem.startswith("01"):
        assert "files; 0 differ in searches" in text
    if notebook.stem.startswith("02"):
        assert "ADP still counted: False" in text
    if notebook.stem.startswith("03"):
        assert "monthly counts equal the log's own: True" in text
