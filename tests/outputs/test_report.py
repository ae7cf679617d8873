"""report.html and methodology.md: numbers tied to evidence, page crops with the box drawn."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image, ImageDraw, ImageFont

import foialog
from foialog.errors import FoialogError
from foialog.export import Tables, read_tables, run_info, typed
from foialog.extract.record import RECORD_COLUMNS
from foialog.methodology import methodology
from foialog.report import build_report, write_report
from foialog.report.evidence import Box, crop_png, find_source
from foialog.sample import write_sample

#: Where the generated scan draws the row whose count is the evidence (PDF points).
ROW_BOX = Box(72.0, 300.0, 420.0, 318.0)


def scan_count(tables: Tables) -> int:
    """A count larger than any agency's searches, so the scanned row leads the top agencies."""
    data = tables["records"][tables["records"]["metric"] == "searches"]
    return int(data.groupby("agency_id")["count"].sum().max()) + 41_250


def scan_pdf(path: Path, count: int = 41_250) -> Path:
    """Write a one-page image-only PDF (a 'scan', 612x792 pt) of a table, one row at ROW_BOX."""
    page = Image.new("L", (612, 792), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=12)
    draw.text((72, 60), "Visage Metrics - client usage, October 2019", fill=0, font=font)
    rows = [("Agency", "Searches", "Date")] + [
        (f"County agency {n}", f"{n * 137:,}", f"10/{n:02d}/2019") for n in range(1, 14)
    ]
    for n, (agency, written, date) in enumerate(rows):
        top = 120 + 30 * n
        if top == ROW_BOX.top:
            agency, written, date = "Scanned County Sheriff", f"{count:,}", "10/01/2019"
        for x, text in ((ROW_BOX.x0 + 4, agency), (250, written), (340, date)):
            draw.text((x, top + 3), text, fill=0, font=font)
        draw.line((ROW_BOX.x0, top + 20, ROW_BOX.x1, top + 20), fill=170)
    # At 72 dpi one pixel is one PDF point, so the boxes above are in points too.
    page.save(path, "PDF", resolution=72.0)
    return path


def with_scan_record(tables: Tables, source_file: str, count: int) -> Tables:
    """Return tables with one OCR record of ``count`` searches on page 1 of ``source_file``."""
    row = dict.fromkeys(RECORD_COLUMNS, "")
    row |= {
        "record_id": "r-scan-1",
        "source_file": source_file,
        "page": "1",
        "row": "7",
        "bbox": f"{ROW_BOX.x0},{ROW_BOX.top},{ROW_BOX.x1},{ROW_BOX.bottom}",
        "method": "ocr",
        "agency_raw": "Scanned County Sheriff",
        "agency": "Scanned County Sheriff",
        "agency_id": "ag-scan",
        "country": "US",
        "count": str(count),
        "count_raw": f"{count:,}",
        "count_qualifier": "exact",
        "metric": "searches",
        "date": "2019-10-01",
        "date_raw": "10/01/2019",
        "extra": "{}",
        "confidence": "0.9",
        "row_type": "data",
    }
    records = pd.concat(
        [tables["records"], typed(pd.DataFrame([row]), "records")], ignore_index=True
    )
    agency = dict.fromkeys(tables["agencies"].columns, "")
    agency |= {"agency_id": "ag-scan", "agency": "Scanned County Sheriff", "country": "US"}
    agency |= {"n_records": "1", "variants": '["Scanned County Sheriff"]'}
    agencies = pd.concat(
        [tables["agencies"], typed(pd.DataFrame([agency]), "agencies")], ignore_index=True
    )
    doc = dict.fromkeys(tables["documents"].columns, "")
    doc |= {"source_file": source_file, "sha256": "f" * 64, "detected_type": "pdf"}
    doc |= {"pages": "1", "ocr_pages": "1", "status": "ok", "n_records": "1"}
    documents = pd.concat(
        [tables["documents"], typed(pd.DataFrame([doc]), "documents")], ignore_index=True
    )
    return {**tables, "records": records, "agencies": agencies, "documents": documents}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(leak folder, out folder) of a run on the sample leak, with a generated scan beside it."""
    base = tmp_path_factory.mktemp("report")
    manifest = write_sample(base / "sample", seed=5)
    out = base / "out"
    foialog.run([manifest.leak_dir], out)
    scan_pdf(manifest.leak_dir / "scan.pdf", scan_count(read_tables(out)))
    return manifest.leak_dir, out


def _pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _is_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 150 and g < 90 and b < 90


def test_crop_draws_the_box_around_the_row_on_the_rendered_page(tmp_path: Path) -> None:
    pdf = scan_pdf(tmp_path / "scan.pdf")
    image = _pixels(crop_png(pdf, 1, ROW_BOX))
    red = [
        (x, y)
        for x in range(image.width)
        for y in range(image.height)
        if _is_red(image.getpixel((x, y)))
    ]
    assert red, "no box drawn"
    xs, ys = [x for x, _ in red], [y for _, y in red]
    # The box is drawn around the row's text: dark pixels inside it, as on the scan.
    box = image.crop((min(xs) + 4, min(ys) + 4, max(xs) - 4, max(ys) - 4)).convert("L")
    assert box.getextrema()[0] < 80
    # The box has the row's shape (348 x 18 points, plus the pen), whatever the crop's scale.
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert 14 < width / height < 22
    # The crop keeps neighbouring rows for context but not the whole page.
    assert image.height < image.width / 2


def test_crop_of_an_image_file_and_bad_boxes(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    Image.new("RGB", (400, 300), "white").save(png)
    assert _pixels(crop_png(png, 1, Box(10, 10, 100, 30))).width > 0
    # A 144-dpi scan: boxes are in points, two pixels each, as the OCR reader gives them.
    scan = Image.new("RGB", (1224, 1584), "white")
    ImageDraw.Draw(scan).rectangle((200, 600, 840, 636), fill="black")
    scan.save(tmp_path / "scan.png", dpi=(144, 144))
    crop = _pixels(crop_png(tmp_path / "scan.png", 1, Box(100, 300, 420, 318)))
    red = [x for x in range(crop.width) if _is_red(crop.getpixel((x, crop.height // 2)))]
    dark = [x for x in range(crop.width) if max(crop.getpixel((x, crop.height // 2))) < 60]
    assert red
    assert dark
    assert min(red) < min(dark) < max(dark) < max(red)
    with pytest.raises(FoialogError, match="page 3 does not exist"):
        crop_png(scan_pdf(tmp_path / "scan.pdf"), 3, ROW_BOX)
    with pytest.raises(FoialogError, match="lies outside page"):
        crop_png(png, 1, Box(10, 900, 100, 950))
    with pytest.raises(FoialogError, match="not four numbers"):
        Box.parse("1,2,3")


def test_find_source_under_each_input_and_never_inside_containers(tmp_path: Path) -> None:
    (tmp_path / "leak" / "sub").mkdir(parents=True)
    target = tmp_path / "leak" / "sub" / "a.pdf"
    target.write_bytes(b"%PDF-1.4")
    assert find_source("sub/a.pdf", [tmp_path / "other", tmp_path / "leak"]) == target
    assert find_source("a.pdf", [target]) == target
    assert find_source("dump.mbox > message 2 > a.pdf", [tmp_path / "leak"]) is None
    assert find_source("missing.pdf", [tmp_path / "leak"]) is None


def test_every_number_links_to_evidence_that_exists(sample_run: tuple[Path, Path]) -> None:
    _leak, out = sample_run
    html = (out / "report.html").read_text()
    anchors = set(re.findall(r'id="([^"]+)"', html))
    links = re.findall(r'href="#([^"]*)"', html)
    assert len(links) > 30
    assert set(links) <= anchors
    # Each top agency's total is the sum of the records shown or counted under it.
    tables = read_tables(out)
    records = tables["records"]
    searches = records[
        (records["metric"] == "searches")
        & (records["agency_id"] != "")
        & (records["row_type"] == "data")
    ]
    top = searches.groupby("agency_id")["count"].sum().idxmax()
    total = int(searches.groupby("agency_id")["count"].sum().max())
    assert f'<a href="#ev-{top}-searches">{total:,}</a>' in html
    row = searches[searches["agency_id"] == top].sort_values("count").iloc[-1]
    block = html[html.index(f'id="ev-{top}-searches"') :]
    block = block[: block.index("back to the totals")]
    assert f"<dd>{row['count_raw']}</dd>" in block
    assert f"<dd>{row['row']}</dd>" in block


def test_report_is_self_contained_and_escapes_leaked_text(sample_run: tuple[Path, Path]) -> None:
    leak, out = sample_run
    tables = read_tables(out)
    hostile = tables["records"].copy()
    hostile.loc[0, "agency_raw"] = "<script>alert(1)</script>"
    html = build_report({**tables, "records": hostile}, run_info(out), inputs=[leak])
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html  # no JavaScript at all
    assert html.count("<svg") >= 3


def test_scan_record_evidence_shows_the_page_crop(sample_run: tuple[Path, Path]) -> None:
    leak, out = sample_run
    tables = read_tables(out)
    count = scan_count(tables)
    tables = with_scan_record(tables, "scan.pdf", count)
    html = build_report(tables, run_info(out), inputs=[leak])
    block = html[html.index('id="ev-ag-scan-searches"') :]
    block = block[: block.index("back to the totals")]
    assert "scan.pdf · page 1 · row 7 · box 72.0,300.0,420.0,318.0" in block
    uri = re.search(r'src="data:image/png;base64,([^"]+)"', block)
    assert uri is not None
    image = _pixels(base64.b64decode(uri.group(1)))
    assert any(_is_red(image.getpixel((x, image.height // 2))) for x in range(image.width))
    # The scan's single record is the top agency by searches, so its number leads the table.
    assert f'<a href="#ev-ag-scan-searches">{count:,}</a>' in html
    missing = build_report(tables, run_info(out), inputs=[out])
    assert "the source file was not found beside the run" in missing


def test_methodology_names_inputs_hashes_merges_and_limits(sample_run: tuple[Path, Path]) -> None:
    _leak, out = sample_run
    text = (out / "methodology.md").read_text()
    tables = read_tables(out)
    for name, digest in zip(
        tables["documents"]["source_file"], tables["documents"]["sha256"], strict=True
    ):
        assert f"`{name}` (" in text  # a code span: a name from the leak plants no Markdown
        assert digest in text
    merged = tables["agencies"][tables["agencies"]["variants"].str.count('",') > 0]
    assert f"{len(merged):,} of {len(tables['agencies']):,} agencies were formed" in text
    assert "No reporter's correction was applied" in text
    corrected = tables["agencies"].copy()
    corrected.loc[0, "corrections"] = "rename: ICPO-INTERPOL -> INTERPOL"
    with_lines = methodology({**tables, "agencies": corrected}, run_info(out)).markdown()
    assert "(1 applied, 0 that matched nothing" in with_lines
    assert "rename: ICPO-INTERPOL -> INTERPOL" in with_lines
    assert "## Known limits" in text
    with_ocr = methodology(
        with_scan_record(tables, "scan.pdf", scan_count(tables)), run_info(out)
    ).markdown()
    pages = int(tables["documents"]["pages"].fillna(0).sum()) + 1
    ocr_pages = int(tables["documents"]["ocr_pages"].fillna(0).sum()) + 1
    assert f"{ocr_pages} of {pages} page(s) had no usable text layer" in with_ocr
    assert "`scan.pdf`: 1 of 1 page(s)" in with_ocr


def test_write_report_rebuilds_from_an_existing_run(sample_run: tuple[Path, Path]) -> None:
    leak, out = sample_run
    written = write_report(out, inputs=[leak])
    assert [p.name for p in written] == ["report.html", "methodology.md"]
    assert "run.json" not in {p.name for p in written}
    assert (out / "run.json").exists()


def test_counts_that_name_no_agency_get_no_empty_chart(sample_run: tuple[Path, Path]) -> None:
    leak, out = sample_run
    tables = read_tables(out)
    anonymous = tables["records"].assign(agency_id="", agency="", agency_raw="")
    html = build_report({**tables, "records": anonymous}, run_info(out), inputs=[leak])
    assert "No counted record names an agency." in html
    assert 'id="top-' not in html
    data = anonymous[(anonymous["row_type"] == "data") & (anonymous["metric"] == "searches")]
    total = int(data["count"].sum())
    assert f'<a class="card" href="#ev-metric-searches"><div class="value">{total:,}</div>' in html
