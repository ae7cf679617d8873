"""The sample leak's one entry point, write_sample: a fictional vendor's log and its truth."""

from __future__ import annotations

import random
from pathlib import Path

from foialog.sample.files import refuse_directory, write_file
from foialog.sample.sheets import LEAK_FILES, SHEET_BUILDERS
from foialog.sample.truth import TRUTH_FILE, SampleError, SampleManifest, truth_csv_bytes

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
        refuse_directory(path)
    # One generator per file, each seeded from the master, so files vary independently.
    master = random.Random(seed)
    built = [build(random.Random(master.getrandbits(64))) for build in SHEET_BUILDERS]
    truth = [row for _, rows in built for row in rows]
    mail: tuple[Path, ...] = ()
    if emails:
        # Imported here, like the writers below: the CLI imports this package at every start.
        from foialog.sample.mail import EMAIL_FILES, write_email_dump

        truth += write_email_dump(leak, random.Random(master.getrandbits(64)))
        mail = tuple(leak / name for name in EMAIL_FILES)
    paths = tuple(leak / name for name in LEAK_FILES)
    for path, (data, _) in zip(paths, built, strict=True):
        write_file(path, data)
    paths = (*paths, *mail)
    # Imported here: fpdf and the PDF reader load only when a sample is written.
    from foialog.sample.pdfs import write_pdfs

    pdfs = write_pdfs(leak, master.getrandbits(64))
    truth, paths = [*truth, *pdfs.truth], (*paths, *pdfs.files)
    if scans:
        # Imported here: PIL and numpy load only when scans are asked for.
        from foialog.sample.scans import write_scans

        scanned = write_scans(leak, master.getrandbits(64))
        truth, paths = [*truth, *scanned.truth], (*paths, *scanned.files)
    write_file(truth_csv, truth_csv_bytes(truth))
    return SampleManifest(leak_dir=leak, truth_csv=truth_csv, files=paths, n_rows=len(truth))
