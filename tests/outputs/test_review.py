"""`foialog review`: the app's guard, its decision files, and the whole loop in Chromium."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from starlette.testclient import TestClient

import foialog
from foialog.review import create_app, free_port
from foialog.review.workbench import ReviewError, Workbench

TOKEN = "test-token-0123456789"
BASE = "http://127.0.0.1:8765"


@pytest.fixture
def client(out: Path) -> TestClient:
    client = TestClient(create_app(out, TOKEN), base_url=BASE)
    assert client.get(f"/files?token={TOKEN}").status_code == 200
    return client


def test_every_request_needs_the_token(out: Path) -> None:
    bare = TestClient(create_app(out, TOKEN), base_url=BASE)
    for path in ("/files", "/records", "/agencies", "/queue", "/file?name=x"):
        assert bare.get(path).status_code == 403, path
    assert bare.get("/files?token=wrong").status_code == 403
    assert bare.post("/correct", data={"csrf": TOKEN}).status_code == 403


def test_other_hosts_and_origins_are_refused(client: TestClient, out: Path) -> None:
    # DNS rebinding: a page of evil.example resolving to 127.0.0.1 sends its own Host.
    assert client.get("/files", headers={"host": "evil.example"}).status_code == 400
    form = {"csrf": TOKEN, "action": "rename", "name": "Interpol", "value": "X"}
    for origin in ("http://evil.example", "http://127.0.0.1:9999", ""):
        headers = {"origin": origin} if origin else {}
        answer = client.post("/correct", data=form, headers=headers)
        assert answer.status_code == 403, origin
    answer = client.post("/correct", data={**form, "csrf": "nope"}, headers={"origin": BASE})
    assert answer.status_code == 403
    assert not (out / "corrections.csv").exists()


def test_no_path_outside_out_is_read_or_written(client: TestClient, out: Path) -> None:
    assert client.get("/file", params={"name": "../../etc/passwd"}).status_code == 404
    assert client.get("/evidence/..%2F..%2Fetc%2Fpasswd.png").status_code == 404
    assert client.get("/record/r-does-not-exist").status_code == 404
    before = sorted(p.name for p in out.parent.iterdir())
    client.post(
        "/hint",
        data={"csrf": TOKEN, "file": "../../x.csv", "column": "A", "role": "count"},
        headers={"origin": BASE},
    )
    assert sorted(p.name for p in out.parent.iterdir()) == before


def test_leak_text_is_escaped(out: Path) -> None:
    records = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
    records.loc[0, "agency_raw"] = "<script>alert(1)</script>"
    records.to_csv(out / "records.csv", index=False)
    client = TestClient(create_app(out, TOKEN), base_url=BASE)
    page = client.get(f"/records?token={TOKEN}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_workbench_writes_one_line_per_decision(out: Path) -> None:
    bench = Workbench(out)
    bench.add_hint({"file": "a.csv", "column": "Hits", "role": "count", "metric": "hits"})
    bench.add_correction("merge", "Interpol", "Europol", "test")
    record_id = str(bench.tables()["records"]["record_id"].iloc[0])
    bench.verify(record_id, "verified")
    assert (out / "hints.csv").read_text().splitlines() == [
        "file,sheet,pages,column,role,metric,date_order,header_row,skip_rows,note",
        "a.csv,,,Hits,count,hits,,,,",
    ]
    assert (out / "corrections.csv").read_text().splitlines() == [
        "action,name,value,note",
        "merge,Interpol,Europol,test",
    ]
    assert bench.verifications() == {record_id: "verified"}
    with pytest.raises(ReviewError, match="choose one of merge"):
        bench.add_correction("melt", "Interpol")
    with pytest.raises(ReviewError, match="is not in"):
        bench.verify("r-nope", "wrong")


CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.fixture
def server(out: Path) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        create_app(out, TOKEN), host="127.0.0.1", port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the review app did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def _first_difference(a: Path, b: Path) -> str:
    lines = zip(a.read_text().splitlines(), b.read_text().splitlines(), strict=False)
    for number, (x, y) in enumerate(lines):
        if x != y:
            return f"{a.name} line {number + 1}:\n fresh {x}\n app   {y}"
    return f"{a.name}: one file is longer"


@pytest.mark.browser
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_the_whole_loop_in_chromium_reproduced_by_a_fresh_run(
    server: str, out: Path, tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is absent: run `make system` (apt-get install chromium)")
    errors: list[str] = []
    outside: list[str] = []
    # Kept where FOIALOG_SCREENSHOTS says, to be looked at; in the test's folder otherwise.
    shots = Path(os.environ.get("FOIALOG_SCREENSHOTS", tmp_path / "screens"))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # A change re-runs foialog before the page answers: minutes on a loaded machine.
            page.set_default_timeout(180_000)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(
                "request",
                lambda r: None if r.url.startswith(server) else outside.append(r.url),
            )
            page.goto(f"{server}/files?token={TOKEN}")
            assert page.locator("#documents tr").count() > 5

            # 1. A file's count column: name what it counts (the headerless CSV's column 3).
            page.click("text=export_noheader.csv")
            form = page.locator("form.hint").first
            form.locator("select[name=column]").select_option("column 3")
            form.locator("select[name=role]").select_option("count")
            form.locator("input[name=metric]").fill("searches")
            form.locator("button").click()
            page.wait_for_load_state()
            assert page.locator("#message").count(), page.content()[:2000]
            assert "saved in hints.csv" in page.inner_text("#message")
            assert "count (searches)" in page.inner_text("td.role[data-column='column 3']")
            hinted = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
            mine = hinted[hinted["source_file"] == "export_noheader.csv"]
            assert set(mine["metric"]) == {"searches"}
            assert set(hinted.loc[hinted["source_file"] != "export_noheader.csv", "hints"]) == {""}

            # 2. Merge two agencies, 3. split one, through the corrections form.
            page.goto(f"{server}/agencies")
            for action, name, value in (
                ("merge", "Interpol", "Europol"),
                ("split", "PJ - Polícia Judiciária", ""),
            ):
                page.select_option("#correct select[name=action]", action)
                page.fill("#correct input[name=name]", name)
                page.fill("#correct input[name=value]", value)
                page.click("#correct button")
                page.wait_for_selector("#message")
                assert "saved in corrections.csv" in page.inner_text("#message")
            agencies = pd.read_csv(out / "agencies.csv", dtype=str, keep_default_na=False)
            merged = agencies[agencies["variants"].str.contains("Europol")]
            assert merged["variants"].str.contains("Interpol").any()
            records = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
            split = records[records["agency_raw"].isin(["PJ - Polícia Judiciária"])]
            rest = records[records["agency_raw"].isin(["Polícia Judiciária"])]
            assert set(split["agency_id"]).isdisjoint(set(rest["agency_id"]))
            assert page.locator("#agencies tr").count() > 3

            # 4. Mark a record verified.
            page.goto(f"{server}/records")
            page.locator("#records a[href^='/record/']").first.click()
            page.click("button[value=verified]")
            page.wait_for_selector("#verdict")
            footer = page.inner_text("#command")
            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                for view in ("files", "records", "agencies", "queue"):
                    page.goto(f"{server}/{view}")
                    page.screenshot(path=str(shots / f"{view}-{width}.png"), full_page=True)
                    overflow = page.evaluate(
                        "() => document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 1, (view, width, overflow)
        finally:
            browser.close()
    assert errors == []
    assert outside == []
    assert (out / "hints.csv").read_text().splitlines()[1:] == [
        "export_noheader.csv,,,column 3,count,searches,,,,"
    ]
    assert (out / "corrections.csv").read_text().splitlines()[1:] == [
        "merge,Interpol,Europol,",
        "split,PJ - Polícia Judiciária,,",
    ]
    verified = pd.read_csv(out / "verifications.csv", dtype=str)
    assert list(verified["verdict"]) == ["verified"]
    # The verdict is in report.html and methodology.md, written again after it was given.
    record_id = str(verified["record_id"].iloc[0])
    said = f"verified: record `{record_id}`"
    deadline = time.monotonic() + 120
    while said not in (out / "methodology.md").read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert said in (out / "methodology.md").read_text()
    html = (out / "report.html").read_text()
    assert f"<code>{record_id}</code>" in html[html.index('id="checked"') :]
    assert footer.startswith(f"foialog run {Workbench(out).inputs()[0]} -o {out}")
    assert f"--hints {out / 'hints.csv'} --corrections {out / 'corrections.csv'}" in footer
    # A fresh run on another folder with the three files gives the same tables, byte for byte.
    bench = Workbench(out)
    fresh = tmp_path / "fresh"
    foialog.run(
        bench.inputs(),
        fresh,
        settings={"hints": out / "hints.csv", "corrections": out / "corrections.csv"},
    )
    for name in ("records.csv", "agencies.csv"):
        assert (fresh / name).read_bytes() == (out / name).read_bytes(), _first_difference(
            fresh / name, out / name
        )
    assert len(list(shots.glob("*.png"))) == 8
