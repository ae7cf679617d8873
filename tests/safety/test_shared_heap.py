"""The run freezes its objects for the processes it forks, and only while they run."""

from __future__ import annotations

import gc
from pathlib import Path

from foialog import pipeline


def test_a_run_leaves_nothing_frozen(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for n in range(3):
        (tmp_path / "in" / f"log{n}.csv").write_text(
            f"agency,count,date\nPolice {n},{n + 1},2020-01-0{n + 1}\n"
        )
    assert gc.get_freeze_count() == 0
    result = pipeline.run(
        tmp_path / "in", tmp_path / "out", settings={"cache": False, "workers": 2}
    )
    assert len(result.records) == 3
    assert gc.get_freeze_count() == 0


def test_a_callers_own_freeze_is_kept() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with pipeline._shared_heap():
            assert gc.get_freeze_count() >= before
        assert gc.get_freeze_count() >= before > 0
    finally:
        gc.unfreeze()


def test_objects_made_before_are_frozen_while_it_lasts() -> None:
    kept = [[n] for n in range(1000)]
    with pipeline._shared_heap():
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0
