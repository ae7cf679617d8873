"""Writing outputs atomically: a file either is complete or is not there."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
        if not _may_start_formula(cells):
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


#: What a formula-like cell starts with (_FORMULA_START's first character).
_FORMULA_FIRST = pa.array(["'", "=", "+", "-", "@", "\t", "\r"], pa.large_string())


def _may_start_formula(cells: pd.Series) -> bool:
    """False when no cell of an Arrow text column starts as a formula-like cell must.

    One look at each cell's first character: matching the pattern on every cell of every
    column cost more than writing most columns.
    """
    if not (isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow"):
        return True
    text = pc.cast(pa.array(cells.array), pa.large_string())
    first = pc.utf8_slice_codeunits(text, 0, 1)
    return bool(pc.any(pc.is_in(first, value_set=_FORMULA_FIRST)).as_py())


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
                text = _csv_text(table, header=start == 0)
                if text is None:
                    table.to_csv(fh, index=False, header=start == 0, lineterminator=os.linesep)
                else:
                    fh.write(text)

    write_atomic(path, write)


def _quoted_characters() -> str:
    """The characters for which a field is quoted: the csv module's, and a carriage return.

    Python's csv module (and so pandas' to_csv) quotes a field holding a line end's characters
    only, so with "\n" line ends it leaves a bare "\r" unquoted, and every CSV reader (pandas,
    Excel, the csv module itself) splits the row there: a leaked cell holding one would lose
    its row's values. Quoted, it reads back whole.
    """
    found = ""
    for char in ',"\n\r\t ':
        out = io.StringIO()
        csv.writer(out, lineterminator=os.linesep).writerow([f"a{char}b", ""])
        if out.getvalue().startswith('"'):
            found += char
    return found if "\r" in found else found + "\r"


#: A field holding one of these is written in quotes, its quotes doubled (QUOTE_MINIMAL).
_QUOTED = _quoted_characters()


def _csv_text(frame: pd.DataFrame, *, header: bool) -> str | None:
    """The frame as ``to_csv(index=False)`` writes it, each column made text by Arrow's string
    kernels; None for a frame with a column of another kind (left to pandas).

    Byte for byte what pandas writes (its csv module: minimal quoting, quotes doubled, no
    index, missing values empty), but for a field holding a carriage return, quoted here (see
    _quoted_characters), at a sixth of the cost on the records table: pandas turns
    every cell into a Python object and the csv module formats them one by one.
    """
    if len(frame) == 0 or len(frame.columns) < 2:
        return None  # a lone empty field is quoted ('""'): pandas knows that case
    columns = []
    for name in frame.columns:
        column = _csv_column(frame[name])
        if column is None:
            return None
        columns.append(column)
    comma = pa.scalar(",", pa.large_string())
    rows = pc.binary_join_element_wise(*columns, comma).to_pylist()
    if header:
        out = io.StringIO()
        csv.writer(out, lineterminator=os.linesep).writerow([str(c) for c in frame.columns])
        rows.insert(0, out.getvalue().removesuffix(os.linesep))
    rows.append("")
    return os.linesep.join(rows)


def _csv_column(cells: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """A column's CSV fields as Arrow text, or None for a kind left to pandas.

    Left to pandas (no table foialog writes has one: periods, intervals, sparse ...), a text
    field holding a bare carriage return is not quoted.
    """
    dtype = cells.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        text = pc.fill_null(pa.array(cells.array), "")
    elif isinstance(dtype, pd.Int64Dtype):
        text = pc.fill_null(pc.cast(pa.array(cells.array), pa.large_string()), "")
    elif isinstance(dtype, pd.Float64Dtype):
        # Python's repr, as pandas writes a float (Arrow writes 1.0 as "1"), made once for each
        # distinct value, told apart by its bits (-0.0 is not 0.0): a column holds few of them
        # (a confidence: a repr for each of 83,000 cells took 0.037 CPU-s, this 0.009).
        numbers = cells.to_numpy(dtype=np.float64, na_value=0.0)
        bits, inverse = np.unique(numbers.view(np.int64), return_inverse=True)
        reprs = np.array([repr(float(v)) for v in bits.view(np.float64)], dtype=object)
        written = reprs[inverse.reshape(-1)]
        written[cells.isna().to_numpy()] = ""
        text = pa.array(written, pa.large_string())
    elif (isinstance(dtype, np.dtype) and dtype.kind == "O") or isinstance(
        dtype, pd.CategoricalDtype | pd.StringDtype | pd.BooleanDtype
    ):
        values = cells.astype(object).tolist()
        text = pa.array([_object_field(v) for v in values], pa.large_string())
    elif isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
        # Numbers, booleans and times hold no character that needs quoting: pandas formats
        # them (its date and float formats), one field per line.
        lines = cells.to_frame().to_csv(index=False, header=False, lineterminator="\n")
        fields = ["" if f == '""' else f for f in lines.split("\n")[:-1]]
        text = pa.array(fields, pa.large_string())
    else:
        return None
    if text.type != pa.large_string():
        text = pc.cast(text, pa.large_string())
    if not _may_need_quotes(text):
        return text
    # Plain substring searches: a regular expression's character class cost four times as long.
    needs = pc.match_substring(text, _QUOTED[0])
    for char in _QUOTED[1:]:
        needs = pc.or_(needs, pc.match_substring(text, char))
    if not pc.any(needs).as_py():
        return text
    quote, nothing = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    quoted = pc.binary_join_element_wise(
        quote, pc.replace_substring(text, '"', '""'), quote, nothing
    )
    return pc.if_else(needs, quoted, text)


#: _QUOTED as the bytes UTF-8 writes them, when each is ASCII (a byte below 128 never stands
#: inside another character's UTF-8 bytes, so finding it finds that character), else None.
_QUOTED_BYTES = tuple(c.encode() for c in _QUOTED) if _QUOTED.isascii() else None


def _may_need_quotes(text: pa.Array | pa.ChunkedArray) -> bool:
    """False when no cell of an Arrow text column holds a character that needs quoting.

    One search of the column's UTF-8 bytes for each such character: a search of every cell
    for each (Arrow's match_substring) was two fifths of writing the CSVs.
    """
    if _QUOTED_BYTES is None:
        return True
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    for chunk in chunks:
        _, offsets, data = chunk.buffers()
        if len(chunk) == 0 or data is None:
            continue
        # The chunk's own cells only: a slice of a longer array shares its buffers.
        wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
        bounds = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)
        start, stop = bounds[chunk.offset], bounds[chunk.offset + len(chunk)]
        cells = memoryview(data)[start:stop].tobytes()
        if any(char in cells for char in _QUOTED_BYTES):
            return True
    return False


def _object_field(value: object) -> str:
    """A Python object's CSV field as pandas writes it: missing empty, a float by its repr."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


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
