"""Benchmark: cluster 100k distinct agency names; prints seconds and peak memory.

    .venv/bin/python bench/cluster_speed.py [N]

Names are made from the shipped FBI list with the spellings real logs use (state codes inside
names, product tags, abbreviations, capitals, typos), so most are near-duplicates of another:
the hard case for blocking. Run on an otherwise idle machine; timings on a shared one are noisy.
"""

from __future__ import annotations

import random
import resource
import sys
import time

from foialog.entities.mention import Mention
from foialog.entities.reference import load_reference
from foialog.entities.resolve import resolve

TAGS = ("", " (LR)", " (Flex)", " - Axon", " Condor", " - Redspeed", " (Tech)")


def _variant(rng: random.Random, name: str, state: str) -> str:
    """One spelling of an agency name as a log might print it."""
    short = (
        name.replace("Police Department", "PD")
        .replace("Sheriff's Office", "SO")
        .replace("County", rng.choice(("County", "Co.", "Cnty")))
    )
    form = rng.randrange(6)
    if form == 0:
        text = f"{short.replace(' PD', f' {state} PD').replace(' SO', f' {state} SO')}"
    elif form == 1:
        text = name.upper()
    elif form == 2:
        text = f"{short} ({state})"
    elif form == 3 and len(name) > 6:
        i = rng.randrange(1, len(name) - 1)
        text = name[:i] + name[i + 1 :]
    elif form == 4:
        text = f"{state} - {short}"
    else:
        text = f"{name}, {state}"
    return text + rng.choice(TAGS)


def names(n: int, seed: int = 0) -> list[str]:
    """n distinct names: FBI agencies, their variants, and invented companies."""
    rng = random.Random(seed)
    ref = load_reference()
    agencies = [
        (e.name, e.region.removeprefix("US-")) for e in ref.entries if e.source == "fbi-cde"
    ]
    out: set[str] = {name for name, _ in agencies}
    while len(out) < n * 0.9:
        name, state = rng.choice(agencies)
        out.add(_variant(rng, name, state))
    while len(out) < n:
        out.add(f"{rng.choice(('Acme', 'Vista', 'Nordic', 'Pioneer'))} {rng.randrange(10**6)} Inc")
    return sorted(out)[:n]


def main(n: int) -> None:
    """Generate, resolve, and print the figures."""
    started = time.perf_counter()
    load_reference()
    loaded = time.perf_counter() - started
    batch = names(n)
    started = time.perf_counter()
    result = resolve([Mention(raw) for raw in batch])
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    agencies = len({a.agency_id for a in result.agencies.values()})
    linked = sum(1 for a in result.agencies.values() if a.reference_id)
    print(
        f"reference load {loaded:.2f} s; {len(batch):,} distinct names -> {agencies:,} agencies "
        f"({linked:,} names linked) in {seconds:.1f} s; peak memory {peak_mb:,.0f} MiB; "
        f"{len(result.review):,} review rows"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
