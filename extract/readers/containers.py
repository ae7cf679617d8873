"""Containers: emails (.eml, .msg), mailboxes (.mbox) and zip archives, opened member by member."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.policy
import email.utils
import mailbox
import posixpath
import quopri
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from foialog.errors import ReadError, SettingsError
from foialog.extract.blocks import Blocks, Text

if TYPE_CHECKING:
    import extract_msg

#: Types whose members (messages, attachments, archive entries) are extracted on their own.
CONTAINER_TYPES = frozenset({"eml", "msg", "mbox", "zip"})

_CHUNK = 1 << 20


@dataclass(frozen=True)
class ContainerLimits:
    """How deep containers may nest and how big one member may be before it is refused."""

    #: Containers inside containers: dump.zip > a.mbox > message 3 > b.zip is depth 3.
    max_depth: int = 6
    #: Largest member read, in bytes (uncompressed); a bigger one is refused with a reason.
    max_member_bytes: int = 256 * 2**20
    #: Most members taken from one container; the rest are reported, not read.
    max_members: int = 100_000

    def __post_init__(self) -> None:
        for name in ("max_depth", "max_member_bytes", "max_members"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise SettingsError(f"{name} must be a whole number of at least 1, not {value!r}")


@dataclass(frozen=True)
class Member:
    """One item inside a container: its label in the outputs and its bytes, or why not read."""

    #: The label after "outer > ": "message 12", "clients.xlsx", "folder/list.csv".
    label: str
    data: bytes | None
    #: Empty when the member was read; otherwise the reason it was refused.
    refused: str = ""


def iter_members(path: Path, kind: str, *, name: str, limits: ContainerLimits) -> Iterator[Member]:
    """Yield the members of a container file, refusing unsafe or oversized ones with a reason."""
    if kind == "zip":
        yield from _zip_members(path, name, limits)
    elif kind == "mbox":
        yield from _mbox_members(path, name, limits)
    elif kind == "eml":
        yield from _attachments(_parse_eml(path, name), name, limits)
    elif kind == "msg":
        yield from _attachments(_parse_msg(path, name), name, limits)
    else:
        raise ReadError(
            f"{name}: {kind!r} is not a container type; containers: eml, mbox, msg, zip"
        )


def member_labels(path: Path, kind: str, *, name: str, limits: ContainerLimits) -> list[str]:
    """The labels ``iter_members`` gives, in its order, without reading any member's bytes.

    Listed before the members are read, so that a container stopped part way (its time ran
    out) still has a documents.csv row for every member it never reached.
    """
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                infos = [i for i in archive.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError) as exc:
            raise ReadError(f"{name}: not a readable zip archive ({exc}); re-export it") from exc
        labels = [safe_label(i.filename) or i.filename for i in infos[: limits.max_members]]
        over = len(infos) > limits.max_members
    elif kind == "mbox":
        try:
            box = mailbox.mbox(path, create=False)
            count = len(box.keys())
            box.close()
        except (OSError, mailbox.Error) as exc:
            raise ReadError(f"{name}: cannot read the mailbox ({exc})") from exc
        labels = [f"message {n}" for n in range(1, min(count, limits.max_members) + 1)]
        over = count > limits.max_members
    elif kind in ("eml", "msg"):
        message = _parse_eml(path, name) if kind == "eml" else _parse_msg(path, name)
        return [label for label, _ in _attachment_parts(message, limits)]
    else:
        return []
    return [*labels, _over_count(0, limits).label] if over else labels


def read_eml(path: Path, name: str, password: str | None) -> Blocks:
    """Read an email's body as prose dated by its Date header; attachments are members."""
    return _message_blocks(_parse_eml(path, name), name)


def read_msg(path: Path, name: str, password: str | None) -> Blocks:
    """Read an Outlook .msg body as prose dated by its sent date; attachments are members."""
    return _message_blocks(_parse_msg(path, name), name)


def read_archive(path: Path, name: str, password: str | None) -> Blocks:
    """An mbox or zip holds nothing of its own: say how many members it has."""
    return Blocks(notes=[f"container: its members are listed as '{name} > ...'"])


def safe_label(raw: str) -> str | None:
    """Return a member name as a relative POSIX path, or None when it would escape the archive."""
    text = raw.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return posixpath.join(*parts)


# --- zip ----------------------------------------------------------------------------------


def _zip_members(path: Path, name: str, limits: ContainerLimits) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"{name}: not a readable zip archive ({exc}); re-export it") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        for index, info in enumerate(infos):
            if index >= limits.max_members:
                yield _over_count(len(infos), limits)
                return
            label = safe_label(info.filename)
            if label is None:
                yield Member(
                    info.filename,
                    None,
                    f"member name {info.filename!r} points outside the archive "
                    "(path traversal); not extracted",
                )
                continue
            if info.flag_bits & 0x1:
                yield Member(label, None, "encrypted zip member; unzip it with its password")
                continue
            if info.file_size > limits.max_member_bytes:
                yield Member(label, None, _too_big(info.file_size, limits))
                continue
            try:
                with archive.open(info) as fh:
                    data = _read_capped(fh, limits.max_member_bytes)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                yield Member(label, None, f"cannot unpack this member: {exc}")
                continue
            # The declared size can lie (a zip bomb); the capped read is what counts.
            yield (
                Member(label, None, _too_big(None, limits)) if data is None else Member(label, data)
            )


# --- mbox ---------------------------------------------------------------------------------


def _mbox_members(path: Path, name: str, limits: ContainerLimits) -> Iterator[Member]:
    # mailbox.mbox indexes message offsets in one pass and then reads one message at a time,
    # so memory stays bounded by the largest message read, never the file size.
    try:
        box = mailbox.mbox(path, create=False)
        keys = box.keys()
    except (OSError, mailbox.Error) as exc:
        raise ReadError(f"{name}: cannot read the mailbox ({exc})") from exc
    try:
        for number, key in enumerate(keys, start=1):
            label = f"message {number}"
            if number > limits.max_members:
                yield _over_count(len(keys), limits)
                return
            with box.get_file(key) as fh:
                data = _read_capped(fh, limits.max_member_bytes)
            yield (
                Member(label, None, _too_big(None, limits)) if data is None else Member(label, data)
            )
    finally:
        box.close()


# --- email messages -----------------------------------------------------------------------


def _parse_eml(path: Path, name: str) -> EmailMessage:
    with path.open("rb") as fh:
        message = BytesParser(policy=email.policy.default).parse(fh)
    if not isinstance(message, EmailMessage):  # the default policy always builds these
        raise ReadError(f"{name}: not an email message")
    if not message.keys():
        raise ReadError(f"{name}: no email headers found; is it really an .eml file?")
    return message


def _parse_msg(path: Path, name: str) -> EmailMessage:
    import extract_msg  # imported late: it pulls in RTF and OLE tooling most runs never need

    try:
        with extract_msg.openMsg(str(path)) as msg:
            if not isinstance(msg, extract_msg.Message):
                raise ReadError(
                    f"{name}: an Outlook item of type {type(msg).__name__}, not an email; "
                    "export it as .eml to read it"
                )
            _add_subjects(msg)
            built = msg.asEmailMessage()
            # extract_msg mixes legacy MIMEMultipart parts into its EmailMessage, which lack
            # the EmailMessage methods the body and attachment walks call: parse it afresh.
            message = _as_email_message(built.as_bytes(), name)
            _hoist_attachments(message)
            return message
    except ReadError:
        raise
    except Exception as exc:  # extract_msg raises many unrelated types for damaged files
        raise ReadError(
            f"{name}: cannot read the Outlook message ({type(exc).__name__}: {exc}); "
            "export it from Outlook as .eml and run again"
        ) from exc


def _add_subjects(msg: extract_msg.Message) -> None:
    """Give a .msg, and each message embedded in it, a Subject header when it has none."""
    import extract_msg

    # A message without stored transport headers (a draft, a saved copy) gets headers that
    # extract_msg makes from its MAPI properties, and those leave the subject out.
    if not msg.headerText and msg.subject and "Subject" not in msg.header:
        msg.header["Subject"] = msg.subject
    for attachment in msg.attachments:
        if isinstance(attachment.data, extract_msg.Message):
            _add_subjects(attachment.data)


def _as_email_message(data: bytes, name: str) -> EmailMessage:
    message = BytesParser(policy=email.policy.default).parsebytes(data)
    if not isinstance(message, EmailMessage):  # the default policy always builds these
        raise ReadError(f"{name}: not an email message")
    return message


def _hoist_attachments(message: EmailMessage) -> None:
    """Move the attachments extract_msg nests beside the body up to the top, as mail has them."""
    # extract_msg puts every attachment in the body's multipart/related, where
    # iter_attachments does not look; embedded messages are built the same way.
    for part in list(message.iter_parts()):
        if not isinstance(part, EmailMessage) or part.get_content_type() != "multipart/related":
            continue
        inner = list(part.iter_attachments())
        moved = {id(p) for p in inner}
        part.set_payload([p for p in part.iter_parts() if id(p) not in moved])
        for attached in inner:
            if attached.is_multipart():
                _hoist_attachments(attached)
            message.attach(attached)
        return


def message_date(message: EmailMessage) -> str:
    """Return the message's Date header as an ISO day, or "" when absent or unreadable."""
    raw = message.get("Date")
    if not raw:
        return ""
    try:
        when = email.utils.parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return ""
    return when.date().isoformat() if isinstance(when, dt.datetime) else ""


def message_body(message: EmailMessage) -> str:
    """Return the message's text body, plain text preferred, HTML turned into text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        from foialog.extract.readers.html import html_text

        return html_text(content)
    return content


def _message_blocks(message: EmailMessage, name: str) -> Blocks:
    body = message_body(message).strip()
    date = message_date(message)
    notes = []
    subject = str(message.get("Subject", "")).strip()
    if subject:
        notes.append(f"subject: {subject[:200]}")
    if date:
        notes.append(f"sent {date}")
    texts = [Text(text=body, label="body", document_date=date)] if body else []
    return Blocks(texts=texts, notes=notes)


def _attachment_parts(
    message: EmailMessage, limits: ContainerLimits
) -> Iterator[tuple[str, EmailMessage | None]]:
    """Each attachment's label (made unique) and part; None after the last one read."""
    seen: dict[str, int] = {}
    for number, part in enumerate(message.iter_attachments(), start=1):
        if number > limits.max_members:
            yield f"attachment {number}", None
            return
        label = _attachment_label(part, number)
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label} ({seen[label]})"
        yield label, part


def _attachments(message: EmailMessage, name: str, limits: ContainerLimits) -> Iterator[Member]:
    for label, part in _attachment_parts(message, limits):
        if part is None:
            yield Member(label, None, "too many attachments; the rest not read")
            return
        if part.get_content_type() == "message/rfc822":
            data: bytes | None = _attached_message(part)
        elif part.is_multipart():
            # extract_msg attaches an embedded .msg as the converted message's own parts.
            data = part.as_bytes()
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else None
        if data is None:
            yield Member(label, None, "attachment has no readable content")
        elif len(data) > limits.max_member_bytes:
            yield Member(label, None, _too_big(len(data), limits))
        else:
            yield Member(label, data)


def _attached_message(part: EmailMessage) -> bytes | None:
    """The bytes of an attached message, also when the sender base64-encoded it (Outlook does)."""
    inner = part.get_content()
    if not isinstance(inner, EmailMessage):
        return None
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding not in {"base64", "quoted-printable"}:
        return inner.as_bytes()
    # The parser took the still-encoded text for a message with no headers: decode its body.
    encoded = inner.as_bytes().strip()
    try:
        if encoding == "base64":
            return base64.b64decode(encoded, validate=False)
        return quopri.decodestring(encoded)
    except (binascii.Error, ValueError):
        return None


def _attachment_label(part: EmailMessage, number: int) -> str:
    filename = part.get_filename()
    if filename:
        # Only the base name: a sender controls it and may put "../" in it.
        base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if base and base not in (".", ".."):
            return base
    if part.get_content_type() == "message/rfc822" or part.is_multipart():
        return f"attached message {number}"
    return f"attachment {number}"


# --- limits -------------------------------------------------------------------------------


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _read_capped(fh: _Readable, limit: int) -> bytes | None:
    """Read a stream whole, or return None as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while chunk := fh.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(size: int | None, limits: ContainerLimits) -> str:
    shown = f"{size:,} bytes" if size is not None else "more bytes"
    return (
        f"member is {shown}, over the limit of {limits.max_member_bytes:,} bytes; "
        "extract it by hand or raise max_member_bytes"
    )


def _over_count(total: int, limits: ContainerLimits) -> Member:
    return Member(
        f"members after {limits.max_members:,}",
        None,
        f"the container has {total:,} members, over the limit of {limits.max_members:,}; "
        "the rest were not read (raise max_members to read them)",
    )


#: Largest total an Office or OpenDocument file may unpack to before it is refused as a bomb.
MAX_UNPACKED_BYTES = 1 << 30


def check_zip_expansion(path: Path, name: str, limit: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a zip-based document whose members declare more than ``limit`` bytes unpacked."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # the reader reports a damaged file in its own words
    if total > limit:
        raise ReadError(
            f"{name}: unpacks to {total / 2**30:.1f} GiB (limit {limit / 2**30:.1f} GiB), a "
            "zip bomb or an export far larger than its file; not read. If it is genuine, "
            "export the sheets to CSV and run on those"
        )
