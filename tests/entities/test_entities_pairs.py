"""Labelled name pairs (tests/entities/fixtures/name_pairs.csv): precision and recall are printed.

Hand-written rows, FBI hate-crime vs CDE rows and Okaloosa rows, plus rows generated from the
shipped reference lists by tests/entities/fixtures/make_name_pairs.py (look-alikes across states
with
place clues in every style, parish / county, city / county, acronyms, translations)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from foialog.entities.mention import Mention
from foialog.entities.resolve import resolve
from tests.conftest import ROOT

PAIRS = ROOT / "tests" / "entities" / "fixtures" / "name_pairs.csv"


def _pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _judge(row: dict[str, str]) -> bool:
    """True when foialog resolves the two mentions, alone together, to one agency."""
    a = Mention(row["a"], row["a_country"], row["a_region"], row["a_domain"])
    b = Mention(row["b"], row["b_country"], row["b_region"], row["b_domain"])
    agencies = resolve([a, b]).agencies
    return agencies[a].agency_id == agencies[b].agency_id


def test_the_pair_set_is_big_enough_and_labelled() -> None:
    rows = _pairs()
    labels = Counter(r["same"] for r in rows)
    assert len(rows) >= 1000
    assert labels["0"] >= 400
    assert labels["1"] >= 400
    assert set(labels) == {"0", "1"}


def test_pair_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _pairs()
    tp = fp = fn = 0
    misses: list[str] = []
    by_category: Counter[str] = Counter()
    for row in rows:
        said, truth = _judge(row), row["same"] == "1"
        tp += said and truth
        fp += said and not truth
        fn += truth and not said
        if said != truth:
            by_category[row["category"]] += 1
            kind = "false merge" if said else "missed"
            misses.append(f"    {kind}: {row['a']!r} / {row['b']!r} ({row['category']})")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    with capsys.disabled():
        print(
            f"\nName pairs: {len(rows)} ({sum(r['same'] == '0' for r in rows)} negatives): "
            f"precision {precision:.3f}, recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})"
        )
        print("    misses by category:", dict(by_category.most_common()))
        print("\n".join(misses[:25]))
    assert precision >= 0.995
    assert recall >= 0.97


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Mention("Springfield Police Department", region="US-IL"),
         Mention("Springfield Police Department", region="US-MO"), False),
        (Mention("Polk County FL SO (LR)"), Mention("Polk Co. Sheriff", region="US-FL"), True),
        (Mention("Bundeskriminalamt", "DE"), Mention("Bundeskriminalamt", "AT"), False),
        (Mention("LAPD"), Mention("Los Angeles Police Dept."), True),
        (Mention("Justice Department"), Mention("Department of Justice"), True),
    ],
)  # fmt: skip
def test_story_cases(a: Mention, b: Mention, same: bool) -> None:
    agencies = resolve([a, b]).agencies
    assert (agencies[a].agency_id == agencies[b].agency_id) is same
