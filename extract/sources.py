"""Inputs: walk folders, sniff each file's real type from its bytes, hash it."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import olefile

from foialog.extract.readers.delimited import detect_delimiter
from foialog.extract.text.encoding import decode_sample, strip_http_header
from foialog.extract.walk import walk

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Source:
    """One input file: where it is, how it is named in the outputs, and its real type."""

    path: Path
    #: Path relative to the input folder (or the file name for a file given directly).
    name: str
    #: "" for a file to read; "skipped" or "failed" for an entry the walk did not read.
    status: str = ""
    #: Why the entry was not read (a link out of the inputs, a FIFO, a hidden file...).
    reason: str = ""
    #: What the entry is, when it was not read: link, fifo, socket, device, folder, hidden.
    kind: str = ""


def iter_sources(
    inputs: Iterable[Path], *, exclude: Sequence[Path] = (), follow_links: bool = False
) -> Iterator[Source]:
    """Yield every entry under the inputs in a stable order, naming each relative to its input.

    Entries that are not read (links, FIFOs, hidden files, ``exclude`` and earlier output
    folders, unreadable folders) come with their status and reason: see foialog.extract.walk.
    """
    for entry in walk(inputs, exclude=exclude, follow_links=follow_links):
        yield Source(entry.path, entry.name, entry.status, entry.reason, entry.kind)


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sniff(path: Path) -> str:
    """Return the file's type judged from its bytes, never from its extension."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    return sniff_bytes(head, path)


def sniff_bytes(head: bytes, path: Path | None = None) -> str:
    """Return the type for a file whose first bytes are ``head``; ``path`` allows a deeper look."""
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(head, path)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path) if path is not None else "ole"
    if _is_pdf(head, path):
        return "pdf"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return _sniff_text(head)


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!", "rar"),
)


def _sniff_zip(head: bytes, path: Path | None) -> str:
    names: list[str] = []
    if path is not None:
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
                if "mimetype" in names:
                    mimetype = zf.read("mimetype")[:100]
                    if b"opendocument.spreadsheet" in mimetype:
                        return "ods"
                    if b"opendocument.text" in mimetype:
                        return "odt"
        except (zipfile.BadZipFile, OSError, EOFError):
            # A truncated archive: judge from the member names in the local headers we have.
            names = []
    blob = "\n".join(names).encode() if names else head
    if b"xl/vbaProject.bin" in blob:
        return "xlsm"
    if b"xl/workbook" in blob or b"xl/_rels" in blob or b"xl/worksheets" in blob:
        return "xlsx"
    if b"word/document" in blob or b"word/_rels" in blob:
        return "docx"
    if b"opendocument.spreadsheet" in head:
        return "ods"
    return "zip"


def _sniff_ole(path: Path | None) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError):
        return "ole"
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        return "encrypted-office"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    if "WordDocument" in streams:
        return "doc"
    if any(s.startswith("__substg1.0_") for s in streams):
        return "msg"
    return "ole"


def _is_pdf(head: bytes, path: Path | None) -> bool:
    """A PDF opens with "%PDF-"; readers accept junk before it within 1 KiB (a mail client's
    or a scanner's prefix) only when the file also ends like a PDF, so that a CSV or a text
    quoting "%PDF-1.7" near its top stays what it is."""
    if head.startswith(b"%PDF-"):
        return True
    offset = head.find(b"%PDF-", 0, 1024)
    if offset < 0 or path is None or head[offset - 1 : offset] not in (b"\n", b"\r"):
        return False
    try:
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - 2048))
            return b"%%EOF" in fh.read()
    except OSError:
        return False


_PROLOG = re.compile(r"^(?:\s+|<\?xml[^>]*\?>|<!--.*?-->)+", re.DOTALL)
_HTML_START = ("<!doctype html", "<html", "<head", "<body")


def _is_json_document(start: str) -> bool:
    """A JSON array or object (not JSON Lines, one object a line, which logs read)."""
    if not start.startswith(("[", "{")):
        return False
    after = start[1:].lstrip()
    if start[0] == "[" and not after.startswith(("{", "[", '"', "]")):
        return False  # "[2024-01-02 12:00:00] ..." is a log line, "[" a bracketed stamp
    if start[0] == "{" and not after.startswith(('"', "}")):
        return False
    lines = [line.strip() for line in start.splitlines() if line.strip()]
    if start[0] == "{" and len(lines) > 1:
        try:
            json.loads(lines[0])
        except ValueError:
            return True  # an object over several lines: one document
        return not lines[1].startswith("{")  # a whole object a line: JSON Lines
    return True


def _sniff_text(head: bytes) -> str:
    text = decode_sample(head)
    if text is None:
        return "binary"
    start = strip_http_header(text.lstrip("\ufeff \t\r\n"))
    markup = _PROLOG.sub("", start[:4096])
    lower = markup[:2048].lower()
    if lower.startswith(_HTML_START) or (lower.startswith("<") and "<table" in lower):
        return "html"
    if _is_json_document(start):
        return "json"
    if (start.startswith("From ") and "\nFrom:" in text[:4096]) or start.startswith("From -"):
        return "mbox"
    header_hits = sum(
        1
        for key in ("from:", "to:", "subject:", "date:", "received:", "mime-version:")
        if f"\n{key}" in "\n" + lower[:4096]
    )
    if header_hits >= 3:
        return "eml"
    return "csv" if detect_delimiter(start) is not None else "text"
