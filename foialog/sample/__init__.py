"""The sample leak's one entry point, write_sample: a fictional vendor's log and its truth."""

from __future__ import annotations

import random
from pathlib import Path

from foialog.sample.files import _refuse_directory, _write
from foialog.sample.sheets import (
    LEAK_FILES,
    _eu_csv,
    _monthly_csv,
    _noheader_csv,
    _ods,
    _us_tsv,
    _xlsx,
)
from foialog.sample.truth import TRUTH_FILE, SampleError, SampleManifest, _truth_csv

# --- entry point --------------------------------------------------------------------------


def write_sample(
    directory: Path, *, seed: int = 0, emails: bool = False, scans: bool = False
) -> SampleManifest:
    """Write a synthetic leak to directory/leak and its ground truth to directory/truth.csv.

    ``emails`` adds an email dump (mbox with prose and attachments) and an audit log.
    ``scans`` adds the client table scanned, as a PNG and an image-only PDF (read by OCR).
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SampleError(f"seed {seed!r} is not an integer; pass an int such as seed=0")
    directory = Path(directory)
    leak = directory / "leak"
    for folder in (directory, leak):
        if folder.exists() and not folder.is_dir():
            raise SampleError(
                f"{folder} exists and is not a directory; remove it or pass another directory"
            )
    try:
        leak.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SampleError(
            f"cannot create {leak}: {exc.strerror}; check permissions or pass another directory"
        ) from exc
    truth_csv = directory / TRUTH_FILE
    # Check every target first so a refusal leaves no half-written sample behind.
    for path in (*(leak / name for name in LEAK_FILES), truth_csv):
        _refuse_directory(path)
    # One generator per file, each seeded from the master, so files vary independently.
    master = random.Random(seed)
    builders = (_xlsx, _eu_csv, _us_tsv, _ods, _noheader_csv, _monthly_csv)
    built = [build(random.Random(master.getrandbits(64))) for build in builders]
    truth = [row for _, rows in built for row in rows]
    if emails:
        # Imported here: sample_email builds on this module's registry and helpers.
        from foialog.sample.mail import write_email_dump

        truth += write_email_dump(leak, random.Random(master.getrandbits(64)))
    paths = tuple(leak / name for name in LEAK_FILES)
    for path, (data, _) in zip(paths, built, strict=True):
        _write(path, data)
    # Imported here: sample_pdf builds on this module's registry and truth rows.
    from foialog.sample.pdfs import write_pdfs

    pdfs = write_pdfs(leak, master.getrandbits(64))
    truth, paths = [*truth, *pdfs.truth], (*paths, *pdfs.files)
    if scans:
        # Imported here: sample_scan builds on this module's registry and truth rows.
        from foialog.sample.scans import write_scans

        scanned = write_scans(leak, master.getrandbits(64))
        truth, paths = [*truth, *scanned.truth], (*paths, *scanned.files)
    _write(truth_csv, _truth_csv(truth))
    return SampleManifest(leak_dir=leak, truth_csv=truth_csv, files=paths, n_rows=len(truth))
