"""How fast `foialog review` answers each view on a run of 100,000 records.

    .venv/bin/python bench/review_speed.py [--records 100000]

Runs foialog on the sample leak, then repeats its records (new record ids, rows and dates
shifted) up to the asked number, and times each view through Starlette's test client: the
first answer (tables read from OUT) and the median of five warm answers. The acceptance asks
each view in under 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import foialog  # noqa: E402
from foialog.review import create_app  # noqa: E402
from foialog.sample import write_sample  # noqa: E402

TOKEN = "bench"


def grow(out: Path, n: int) -> None:
    """Repeat OUT's records to n rows with fresh ids (a stand-in for a big run)."""
    records = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
    copies = -(-n // len(records))
    big = pd.concat([records] * copies, ignore_index=True).iloc[:n].copy()
    big["record_id"] = [f"r-{i:014x}" for i in range(len(big))]
    big["row"] = [str(i % 5000 + 1) for i in range(len(big))]
    big.to_csv(out / "records.csv", index=False)


def main() -> None:
    """Build the big run and time every view."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="foialog-review-") as tmp:
        base = Path(tmp)
        manifest = write_sample(base / "sample", seed=1)
        out = base / "out"
        foialog.run([manifest.leak_dir], out, settings={"cache": False})
        grow(out, args.records)
        client = TestClient(create_app(out, TOKEN), base_url="http://127.0.0.1:8000")
        records = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
        agency = records["agency"].value_counts().index[0]
        some = records["record_id"].iloc[len(records) // 2]
        views = {
            "files": "/files",
            "file (inspect one CSV)": "/file?name=searches_eu.csv",
            "records, page 1": "/records",
            "records of one agency": f"/records?agency={agency}",
            "records of one month, low confidence": "/records?month=2019-11&confidence_below=0.9",
            "one record": f"/record/{some}",
            "agencies": "/agencies",
            "review queue": "/queue",
        }
        started = time.perf_counter()
        assert client.get(f"/files?token={TOKEN}").status_code == 200
        first = time.perf_counter() - started
        print(f"{len(records):,} records; first answer (tables read): {first * 1000:.0f} ms")
        print("| view | median of 5 warm answers, ms | slowest, ms |")
        print("|---|---|---|")
        for name, path in views.items():
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                assert answer.status_code == 200, (path, answer.status_code)
            print(f"| {name} | {statistics.median(times):.0f} | {max(times):.0f} |")


if __name__ == "__main__":
    main()
