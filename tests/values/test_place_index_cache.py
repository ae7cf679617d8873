"""The place-name indexes are read from the per-user cache folder once built there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from foialog.extract.values import places


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own and the process's indexes forgotten around the test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    places._indexes.cache_clear()
    yield tmp_path / "foialog"
    places._indexes.cache_clear()


def _no_build() -> None:
    raise AssertionError("the place-name index was built again, not read from the cache")


def test_indexes_are_built_once_then_read_from_the_cache(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = places._indexes()
    files = sorted(p.name for p in cache_home.iterdir())
    assert len(files) == 1
    assert files[0].startswith("place-index-")
    assert built[0]["germany"] == "DE"
    assert built[2][1]["kalifornien"] == "US-CA"
    places._indexes.cache_clear()
    for name in ("_build_country_index", "_build_region_index", "_build_translated_regions"):
        monkeypatch.setattr(places, name, _no_build)
    assert places._indexes() == built


def test_an_unreadable_cache_file_is_built_again_and_replaced(cache_home: Path) -> None:
    cache_home.mkdir(parents=True)
    path = cache_home / f"place-index-{places._index_key()}.pickle"
    path.write_bytes(b"not a pickle")
    stale = cache_home / "place-index-0000.pickle"
    stale.write_bytes(b"from older code")
    built = places._indexes()
    assert "US-TX" in built[1][2]
    assert sorted(cache_home.iterdir()) == [path]
    places._indexes.cache_clear()
    assert places._indexes() == built
