"""JSON documents: arrays of objects read as tables, nested ones found, bad JSON named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from foialog.errors import ReadError
from foialog.extract.document import extract_document
from foialog.extract.options import ReadOptions
from foialog.extract.readers.jsondoc import read_json
from foialog.extract.sources import Source, sniff

AGENCIES = [
    {"agency_name": "162nd Wing, Arizona Air National Guard", "total": 4, "done": 1, "link": "x"},
    {"agency_name": "Mesa Police Department", "total": 12, "done": 5, "link": "y"},
    {"agency_name": "Federal Bureau of Investigation", "total": 1795, "done": 300},
]


def test_array_of_objects_is_a_table(tmp_path: Path) -> None:
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps(AGENCIES), encoding="utf-8")
    assert sniff(path) == "json"
    blocks = read_json(path, path.name, ReadOptions())
    assert len(blocks.tables) == 1
    table = blocks.tables[0]
    assert table.rows[0] == ["agency_name", "total", "done", "link"]
    assert table.rows[3] == ["Federal Bureau of Investigation", 1795, 300, None]
    result = extract_document(Source(path=path, name=path.name))
    assert [r.agency_raw for r in result.records] == [a["agency_name"] for a in AGENCIES]
    assert sum(r.count or 0 for r in result.records) == 4 + 12 + 1795


def test_nested_arrays_and_objects_of_objects(tmp_path: Path) -> None:
    doc = {
        "meta": {"generated": "2024-01-02"},
        "data": {"results": [{"agency": {"name": "Mesa PD", "state": "AZ"}, "searches": 3}]},
        "by_agency": {"FBI": {"searches": 7}, "DEA": {"searches": 2}},
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    assert sniff(path) == "json"
    tables = read_json(path, path.name, ReadOptions()).tables
    assert [t.sheet for t in tables] == ["data.results", "by_agency"]
    assert tables[0].rows == [["searches", "agency.name", "agency.state"], [3, "Mesa PD", "AZ"]]
    assert tables[1].rows == [["key", "searches"], ["FBI", 7], ["DEA", 2]]


def test_json_lines_are_left_to_the_log_reader(tmp_path: Path) -> None:
    path = tmp_path / "events.log"
    path.write_text('{"ts": "2024-01-02T10:00:00Z", "user": "a"}\n{"ts": "2024-01-02T10:01:00Z"}\n')
    assert sniff(path) != "json"


def test_broken_json_names_file_and_place(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(AGENCIES)[:-20], encoding="utf-8")
    with pytest.raises(ReadError, match=r"cut.json: not valid JSON at line 1, column \d+"):
        read_json(path, path.name, ReadOptions())
