"""Recognise cells that are only a redaction marker: FOIA codes, state statutes, words, blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .counts import clean_text

#: Longest cell read as a redaction marker; longer text is content, even if it cites a code.
MAX_MARKER_TEXT = 200


@dataclass(frozen=True)
class Redaction:
    """A redaction marker found in a cell, with the exemption it cites ("" when none)."""

    marker: str
    code: str


# Solid and shaded blocks that redaction tools print (not "□", which is a checkbox).
_BLOCK = "[\u2580-\u259f\u25a0\u25aa\u25ac\u25fc\u25fe\u2b1b]"
_BLOCKS = re.compile(f"{_BLOCK}+(?: +{_BLOCK}+)*")
# Masks like "XXXXX", "XXX-XX-XXXX", "*****": five or more, because "XX" or "***" are data.
_MASK = re.compile(r"[xX*][xX* ./\-]*")
_MIN_MASK = 5

# "5 U.S.C. § 552" only names FOIA itself; the (b)(n) code after it is the exemption.
_FOIA_STATUTE = re.compile(
    r"(?:\b[0-9]{1,2} ?)?(?:u\.? ?s\.? ?c\.?|usc) ?(?:§+ ?)?552(?: ?(?=\())?", re.IGNORECASE
)
_FOIA_CODE = re.compile(
    r"(?<![a-z0-9])(?P<open>\( ?)?b(?(open) ?\)) ?(?:\( ?(?P<n>[1-9]) ?\)|(?P<n2>[1-9]))"
    r"(?:(?: ?\( ?(?P<x>[a-f]) ?\))|(?P<x2>[a-f]))?(?![a-z0-9])",
    re.IGNORECASE,
)
_EXEMPTION_NUMBER = re.compile(
    r"(?<![a-z])ex(?:emptions?|\.)? ?(?P<n>[1-9])(?:(?: ?\( ?(?P<x>[a-f]) ?\))|(?P<x2>[a-f]))?"
    r"(?![a-z0-9])",
    re.IGNORECASE,
)
_STATUTE_PREFIX = (
    r"ors|rcw|ilcs|mcl|m\.?g\.?l\.?(?: ?c\.)?|g\. ?l\. ?c\.|u\. ?s\. ?c\.?|usc|c\. ?f\. ?r\.?|cfr|"
    r"(?:cal(?:ifornia|\.)? )?gov(?:ernment|'t|’t|\.)? ?code|pub(?:lic|\.)? ?off(?:icers|\.)? ?law|"
    r"pol|fla\. ?stat\.?|f\. ?s\.|§+"
)
_SECTION = r"[0-9][0-9a-z.:/\-]*"
_STATUTE = re.compile(
    rf"(?<![a-z0-9])(?:[0-9]{{1,3}} )?(?:{_STATUTE_PREFIX}) ?(?:§+ ?)?{_SECTION}"
    rf"(?:,? ?§+ ?{_SECTION})?(?: ?\([0-9a-z]{{1,5}}\))*",
    re.IGNORECASE,
)

# Words that say a value was withheld; one of them alone is a marker ("REDACTED", "Exempt").
_MARKER_WORDS = frozenset(
    {
        "redacted",
        "redact",
        "redaction",
        "redactions",
        "withheld",
        "withhold",
        "withholding",
        "exempt",
        "exempted",
        "exemption",
        "exemptions",
    }
)
# Words that only join a marker to its code ("Withheld pursuant to (b)(6)").
_JOINING_WORDS = frozenset(
    {"per", "under", "pursuant", "to", "and", "by", "see", "foia", "in", "of"}
)
# A printed explanation ("Personal Privacy Information – ORS ...") names one of these; other
# words beside a code are content ("Polk County (b)(6)" is a partly redacted cell, not a marker).
_EXPLANATION_WORDS = frozenset(
    {
        "personal",
        "privacy",
        "private",
        "information",
        "info",
        "confidential",
        "confidentiality",
        "privileged",
        "privilege",
        "protected",
        "sensitive",
        "security",
        "deliberative",
        "law",
        "enforcement",
        "investigative",
        "investigatory",
        "techniques",
        "procedures",
        "identity",
        "identifying",
        "medical",
        "trade",
        "secret",
        "secrets",
        "proprietary",
        "pii",
        "attorney",
    }
)
_MAX_EXPLANATION_WORDS = 6
_WORD = re.compile(r"[^\W_]+")


def _foia_code(match: re.Match[str]) -> str:
    """Return a FOIA exemption in the form "(b)(7)(C)"."""
    number = match["n"] or match["n2"]
    letter = match["x"] or match["x2"] or ""
    return f"(b)({number})" + (f"({letter.upper()})" if letter else "")


def _is_block_or_mask(text: str) -> bool:
    """Return True for a cell made only of redaction blocks or of an X/asterisk mask."""
    if _BLOCKS.fullmatch(text):
        return True
    if not _MASK.fullmatch(text):
        return False
    return sum(c in "xX*" for c in text) >= _MIN_MASK


def find_redaction(raw: object) -> Redaction | None:
    """Return the redaction marker a cell consists of, or None when the cell holds content."""
    if not isinstance(raw, str):
        return None  # numbers and dates from a spreadsheet are never markers
    return _find_in_text(raw)


# Every marker has a letter (a code, a word, an X mask), a "§", an asterisk or a block: a
# cell with none of them ("10,342", "03/25/2016") is content, and the checks below are slow.
_MARKER_CHARACTER = re.compile(f"[^\\W\\d_]|[§*]|{_BLOCK}")


@lru_cache(maxsize=1 << 16)
def _find_in_text(raw: str) -> Redaction | None:
    # Cached: every cell of every row is checked, and leaked tables repeat their values.
    if not _MARKER_CHARACTER.search(raw):
        return None
    text = clean_text(raw, MAX_MARKER_TEXT)
    if not text:
        return None
    marker = str(raw).strip()
    if _is_block_or_mask(text):
        return Redaction(marker, "")
    codes: list[str] = []
    formal = False  # a code written "(b)(6)" or a statute, not a bare "b6" that may be a name
    rest = _FOIA_STATUTE.sub(" ", text)
    for match in _FOIA_CODE.finditer(rest):
        codes.append(_foia_code(match))
        formal = formal or bool(match["open"])
    rest = _FOIA_CODE.sub(" ", rest)
    for match in _EXEMPTION_NUMBER.finditer(rest):
        codes.append(_foia_code(match))
        formal = True
    rest = _EXEMPTION_NUMBER.sub(" ", rest)
    for match in _STATUTE.finditer(rest):
        codes.append(" ".join(match.group(0).split()).rstrip(".,;:"))
        formal = True
    rest = _STATUTE.sub(" ", rest)
    words = [w.lower() for w in _WORD.findall(rest)]
    has_marker_word = any(w in _MARKER_WORDS for w in words)
    if not codes and not has_marker_word:
        return None
    explanation = [w for w in words if w not in _MARKER_WORDS and w not in _JOINING_WORDS]
    if explanation and not (
        (formal or has_marker_word)
        and not any(c.isdigit() for w in explanation for c in w)
        and len(explanation) <= _MAX_EXPLANATION_WORDS
        and any(w in _EXPLANATION_WORDS for w in explanation)
    ):
        return None
    return Redaction(marker, ", ".join(dict.fromkeys(codes)))
