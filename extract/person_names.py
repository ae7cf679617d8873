"""Columns of people's names (a request log's requesters): never the agency of a row.

Evidence, not a list of names: a value is a person when it has the shape of a name (two or
three capitalised words, initials allowed, no digits) and spaCy's model labels it PERSON.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from entities.errors import SettingsError
from extract.blocks import CellValue
from extract.language import load_language

if TYPE_CHECKING:
    from spacy.language import Language

_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?|[A-Z]\.?")
#: Share of a column's filled values that must be people for the column to be people.
PEOPLE_SHARE = 0.6
#: Values looked at per column (an evenly spaced sample of a long column).
_SAMPLE = 60


def name_shaped(text: str) -> bool:
    """True for two or three capitalised words, one at least a whole word ("Randy C")."""
    words = text.split()
    return (
        2 <= len(words) <= 3
        and all(_NAME_WORD.fullmatch(w) for w in words)
        and sum(len(w.rstrip(".")) > 1 for w in words) >= 1
    )


def person_share(values: Sequence[CellValue]) -> float:
    """Share of a column's filled values that are people's names (0 without a spaCy model)."""
    texts = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if not texts:
        return 0.0
    texts = texts[:: max(1, len(texts) // _SAMPLE)]
    shaped = [t for t in texts if name_shaped(t)]
    if len(shaped) < PEOPLE_SHARE * len(texts):
        return len(shaped) / len(texts)  # too few look like names to ask the model
    nlp = _model()
    if nlp is None:
        return 0.0
    people = {doc.text for doc in nlp.pipe(sorted(set(shaped))) if _is_person(doc)}
    return sum(t in people for t in texts) / len(texts)


def _is_person(doc: object) -> bool:
    """True when the model's PERSON entities cover the whole value."""
    ents = getattr(doc, "ents", ())
    covered = sum(len(e) for e in ents if e.label_ == "PERSON")
    return covered >= len(doc)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=1)
def _model() -> Language | None:
    try:
        return load_language()
    except SettingsError:
        return None  # no model installed: no column is called people
