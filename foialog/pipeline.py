"""The pipeline joining extract and entities: inputs in, records/agencies/documents out."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from entities.errors import FoialogError
from extract.containers import CONTAINER_TYPES, iter_members
from extract.document import DocumentResult, extract_document
from extract.sources import Source, iter_sources
from foialog import __version__
from foialog.export import export
from foialog.outputs import prepare_out_dir, write_csv, write_json
from foialog.report import write_report
from foialog.settings import Settings
from foialog.tables import (
    agencies_frame,
    assign_record_ids,
    documents_frame,
    records_frame,
    resolve_agencies,
)

#: Called after each document, for progress display: (done, total, result).
ProgressCallback = Callable[[int, int, DocumentResult], None]


@dataclass(frozen=True)
class Result:
    """What a run produced, as DataFrames in the output contract's columns."""

    records: pd.DataFrame
    agencies: pd.DataFrame
    documents: pd.DataFrame
    out: Path | None
    seconds: float

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
) -> Result:
    """Extract every input file, resolve agencies, and write outputs to ``out`` when given."""
    options = Settings.resolve(settings)
    started = time.perf_counter()
    inputs = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise FoialogError(f"input not found: {', '.join(missing)}; check the path and try again")
    sources: list[Source] = list(iter_sources(inputs))
    results: list[DocumentResult] = []
    for done, source in enumerate(sources, start=1):
        tree = list(extract_tree(source, options))
        results.extend(tree)
        document = tree[0]
        if on_progress is not None:
            on_progress(done, len(sources), document)
    records = [r for d in results for r in d.records]
    resolve_agencies(records)
    assign_record_ids(records)
    result = Result(
        records=records_frame(records),
        agencies=agencies_frame(records),
        documents=documents_frame(results),
        out=Path(out) if out is not None else None,
        seconds=round(time.perf_counter() - started, 3),
    )
    if result.out is not None:
        write_outputs(result, result.out, inputs=inputs)
    return result


def extract_tree(source: Source, options: Settings, depth: int = 0) -> Iterator[DocumentResult]:
    """Extract a file, then each member of a container as its own document "outer > inner"."""
    document = extract_document(source, password=options.password, model=options.model)
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
    with tempfile.TemporaryDirectory(prefix="foialog-") as tmp:
        try:
            for number, member in enumerate(members, start=1):
                name = f"{source.name} > {member.label}"
                if member.data is None:
                    yield DocumentResult(
                        source_file=name, status="skipped", error=f"{name}: {member.refused}"
                    )
                    continue
                # Our own file name, never the member's: a hostile name cannot escape tmp.
                inner = Path(tmp) / f"member-{number}"
                inner.write_bytes(member.data)
                yield from extract_tree(Source(path=inner, name=name), options, depth + 1)
                inner.unlink()
        except FoialogError as exc:
            document.status, document.error = "partial", str(exc)


def write_outputs(result: Result, out: Path, *, inputs: list[Path]) -> None:
    """Write the three contract CSVs, then run.json last as the mark of a complete run."""
    prepare_out_dir(out)
    write_csv(result.records, out / "records.csv")
    write_csv(result.agencies, out / "agencies.csv")
    write_csv(result.documents, out / "documents.csv")
    status = result.documents["status"].value_counts().to_dict()
    manifest: dict[str, object] = {
        "foialog_version": __version__,
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "inputs": [str(p) for p in inputs],
        "documents": {str(k): int(v) for k, v in status.items()},
        "records": len(result.records),
        "agencies": len(result.agencies),
        "seconds": result.seconds,
    }
    published = export(out, ["sqlite"], run=manifest)
    published += write_report(out, inputs=[p.resolve() for p in inputs], run=manifest)
    outputs = ["records.csv", "agencies.csv", "documents.csv", *(p.name for p in published)]
    write_json({**manifest, "outputs": outputs}, out / "run.json")
