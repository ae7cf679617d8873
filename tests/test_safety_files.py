"""One bad file never sinks a run (issue 15 items 5, 8, 9): each becomes a row, the rest is read."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from foialog.pipeline import run


def _table_pdf(password: str | None = None) -> bytes:
    """A one-page PDF table of agencies and counts (as tests/test_pdf_hostile.py draws it)."""
    pdf = FPDF(unit="pt", format="letter")
    if password is not None:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    rows = [("Agency", "Searches"), ("Metro Police Department", "120"), ("County Sheriff", "45")]
    rows += [(f"Town {k} Police Department", str(10 + k)) for k in range(6)]
    for i, (name, count) in enumerate(rows):
        pdf.set_xy(60, 80 + 16 * i)
        pdf.cell(text=name)
        pdf.set_xy(360, 80 + 16 * i)
        pdf.cell(text=count)
    return bytes(pdf.output())


def test_an_encrypted_pdf_read_with_its_password_gets_a_report_with_its_page(
    tmp_path: Path,
) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "locked.pdf").write_bytes(_table_pdf(password="s3cret"))
    out = tmp_path / "out"
    result = run(leak, out, settings={"workers": 0, "password": "s3cret"})
    assert len(result.records) == 8
    for name in ("report.html", "methodology.md", "run.json"):
        assert (out / name).is_file(), name
    report = (out / "report.html").read_text()
    assert "data:image/png;base64," in report  # the evidence crop opened it with the password
    assert "s3cret" not in report
    assert "page image not shown" not in report
    written = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in written if b"s3cret" in p.read_bytes()]
