"""`foialog inspect`: emails and logs counted, header rows in the source's numbering, pages."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import foialog
from foialog.cli import cli
from foialog.extract.hints import load_hints
from foialog.sample import write_sample


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("inspect") / "sample", seed=0, emails=True).leak_dir


@pytest.fixture(scope="module")
def records(leak: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("inspect-run") / "out"
    foialog.run([leak], out)
    return pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)


def _inspect(*args: str) -> str:
    result = CliRunner().invoke(cli, ["inspect", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_email_dump_counts_the_tables_of_its_attachments(
    leak: Path, records: pd.DataFrame
) -> None:
    shown = _inspect(str(leak / "visage_mail.mbox"))
    tabled = sorted(
        {f for f in records["source_file"] if f.startswith("visage_mail.mbox >") and ".csv" in f}
    )
    assert len(tabled) >= 2
    first = shown.splitlines()[0]
    assert re.search(rf"member\(s\) holding {len(tabled)} table\(s\) in all", first), first
    for name in tabled:  # each attachment the run reads is shown, under the name it gets
        assert f"\n{name}: detected type csv, 1 table(s) with rows" in shown


def test_a_log_counts_the_events_a_run_reads(leak: Path, records: pd.DataFrame) -> None:
    shown = _inspect(str(leak / "visage_audit.log"))
    logged = records[(records["source_file"] == "visage_audit.log") & (records["method"] == "log")]
    events = int(pd.to_numeric(logged["count"]).sum())
    assert events > 50
    assert f"; {events:,} event(s) read as an event log" in shown.splitlines()[0]


def test_header_rows_are_numbered_as_records_and_hints_number_rows(
    leak: Path, records: pd.DataFrame, tmp_path: Path
) -> None:
    shown = _inspect(str(leak / "visage_clients_2019.xlsx"))
    header = int(re.search(r"sheet 'Clients': .*header row (\d+) \(", shown).group(1))  # type: ignore[union-attr]
    clients = records[
        (records["source_file"] == "visage_clients_2019.xlsx") & (records["sheet"] == "Clients")
    ]
    assert int(clients["row"].astype(int).min()) == header + 1  # the first data row under it
    assert not re.search(r"\(row \d+:", shown)  # one numbering: no row count of its own
    hints = tmp_path / "hints.csv"
    hints.write_text(_inspect(str(leak / "visage_clients_2019.xlsx"), "--hints"))
    assert {h.header_row for h in load_hints(hints) if h.sheet == "Clients"} == {header}


def test_pdf_tables_give_their_pages_and_hints_for_them_load(
    leak: Path, records: pd.DataFrame, tmp_path: Path
) -> None:
    shown = _inspect(str(leak / "visage_search_log.pdf"))
    pages = sorted(
        {int(p) for p in records.loc[records["source_file"] == "visage_search_log.pdf", "page"]}
    )
    assert len(pages) > 1
    assert f"table on pages {pages[0]}-{pages[-1]}:" in shown
    assert f"header the row above data row 1 on page {pages[0]}" in shown
    hints = tmp_path / "hints.csv"
    hints.write_text(_inspect(str(leak / "visage_search_log.pdf"), "--hints"))
    loaded = load_hints(hints)  # a PDF's unnumbered header row is no header_row 0
    assert loaded
    assert {h.header_row for h in loaded} == {None}
