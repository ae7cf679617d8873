"""OUT/foialog.sqlite served by Datasette: a table page and a full-text search, on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import foialog
from foialog.sample import write_sample

pytest.importorskip("datasette", reason="datasette is a dev dependency: pip install -e '.[dev]'")

#: The test talks to its own server on loopback and nowhere else.
pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]

#: Loopback only, and no proxy: the test must never leave the machine.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str:
    with _OPENER.open(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Run foialog on the sample, serve its SQLite with Datasette, yield the URL and OUT."""
    base = tmp_path_factory.mktemp("datasette")
    manifest = write_sample(base / "sample", seed=0)
    out = base / "out"
    foialog.run([manifest.leak_dir], out)
    port = _free_port()
    command = [
        sys.executable, "-m", "datasette", "serve", str(out / "foialog.sqlite"),
        "--metadata", str(out / "foialog.metadata.json"),
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    log = (base / "datasette.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"datasette exited: {(base / 'datasette.log').read_text()[-2000:]}")
            try:
                _get(f"{url}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail("datasette did not answer within 60 s")
                time.sleep(0.2)
        yield url, out
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


def test_datasette_table_page_shows_records_and_column_descriptions(
    served: tuple[str, Path],
) -> None:
    url, out = served
    records = pd.read_csv(out / "records.csv", keep_default_na=False).sort_values("record_id")
    # A name with no character HTML escapes, among the first rows Datasette shows.
    first = next(name for name in records["agency_raw"][:50] if name.replace(" ", "").isalnum())
    page = _get(f"{url}/foialog/records?_sort=record_id")
    assert first in page  # the first rows, as the run wrote them
    assert "the count as written" in page  # column description from the metadata
    assert 'name="_search"' in page  # FTS detected: the table page offers a search box
    agencies = json.loads(_get(f"{url}/foialog/agencies.json?_shape=array&_size=max"))
    written = pd.read_csv(out / "agencies.csv", keep_default_na=False)
    assert {a["agency"] for a in agencies} == set(written["agency"])


def test_datasette_full_text_search_folds_accents(served: tuple[str, Path]) -> None:
    url, _ = served
    found = json.loads(_get(f"{url}/foialog/records.json?_search=policia&_shape=array"))
    names = {row["agency_raw"] for row in found}
    assert names
    assert all("polic" in n.lower().replace("í", "i") for n in names)
    assert any("í" in n for n in names)  # an accented spelling found by an unaccented query
    nothing = json.loads(_get(f"{url}/foialog/records.json?_search=zzzqqq&_shape=array"))
    assert nothing == []
