"""Pairwise judgements on parsed names: vetoes first, then a similarity score."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from foialog.entities.normalise import ParsedName, initials

#: Words that name a different place when they differ ("North Port" is not "Port").
DISTINGUISHING = frozenset({
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "new", "old", "upper", "lower", "fort", "port", "lake", "mount", "saint", "sainte", "city",
    "county", "township", "town", "village", "borough", "beach", "heights", "park", "springs",
    "falls", "hills", "island", "valley", "junction", "center", "centre", "university",
    "college", "school", "schools", "state", "regional", "metropolitan", "district", "tribal",
    "transit", "airport", "harbor", "harbour", "parks", "housing", "capitol",
})  # fmt: skip
_MARKERS = DISTINGUISHING | {f"{w}s" for w in DISTINGUISHING}
_DIGITS = re.compile(r"\d+")
#: Similarity (0-100) at or above which two names are one agency when nothing vetoes it.
MERGE_AT = 92.0
#: Similarity at or above which a pair that did not merge is shown for review.
REVIEW_AT = 84.0


def same_place(a: str, b: str) -> bool:
    """True when two jurisdiction codes agree or one is unknown."""
    return not a or not b or a == b


def kinds_agree(a: ParsedName, b: ParsedName) -> bool:
    """True unless both names state a kind and the kinds differ (sheriff vs police)."""
    return not a.kind or not b.kind or a.kind == b.kind


def places_agree(a: ParsedName, b: ParsedName) -> bool:
    """Vetoes on the place part: numbers and distinguishing words must be the same."""
    return _signature(a.key, a.place) == _signature(b.key, b.place)


@lru_cache(maxsize=1 << 18)
def _signature(key: str, place: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The numbers of a key and the place words of its place part."""
    # Singular and plural are one word here ("Bay Harbor Island" / "Bay Harbor Islands").
    words = frozenset(w.removesuffix("s") for w in place.split() if w in _MARKERS)
    return tuple(_DIGITS.findall(key)), words


def similarity(a: ParsedName, b: ParsedName) -> float:
    """0-100: how alike two names are once keys are compared; vetoes give 0."""
    if a.key == b.key:
        return 100.0
    if not kinds_agree(a, b) or not places_agree(a, b):
        return 0.0
    whole = fuzz.token_sort_ratio(a.key, b.key)
    if a.kind and b.kind:
        # Local agencies differ by place alone: the place must be nearly the same.
        return min(whole, fuzz.ratio(a.place, b.place))
    return whole


def acronym_of(short: ParsedName, long: ParsedName) -> bool:
    """True when one name is an acronym of the other ("LAPD", "Texas DPS")."""
    if short.acronym and short.acronym in initials(long.words):
        return True
    return bool(len(short.words) >= 2 and short.key in initials(long.words))
