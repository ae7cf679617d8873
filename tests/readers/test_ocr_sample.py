"""The scanned sample kinds (PNG and image-only PDF) through the whole pipeline, scored."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from foialog.evaluate import row_mismatches, score
from foialog.pipeline import run
from foialog.sample import write_sample
from foialog.sample.scans import SCAN_FILES


def test_scanned_kinds_row_f1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_sample(tmp_path, seed=5, scans=True)
    result = run([manifest.leak_dir / name for name in SCAN_FILES], tmp_path / "out")
    records = pd.read_csv(tmp_path / "out" / "records.csv", dtype=str, keep_default_na=False)
    truth = pd.read_csv(manifest.truth_csv, dtype=str, keep_default_na=False)
    truth = truth[truth["source_file"].isin(SCAN_FILES)]
    scores = {s.kind: s for s in score(records, truth)}
    documents = result.documents.set_index("source_file")
    with capsys.disabled():
        print("\nScanned sample kinds (OCR): row-level accuracy")
        for s in scores.values():
            print("  " + s.line())
        wrong = row_mismatches(records, truth)
        for _, row in wrong[wrong["problem"] != ""].iterrows():
            print(
                f"    {row['source_file']} row {row['row']}: {row['problem']} "
                f"({row['agency_raw_truth']!r} read {row['agency_raw_pred']!r})"
            )
        for name in SCAN_FILES:
            print(f"  {name}: {documents.loc[name, 'seconds']:.1f} s")
    assert scores["png"].f1 >= 0.90, scores["png"].line()
    assert scores["pdf"].f1 >= 0.90, scores["pdf"].line()
    assert list(documents.loc[list(SCAN_FILES), "ocr_pages"]) == [1, 1]
    ocr = records[records["method"] == "ocr"]
    assert len(ocr) == len(records)
    assert ocr["bbox"].str.fullmatch(r"[\d.]+,[\d.]+,[\d.]+,[\d.]+").all()
    redacted = ocr[ocr["redacted"] != ""]
    assert len(redacted) == 2  # the one boxed agency, in each file
    assert (redacted["agency_raw"] == "").all()


def test_write_sample_adds_the_scans_only_when_asked(tmp_path: Path) -> None:
    plain = write_sample(tmp_path / "plain", seed=1)
    with_scans = write_sample(tmp_path / "scans", seed=1, scans=True)
    names = [p.name for p in with_scans.files]
    assert names == [p.name for p in plain.files] + list(SCAN_FILES)
    truth = pd.read_csv(with_scans.truth_csv, dtype=str, keep_default_na=False)
    assert set(truth["source_file"]) >= set(SCAN_FILES)
    assert with_scans.n_rows == plain.n_rows + 2 * 22
    again = write_sample(tmp_path / "again", seed=1, scans=True)
    for a, b in zip(with_scans.files, again.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
