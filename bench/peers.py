"""foialog beside the tools reporters use today, on the same files in one run.

    .venv/bin/python bench/peers.py [--seeds 20] [--jobs 2] [--corpus ../shared/corpus] [--no-docs]

For every kind of the variation generator (tests/variation) that a peer reads (PDF tables,
CSV, XLSX) and for every corpus PDF with a reference table, it runs foialog and each peer of
bench/peer_tools.py (Camelot lattice then stream, pdfplumber lines then text, tabula-py with its
JVM, pandas for CSV/XLSX), each in a fresh process, and measures. foialog's run is the whole run
a reporter makes: every output written (CSVs, SQLite, report.html), as ``foialog run -o`` does.

- generated kinds: row F1 (agency, count and date all right, tests/variation/core.py) and count
  accuracy (share of truth rows whose agency is found with the right count);
- corpus PDFs: row recall (share of the reference's rows reproduced whole by one output row:
  every non-empty reference cell found in it; page-number columns and columns carried down
  from a title or page header, such as a month the reference adds to every row of a page,
  are left out), each PDF on its own; then every corpus PDF in one folder, one whole run of
  each tool over them all;
- CPU-seconds (the process and its children: tabula's JVM, foialog's workers and output
  writers), pages per CPU-second, wall seconds and peak memory (the largest resident set of
  the process or a child). The machine is shared, so speed ratios are of CPU-seconds: wall
  time grows with other people's load, CPU time much less. The bench's own work in a tool's
  process (counting pages, regrouping the rows for scoring: 5-6 CPU-s for foialog's 80,000
  NICS records) is timed apart and left out of every tool's figures.

foialog's figures are also given as ratios to the best peer. The tables are written between
markers into docs/accuracy.md and docs/performance.md with the date, versions and machine.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import itertools
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.peer_tools import DOCLING_NOTE, afternoon_records, peers  # noqa: E402

#: Corpus PDFs with a reference table: (folder, pdf, reference csv).
CORPUS = (
    ("nics-2015-11", "nics-background-checks-2015-11.pdf", "reference_buzzfeed_2015-11.csv"),
    ("ca-warn-2015", "ca-warn-report.pdf", "reference_page1_pdfplumber_notebook.csv"),
    (
        "ghana-roads-procurement-awards",
        "Publication_of_award_of_Bids_for_Transport_Sector__August_2016.pdf",
        "reference_page1_tabula_expected.csv",
    ),
    ("campaign-donors-schools", "schools.pdf", "reference_page1_tabula_expected.csv"),
    (
        "san-jose-firearm",
        "san-jose-pd-firearm-sample.pdf",
        "reference_page1_pdfplumber_notebook.csv",
    ),
    (
        "okaloosa-sharing-agencies",
        "Sharing_Agencies.pdf",
        "reference_Sharing_Agencies_EXTRACTED.csv",
    ),
    (
        "nics-2019-2023-multipage",
        "nics-checks-last-five-years.pdf",
        "reference_buzzfeed_nics-checks-last-five-years.csv",
    ),
)
TOOLS = ("foialog", "camelot", "pdfplumber", "tabula", "pandas")
PDF_TOOLS = ("foialog", "camelot", "pdfplumber", "tabula")
#: A reference column whose value runs over this many rows on average was carried down from
#: a title or page header (the month of a monthly page): no table row prints it.
CARRIED_RUN = 10
_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass
class Run:
    """One tool over one set of files: its rows and what it cost."""

    tool: str
    seconds: float
    cpu: float
    peak_mb: float
    pages: int
    error: str
    records: list[dict[str, object]]
    #: Raw rows, per file, for corpus row recall.
    rows: dict[str, list[list[str]]]
    #: Peers: each file's [CPU-s, wall s, pages] inside this one process (start-up left out).
    files: dict[str, list[float]]


# --- one tool, in its own process ------------------------------------------------------------


def _pages(path: Path) -> int:
    if path.suffix.lower() != ".pdf":
        return 1
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def _foialog_rows(records: pd.DataFrame) -> dict[str, list[list[str]]]:
    """foialog's records regrouped into source rows: every raw value of (file, page, row)."""
    rows: dict[str, dict[tuple[object, object, object], list[str]]] = {}
    keep = ("agency_raw", "count_raw", "date_raw", "region_raw", "country_raw", "user_email")
    for record in records.to_dict("records"):
        key = (record.get("sheet"), record.get("page"), record.get("row"))
        cells = rows.setdefault(str(record["source_file"]), {}).setdefault(key, [])
        cells.extend(
            str(record[k])
            for k in keep
            if record.get(k) not in (None, "") and str(record[k]) != "nan"
        )
        try:
            extra = json.loads(str(record.get("extra") or "{}"))
        except json.JSONDecodeError:
            extra = {}
        cells.extend(str(v) for v in extra.values() if v not in (None, ""))
    return {f: list(by_row.values()) for f, by_row in rows.items()}


def _cpu() -> float:
    """CPU-seconds of this process and its waited-for children (tabula's JVM) so far."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _own_peak_mb() -> float:
    """This process's peak resident size since its exec, in MiB.

    Not ru_maxrss: Linux keeps that across exec, so a tool's process would start at the
    bench's own peak. VmHWM belongs to the process's memory, new at exec.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kib = re.search(r"^VmHWM:\s*(\d+)\s*kB", status, re.MULTILINE)
    return int(kib.group(1)) / 1024 if kib else 0.0


class _Bookkeeping:
    """The bench's own work in a tool's process (counting pages, regrouping rows for scoring),
    timed so that it is left out of the tool's CPU-s and wall seconds."""

    def __init__(self) -> None:
        self.cpu = 0.0
        self.seconds = 0.0

    @contextlib.contextmanager
    def timed(self) -> Iterator[None]:
        """Count the CPU and wall time of the block as the bench's, not the tool's."""
        cpu, wall = _cpu(), time.perf_counter()
        try:
            yield
        finally:
            self.cpu += _cpu() - cpu
            self.seconds += time.perf_counter() - wall


def _one(tool: str, folder: Path, out: Path) -> None:
    """Run one tool over every file it reads under folder; write a Run as JSON to out."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    started, error = time.perf_counter(), ""
    records: list[dict[str, object]] = []
    rows: dict[str, list[list[str]]] = {}
    costs: dict[str, list[float]] = {}
    pages = 0
    bench = _Bookkeeping()
    peak = 0.0
    try:
        if tool == "foialog":
            import foialog

            # The whole run, outputs written, beside the folder (never inside the inputs).
            outputs = Path(tempfile.mkdtemp(prefix="foialog-out-"))
            try:
                result = foialog.run(folder, outputs / "out", settings={"cache": False})
            finally:
                shutil.rmtree(outputs, ignore_errors=True)
            # Regrouping 80,000 records for scoring cost the bench seconds: not foialog's peak.
            peak = _own_peak_mb()
            with bench.timed():
                frame = result.records
                columns = ["source_file", "agency_raw", "count", "date", "row_type"]
                records = (
                    frame[columns]
                    .astype(object)
                    .where(frame[columns].notna(), None)
                    .to_dict("records")
                )
                rows = _foialog_rows(frame)
                pages = sum(_pages(p) for p in files)
        else:
            peer = next(p for p in peers() if p.name == tool)
            for path in files:
                if path.suffix.lower() not in peer.suffixes:
                    continue
                name = path.relative_to(folder).as_posix()
                with bench.timed():
                    n = _pages(path)
                pages += n
                cpu, wall = _cpu(), time.perf_counter()
                try:
                    tables = peer.read(path)
                except Exception as exc:  # a peer failing on one file is a figure, not a stop
                    error = f"{name}: {type(exc).__name__}: {exc}"[:200]
                    continue
                finally:
                    costs[name] = [_cpu() - cpu, time.perf_counter() - wall, n]
                with bench.timed():
                    rows[name] = [row for table in tables for row in table]
                    records.extend(afternoon_records(tables, name))
            peak = _own_peak_mb()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:200]
    seconds = time.perf_counter() - started - bench.seconds
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = {
        "tool": tool,
        "seconds": seconds,
        "cpu": _cpu() - bench.cpu,
        # A child's ru_maxrss starts at this process's peak when it was started: real memory.
        "peak_mb": max(peak or _own_peak_mb(), children.ru_maxrss / 1024),
        "pages": pages,
        "error": error,
        "records": records,
        "rows": rows,
        "files": costs,
    }
    out.write_text(json.dumps(run, default=str))


def measure(tool: str, folder: Path) -> Run:
    """Run one tool over a folder in a fresh process and return what it found and cost."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.json"
        done = subprocess.run(
            [sys.executable, __file__, "--one", tool, str(folder), str(out)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        if not out.exists():
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            return Run(tool, 0.0, 0.0, 0.0, 0, f"exit {done.returncode}: {tail[0]}", [], {}, {})
        data = json.loads(out.read_text())
    return Run(**data)


# --- scoring -----------------------------------------------------------------------------------


_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")
# Thousands set apart by a space, as some pages print them ("98 452"); the same rule for
# every tool, so a tool that keeps a value as printed is not scored below one that joins it.
_SPACED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?")


def _norm(text: object) -> str:
    value = str(text).casefold()
    if re.fullmatch(r"-?[\d,]+(\.0+)?", value.strip()):
        value = value.split(".")[0]
    return _ALNUM.sub("", value)


def row_recall(reference: pd.DataFrame, rows: list[list[str]]) -> tuple[int, int]:
    """Reference rows reproduced whole by one output row, and how many rows were checked."""
    ref = reference.fillna("").astype(str)
    keep = [
        c
        for c in ref.columns
        if not _carried(ref[c]) and not re.fullmatch(r"page", str(c).strip(), re.IGNORECASE)
    ]
    outputs = []
    for row in rows:
        numbers = {_norm(c) for c in row if _NUMBER.fullmatch(c.strip())}
        numbers |= {_norm(t) for c in row for t in re.findall(r"\d[\d,]*(?:\.\d+)?", c)}
        numbers |= {_norm(t) for c in row for t in _SPACED.findall(c)}
        outputs.append((_ALNUM.sub("", " ".join(row).casefold()), numbers))
    found = checked = 0
    for values in ref[keep].itertuples(index=False):
        cells = [str(v).strip() for v in values if str(v).strip()]
        if not cells:
            continue
        checked += 1
        digits = [_norm(c) for c in cells if _NUMBER.fullmatch(c)]
        texts = [_norm(c) for c in cells if not _NUMBER.fullmatch(c)]
        for text, numbers in outputs:
            if all(t in text for t in texts) and all(d in numbers for d in digits):
                found += 1
                break
    return found, checked


def _carried(column: pd.Series) -> bool:
    """True for a column whose value runs on over many rows: put there from a page's title."""
    values = column.tolist()
    runs = 1 + sum(a != b for a, b in itertools.pairwise(values))
    return len(values) > 1 and (len(set(values)) == 1 or len(values) / runs >= CARRIED_RUN)


def first_of_month(
    records: pd.DataFrame, truth: list[tuple[str, str, int | None, str]]
) -> pd.DataFrame:
    """The records, a date on the first of a month read as that month where the truth row of
    the same file, agency and count gives only the month.

    "2024-03-01" is how pandas, spreadsheets and databases store "March 2024": right to the
    printed precision, not a wrong day. Applied to every tool's records alike; truth is
    (file, folded agency, count, ISO date) per row.
    """
    from tests.variation.core import fold

    months = {(f, a, c, d) for f, a, c, d in truth if len(d) == 7}
    if not months:
        return records
    dates = [
        d[:7]
        if isinstance(d, str)
        and len(d) == 10
        and d.endswith("-01")
        and (str(f), fold(a), None if pd.isna(c) else int(c), d[:7]) in months
        else d
        for f, a, c, d in zip(
            records["source_file"],
            records["agency_raw"],
            records["count"],
            records["date"],
            strict=True,
        )
    ]
    return records.assign(date=dates)


def _count_accuracy(kind_truth: list[tuple[str, str, int | None]], records: pd.DataFrame) -> float:
    """Share of truth rows whose (file, agency) is found with the truth's count."""
    from tests.variation.core import fold

    if not kind_truth:
        return 0.0
    got: dict[tuple[str, str], set[object]] = {}
    for f, a, c in zip(
        records["source_file"], records["agency_raw"], records["count"], strict=True
    ):
        got.setdefault((str(f), fold(a)), set()).add(None if pd.isna(c) else int(c))
    hits = sum(c in got.get((f, a), set()) for f, a, c in kind_truth)
    return hits / len(kind_truth)


# --- the bench ---------------------------------------------------------------------------------


def _frame(records: list[dict[str, object]]) -> pd.DataFrame:
    columns = ["source_file", "agency_raw", "count", "date", "row_type"]
    frame = pd.DataFrame(records, columns=columns)
    frame["count"] = pd.to_numeric(frame["count"], errors="coerce").astype("Int64")
    frame["date"] = frame["date"].fillna("").astype(str)
    return frame


def _runnable(tool: str, suffixes: set[str], tools: set[str] | None = None) -> bool:
    """foialog, or a peer that is installed here and reads every suffix of the folder; of
    ``tools`` only, when given."""
    if tools is not None and tool not in tools:
        return False
    if tool == "foialog":
        return True
    return any(p.name == tool and suffixes <= set(p.suffixes) and not p.missing for p in peers())


def _measured(jobs: int, todo: list[tuple[str, Path]]) -> list[Run]:
    """Each (tool, folder) measured in its own process, ``jobs`` at a time, in order."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda job: measure(*job), todo))


def _cost(run: Run) -> dict[str, object]:
    return {
        "pages": run.pages,
        "seconds": run.seconds,
        "cpu": run.cpu,
        "peak_mb": run.peak_mb,
        "error": run.error,
    }


def bench_kinds(
    seeds: int, root: Path, only: set[str] | None, jobs: int = 1, tools: set[str] | None = None
) -> list[dict[str, object]]:
    """Every generated kind a peer reads: row F1, count accuracy and cost per tool."""
    from tests.variation import kinds
    from tests.variation.core import fold
    from tests.variation.runner import generate, rerooted, score_kind

    made_by_kind = {}
    todo: list[tuple[str, Path]] = []
    for kind, generator in sorted(kinds().items()):
        if only and kind not in only:
            continue
        folder = root / kind
        made = generate(generator, range(seeds), folder)
        suffixes = {p.suffix.lower() for p in folder.rglob("*") if p.is_file()}
        if suffixes - {".pdf", ".csv", ".tsv", ".xlsx"} or made[0].scoring != "rows":
            continue  # emails, HTML, prose, logs, scans: no peer here reads them
        made_by_kind[kind] = made
        todo += [(tool, folder) for tool in TOOLS if _runnable(tool, suffixes, tools)]
    rows: list[dict[str, object]] = []
    for (tool, folder), run in zip(todo, _measured(jobs, todo), strict=True):
        kind, made = folder.name, made_by_kind[folder.name]
        rows_truth = [
            (t.source_file, fold(t.agency), t.count, t.date)
            for g in made
            for t in rerooted(g, folder).truth
        ]
        truth = [(f, a, c) for f, a, c, _ in rows_truth]
        records = first_of_month(_frame(run.records), rows_truth)
        total = score_kind(kind, made, folder, records).total
        rows.append(
            {
                "kind": kind,
                "tool": tool,
                "f1": total.f1,
                "count_accuracy": _count_accuracy(truth, records),
                **_cost(run),
            }
        )
        print(
            f"{kind:>14} {tool:>10}: F1 {total.f1:.3f}  {run.cpu:6.1f} CPU-s  "
            f"{run.seconds:6.1f} s  {run.error}"
        )
    return rows


def bench_corpus(
    corpus: Path, root: Path, only: set[str] | None, jobs: int = 1, tools: set[str] | None = None
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Every corpus PDF with a reference: row recall and cost per tool and PDF, and the cost of
    one whole run of each tool over all of them in one folder.

    Each peer runs once over the folder of all the PDFs, its cost per PDF taken inside that one
    process (its start-up left out); foialog runs once per PDF (its start-up in each) and once
    over the folder, so that its whole run is compared with the peers' on the same files.
    """
    references: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    together = root / "all corpus PDFs"
    together.mkdir(parents=True, exist_ok=True)
    for name, pdf, reference in CORPUS:
        if only and name not in only:
            continue
        source = corpus / name / pdf
        if not source.exists():
            print(f"{name}: absent, skipped")
            continue
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        # Copies: foialog never follows a link out of its inputs (nor should a bench rely on it).
        for target in (folder / pdf, together / pdf):
            if not target.exists():
                shutil.copyfile(source, target)
        references[name] = pd.read_csv(corpus / name / reference, dtype=str, keep_default_na=False)
        files[name] = pdf
    if not references:
        return [], []
    whole = [(t, together) for t in PDF_TOOLS if _runnable(t, {".pdf"}, tools)]
    alone = [("foialog", root / name) for name in references if _runnable("foialog", set(), tools)]
    runs = _measured(jobs, whole + alone)
    by_tool = {tool: run for (tool, _), run in zip(whole, runs, strict=False)}
    foialog_alone = dict(zip(references, runs[len(whole) :], strict=True)) if alone else {}
    rows: list[dict[str, object]] = []
    for name, reference in references.items():
        pdf = files[name]
        for tool, whole_run in by_tool.items():
            if tool == "foialog":
                run = foialog_alone[name]
                cost = _cost(run)
            else:
                run = whole_run
                cpu, wall, pages = run.files.get(pdf, [0.0, 0.0, 0])
                error = run.error if run.error.startswith(pdf) or not run.files else ""
                cost = {"pages": int(pages), "seconds": wall, "cpu": cpu, "peak_mb": None}
                cost["error"] = error
            found, checked = row_recall(reference, run.rows.get(pdf, []))
            rows.append(
                {
                    "document": name,
                    "tool": tool,
                    "row_recall": found / checked if checked else 0.0,
                    "rows": checked,
                    **cost,
                }
            )
            print(f"{name:>32} {tool:>10}: {found}/{checked}  {cost['cpu']:6.1f} CPU-s")
    totals = []
    for tool, run in by_tool.items():
        totals.append({"tool": tool, "documents": len(references), **_cost(run)})
        print(f"{'all corpus PDFs':>32} {tool:>10}: {run.cpu:6.1f} CPU-s  {run.seconds:6.1f} s")
    return rows, totals


def _ratio(frame: pd.DataFrame, key: str, column: str, higher_better: bool) -> dict[str, str]:
    out = {}
    for group, part in frame.groupby(key):
        mine = part.loc[part["tool"] == "foialog", column]
        others = part.loc[(part["tool"] != "foialog") & (part["error"] == ""), column]
        if mine.empty or others.empty:
            out[str(group)] = "no peer"
            continue
        best = others.max() if higher_better else others.min()
        value = float(mine.iloc[0])
        out[str(group)] = f"{value / best:.2f}" if best else "n/a"
    return out


def _per_cpu(frame: pd.DataFrame) -> pd.Series:
    return (frame["pages"] / frame["cpu"].where(frame["cpu"] > 0)).fillna(0.0)


def _stamp() -> str:
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (
        f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work (load average {load} when the run "
        f"ended), Python {platform.python_version()}; "
        + ", ".join(
            f"{p} {metadata.version(d)}"
            for p, d in (
                ("foialog", "foialog"),
                ("camelot", "camelot-py"),
                ("pdfplumber", "pdfplumber"),
                ("tabula-py", "tabula-py"),
                ("pandas", "pandas"),
            )
            if _installed(d)
        )
        + f". {DOCLING_NOTE}. foialog's bytecode compiled first, as installing a package does. "
        "Produced by `make bench-peers` (bench/peers.py)."
    )


def _tables(
    kinds: list[dict[str, object]],
    corpus: list[dict[str, object]],
    whole: list[dict[str, object]] | None = None,
    seeds: int = 0,
) -> tuple[str, str]:
    """The accuracy and the performance Markdown of one bench run."""
    stamp = _stamp()
    acc = [stamp, ""]
    perf = [stamp, ""]
    if kinds:
        frame = pd.DataFrame(kinds)
        ratio = _ratio(frame, "kind", "f1", True)
        acc += [
            f"Generated kinds (tests/variation), seeds 0-{seeds - 1} of each, every file read by "
            "each tool; row F1: agency, count and date all right.",
            "",
            "| kind | tool | row F1 | count accuracy | foialog / best peer (F1) |",
            "|---|---|---|---|---|",
        ]
        for row in frame.itertuples():
            failed = f" (failed: {row.error})" if row.error else ""
            acc.append(
                f"| {row.kind} | {row.tool} | {row.f1:.3f}{failed} | {row.count_accuracy:.3f} | "
                f"{ratio[row.kind] if row.tool == 'foialog' else ''} |"
            )
        acc.append("")
        frame = frame.assign(pps=_per_cpu(frame))
        speed = _ratio(frame, "kind", "pps", True)
        perf += [
            "Generated kinds: each tool over all seeds of a kind in one fresh process.",
            "",
            "| kind | tool | pages | CPU-s | pages per CPU-s | wall s | peak MiB | "
            "foialog / best peer (pages per CPU-s) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in frame.itertuples():
            perf.append(
                f"| {row.kind} | {row.tool} | {row.pages} | {row.cpu:.1f} | {row.pps:.1f} | "
                f"{row.seconds:.1f} | {row.peak_mb:.0f} | "
                f"{speed[row.kind] if row.tool == 'foialog' else ''} |"
            )
        perf.append("")
    if corpus:
        frame = pd.DataFrame(corpus)
        ratio = _ratio(frame, "document", "row_recall", True)
        acc += [
            "Corpus PDFs with a reference table (../shared/corpus); row recall: reference rows "
            "reproduced whole by one output row.",
            "",
            "| corpus document | tool | reference rows | row recall | foialog / best peer |",
            "|---|---|---|---|---|",
        ]
        for row in frame.itertuples():
            failed = f" (failed: {row.error})" if row.error else ""
            acc.append(
                f"| {row.document} | {row.tool} | {row.rows} | {row.row_recall:.3f}{failed} | "
                f"{ratio[row.document] if row.tool == 'foialog' else ''} |"
            )
        speed = _ratio(frame, "document", "cpu", False)
        perf += [
            "Corpus PDFs one by one: foialog in a fresh process per PDF, its start-up and every "
            "output included; each peer's cost per PDF inside its one run over all of them "
            "(start-up left out; its peak memory is in the next table).",
            "",
            "| corpus document | tool | pages | CPU-s | wall s | peak MiB | "
            "foialog CPU-s / fastest peer's |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in frame.itertuples():
            peak = "" if pd.isna(row.peak_mb) else f"{row.peak_mb:.0f}"
            perf.append(
                f"| {row.document} | {row.tool} | {row.pages} | {row.cpu:.1f} | "
                f"{row.seconds:.1f} | {peak} | "
                f"{speed[row.document] if row.tool == 'foialog' else ''} |"
            )
    if whole:
        frame = pd.DataFrame(whole)
        perf += [
            "",
            f"All {frame['documents'].iloc[0]} corpus PDFs in one folder, one whole run of each "
            "tool (foialog: every output written, as `foialog run -o` does):",
            "",
            "| tool | pages | CPU-s | pages per CPU-s | wall s | peak MiB |",
            "|---|---|---|---|---|---|",
        ]
        for row in frame.assign(pps=_per_cpu(frame)).itertuples():
            perf.append(
                f"| {row.tool} | {row.pages} | {row.cpu:.1f} | {row.pps:.1f} | "
                f"{row.seconds:.1f} | {row.peak_mb:.0f} |"
            )
        cpu = dict(zip(frame["tool"], frame["cpu"], strict=True))
        if cpu.get("foialog") and cpu.get("pdfplumber"):
            perf += [
                "",
                f"The whole `foialog` run took {cpu['foialog']:.1f} CPU-s on these PDFs against "
                f"{cpu['pdfplumber']:.1f} CPU-s for pdfplumber extract_tables() alone: "
                + (
                    f"{cpu['pdfplumber'] / cpu['foialog']:.1f} times faster."
                    if cpu["pdfplumber"] >= cpu["foialog"]
                    else f"{cpu['foialog'] / cpu['pdfplumber']:.1f} times slower."
                ),
            ]
    return "\n".join(acc), "\n".join(perf)


def _installed(dist: str) -> bool:
    try:
        metadata.version(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


def write_between(path: Path, marker: str, text: str, after: str = "") -> None:
    """Replace what stands between <!-- marker:start --> and <!-- marker:end --> in a doc.

    Where the markers are not there yet: after the ``after`` block and the notes that follow
    it (before the next heading) when given and present, else at the end under a heading.
    """
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    doc = path.read_text()
    block = f"{start}\n{text}\n{end}"
    behind = f"<!-- {after}:end -->" if after else ""
    if start in doc and end in doc:
        doc = doc[: doc.index(start)] + block + doc[doc.index(end) + len(end) :]
    elif behind and behind in doc:
        heading = re.search(r"^#+ ", doc[doc.index(behind) :], re.MULTILINE)
        at = doc.index(behind) + heading.start() if heading else len(doc)
        doc = doc[:at].rstrip("\n") + "\n\n" + block + "\n" + ("\n" + doc[at:] if heading else "")
    else:
        doc = doc.rstrip("\n") + f"\n\n## Beside the tools reporters use today\n\n{block}\n"
    path.write_text(doc)


def remove_between(path: Path, marker: str) -> None:
    """Take out the <!-- marker:start --> ... <!-- marker:end --> block of a doc, if any."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    doc = path.read_text()
    if start in doc and end in doc:
        before, after = doc[: doc.index(start)], doc[doc.index(end) + len(end) :]
        path.write_text(before.rstrip("\n") + "\n\n" + after.lstrip("\n"))


def compile_bytecode() -> bool:
    """Compile foialog's modules to bytecode once, as pip does when it installs a package.

    The peers are installed packages whose bytecode pip wrote; foialog is an editable checkout.
    Where PYTHONDONTWRITEBYTECODE is set (as on the machines this is measured on) every fresh
    foialog process compiled its ~80 modules from source, ~0.2 CPU-s a process, which a
    reporter's installed foialog never pays. The folders are compiled where they are, not
    through foialog/'s links to them, which compileall does not follow.
    """
    return all(
        compileall.compile_dir(ROOT / folder, quiet=1)
        for folder in ("foialog", "extract", "entities")
    )


def main() -> None:
    """Parse arguments and run the bench (or, with --one, one tool in this process)."""
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        _one(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="seeds per generated kind")
    parser.add_argument("--kinds", default="", help="comma-separated kinds (default: all)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--no-corpus", action="store_true", help="generated kinds only")
    parser.add_argument("--documents", default="", help="comma-separated corpus folders")
    parser.add_argument("--no-kinds", action="store_true", help="corpus documents only")
    parser.add_argument("--no-docs", action="store_true", help="print, do not write docs/")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="runs at once in each half, kinds and corpus (CPU-s are per process)",
    )
    parser.add_argument(
        "--tools",
        default="",
        help=f"comma-separated tools of {', '.join(TOOLS)} (default: all); a partial run "
        "(one half, or some tools) writes its tables apart from the full run's",
    )
    args = parser.parse_args()
    tools = {t for t in args.tools.split(",") if t} or None
    if tools is not None and not tools <= set(TOOLS):
        parser.error(f"--tools: unknown {', '.join(sorted(tools - set(TOOLS)))}; one of {TOOLS}")
    if not compile_bytecode():
        print(
            "bench/peers.py: some of foialog's modules did not compile to bytecode", file=sys.stderr
        )
    with tempfile.TemporaryDirectory(prefix="foialog-peers-") as tmp, ThreadPoolExecutor(2) as both:
        root = Path(tmp)
        only = {k for k in args.kinds.split(",") if k} or None
        documents = {d for d in args.documents.split(",") if d} or None
        # Both halves at once: the corpus holds the longest single runs (Camelot on 58 pages).
        corpus_done = both.submit(
            lambda: (
                ([], [])
                if args.no_corpus
                else bench_corpus(args.corpus, root / "corpus", documents, args.jobs, tools)
            )
        )
        kinds = (
            [] if args.no_kinds else bench_kinds(args.seeds, root / "kinds", only, args.jobs, tools)
        )
        corpus, whole = corpus_done.result()
    accuracy, performance = _tables(kinds, corpus, whole, args.seeds)
    print(accuracy, performance, sep="\n\n")
    if args.no_docs:
        return
    partial = args.no_kinds or args.no_corpus or only or documents or tools
    if not partial:
        for doc, text in (("accuracy.md", accuracy), ("performance.md", performance)):
            write_between(ROOT / "docs" / doc, "peers", text)
            # An earlier partial run's tables are older than these: they go.
            remove_between(ROOT / "docs" / doc, "peers-partial")
        return
    # A partial run (one half, some kinds, documents or tools) is written after the full run's
    # tables, which it leaves as they were: their other rows were not measured again.
    ran = ", ".join(
        part
        for part, on in (
            ("generated kinds " + (", ".join(sorted(only)) if only else "all"), not args.no_kinds),
            (
                "corpus " + (", ".join(sorted(documents)) if documents else "all"),
                not args.no_corpus,
            ),
            ("tools " + ", ".join(t for t in TOOLS if tools is None or t in tools), True),
        )
        if on
    )
    note = (
        f"Partial run ({ran}): `bench/peers.py {' '.join(sys.argv[1:])}`. The tables above "
        "are the last full `make bench-peers` run.\n\n"
    )
    write_between(ROOT / "docs" / "accuracy.md", "peers-partial", note + accuracy, "peers")
    write_between(ROOT / "docs" / "performance.md", "peers-partial", note + performance, "peers")


if __name__ == "__main__":
    main()
