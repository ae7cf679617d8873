"""Outlook .msg files end to end: body, every attachment as "X.msg > name", damaged files.

figures.msg is written by tests/readers/fixtures/msg/make_figures_msg.py, whose constants are the
truth; outer.msg is a real Outlook message with an embedded message (msg-parser's test file).
See tests/readers/fixtures/README.md for where each came from.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pandas as pd
import pytest

from foialog.extract.readers.containers import ContainerLimits, iter_members, read_msg
from foialog.pipeline import Result, run
from tests.readers.fixtures.msg.make_figures_msg import BODY, CSV_ROWS, SENT, SUBJECT, XLSX_ROWS

FIXTURES = Path(__file__).parent / "fixtures" / "msg"
FIGURES = FIXTURES / "figures.msg"
OUTER = FIXTURES / "outer.msg"
OTHER_CSV = b"Agency,Searches,Date\nEuropol,5,2019-10-01\n"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Result:
    """One run over a folder of .msg files, a damaged one, a zipped one and a plain CSV."""
    folder = tmp_path_factory.mktemp("mail")
    shutil.copy(FIGURES, folder / "figures.msg")
    shutil.copy(OUTER, folder / "outer.msg")
    data = FIGURES.read_bytes()
    (folder / "broken.msg").write_bytes(data[: len(data) // 2])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mail/figures.msg", data)
    (folder / "bundle.zip").write_bytes(buffer.getvalue())
    (folder / "others.csv").write_bytes(OTHER_CSV)
    # The zipped copy's attachments repeat the loose ones' tables: read both, to check both.
    return run(folder, settings={"keep_duplicates": True})


def _documents(result: Result) -> dict[str, dict[str, object]]:
    return {row["source_file"]: row for row in result.documents.to_dict("records")}


def _records(result: Result, source_file: str) -> pd.DataFrame:
    records = result.records
    return records[records["source_file"] == source_file]


def test_every_message_and_attachment_has_a_documents_row(batch: Result) -> None:
    docs = _documents(batch)
    expected = {
        "figures.msg": "msg",
        "figures.msg > clients.xlsx": "xlsx",
        "figures.msg > requests.csv": "csv",
        "outer.msg": "msg",
        "outer.msg > attached message 1": "eml",
        "broken.msg": "msg",
        "bundle.zip": "zip",
        "bundle.zip > mail/figures.msg": "msg",
        "bundle.zip > mail/figures.msg > clients.xlsx": "xlsx",
        "bundle.zip > mail/figures.msg > requests.csv": "csv",
        "others.csv": "csv",
    }
    assert {name: row["detected_type"] for name, row in docs.items()} == expected
    assert [name for name, row in docs.items() if row["status"] != "ok"] == ["broken.msg"]
    for outer in ("figures.msg", "bundle.zip > mail/figures.msg"):
        assert docs[f"{outer} > clients.xlsx"]["n_records"] == len(XLSX_ROWS)
        assert docs[f"{outer} > requests.csv"]["n_records"] == len(CSV_ROWS)
    assert f"sent {SENT.date().isoformat()}" in str(docs["figures.msg"]["notes"])


def test_attachment_records_carry_the_message_in_their_provenance(batch: Result) -> None:
    xlsx = _records(batch, "figures.msg > clients.xlsx")
    got = {(r.agency_raw, r.count, r.date, r.sheet, r.row) for r in xlsx.itertuples()}
    want = {
        (agency, count, day.isoformat(), "Searches", row)
        for row, (agency, count, day) in enumerate(XLSX_ROWS, start=2)
    }
    assert got == want
    csv = _records(batch, "figures.msg > requests.csv")
    got = {(r.agency_raw, r.count, r.date, r.row) for r in csv.itertuples()}
    assert got == {(a, n, d, row) for row, (a, n, d) in enumerate(CSV_ROWS, start=2)}
    zipped = _records(batch, "bundle.zip > mail/figures.msg > clients.xlsx")
    assert sorted(zipped["agency_raw"]) == sorted(a for a, _, _ in XLSX_ROWS)


def test_body_prose_is_dated_by_the_sent_date(batch: Result) -> None:
    assert "Ontario Provincial Police ran more than 300 searches last month" in BODY
    prose = _records(batch, "figures.msg")
    assert list(prose["method"]) == ["prose"]
    row = prose.iloc[0]
    assert (row["agency_raw"], row["count"], row["count_qualifier"]) == (
        "Ontario Provincial Police",
        300,
        "at_least",
    )
    # "last month" counted from the message's sent date, 18 January 2020.
    assert (row["date"], row["date_raw"]) == ("2019-12", "last month")


def test_damaged_msg_is_a_failed_row_and_the_batch_goes_on(batch: Result) -> None:
    docs = _documents(batch)
    broken = docs["broken.msg"]
    assert broken["status"] == "failed"
    assert broken["n_records"] == 0
    error = str(broken["error"])
    assert error.startswith("broken.msg: cannot read the Outlook message")
    assert "export it from Outlook as .eml" in error
    assert list(_records(batch, "others.csv")["agency_raw"]) == ["Europol"]
    assert not any(name.startswith("broken.msg >") for name in docs)


def test_real_outlook_message_with_an_embedded_message(batch: Result) -> None:
    blocks = read_msg(OUTER, "outer.msg", None)
    assert [t.text.strip() for t in blocks.texts] == ["Outer body"]
    assert "subject: outer subject" in blocks.notes
    (member,) = iter_members(OUTER, "msg", name="outer.msg", limits=ContainerLimits())
    assert member.label == "attached message 1"
    assert member.data is not None
    inner = BytesParser(policy=policy.default).parsebytes(member.data)
    assert inner["Subject"] == "test"
    body = inner.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().strip() == "body"
    docs = _documents(batch)
    assert docs["outer.msg > attached message 1"]["status"] == "ok"
    assert docs["outer.msg"]["n_records"] == 0


def test_generated_message_reads_back() -> None:
    blocks = read_msg(FIGURES, "figures.msg", None)
    assert [t.text.strip() for t in blocks.texts] == [BODY.strip()]
    assert [t.document_date for t in blocks.texts] == [SENT.date().isoformat()]
    assert f"subject: {SUBJECT}" in blocks.notes
    members = list(iter_members(FIGURES, "msg", name="figures.msg", limits=ContainerLimits()))
    assert [m.label for m in members] == ["clients.xlsx", "requests.csv"]
    assert all(m.data for m in members)
    small = ContainerLimits(max_member_bytes=200)
    refused = {m.label: m.refused for m in iter_members(FIGURES, "msg", name="x", limits=small)}
    assert "over the limit of 200 bytes" in refused["clients.xlsx"]
    assert refused["requests.csv"] == ""  # 93 bytes


def test_msg_cut_to_its_first_sector_says_it_is_a_damaged_compound_file(tmp_path: Path) -> None:
    # Cut this short, the file is still a compound file by its first bytes but no longer an
    # Outlook message by its streams: the row must say damaged, not "convert it".
    (tmp_path / "cut.msg").write_bytes(FIGURES.read_bytes()[:600])
    (tmp_path / "ok.csv").write_text("Agency,Searches\nGarda Siochana,4\n")
    docs = _documents(run(tmp_path, tmp_path / "out", settings={"workers": 0}))
    cut = docs["cut.msg"]
    assert cut["status"] == "failed"
    assert "compound file" in str(cut["error"])
    assert "damaged" in str(cut["error"])
    assert str(cut["error"]).startswith("cut.msg: ")
    assert docs["ok.csv"]["status"] == "ok"
