"""OCR seconds per page on the corpus scans and screenshots, one page after another.

    .venv/bin/python bench/ocr_speed.py [PAGES_PER_PDF]

Prints, per document: pages, seconds per page (render + deskew + rules + Tesseract), words
per page and mean word confidence. One process, one Tesseract at a time, so the figure is
per core; `foialog run` spreads pages over every core. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from extract.ocr import OcrPage, ocr_image
from extract.ocr_pages import ocr_pdf_page

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SCREENSHOTS = CORPUS / "eugene-flock-sharing-screenshots"
PDFS = (
    CORPUS / "eugene-prr-log-imageonly" / "EPD-2025-4537_report_JustFlockALPR_redacted.pdf",
    CORPUS / "eugene-surveillance-inventory-scan" / "DOC102825-10282025103848.pdf",
    CORPUS / "irvine-vigilant-2020-scan" / "irvine-pd-2020-vigilant-data-sharing_doc0.pdf",
)


def _line(name: str, pages: list[OcrPage], seconds: float) -> str:
    words = sum(len(p.words) for p in pages)
    confidence = sum(p.confidence * len(p.words) for p in pages) / words if words else 0.0
    return (
        f"{name[:48]:48s} pages {len(pages):3d}  {seconds / len(pages):5.1f} s/page  "
        f"{words / len(pages):6.0f} words/page  confidence {confidence:.2f}"
    )


def main() -> int:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    if not CORPUS.exists():
        print(f"corpus {CORPUS} is absent")
        return 1
    images = sorted(p for p in SCREENSHOTS.iterdir() if p.suffix in (".png", ".jpeg"))
    started = time.perf_counter()
    pages = [ocr_image(Image.open(p)) for p in images]
    print(_line("eugene-flock-sharing-screenshots", pages, time.perf_counter() - started))
    for path in PDFS:
        if not path.exists():
            continue
        document = pdfium.PdfDocument(path)
        started = time.perf_counter()
        pages = [ocr_pdf_page(document[i]) for i in range(min(limit, len(document)))]
        print(_line(path.parent.name, pages, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
