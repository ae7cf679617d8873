"""OCR engines compared through foialog's own table finder: Tesseract and RapidOCR (issue 13.4).

    .venv/bin/python bench/ocr_engines.py [--seeds 30] [--engines tesseract,rapidocr]
                                          [--no-corpus] [--no-write] [--jobs 2]

Tesseract is foialog's OCR as it ships (foialog.extract.readers.ocr.ocr_image). RapidOCR 3
(``rapidocr``,
PP-OCRv6 detection and recognition models inside the wheel, read by onnxruntime) stands in for
Tesseract's reading only: the page is levelled and its ruling lines and redaction boxes found
and wiped by foialog's own functions, then RapidOCR reads it and rapidocr_words turns its word
boxes into foialog Words, so both engines feed the same table finder (foialog.extract.tables.words
find_word_tables, through the PDF and image readers of ``foialog.run``) and are scored alike.

The same page images for both engines, in the same run: the degraded-scan kind of the
variation generator (tests/variation/scans.py; its truth gives row F1, word and cell accuracy)
and the corpus scans (../shared/corpus; judged by bench/corpus_sweep.py's checks). Each engine
and page set runs in a fresh worker process, one thread each (OMP_THREAD_LIMIT=1, onnxruntime
one intra-op thread), in-process (workers 0), so CPU-seconds (process and children, Tesseract
included) and the worker's peak memory (VmHWM) are the engine's own. Figures go between the
ocr-engines markers of docs/accuracy.md and docs/performance.md unless --no-write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from foialog.extract.readers.ocr import (  # noqa: E402
    Box,
    OcrPage,
    OcrSettings,
    level_like_ocr,
    wiped,
)
from foialog.extract.tables.words import Word  # noqa: E402

ENGINES = ("tesseract", "rapidocr")
SHARED = Path(os.environ.get("FOIALOG_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
#: The corpus folders whose documents are read by OCR (the Irvine scan has a text layer).
CORPUS_SCANS = (
    "eugene-flock-sharing-screenshots",
    "eugene-surveillance-inventory-scan",
    "eugene-prr-log-imageonly",
)
DOCS = {
    "accuracy": ROOT / "docs" / "accuracy.md",
    "performance": ROOT / "docs" / "performance.md",
}
START, END = "<!-- ocr-engines:start -->", "<!-- ocr-engines:end -->"
HEADING = "## OCR engines (`bench/ocr_engines.py`)"
_PUNCT = " .,;:()[]'\"|*"


class EngineMissing(RuntimeError):
    """The optional engine's package is not installed."""


# ---------------------------------------------------------------- the RapidOCR adapter


def rapidocr_engine() -> Any:
    """RapidOCR 3 on its in-package models (explicit paths: nothing downloaded), one thread."""
    try:
        import rapidocr
    except ImportError as error:
        raise EngineMissing(
            "RapidOCR is not installed: pip install 'foialog[bench]' (package rapidocr)"
        ) from error
    models = Path(rapidocr.__file__).parent / "models"
    params: dict[str, object] = {
        "Global.log_level": "error",
        "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
        "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
        "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    missing = [
        v for k, v in params.items() if k.endswith("model_path") and not Path(str(v)).exists()
    ]
    if missing:
        raise EngineMissing(f"RapidOCR's models are not inside its package: {missing}")
    return rapidocr.RapidOCR(params=params)


def rapidocr_words(engine: Any, image: Image.Image) -> list[Word]:
    """RapidOCR's reading of a page image as foialog's OCR gives it: a Word per word, in pixels.

    RapidOCR boxes a text line and, with return_word_box, each word of it as a quadrilateral;
    a Word is the quadrilateral's bounding box, its confidence RapidOCR's score (0-1).
    """
    found = engine(np.asarray(image.convert("RGB")), return_word_box=True)
    if found.boxes is None or not found.txts:
        return []  # nothing read: RapidOCR's empty output holds one placeholder word, no box
    lines = found.word_results or ()
    if not all(_word_boxed(line) for line in lines):
        # RapidOCR computes word boxes only when every line has them, else leaves its raw
        # recognizer output in word_results (and drops empty lines there, not in txts): the
        # page's line boxes, split into words, are what it read.
        return [
            w
            for text, score, quad in zip(
                found.txts or (), found.scores or (), found.boxes, strict=True
            )
            for w in line_words(str(text), float(score), quad)
        ]
    return [
        _word(str(text), float(score), quad)
        for line in lines
        for text, score, quad in line
        if str(text).strip()
    ]


def line_words(text: str, confidence: float, quad: Any) -> list[Word]:
    """A text line's box split into a Word per space-separated word, widths by character share."""
    line = _word(text, confidence, quad)
    step = (line.x1 - line.x0) / max(1, len(text))
    words = []
    for match in re.finditer(r"\S+", text):
        x0 = line.x0 + match.start() * step
        words.append(
            Word(match.group(), x0, line.top, line.x0 + match.end() * step, line.bottom, confidence)
        )
    return words


def _word_boxed(line: Any) -> bool:
    return bool(line) and all(
        isinstance(item, tuple | list)
        and len(item) == 3
        and isinstance(item[0], str)
        and item[2] is not None
        for item in line
    )


def _word(text: str, confidence: float, quad: Any) -> Word:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return Word(text.strip(), min(xs), min(ys), max(xs), max(ys), confidence)


def rapidocr_page(
    engine: Any,
    image: Image.Image,
    settings: OcrSettings | None = None,
    *,
    points_per_pixel: float = 1.0,
) -> OcrPage:
    """A page read as foialog.extract.readers.ocr.ocr_image reads it, with RapidOCR in Tesseract's
    place.

    Levelled, ruling lines and redaction boxes found and wiped by foialog's functions; no
    enlargement, median filter, orientation retry or value re-reading (those are Tesseract's).
    """
    settings = settings or OcrSettings()
    started = time.perf_counter()
    level = level_like_ocr(image, settings.max_skew)
    clean, redactions, rules = wiped(level)
    scale = points_per_pixel
    return OcrPage(
        words=[
            Word(w.text, w.x0 * scale, w.top * scale, w.x1 * scale, w.bottom * scale, w.confidence)
            for w in rapidocr_words(engine, clean)
        ],
        width=level.width * scale,
        height=level.height * scale,
        redactions=[_scaled(b, scale) for b in redactions],
        rules=[_scaled(b, scale) for b in rules],
        seconds=time.perf_counter() - started,
    )


def _scaled(box: Box, scale: float) -> Box:
    return Box(box.x0 * scale, box.top * scale, box.x1 * scale, box.bottom * scale)


# ---------------------------------------------------------------- the worker: one engine, one set


def cpu_seconds() -> float:
    """CPU seconds of this process (all threads) and of its finished children (Tesseract)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM; reset by exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Recorder:
    """Every page an engine read in this worker: its words and the CPU its reading took."""

    pages: list[list[str]] = field(default_factory=list)
    cpu: float = 0.0

    def wrap(self, read: Callable[..., OcrPage]) -> Callable[..., OcrPage]:
        """``read`` (ocr_image's signature) with each page's words and CPU recorded."""

        def recorded(
            image: Image.Image,
            settings: OcrSettings | None = None,
            *,
            points_per_pixel: float = 1.0,
        ) -> OcrPage:
            started = cpu_seconds()
            page = read(image, settings, points_per_pixel=points_per_pixel)
            self.cpu += cpu_seconds() - started
            self.pages.append([w.text for w in page.words])
            return page

        return recorded


def install(engine: str, recorder: Recorder) -> None:
    """Route foialog's page OCR through the engine (Tesseract: foialog's own) and the recorder."""
    import foialog.extract.readers.images
    import foialog.extract.readers.ocr
    import foialog.extract.readers.ocr_pages
    import foialog.extract.readers.pdf.overlay
    from foialog.extract import parallel

    parallel.set_core_share(1)
    if engine == "tesseract":
        read: Callable[..., OcrPage] = foialog.extract.readers.ocr.ocr_image
    else:
        reader = rapidocr_engine()

        def read(
            image: Image.Image,
            settings: OcrSettings | None = None,
            *,
            points_per_pixel: float = 1.0,
        ) -> OcrPage:
            return rapidocr_page(reader, image, settings, points_per_pixel=points_per_pixel)

    wrapped = recorder.wrap(read)
    for module in (
        foialog.extract.readers.images,
        foialog.extract.readers.ocr_pages,
        foialog.extract.readers.pdf.overlay,
    ):
        module.ocr_image = wrapped  # type: ignore[attr-defined]


def worker(engine: str, job: Path) -> None:
    """Read one job's folders with one engine; write figures to job/<engine>.json."""
    import foialog

    sys.path.insert(0, str(ROOT / "bench"))
    spec = json.loads((job / "job.json").read_text())
    recorder = Recorder()
    install(engine, recorder)
    figures: list[dict[str, object]] = []
    for item in spec["items"]:
        first = len(recorder.pages)
        ocr_before = recorder.cpu
        started = cpu_seconds()
        wall = time.perf_counter()
        result = foialog.run(item["inputs"], settings={"cache": False, "workers": 0})
        cpu = cpu_seconds() - started
        words = [w for page in recorder.pages[first:] for w in page]
        figures.append(
            {
                "name": item["name"],
                "cpu": cpu,
                "ocr_cpu": recorder.cpu - ocr_before,
                "wall": time.perf_counter() - wall,
                "pages": len(recorder.pages) - first,
                "documents": [
                    f"{f}: {st} {e or ''} {n or ''}"[:300]
                    for f, st, e, n in zip(
                        result.documents["source_file"],
                        result.documents["status"],
                        result.documents["error"],
                        result.documents["notes"],
                        strict=True,
                    )
                ],
                **judged(item, result.records, result.documents, words, time.perf_counter() - wall),
            }
        )
        print(f"  {engine} {item['name']}: {cpu:.1f} CPU-s", file=sys.stderr, flush=True)
    out = {"engine": engine, "peak_mib": peak_mib(), "items": figures}
    (job / f"{engine}.json").write_text(json.dumps(out))


def judged(
    item: dict[str, Any], records: Any, documents: Any, words: list[str], seconds: float
) -> dict[str, object]:
    """A seed's score against its truth, or a corpus folder's check line."""
    if item["kind"] == "scan":
        from tests.variation.core import score

        made = pickle.loads(Path(item["made"]).read_bytes())
        result = score(made, records)
        return {
            "truth": result.truth_rows,
            "predicted": result.predicted_rows,
            "correct": result.correct,
            **word_and_cell_hits(made.truth, records, words),
        }
    import corpus_sweep

    outcome = corpus_sweep.Outcome(Path(item["folder"]), records, documents, seconds)
    line = corpus_sweep.judge(item["name"], outcome)
    extra: dict[str, object] = {}
    if item["name"] == "eugene-flock-sharing-screenshots":
        reference = corpus_sweep.reference(Path(item["folder"]), "reference_list_human.csv")
        tokens = [t for name in reference["Name"] for t in _tokens(str(name))]
        extra = {"word_truth": len(tokens), "word_hits": _multiset_hits(tokens, words)}
    return {"got": line.got, "right": line.right, **extra}


def word_and_cell_hits(truth: list[Any], records: Any, words: list[str]) -> dict[str, int]:
    """Truth words found among the engine's words; truth names and counts found as cells."""
    tokens = [t for row in truth for t in _tokens(row.agency)]
    counts = [row.count for row in truth if row.count is not None]
    # A count may be printed with or without thousands separators: either reading is the count.
    read = Counter(_fold(w).replace(",", "") for w in words)
    count_hits = sum((Counter(str(c) for c in counts) & read).values())
    from tests.variation.core import _count, _data_records, fold

    data = _data_records(records)
    names = Counter(fold(a) for a in data["agency_raw"])
    got_counts = Counter(_count(c) for c in data["count"])
    return {
        "word_truth": len(tokens) + len(counts),
        "word_hits": _multiset_hits(tokens, words) + count_hits,
        "name_truth": len(truth),
        "name_hits": sum((Counter(fold(r.agency) for r in truth) & names).values()),
        "count_truth": len(counts),
        "count_hits": sum((Counter(counts) & got_counts).values()),
    }


def _fold(text: str) -> str:
    return text.casefold().strip(_PUNCT)


def _tokens(text: str) -> list[str]:
    return [t for t in (_fold(p) for p in text.split()) if t]


def _multiset_hits(wanted: list[str], words: list[str]) -> int:
    return sum((Counter(wanted) & Counter(_fold(w) for w in words)).values())


# ---------------------------------------------------------------- the parent: jobs and tables


def scan_job(root: Path, seeds: int) -> Path:
    """The degraded-scan seeds written under root, with a job file listing them."""
    from tests.variation.scans import generate_scan

    items = []
    for seed in range(seeds):
        folder = root / f"s{seed:04d}"
        folder.mkdir(parents=True)
        made = generate_scan(seed, folder)
        pickled = root / f"s{seed:04d}.pkl"
        pickled.write_bytes(pickle.dumps(made))
        items.append(
            {"kind": "scan", "name": f"seed {seed}", "inputs": [str(folder)], "made": str(pickled)}
        )
    (root / "job.json").write_text(json.dumps({"items": items}))
    return root


def corpus_job(root: Path) -> Path:
    """The corpus scan folders (documents only, not their reference answers) as a job."""
    sys.path.insert(0, str(ROOT / "bench"))
    import corpus_sweep

    items = [
        {
            "kind": "corpus",
            "name": name,
            "folder": str(CORPUS / name),
            "inputs": [str(p) for p in corpus_sweep.inputs(CORPUS / name)],
        }
        for name in CORPUS_SCANS
        if (CORPUS / name).is_dir()
    ]
    root.mkdir(parents=True, exist_ok=True)
    (root / "job.json").write_text(json.dumps({"items": items}))
    return root


def run_workers(tasks: list[tuple[str, Path]], jobs: int) -> None:
    """Each (engine, job) in a fresh process, ``jobs`` at a time, at low priority."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1"}
    waiting = list(tasks)
    running: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    while waiting or running:
        while waiting and len(running) < jobs:
            engine, job = waiting.pop(0)
            command = ["nice", sys.executable, __file__, "--worker", engine, "--job", str(job)]
            running.append((subprocess.Popen(command, env=env), engine, job))
        time.sleep(2)
        for entry in list(running):
            process, engine, job = entry
            if process.poll() is not None:
                running.remove(entry)
                if process.returncode:
                    print(f"{engine} on {job} failed ({process.returncode})", file=sys.stderr)


def load(job: Path, engine: str) -> dict[str, Any]:
    """A worker's figures."""
    path = job / f"{engine}.json"
    return json.loads(path.read_text()) if path.exists() else {"items": [], "peak_mib": 0.0}


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def scan_table(job: Path, engines: list[str], seeds: int) -> list[str]:
    """Degraded-scan figures per engine: accuracy, CPU per page, accuracy per CPU-second."""
    lines = [
        f"Degraded-scan kind (tests/variation/scans.py), seeds 0-{seeds - 1}, the same files "
        "for both engines:",
        "",
        "| engine | pages | row F1 (P, R) | worst seed | words found | names as cells "
        "| counts as cells | CPU-s per page (OCR only) | row F1 per CPU-s a page | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for engine in engines:
        got = load(job, engine)
        items = got["items"]
        if not items:
            lines.append(f"| {engine} | not run | | | | | | | | |")
            continue
        truth = sum(i["truth"] for i in items)
        predicted = sum(i["predicted"] for i in items)
        correct = sum(i["correct"] for i in items)
        p, r = _ratio(correct, predicted), _ratio(correct, truth)
        f1 = _ratio(2 * p * r, p + r)

        def seed_f1(i: dict[str, Any]) -> float:
            sp, sr = _ratio(i["correct"], i["predicted"]), _ratio(i["correct"], i["truth"])
            return _ratio(2 * sp * sr, sp + sr)

        worst = min(items, key=seed_f1)
        pages = sum(i["pages"] for i in items)
        cpu = sum(i["cpu"] for i in items)
        ocr = sum(i["ocr_cpu"] for i in items)
        per_page = _ratio(cpu, pages)
        share = _ratio(sum(i["word_hits"] for i in items), sum(i["word_truth"] for i in items))
        names = _ratio(sum(i["name_hits"] for i in items), sum(i["name_truth"] for i in items))
        counts = _ratio(sum(i["count_hits"] for i in items), sum(i["count_truth"] for i in items))
        below = sum(seed_f1(i) < 1.0 for i in items)
        lines.append(
            f"| {engine} | {pages} | {f1:.3f} ({p:.3f}, {r:.3f}) | {worst['name']} "
            f"{seed_f1(worst):.3f}; {below} seeds below 1.0 | {share:.3f} | {names:.3f} "
            f"| {counts:.3f} | {per_page:.2f} ({_ratio(ocr, pages):.2f}) "
            f"| {_ratio(f1, per_page):.3f} | {got['peak_mib']:.0f} |"
        )
    return lines


def corpus_table(job: Path, engines: list[str]) -> list[str]:
    """Corpus scan figures per engine: corpus_sweep's check line, CPU and memory."""
    lines = [
        "Corpus scans (../shared/corpus), each folder read by `foialog.run` with the engine, "
        "judged by bench/corpus_sweep.py's check:",
        "",
        "| document | engine | pages | CPU-s (OCR only) | pages per CPU-s | what foialog gave "
        "| verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    by_engine = {e: {i["name"]: i for i in load(job, e)["items"]} for e in engines}
    for name in CORPUS_SCANS:
        for engine in engines:
            i = by_engine[engine].get(name)
            if i is None:
                continue
            words = ""
            if "word_truth" in i:
                words = f"; words of the transcription's names found {i['word_hits']} of "
                words += f"{i['word_truth']}"
            lines.append(
                f"| {name} | {engine} | {i['pages']} | {i['cpu']:.1f} ({i['ocr_cpu']:.1f}) "
                f"| {_ratio(i['pages'], i['cpu']):.3f} | {_cell(i['got'])}{words} "
                f"| {i['right']} |"
            )
    for engine in engines:
        items = list(by_engine[engine].values())
        pages = sum(i["pages"] for i in items)
        cpu = sum(i["cpu"] for i in items)
        peak = load(job, engine)["peak_mib"]
        lines.append(
            f"| all {len(items)} | {engine} | {pages} | {cpu:.1f} "
            f"({sum(i['ocr_cpu'] for i in items):.1f}) | {_ratio(pages, cpu):.3f} "
            f"| peak {peak:.0f} MiB | |"
        )
    return lines


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("|", "/"))[:600]


def write(doc: Path, body: str) -> None:
    """Put the body between the markers (a new section at the end when absent)."""
    text = doc.read_text()
    block = f"{START}\n{body}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{block}\n"
    doc.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the generated files and figures here")
    parser.add_argument(
        "--reuse", action="store_true", help="write the tables from --keep's figures, read nothing"
    )
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--job", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.job)
        return 0
    engines = [e for e in args.engines.split(",") if e]
    started = dt.datetime.now(dt.UTC)
    root = args.keep or Path(tempfile.mkdtemp(prefix="ocr-engines-"))
    if args.reuse and args.keep:
        scans = root / "scans" if (root / "scans" / "job.json").exists() else None
        corpus = root / "corpus" if (root / "corpus" / "job.json").exists() else None
        if scans is not None:
            args.seeds = len(json.loads((scans / "job.json").read_text())["items"])
    else:
        scans = scan_job(root / "scans", args.seeds) if args.seeds else None
        corpus = corpus_job(root / "corpus") if not args.no_corpus and CORPUS.is_dir() else None
        run_workers([(e, j) for j in (scans, corpus) if j is not None for e in engines], args.jobs)
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    measured = root / "measured.txt"
    head = (
        measured.read_text()
        if args.reuse and measured.exists()
        else (
            f"Measured {started:%Y-%m-%d %H:%M}-{dt.datetime.now(dt.UTC):%H:%M} UTC on "
            f"{platform.machine()}, 2 cores shared with other work (load {load_avg} at the end), "
            f"one thread per engine, in-process; Tesseract {_tesseract_version()}, RapidOCR "
            f"{_version('rapidocr')} (PP-OCRv6 small models inside the wheel), onnxruntime "
            f"{_version('onnxruntime')}. CPU-s are the whole `foialog.run` with that engine "
            "(OCR only in brackets); peak MiB is the worker's VmHWM (Tesseract's own processes "
            "not included). Produced by `make bench-ocr-engines`."
        )
    )
    measured.write_text(head)
    body = [head, ""]
    if scans is not None:
        body += [*scan_table(scans, engines, args.seeds), ""]
    if corpus is not None:
        body += [*corpus_table(corpus, engines), ""]
    text = "\n".join(body).rstrip()
    print(text)
    if not args.no_write:
        for doc in DOCS.values():
            write(doc, text)
    return 0


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _tesseract_version() -> str:
    from foialog.extract.readers.ocr import tesseract_program

    done = subprocess.run([tesseract_program(), "--version"], capture_output=True, check=False)
    first = (done.stdout or done.stderr).decode("utf-8", "replace").splitlines()
    return first[0].split()[-1] if first else "?"


if __name__ == "__main__":
    sys.exit(main())
