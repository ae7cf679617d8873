"""The text-PDF sample kinds through the whole pipeline, scored against their truth."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest

from foialog.evaluate import row_mismatches, score
from foialog.pipeline import run
from foialog.sample.pdfs import LOG_PDF, PDF_FILES, REDACTED_PDF, write_pdfs

SEEDS = range(3)


def test_pdf_kinds_row_f1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records, truths = [], []
    documents = []
    for seed in SEEDS:
        leak = tmp_path / f"s{seed}" / "leak"
        leak.mkdir(parents=True)
        sample = write_pdfs(leak, seed)
        result = run(leak, tmp_path / f"s{seed}" / "out")
        frame = pd.read_csv(
            tmp_path / f"s{seed}" / "out" / "records.csv", dtype=str, keep_default_na=False
        )
        truth = pd.DataFrame([asdict(row) for row in sample.truth]).astype(str)
        frame["source_file"] = f"{seed}/" + frame["source_file"]
        truth["source_file"] = f"{seed}/" + truth["source_file"]
        records.append(frame)
        truths.append(truth)
        documents.append(result.documents.set_index("source_file"))
        review = pd.read_csv(tmp_path / f"s{seed}" / "out" / "review.csv", keep_default_na=False)
        hidden = review[review["kind"] == "hidden text"]
        assert len(hidden) >= 1  # the review queue starts with text left under a box
        assert review.index[review["kind"] == "hidden text"].max() < len(hidden)
        assert all(REDACTED_PDF in reason for reason in hidden["reason"])
    frame, truth = pd.concat(records), pd.concat(truths)
    scores = {s.kind: s for s in score(frame, truth)}
    by_file = {
        name: score(
            frame[frame["source_file"].str.endswith(name)],
            truth[truth["source_file"].str.endswith(name)],
        )[-1]
        for name in PDF_FILES
    }
    with capsys.disabled():
        print(f"\nText-PDF sample kinds, seeds {SEEDS.start}-{SEEDS.stop - 1}: row-level accuracy")
        print("  " + scores["pdf"].line())
        for name, s in by_file.items():
            print(f"    {name}: " + s.line().split(": ", 1)[1])
        wrong = row_mismatches(frame, truth)
        for _, row in wrong[wrong["problem"] != ""].head(10).iterrows():
            print(f"    {row['source_file']} p{row['page']} row {row['row']}: {row['problem']}")
    assert scores["pdf"].f1 >= 0.97, scores["pdf"].line()
    for doc in documents:
        assert set(doc["status"]) == {"ok"}
        # Careless redactions (text left under the box) are reported, never published.
        assert "text under redaction box" in doc.loc[REDACTED_PDF, "notes"]
        # The log's page and Bates numbers are furniture, its three pages one table.
        notes = doc.loc[LOG_PDF, "notes"]
        assert "table on pages 1-3: 90 rows" in notes
        assert "page furniture kept out of the rows: 3 lines" in notes  # one a page
    redacted = frame[frame["source_file"].str.endswith(REDACTED_PDF) & (frame["redacted"] != "")]
    assert len(redacted) == 5 * len(SEEDS)
    assert set(redacted["agency_raw"]) == {""}
