"""records_from_columns pauses the garbage collector only while it builds the records."""

from __future__ import annotations

import gc

import pytest

from foialog.extract.record import Record, record_columns, records_from_columns


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(collector: None, enabled: bool) -> None:
    if enabled:
        gc.enable()
    else:
        gc.disable()
    records = [Record(record_id=f"r-{n}", count=n) for n in range(5)]
    assert records_from_columns(list(record_columns(records))) == records
    assert gc.isenabled() is enabled


def test_the_collector_runs_again_after_a_failed_rebuild(collector: None) -> None:
    gc.enable()
    columns = record_columns([Record(record_id="a"), Record(record_id="b")])
    columns[1].pop()  # one column a value short: the rows cannot be put back together
    with pytest.raises(ValueError, match="shorter"):
        records_from_columns(list(columns))
    assert gc.isenabled()
