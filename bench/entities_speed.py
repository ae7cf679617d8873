"""Benchmark: resolve 100,000 raw agency mentions with every place clue; prints seconds.

    .venv/bin/python bench/entities_speed.py [N] [SEED]

Mentions are FBI CDE agencies written as logs write them (state codes and names inside the
name, "(Missouri)", ", MO", product tags, capitals, typos), a third with a state column, some
with a host that names the place (columbiamo.gov), some as their initials, some bare
look-alikes (a name several states' agencies bear, with no clue), and invented companies.
Issue 14's bar: under a minute on this machine. Wall time on a shared machine is noisy (other
processes take the cores): the CPU time printed beside it is the steadier figure.
"""

from __future__ import annotations

import random
import resource
import sys
import time

from foialog.entities.mention import Mention
from foialog.entities.normalise import fold
from foialog.entities.reference import Entry, load_reference, warm_up
from foialog.entities.resolve import resolve

TAGS = ("", " (LR)", " (Flex)", " - Axon", " Condor")


def _written(rng: random.Random, e: Entry) -> Mention:
    """One mention of an agency as a row of some log gives it."""
    code = e.region.removeprefix("US-")
    short = e.name.replace("Police Department", "PD").replace("Sheriff's Office", "SO")
    form = rng.randrange(10)
    if form == 0:
        return Mention(f"{short} ({code})" + rng.choice(TAGS))
    if form == 1:
        return Mention(e.name.upper(), region=e.region)
    if form == 2:
        return Mention(f"{e.name}, {code}")
    if form == 3 and len(e.name) > 8:
        i = rng.randrange(1, len(e.name) - 1)
        return Mention(e.name[:i] + e.name[i + 1 :], region=e.region)
    if form == 4:
        return Mention(short, region=e.region)
    if form == 5 and e.name.endswith("Police Department"):
        city = fold(e.name.removesuffix(" Police Department")).replace(" ", "")
        return Mention(e.name, email_domain=f"{city}{code.casefold()}.gov")
    if form == 6:
        initials = "".join(w[0] for w in e.name.replace("'", "").split() if w[0].isupper())
        return Mention(initials, region=e.region)
    if form == 7:
        return Mention(e.name)  # bare: a look-alike when another state has the name
    return Mention(f"{short} - {code}" + rng.choice(TAGS))


def mentions(n: int, seed: int = 0) -> list[Mention]:
    """n distinct mentions: FBI agencies written with clues, and invented companies."""
    rng = random.Random(seed)
    agencies = [e for e in load_reference().entries if e.source == "fbi-cde" and e.region]
    out: set[Mention] = set()
    while len(out) < n * 0.95:
        out.add(_written(rng, rng.choice(agencies)))
    while len(out) < n:
        out.add(Mention(f"{rng.choice(('Acme', 'Vista', 'Nordic'))} {rng.randrange(10**6)} Inc"))
    return sorted(out, key=lambda m: (m.raw, m.region, m.email_domain))[:n]


def main(n: int, seed: int) -> None:
    """Generate, resolve, and print the figures."""
    started = time.perf_counter()
    warm_up()
    loaded = time.perf_counter() - started
    batch = mentions(n, seed)
    started, cpu = time.perf_counter(), time.process_time()
    result = resolve(batch)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    agencies = len({a.agency_id for a in result.agencies.values()})
    placed = sum(1 for m in batch if result.agencies[m].region)
    print(
        f"reference load and index {loaded:.1f} s; {len(batch):,} mentions -> {agencies:,} "
        f"agencies ({placed / len(batch):.1%} of mentions placed) in {seconds:.1f} s "
        f"({cpu:.1f} s CPU); "
        f"peak memory {peak_mb:,.0f} MiB; {len(result.review):,} review rows"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 0,
    )
