"""Name keys: the same agency written differently gets the same key."""

from __future__ import annotations

import re
import unicodedata

# Expansions applied to whole words of a folded name; the key then matches either spelling.
ABBREVIATIONS: dict[str, str] = {
    "dept": "department",
    "dpt": "department",
    "pd": "police department",
    "so": "sheriffs office",
    "co": "county",
    "cnty": "county",
    "twp": "township",
    "sheriff": "sheriffs",
    "atty": "attorney",
    "da": "district attorney",
    "univ": "university",
    "hwy": "highway",
    "natl": "national",
    "intl": "international",
    "govt": "government",
    "st": "saint",
    "ft": "fort",
    "mt": "mount",
}
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Casefold, strip diacritics and punctuation, collapse white space."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    no_apostrophe = stripped.replace("'", "").replace("’", "")
    return _SPACE.sub(" ", _PUNCT.sub(" ", no_apostrophe.casefold())).strip()


def name_key(text: str) -> str:
    """Return the grouping key of an agency name: folded, abbreviations expanded."""
    words = fold(text).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)
