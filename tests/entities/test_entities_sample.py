"""Sample leak, all kinds: B-cubed F1 of agency_id against the truth's entity_id (printed)."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from foialog.entities.cluster import make_nodes
from foialog.entities.mention import Mention
from foialog.pipeline import run
from foialog.sample import write_sample

SEEDS = range(8)


def bcubed(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """B-cubed precision and recall of (predicted, true) cluster labels; "" is a singleton."""
    labelled = [(p or f"unresolved-{i}", t) for i, (p, t) in enumerate(pairs)]
    both = Counter(labelled)
    predicted = Counter(p for p, _ in labelled)
    true = Counter(t for _, t in labelled)
    precision = sum(both[(p, t)] / predicted[p] for p, t in labelled) / len(labelled)
    recall = sum(both[(p, t)] / true[t] for p, t in labelled) / len(labelled)
    return precision, recall


def test_bcubed_scorer_penalises_both_errors() -> None:
    assert bcubed([("a", "x"), ("a", "x")]) == (1.0, 1.0)
    assert bcubed([("a", "x"), ("a", "y")])[0] == 0.5
    assert bcubed([("a", "x"), ("b", "x")])[1] == 0.5


def _text(values: pd.Series) -> pd.Series:
    """Numbers and text as text, missing as "" (pages and rows come as Int64, str or None)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.map(lambda v: "" if pd.isna(v) else str(int(v)))


def _keyed(frame: pd.DataFrame, prose: set[str]) -> pd.DataFrame:
    """Rows with a one-to-one join key: file, sheet, page, row; prose by what it says."""
    out = pd.DataFrame(
        {
            "source_file": frame["source_file"].astype(str),
            "sheet": frame["sheet"].fillna("").astype(str),
            "page": _text(frame["page"]),
            "row": _text(frame["row"]),
        }
    )
    # Prose mentions have no stable row: they pair up by agency, count and date, in order.
    said = (
        frame["agency_raw"].fillna("").astype(str).str.split().str.join(" ")
        + "|" + _text(frame["count"]) + "|" + frame["date"].fillna("").astype(str)
    )  # fmt: skip
    in_prose = out["source_file"].isin(prose)
    out.loc[in_prose, ["sheet", "page"]] = ""
    out.loc[in_prose, "row"] = said[in_prose]
    out["n"] = out.groupby(list(out.columns)).cumcount()
    return out


def test_agency_ids_match_the_truth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scores, decided = [], []
    for seed in SEEDS:
        manifest = write_sample(tmp_path / str(seed), seed=seed)
        records = run(manifest.leak_dir, settings={"workers": 0, "cache": False}).records
        records = records[records["row_type"] == "data"]
        truth = pd.read_csv(manifest.truth_csv, dtype=str, keep_default_na=False)
        truth = truth[(truth["row_type"] == "data") & (truth["entity_id"] != "")]
        if "page" not in truth:
            truth = truth.assign(page="")
        prose = set(records.loc[records["method"] == "prose", "source_file"].astype(str))
        found = _keyed(records, prose).assign(agency_id=records["agency_id"].to_numpy())
        gold = _keyed(truth.assign(count=pd.to_numeric(truth["count"]).astype("Int64")), prose)
        gold = gold.assign(
            entity_id=truth["entity_id"].to_numpy(), agency_raw=truth["agency_raw"].to_numpy()
        )
        found = found.assign(
            placed=(records["country_raw"] + records["region_raw"]).to_numpy(),
            region_raw=records["region_raw"].fillna("").to_numpy(),
        )
        keys = [c for c in gold.columns if c not in ("entity_id", "agency_raw")]
        joined = gold.merge(found, on=keys, how="left")
        pairs = list(zip(joined["agency_id"].fillna(""), joined["entity_id"], strict=True))
        scores.append((len(pairs), *bcubed(pairs)))
        # A row is undecidable when nothing on it places a name two entities share
        # ("Bundeskriminalamt" with no country column), or a name that agencies of several
        # states bear in the world ("Polk County Sheriff's Office": FL, IA, GA ...; the sample
        # has one of them, the reference lists them all) and no state column: the truth
        # cannot be read off the page.
        shared = truth.groupby("agency_raw")["entity_id"].nunique()
        namesake = joined["agency_raw"].map(shared).fillna(1).gt(1).to_numpy()
        bare = (joined["placed"].fillna("") == "").to_numpy()
        worldwide = joined["agency_raw"].map(_fits_several_places).to_numpy()
        no_state = (joined["region_raw"].fillna("") == "").to_numpy()
        decidable = ~(namesake & bare) & ~(worldwide & no_state)
        kept = [p for p, keep in zip(pairs, decidable, strict=True) if keep]
        decided.append((len(kept), *bcubed(kept)))
    overall, clear = _pooled(scores), _pooled(decided)
    with capsys.disabled():
        print(
            f"\nSample leak (every kind), seeds {SEEDS.start}-{SEEDS.stop - 1}: B-cubed of "
            f"agency_id vs truth entity_id over {overall[0]} agency rows: precision "
            f"{overall[1]:.4f}, recall {overall[2]:.4f}, F1 {overall[3]:.4f}; over the "
            f"{clear[0]} rows that place their name when a namesake exists: precision "
            f"{clear[1]:.4f}, recall {clear[2]:.4f}, F1 {clear[3]:.4f}"
        )
    assert clear[3] >= 0.99
    assert overall[3] >= 0.97


@functools.cache
def _fits_several_places(raw: str) -> bool:
    """True when a name, written with no place, fits agencies of several places."""
    return bool(make_nodes([Mention(raw)])[0].vague)


def _pooled(scores: list[tuple[int, float, float]]) -> tuple[int, float, float, float]:
    """Row-weighted precision and recall over seeds, and their F1."""
    n = sum(s[0] for s in scores)
    precision = sum(s[0] * s[1] for s in scores) / n
    recall = sum(s[0] * s[2] for s in scores) / n
    return n, precision, recall, 2 * precision * recall / (precision + recall)
