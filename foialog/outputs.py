"""Writing outputs atomically: a file either is complete or is not there."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from foialog.errors import FoialogError


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


#: A cell a spreadsheet program would run as a formula (or DDE command): after any leading
#: apostrophes, it starts with = + - @, a tab or a carriage return (OWASP's "CSV injection").
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
#: ... unless it is a plain signed number, which every spreadsheet reads as a number.
_PLAIN_NUMBER = re.compile(r"'*[+-]?\d+(?:[.,]\d+)*")
#: How run.json names the two ways a run's CSVs are written (its "csv" key).
SAFE_CSV, RAW_CSV = "safe", "raw"


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with each formula-like text cell led by an apostrophe, shown as text.

    A cell already led by apostrophes gets one more when the rest is formula-like, so that
    ``spreadsheet_raw`` gives back every value exactly as it was.
    """
    return _map_text(frame, lambda cells: "'" + cells)


def spreadsheet_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo ``spreadsheet_safe``: drop the apostrophe it put before formula-like cells."""
    return _map_text(frame, lambda cells: cells.str.slice(1))


def _map_text(frame: pd.DataFrame, change: Callable[[pd.Series], pd.Series]) -> pd.DataFrame:
    result = frame
    for column in frame.columns:
        cells = frame[column]
        if cells.dtype != object and not isinstance(cells.dtype, pd.StringDtype):
            continue
        starts = cells.str.match(_FORMULA_START, na=False)
        if not starts.any():
            continue
        # The plain-number test only where a cell starts like a formula: most columns have
        # none, and testing every cell of them was half the cost of writing a large CSV.
        hit = starts.copy()
        hit[starts] = ~cells[starts].str.fullmatch(_PLAIN_NUMBER, na=False)
        if not hit.any():
            continue
        if result is frame:
            result = frame.copy()
        values = cells.to_numpy(dtype=object, copy=True)
        values[hit.to_numpy()] = change(cells[hit]).to_numpy(dtype=object)
        result[column] = pd.Series(values, index=cells.index, dtype=cells.dtype)
    return result


#: Rows written to a CSV at a time: a million-row table made safe and formatted whole held
#: several copies of itself as Python objects.
CSV_CHUNK_ROWS = 50_000


def write_csv(frame: pd.DataFrame, path: Path, *, raw: bool = False, bom: bool = False) -> None:
    """Write a DataFrame as UTF-8 CSV, atomically; formula-like cells as text unless ``raw``.

    ``bom`` starts the file with the byte-order mark Excel looks for. Written a chunk of rows
    at a time, so that the memory it takes does not grow with the table.
    """

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            for start in range(0, max(len(frame), 1), CSV_CHUNK_ROWS):
                part = frame.iloc[start : start + CSV_CHUNK_ROWS]
                table = part if raw else spreadsheet_safe(part)
                table.to_csv(fh, index=False, header=start == 0, lineterminator=os.linesep)

    write_atomic(path, write)


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
