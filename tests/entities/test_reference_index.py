"""The reference index pickled beside the data: loaded as built, rebuilt when stale or broken."""

from __future__ import annotations

import shutil
from pathlib import Path

from foialog.entities import reference
from foialog.entities.reference import (
    _build_index,
    _index_key,
    _load_index,
    _save_index,
    load_reference,
    us_counties,
    us_places,
)


def test_a_saved_index_loads_as_built(tmp_path: Path) -> None:
    built = _build_index()
    path = tmp_path / ".index-test.pickle"
    _save_index(built, path)
    loaded = _load_index(path)
    assert loaded is not None
    assert loaded.reference.entries == built.reference.entries
    assert loaded.reference.by_initials() == built.reference.by_initials()
    assert dict(loaded.reference.by_key()) == dict(built.reference.by_key())
    assert loaded.places == built.places
    assert loaded.counties == built.counties
    # What a run uses is the same index, whether it was loaded or built.
    assert load_reference().by_initials() == built.reference.by_initials()
    assert us_places() == built.places
    assert us_counties() == built.counties


def test_saving_removes_older_indexes_and_skips_an_unwritable_folder(tmp_path: Path) -> None:
    built = _build_index()
    old = tmp_path / ".index-old.pickle"
    old.write_bytes(b"stale")
    _save_index(built, tmp_path / ".index-new.pickle")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".index-new.pickle"]
    blocked = tmp_path / "a file"
    blocked.write_text("")
    _save_index(built, blocked / ".index-x.pickle")  # its folder is a file: no error, no index
    assert blocked.read_text() == ""


def test_a_broken_or_missing_index_is_not_loaded(tmp_path: Path) -> None:
    assert _load_index(tmp_path / "missing.pickle") is None
    cut = tmp_path / ".index-cut.pickle"
    _save_index(_build_index(), cut)
    cut.write_bytes(cut.read_bytes()[:1000])
    assert _load_index(cut) is None
    other = tmp_path / ".index-other.pickle"
    other.write_bytes(b"\x80\x05K\x01.")  # a pickled 1, not an index
    assert _load_index(other) is None


def test_the_key_changes_with_the_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(reference.DATA, data, ignore=shutil.ignore_patterns(".index-*"))
    before = _index_key(data)
    assert _index_key(data) == before
    curated = data / "curated_agencies.csv"
    curated.write_text(curated.read_text() + "\n")
    assert _index_key(data) != before
