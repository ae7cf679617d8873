"""bench/corpus_sweep.py keeps working: its checks on a real corpus document, and its table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench.corpus_sweep import (
    DOCUMENTS,
    END,
    START,
    Line,
    Outcome,
    inputs,
    judge,
    read,
    table,
    write_doc,
)
from tests.conftest import CORPUS, corpus_file

pytestmark = pytest.mark.corpus


def test_every_corpus_folder_has_a_check() -> None:
    corpus_file("README.md")
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders - set(DOCUMENTS) == set(), "add a check for each new corpus folder"
    assert set(DOCUMENTS) - folders == set(), "a check names a folder the corpus lacks"


def test_reference_files_are_never_inputs() -> None:
    folder = corpus_file("eugene-surveillance-inventory-scan")
    assert [p.name for p in inputs(folder)] == ["DOC102825-10282025103848.pdf"]
    names = [p.name for p in inputs(corpus_file("nics-2015-11"))]
    assert names == ["nics-background-checks-2015-11.pdf"]


@pytest.fixture(scope="module")
def usda(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """The 72-request USDA .xls read by foialog once for the tests below."""
    folder = corpus_file("usda-aphis-foia-log-2012-05-xls")
    return read(folder, tmp_path_factory.mktemp("sweep") / "out", workers=0)


def test_check_reads_the_run_and_names_the_readme_figures(usda: Outcome) -> None:
    assert usda.crash == ""
    line = judge("usda-aphis-foia-log-2012-05-xls", usda)
    assert line.right in {"yes", "partly", "no"}
    # The figures the README row names, whatever their value today.
    for figure in ("rows ", "organisation '-' or blank", "Received", "closed"):
        assert figure in line.got
    rows = usda.records[usda.records["row_type"] == "data"]
    assert f"rows {rows['row'].nunique()}" in line.got


def test_check_fails_when_the_records_are_wrong(usda: Outcome) -> None:
    # Half the rows and no organisation: the README's figures are missed and the line says so.
    records = usda.records.iloc[: len(usda.records) // 2].copy()
    records["agency_raw"] = ""
    broken = Outcome(usda.folder, records, usda.documents, usda.seconds)
    line = judge("usda-aphis-foia-log-2012-05-xls", broken)
    assert line.right in {"partly", "no"}
    assert "(README 72)" in line.got
    assert "✗" in line.got


def test_a_crash_is_a_line_not_the_end() -> None:
    folder = corpus_file("nics-2015-11")
    crashed = Outcome(folder, pd.DataFrame(), pd.DataFrame(), 1.0, "ValueError: boom")
    line = judge("nics-2015-11", crashed)
    assert (line.right, line.got) == ("no", "CRASH: ValueError: boom")


def test_table_goes_between_markers_and_leaves_the_rest(tmp_path: Path) -> None:
    doc = tmp_path / "accuracy.md"
    doc.write_text("# Accuracy\n\n## Other section\n\ntheirs | a | b\n", encoding="utf-8")
    line = Line("nics-2015-11", "55 rows", "rows 55 ✓ | extra", "yes", 3.0, "")
    write_doc(table([line]), doc)
    first = doc.read_text(encoding="utf-8")
    assert first.startswith("# Accuracy\n\n## Other section\n\ntheirs | a | b\n")
    assert first.count(START) == first.count(END) == 1
    assert "| nics-2015-11 | 55 rows | rows 55 ✓ / extra; 3 s | yes |" in first
    write_doc(table([line]), doc)
    again = doc.read_text(encoding="utf-8")
    assert again.count(START) == 1
    assert again.split(START)[0] == first.split(START)[0]
