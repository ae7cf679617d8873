"""write_sqlite pauses the garbage collector only while it writes the database."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from foialog.export import write_sqlite


@pytest.mark.parametrize("enabled", [True, False])
def test_the_database_is_written_and_the_collector_left_as_it_was(
    collector: None, tmp_path: Path, enabled: bool
) -> None:
    if enabled:
        gc.enable()
    else:
        gc.disable()
    agencies = pd.DataFrame({"agency_id": ["a1", "a2"], "agency": ["Police", "Sheriff"]})
    path = write_sqlite({"agencies": agencies}, tmp_path / "x.sqlite")
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT agency_id, agency FROM agencies ORDER BY rowid").fetchall()
    assert rows == [("a1", "Police"), ("a2", "Sheriff")]
    assert gc.isenabled() is enabled


def test_the_collector_runs_again_after_a_failed_write(collector: None, tmp_path: Path) -> None:
    gc.enable()
    twice = pd.DataFrame({"agency_id": ["a1", "a1"], "agency": ["Police", "Police"]})
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        write_sqlite({"agencies": twice}, tmp_path / "x.sqlite")
    assert gc.isenabled()
