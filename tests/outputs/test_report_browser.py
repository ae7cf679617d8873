"""report.html in headless Chromium: no console errors, no network, every evidence link resolves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import foialog
from foialog.decisions import read_verifications, with_current_values
from foialog.export import read_tables, run_info
from foialog.report import build_report
from foialog.sample import write_sample
from tests.outputs.test_report import scan_count, scan_pdf, with_scan_record

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

CHROMIUM = Path("/usr/bin/chromium")
#: Flags for a sandbox-less container with no network use of Chromium's own.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

pytestmark = pytest.mark.browser

# Run in the page: every in-page link's target and every image, as the browser sees them.
CHECK_PAGE = """() => {
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  const broken = links.filter(h => !h.startsWith('#') || !document.getElementById(h.slice(1)));
  const images = [...document.images];
  return {
    links: links.length,
    broken: broken,
    images: images.length,
    unloaded: images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt),
    svgs: document.querySelectorAll('svg').length,
  };
}"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of a run on the sample leak plus a generated scan with one boxed record."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run `make system` (apt-get install chromium)")
    base = tmp_path_factory.mktemp("browser")
    manifest = write_sample(base / "sample", seed=2)
    # A file that cannot be read: the report must make its failure stand out.
    (manifest.leak_dir / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    out = base / "out"
    foialog.run([manifest.leak_dir], out)
    tables = read_tables(out)
    count = scan_count(tables)
    scan_pdf(manifest.leak_dir / "scan.pdf", count)
    tables = with_scan_record(tables, "scan.pdf", count)
    first = tables["records"].iloc[0]
    (out / "verifications.csv").write_text(
        "record_id,verdict,source_file,page,row,agency_raw,count_raw,date_raw,note,at\n"
        f'r-scan-1,verified,scan.pdf,1,7,Scanned County Sheriff,"{count:,}",10/01/2019,'
        "compared with the scan,2026-01-02T10:00:00+00:00\n"
        f"{first['record_id']},wrong,{first['source_file']},,{first['row']},x,y,z,a fee,\n"
    )
    verdicts = with_current_values(read_verifications(out), tables["records"])
    html = build_report(tables, run_info(out), inputs=[manifest.leak_dir], verifications=verdicts)
    path = out / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_report_renders_offline_without_errors_and_links_resolve(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri(), wait_until="load", timeout=30_000)
            found = page.evaluate(CHECK_PAGE)
            # Follow one evidence link the way a reader would.
            page.click("a[href^='#ev-ag-scan']", timeout=10_000)
            target = page.evaluate("() => location.hash")
            visible = page.locator(f"{target} img").first.is_visible()
            screenshot = report.with_name("report.png")
            page.goto(report.as_uri(), wait_until="load", timeout=30_000)
            page.screenshot(path=str(screenshot), full_page=True, timeout=30_000)
        finally:
            browser.close()
    assert errors == []
    # Only the file itself and its inline images: nothing fetched from anywhere.
    assert {r.split(":", 1)[0] for r in requests} <= {"file", "data"}
    assert found["broken"] == []
    assert found["links"] > 30
    assert found["images"] >= 1
    assert found["unloaded"] == []
    assert found["svgs"] >= 3
    assert target == "#ev-ag-scan-searches"
    assert visible
    assert screenshot.stat().st_size > 50_000
    with capsys.disabled():
        print(f"\nreport.html {report.stat().st_size:,} bytes; screenshot {screenshot}")


#: In the page: how far the page is wider than the window, and the colours a reader sees.
MEASURE = """() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  alert: getComputedStyle(document.querySelector('#failures .alert')).borderLeftColor,
  failedRow: getComputedStyle(
    document.querySelector('#documents tr.status-partial, #documents tr.status-failed')
  ).backgroundColor,
  warnCard: getComputedStyle(document.querySelector('.card.warn .value')).color,
  fieldsRight: Math.max(...[...document.querySelectorAll('.fields dd')].map(
    d => d.getBoundingClientRect().right)),
  checked: document.querySelectorAll('#checked tbody tr').length,
})"""


def test_report_reads_at_390_and_1280_px_and_failures_stand_out(report: Path) -> None:
    # Kept where FOIALOG_SCREENSHOTS says, to be looked at; beside the report otherwise.
    shots = Path(os.environ.get("FOIALOG_SCREENSHOTS", report.parent / "screens"))
    shots.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            for width in (390, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(report.as_uri(), wait_until="load", timeout=30_000)
                seen[width] = page.evaluate(MEASURE)
                page.screenshot(path=str(shots / f"report-{width}.png"), timeout=30_000)
                for part in ("failures", "checked", "evidence"):
                    page.locator(f"#{part}").scroll_into_view_if_needed()
                    page.screenshot(path=str(shots / f"report-{part}-{width}.png"))
                page.close()
        finally:
            browser.close()
    red = "rgb(180, 35, 24)"  # --warn
    for width, found in seen.items():
        assert found["overflow"] <= 1, (width, found)  # nothing cut off on the right
        assert found["fieldsRight"] <= width, (width, found)  # every evidence cell in view
        assert found["alert"] == red
        assert found["warnCard"] == red
        assert found["failedRow"] == "rgb(253, 236, 234)"
        assert found["checked"] == 2
    assert len(list(shots.glob("report-*.png"))) == 8
