"""The stages after reading (repeats, resolution, tables), each under its limits or left out.

Per-file limits keep one hostile file from stalling a run; the stages that join every file's
records (resolving 40,000 distinct names, grouping a million rows) can stall or exhaust the
machine the same way. Each runs in a process of its own under the run's stage time limit and
its per-process memory limit; a stage that is stopped, dies or fails is left out with a note
(run.json's ``stages_skipped``, methodology.md) and the run writes what it has.
"""

from __future__ import annotations

import shutil
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

import pandas as pd

from foialog.codes import join_into, with_review
from foialog.engine import Limits, StageStopped, Stopped, run_limited
from foialog.entities.corrections import Correction
from foialog.entities.mention import Agency
from foialog.entities.review import REVIEW_COLUMNS
from foialog.errors import FoialogError
from foialog.export import export, read_tables, run_info
from foialog.extract.document import DocumentResult
from foialog.extract.record import Record
from foialog.methodology import STEP_LACKS
from foialog.outfolder import clear_leftovers, locked, staged
from foialog.report import write_report
from foialog.tables import (
    AGENCY_COLUMNS,
    agencies_frame,
    monthly_frame,
    resolve_agencies,
    with_hidden_text,
)

R = TypeVar("R")

#: What resolution changes on a record, in this order (see Resolution.changes).
_RESOLVED = ("agency_raw", "agency", "agency_id", "agency_type", "country", "region", "confidence")


@dataclass
class Stages:
    """Runs the stages after reading, each under ``limits`` (None: in this process, no limit)."""

    limits: Limits | None
    #: Each stage left out, and why, in the order they ran.
    skipped: dict[str, str] = field(default_factory=dict)

    def run(self, stage: str, job: Callable[[], R], fallback: Callable[[], R]) -> R:
        """The job's result; on a stop, death or error, ``fallback()`` and a note why."""
        try:
            return job() if self.limits is None else run_limited(job, limits=self.limits)
        except StageStopped as exc:
            why = str(exc)
        except Exception as exc:  # a stage's bug must not cost the records already read
            why = f"it failed ({type(exc).__name__}: {exc}); please report it"
            traceback.print_exc()
        self.note(stage, why)
        return fallback()

    def note(self, stage: str, why: str) -> None:
        """Note that ``stage`` was left out, and why."""
        self.skipped[stage] = f"{STEP_LACKS[stage]} {why}"


def or_stopped(job: Callable[[], R]) -> R | Stopped:
    """Run an output's job; a failure other than writing (a bug) leaves the output out.

    A full disk or a read-only folder (OSError, FoialogError) is raised: the run then ends
    with a one-line error and OUT's earlier outputs as they were. So is MemoryError, which the
    job's process hands back as a stop at the memory limit (see foialog.engine).
    """
    try:
        return job()
    except (OSError, FoialogError, MemoryError):
        raise
    except Exception as exc:
        traceback.print_exc()
        return Stopped(f"it failed ({type(exc).__name__}: {exc}); please report it")


#: Steps whose absence each document's records show, with what they lack, noted on its row.
_ON_DOCUMENTS = {
    "repeats": "its tables were not compared with the other files' for repeats",
    "resolution": "its agency names were not resolved",
}


def note_documents(results: Sequence[DocumentResult], skipped: Mapping[str, str]) -> None:
    """Note on the row of each document with records the steps left out that they lack."""
    for stage, lacks in _ON_DOCUMENTS.items():
        if stage not in skipped:
            continue
        note = (
            f"{lacks}: the {stage} step was left out of this run (see run.json or methodology.md)"
        )
        for document in results:
            if document.records:
                document.notes.append(note)


#: The files each output stage writes, removed from OUT when the stage is left out.
STAGE_OUTPUTS = {
    "database": ("foialog.sqlite", "foialog.metadata.json"),
    "report": ("report.html",),
    "methodology": ("methodology.md",),
}


@dataclass(frozen=True)
class Resolution:
    """What resolving agencies found, small enough to hand back from a stage's process."""

    #: Column by column (_RESOLVED, then extra where a join changed it, else None), each with
    #: a value per record: a tuple per record held a million of them in the run's process.
    changes: tuple[list[object], ...]
    #: Each document's notes after the code join added its own.
    notes: list[list[str]]
    agencies: dict[str, Agency]
    review: pd.DataFrame


def resolve(
    records: Sequence[Record], results: Sequence[DocumentResult], fixes: Sequence[Correction]
) -> Resolution:
    """Resolve agencies (log codes joined to names first), as a stage's process returns it."""
    extras = [r.extra for r in records]
    # Log events named only by a vendor's account code are resolved by the name another
    # file gives the code; agency_raw is the code again once agencies are resolved.
    codes = join_into(records, results)
    try:
        resolved = resolve_agencies(records, fixes)
    finally:  # in-process (--workers 0), a failure must not leave names in place of codes
        codes.restore()
    changes = (
        *(list(map(attrgetter(name), records)) for name in _RESOLVED),
        [r.extra if r.extra is not was else None for r, was in zip(records, extras, strict=True)],
    )
    return Resolution(
        changes=changes,
        notes=[list(d.notes) for d in results],
        agencies=resolved.agencies,
        review=with_review(with_hidden_text(resolved.review, results), codes),
    )


def unresolved(results: Sequence[DocumentResult]) -> Resolution:
    """The Resolution of a stage left out: nothing changed, an empty review but hidden text."""
    empty = pd.DataFrame(columns=list(REVIEW_COLUMNS))
    return Resolution(changes=(), notes=[], agencies={}, review=with_hidden_text(empty, results))


def apply(
    resolution: Resolution, records: Sequence[Record], results: Sequence[DocumentResult]
) -> None:
    """Set on this process's records and documents what the stage's process found."""
    if resolution.changes:
        *columns, extras = resolution.changes
        for name, values in zip(_RESOLVED, columns, strict=True):
            for r, value in zip(records, values, strict=True):
                setattr(r, name, value)
        for r, extra in zip(records, extras, strict=True):
            if extra is not None:
                r.extra = str(extra)
    for d, notes in zip(results, resolution.notes, strict=False):
        d.notes = notes


def derived(
    records: Sequence[Record], agencies: dict[str, Agency]
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """agencies.csv and agencies_monthly.csv, from the resolved records."""
    return agencies_frame(records, agencies), monthly_frame(records)


def no_derived() -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The tables of a stage left out: agencies.csv with its header only, no monthly table."""
    return pd.DataFrame(columns=list(AGENCY_COLUMNS)), None


def in_out(
    out: Path, command: str, job: Callable[[Path], list[Path]], limits: Limits
) -> list[Path]:
    """Run a command's work on a finished run (an export, a report) under ``limits``.

    OUT's lock is held throughout, as a run holds it. ``job`` writes its files into a staging
    folder, moved into OUT once it is done: a stop at a limit, a full disk or a failure ends
    with a one-line error (FoialogError) and OUT's files as they were, with no leftovers.
    Returns the files written, in OUT.
    """
    with locked(out, command):
        clear_leftovers(out)  # what a killed export or report left
        try:
            with staged(out, command=command) as stage:
                written = run_limited(partial(job, stage), limits=limits)
        except StageStopped as exc:
            raise FoialogError(
                f"foialog {command} could not finish on {out}: it {exc}; the files in {out} "
                "were left as they were"
            ) from exc
        except FoialogError:
            raise
        except Exception as exc:  # a bug: said in one line, OUT untouched
            raise FoialogError(
                f"foialog {command} failed on {out} ({type(exc).__name__}: {exc}); the files "
                f"in {out} were left as they were; please report it"
            ) from exc
    return [out / path.name for path in written]


def export_into(
    out: Path, formats: Sequence[str], bom: bool, raw_csv: bool, stage: Path
) -> list[Path]:
    """Export the run in OUT into ``stage``; with CSVs, run.json too (it records their kind)."""
    if "csv" in formats and (out / "run.json").exists():
        shutil.copyfile(out / "run.json", stage / "run.json")  # export rewrites it there
    return export(
        stage, formats, bom=bom, raw_csv=raw_csv, run=run_info(out), tables=read_tables(out)
    )


def report_into(out: Path, stage: Path) -> list[Path]:
    """Write the report and methodology of the run in OUT into ``stage``."""
    return write_report(stage, run=run_info(out), tables=read_tables(out), decisions=out)
