"""The Dask engine on a LocalCluster of two workers (127.0.0.1) gives the local outputs."""

from __future__ import annotations

from pathlib import Path

import distributed
import pandas as pd
import pytest

from foialog.pipeline import run
from foialog.sample import write_sample


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_dask_outputs_equal_local(tmp_path: Path) -> None:
    manifest = write_sample(tmp_path / "s", seed=2)
    local = run(manifest.leak_dir, settings={"workers": 2})
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        remote = run(
            manifest.leak_dir, settings={"engine": "dask", "scheduler": cluster.scheduler_address}
        )
    for name in ("records", "agencies"):
        pd.testing.assert_frame_equal(getattr(remote, name), getattr(local, name))
    docs = ["source_file", "sha256", "detected_type", "status", "error", "n_records"]
    pd.testing.assert_frame_equal(remote.documents[docs], local.documents[docs])
