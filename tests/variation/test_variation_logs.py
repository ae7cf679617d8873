"""The log generators' truth checked by reading their files back without foialog.

A JSON log can be parsed with the standard library, so its successful searches per
organisation can be counted independently of the generator's own bookkeeping; the streamed
access log is counted with one regular expression.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from tests.variation.logexports import generate_log_extra
from tests.variation.logs import FAILED_RESULT, SEARCH_WORDS, generate_log, write_access_log

SEARCHES = {w for words in SEARCH_WORDS for w in words}


def _flat(record: dict[str, object], prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _counted(record: dict[str, object], org_key: str) -> tuple[str, bool]:
    """(organisation, a successful search) of one JSON event, by the issue's rules."""
    flat = _flat(record)
    org = next(str(v) for k, v in flat.items() if k.split(".")[-1] in {org_key, "name"})
    action = next(
        str(v) for k, v in flat.items() if k.split(".")[-1] in {"event", "type", "action"}
    )
    last = {k.split(".")[-1]: v for k, v in flat.items()}
    failed = (
        last.get("success") is False
        or int(str(last.get("status", 200))) >= 400
        or str(last.get("outcome", "")) in FAILED_RESULT
    )
    return org, action in SEARCHES and not failed


def test_json_logs_count_what_the_truth_says(tmp_path: Path) -> None:
    checked = 0
    for seed in range(120):
        folder = tmp_path / str(seed)
        generated = generate_log(seed, folder)
        if generated.variation["format"] not in {"jsonl", "jsonl_nested"}:
            continue
        if generated.variation["codes"] != "False":
            continue
        (path,) = folder.glob("*.json*")
        counts: Counter[str] = Counter()
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # the junk lines the generator puts in
            if isinstance(record, dict):
                org, searched = _counted(record, generated.variation["org_key"])
                counts[org] += searched
        assert {t.agency: t.count for t in generated.truth} == +counts, f"seed {seed}"
        checked += 1
    assert checked >= 5


def test_json_array_exports_count_what_the_truth_says(tmp_path: Path) -> None:
    checked = 0
    for seed in range(200):
        folder = tmp_path / str(seed)
        generated = generate_log_extra(seed, folder)
        variation = generated.variation
        if variation["format"] != "json_array" or variation["codes"] != "False":
            continue
        (path,) = folder.glob("*.json")
        document = json.loads(path.read_text(encoding="utf-8"))
        events = document["events"] if isinstance(document, dict) else document
        counts: Counter[str] = Counter()
        for record in events:
            org, searched = _counted(record, variation["org_key"])
            counts[org] += searched
        assert {t.agency: t.count for t in generated.truth} == +counts, f"seed {seed}"
        checked += 1
    assert checked >= 3


def test_streamed_access_log_counts_successful_searches(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    truth = write_access_log(path, 400_000, seed=3)
    pattern = re.compile(
        r'\[(\d\d)/(\w{3})/(\d{4}):.*"POST (\S+) HTTP/1.1" (\d{3}) .*org_id="([^"]+)"'
    )
    counts: Counter[str] = Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        match = pattern.search(line)
        assert match, line
        counts[match[6]] += match[4].endswith("/search") and int(match[5]) < 400
    assert {org: n for org, (n, _, _) in truth.items()} == +counts
    assert 399_000 <= path.stat().st_size <= 400_000
    assert all(first <= last for _, first, last in truth.values())
