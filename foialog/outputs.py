"""Writing outputs atomically: a file either is complete or is not there."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from entities.errors import FoialogError


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); give it the mode any new file would get.
        tmp.chmod(0o666 & ~_umask())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    # Linux shows the umask in /proc; elsewhere it can only be read by setting it for a moment.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame as UTF-8 CSV, atomically."""
    write_atomic(path, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8"))


def write_json(data: object, path: Path) -> None:
    """Write JSON, atomically."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(path, write)


def prepare_out_dir(out: Path) -> None:
    """Create the output folder, refusing a path that is a file."""
    if out.exists() and not out.is_dir():
        raise FoialogError(f"output folder {out} is a file; choose a folder with -o")
    out.mkdir(parents=True, exist_ok=True)
    # The run manifest is written last; removing it first means a crash mid-run leaves no
    # manifest beside a mix of old and new tables.
    (out / "run.json").unlink(missing_ok=True)
