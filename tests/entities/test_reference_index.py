"""The reference index pickled in the per-user cache folder: loaded as built, rebuilt when
stale or broken, never written into the package, and no error where it cannot be cached."""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from foialog.entities import reference
from foialog.entities.reference import (
    _build_index,
    _index,
    _index_key,
    _load_index,
    _save_index,
    cache_folder,
    load_reference,
    us_counties,
    us_places,
)
from tests.conftest import TEST_CACHE


@pytest.fixture
def fresh_index() -> Iterator[None]:
    """The process's index forgotten before and after the test, so each call reads the cache."""
    _forget_index()
    yield
    _forget_index()


def _forget_index() -> None:
    """Drop the index and the reference this process holds."""
    _index.cache_clear()
    load_reference.cache_clear()


def _files(folder: Path) -> list[str]:
    """Every file under folder, relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


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
    old = tmp_path / "reference-index-old.pickle"
    old.write_bytes(b"stale")
    _save_index(built, tmp_path / "reference-index-new.pickle")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reference-index-new.pickle"]
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


def test_the_tests_never_use_the_real_user_cache() -> None:
    assert cache_folder() == TEST_CACHE / "foialog"


def test_index_is_cached_per_user_not_in_the_package_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_index: None
) -> None:
    data = tmp_path / "package-data"
    shutil.copytree(reference.DATA, data, ignore=shutil.ignore_patterns(".index-*"))
    data.chmod(0o555)  # an installed package's folder (root writes there anyway: see below)
    monkeypatch.setattr(reference, "DATA", data)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    package_before = _files(data)
    built = load_reference()
    cached = list((tmp_path / "cache" / "foialog").iterdir())
    assert [p.name for p in cached] == [f"reference-index-{_index_key(data)}.pickle"]
    assert _files(data) == package_before  # nothing written into the package
    # A second process (here: the index forgotten) loads the cached file and builds nothing.
    _forget_index()

    def no_build() -> None:
        raise AssertionError("the index was built again instead of loaded from the cache")

    monkeypatch.setattr(reference, "_build_index", no_build)
    assert load_reference().by_initials() == built.by_initials()
    assert us_places()
    assert us_counties()


def test_an_unwritable_cache_folder_builds_in_memory(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fresh_index: None,
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("")
    # The cache folder would be inside a file: mkdir fails, even for root.
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked / "cache"))
    with caplog.at_level(logging.DEBUG, logger=reference.__name__):
        names = load_reference().by_initials()
    assert names
    assert blocked.read_text() == ""
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert "reference index not cached" in caplog.records[0].getMessage()
    assert str(blocked / "cache" / "foialog") in caplog.records[0].getMessage()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG fallback is Linux's")
def test_cache_folder_follows_xdg_and_falls_back_to_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "foialog"
    # The XDG specification: a relative path is invalid and ignored.
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache_folder() == tmp_path / ".cache" / "foialog"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder() == tmp_path / ".cache" / "foialog"


def test_no_home_folder_builds_in_memory(
    monkeypatch: pytest.MonkeyPatch, fresh_index: None
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("LOCALAPPDATA", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert cache_folder() is None
    assert load_reference().by_initials()
