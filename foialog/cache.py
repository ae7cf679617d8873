"""Per-file results kept between runs: unchanged files are not read again, a crash loses nothing."""

from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import fields
from functools import cache
from pathlib import Path

from extract.document import DocumentResult
from extract.record import Record
from foialog.outputs import write_atomic

_RESULT_FIELDS = {f.name for f in fields(DocumentResult)} - {"records"}
_PACKAGES = ("extract", "entities", "foialog")


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


_RECORD_FIELDS = {f.name for f in fields(Record)}


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
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("fingerprint") != self.fingerprint:
            return None
        try:
            return [_load(item) for item in data["results"]]
        except (KeyError, TypeError):
            return None

    def put(self, name: str, sha256: str, results: list[DocumentResult]) -> None:
        """Store the results of one file, atomically."""
        data = {"fingerprint": self.fingerprint, "results": [_dump(r) for r in results]}
        text = json.dumps(data, ensure_ascii=False)

        def write(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")

        try:
            write_atomic(self._path(name, sha256), write)
        except OSError as exc:
            # A full disk costs the cache, not the run: this file is read again next time.
            self.failed = f"results not cached ({exc.strerror or exc}); a re-run reads again"


def _dump(result: DocumentResult) -> dict[str, object]:
    data = {name: getattr(result, name) for name in _RESULT_FIELDS}
    data["records"] = [r.as_dict() for r in result.records]
    return data


def _load(data: dict[str, object]) -> DocumentResult:
    records = data.get("records")
    if not isinstance(records, list):
        raise TypeError("records missing")
    result = DocumentResult(**{k: v for k, v in data.items() if k in _RESULT_FIELDS})  # type: ignore[arg-type]
    result.records = [
        Record(**{k: v for k, v in r.items() if k in _RECORD_FIELDS}) for r in records
    ]
    return result
