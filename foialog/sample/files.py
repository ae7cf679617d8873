"""Writing the sample's files: delimited text, and refusals that name the path and the fix."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from foialog.sample.truth import SampleError


def refuse_directory(path: Path) -> None:
    """Raise when a directory sits where the sampler writes a file."""
    if path.is_dir():
        raise SampleError(
            f"{path} is a directory, but the sampler writes a file there; "
            "move it away or pass another directory"
        )


def write_file(path: Path, data: bytes) -> None:
    """Write one file, naming the path when the system refuses."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise SampleError(
            f"cannot write {path}: {exc.strerror}; check permissions and free space"
        ) from exc


def delimited_text(records: Sequence[Sequence[str]], delimiter: str) -> str:
    """Records as delimited text with CRLF line ends, quoting only where needed."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(records)
    return buffer.getvalue()
