"""Places written inside agency names: US states and countries, as ISO codes."""

from __future__ import annotations

from functools import cache

import pycountry

#: Associated Press state abbreviations ("Springfield Police Dept. (Mo.)"); pycountry has
#: only the postal codes and full names.
AP_STATES: dict[str, str] = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO",
    "conn": "CT", "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS",
    "kans": "KS", "ky": "KY", "la": "LA", "md": "MD", "mass": "MA", "mich": "MI",
    "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE", "nebr": "NE",
    "nev": "NV", "okla": "OK", "ore": "OR", "oreg": "OR", "pa": "PA", "penn": "PA",
    "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA", "wis": "WI",
    "wisc": "WI", "wyo": "WY",
}  # fmt: skip

#: Country names, native names and demonyms that place a national body; pycountry's English
#: names are added at load time.
COUNTRY_WORDS: dict[str, str] = {
    "deutschland": "DE", "german": "DE", "osterreich": "AT", "austrian": "AT",
    "brasil": "BR", "brazilian": "BR", "espana": "ES", "spanish": "ES", "italia": "IT",
    "italian": "IT", "sverige": "SE", "swedish": "SE", "nederland": "NL", "dutch": "NL",
    "belgique": "BE", "belgie": "BE", "belgian": "BE", "eire": "IE", "irish": "IE",
    "french": "FR", "australian": "AU", "canadian": "CA", "mexican": "MX", "mexico": "MX",
    "colombian": "CO", "japanese": "JP", "korean": "KR", "singapore": "SG", "emirati": "AE",
    "uae": "AE", "saudi": "SA", "ksa": "SA", "uk": "GB", "british": "GB", "britain": "GB",
    "new zealand": "NZ", "nz": "NZ", "polish": "PL", "polska": "PL", "danish": "DK",
    "danmark": "DK", "norwegian": "NO", "norge": "NO", "finnish": "FI", "suomi": "FI",
    "greek": "GR", "hellenic": "GR", "portuguese": "PT", "swiss": "CH", "schweiz": "CH",
    "suisse": "CH", "czech": "CZ", "hungarian": "HU", "romanian": "RO", "bulgarian": "BG",
    "croatian": "HR", "slovak": "SK", "slovenian": "SI", "estonian": "EE", "latvian": "LV",
    "lithuanian": "LT", "luxembourg": "LU", "maltese": "MT", "cypriot": "CY",
    "israeli": "IL", "south african": "ZA", "argentine": "AR", "chilean": "CL",
    "qatari": "QA", "bahraini": "BH", "kuwaiti": "KW", "omani": "OM", "indonesian": "ID",
    "philippine": "PH", "taiwanese": "TW", "ukrainian": "UA", "turkish": "TR",
}  # fmt: skip

#: Demonyms also begin place names ("Indian River County"); they place a body only when the
#: next word is one of these.
NATIONAL_WORDS = frozenset(
    [
        "national",
        "federal",
        "police",
        "army",
        "navy",
        "air",
        "border",
        "customs",
        "security",
        "intelligence",
        "criminal",
        "gendarmerie",
        "coast",
        "ministry",
        "home",
        "secret",
        "defence",
        "defense",
        "state",
    ]
)
DEMONYMS = frozenset(
    {
        "german", "austrian", "brazilian", "spanish", "italian", "swedish", "dutch",
        "belgian", "irish", "french", "australian", "canadian", "mexican", "colombian",
        "japanese", "korean", "emirati", "saudi", "british", "polish", "danish",
        "norwegian", "finnish", "greek", "hellenic", "portuguese", "swiss", "czech",
        "hungarian", "romanian", "bulgarian", "croatian", "slovak", "slovenian", "estonian",
        "latvian", "lithuanian", "maltese", "cypriot", "israeli", "argentine", "chilean",
        "qatari", "bahraini", "kuwaiti", "omani", "indonesian", "philippine", "taiwanese",
        "ukrainian", "turkish", "indian",
    }
)  # fmt: skip


@cache
def us_states() -> dict[str, str]:
    """Map postal codes ("fl") and folded full names ("florida") to ISO 3166-2 ("US-FL")."""
    states: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if sub.country_code != "US":
            continue
        code = str(sub.code)
        states[code.removeprefix("US-").casefold()] = code
        states[str(sub.name).casefold().replace(",", "")] = code
    states["washington dc"] = "US-DC"
    return states


@cache
def postal_codes() -> frozenset[str]:
    """The two-letter US postal codes, upper case."""
    return frozenset(code.removeprefix("US-") for code in us_states().values())


@cache
def country_words() -> dict[str, str]:
    """Folded country names (English and native) to ISO 3166-1 alpha-2."""
    words: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                words[str(name).casefold()] = str(country.alpha_2)
    words.update(COUNTRY_WORDS)
    words["united states"] = "US"
    words["usa"] = "US"
    return words


@cache
def _first_words() -> frozenset[str]:
    """Every word that begins a country name or word."""
    return frozenset(name.split()[0] for name in country_words())


def state_code(token: str) -> str:
    """Return the ISO 3166-2 code of a US state written as a postal code, name or AP form."""
    folded = token.casefold().strip(" .()").replace(".", "")
    if folded in AP_STATES:
        return f"US-{AP_STATES[folded]}"
    return us_states().get(folded, "")


#: Single country names that are also common US place names ("Lebanon PD", "Jersey City").
AMBIGUOUS_COUNTRY_WORDS = frozenset(
    [
        "jersey",
        "georgia",
        "jordan",
        "chad",
        "lebanon",
        "peru",
        "cuba",
        "panama",
        "canton",
        "china",
        "poland",
        "holland",
        "norway",
        "denmark",
        "wales",
        "mexico",
        "india",
        "japan",
        "lima",
    ]
)


def bare_jurisdiction(key: str) -> tuple[str, str]:
    """(country, region) when a name key is wholly a US state's or territory's name or a
    country's ("oklahoma", "germany"): the place itself, not an agency of it; else ("", "")."""
    if len(key) > 2 and key in us_states():
        return "US", us_states()[key]
    code = country_words().get(key, "")
    if code and key not in AMBIGUOUS_COUNTRY_WORDS:
        return code, ""
    return "", ""


def country_in(words: list[str]) -> str:
    """Return the country a folded name's words place it in, or "" when they place none."""
    table = country_words()
    if not any(w in _first_words() for w in words):
        return ""
    states = us_states()
    # Words of a US state name ("New Mexico", "New Jersey") never place a country.
    taken: set[int] = set()
    for size in (3, 2):
        for i in range(len(words) - size + 1):
            if " ".join(words[i : i + size]) in states:
                taken.update(range(i, i + size))
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            if taken & set(range(i, i + size)):
                continue
            phrase = " ".join(words[i : i + size])
            code = table.get(phrase)
            if not code or phrase in states or phrase in AMBIGUOUS_COUNTRY_WORDS:
                continue
            if phrase in DEMONYMS:
                nxt = words[i + size] if i + size < len(words) else ""
                if i != 0 or nxt not in NATIONAL_WORDS:
                    continue
            return code
    if len(words) > 1 and words[0] == "indian" and words[1] in NATIONAL_WORDS:
        return "IN"
    return ""
