"""A generated 50 MB mbox through the pipeline in one process: time and peak memory.

Each message has a short prose body and a 100 KB binary attachment, so the bytes are in the
container, not in records. Run: .venv/bin/python bench/mbox_memory.py [MEGABYTES]
"""

from __future__ import annotations

import mailbox
import os
import resource
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from foialog.pipeline import run

BODY = "Hello,\n\nThe Royal Canadian Mounted Police ran {n} searches last month.\n\nRegards\n"


def write_mbox(path: Path, megabytes: int) -> int:
    """Write an mbox of about ``megabytes`` MB; return the number of messages."""
    box = mailbox.mbox(path)
    count = 0
    size = 0
    while size < megabytes * 2**20:
        count += 1
        message = EmailMessage()
        message["From"] = "a@example.org"
        message["Date"] = "Sat, 18 Jan 2020 10:00:00 +0000"
        message["Subject"] = f"update {count}"
        message.set_content(BODY.format(n=count))
        payload = os.urandom(75_000)
        message.add_attachment(
            payload, maintype="application", subtype="octet-stream", filename=f"blob{count}.bin"
        )
        box.add(message)
        box.flush()
        size = path.stat().st_size
    box.close()
    return count


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dump.mbox"
        started = time.perf_counter()
        n = write_mbox(path, megabytes)
        size = path.stat().st_size / 2**20
        print(f"wrote {size:.1f} MiB, {n} messages in {time.perf_counter() - started:.1f} s")
        # Warm up the imports and the language model on a tiny file first, so the figure below
        # is what the mailbox adds, not what loading spaCy costs.
        small = Path(tmp) / "small.mbox"
        write_mbox(small, 1)
        run(small, settings={"workers": 0, "cache": False})
        before = peak_mib()
        started = time.perf_counter()
        result = run(path, settings={"workers": 0, "cache": False})
        seconds = time.perf_counter() - started
        after = peak_mib()
    print(f"{len(result.documents)} documents, {len(result.records)} records in {seconds:.1f} s")
    print(
        f"peak RSS {after:.0f} MiB (after warm-up {before:.0f} MiB; the mbox added "
        f"{after - before:.0f} MiB for a {size:.0f} MiB file)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
