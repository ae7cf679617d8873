"""Issue 14 point 5's figures over many seeds: look-alike agencies kept apart, and placed.

Runs foialog on each seed of tests/variation/agencies.py separately (an agency id means one
thing within one run) and prints: look-alike agencies merged with a sibling (target 0),
B-cubed F1 of agency_id against the true agency (target >= 0.98), the share of records whose
region is right where the document states it (target >= 0.99), each of these by the way the
document states the place, and the worst seeds with what they varied.

    .venv/bin/python bench/variation_entities.py [SEEDS]   (default 300)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

# The generators live under tests/, which is not installed: run from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from foialog import run
from tests.variation.agencies import (
    Mention,
    generate_lookalikes,
    match_records,
    score_entities,
)


def by_clue(seeds: list[tuple[int, pd.DataFrame, list[Mention]]]) -> list[str]:
    """Region right where stated, and rows on a merged id, per clue and format."""
    stated: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, records, mentions in seeds:
        for position, m in match_records(records, mentions):
            if not m.region:
                continue
            region = records.loc[position].get("region")
            key = f"{m.clue:>9} {m.detail}"
            stated[key][0] += 1
            stated[key][1] += str(region) == m.region
    lines = ["region right where stated, by clue and document:"]
    for key, (n, right) in sorted(stated.items()):
        lines.append(f"  {key:<28} {right:5d}/{n:<5d} {right / n:.3f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", type=int, default=300)
    args = parser.parse_args()
    seeds: list[tuple[int, pd.DataFrame, list[Mention]]] = []
    per_seed: list[tuple[float, int, int, dict[str, str]]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.seeds):
            generated, mentions = generate_lookalikes(seed, Path(tmp) / str(seed))
            records = run(generated.folder, settings={"workers": 0, "cache": False}).records
            seeds.append((seed, records, mentions))
            one = score_entities([(seed, records, mentions)])
            per_seed.append((one.f1, one.merged, seed, generated.variation))
    result = score_entities(seeds)
    print(f"{args.seeds} seeds in {time.perf_counter() - started:.0f} s")
    print("\n".join(result.lines()))
    print("\n".join(by_clue(seeds)))
    print("worst seeds (B-cubed F1, merged look-alikes):")
    for f1, merged, seed, variation in sorted(per_seed)[:5]:
        print(f"  seed {seed}: F1 {f1:.3f} merged {merged}  {variation}")


if __name__ == "__main__":
    main()
