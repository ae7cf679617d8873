"""Page furniture: page numbers, Bates numbers, running titles and footer dates."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from foialog.extract.tables.words import Word, group_lines
from foialog.extract.values.dates import parse_date

#: Share of the page height at the top and bottom where headers and footers sit.
MARGIN = 0.08
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,5}(?:\s*(?:of|/)\s*\d{1,5})?$|^-\s*\d{1,5}\s*-$|^page\s+\d{1,5}\b.*$",
    re.IGNORECASE,
)
#: Bates numbers: a letter prefix and a long number ("CV-LOG-000123", "DOJ_0001234").
_BATES = re.compile(r"^[A-Z][A-Z0-9]{1,10}(?:[-_ ][A-Z0-9]{1,10})*[-_ ]?\d{4,10}$")
_STAMP = re.compile(
    r"^(?:printed|generated|created|run|exported|report date|as of|date)\b", re.IGNORECASE
)


def is_furniture(text: str) -> bool:
    """Return True for a line that is a page number, a Bates number or a printed date stamp."""
    text = text.strip()
    if _PAGE_NUMBER.match(text) or _BATES.match(text):
        return True
    # A stamp prints its date or time: "Date Agency Searches" at the top is a header row.
    if _STAMP.match(text) and len(text) <= 60 and any(c.isdigit() for c in text):
        return True
    return parse_date(text).precision == "day"


def split_furniture(words: Sequence[Word], height: float) -> tuple[list[Word], list[str]]:
    """Take furniture lines out of a page's words; return the rest and the furniture text.

    Only lines in the top or bottom margin count, so a page number inside a table stays.
    """
    kept: list[Word] = []
    found: list[str] = []
    for line in group_lines(words):
        top = min(w.top for w in line)
        bottom = max(w.bottom for w in line)
        text = " ".join(w.text for w in line)
        in_margin = bottom <= MARGIN * height or top >= (1 - MARGIN) * height
        if in_margin and is_furniture(text):
            found.append(text)
        else:
            kept.extend(line)
    return kept, found


def running_lines(page_lines: Sequence[Sequence[str]], *, share: float = 0.6) -> frozenset[str]:
    """Lines printed on most pages (running titles and footers), given each page's title lines."""
    if len(page_lines) < 3:
        return frozenset()
    counts = Counter(line for lines in page_lines for line in set(lines))
    need = max(3, share * len(page_lines))
    return frozenset(line for line, n in counts.items() if n >= need)
