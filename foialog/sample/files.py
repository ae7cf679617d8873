"""Writing the sample's files: refusals that name the path and the fix."""

from __future__ import annotations

from pathlib import Path

from foialog.sample.truth import SampleError


def _refuse_directory(path: Path) -> None:
    """Raise when a directory sits where the sampler writes a file."""
    if path.is_dir():
        raise SampleError(
            f"{path} is a directory, but the sampler writes a file there; "
            "move it away or pass another directory"
        )


def _write(path: Path, data: bytes) -> None:
    """Write one file, naming the path when the system refuses."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise SampleError(
            f"cannot write {path}: {exc.strerror}; check permissions and free space"
        ) from exc
