"""Fixtures of the output tests: one run on the sample leak, and a fresh copy of it per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import foialog
from foialog.sample import write_sample


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OUT of a run on the sample leak (seed 1), shared: a test that changes it takes ``out``."""
    base = tmp_path_factory.mktemp("sample-run")
    manifest = write_sample(base / "sample", seed=1)
    out = base / "out"
    foialog.run([manifest.leak_dir], out)
    return out


@pytest.fixture
def out(sample_run: Path, tmp_path: Path) -> Path:
    """A fresh copy of sample_run's OUT, for one test to change."""
    copy = tmp_path / "out"
    shutil.copytree(sample_run, copy)
    return copy
