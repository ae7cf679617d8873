"""The run freezes its objects for the processes it forks, and only while they run."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from foialog import pipeline, stages


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


def test_the_stages_after_reading_are_forked_with_the_run_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: None
) -> None:
    # Unfrozen, the tables stage's process spent 0.17 CPU-s (7 corpus PDFs) on one young
    # collection walking the records it was given.
    real = stages.derived
    seen = tmp_path / "frozen"

    def spy(*args: Any) -> Any:
        seen.write_text(str(gc.get_freeze_count()))  # in the stage's own process
        return real(*args)

    monkeypatch.setattr(pipeline, "derived", spy)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "log.csv").write_text("agency,count,date\nPolice,3,2020-01-02\n")
    result = pipeline.run(tmp_path / "in", settings={"cache": False, "workers": 2})
    assert len(result.records) == 1
    assert len(result.agencies) == 1
    assert int(seen.read_text()) > 0
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


def test_a_run_spaces_collections_and_gives_the_threshold_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real = pipeline._run

    def spy(*args: Any) -> pipeline.Result:
        seen.append(gc.get_threshold()[0])
        return real(*args)

    monkeypatch.setattr(pipeline, "_run", spy)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "log.csv").write_text("agency,count\nPolice,3\n")
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, *before[1:])
        pipeline.run(tmp_path / "in", settings={"cache": False, "workers": 0})
        assert gc.get_threshold()[0] == 700
        gc.set_threshold(10**6, *before[1:])  # a caller's own, larger: kept
        pipeline.run(tmp_path / "in", settings={"cache": False, "workers": 0})
        assert gc.get_threshold()[0] == 10**6
        gc.set_threshold(0)  # the collector turned off: left off
        pipeline.run(tmp_path / "in", settings={"cache": False, "workers": 0})
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
    assert seen == [pipeline.YOUNG_COLLECTION, 10**6, 0]
