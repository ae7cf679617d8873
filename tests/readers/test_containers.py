"""Containers: eml, mbox and zip members become their own documents, named "outer > inner"."""

from __future__ import annotations

import io
import mailbox
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import pandas as pd
import pytest

from foialog.evaluate import score
from foialog.extract.readers.containers import ContainerLimits, iter_members, safe_label
from foialog.pipeline import run
from foialog.sample import write_sample

CSV = b"Agency,Searches,Date\nEuropol,12,2019-11-03\nRCMP,40,2019-11-04\n"
BODY = (
    "Hi,\n\nThe Royal Canadian Mounted Police ran more than 300 searches last month.\n\nRegards\n"
)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _email(attachments: dict[str, bytes], date: str = "Sat, 18 Jan 2020 10:00:00 +0000") -> bytes:
    message = EmailMessage()
    message["From"] = "a@example.org"
    message["To"] = "b@example.org"
    message["Subject"] = "figures"
    message["Date"] = date
    message.set_content(BODY)
    for name, data in attachments.items():
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def _documents(result: object) -> dict[str, dict[str, object]]:
    frame: pd.DataFrame = result.documents  # type: ignore[attr-defined]
    return {row["source_file"]: row for row in frame.to_dict("records")}


def test_eml_body_attachments_and_nested_zip(tmp_path: Path) -> None:
    # Another table than the attached one: the same rows twice would be counted once.
    other = CSV.replace(b"12", b"13")
    inner = _zip({"inner/list.csv": other, "../../escape.csv": CSV, "/etc/abs.csv": CSV})
    path = tmp_path / "note.eml"
    path.write_bytes(_email({"clients.csv": CSV, "bundle.zip": inner}))
    result = run(path)
    docs = _documents(result)
    assert docs["note.eml"]["status"] == "ok"
    assert docs["note.eml > clients.csv"]["n_records"] == 2
    assert docs["note.eml > bundle.zip > inner/list.csv"]["n_records"] == 2
    for bad in ("../../escape.csv", "/etc/abs.csv"):
        row = docs[f"note.eml > bundle.zip > {bad}"]
        assert row["status"] == "skipped"
        assert "path traversal" in str(row["error"])
    records = result.records
    prose = records[records["method"] == "prose"]
    assert list(prose["agency_raw"]) == ["Royal Canadian Mounted Police"]
    assert (prose["count"].iloc[0], prose["count_qualifier"].iloc[0]) == (300, "at_least")
    assert prose["date"].iloc[0] == "2019-12"  # "last month" against the Date header
    assert set(records["source_file"]) >= {"note.eml > clients.csv", "note.eml"}


def test_mbox_messages_are_numbered(tmp_path: Path) -> None:
    path = tmp_path / "dump.mbox"
    box = mailbox.mbox(path)
    for attachments in ({}, {"clients.csv": CSV}):
        box.add(_email(attachments))
    box.close()
    docs = _documents(run(path))
    assert docs["dump.mbox"]["detected_type"] == "mbox"
    assert docs["dump.mbox > message 2 > clients.csv"]["n_records"] == 2
    assert docs["dump.mbox > message 1"]["n_records"] == 1


def test_depth_limit(tmp_path: Path) -> None:
    data = CSV
    for level in range(5):
        data = _zip({f"level{level}.zip" if level else "list.csv": data})
    (tmp_path / "deep.zip").write_bytes(data)
    settings = {"max_depth": 2}
    docs = _documents(run(tmp_path / "deep.zip", settings=settings))
    partial = [d for d in docs.values() if d["status"] == "partial"]
    assert len(partial) == 1
    assert "nested deeper than 2" in str(partial[0]["error"])
    assert not any(d["n_records"] for d in docs.values())


def test_size_limit(tmp_path: Path) -> None:
    big = b"Agency,Searches\n" + b"Europol,1\n" * 150_000  # 1.5 MB
    (tmp_path / "big.zip").write_bytes(_zip({"big.csv": big, "small.csv": CSV}))
    settings = {"max_member_mb": 1}
    docs = _documents(run(tmp_path / "big.zip", settings=settings))
    assert docs["big.zip > big.csv"]["status"] == "skipped"
    assert "over the limit of 1,048,576 bytes" in str(docs["big.zip > big.csv"]["error"])
    assert docs["big.zip > small.csv"]["n_records"] == 2


def test_lying_zip_header_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(_zip({"x.csv": b"0" * 5000}))
    limits = ContainerLimits(max_member_bytes=1000)
    (member,) = iter_members(path, "zip", name="a.zip", limits=limits)
    assert member.data is None
    assert "over the limit" in member.refused


def test_safe_label() -> None:
    assert safe_label("a/./b.csv") == "a/b.csv"
    assert safe_label("a\\..\\..\\b.csv") is None
    assert safe_label("C:/x.csv") is None
    assert safe_label("") is None


def test_bad_container_is_a_failed_row(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    docs = _documents(run(path))
    assert docs["broken.zip"]["status"] in ("failed", "partial")
    assert "broken.zip" in str(docs["broken.zip"]["error"])


def test_docx_and_html(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Europol ran 75 searches in December 2019.")
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Agency", "Searches"), ("Interpol", "320"), ("RCMP", "9")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    document.save(str(tmp_path / "memo.docx"))
    (tmp_path / "page.html").write_text(
        "<html><body><p>The FBI ran 12 searches in March 2019.</p><table>"
        "<tr><th>Agency</th><th>Searches</th></tr><tr><td>NYPD</td><td>1,204</td></tr>"
        "<tr><td colspan=2></td></tr><tr><td>LAPD</td><td>88</td></tr></table></body></html>"
    )
    records = run(tmp_path).records
    got = {(r.source_file, r.method, r.agency_raw, r.count, r.row) for r in records.itertuples()}
    assert ("memo.docx", "table", "Interpol", 320, 2) in got
    assert ("memo.docx", "prose", "Europol", 75, 1) in got
    assert ("page.html", "table", "NYPD", 1204, 2) in got
    assert ("page.html", "table", "LAPD", 88, 4) in got
    assert ("page.html", "prose", "FBI", 12, 1) in got


def test_sample_email_dump_row_f1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records, truth = [], []
    for seed in range(4):
        manifest = write_sample(tmp_path / f"s{seed}", seed=seed, emails=True)
        found = run(manifest.leak_dir).records
        gold = pd.read_csv(manifest.truth_csv, dtype=str, keep_default_na=False)
        found = found.astype({"count": "string", "row": "string", "page": "string"}).fillna("")
        found["source_file"] = f"{seed}/" + found["source_file"]
        gold["source_file"] = f"{seed}/" + gold["source_file"]
        records.append(found)
        truth.append(gold)
    scores = {s.kind: s for s in score(pd.concat(records), pd.concat(truth))}
    with capsys.disabled():
        print("\nSample email dump and audit log, seeds 0-3 (prose matched as a multiset):")
        for kind in ("mbox", "log", "all"):
            print("  " + scores[kind].line())
    assert scores["mbox"].f1 >= 0.95, scores["mbox"].line()
    assert scores["log"].f1 == 1.0, scores["log"].line()
