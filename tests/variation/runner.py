"""Generate many seeds of a kind, run foialog once over them all, score each seed and the kind.

Used by tests/variation/test_variation.py and bench/variation.py. Each seed is written to its own
subfolder ``s0000`` of one folder; foialog names files relative to that folder, so a seed's
truth is re-rooted under its subfolder before scoring.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from foialog import run
from tests.variation.core import Generated, Generator, Score, score


@dataclass
class KindResult:
    """A kind's score over all its seeds, and each seed's."""

    kind: str
    total: Score
    seeds: list[tuple[Generated, Score]]
    seconds: float
    #: Per seed, the documents whose status is not ok: "file: status: error".
    failures: dict[int, list[str]] = field(default_factory=dict)

    @property
    def worst(self) -> tuple[Generated, Score]:
        """The seed with the lowest F1 (the lowest seed number among ties)."""
        return min(self.seeds, key=lambda gs: (gs[1].f1, gs[0].seed))

    def f1s(self) -> list[float]:
        """Each seed's F1, in seed order."""
        return [s.f1 for _, s in self.seeds]

    def distribution(self) -> dict[str, float]:
        """Min, median and mean of the per-seed F1."""
        values = self.f1s()
        return {
            "min": min(values),
            "median": statistics.median(values),
            "mean": statistics.fmean(values),
        }


def seed_folder(root: Path, seed: int) -> Path:
    """The subfolder a seed is written to."""
    return root / f"s{seed:04d}"


def generate(generator: Generator, seeds: range, root: Path) -> list[Generated]:
    """Write every seed of a kind under root."""
    made = []
    for seed in seeds:
        folder = seed_folder(root, seed)
        folder.mkdir(parents=True, exist_ok=True)
        made.append(generator(seed, folder))
    return made


def rerooted(generated: Generated, root: Path) -> Generated:
    """The seed's truth with each source_file named relative to root, as foialog names it."""
    prefix = generated.folder.relative_to(root).as_posix()
    truth = [replace(t, source_file=f"{prefix}/{t.source_file}") for t in generated.truth]
    return replace(generated, truth=truth)


def score_kind(
    kind: str,
    made: list[Generated],
    root: Path,
    records: pd.DataFrame,
    documents: pd.DataFrame | None = None,
) -> KindResult:
    """Score each seed (records split by seed subfolder) and the kind as a whole."""
    files = records["source_file"].astype(str)
    failures: dict[int, list[str]] = {}
    if documents is not None:
        bad = documents[~documents["status"].isin(["ok"])]
        for generated in made:
            name = generated.folder.relative_to(root).as_posix() + "/"
            own = bad[bad["source_file"].astype(str).str.startswith(name)]
            failures[generated.seed] = [
                f"{f}: {st}: {str(e)[:160] if isinstance(e, str) else ''}"
                for f, st, e in zip(own["source_file"], own["status"], own["error"], strict=True)
            ]
    seeds: list[tuple[Generated, Score]] = []
    truth_n = predicted = correct = 0
    examples: list[tuple[str, str, str, str, str]] = []
    for generated in made:
        moved = rerooted(generated, root)
        name = generated.folder.relative_to(root).as_posix() + "/"
        own = records[files.str.startswith(name)]
        result = score(moved, own)
        seeds.append((generated, result))
        truth_n += result.truth_rows
        predicted += result.predicted_rows
        correct += result.correct
        if len(examples) < 10:
            examples.extend(result.examples[: 10 - len(examples)])
    total = Score(kind, truth_n, predicted, correct, tuple(examples))
    return KindResult(kind, total, seeds, 0.0, {k: v for k, v in failures.items() if v})


def measure(kind: str, generator: Generator, seeds: range, root: Path) -> KindResult:
    """Generate the seeds under root, run foialog once over root, and score."""
    made = generate(generator, seeds, root)
    started = time.perf_counter()
    result = run(root, settings={"cache": False})
    measured = score_kind(kind, made, root, result.records, result.documents)
    measured.seconds = time.perf_counter() - started
    return measured


def measure_all(
    generators: dict[str, Generator], seeds: dict[str, int], root: Path
) -> dict[str, KindResult]:
    """Generate every kind's seeds under root/<kind>, run foialog once over root, and score.

    One run for all kinds: a run's start-up (worker processes, the language model) costs more
    than reading a few hundred small documents.
    """
    made = {
        kind: generate(generator, range(seeds[kind]), root / kind)
        for kind, generator in generators.items()
    }
    started = time.perf_counter()
    result = run(root, settings={"cache": False})
    seconds = time.perf_counter() - started
    results = {}
    for kind, generated in made.items():
        results[kind] = score_kind(kind, generated, root, result.records, result.documents)
        results[kind].seconds = seconds
    return results


def describe(result: KindResult, wrong: int = 4) -> str:
    """A few lines for a kind: its score, its worst seed, what that seed varied, wrong rows."""
    generated, worst = result.worst
    lines = [
        result.total.line() + f"  seeds {len(result.seeds)}  worst seed {generated.seed} "
        f"F1 {worst.f1:.3f}",
        "    varied: " + ", ".join(f"{k}={v}" for k, v in generated.variation.items()),
    ]
    lines += [f"    status not ok: {line}" for line in result.failures.get(generated.seed, [])]
    lines += [f"    {kind_}: {' | '.join(rest)}" for kind_, *rest in worst.examples[:wrong]]
    if result.failures:
        lines.append(f"    seeds with a document not ok: {sorted(result.failures)}")
    return "\n".join(lines)
