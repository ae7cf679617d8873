"""OCR speed and accuracy: foialog's OCR against bare Tesseract and RapidOCR, per CPU-second.

    .venv/bin/python bench/ocr_speed.py [PAGES_PER_PDF] [SCAN_SEEDS]

Part 1, the corpus scans (the Eugene screenshots and the first PAGES_PER_PDF pages of the
three scanned PDFs, rendered at 300 dpi as foialog renders them): pages per CPU-second of
foialog's OCR (levelling, rules and redaction boxes, one or two Tesseract readings, all of it
counted, Tesseract's own CPU included) and of bare `tesseract page.png stdout tsv` on the
same page images in the same run, and their ratio.

Part 2, the engines on the degraded scans of tests/variation/scans.py (SCAN_SEEDS seeds)
and on the corpus screenshots: the share of the truth's agency names and counts found in each
engine's text, per CPU-second. RapidOCR (rapidocr-onnxruntime, its models inside the
package) is measured when installed; foialog does not depend on it.

CPU time, not wall time: the machine is shared, and CPU-seconds are what a laptop pays.
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from foialog.extract.readers.images import image_frames  # noqa: E402
from foialog.extract.readers.ocr import ocr_image, tesseract_program  # noqa: E402
from foialog.extract.tables.words import group_lines  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SCREENSHOTS = CORPUS / "eugene-flock-sharing-screenshots"
PDFS = (
    CORPUS / "eugene-prr-log-imageonly" / "EPD-2025-4537_report_JustFlockALPR_redacted.pdf",
    CORPUS / "eugene-surveillance-inventory-scan" / "DOC102825-10282025103848.pdf",
    CORPUS / "irvine-vigilant-2020-scan" / "irvine-pd-2020-vigilant-data-sharing_doc0.pdf",
)
DPI = 300


def _cpu() -> float:
    """CPU seconds of this process (all threads) and of its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(read: Callable[[Image.Image], str], image: Image.Image) -> tuple[str, float]:
    started = _cpu()
    text = read(image)
    return text, _cpu() - started


def foialog_text(image: Image.Image) -> str:
    """foialog's OCR of one page, as lines of text."""
    page = ocr_image(image)
    return "\n".join(" ".join(w.text for w in line) for line in group_lines(page.words))


def tesseract_text(image: Image.Image) -> str:
    """Bare Tesseract (default page layout, one thread) on the page image saved as PNG."""
    with tempfile.NamedTemporaryFile(suffix=".png") as handle:
        image.save(handle.name)
        done = subprocess.run(
            [tesseract_program(), handle.name, "stdout", "tsv"],
            capture_output=True,
            check=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    rows = [r.split("\t") for r in done.stdout.decode("utf-8", "replace").splitlines()[1:]]
    lines: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        if len(row) == 12 and row[0] == "5" and row[11].strip():
            lines.setdefault(tuple(row[1:5]), []).append(row[11])
    return "\n".join(" ".join(words) for words in lines.values())


def rapidocr_reader() -> Callable[[Image.Image], str] | None:
    """RapidOCR's text of a page (its lines top to bottom), or None when not installed."""
    try:
        module = importlib.import_module("rapidocr_onnxruntime")
    except ImportError:
        return None
    engine = module.RapidOCR()

    def read(image: Image.Image) -> str:
        found, _ = engine(np.asarray(image.convert("RGB")))
        return "\n".join(text for _box, text, _conf in found or [])

    return read


def corpus_pages(limit: int) -> Iterator[tuple[str, Image.Image]]:
    """The corpus page images: screenshots as they are, PDF pages rendered at 300 dpi."""
    for path in sorted(p for p in SCREENSHOTS.iterdir() if p.suffix in (".png", ".jpeg")):
        yield path.name, Image.open(path).convert("RGB")
    for path in PDFS:
        if path.exists():
            document = pdfium.PdfDocument(path)
            for index in range(min(limit, len(document))):
                bitmap = document[index].render(scale=DPI / 72, grayscale=True)
                yield f"{path.parent.name} p{index + 1}", bitmap.to_pil()


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def scan_seeds(seeds: int) -> Iterator[tuple[list[Image.Image], list[str]]]:
    """Each seed's pages from the degraded-scan generator, with the names and counts shown."""
    from tests.variation.scans import generate_scan

    with tempfile.TemporaryDirectory() as folder:
        for seed in range(seeds):
            made = generate_scan(seed, Path(folder) / f"s{seed}")
            wanted = [t.agency for t in made.truth] + [
                f"{t.count:,}" for t in made.truth if t.count is not None
            ]
            images: list[Image.Image] = []
            for path in sorted(made.folder.rglob("*")):
                if path.suffix == ".pdf":
                    for page in pdfium.PdfDocument(path):
                        images.append(page.render(scale=DPI / 72, grayscale=True).to_pil())
                elif path.is_file():
                    images.extend(frame for frame, _ in image_frames(path, path.name))
            yield images, wanted


def screenshots() -> Iterator[tuple[list[Image.Image], list[str]]]:
    """The Eugene screenshots with the names of the human transcription."""
    names = [
        line.split(",")[0].strip('"')
        for line in (SCREENSHOTS / "reference_list_human.csv").read_text().splitlines()[1:]
    ]
    images = [
        Image.open(p).convert("RGB")
        for p in sorted(SCREENSHOTS.iterdir())
        if p.suffix in (".png", ".jpeg")
    ]
    yield images, names


def found_share(text: str, wanted: list[str]) -> float:
    """Share of the wanted strings (names, counts) found in the text, case and spaces folded."""
    haystack = _fold(text)
    return sum(_fold(w) in haystack for w in wanted) / len(wanted) if wanted else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages_per_pdf", nargs="?", type=int, default=2)
    parser.add_argument("scan_seeds", nargs="?", type=int, default=6)
    args = parser.parse_args()
    limit, seeds = args.pages_per_pdf, args.scan_seeds
    if not CORPUS.exists():
        print(f"corpus {CORPUS} is absent")
        return 1
    rapid = rapidocr_reader()
    engines: dict[str, Callable[[Image.Image], str]] = {
        "foialog": foialog_text,
        "tesseract": tesseract_text,
    }
    if rapid is not None:
        engines["rapidocr"] = rapid
    cpu = dict.fromkeys(engines, 0.0)
    pages = 0
    for name, image in corpus_pages(limit):
        pages += 1
        for engine, read in engines.items():
            _, seconds = _timed(read, image)
            cpu[engine] += seconds
        print(f"  {name:48s} " + "  ".join(f"{e} {cpu[e]:6.1f}" for e in engines), flush=True)
    print(f"\ncorpus scans: {pages} pages; pages per CPU-second:")
    for engine in engines:
        print(f"  {engine:10s} {pages / cpu[engine]:.3f}")
    print(f"  foialog / bare tesseract: {cpu['tesseract'] / cpu['foialog']:.2f}")

    for label, documents in (
        (f"degraded scans, {seeds} seeds", scan_seeds(seeds)),
        ("corpus screenshots", screenshots()),
    ):
        share = dict.fromkeys(engines, 0.0)
        spent = dict.fromkeys(engines, 0.0)
        n = pages = 0
        for images, wanted in documents:
            n += 1
            pages += len(images)
            for engine, read in engines.items():
                texts = [_timed(read, image) for image in images]
                share[engine] += found_share("\n".join(t for t, _ in texts), wanted)
                spent[engine] += sum(c for _, c in texts)
        print(f"\n{label} ({pages} pages): share of names and counts found, CPU-s per page")
        for engine in engines:
            accuracy = share[engine] / n if n else 0.0
            per_page = spent[engine] / pages if pages else 0.0
            print(
                f"  {engine:10s} found {accuracy:.3f}  {per_page:5.1f} CPU-s/page  "
                f"found per CPU-second {accuracy / per_page if per_page else 0:.4f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
