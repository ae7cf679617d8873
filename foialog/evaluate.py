"""Accuracy against truth: a row counts only when agency, count and date are all right."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

import pandas as pd

#: A truth row and a record are the same row when these agree (page is empty for sheets).
_KEY = ["source_file", "sheet", "page", "row"]


@dataclass(frozen=True)
class Score:
    """Row-level precision, recall and F1 for one group of files."""

    kind: str
    truth_rows: int
    predicted_rows: int
    correct: int

    @property
    def precision(self) -> float:
        """Share of predicted rows that are right."""
        return self.correct / self.predicted_rows if self.predicted_rows else 0.0

    @property
    def recall(self) -> float:
        """Share of truth rows found right."""
        return self.correct / self.truth_rows if self.truth_rows else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        """One printable line of figures."""
        return (
            f"{self.kind:>6}: truth {self.truth_rows:4d}  predicted {self.predicted_rows:4d}  "
            f"correct {self.correct:4d}  P {self.precision:.3f}  R {self.recall:.3f}  "
            f"F1 {self.f1:.3f}"
        )


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_file": frame["source_file"].astype(str),
            "sheet": frame["sheet"].fillna("").astype(str),
            "page": frame["page"].fillna("").astype(str) if "page" in frame else "",
            "row": pd.to_numeric(frame["row"]).astype("int64"),
            "agency_raw": frame["agency_raw"].fillna("").astype(str).str.split().str.join(" "),
            "count": pd.to_numeric(frame["count"], errors="coerce").astype("Int64"),
            "date": frame["date"].fillna("").astype(str),
        }
    )


def row_mismatches(records: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Return truth data rows joined to predictions, with a column saying what is wrong."""
    data = records[records["row_type"] == "data"]
    pred = _norm(data)
    gold = _norm(truth[truth["row_type"] == "data"])
    # Prose has no stable row: its files are matched as multisets of (agency, count, date).
    prose_files = (
        set(data.loc[data["method"] == "prose", "source_file"].astype(str))
        if "method" in data
        else set()
    )
    is_prose_pred = pred["source_file"].isin(prose_files)
    is_prose_gold = gold["source_file"].isin(prose_files)
    prose = _multiset_join(gold[is_prose_gold], pred[is_prose_pred])
    pred, gold = pred[~is_prose_pred], gold[~is_prose_gold]
    joined = gold.merge(pred, on=_KEY, how="outer", suffixes=("_truth", "_pred"), indicator=True)
    problems: list[str] = []
    for _, row in joined.iterrows():
        if row["_merge"] == "left_only":
            problems.append("missing")
        elif row["_merge"] == "right_only":
            problems.append("extra")
        else:
            wrong = [
                f
                for f in ("agency_raw", "count", "date")
                if not _same(row[f"{f}_truth"], row[f"{f}_pred"])
            ]
            problems.append(",".join(wrong))
    joined["problem"] = problems
    if len(prose):
        joined = pd.concat([joined, prose], ignore_index=True)
    return joined


def _multiset_join(gold: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
    """Pair truth and predicted rows with equal (file, agency, count, date), as many as agree."""
    key = ["source_file", "agency_raw", "count", "date"]
    rows: list[dict[str, object]] = []
    left = [tuple(r) for r in gold[key].itertuples(index=False)]
    pool = [tuple(r) for r in pred[key].itertuples(index=False)]
    for item in left:
        hit = next((i for i, p in enumerate(pool) if all(map(_same, item, p))), None)
        merge, problem = ("both", "") if hit is not None else ("left_only", "missing")
        if hit is not None:
            pool.pop(hit)
        rows.append({"source_file": item[0], "row": 0, "_merge": merge, "problem": problem})
    for item in pool:
        rows.append({"source_file": item[0], "row": 0, "_merge": "right_only", "problem": "extra"})
    return pd.DataFrame(rows, columns=["source_file", "row", "_merge", "problem"])


def file_kind(source_file: str) -> str:
    """The kind a file is scored under: the extension of the outermost file ("a.mbox > x")."""
    return PurePosixPath(source_file.split(" > ", 1)[0]).suffix.lstrip(".") or "none"


def score(records: pd.DataFrame, truth: pd.DataFrame) -> list[Score]:
    """Return a Score per file kind (by extension) and one for all files together."""
    joined = row_mismatches(records, truth)
    joined["kind"] = [file_kind(s) for s in joined["source_file"]]
    scores = []
    for kind, group in [*sorted(joined.groupby("kind")), ("all", joined)]:
        scores.append(
            Score(
                kind=str(kind),
                truth_rows=int((group["_merge"] != "right_only").sum()),
                predicted_rows=int((group["_merge"] != "left_only").sum()),
                correct=int((group["problem"] == "").sum()),
            )
        )
    return scores


def _same(a: object, b: object) -> bool:
    if a is pd.NA or b is pd.NA:
        return a is b
    return bool(a == b)
