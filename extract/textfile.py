"""Text encodings: BOMs, UTF-16 without a BOM, UTF-8, then charset-normalizer's best guess."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

#: UTF-8 with some lines in cp1252: files pasted together from two exports.
MIXED = "utf-8+cp1252"
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(data: bytes) -> str | None:
    """Return the encoding of a text file's bytes, or None when the bytes are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[: 64 * 1024]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if b"\x00" in sample:
        # Text with a stray NUL is still text: the reader reports the byte and its offset.
        if sample.count(b"\x00") > max(1, len(sample) // 100):
            return None
        sample = sample.replace(b"\x00", b"")
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still UTF-8.
        if exc.start < len(sample) - 4:
            # Valid UTF-8 characters beside invalid bytes: two exports pasted together.
            return MIXED if _UTF8_MULTIBYTE.search(sample) else _guess(sample)
    return "utf-8"


def decode_text(data: bytes, encoding: str) -> str:
    """Decode bytes in a detected encoding; MIXED reads bytes that are not UTF-8 as cp1252."""
    if encoding == MIXED:
        return data.decode("utf-8", errors=_CP1252_FALLBACK)
    return data.decode(encoding, errors="replace")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


_CP1252_FALLBACK = "foialog-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def decode_sample(data: bytes) -> str | None:
    """Decode the first bytes of a file as text, or return None for binary content."""
    encoding = detect_encoding(data)
    if encoding is None:
        return None
    return decode_text(data, encoding).replace("\x00", "")


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 8:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _guess(sample: bytes) -> str | None:
    matches = list(from_bytes(sample))
    if not matches:
        return None
    best = matches[0]
    # Candidates that fit exactly as well as the best one (cp1250 and cp1252 often tie on
    # Western text): prefer cp1252, by far the most common legacy encoding of exports.
    tied = {
        str(m.encoding) for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)
    }
    if tied & {"cp1252", "latin_1", "iso8859_1", "ascii"} or _same_as_cp1252(
        sample, str(best.encoding)
    ):
        return "cp1252"
    return str(best.encoding)


def _same_as_cp1252(sample: bytes, encoding: str) -> bool:
    try:
        return sample.decode("cp1252") == sample.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
