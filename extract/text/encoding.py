"""Text encodings: BOMs, UTF-32/16 without a BOM, strict UTF-8, then cp1252 or the code page
whose decoding reads like words, and a check for text that still reads like mojibake."""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from foialog.errors import ReadError
from foialog.extract.values.dates import ENGLISH_MONTHS, FOREIGN_MONTHS

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
#: Code pages tried after cp1252 and charset-normalizer's candidates, in order of use.
FALLBACKS = (
    "cp1252",
    "cp850",
    "mac_roman",
    "cp1250",
    "cp1251",
    "koi8_r",
    "shift_jis",
    "cp932",
    "gb18030",
    "big5",
    "euc_kr",
    "cp949",
    "euc_jp",
    "latin-1",
    "utf-16-le",
    "utf-16-be",
)
_SAMPLE = 64 * 1024
#: Bytes whose readings are scored in each candidate code page (enough for a few hundred names).
_SCORED = 16 * 1024
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
#: Lines made of NUL bytes only: a zero-filled block a crash leaves in a log or export.
_NUL_LINES = re.compile(rb"(?m)^\x00+\r?$")
#: Share of non-ASCII characters that may read as mojibake before a text is called damaged.
MOJIBAKE_SHARE = 0.2
_HTTP_STATUS = re.compile(r"HTTP/\d(?:\.\d)? \d{3}\b")
#: A documents.csv note starting with this marks the file's status partial.
MOJIBAKE_NOTE = "text reads like mojibake"


@dataclass(frozen=True)
class Decoded:
    """A text file's characters, the encoding they were read with and how word-like they are."""

    text: str
    encoding: str
    #: Characters that never occur in real words ("Z³rich", "PolicĒa") in the checked part.
    suspect: int
    #: Non-ASCII characters in the checked part.
    non_ascii: int

    @property
    def note(self) -> str:
        """A documents.csv note when the text still reads like a wrong code page, else ""."""
        if self.suspect < 2 or self.suspect < MOJIBAKE_SHARE * self.non_ascii:
            return ""
        return (
            f"{MOJIBAKE_NOTE}: {self.suspect} of {self.non_ascii} non-ASCII characters read as "
            f"{self.encoding} never occur in words (like 'Z³rich'); names may be garbled. "
            "Re-save the file as UTF-8 from the program that made it and run again"
        )


def decode_file(data: bytes, name: str) -> Decoded:
    """Decode a text file's bytes; raise ReadError naming the file when they are not text."""
    encoding = detect_encoding(data)
    if encoding is None:
        raise ReadError(
            f"{name}: the bytes are not text in any encoding foialog knows (binary or damaged)"
        )
    text = decode_text(data, encoding)
    checked = text[: 4 * _SAMPLE]
    return Decoded(
        text=text,
        encoding=encoding,
        suspect=implausible(checked),
        non_ascii=sum(1 for ch in checked if ord(ch) > 127),
    )


def detect_encoding(data: bytes) -> str | None:
    """Return the encoding of a text file's bytes, or None when the bytes are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:_SAMPLE]
    wide = _wide_without_bom(sample)
    if wide:
        return wide
    # Lines of NUL bytes alone are a zero-filled block (a log cut by a crash), not binary.
    controls = _CONTROL.findall(_NUL_LINES.sub(b"", sample))
    if len(controls) > max(1, len(sample) // 100):
        return None  # control bytes that text does not hold: binary
    if b"\x00" in sample:
        # Text with a stray NUL is still text: the reader reports the byte and its offset.
        sample = sample.replace(b"\x00", b"")
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still UTF-8.
        if exc.start < len(sample) - 4:
            # Valid UTF-8 characters beside invalid bytes: two exports pasted together.
            return _legacy(sample[:_SCORED])
    return "utf-8"


def strip_http_header(text: str) -> str:
    """The body of a page saved with its HTTP response header in front (status line, header
    lines, a blank line); other text unchanged."""
    if not _HTTP_STATUS.match(text):
        return text
    ends = [i for i in (text.find("\r\n\r\n"), text.find("\n\n")) if i >= 0]
    if not ends:
        return ""
    end = min(ends)
    return text[end:].lstrip("\r\n")


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


def _wide_without_bom(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 told by where the NUL bytes of ASCII characters fall."""
    if len(sample) < 8:
        return None
    lanes = [sample[i::4] for i in range(4)]
    nul = [lane.count(0) / max(1, len(lane)) for lane in lanes]
    # UTF-32: characters of the Basic Multilingual Plane leave two NUL bytes in every four.
    if nul[2] > 0.9 and nul[3] > 0.9 and nul[0] < 0.5:
        return "utf-32-le"
    if nul[0] > 0.9 and nul[1] > 0.9 and nul[3] < 0.5:
        return "utf-32-be"
    # UTF-16: the NULs of ASCII characters (newlines, commas, digits) in one lane only. Text
    # in one script (Cyrillic, Greek) has its high bytes in that lane too, not NULs.
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    lane = len(sample) // 2
    least = max(4, 0.1 * lane)  # a stray NUL in a text file is not a lane of them
    if odd >= least and even < 0.2 * odd:
        return "utf-16-le"
    if even >= least and odd < 0.2 * even:
        return "utf-16-be"
    return None


def _legacy(sample: bytes) -> str | None:
    """UTF-8 lines beside cp1252 ones when that reads as words, else a code page."""
    if _UTF8_MULTIBYTE.search(sample):
        mixed = sample.decode("utf-8", errors=_CP1252_FALLBACK)
        if implausible(mixed) == 0:
            return MIXED
    return _single_or_multibyte(sample)


def _single_or_multibyte(sample: bytes) -> str | None:
    """cp1252 when its reading is word-like, else the best-reading detector or fallback page."""
    cp1252 = _strict(sample, "cp1252")
    if cp1252 is not None and _scores(cp1252) == (0, 0):
        return "cp1252"
    # Each code page that decodes the bytes is scored by how word-like its reading is; the
    # detector (charset-normalizer) only breaks ties between equally word-like readings: on the
    # short samples exports give it ranks Big5 names as Shift-JIS and cp850 as mac-iceland.
    # Pages it proposes outside FALLBACKS (cp1253, cp1256 ...) come last.
    proposed = [str(m.encoding) for m in from_bytes(sample)]
    readings: dict[str, tuple[tuple[int, int], str]] = {}
    for encoding in dict.fromkeys([*FALLBACKS, *proposed]):
        text = _strict(sample, encoding)
        if text is not None and text not in {t for _, t in readings.values()}:
            bound = min((score[0] for score, _ in readings.values()), default=None)
            readings[encoding] = (_scores(text, bound), text)
    if not readings:
        return None
    best = min(score for score, _ in readings.values())
    tied = [e for e, (score, _) in readings.items() if score == best]
    tied = [e for e in tied if e in FALLBACKS] or tied
    if len(tied) > 1:
        ranked = [str(m.encoding) for m in from_bytes(sample, cp_isolation=tied)]
        first = {_normal(e): e for e in tied}
        tied = [first[_normal(e)] for e in ranked if _normal(e) in first] + tied
        # Before the detector's guess: a reading in which more accented words are month names
        # ("März" in mac-roman, "Mèrz" in cp850): the one byte a short export holds is often
        # in its title's date, and the detector has nothing to go on there.
        # Then, when every reading is in Latin letters, the one with more Western European
        # letters (à-ÿ: the languages of most exports): 'Búsquedas' and 'N.º' (mac-roman)
        # over 'Bśsquedas' and 'N.Ľ' (cp1250). Real Central European text is not at stake:
        # read as another page its letters turn into symbols, and it wins before any tie.
        latin = all(_latin_only(readings[e][1]) for e in tied if e in readings)
        known = {
            e: (_known_words(readings[e][1]), _western_letters(readings[e][1]) if latin else 0)
            for e in tied
            if e in readings
        }
        tied = sorted(tied, key=lambda e: tuple(-n for n in known.get(e, (0, 0))))
    return tied[0]


def _latin_only(text: str) -> bool:
    """Whether every letter beyond ASCII in a text is a Latin one."""
    return all(
        _script(ch) == "LATIN" or ch in "ªº" for ch in _NON_ASCII.findall(text) if _is_letter(ch)
    )


def _western_letters(text: str) -> int:
    """Letters of the Latin-1 supplement (À-ÿ, ª, º) in a text."""
    return sum(1 for ch in _NON_ASCII.findall(text) if "\u00c0" <= ch <= "\u00ff" or ch in "ªº")


_MONTH_WORDS = ENGLISH_MONTHS | frozenset(FOREIGN_MONTHS)


def _known_words(text: str) -> int:
    """How many words with letters beyond ASCII are, accents folded, month names."""
    found = 0
    for match in _LETTERS.finditer(text):
        word = match.group()
        if not word.isascii():
            folded = unicodedata.normalize("NFKD", word.casefold())
            found += "".join(c for c in folded if not unicodedata.combining(c)) in _MONTH_WORDS
    return found


def _normal(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _strict(sample: bytes, encoding: str) -> str | None:
    """The sample decoded strictly (a character cut at its end dropped), or None."""
    try:
        return sample.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:
            try:
                return sample[: exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


# --- how word-like a decoding is --------------------------------------------------------------

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LETTERS = re.compile(r"[^\W\d_]+")
# Punctuation that sits between two letters in real words: apostrophes, hyphens, the Catalan
# middle dot, the soft hyphen.
_IN_WORD = frozenset("’‘ʼ·\u00ad\u2010\u2011")
_IN_NUMBER = frozenset("’'′·")
_FRACTIONS = frozenset("¼½¾⅓⅔⅛")
_VOWELS = frozenset("aeiouyäöüAEIOUYÄÖÜ")


def implausible(text: str) -> int:
    """Count characters of ``text`` that never occur in real words read this way.

    A symbol or number between two letters ("Z³rich"), a spacing accent or an opening quote
    stuck to a letter ("Cittˆ", "Forl“"), an accented capital inside a word that has small
    letters ("PolicĒa", "ZŸrich"), a word of four or more letters that are all accented
    ("Ïîëèöèÿ", Cyrillic read as cp1252), a letter of one script between letters of another,
    "ß" after a consonant, anything but a space or apostrophe between two digits ("1ÿ504"),
    C1 control characters, replacement characters, and Chinese, Japanese or Korean characters
    outside the common sets of their national standards.
    """
    return _scores(text)[0]


def _scores(text: str, limit: int | None = None) -> tuple[int, int]:
    """(implausible characters, apostrophes and dashes between two letters) of a reading.

    Counting stops once the first passes ``limit``: the reading has lost to another.
    """
    count = 0
    joins = 0
    end = len(text)
    for match in _NON_ASCII.finditer(text):
        i = match.start()
        ch = match.group()
        category = unicodedata.category(ch)
        before = i > 0 and _is_letter(text[i - 1])
        after = i < end - 1 and _is_letter(text[i + 1])
        digit_before = i > 0 and text[i - 1].isdigit()
        digit_after = i < end - 1 and text[i + 1].isdigit()
        if (digit_before or digit_after) and _script(ch) in ("CJK", "HANGUL"):
            pass  # "2020年1月15日": the units of a date stand between its digits
        elif digit_before and digit_after:
            # Inside a number only a thousands space or apostrophe ("1 504", "1’504"): a
            # letter or mark there ("1ÿ504", "1˙504") is such a space another page reads.
            count += category != "Zs" and ch not in _IN_NUMBER
        elif (
            category[0] == "L"
            and ch not in "ºª"
            and ((digit_before and not after) or (digit_after and not before))
        ):
            # A lone letter glued to a number ("Û10,725.00"): a currency sign another page
            # reads ("€10,725.00"); "3ème" and "2º" are real.
            count += 1
        elif "\u2500" <= ch <= "\u259f" and (digit_before or digit_after or before or after):
            # A box-drawing line or block glued to a number or word ("█10,725.00"): ruled
            # text tables set their lines apart with spaces.
            count += 1
        elif ch == "\ufffd" or category in ("Cc", "Co", "Cs"):
            count += 1
        elif category in ("Lm", "Sk"):
            count += before or after
        elif category[0] != "L":
            if category in ("Mn", "Zs"):
                continue
            if ch in _FRACTIONS and not (i == 0 or text[i - 1].isspace() or digit_before):
                # A fraction after a letter or a stop ("N.¼"): mac-roman's ordinal "N.º" read
                # as cp1252; "1½" and "a ½ page" are real.
                count += 1
            elif ch in _IN_WORD or category == "Pd":
                # Real in "don’t" and "Jan–Jun"; counted to break ties between code pages
                # that read "Policía" (mac-roman) as "Polic’a" (cp1252).
                joins += before and after
            else:
                # An opening quote after a letter ("Forl“"), a symbol between two ("Z³rich").
                count += (category in ("Ps", "Pi") and before) or (before and after)
        elif ch == "ß":
            count += before and text[i - 1] not in _VOWELS
        elif _script(ch) in ("CJK", "HANGUL", "KANA"):
            count += ch not in _common_cjk()
        if limit is not None and count > limit:
            return count, joins
    for word in _LETTERS.finditer(text):
        count += _implausible_word(word.group())
        if limit is not None and count > limit:
            break
    return count, joins


@functools.lru_cache(maxsize=8192)
def _is_letter(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] == "L" and category != "Lm"


def _implausible_word(word: str) -> int:
    if word.isascii():
        return 0
    count = 0
    has_lower = any(c.islower() for c in word)
    # Japanese writes kana between kanji: one group for the test of a letter between others.
    scripts = [_script(c).replace("KANA", "CJK") for c in word]
    accented = 0
    for i, ch in enumerate(word):
        if ord(ch) < 128 or not _is_letter(ch):
            continue
        if scripts[i] == "LATIN":
            accented += 1
        capital_inside = i > 0 and ch.isupper() and has_lower and word[i - 1].isalpha()
        between = 0 < i < len(word) - 1 and scripts[i - 1] == scripts[i + 1] != scripts[i]
        count += capital_inside or between
    if accented >= 4 and accented == len(word):
        count += accented
    return count


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    if ord(ch) < 128:
        return "LATIN" if ch.isalpha() else "OTHER"
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK", "IDEOGRAPHIC")):
        return "CJK"
    if name.startswith(("HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")):
        return "KANA"
    if name.startswith("HANGUL"):
        return "HANGUL"
    return name.split(" ", 1)[0] if name else "OTHER"


@functools.cache
def _common_cjk() -> frozenset[str]:
    """The most common characters of each national standard, the kana and CJK punctuation."""
    found: set[str] = set()
    # (encoding, first lead byte, last lead byte, trail bytes): GB2312 level 1 hanzi, Big5
    # frequent hanzi, JIS X 0208 level 1 kanji, KS X 1001 hangul syllables.
    tables = (
        ("gb2312", 0xB0, 0xD7, range(0xA1, 0xFF)),
        ("big5", 0xA4, 0xC6, [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
        ("shift_jis", 0x88, 0x98, [*range(0x40, 0x7F), *range(0x80, 0xFD)]),
        ("euc_kr", 0xB0, 0xC8, range(0xA1, 0xFF)),
    )
    for encoding, first, last, trails in tables:
        for lead in range(first, last + 1):
            for trail in trails:
                try:
                    found.add(bytes((lead, trail)).decode(encoding))
                except UnicodeDecodeError:
                    continue
    found.update(chr(c) for c in range(0x3000, 0x3100))  # CJK punctuation, hiragana, katakana
    found.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width ASCII forms
    return frozenset(found)
