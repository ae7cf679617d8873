"""The variation generator's truth model, kind registry and scoring.

The generator is written from the issues' words, not from the reader's code: each kind module
(tests/variation/<name>.py) makes documents the way other people make them and states what a
correct extraction gives. Nothing here imports from extract/ or entities/.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class TruthRow:
    """One row a correct extraction gives: who, how many, when, in which file."""

    #: The file as foialog names it: relative to the generated folder, members "a.zip > b.csv".
    source_file: str
    #: The agency as printed in this row (compared with agency_raw, case and spaces folded).
    agency: str
    #: The count printed for the row (None where the row has none).
    count: int | None
    #: ISO date ("YYYY-MM-DD", "YYYY-MM" or "") the row gives.
    date: str
    #: The true agency behind the spelling; equal across spellings of one agency.
    entity: str = ""
    #: ISO 3166-1 alpha-2 country, when the document states or implies it ("" when not).
    country: str = ""
    #: ISO 3166-2 region ("US-MO"), when the document states it ("" when not).
    region: str = ""
    #: What was counted ("searches", "requests" ...), "" when the document does not say.
    metric: str = ""
    #: Logs: the last event's ISO date (``date`` is the first); "" elsewhere.
    date_last: str = ""


@dataclass
class Generated:
    """The documents of one kind and seed, and what a correct reading gives."""

    kind: str
    seed: int
    #: The folder holding the documents (the input to ``foialog run``).
    folder: Path
    truth: list[TruthRow] = field(default_factory=list)
    #: What this seed varied, for printing the worst seed ("header=fr, encoding=cp850 ...").
    variation: dict[str, str] = field(default_factory=dict)
    #: How rows are scored: "rows" (each printed row) or "log" (per file and agency totals).
    scoring: str = "rows"


#: A kind's generator: (seed, folder to write into) -> what it wrote and its truth.
Generator = Callable[[int, Path], Generated]


def fold(text: object) -> str:
    """A name as compared: NFKC, case-folded, spaces folded, outer punctuation stripped."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    value = unicodedata.normalize("NFKC", str(text)).casefold()
    value = " ".join(value.split())
    return value.strip(" .,;:-*\"'")


def _count(value: object) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _date(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    text = str(value)
    return "" if text in {"nan", "NaT", "<NA>", "None"} else text


@dataclass(frozen=True)
class Score:
    """Row precision, recall and F1 for one kind (or one seed)."""

    kind: str
    truth_rows: int
    predicted_rows: int
    correct: int
    #: Up to ten wrong rows, for printing: ("missing"|"extra", file, agency, count, date).
    examples: tuple[tuple[str, str, str, str, str], ...] = ()

    @property
    def precision(self) -> float:
        return self.correct / self.predicted_rows if self.predicted_rows else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.truth_rows if self.truth_rows else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        if not self.truth_rows and not self.predicted_rows:
            return 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (
            f"{self.kind:>14}: truth {self.truth_rows:5d}  predicted {self.predicted_rows:5d}  "
            f"correct {self.correct:5d}  P {self.precision:.3f}  R {self.recall:.3f}  "
            f"F1 {self.f1:.3f}"
        )


def _data_records(records: pd.DataFrame) -> pd.DataFrame:
    if "row_type" in records:
        records = records[records["row_type"].fillna("data") == "data"]
    return records


def score_rows(kind: str, records: pd.DataFrame, truth: Iterable[TruthRow]) -> Score:
    """Match truth rows and records per file as multisets of (agency, count, date)."""
    gold = Counter((t.source_file, fold(t.agency), t.count, t.date) for t in truth)
    data = _data_records(records)
    pred = Counter(
        (str(f), fold(a), _count(c), _date(d))
        for f, a, c, d in zip(
            data["source_file"], data["agency_raw"], data["count"], data["date"], strict=True
        )
    )
    return _compared(kind, gold, pred)


def score_logs(kind: str, records: pd.DataFrame, truth: Iterable[TruthRow]) -> Score:
    """Per (file, agency): searches counted and the first event's date must both be right.

    Records are summed per file and agency (agency_raw, or the joined name in ``agency`` when
    the truth names one that only a code-to-name join gives) over the searches metric.
    """
    gold = Counter((t.source_file, fold(t.agency), t.count, t.date) for t in truth)
    data = _data_records(records)
    if "metric" in data:
        metric = data["metric"].fillna("").astype(str).str.casefold()
        data = data[metric.isin({"", "searches", "search"})]
    totals: dict[tuple[str, str], int] = defaultdict(int)
    first: dict[tuple[str, str], str] = {}
    wanted = {(t.source_file, fold(t.agency)) for t in truth}
    names = data["agency"] if "agency" in data else data["agency_raw"]
    for f, raw, joined, c, d in zip(
        data["source_file"], data["agency_raw"], names, data["count"], data["date"], strict=True
    ):
        key = (str(f), fold(raw))
        if key not in wanted and (str(f), fold(joined)) in wanted:
            key = (str(f), fold(joined))
        totals[key] += _count(c) or 0
        day = _date(d)[:10]
        if day and (key not in first or day < first[key]):
            first[key] = day
    pred = Counter((f, a, n, first.get((f, a), "")) for (f, a), n in totals.items())
    return _compared(kind, gold, pred)


def _compared(
    kind: str, gold: Counter[tuple[object, ...]], pred: Counter[tuple[object, ...]]
) -> Score:
    """The Score of predicted rows against truth rows, with up to five of each kind of miss."""
    examples = [("missing", *map(str, k)) for k in (gold - pred)][:5] + [
        ("extra", *map(str, k)) for k in (pred - gold)
    ][:5]
    return Score(
        kind,
        sum(gold.values()),
        sum(pred.values()),
        sum((gold & pred).values()),
        tuple(examples),  # type: ignore[arg-type]
    )


def score(generated: Generated, records: pd.DataFrame) -> Score:
    """Score one generated seed's records by its scoring mode."""
    scorer = score_logs if generated.scoring == "log" else score_rows
    return scorer(generated.kind, records, generated.truth)


def bcubed(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of (predicted cluster, true entity) pairs, one per item."""
    items = list(pairs)
    if not items:
        return 1.0, 1.0, 1.0
    by_pred: dict[str, Counter[str]] = defaultdict(Counter)
    by_true: dict[str, Counter[str]] = defaultdict(Counter)
    for p, t in items:
        by_pred[p][t] += 1
        by_true[t][p] += 1
    precision = sum(by_pred[p][t] / sum(by_pred[p].values()) for p, t in items) / len(items)
    recall = sum(by_true[t][p] / sum(by_true[t].values()) for p, t in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
