"""What resolution reads (a mention of an agency) and what it returns (an agency)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    """An agency name as written, with what the same row and document say about it."""

    raw: str
    #: ISO 3166-1 alpha-2 from the row's own columns, or "".
    country: str = ""
    #: ISO 3166-2 from the row's own columns ("US-FL"), or "".
    region: str = ""
    #: The domain of a contact address on the row ("polksheriff.org"), or "".
    email_domain: str = ""
    #: An agency type another column states (project vocabulary, e.g. "sheriff"), or "".
    type_hint: str = ""
    #: The country most rows of the same document name, or "".
    context_country: str = ""
    #: The one region every placed row of the same document names (or its title), or "".
    context_region: str = ""
    #: A place the row states but no reader could read ("Süd-Carolina"), folded; "" when
    #: the row states none or region holds it. Such a row is neither placed nor silent.
    place_raw: str = ""


@dataclass(frozen=True)
class Agency:
    """A group of mentions judged to be one agency."""

    agency_id: str
    name: str
    agency_type: str
    country: str
    region: str
    reference_id: str
    #: 0 to 1: how sure the grouping and the link are.
    confidence: float
    variants: tuple[str, ...]
    #: Reporter corrections that changed this agency, one line each.
    corrections: tuple[str, ...] = ()
