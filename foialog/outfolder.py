"""The output folder: whose it is, who is writing to it, and how outputs land there whole."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Sequence, Set
from contextlib import contextmanager
from pathlib import Path

from foialog.errors import FoialogError
from foialog.extract.walk import OUTPUT_MARKER, is_output_folder
from foialog.version import __version__

#: The lock file a run holds (flock) while it reads and writes OUT.
LOCK = ".foialog.lock"
#: Outputs are written into a folder of this prefix in OUT, then renamed into place.
STAGING_PREFIX = ".foialog-staging-"

#: Lock files this process holds, closed in worker processes that inherit them by fork.
_held: list[int] = []


def check_out(out: Path, inputs: Sequence[Path], *, force: bool = False) -> None:
    """Refuse an output folder that holds the inputs, or holds files foialog did not write.

    An output folder inside an input folder is fine: the walk never reads it.
    """
    if out.exists() and not out.is_dir():
        raise FoialogError(f"output folder {out} is a file; choose a folder with -o")
    real_out = os.path.realpath(out)
    for item in inputs:
        real = os.path.realpath(item)
        if real == real_out or real.startswith(real_out.rstrip(os.sep) + os.sep):
            raise FoialogError(
                f"output folder {out} holds the input {item}: foialog never writes among the "
                "files it reads; choose an -o outside the inputs"
            )
    if not out.is_dir() or force or is_output_folder(out):
        return
    try:
        occupied = next(out.iterdir(), None) is not None
    except OSError as exc:
        raise _unwritable(out, exc) from exc
    if occupied:
        raise FoialogError(
            f"output folder {out} is not empty and foialog did not write it (no "
            f"{OUTPUT_MARKER}); choose an empty or new folder with -o, or add --force to write "
            "foialog's outputs into it (files of the same names are replaced)"
        )


@contextmanager
def claimed(out: Path) -> Iterator[None]:
    """Hold OUT for one run: mark it as foialog's, lock it, clear what killed runs left.

    The lock is an flock, which the system drops when its holder dies: a killed run's lock
    is never stale. A second run on the same OUT stops with a message naming the first.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        marker = out / OUTPUT_MARKER
        if not marker.exists():
            marker.write_text(
                json.dumps({"foialog_version": __version__, "note": _MARKER_NOTE}) + "\n",
                encoding="utf-8",
            )
    except OSError as exc:
        raise _unwritable(out, exc) from exc
    with locked(out, "run"):
        clear_leftovers(out)
        yield


@contextmanager
def locked(out: Path, command: str) -> Iterator[None]:
    """Hold OUT's lock while ``command`` (run, export, report) writes there; refuse if held.

    Every command that writes into OUT takes it: an export or a report rebuilt while a run
    writes would otherwise mix the two runs' tables.
    """
    try:
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _unwritable(out, exc, command) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "another process"
        os.close(fd)
        raise FoialogError(
            f"another foialog command is writing to {out} ({holder}); wait for it to finish "
            "or choose another folder"
        ) from None
    _held.append(fd)
    try:
        since = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"foialog {command}, process {os.getpid()}, started {since}\n".encode(), 0)
        yield
    finally:
        _held.remove(fd)
        os.ftruncate(fd, 0)
        # Never unlinked: a run waiting on this file would then lock a file no one else sees.
        os.close(fd)


def release_inherited() -> None:
    """Close the lock files a forked worker inherited: a worker must not hold OUT's lock."""
    while _held:
        os.close(_held.pop())


def clear_leftovers(out: Path) -> None:
    """Remove the staging folders and half-written files that killed runs left in OUT."""
    for path in out.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in out.glob(".*.tmp"):
        path.unlink(missing_ok=True)


@contextmanager
def staged(out: Path, gone: Set[str] = frozenset(), *, command: str = "run") -> Iterator[Path]:
    """Yield a folder to write every output into; on success move them into OUT, run.json last.

    The names in ``gone`` (filled in while the outputs are written: a report left out) are
    removed from OUT, so that no earlier run's file stays beside this run's. On any failure
    (a full disk, a read-only folder) the staging folder is removed and OUT's earlier outputs
    are left as they were. ``command`` (run, export, report) is named in the error.
    """
    stage = out / f"{STAGING_PREFIX}{os.getpid()}"
    try:
        stage.mkdir()
        yield stage
        written = sorted(stage.iterdir(), key=lambda p: p.name == "run.json")
        if (stage / "run.json").exists():
            # Without run.json, OUT never shows a finished run beside a mix of old and new tables.
            (out / "run.json").unlink(missing_ok=True)
        for name in gone:
            (out / name).unlink(missing_ok=True)
        for path in written:
            path.replace(out / path.name)
    except OSError as exc:
        raise _unwritable(out, exc, command) from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _unwritable(out: Path, exc: OSError, command: str = "run") -> FoialogError:
    why = exc.strerror or type(exc).__name__
    other = ", or choose another -o" if command == "run" else ""
    return FoialogError(
        f"cannot write the outputs to {out} ({why}); no output there was changed: free some "
        f"space or check the folder's permissions{other}"
    )


_MARKER_NOTE = (
    "This folder holds foialog's outputs: foialog writes here again without asking, and never "
    "reads it as input."
)
