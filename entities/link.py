"""Link a mention to a reference entry (an FBI ORI, a Federal Register or curated id)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from foialog.entities.compare import REVIEW_AT, kinds_agree, places_agree, same_place
from foialog.entities.domains import domain_place
from foialog.entities.jurisdiction import bare_jurisdiction
from foialog.entities.mention import Mention
from foialog.entities.normalise import KIND_PHRASES, UNIT_WORDS, ParsedName, fold, parse_name
from foialog.entities.reference import Entry, Reference, load_reference, us_counties, us_places

#: Score (0-100) a fuzzy link needs, and how far ahead of the next entry it must be.
LINK_AT = 92.0
LINK_MARGIN = 4.0
#: What a type stated in another column adds to a bare place name ("Cocke" + County).
_HINT_SUFFIX = {
    "local police": "Police Department",
    "sheriff": "County Sheriff's Office",
    "state police": "State Police",
}


@dataclass(frozen=True)
class Link:
    """A mention's best reference entry, or the candidates that made it ambiguous."""

    reference_id: str
    #: 0 to 1.
    score: float
    #: exact, acronym, fuzzy; or ambiguous / weak when reference_id is "".
    method: str
    #: Other entries that came close: (reference_id, score 0-1).
    candidates: tuple[tuple[str, float], ...] = ()


NO_LINK = Link("", 0.0, "none")


@dataclass(frozen=True)
class Place:
    """Where a mention is, and which clue said so."""

    country: str
    region: str
    #: column, name, email domain, county (a Census county-equivalent named once), document;
    #: "" when nothing places it.
    source: str


#: Kinds of agency that serve one locality, which a document's scope may place.
_LOCAL_KINDS = frozenset({"police", "sheriff", "marshal", "constable", "prosecutor"})


def county_regions(parsed: ParsedName, *, equivalents: bool = False) -> frozenset[str]:
    """Regions of the US county or county-equivalent the name names ("Jefferson Parish").

    ``equivalents``: only parishes, boroughs, census areas and municipalities. A county
    alone never places a name: the FBI's own list calls Louisiana's parish sheriffs "County
    Sheriff's Office" (Ouachita County: Arkansas's, and Louisiana's parish).
    """
    words = parsed.words
    counties = us_counties()
    found: frozenset[str] = frozenset()
    ends = ("parish", "borough", "area", "municipality")
    for end, word in enumerate(words):
        if word not in ends and (equivalents or word != "county"):
            continue
        for start in range(max(0, end - 4), end):
            regions = counties.get(" ".join(words[start : end + 1]))
            if regions:
                found = regions  # the longest phrase ending here wins
                break
    return found


def place_of_mention(m: Mention, parsed: ParsedName) -> Place:
    """The mention's place from every clue: its row's columns, its name, its row's email
    domain, a county-equivalent only one state has, then the document's one state."""
    region, source = (m.region, "column") if m.region else (parsed.region, "name")
    if not region and not parsed.kind and m.country in ("", "US"):
        region = bare_jurisdiction(parsed.key)[1]  # "Oklahoma": the state itself
    named = parsed.country
    if named not in ("", "US") and parsed.kind and parsed.place in us_places():
        named = ""  # "Greenland Police Department": a US town's name, not a country's
    country = m.country or (m.region.split("-")[0] if m.region else "") or named
    country = country or (region.split("-")[0] if region else "")
    if region and not region.startswith(country + "-"):
        region = m.region if m.region.startswith(country + "-") else ""
    if not region and m.email_domain:
        domain_country, domain_region = domain_place(m.email_domain)
        if domain_country and (not country or country == domain_country):
            country, region, source = domain_country, domain_region, "email domain"
    if not region and country in ("", "US"):
        counties = county_regions(parsed, equivalents=True)
        if len(counties) == 1:
            region, source = next(iter(counties)), "county"
            country = "US"
    if (
        not region
        and m.context_region
        and m.context_region.startswith(f"{country or m.context_region[:2]}-")
        and (parsed.kind in _LOCAL_KINDS or county_regions(parsed))
    ):
        region, source = m.context_region, "document"
        country = region.split("-")[0]
    if not (country or region):
        source = ""
    elif not region and source != "email domain":
        source = "column" if m.country else "name"
    return Place(country, region, source)


def jurisdiction(m: Mention, parsed: ParsedName) -> tuple[str, str]:
    """The mention's country and region (see place_of_mention)."""
    place = place_of_mention(m, parsed)
    return place.country, place.region


def _fits(entry: Entry, country: str, region: str) -> bool:
    """The entry lies in the mention's jurisdiction, where the mention states one."""
    return same_place(country, entry.country) and same_place(region, entry.region)


def _query(m: Mention) -> ParsedName:
    """The parsed name, with the kind a type column states when the name gives none."""
    parsed = parse_name(m.raw)
    suffix = _HINT_SUFFIX.get(m.type_hint)
    if parsed.kind or not suffix:
        return parsed
    if m.type_hint == "sheriff" and "county" in parsed.words:
        suffix = "Sheriff's Office"
    return parse_name(f"{m.raw.rstrip(': ')} {suffix}")


def _blocks(ref: Reference, country: str, region: str) -> list[tuple[str, str]]:
    """Which jurisdictions a fuzzy search looks in."""
    if region:
        return [(country, region), (country, "")]
    if country == "US":
        return [("US", "")]
    if country:
        return [(country, r) for r in ref.regions(country)] + [("", "")]
    return ref.national_blocks()


def _prefer_hint(found: list[int], ref: Reference, hint: str) -> list[int]:
    """Entries of the stated type when that narrows the choice."""
    typed = [i for i in found if ref.entries[i].agency_type == hint]
    return typed if hint and typed else found


def link(m: Mention, ref: Reference | None = None) -> Link:
    """Return the mention's reference entry when one fits clearly, else why not."""
    ref = ref or load_reference()
    parsed = _query(m)
    if not parsed.key:
        return NO_LINK
    country, region = jurisdiction(m, parsed)
    bare = bare_jurisdiction(parsed.key) if not parsed.kind else ("", "")
    if bare[0] and same_place(country, bare[0]) and same_place(region, bare[1]):
        return _jurisdiction_link(parsed, ref, *bare)
    # 1. The same key as a reference name, in a compatible jurisdiction.
    exact = sorted(
        {
            row.entry
            for row in ref.by_key().get(parsed.key, [])
            if _fits(ref.entries[row.entry], country, region) and kinds_agree(parsed, row.parsed)
        }
    )
    exact = _prefer_hint(exact, ref, m.type_hint)
    if len(exact) > 1 and parsed.acronym:
        # "Bundeskriminalamt (BKA)": the acronym in brackets tells two namesakes apart.
        named = set(ref.by_acronym.get(parsed.acronym, []))
        exact = [i for i in exact if i in named] or exact
    if len(exact) > 1:
        exact = _named_as_written(parsed, exact, ref) or exact
    if len(exact) == 1:
        return Link(ref.entries[exact[0]].reference_id, 1.0, "exact")
    if len(exact) > 1:
        return _ambiguous(ref, [(i, 100.0) for i in exact])
    # 2. An acronym the reference lists ("RCMP", "NYPD").
    acronym = parsed.acronym or (parsed.key if " " not in parsed.key else "")
    if acronym:
        found = sorted(
            {i for i in ref.by_acronym.get(acronym, []) if _fits(ref.entries[i], country, region)}
        )
        if region and all(not ref.entries[i].region for i in found):
            # A placed acronym ("BPD, Georgia") is the initials of an agency of that place
            # before it is a national body's listed acronym (the Bureau of the Public Debt).
            local = [
                i for i in ref.by_initials().get(acronym, []) if ref.entries[i].region == region
            ]
            if local:
                found = local
        if len(found) == 1:
            return Link(ref.entries[found[0]].reference_id, 0.95, "acronym")
        if len(found) > 1:
            return _ambiguous(ref, [(i, 95.0) for i in found])
    # 3. A bare place ("Anchorage", "Cocke") names its one police or sheriff's office.
    if region and not parsed.kind and parsed.place == parsed.key:
        block = ref.block(country, region)
        found = sorted(
            {
                block.names[n].entry
                for place in (parsed.key, f"{parsed.key} county")
                for n in block.by_place.get(place, [])
            }
        )
        found = _prefer_hint(found, ref, m.type_hint)
        if len(found) == 1:
            return Link(ref.entries[found[0]].reference_id, 0.9, "place")
        if len(found) > 1:
            return _ambiguous(ref, [(i, 90.0) for i in found])
    # 4. A near spelling in the mention's jurisdiction.
    return _fuzzy(parsed, ref, country, region, m.type_hint)


def _jurisdiction_link(parsed: ParsedName, ref: Reference, country: str, region: str) -> Link:
    """A bare state or country name ("Oklahoma" in a table of states) is that place: linked
    only to an entry that is the place itself (the FBI's "Puerto Rico"), never to an agency
    inside it (Oklahoma County Sheriff's Office) or to a town of the name elsewhere (Kansas,
    Illinois)."""
    found = sorted(
        {
            row.entry
            for row in ref.by_key().get(parsed.key, [])
            if (ref.entries[row.entry].country, ref.entries[row.entry].region) == (country, region)
        }
    )
    if len(found) == 1:
        return Link(ref.entries[found[0]].reference_id, 1.0, "exact")
    return NO_LINK


def _named_as_written(parsed: ParsedName, found: list[int], ref: Reference) -> list[int]:
    """The one namesake whose own name is written word for word as the mention is.

    Keys fold the kind ("Portland Police Bureau" and "Portland Police Department" are both
    "portland police"), yet a list's own name tells namesakes apart: only Oregon's is a
    Bureau, only Wisconsin's Madison is a Town. Not when the spelling may be a short form of
    another namesake's name ("Cleveland Police" is also Cleveland, Ohio's police department).
    """
    words = parsed.words
    own = [i for i in found if any(parse_name(n).words == words for n in ref.entries[i].names)]
    if len(own) != 1:
        return []
    others = (n for i in found if i != own[0] for n in ref.entries[i].names)
    if any(_shortens(words, parse_name(n).words) for n in others):
        return []
    return own


def _shortens(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """True when short is long less its tail or some of its kind or unit words ("Cleveland
    Police" of "Cleveland Police Department", "State Police" of "State Police: Mayfield");
    not "Madison Police Department" of "Town of Madison Police Department", another body."""
    at = 0
    for word in short:
        while at < len(long) and long[at] != word:
            if long[at] not in _KIND_WORDS:
                return False
            at += 1
        if at == len(long):
            return False
        at += 1
    return True


#: Words of kind phrases and government units: what a short form of a name leaves out.
_KIND_WORDS = UNIT_WORDS | {word for phrase, _ in KIND_PHRASES for word in phrase}


def _fuzzy(parsed: ParsedName, ref: Reference, country: str, region: str, hint: str) -> Link:
    """Best fuzzy match in the jurisdiction's blocks, if clearly ahead of the rest."""
    initial = ("k" if parsed.kind else "n") + (parsed.place or parsed.key)[:1]
    rows, keys = ref.search_space(tuple(_blocks(ref, country, region)), initial)
    if not rows:
        return NO_LINK
    best: dict[int, float] = {}
    for _, score, idx in process.extract(
        parsed.key, keys, scorer=fuzz.token_sort_ratio, limit=12, score_cutoff=REVIEW_AT
    ):
        other = rows[idx].parsed
        if not kinds_agree(parsed, other) or not places_agree(parsed, other):
            continue
        if parsed.kind and other.kind:
            score = min(score, fuzz.ratio(parsed.place, other.place))
        entry = rows[idx].entry
        # A type stated in another column breaks near-ties between entries.
        bonus = 1.0 if hint and ref.entries[entry].agency_type == hint else 0.0
        best[entry] = max(best.get(entry, 0.0), score + bonus)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], ref.entries[kv[0]].reference_id))
    if not ranked:
        return NO_LINK
    top, score = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    candidates = tuple(
        (ref.entries[i].reference_id, round(min(s, 100.0) / 100, 3)) for i, s in ranked[:3]
    )
    if score >= LINK_AT and score - runner >= LINK_MARGIN:
        return Link(ref.entries[top].reference_id, round(min(score, 100.0) / 100, 3), "fuzzy")
    method = "ambiguous" if score >= LINK_AT else "weak"
    return Link("", 0.0, method, candidates)


#: Order of equally good candidates: a bare place name means its city's police more often
#: than its county's sheriff (the FBI lists 3.9 city agencies for each county one).
_LIKELIER = ("local police", "sheriff", "state police", "university or school")


def _ambiguous(ref: Reference, found: list[tuple[int, float]]) -> Link:
    """No link: several entries fit equally well; candidates best first."""

    def rank(item: tuple[int, float]) -> tuple[float, int, str]:
        entry = ref.entries[item[0]]
        kind = _LIKELIER.index(entry.agency_type) if entry.agency_type in _LIKELIER else 9
        return (-item[1], kind, entry.reference_id)

    ordered = sorted(found, key=rank)[:20]
    candidates = tuple((ref.entries[i].reference_id, s / 100) for i, s in ordered)
    return Link("", 0.0, "ambiguous", candidates)


#: Countries whose bodies are best known by their English name.
ENGLISH_NAMED = frozenset({"", "US", "GB", "IE", "NZ", "AU", "CA", "SG", "IN", "ZA", "PH", "MT"})


def display_name(entry: Entry) -> str:
    """The name to show for a linked agency: its own name when written in Latin script."""
    native = entry.native_name
    if entry.country in ENGLISH_NAMED or not native:
        return entry.name
    if fold(native) and all(c.isascii() for c in fold(native).replace(" ", "")):
        return native
    return entry.name
