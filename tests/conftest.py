"""Shared fixtures: where the public corpus is, and small generated workbooks."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FOIALOG_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
#: The per-user cache folder the tests use (git-ignored), kept between sessions.
TEST_CACHE = ROOT / ".test-cache"


def pytest_configure(config: pytest.Config) -> None:
    """Point XDG_CACHE_HOME at TEST_CACHE: no test, nor a run it starts, writes to ~/.cache."""
    os.environ["XDG_CACHE_HOME"] = str(TEST_CACHE)


def corpus_file(*parts: str) -> Path:
    """Return a corpus path, skipping the test with a clear reason when ../shared is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus file {path} is absent (set FOIALOG_SHARED to the shared/ folder)")
    return path


@pytest.fixture
def collector() -> Iterator[None]:
    """Leave the collector as the test found it."""
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()
