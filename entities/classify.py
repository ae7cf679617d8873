"""Agency type and country from the name, the reference entry, email domains and context."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from foialog.entities.normalise import ParsedName, parse_name
from foialog.entities.reference import Entry

#: The agency types foialog assigns, in the order docs/foialog.entities.md lists them.
AGENCY_TYPES = (
    "local police",
    "sheriff",
    "state police",
    "federal",
    "prosecutor",
    "corrections",
    "university or school",
    "military",
    "other government",
    "private company",
    "international",
)
_WORD_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"\b(?:{pattern})\b"))
    for kind, pattern in (
        ("international", r"interpol|europol|eurojust|frontex|united nations|unodc"),
        (
            "corrections",
            r"corrections?|correctional|prisons?|jail|detention|penitentiary|probation|parole",
        ),
        ("prosecutor", r"attorney general|district attorney|prosecutors?|prosecuting|fiscalia"),
        ("military", r"army|navy|air force|marine corps|military|defen[cs]e|national guard"),
        ("university or school", r"university|college|school|schools|campus|isd|academy"),
        ("state police", r"state police|highway patrol|state patrol"),
        ("sheriff", r"sheriffs?"),
        ("local police", r"police|constable|marshals? office|public safety"),
        (
            "federal",
            r"federal|national|ministry|bureau of|bundes\w*|policia federal|gendarmerie",
        ),
        (
            "other government",
            r"department|office|agency|authority|commission|county|city|town|village|"
            r"township|borough|municipality|government|council",
        ),
    )
)
#: Company forms, matched on the name as written (a folded "co" is read as county).
_COMPANY = re.compile(
    r"\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|GmbH|PLC|plc|S\.A|AG|LLP|Pty)\b\.?"
)
#: Email domain endings that say what kind of body sends from them.
_DOMAIN_TYPES = (
    (".mil", "military"),
    (".edu", "university or school"),
    (".ac.uk", "university or school"),
    (".police.uk", "local police"),
)
#: Domain endings that name a country beyond the ccTLD.
_DOMAIN_COUNTRIES = {"gov": "US", "mil": "US", "edu": "US", "uk": "GB"}


def type_from_name(parsed: ParsedName) -> str:
    """The agency type the name's words say, or "" when they say none."""
    if _COMPANY.search(parsed.raw):
        return "private company"
    if parsed.kind == "sheriff":
        return "sheriff"
    if parsed.kind == "prosecutor":
        return "prosecutor"
    if parsed.kind == "state police":
        return "state police"
    text = " ".join(parsed.words)
    for kind, pattern in _WORD_TYPES:
        if pattern.search(text):
            if (
                kind == "local police"
                and parsed.country not in ("", "US")
                and re.search(r"\b(?:national|federal)\b", text)
            ):
                return "federal"
            return kind
    return ""


def type_from_domain(domain: str) -> str:
    """The agency type an email domain implies, or ""."""
    domain = domain.casefold()
    for ending, kind in _DOMAIN_TYPES:
        if domain.endswith(ending):
            return kind
    return ""


def country_from_domain(domain: str) -> str:
    """The country an email domain's ending names (ccTLD, .gov, .gov.uk), or ""."""
    parts = domain.casefold().rstrip(".").split(".")
    if len(parts) < 2:
        return ""
    tld = parts[-1]
    if tld in _DOMAIN_COUNTRIES:
        return _DOMAIN_COUNTRIES[tld]
    if len(tld) == 2 and tld.isalpha() and tld not in ("io", "co", "tv", "me", "ai"):
        return tld.upper()
    return ""


def classify(
    names: Iterable[ParsedName],
    entry: Entry | None,
    domains: Iterable[str] = (),
    hints: Iterable[str] = (),
) -> str:
    """Agency type: the reference entry's, refined by the name; else name, columns, domains."""
    parsed = list(names)
    by_name = Counter(t for t in (type_from_name(p) for p in parsed) if t)
    if entry is not None:
        # The FBI files county police under "County" and schools under "Other".
        refined = type_from_name(parse_name(entry.name))
        if entry.agency_type in ("sheriff", "other government", "local police") and refined in (
            "local police",
            "sheriff",
            "corrections",
            "prosecutor",
            "university or school",
            "state police",
        ):
            return refined
        return entry.agency_type
    stated = Counter(h for h in hints if h in AGENCY_TYPES)
    if stated:
        return stated.most_common(1)[0][0]
    if by_name:
        return sorted(by_name.items(), key=lambda kv: (-kv[1], AGENCY_TYPES.index(kv[0])))[0][0]
    by_domain = Counter(t for t in (type_from_domain(d) for d in domains) if t)
    if by_domain:
        return by_domain.most_common(1)[0][0]
    return ""


def place_of(country_votes: Iterable[str], region_votes: Iterable[str]) -> tuple[str, str]:
    """The most common stated country and region (ties go to the alphabetical first)."""
    countries = Counter(c for c in country_votes if c)
    regions = Counter(r for r in region_votes if r)
    country = sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if countries else ""
    region_list = sorted(
        ((r, n) for r, n in regions.items() if not country or r.startswith(country + "-")),
        key=lambda kv: (-kv[1], kv[0]),
    )
    region = region_list[0][0] if region_list else ""
    return country or (region.split("-")[0] if region else ""), region


def folded_domain(email: str) -> str:
    """The domain of an email address, folded; "" when there is none."""
    _, _, domain = email.strip().rpartition("@")
    return domain.strip(" .>").casefold() if "@" in email else ""
