"""Per-file results kept between runs: unchanged files are not read again, a crash loses nothing."""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Iterator
from dataclasses import fields
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TextIO

from foialog.extract.document import DocumentResult
from foialog.extract.record import RECORD_COLUMNS, Record
from foialog.outputs import write_atomic

_RESULT_FIELDS = {f.name for f in fields(DocumentResult)} - {"records"}
_PACKAGES = ("foialog", "foialog.extract", "foialog.entities")


@cache
def code_fingerprint() -> str:
    """Hash of foialog's own code and data files: results cached by other code are not reused."""
    digest = hashlib.sha256()
    for package in _PACKAGES:
        root = Path(importlib.import_module(package).__file__ or "").parent
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and path.suffix not in {".pyc", ".pyo"}
                and "__pycache__" not in path.parts
            ):
                digest.update(path.relative_to(root.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class ResultCache:
    """A folder of JSON files, one per input file, keyed by its name, content and the settings."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.fingerprint = fingerprint
        #: Why a result could not be stored (a full disk), or "".
        self.failed = ""
        # A run killed while storing a result leaves its half-written temporary file behind.
        for leftover in directory.glob(".*.tmp") if directory.is_dir() else ():
            leftover.unlink(missing_ok=True)

    def _path(self, name: str, sha256: str) -> Path:
        key = hashlib.sha256(f"{self.fingerprint}|{name}|{sha256}".encode()).hexdigest()
        return self.directory / f"{key[:32]}.json"

    def get(self, name: str, sha256: str) -> list[DocumentResult] | None:
        """Return the stored results for this file, or None when it must be read again."""
        path = self._path(name, sha256)
        try:
            with path.open(encoding="utf-8") as fh:
                head = json.loads(fh.readline())
                if head.get("fingerprint") != self.fingerprint:
                    return None
                return [_load(json.loads(line), fh) for line in _lines(fh, head["results"])]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, name: str, sha256: str, results: list[DocumentResult]) -> None:
        """Store the results of one file, atomically."""

        # JSON Lines, written a line at a time: the whole file as one JSON text held a million
        # records twice over (as dicts, then as text) in the run's process.
        def write(tmp: Path) -> None:
            with tmp.open("w", encoding="utf-8") as fh:
                head = {"fingerprint": self.fingerprint, "results": len(results)}
                fh.write(json.dumps(head) + "\n")
                for result in results:
                    _dump(result, fh)

        try:
            write_atomic(self._path(name, sha256), write)
        except OSError as exc:
            # A full disk costs the cache, not the run: this file is read again next time.
            self.failed = f"results not cached ({exc.strerror or exc}); a re-run reads again"


def _dump(result: DocumentResult, fh: TextIO) -> None:
    """Write a result as a line of its fields, then a line per record (values in field order)."""
    data: dict[str, object] = {name: getattr(result, name) for name in _RESULT_FIELDS}
    data["records"] = len(result.records)
    fh.write(json.dumps(data, ensure_ascii=False) + "\n")
    values = attrgetter(*RECORD_COLUMNS)
    for record in result.records:
        fh.write(json.dumps(values(record), ensure_ascii=False) + "\n")


def _load(data: dict[str, object], fh: TextIO) -> DocumentResult:
    """A result from its line of fields, reading its records' lines from ``fh``."""
    n = data.pop("records")
    if not isinstance(n, int):
        raise TypeError("records missing")
    result = DocumentResult(**{k: v for k, v in data.items() if k in _RESULT_FIELDS})  # type: ignore[arg-type]
    result.records = [Record(*json.loads(line)) for line in _lines(fh, n)]
    return result


def _lines(fh: TextIO, n: object) -> Iterator[str]:
    """The next ``n`` lines of ``fh``; ValueError when the file ends first (cut short)."""
    if not isinstance(n, int):
        raise TypeError("a count of lines was expected")
    for _ in range(n):
        line = fh.readline()
        if not line.endswith("\n"):
            raise ValueError("cache file cut short")
        yield line
