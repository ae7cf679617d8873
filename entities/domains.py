"""Places an email domain or host names: ccTLDs, state labels, and a city glued to its state.

A government sends from a host that often says where it is: ``police.vic.gov.au`` (Victoria,
Australia), ``co.washington.or.us`` (Oregon), ``dps.texas.gov`` (Texas), ``columbiamo.gov``
(Columbia, Missouri: a Census place of that state followed by the state's postal code). The
labels are read against pycountry's subdivision codes and the shipped Census places, never a
list of hosts.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pycountry

from foialog.entities.jurisdiction import us_states
from foialog.entities.reference import COUNTY_WORDS, PLACE_WORDS, us_counties, us_places

#: Endings that name a country beyond the ccTLD (.gov and .mil are US federal; gc.ca Canada's).
_GENERIC_COUNTRY = {"gov": "US", "mil": "US", "us": "US", "uk": "GB"}
#: Leading labels of a municipal host name that are not part of the place ("cityofcolumbiamo").
_MUNICIPAL_HEADS = ("cityof", "townof", "villageof", "countyof", "ci", "co")
#: Country codes used as generic endings ("flock.io", "vendor.co", "app.ai").
_NOT_PLACES = frozenset({"io", "co", "tv", "me", "ai", "fm", "ly", "to", "cc", "ws"})
#: Shortest place glued to a state code that is read as one ("elmo" is not El + MO).
_MIN_GLUED = 3


@cache
def _subdivision_codes() -> dict[str, frozenset[str]]:
    """Country -> the local part of its first-level subdivision codes ("vic", "on", "mo")."""
    codes: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            country, local = str(sub.code).split("-", 1)
            codes.setdefault(country, set()).add(local.casefold())
    return {k: frozenset(v) for k, v in codes.items()}


#: Long forms the place keys expand ("saint"), back to the short forms hosts use ("st").
_SHORT_WORDS = {long: short for short, long in PLACE_WORDS.items()}


@cache
def _glued_places() -> dict[str, frozenset[str]]:
    """Census places and counties (without "county", "parish" ...) with the spaces taken out
    ("kansascity", "webster") -> their regions."""
    glued: dict[str, set[str]] = {}
    for name, regions in us_places().items():
        glued.setdefault(name.replace(" ", ""), set()).update(regions)
        short = "".join(_SHORT_WORDS.get(w, w) for w in name.split())
        glued.setdefault(short, set()).update(regions)
    for name, regions in us_counties().items():
        for word in COUNTY_WORDS:
            if name.endswith(" " + word):
                words = name.removesuffix(" " + word).split()
                # Hosts write the short form the county key expanded ("stcharlesla.gov").
                shortened = [_SHORT_WORDS.get(w, w) for w in words]
                for form in ("".join(words), "".join(shortened)):
                    glued.setdefault(form, set()).update(regions)
    return {k: frozenset(v) for k, v in glued.items()}


#: Words of an agency's kind glued between its place and its state ("webstersheriffla").
_KIND_TAILS = ("sheriffs", "sheriff", "police", "county", "parish", "pd", "so", "co")
#: Words of a municipality glued before its state: the word itself marks where the place
#: ends, so the state after it is read even for a township the Census places omit
#: ("independencetownshipnj").
_MUNICIPAL_TAILS = ("township", "borough", "village", "city", "town")


def _glued_region(label: str) -> str:
    """The region of a label that is a Census place and its state ("columbiamo",
    "pointcomfort-tx", "webstercountyla", "austintexas")."""
    head_part, _, last = label.rpartition("-")
    if head_part and len(head_part) >= _MIN_GLUED and last in us_states():
        # A state written apart ("independencetownship-nj.gov") needs no Census place.
        return us_states()[last]
    label = label.replace("-", "")
    for head in ("", *_MUNICIPAL_HEADS):
        if head and not label.startswith(head):
            continue
        rest = label[len(head) :]
        for state, region in _glued_states():
            if not rest.endswith(state):
                continue
            place = rest.removesuffix(state)
            marked = [t for t in _MUNICIPAL_TAILS if place.endswith(t)]
            if marked and len(place) - len(marked[0]) >= _MIN_GLUED and len(state) == 2:
                return region
            for tail in ("", *_KIND_TAILS):
                bare = place.removesuffix(tail) if tail else place
                cut = not tail or bare != place
                if cut and len(bare) >= _MIN_GLUED and region in _glued_places().get(bare, ()):
                    return region
    return ""


@cache
def _glued_states() -> tuple[tuple[str, str], ...]:
    """US state postal codes and names without spaces, longest first ("newyork", "ny")."""
    pairs = {(name.replace(" ", ""), code) for name, code in us_states().items()}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@lru_cache(maxsize=1 << 14)
def domain_place(domain: str) -> tuple[str, str]:
    """(country, region) an email domain or host names; ("", "") when it names none."""
    labels = [p for p in domain.casefold().strip(" .>").split(".") if p]
    if len(labels) < 2:
        return "", ""
    tld = labels[-1]
    if tld in _GENERIC_COUNTRY:
        country = _GENERIC_COUNTRY[tld]
    elif labels[-2:] == ["gc", "ca"]:
        country = "CA"
    elif len(tld) == 2 and tld.upper() in _subdivision_codes() and tld not in _NOT_PLACES:
        country = tld.upper()
    else:
        country = ""
    inner = labels[:-1]
    if country:
        # The label nearest the ending that is one of the country's subdivision codes (or a
        # US state's name): "police.vic.gov.au", "co.washington.or.us", "dps.texas.gov".
        codes = _subdivision_codes().get(country, frozenset())
        for at, label in reversed(list(enumerate(inner))):
            # "co." and "ci." lead a .us locality host (county, city: "co.phillips.co.us");
            # only there are they not Colorado's code.
            if label in ("gov", "gc", "state", "police") or (at == 0 and label in ("co", "ci")):
                continue
            if label in codes and (country != "US" or label in us_states()):
                return country, f"{country}-{label.upper()}"
            if country == "US" and len(label) > 2 and label in us_states():
                return country, us_states()[label]
    if country in ("", "US") and tld in ("gov", "org", "us", "net", "com"):
        region = _glued_region(labels[-2])
        if region:
            return "US", region
    return country, ""
