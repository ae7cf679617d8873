"""Walking the inputs: every entry under them accounted for, nothing outside them read.

A reporter's laptop holds more than the leak: a link inside the leak may point at a source's
files or at /etc, and an earlier run's output folder may sit inside the input folder. So the
walk follows no symbolic link unless asked, never opens a FIFO or device, never descends into
foialog's own output folders, and names every entry it does not read with the reason.
os.walk is not used because it drops FIFOs, links to folders and unreadable folders silently
(its onerror sees only the last), and each of those must become a documents.csv row.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The file that marks a folder as foialog's own output (written by every run).
OUTPUT_MARKER = ".foialog-output"
#: Files that operating systems and file managers leave beside real documents.
SYSTEM_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "ehthumbs.db", "Icon\r"})

#: Entry kinds, as documents.csv's detected_type gives them for entries that were not read.
_SPECIAL = (
    (stat.S_ISFIFO, "fifo", "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "socket", "a socket"),
    (stat.S_ISCHR, "device", "a character device"),
    (stat.S_ISBLK, "device", "a block device"),
)


@dataclass(frozen=True)
class Entry:
    """One entry under the inputs: a file to read, or one that is not read and why."""

    path: Path
    #: Path relative to its input folder (the file name for a file given directly), as text
    #: that any output can hold: bytes that are not UTF-8 are shown as \\xNN escapes.
    name: str
    #: "" for a file to read; else "skipped" or "failed", with the reason and the entry's kind.
    status: str = ""
    reason: str = ""
    kind: str = ""


def display_name(path: str | Path) -> str:
    """A path as text every output can hold: undecodable bytes become visible \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def is_output_folder(folder: Path) -> bool:
    """True for a folder foialog wrote its outputs to (its marker, or an older run's run.json)."""
    try:
        if (folder / OUTPUT_MARKER).is_file():
            return True
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(run, dict) and "foialog_version" in run


def walk(
    inputs: Iterable[Path], *, exclude: Sequence[Path] = (), follow_links: bool = False
) -> Iterator[Entry]:
    """Yield every entry under the inputs in a stable order; ``exclude`` folders are not read.

    A folder or file given as an input is read even when it is a link: the reporter named it.
    """
    excluded = {_real(p) for p in exclude}
    for item in inputs:
        if item.is_dir():
            found = list(_walk_folder(item, excluded, follow_links))
            yield from sorted(found, key=lambda e: e.path.relative_to(item).parts)
        else:
            yield _file(item, display_name(item.name), follow=True)


def _walk_folder(root: Path, excluded: set[str], follow_links: bool) -> Iterator[Entry]:
    seen = {_real(root)}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                children = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield Entry(
                folder,
                _name(folder, root) + "/",
                "failed",
                f"the folder could not be listed ({exc.strerror or exc}); its files were not "
                "read: check its permissions and run again",
                "folder",
            )
            continue
        for child in children:
            path = Path(child.path)
            name = _name(path, root)
            hidden = _hidden(path.relative_to(root))
            if child.is_symlink() and not follow_links:
                yield _link(path, name, root)
            elif child.is_dir(follow_symlinks=follow_links):
                real = _real(path)
                if real in excluded:
                    yield Entry(path, name + "/", "skipped", "this run's output folder", "folder")
                elif is_output_folder(path):
                    yield Entry(
                        path,
                        name + "/",
                        "skipped",
                        "an earlier foialog run's output folder; never read as input",
                        "folder",
                    )
                elif real in seen:
                    yield Entry(path, name + "/", "skipped", "a link back to a folder already "
                                "read (a loop)", "link")  # fmt: skip
                else:
                    seen.add(real)
                    stack.append(path)
            elif hidden:
                yield Entry(path, name, "skipped", hidden, "hidden")
            else:
                yield _file(path, name, follow=follow_links)


def _file(path: Path, name: str, *, follow: bool) -> Entry:
    try:
        info = path.stat() if follow else path.lstat()
    except OSError as exc:
        return Entry(path, name, "failed", f"could not be read ({exc.strerror or exc})", "")
    for test, kind, what in _SPECIAL:
        if test(info.st_mode):
            return Entry(path, name, "skipped", f"{what}, not a regular file; not read", kind)
    return Entry(path, name)


def _link(path: Path, name: str, root: Path) -> Entry:
    try:
        target = path.readlink()
    except OSError:
        target = Path("?")
    where = "inside" if _inside(_real(path), _real(root)) else "outside"
    return Entry(
        path,
        name,
        "skipped",
        f"a symbolic link to {display_name(target)} ({where} the inputs); not followed: "
        "run with --follow-links to read what links point to",
        "link",
    )


def _hidden(rel: Path) -> str:
    """Why a path under an input folder is hidden, or "" when it is not."""
    for part in rel.parts[:-1]:
        if part.startswith("."):
            return (
                f"inside the hidden folder {display_name(part)}; not read: give the file as an "
                "input of its own to read it"
            )
    if rel.name in SYSTEM_NAMES:
        return (
            "a file the operating system keeps beside documents (thumbnails, folder settings); "
            "not read: give it as an input of its own to read it"
        )
    if rel.name.startswith("."):
        return (
            "a hidden file (its name starts with a dot); not read: give it as an input of its "
            "own to read it"
        )
    return ""


def _name(path: Path, root: Path) -> str:
    return display_name(path.relative_to(root).as_posix())


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
