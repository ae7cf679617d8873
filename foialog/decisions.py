"""A person's decisions about a run, as plain files in OUT: verdicts on records, hints, fixes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from foialog.errors import FoialogError
from foialog.extract.hints import load_hints

VERIFICATIONS = "verifications.csv"
VERIFICATION_COLUMNS = (
    "record_id",
    "verdict",
    "source_file",
    "page",
    "row",
    "agency_raw",
    "count_raw",
    "date_raw",
    "note",
    "at",
)
#: The values a verdict was given on: a record whose values differ now was changed since.
JUDGED_VALUES = ("agency_raw", "count_raw", "date_raw")


def read_verifications(folder: Path) -> pd.DataFrame:
    """Each judged record's latest verdict from ``folder``/verifications.csv (empty if none)."""
    path = folder / VERIFICATIONS
    if not path.is_file():
        return no_verifications()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise FoialogError(
            f"{path}: not a readable verifications CSV ({exc}); fix or remove the file"
        ) from exc
    missing = [c for c in ("record_id", "verdict") if c not in frame.columns]
    if missing:
        raise FoialogError(
            f"{path}: no {' or '.join(missing)} column; its header must be "
            f"{','.join(VERIFICATION_COLUMNS)}"
        )
    frame = frame.reindex(columns=list(VERIFICATION_COLUMNS), fill_value="")
    return frame.drop_duplicates("record_id", keep="last").reset_index(drop=True)


def no_verifications() -> pd.DataFrame:
    """An empty table of verdicts, with the columns of verifications.csv and ``now``."""
    return pd.DataFrame(columns=[*VERIFICATION_COLUMNS, "now"], dtype=str)


def with_current_values(verdicts: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """``verdicts`` with ``now``: as judged, changed since (and how), or gone from the run."""
    by_id = records.set_index(records["record_id"].astype(str))
    states = []
    for row in verdicts.to_dict("records"):
        record_id = str(row["record_id"])
        if row["verdict"] == "accepted" or record_id.startswith("review:"):
            states.append("a review-queue item")
        elif record_id not in by_id.index:
            states.append("no longer in records.csv")
        else:
            now = by_id.loc[record_id]
            now = now.iloc[0] if isinstance(now, pd.DataFrame) else now
            changed = [
                f"{c} now {str(now[c])!r}"
                for c in JUDGED_VALUES
                if c in now.index and str(now[c]) != str(row[c])
            ]
            states.append("changed since: " + ", ".join(changed) if changed else "as judged")
    return verdicts.assign(now=states)


def hint_lines(path: Path | None) -> list[str]:
    """The hints of a hints file in words (none when there is no file)."""
    if path is None or not path.is_file():
        return []
    return [hint.describe() for hint in load_hints(path)]


def correction_lines(path: Path | None) -> list[str]:
    """The lines of a corrections file, header left out (none when there is no file)."""
    if path is None or not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return lines[1:]
