"""Name keys: the same agency written differently gets the same key, and what the name says.

Written here rather than taken from OpenSanctions' ``fingerprints`` or ``cleanco``: those fold
company forms (Ltd, GmbH), not what agency logs vary in (PD/SO, state codes inside names,
vendor-portal tags, "City of", inverted department names). Case and diacritic folding follows
Unicode NFKD, as they do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from foialog.entities.jurisdiction import country_in, postal_codes, state_code, us_states

# Expansions applied to whole words of a folded name; the key then matches either spelling.
ABBREVIATIONS: dict[str, str] = {
    "dept": "department",
    "dpt": "department",
    "pd": "police department",
    "so": "sheriffs office",
    "co": "county",
    "cnty": "county",
    "cty": "county",
    "twp": "township",
    "sheriff": "sheriffs",
    "sherrifs": "sheriffs",
    "atty": "attorney",
    "attys": "attorneys",
    "da": "district attorney",
    "univ": "university",
    "hwy": "highway",
    "natl": "national",
    "nat": "national",
    "intl": "international",
    "govt": "government",
    "st": "saint",
    "ste": "sainte",
    "ft": "fort",
    "mt": "mount",
    "pt": "port",
    "svc": "service",
    "svcs": "services",
    "div": "division",
    "bur": "bureau",
    "ofc": "office",
    "hq": "headquarters",
    "boro": "borough",
    "vlg": "village",
    "met": "metropolitan",
    "metro": "metropolitan",
    "pol": "police",
    "dist": "district",
    "usa": "us",
    "corr": "corrections",
    "dps": "dps",
}
#: Product and portal tags a vendor appends to one agency's accounts ("Polk County FL SO (LR)").
PRODUCT_WORDS = frozenset({
    "lr", "flex", "axon", "condor", "condors", "falcon", "falcons", "raven", "tech", "winglpr",
    "wing", "lvi", "lvt", "redspeed", "demo", "sparrow", "flock", "lpr", "alpr", "trial", "test",
    "account", "accounts", "portal", "nova", "hotlist", "live", "video", "gunshot", "gun", "shot",
    "detection", "genetec", "sharpv", "npf", "study", "decommissioned", "cams", "cameras",
    "camera", "trailer", "suite", "ptz", "milestone", "network",
})  # fmt: skip
#: Words that make a bracketed tail a sub-unit of the agency ("(Criminal Investigations
#: Division)"): records of a unit count for its agency; the spelling stays in variants.
SUBUNIT_WORDS = frozenset(
    {
        "division", "unit", "section", "branch", "squad", "team", "command", "directorate",
        "headquarters", "detail", "task", "force", "center", "centre", "office", "bureau",
    }
)  # fmt: skip
#: Words that end an agency's name, after which a product tag may follow without brackets.
NAME_ENDS = frozenset(
    [
        "pd",
        "so",
        "police",
        "sheriff",
        "sheriffs",
        "dept",
        "department",
        "office",
        "da",
        "patrol",
        "marshal",
    ]
)
#: Kinds of agency named by a phrase in the name, longest phrases first.
KIND_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (tuple(phrase.split()), kind)
            for kind, phrases in {
                "sheriff": (
                    "sheriffs office",
                    "sheriffs department",
                    "sheriffs",
                    "sheriffs police department",
                ),
                "police": (
                    "police department",
                    "police service",
                    "police services",
                    "police force",
                    "police division",
                    "police bureau",
                    "police",
                    "department of police",
                    "public safety department",
                    "department of public safety",
                ),
                "state police": (
                    "state police",
                    "highway patrol",
                    "state patrol",
                    "state highway patrol",
                    "state police department",
                ),
                "prosecutor": (
                    "district attorneys office",
                    "district attorney",
                    "states attorneys office",
                    "states attorney",
                    "prosecutors office",
                    "prosecuting attorney",
                    "prosecuting attorneys office",
                    "commonwealths attorney",
                ),
                "marshal": ("marshals office", "marshal"),
                "constable": ("constables office", "constable", "constables"),
            }.items()
            for phrase in phrases
        ),
        key=lambda pk: -len(pk[0]),
    )
)
#: Words that make a government unit; "Justice Department" is read as "Department of Justice".
UNIT_WORDS = frozenset(
    [
        "department",
        "bureau",
        "office",
        "administration",
        "agency",
        "service",
        "ministry",
        "commission",
        "division",
        "directorate",
        "institute",
        "authority",
    ]
)
#: Words left out of initials ("Department of Justice" -> DOJ keeps only capitalised words).
STOP_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "de",
        "du",
        "des",
        "la",
        "le",
        "di",
        "del",
        "y",
        "e",
        "et",
        "und",
        "fur",
        "der",
        "das",
        "do",
        "dos",
        "da",
        "em",
    ]
)
#: A leading "City of" adds nothing ("City of Venice Police" is "Venice Police").
MUNICIPAL_PREFIXES = frozenset({"city", "town", "village", "borough"})

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_TRAILING_PAREN = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*$")
_TRAILING_DASH = re.compile(r"(?:\s+[-–—]\s*|\s*[-–—]\s+)([^-–—]+)$")
_TRAILING_COMMA = re.compile(r",\s*([A-Za-z. ]+)$")
_LEADING_STATE = re.compile(r"^([A-Z]{2})\s*[-–:]\s*")


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Casefold, strip diacritics and punctuation, collapse white space."""
    if text.isascii():
        stripped = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    no_apostrophe = stripped.replace("'", "").replace("’", "")
    return _SPACE.sub(" ", _PUNCT.sub(" ", no_apostrophe.casefold())).strip()


def name_key(text: str) -> str:
    """Return the grouping key of an agency name (see parse_name for what it folds)."""
    return parse_name(text).key


@dataclass(frozen=True)
class ParsedName:
    """What an agency name says: its key, its kind, and the places written in it."""

    raw: str
    #: The name as written, minus product tags; diacritics and case kept.
    display: str
    #: Folded, abbreviations expanded, state codes and product tags removed, order canonical.
    key: str
    #: The key without the kind phrase ("polk county" of "polk county sheriff").
    place: str
    #: sheriff, police, state police, prosecutor, marshal, constable, or "".
    kind: str
    #: ISO 3166-2 region written in the name ("US-FL"), or "".
    region: str
    #: ISO 3166-1 country written in the name, or "".
    country: str
    #: Product or portal tags removed from the end ("LR", "Axon").
    suffix: str
    #: The acronym the name is, or gives in brackets ("rcmp"), or "".
    acronym: str
    #: The folded, expanded words the key was made from.
    words: tuple[str, ...]


def _strip_tail(raw: str) -> tuple[str, list[str], str, str, str]:
    """Remove product tags, a bracketed or trailing state and a bracketed acronym.

    Returns the rest, the tags, the region, the acronym, and the name as written minus the
    product tags that end it (for display).
    """
    text = _SPACE.sub(" ", raw).strip()
    display = text
    clean = True
    suffixes: list[str] = []
    region = acronym = ""
    for _ in range(6):
        product = True
        paren = _TRAILING_PAREN.search(text)
        dash = _TRAILING_DASH.search(text) if not paren else None
        words = text.split()
        if paren:
            inner = paren.group(1).strip()
            if _all_products(inner):
                suffixes.insert(0, inner)
            elif inner and state_code(inner) and not region:
                region, product = state_code(inner), False
            elif re.fullmatch(r"[A-Z][A-Z.&-]{1,9}", inner.replace(" ", "")) and not acronym:
                acronym, product = fold(inner).replace(" ", ""), False
            elif len(words) > 2 and SUBUNIT_WORDS & set(fold(inner).split()):
                suffixes.insert(0, inner)
                product = False
            else:
                break
            text = text[: paren.start()].strip()
        elif dash and _all_products(dash.group(1)):
            suffixes.insert(0, dash.group(1).strip())
            text = text[: dash.start()].strip()
        elif dash and state_code(dash.group(1)) and not region:
            region, product = state_code(dash.group(1)), False
            text = text[: dash.start()].strip()
        elif (
            len(words) >= 3
            and fold(words[-1]) in PRODUCT_WORDS
            and (fold(words[-2]) in NAME_ENDS | PRODUCT_WORDS or words[-2].endswith(")"))
        ):
            suffixes.insert(0, words[-1])
            text = " ".join(words[:-1])
        else:
            comma = _TRAILING_COMMA.search(text)
            if not (comma and state_code(comma.group(1)) and not region):
                break
            region, product = state_code(comma.group(1)), False
            text = text[: comma.start()].strip()
        # Only tags that end the name as written leave the displayed name.
        clean = clean and product
        if clean:
            display = text
    return text, suffixes, region, acronym, display


def _all_products(text: str) -> bool:
    """True when every word of a tag is a product word."""
    words = fold(text).split()
    return bool(words) and all(w in PRODUCT_WORDS for w in words)


def _state_tokens(words: list[str]) -> tuple[list[str], str]:
    """Remove a US postal code written inside the name ("Polk County FL SO")."""
    codes = postal_codes()
    has_lower = any(c.islower() for c in " ".join(words))
    for i, word in enumerate(words):
        token = word.strip(".,")
        if i == 0 or token not in codes or not token.isupper():
            continue
        nxt = fold(words[i + 1]).split()[:1] if i + 1 < len(words) else []
        follows_name = (
            not nxt or nxt[0] in NAME_ENDS or nxt[0] in PRODUCT_WORDS or nxt[0] in _QUALIFIERS
        )
        if has_lower or follows_name:
            return words[:i] + words[i + 1 :], f"US-{token}"
    return words, ""


_QUALIFIERS = frozenset(
    [
        "parks",
        "schools",
        "school",
        "fire",
        "city",
        "township",
        "university",
        "state",
        "highway",
        "police",
        "sheriffs",
        "county",
        "public",
    ]
)


def _expand(words: list[str]) -> list[str]:
    """Fold words, join spelled-out initials (F.B.I.), expand abbreviations."""
    folded: list[str] = []
    run: list[str] = []
    for w in fold(" ".join(words)).split():
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        if run:
            folded.append("".join(run))
            run = []
        folded.append(w)
    if run:
        folded.append("".join(run))
    out: list[str] = []
    for w in folded:
        out.extend(ABBREVIATIONS.get(w, w).split())
    return out


_KIND_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _kind in KIND_PHRASES:
    _KIND_BY_FIRST.setdefault(_phrase[0], []).append((_phrase, _kind))


def _find_kind(words: list[str]) -> tuple[str, int, int]:
    """Return the kind and the span of its phrase: the one ending last, then the longest."""
    best = ("", -1, -1)
    for i, word in enumerate(words):
        for phrase, kind in _KIND_BY_FIRST.get(word, ()):
            end = i + len(phrase)
            if tuple(words[i:end]) == phrase and (end, end - i) > (best[2], best[2] - best[1]):
                best = (kind, i, end)
    # "Department of Public Safety" names a state body in most states; it is kept as written
    # unless a place stands before it ("Lake Wales Public Safety Department").
    if (
        best[0] == "police"
        and words[best[1] : best[2]]
        in (
            ["department", "of", "public", "safety"],
            ["public", "safety", "department"],
        )
        and (best[1] == 0 or words[0] in us_states())
    ):
        return "", -1, -1
    return best


@lru_cache(maxsize=1 << 16)
def initials(words: tuple[str, ...]) -> frozenset[str]:
    """Acronym forms of a name's words: initials, and a leading word kept ("texas dps")."""
    if len(words) < 2:
        return frozenset()
    content = [w for w in words if w not in STOP_WORDS]
    forms = {"".join(w[0] for w in words)}
    for seq in (content, [w for w in content if w not in ("city", "county")]):
        if len(seq) >= 2:
            forms.add("".join(w[0] for w in seq))
            forms.add(seq[0] + " " + "".join(w[0] for w in seq[1:]))
    return frozenset(f for f in forms if len(f) >= 2)


@lru_cache(maxsize=1 << 18)
def parse_name(raw: str) -> ParsedName:
    """Read an agency name: key, place, kind, places written in it, product tags, acronyms."""
    text, suffixes, region, acronym, display = _strip_tail(raw)
    lead = _LEADING_STATE.match(text)
    if lead and lead.group(1) in postal_codes() and len(text) > lead.end():
        region = region or f"US-{lead.group(1)}"
        text = text[lead.end() :]
    words = text.split()
    words, inner_region = _state_tokens(words)
    region = region or inner_region
    first = words[0] if words else ""
    # A leading postal code is part of the name ("TX Dept. of Public Safety" = "Texas ...");
    # "LA" is left alone, being Los Angeles as often as Louisiana.
    if len(words) >= 3 and first in postal_codes() and first != "LA" and not first.islower():
        region = region or f"US-{first}"
        words = [_state_name(first), *words[1:]]
    display = display or raw.strip()
    expanded = _expand(words)
    own_acronym = ""
    if len(words) == 1 and re.fullmatch(r"[A-Z][A-Z&.]{1,9}", words[0]):
        own_acronym = "".join(expanded) if len(expanded) == 1 else fold(words[0])
    tokens = [w for w in expanded if w != "the"]
    if len(tokens) > 3 and tokens[0] in MUNICIPAL_PREFIXES and tokens[1] == "of":
        tokens = tokens[2:]
    elif len(tokens) > 3 and tokens[0] == "township" and tokens[1] == "of":
        kind_at = _find_kind(tokens)[1]
        cut = kind_at if kind_at > 2 else len(tokens)
        tokens = [*tokens[2:cut], "township", *tokens[cut:]]
    if tokens[:2] == ["united", "states"] and len(tokens) > 2:
        tokens = tokens[2:]
    elif tokens[:1] == ["us"] and len(tokens) > 1:
        tokens = tokens[1:]
    kind, start, end = _find_kind(tokens)
    if kind == "sheriff":
        # A sheriff's office is a county's ("Polk Co. Sheriff", "Iberville Parish LA SO").
        tokens = [w for w in tokens[:start] if w not in ("county", "parish")] + tokens[start:]
        kind, start, end = _find_kind(tokens)
    place_words = tokens[:start] + tokens[end:] if kind else _uninvert(tokens)
    place = " ".join(place_words)
    key = f"{place} {kind}".strip() if kind else place
    country = country_in(tokens)
    if region or (country == "" and (raw.strip().startswith(("U.S.", "US ", "United States")))):
        country = "US"
    for size in (3, 2, 1):
        # A state name at the start of a state body's name ("Texas Department of ...") places
        # it; the key drops it when a government unit follows, as the FBI writes them.
        head = " ".join(tokens[:size])
        if len(tokens) > size and head in us_states() and kind in ("state police", ""):
            if region and region != us_states()[head]:
                break
            region, country = us_states()[head], "US"
            rest = key.split()[size:]
            if rest and (rest[0] in UNIT_WORDS or kind):
                key = " ".join(rest)
                place = " ".join(place.split()[size:]) if not kind else place
            break
    return ParsedName(
        raw=raw,
        display=display,
        key=key,
        place=place,
        kind=kind,
        region=region,
        country=country,
        suffix=" ".join(suffixes),
        acronym=own_acronym or acronym,
        words=tuple(expanded),
    )


def _state_name(code: str) -> str:
    """Full name of a US state from its postal code."""
    for name, iso in us_states().items():
        if iso == f"US-{code}" and len(name) > 2:
            return name
    return code


def _uninvert(tokens: list[str]) -> list[str]:
    """Read "Justice Department" as "department of justice"."""
    if len(tokens) >= 2 and tokens[-1] in UNIT_WORDS and "of" not in tokens:
        return [tokens[-1], "of", *tokens[:-1]]
    return tokens
