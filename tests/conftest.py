"""Shared fixtures: where the public corpus is, and small generated workbooks."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from foialog.extract import parallel

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
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker and stage processes forked from the test, so that they see its patches.

    Once a thread lingers in the suite's process, pools start their workers from a fork
    server, which never sees a test's monkeypatch: a test that patches what a worker runs
    passes alone and fails in the suite without this.
    """
    monkeypatch.setattr(parallel, "process_context", lambda: mp.get_context("fork"))


@pytest.fixture
def collector() -> Iterator[None]:
    """Leave the collector as the test found it."""
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()
