"""Read country and region cells into ISO 3166 codes, offline, from pycountry plus local aliases."""

from __future__ import annotations

import functools
import gettext
import hashlib
import importlib.metadata
import pickle
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import pycountry

from foialog.entities.domains import domain_place
from foialog.entities.normalise import parse_name
from foialog.entities.reference import cache_folder, load_pickled, save_pickled

from .counts import NULL_TOKENS, clean_text

#: Longest cell read as a place name.
MAX_PLACE_TEXT = 80

# Names pycountry lacks: short, native and historical forms seen in agency logs.
_COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "us": "US",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "deutschland": "DE",
    "brasil": "BR",
    "espana": "ES",
    "nederland": "NL",
    "holland": "NL",
    "turkey": "TR",
    "uae": "AE",
    "emirates": "AE",
    "ksa": "SA",
    "ivory coast": "CI",
    "republic of korea": "KR",
    "korea south": "KR",
    "north korea": "KP",
    "korea north": "KP",
    "dprk": "KP",
    "russia": "RU",
    "czech republic": "CZ",
    "macedonia": "MK",
    "palestine": "PS",
    "vatican": "VA",
    "vatican city": "VA",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "democratic republic of congo": "CD",
    "congo kinshasa": "CD",
    "republic of the congo": "CG",
    "congo brazzaville": "CG",
    "burma": "MM",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "prc": "CN",
    "peoples republic of china": "CN",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "osterreich": "AT",
    "italia": "IT",
    "polska": "PL",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "eire": "IE",
    "belgique": "BE",
    "belgie": "BE",
    "hellas": "GR",
    "bosnia": "BA",
    "micronesia": "FM",
}
# Keys that look like a country but are not one: "NA" is Namibia's code, but in a log it is
# nearly always "not available"; the region-free words name no single country.
_NOT_COUNTRIES = frozenset(
    {"na", "n a", "international", "global", "worldwide", "multiple", "various", "other", "eu"}
)

# Region names pycountry lacks (it has "Bayern", not "Bavaria"), and AP-style state
# abbreviations ("Calif.", "Tex.") that US records use.
_REGION_ALIASES: dict[str, str] = {
    "washington dc": "US-DC",
    "washington d c": "US-DC",
    **{
        key: f"US-{code}"
        for code, keys in {
            "AL": ("ala",),
            "AZ": ("ariz",),
            "AR": ("ark",),
            "CA": ("calif", "cal"),
            "CO": ("colo",),
            "CT": ("conn",),
            "DE": ("del",),
            "FL": ("fla",),
            "IL": ("ill",),
            "IN": ("ind",),
            "KS": ("kan", "kans"),
            "MA": ("mass",),
            "MI": ("mich",),
            "MN": ("minn",),
            "MS": ("miss",),
            "MT": ("mont",),
            "NE": ("neb", "nebr"),
            "NV": ("nev",),
            "OK": ("okla",),
            "OR": ("ore", "oreg"),
            "TN": ("tenn",),
            "TX": ("tex",),
            "WA": ("wash",),
            "WV": ("w va",),
            "WI": ("wis", "wisc"),
            "WY": ("wyo",),
        }.items()
        for key in keys
    },
    "bavaria": "DE-BY",
    "lower saxony": "DE-NI",
    "north rhine westphalia": "DE-NW",
    "rhineland palatinate": "DE-RP",
    "saxony": "DE-SN",
    "saxony anhalt": "DE-ST",
    "thuringia": "DE-TH",
    "hesse": "DE-HE",
    "mecklenburg western pomerania": "DE-MV",
    "baden wuerttemberg": "DE-BW",
    "thueringen": "DE-TH",
    "newfoundland": "CA-NL",
    "pei": "CA-PE",
    "nwt": "CA-NT",
    "cdmx": "MX-CMX",
    "mexico city": "MX-CMX",
}

_PUNCTUATION = re.compile(r"[.’'`()\[\]]")
_SEPARATORS = re.compile(r"[-‐–—_/,&]")


@functools.lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """Return the comparison form of a place name: lower case, no accents or punctuation."""
    # Cached: building the indexes asks for 71,000 keys of 16,000 names (each translation
    # that is the English name again), about 0.3 CPU-s in every run.
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _PUNCTUATION.sub("", text.replace("&", " and "))
    text = " ".join(_SEPARATORS.sub(" ", text).split())
    if text.startswith("st "):
        text = "saint " + text[3:]
    return text.removeprefix("the ")


#: Languages whose country and subdivision names are read too, from pycountry's own
#: translations of ISO 3166 ("Alemania", "États-Unis", "Caroline du Nord", "Kalifornien").
LANGUAGES = ("es", "fr", "de", "pt", "it", "nl", "pl", "sv", "da", "nb", "fi", "cs", "ro")


@functools.cache
def _translations(domain: str) -> tuple[gettext.NullTranslations, ...]:
    """pycountry's translations of one ISO 3166 part, for LANGUAGES that ship it."""
    found = []
    for language in LANGUAGES:
        try:
            found.append(gettext.translation(domain, pycountry.LOCALES_DIR, [language]))
        except OSError:
            continue
    return tuple(found)


def _translated(domain: str, name: str) -> set[str]:
    """The comparison keys of a name in every language of LANGUAGES that translates it."""
    return {_key(t.gettext(name)) for t in _translations(domain)} - {_key(name)}


_RegionIndex = tuple[dict[str, dict[str, str]], dict[str, str], frozenset[str]]
_TranslatedRegions = tuple[dict[str, dict[str, str]], dict[str, str]]
_Indexes = tuple[dict[str, str], _RegionIndex, _TranslatedRegions]

#: Cache files of the built indexes are named by this and a hash (see _indexes).
_INDEX_PREFIX = "place-index-"


@functools.cache
def _indexes() -> _Indexes:
    """Every place-name index, read from the per-user cache folder when it is current there.

    Building them from pycountry's names and translations cost 0.35 CPU-s in every run; the
    pickle loads in a tenth of that. The file is named by a hash of pycountry's version (its
    names and translations), this module's code and Python's version, so a change to any
    builds them again; it is never in the package, and an unwritable folder only costs time.
    """
    folder = cache_folder()
    path = None if folder is None else folder / f"{_INDEX_PREFIX}{_index_key()}.pickle"
    if path is not None:
        loaded = load_pickled(path)
        if isinstance(loaded, tuple) and len(loaded) == 3:
            return loaded
    built = (_build_country_index(), _build_region_index(), _build_translated_regions())
    if path is not None:
        save_pickled(built, path, _INDEX_PREFIX, "place-name index")
    return built


def _index_key() -> str:
    """A hash of pycountry's version, this module's code and the Python and pickle versions."""
    digest = hashlib.sha256(f"{sys.version_info[:2]} {pickle.HIGHEST_PROTOCOL}".encode())
    digest.update(importlib.metadata.version("pycountry").encode() + b"\0")
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:24]


def _country_index() -> dict[str, str]:
    """Return comparison key -> alpha-2 for every pycountry name and code plus the aliases."""
    return _indexes()[0]


def _build_country_index() -> dict[str, str]:
    """Build _country_index from pycountry."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        for field in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, field, None)
            if isinstance(value, str):
                index.setdefault(_key(value), code)
    # English names first: a translation never takes a name another country has in English.
    for country in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            value = getattr(country, field, None)
            if isinstance(value, str):
                for key in _translated("iso3166-1", value):
                    index.setdefault(key, str(country.alpha_2))
    index.update(_COUNTRY_ALIASES)
    for key in _NOT_COUNTRIES:
        index.pop(key, None)
    return index


@functools.cache
def _alpha_2_codes() -> frozenset[str]:
    """Return every ISO 3166-1 alpha-2 code."""
    return frozenset(_country_index().values())


@functools.lru_cache(maxsize=65536)
def _country(raw: str) -> str:
    """Return the alpha-2 code for one cell's text."""
    text = clean_text(raw, MAX_PLACE_TEXT)
    return _country_index().get(_key(text), "") if text else ""


def parse_country(raw: object) -> str:
    """Return the ISO 3166-1 alpha-2 code a country cell names, or "" when it names none."""
    return _country(raw) if isinstance(raw, str) else ""


_AMBIGUOUS = ""


def _region_index() -> _RegionIndex:
    """Return per-country key -> code, world key -> code for top-level names, and all codes."""
    return _indexes()[1]


def _build_region_index() -> _RegionIndex:
    """Build _region_index from pycountry."""
    by_country: dict[str, dict[str, str]] = {}
    world: dict[str, str] = {}
    codes: set[str] = set()
    # Top-level subdivisions first, so a state wins over a same-named district inside it.
    subdivisions = sorted(pycountry.subdivisions, key=lambda s: s.parent_code is not None)
    for sub in subdivisions:
        code, country = str(sub.code), str(sub.country_code)
        codes.add(code)
        local = by_country.setdefault(country, {})
        for key in (_key(str(sub.name)), _key(code.split("-", 1)[1])):
            local.setdefault(key, code)
        if sub.parent_code is None:
            name = _key(str(sub.name))
            world[name] = code if world.get(name, code) == code else _AMBIGUOUS
    for key, code in _REGION_ALIASES.items():
        by_country.setdefault(code.split("-", 1)[0], {})[key] = code
        world[key] = code
    return by_country, world, frozenset(codes)


def _translated_regions() -> _TranslatedRegions:
    """Top-level subdivision names in LANGUAGES: per country and world-wide, as _region_index."""
    return _indexes()[2]


def _build_translated_regions() -> _TranslatedRegions:
    """Build _translated_regions from pycountry's translations."""
    by_country: dict[str, dict[str, str]] = {}
    world: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        code, country = str(sub.code), str(sub.country_code)
        for key in _translated("iso3166-2", str(sub.name)):
            if len(key) > 3:
                by_country.setdefault(country, {}).setdefault(key, code)
                world[key] = code if world.get(key, code) == code else _AMBIGUOUS
    return by_country, world


@functools.lru_cache(maxsize=65536)
def _region(text: str, country: str) -> str:
    """Return the ISO 3166-2 code for one cell's text within a country ("" for any)."""
    found = _english_region(text, country)
    if found or len(_key(text)) <= 3:
        return found
    by_country, world = _translated_regions()
    key = _key(text)
    if country:
        return by_country.get(country, {}).get(key, "")
    return by_country.get("US", {}).get(key) or world.get(key, "")


def _english_region(text: str, country: str) -> str:
    """The ISO 3166-2 code of a code, an English or native name, or an alias; or ""."""
    by_country, world, codes = _region_index()
    full = text.upper().replace(" ", "")
    if full in codes and (not country or full.startswith(f"{country}-")):
        return full
    key = _key(text)
    if country:
        return by_country.get(country, {}).get(key, "")
    us = by_country.get("US", {})
    if len(key) == 2:
        # With no country, a 2-letter code is read as a US state ("CA" is California, not
        # Canada): the logs this tool reads are mostly US, and other 2-letter subdivision
        # codes repeat across countries, so there is nothing better to pick.
        return us.get(key, "")
    return us.get(key) or world.get(key, "")


def parse_host(raw: object) -> tuple[str, str]:
    """(country, region) an email address, host or URL names ("x@columbiamo.gov" is
    ("US", "US-MO"), "police.vic.gov.au" ("AU", "AU-VIC")); ("", "") when it names none."""
    if not isinstance(raw, str):
        return "", ""
    text = raw.strip().casefold()
    host = text.rpartition("@")[2] if "@" in text else text.split("://")[-1]
    host = host.split("/")[0].split(":")[0].strip(" .<>")
    return domain_place(host) if "." in host and " " not in host else ("", "")


def parse_region(raw: object, country: str = "") -> str:
    """Return the ISO 3166-2 code a region cell names within country, or "" when unknown."""
    if not isinstance(raw, str):
        return ""  # numbers and dates from a spreadsheet name no region
    return _region_of_text(raw, country if isinstance(country, str) else "")


@functools.lru_cache(maxsize=65536)
def _region_of_text(raw: str, country: str) -> str:
    # Cached: every row of a table is read, and its regions repeat (50 states, 80,000 rows).
    text = clean_text(raw, MAX_PLACE_TEXT)
    if not text:
        return ""
    wanted = country.strip()
    code = wanted.upper() if wanted.upper() in _alpha_2_codes() else parse_country(wanted)
    if wanted and not code:
        return ""
    return _region(text, code)


_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-zé]+(?:\s+(?:of\s+)?[A-Z][a-zé]+){0,2}\b")
_DC_AFTER = re.compile(r",?\s*D\.?\s?C\b")


def find_region(text: str) -> tuple[str, str]:
    """(ISO 3166-2 code, name as written) of the one first-level region a sentence names by
    its full name ("ran 812 searches in Missouri"), else ("", "")."""
    found: dict[str, str] = {}
    for match in _CAPITALISED_RUN.finditer(text):
        if match.group(0) == "Washington" and _DC_AFTER.match(text, match.end()):
            found.setdefault("US-DC", text[match.start() : match.end() + 5].strip(" ,"))
            continue
        words = match.group(0).split()
        taken: set[int] = set()
        for size in range(len(words), 0, -1):
            for i in range(len(words) - size + 1):
                span = set(range(i, i + size))
                piece = " ".join(words[i : i + size])
                if span & taken or len(piece) <= 3 or words[i] == "of":
                    continue
                code = _english_region(piece, "")
                if code and "-" in code:
                    found.setdefault(code, piece)
                    taken |= span
    return next(iter(found.items())) if len(found) == 1 else ("", "")


def title_region(
    lines: Sequence[str], names: Iterable[str], regions: Iterable[str]
) -> tuple[str, str]:
    """The one region a table's title names ("Missouri agencies"), when no row says another:
    neither a region cell nor a state in an agency's name ("Crisp County GA SO")."""
    found = find_region(" ".join(lines))
    if not found[0]:
        return "", ""
    stated = {r for r in regions if r} | {parse_name(n).region for n in names} - {""}
    return found if stated <= {found[0]} else ("", "")


def unread_place(raw: str, region: str) -> str:
    """The place a cell states that parse_region could not read ("Süd-Carolina"), folded;
    "" when the cell was read, is empty, or holds no word (a null marker: "n/a", "-")."""
    text = clean_text(raw, MAX_PLACE_TEXT)
    if region or not text or text.casefold() in NULL_TOKENS:
        return ""
    key = _key(text)
    return key if sum(c.isalpha() for c in key) >= 3 else ""


def heading_region(text: str, names: Iterable[str], regions: Iterable[str]) -> tuple[str, str]:
    """The one region a text's heading names ("Missouri agencies": a first line set apart by
    a blank line, not a sentence), when no record says another (see title_region)."""
    lines = text.strip().splitlines()
    if len(lines) < 2 or lines[1].strip():
        return "", ""
    heading = lines[0].strip()
    if len(heading) > MAX_PLACE_TEXT or heading.endswith((".", "!", "?")):
        return "", ""
    return title_region([heading], names, regions)
