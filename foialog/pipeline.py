"""The pipeline joining extract and entities: inputs in, records/agencies/documents out."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path

import pandas as pd

from foialog.cache import ResultCache, code_fingerprint
from foialog.engine import (
    Limits,
    Stopped,
    keep,
    planned,
    run_beside,
    run_dask,
    run_inline,
    run_local,
    starting,
    stopped_at_limit,
)
from foialog.entities.corrections import load_corrections
from foialog.entities.reference import warm_up
from foialog.errors import FoialogError
from foialog.export import Tables, export, typed, write_csvs
from foialog.extract import parallel
from foialog.extract.document import DocumentResult, extract_document
from foialog.extract.readers.containers import (
    CONTAINER_TYPES,
    ContainerLimits,
    iter_members,
    member_labels,
)
from foialog.extract.sources import Source, iter_sources, sha256_file, sniff
from foialog.extract.values.places import parse_region
from foialog.methodology import write_methodology
from foialog.outfolder import check_out, claimed, staged
from foialog.outputs import RAW_CSV, SAFE_CSV, prepare_out_dir, write_json
from foialog.repeats import Findings, apply_repeats, find_repeats
from foialog.report import write_report
from foialog.rerun import recorded
from foialog.settings import Settings
from foialog.stages import (
    STAGE_OUTPUTS,
    Stages,
    apply,
    derived,
    no_derived,
    note_documents,
    or_stopped,
    resolve,
    unresolved,
)
from foialog.tables import (
    assign_record_ids,
    documents_frame,
    records_frame,
    take_records,
)
from foialog.version import __version__

#: Called after each document, for progress display: (done, total, result).
ProgressCallback = Callable[[int, int, DocumentResult], None]
#: Called as the run enters each stage, for progress display: (stage, files done, files found).
StageCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Result:
    """What a run produced, as DataFrames in the output contract's columns."""

    records: pd.DataFrame
    agencies: pd.DataFrame
    documents: pd.DataFrame
    out: Path | None
    seconds: float
    #: Uncertain merges and links for a reporter to check (review.csv).
    review: pd.DataFrame | None = None
    #: Each agency's records and counts per month and metric (agencies_monthly.csv).
    monthly: pd.DataFrame | None = None
    #: False when the outputs were not written: no file was read, and ``out`` kept an earlier
    #: run's outputs, which are left as they were.
    written: bool = True
    #: Stages after reading that were left out (stopped at a limit, or failed), and why.
    skipped: dict[str, str] = field(default_factory=dict)

    def tables(self) -> Tables:
        """The run's tables by output name, typed as ``read_tables`` reads them back."""
        frames = {"records": self.records, "agencies": self.agencies, "documents": self.documents}
        if self.review is not None:
            frames["review"] = self.review
        if self.monthly is not None:
            frames["agencies_monthly"] = self.monthly
        return {name: typed(frame, name) for name, frame in frames.items()}

    @property
    def succeeded(self) -> bool:
        """True when at least one input was read (status ok or partial)."""
        return bool(self.documents["status"].isin(["ok", "partial"]).any())


def run(
    paths: Iterable[str | Path] | str | Path,
    out: str | Path | None = None,
    *,
    settings: Settings | dict[str, object] | None = None,
    on_progress: ProgressCallback | None = None,
    on_stage: StageCallback | None = None,
) -> Result:
    """Extract every input file, resolve agencies, and write outputs to ``out`` when given.

    ``out`` must be empty, new or foialog's own earlier output (unless ``force``), and must not
    hold the inputs; a run holds its lock until the outputs are written (see foialog.outfolder).
    """
    options = Settings.resolve(settings)
    inputs = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise FoialogError(f"input not found: {', '.join(missing)}; check the path and try again")
    if out is None:
        with _collections_spaced():
            return _run(inputs, None, options, on_progress, on_stage)
    check_out(Path(out), inputs, force=options.force)
    with claimed(Path(out)), _collections_spaced():
        return _run(inputs, Path(out), options, on_progress, on_stage)


#: New objects between two of the garbage collector's young collections during a run.
YOUNG_COLLECTION = 20_000


@contextmanager
def _collections_spaced() -> Iterator[None]:
    """The collector's youngest collection made every YOUNG_COLLECTION new objects meanwhile."""
    # A run makes millions of short-lived objects (words, cells, records) that rarely hold a
    # cycle: collections every 700 of them (Python's default) were 1.0 of a run's 18.7 CPU-s
    # (7 corpus text PDFs). The processes the run forks inherit the setting; the caller's
    # own setting comes back after (a collector turned off, threshold 0, is left off).
    before = gc.get_threshold()
    if before[0]:
        gc.set_threshold(max(before[0], YOUNG_COLLECTION), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _run(
    inputs: list[Path],
    out: Path | None,
    options: Settings,
    on_progress: ProgressCallback | None,
    on_stage: StageCallback | None = None,
) -> Result:
    started = time.perf_counter()
    stage = on_stage or _quiet
    stage("finding files", 0, 0)
    # OUT (and any earlier output folder) may sit inside an input folder: never read it.
    exclude = [out] if out is not None else []
    sources = list(iter_sources(inputs, exclude=exclude, follow_links=options.follow_links))
    results = process_sources(sources, options, out, on_progress, on_stage)
    # Each stage after reading runs under its own limits, or is left out with a note.
    stages = Stages(stage_limits(options))
    # Each stage's process is forked from this one: its collections skip what it was given.
    with _shared_heap():
        # The same table in two files (a PDF and the spreadsheet printed from it) counts once.
        repeats = stages.run("repeats", partial(find_repeats, results), Findings)
        apply_repeats(results, repeats, keep=options.keep_duplicates)
        stage("resolving agencies", len(sources), len(sources))
        records = [r for d in results for r in d.records]
        fixes = load_corrections(options.corrections) if options.corrections is not None else []
        resolution = stages.run(
            "resolution", partial(resolve, records, results, fixes), partial(unresolved, results)
        )
        apply(resolution, records, results)
        agencies, monthly = stages.run(
            "tables", partial(derived, records, resolution.agencies), no_derived
        )
    note_documents(results, stages.skipped)  # documents.csv says what run.json says
    documents = documents_frame(results)
    del records  # take_records frees each chunk of records once records_frame has copied it
    result = Result(
        records=records_frame(take_records(results)),
        agencies=agencies,
        documents=documents,
        out=out,
        seconds=round(time.perf_counter() - started, 3),
        review=resolution.review,
        monthly=monthly,
        skipped=stages.skipped,
    )
    del results  # the frames hold it all now
    if result.out is None:
        return result
    if not result.succeeded and (result.out / "run.json").exists():
        return replace(result, written=False)
    stage("writing outputs", len(sources), len(sources))
    write_outputs(
        result,
        result.out,
        inputs=inputs,
        raw_csv=options.raw_csv,
        password=options.password,
        settings=recorded(options),
        stages=stages,
    )
    return result


def stage_limits(options: Settings) -> Limits | None:
    """The limits of each stage after reading; None (no limit) when a run reads in-process."""
    if options.workers == 0:
        return None
    return Limits(seconds=options.stage_timeout, memory_mb=options.memory_mb)


def process_sources(
    sources: list[Source],
    options: Settings,
    out: Path | None,
    on_progress: ProgressCallback | None = None,
    on_stage: StageCallback | None = None,
) -> list[DocumentResult]:
    """Process every source on the chosen engine, reusing cached results; keep input order."""
    stage = on_stage or _quiet
    stage("checking files", 0, len(sources))
    cache = None
    if out is not None and options.cache:
        cache = ResultCache(out / ".foialog-cache", fingerprint=_fingerprint(options))
    done: dict[str, list[DocumentResult]] = {}
    hashes: dict[str, str] = {}
    for source in sources:
        refused = _refused(source)
        if refused is None:
            try:
                hashes[source.name] = sha256_file(source.path)
            except OSError as exc:  # permission denied, an I/O error: a failed row, not a crash
                refused = _unreadable(source, exc)
        if refused is not None:
            done[source.name] = [refused]
    if not options.keep_duplicates:
        _set_aside_copies(sources, hashes, done)
    sources_read = [s for s in sources if s.name not in done]
    keys = {s.name: hashes[s.name] + hints_key(s, options) for s in sources_read}
    for source in sources_read:
        cached = cache.get(source.name, keys[source.name]) if cache is not None else None
        if cached is not None:
            done[source.name] = cached
    stage("reading", len(done), len(sources))
    # Largest first: a big PDF started last would leave the other workers idle at the end.
    todo = sorted((s for s in sources_read if s.name not in done), key=lambda s: -_size(s))

    def finished(source: Source, results: list[DocumentResult]) -> None:
        for result in results[:1]:
            result.sha256 = result.sha256 or hashes[source.name]
            result.detected_type = result.detected_type or sniff(source.path)
        done[source.name] = results
        # A file stopped at a limit is read again next time (perhaps with --timeout raised).
        if cache is not None and not stopped_at_limit(results):
            cache.put(source.name, keys[source.name], results)
        if on_progress is not None:
            on_progress(len(done), len(sources), results[0])

    task = partial(process_source, options=options)
    if options.engine == "dask":
        run_dask(todo, task, finished, scheduler=options.scheduler or "")
    elif options.workers == 0:
        run_inline(todo, task, finished)
    else:
        limits = Limits(seconds=options.timeout, memory_mb=options.memory_mb)
        if len(todo) > 1 and parallel.process_context().get_start_method() == "fork":
            # Forked workers share what this process has built: the indexes of place names
            # (0.35 CPU-s to build, read from the cache folder after) once here, not per worker.
            parse_region("no such place")
        with _shared_heap():
            run_local(
                todo, task, finished, workers=options.workers, limits=limits, while_waiting=warm_up
            )
    return [result for source in sources for result in done[source.name]]


@contextmanager
def _shared_heap() -> Iterator[None]:
    """This process's objects left out of the garbage collections of the processes it forks."""
    # A forked process's full collection walked every object it was given (the place indexes,
    # the run's records and tables: 0.1-0.25 CPU-s in each of a run's ten processes) and wrote
    # to their pages, which the system then copied; frozen here, it walks only its own.
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen:  # a caller's own freeze is left as it was
            gc.unfreeze()


def _quiet(stage: str, done: int, total: int) -> None:
    """A stage callback that shows nothing."""


def _idle() -> None:
    """Nothing to do in the run's own process while the output stages run."""


def _refused(source: Source) -> DocumentResult | None:
    """The documents.csv row of an entry the walk did not read (a link, a FIFO...), or None."""
    if not source.status:
        return None
    return DocumentResult(
        source_file=source.name,
        detected_type=source.kind,
        status=source.status,
        error=f"{source.name}: {source.reason}",
    )


def _set_aside_copies(
    sources: list[Source], hashes: dict[str, str], done: dict[str, list[DocumentResult]]
) -> None:
    """Give each file identical to an earlier one (same SHA-256) a row instead of a reading.

    The same table twice (a file copied into two folders, attached twice) would otherwise be
    summed into every total twice. Empty files are all alike and are left to say so themselves.
    """
    first: dict[str, str] = {}
    for source in sources:
        digest = hashes.get(source.name)
        if digest is None or source.name in done or _size(source) == 0:
            continue
        if digest not in first:
            first[digest] = source.name
            continue
        done[source.name] = [
            DocumentResult(
                source_file=source.name,
                sha256=digest,
                detected_type="duplicate",
                status="skipped",
                error=f"{source.name}: identical to {first[digest]} (the same SHA-256); not "
                "read again, so its rows count once: run with --keep-duplicates to read every "
                "copy",
            )
        ]


def _unreadable(source: Source, exc: OSError) -> DocumentResult:
    why = exc.strerror or type(exc).__name__
    return DocumentResult(
        source_file=source.name,
        status="failed",
        error=f"{source.name}: could not be read ({why}); check its permissions or copy it again",
    )


def _size(source: Source) -> int:
    try:
        return source.path.stat().st_size
    except OSError:
        return 0


def process_source(source: Source, options: Settings) -> list[DocumentResult]:
    """Extract one input file and, for a container, each of its members, with record ids."""
    results = []
    for result in extract_tree(source, options):
        # Ids depend only on a document's own records, so the workers make them, in parallel.
        assign_record_ids(result.records)
        keep(result)  # a container's members read so far outlive a timeout on a later one
        results.append(result)
    return results


def _fingerprint(options: Settings) -> str:
    """What makes cached results reusable: foialog's code and the reading settings."""
    reading = {k: v for k, v in asdict(options).items() if k not in _ENGINE_SETTINGS}
    # Hashed: the settings include the password, which must not be written beside the outputs.
    text = f"{__version__}|{code_fingerprint()}|{sorted(reading.items())!r}"
    return hashlib.sha256(text.encode()).hexdigest()


#: Settings that change where work runs, not what it produces.
_ENGINE_SETTINGS = frozenset(
    {"workers", "timeout", "memory_mb", "engine", "scheduler", "cache", "corrections", "raw_csv"}
    # Which files a run reads and where it writes, not how a file is read.
    | {"force", "follow_links", "keep_duplicates"}
    # Hints are keyed per file (hints_key), so a new hint re-reads only the files it names.
    | {"hints", "roles", "parsed_hints"}
)


def hints_key(source: Source, options: Settings) -> str:
    """The hints that may change one input's reading, as text for its cache key."""
    hints = options.parsed_hints
    if not hints:
        return ""  # no hint: no need to read the file's first bytes for its type
    if sniff(source.path) not in CONTAINER_TYPES:
        # A container's members have names of their own: any hint may name one of them.
        hints = tuple(h for h in hints if h.matches_file(source.name))
    return "".join(f"|{h.describe()}" for h in hints)


def extract_tree(source: Source, options: Settings, depth: int = 0) -> Iterator[DocumentResult]:
    """Extract a file, then each member of a container as its own document "outer > inner"."""
    document = extract_document(source, options.read_options())
    yield document
    if document.detected_type not in CONTAINER_TYPES or document.status == "failed":
        return
    limits = options.container_limits()
    if depth >= limits.max_depth:
        document.status = "partial"
        document.error = (
            f"{source.name}: containers nested deeper than {limits.max_depth}; its members were "
            "not read (unpack it by hand or raise max_depth)"
        )
        return
    members = iter_members(source.path, document.detected_type, name=source.name, limits=limits)
    seen: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="foialog-") as tmp:
        try:
            # Listed first: members a timeout stops us from reaching are still accounted for.
            planned(partial(_member_names, source, document.detected_type, limits))
            for number, member in enumerate(members, start=1):
                name = _member_name(source.name, member.label, seen)
                if member.data is None:
                    yield DocumentResult(
                        source_file=name, status="skipped", error=f"{name}: {member.refused}"
                    )
                    continue
                # Our own file name, never the member's: a hostile name cannot escape tmp.
                inner = Path(tmp) / f"member-{number}"
                inner.write_bytes(member.data)
                starting(name)
                yield from extract_tree(Source(path=inner, name=name), options, depth + 1)
                inner.unlink()
        except FoialogError as exc:
            document.status, document.error = "partial", str(exc)


def _member_name(container: str, label: str, seen: dict[str, int]) -> str:
    """A member's document name; two members of one name (a zip may hold both) stay two."""
    name = f"{container} > {label}"
    seen[name] = seen.get(name, 0) + 1
    return f"{name} ({seen[name]})" if seen[name] > 1 else name


def _member_names(source: Source, kind: str, limits: ContainerLimits) -> list[str]:
    """The document names of a container's members, in the order extract_tree reads them."""
    seen: dict[str, int] = {}
    labels = member_labels(source.path, kind, name=source.name, limits=limits)
    return [_member_name(source.name, label, seen) for label in labels]


def write_outputs(
    result: Result,
    out: Path,
    *,
    inputs: list[Path],
    raw_csv: bool = False,
    password: str | None = None,
    settings: dict[str, object] | None = None,
    stages: Stages | None = None,
) -> None:
    """Write the three contract CSVs, then run.json last as the mark of a complete run.

    The database and the report are ``stages``: each is left out with a note in run.json
    when stopped at its limits (none without ``stages``).
    The CSVs' formula-like cells are written as text unless ``raw_csv`` (see docs/output.md);
    ``password`` opens encrypted PDFs for the report's page images; ``settings`` (as
    foialog.rerun.recorded gives them, no password) go into run.json for re-runs.
    """
    prepare_out_dir(out)
    status = result.documents["status"].value_counts().to_dict()
    manifest: dict[str, object] = {
        "foialog_version": __version__,
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        # Absolute, so that `foialog report OUT` and the review app find the source files
        # from any folder; as typed for the methodology's re-run command (no home folder).
        "inputs": [str(p.absolute()) for p in inputs],
        "inputs_typed": [str(p) for p in inputs],
        "documents": {str(k): int(v) for k, v in status.items()},
        "records": len(result.records),
        "agencies": len(result.agencies),
        "seconds": result.seconds,
        "csv": RAW_CSV if raw_csv else SAFE_CSV,
    }
    if settings is not None:
        manifest["settings"] = settings
    stages = stages or Stages(None)
    if stages.skipped:
        manifest["stages_skipped"] = dict(stages.skipped)
    # The exports take the tables from memory: reading the CSVs back cost as long as writing.
    tables = result.tables()
    # The SQLite database and report.html (page images, charts) are made by two more
    # processes while this one writes the CSVs: on two cores the three overlap.
    sources = [p.resolve() for p in inputs]
    # Everything is written into a staging folder, then moved into OUT: a full disk or a
    # read-only folder leaves OUT's earlier outputs as they were, with no half-written file.
    gone: set[str] = set()
    with staged(out, gone) as stage:
        # The CSVs too are written by a process of their own, under the stages' limits.
        jobs = {
            "csv": partial(write_csvs, tables, stage, raw=raw_csv),
            "database": partial(export, stage, ["sqlite"], run=manifest, tables=tables),
            "report": partial(
                write_report,
                stage,
                inputs=sources,
                run=manifest,
                tables=tables,
                password=password,
                decisions=out,  # the people's verdicts stay in OUT, beside the staging folder
            ),
        }
        told = set(stages.skipped)  # the steps left out that the report's methodology names
        with _shared_heap():
            done = run_beside(
                [partial(or_stopped, job) for job in jobs.values()], _idle, limits=stages.limits
            )
        published: list[Path] = []
        for name, paths in zip(jobs, done, strict=True):
            if isinstance(paths, Stopped):
                stages.note(name, paths.why)
                if name == "csv":  # the contract's tables: written here, a chunk at a time
                    published += write_csvs(tables, stage, raw=raw_csv)
                    continue
                # An earlier run's file of that name would sit beside this run's tables.
                gone.update(STAGE_OUTPUTS[name])
            else:
                published += paths
        if stages.skipped.keys() - told:
            # methodology.md was made beside these stops (or not at all): made again, naming them.
            manifest["stages_skipped"] = dict(stages.skipped)
            again = partial(write_methodology, stage, tables, manifest, decisions=out)
            written: list[Path] = stages.run("methodology", again, list)
            published = [p for p in published if p.name != "methodology.md"] + written
            if not written:
                gone.update(STAGE_OUTPUTS["methodology"])
        if stages.skipped:
            manifest["stages_skipped"] = dict(stages.skipped)
        tables_written = [f"{name}.csv" for name in tables]
        outputs = list(dict.fromkeys([*tables_written, *(p.name for p in published)]))
        if result.monthly is None:
            gone.add("agencies_monthly.csv")
        # What a stopped stage's process left half-written is never published.
        for path in stage.iterdir():
            if path.name not in outputs:
                path.unlink()
        write_json({**manifest, "outputs": outputs}, stage / "run.json")
