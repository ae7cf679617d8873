"""Look-alike agencies: one name, several places (issue 14 point 5).

Names come from the FBI agency list (tests/variation/gazetteer.py): every agency name that
occurs in two or more states is a look-alike group, and each seed samples a few groups and two
or three of their states, plus two named pairs whose spellings differ from the list's (Portland
Police Bureau, Oregon vs Portland Police Department, Maine; Jefferson Parish Sheriff's Office,
Louisiana vs Jefferson County Sheriff's Office, Colorado) and some agencies whose name is unique.

Each document states the place its own way, chosen per document: a State column (full name,
postal code, ISO "US-MO", or the name in Spanish, French or German, sometimes with a Country
column in one of several languages), a suffix on the name ("- MO", "(Missouri)", ", MO",
"MO SO", "Police Department, Tennessee"), a contact email whose domain carries the place
(columbiamo.gov, ci.columbia.mo.us), a title ("Missouri agencies") over a document of one state,
or nothing at all. Within a document an agency may be spelled several ways (case, Dept.,
Co., Sheriffs Office, SO, PD) or by an acronym built from its words (CPD, WCSO) once its full
name has appeared there.

Truth: ``entity`` is the agency's ORI; a look-alike printed with no place clue gets the entity
``?<name>`` (ambiguous: it must not be merged with any placed sibling, and all unplaced
mentions of the name are one cluster). ``region`` is the ISO 3166-2 code when the document
states the place (in the row, the name, the email or the title), else "".
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from tests.variation.core import Generated, Generator, TruthRow, bcubed, fold
from tests.variation.gazetteer import GazetteerAgency, fbi_agencies, shared_names, unique_names
from tests.variation.workbook import save_xlsx

#: Look-alike pairs whose usual spelling differs from the FBI list's: (printed name, ORI, the
#: name alone tells the agency). Only Oregon's is a Police Bureau and only Louisiana has
#: parishes; "Portland Police Department" and "Jefferson County Sheriff's Office" have namesakes.
NAMED_PAIRS: tuple[tuple[tuple[str, str, bool], tuple[str, str, bool]], ...] = (
    (
        ("Portland Police Bureau", "OR0260200", True),
        ("Portland Police Department", "ME0030500", False),
    ),
    (
        ("Jefferson Parish Sheriff's Office", "LA0260000", True),
        ("Jefferson County Sheriff's Office", "CO0300000", False),
    ),
)
#: The issue's own examples, with the states it names (none named: three of the list's).
ISSUE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Aurora Police Department", ("CO", "IL")),
    ("Columbia Police Department", ("SC", "MO")),
    ("Springfield Police Department", ("IL", "MO")),
    ("Jackson Police Department", ("MS", "TN")),
    ("Washington County Sheriff's Office", ()),
    ("Franklin County Sheriff's Office", ()),
)
#: State names in other languages (only where they differ from the English name).
STATE_TRANSLATIONS: dict[str, dict[str, str]] = {
    "es": {
        "Missouri": "Misuri",
        "Louisiana": "Luisiana",
        "South Carolina": "Carolina del Sur",
        "North Carolina": "Carolina del Norte",
        "New York": "Nueva York",
        "Pennsylvania": "Pensilvania",
        "New Mexico": "Nuevo México",
        "Hawaii": "Hawái",
        "New Jersey": "Nueva Jersey",
        "Oregon": "Oregón",
        "Michigan": "Míchigan",
        "Tennessee": "Tennessee",
        "Virginia": "Virginia",
    },
    "fr": {
        "Louisiana": "Louisiane",
        "South Carolina": "Caroline du Sud",
        "North Carolina": "Caroline du Nord",
        "California": "Californie",
        "Georgia": "Géorgie",
        "Pennsylvania": "Pennsylvanie",
        "Virginia": "Virginie",
        "West Virginia": "Virginie-Occidentale",
        "Florida": "Floride",
        "New Mexico": "Nouveau-Mexique",
    },
    "de": {
        "South Carolina": "Süd-Carolina",
        "North Carolina": "Nord-Carolina",
        "California": "Kalifornien",
        "Pennsylvania": "Pennsylvanien",
        "West Virginia": "West Virginia",
        "New Mexico": "Neumexiko",
        "Missouri": "Missouri",
    },
}
COUNTRY_NAMES = (
    "United States",
    "USA",
    "US",
    "États-Unis",
    "Estados Unidos",
    "Vereinigte Staaten",
    "Stati Uniti",
)
#: Words after which the rest of a name is the agency kind, not the place.
KIND_WORDS = ("Police", "County", "Parish", "Sheriff's", "Department", "Marshal", "Public")
CLUES = ("state_col", "suffix", "email", "title", "none")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Subject:
    """An agency a seed writes about: its list name, ORI, state and look-alike group."""

    name: str
    ori: str
    state: str
    state_name: str
    #: The shared name of its look-alike group (folded), "" for a unique name.
    group: str
    #: The name alone tells it from its look-alikes (placed even where the document is silent).
    distinct: bool = False


@dataclass(frozen=True)
class Mention:
    """One row of one document, with what a correct reading gives for it."""

    file: str
    printed: str
    entity: str
    region: str
    count: int
    date: str
    row: int
    group: str
    #: How the document states places: state_col, suffix, email, title or none.
    clue: str = ""
    #: The document's format and clue style ("csv paren", "xlsx iso", "txt").
    detail: str = ""
    #: The name alone tells the agency from its look-alikes (Portland Police Bureau).
    distinct: bool = False


def _subjects(rng: random.Random) -> list[Subject]:
    """Two to five look-alike groups (two or three states each), a named pair, unique fillers.

    Half the groups are drawn in proportion to how many states share the name (Washington
    County Sheriff's Office: 30), the way the common names crowd real leaks; some seeds start
    with one of the issue's own examples in its states.
    """
    groups = shared_names()
    names = list(groups)
    weights = [len(groups[n]) for n in names]
    chosen: list[Subject] = []
    picked: list[str] = []
    if rng.random() < 0.4:
        name, states = rng.choice(ISSUE_GROUPS)
        named = [a for a in groups[name] if a.state in states]
        others = [a for a in groups[name] if a.state not in states]
        named += rng.sample(others, 3 - len(named) if not named else rng.choice((0, 1)))
        chosen += [_subject(a, fold(name)) for a in named]
        picked.append(name)
    count = rng.randint(2, 5)
    while len(picked) < count:
        name = rng.choices(names, weights)[0] if rng.random() < 0.5 else rng.choice(names)
        if name in picked:
            continue
        picked.append(name)
        pool = groups[name]
        for agency in rng.sample(pool, min(len(pool), rng.choice((2, 2, 3)))):
            chosen.append(_subject(agency, fold(name)))
    if rng.random() < 0.4:
        by_ori = {a.ori: a for a in fbi_agencies()}
        pair = rng.choice(NAMED_PAIRS)
        group = fold(pair[0][0].split()[0])
        taken = {s.ori for s in chosen}
        for printed, ori, distinct in pair if not taken & {p[1] for p in pair} else ():
            subject = _subject(by_ori[ori], group)
            chosen.append(replace(subject, name=printed, distinct=distinct))
    fillers = unique_names()
    for agency in rng.sample(fillers, rng.randint(2, 5)):
        chosen.append(_subject(agency, ""))
    return chosen


def _subject(agency: GazetteerAgency, group: str) -> Subject:
    return Subject(agency.name, agency.ori, agency.state, agency.state_name, group)


def _place_word(name: str) -> str:
    """The place part of an agency name: its words before the first kind word."""
    words = name.split()
    for i, word in enumerate(words):
        if i and word in KIND_WORDS:
            return " ".join(words[:i])
    return words[0]


def acronym(name: str) -> str:
    """Initials of a name's words, as agencies abbreviate themselves (CPD, WCSO, SBCSD)."""
    skip = {"of", "the", "and", "&", "-"}
    return "".join(w[0].upper() for w in name.replace("'s", "").split() if w.lower() not in skip)


def _spelling(rng: random.Random, name: str) -> str:
    """One of the ways a document spells the name (the name itself most often)."""
    options = [name]
    if "Department" in name:
        options += [name.replace("Department", "Dept."), name.replace("Department", "Dept")]
    if "Police Department" in name:
        options.append(name.replace("Police Department", "PD"))
    if "County" in name:
        options.append(name.replace("County", "Co."))
    if "Sheriff's Office" in name:
        options += [
            name.replace("Sheriff's Office", "Sheriffs Office"),
            name.replace("Sheriff's Office", "SO"),
        ]
    options += [name.upper(), name.lower().title() if name != name.title() else name.upper()]
    return name if rng.random() < 0.5 else rng.choice(options)


def _with_suffix(rng: random.Random, printed: str, subject: Subject, style: str) -> str:
    """The name with its place written into it, in one of the ways documents do."""
    st, full = subject.state, subject.state_name
    if style == "dash":
        return f"{printed} - {st}"
    if style == "paren":
        return f"{printed} ({full})"
    if style == "comma":
        return f"{printed}, {st}"
    if style == "comma_full":
        return f"{printed}, {full}"
    # "Washington Co. MO SO", "Columbia MO PD": the state between the place and the kind.
    for kind, short in (("Sheriff's Office", "SO"), ("Police Department", "PD")):
        if printed.endswith(kind):
            return f"{printed[: -len(kind)].rstrip()} {st} {short}"
    return f"{printed}, {st}"


def _domain(rng: random.Random, subject: Subject) -> str:
    """An email domain carrying the place: columbiamo.gov, ci.columbia.mo.us, co.x.mo.us."""
    place = "".join(c for c in _place_word(subject.name).lower() if c.isalnum())
    st = subject.state.lower()
    county = "County" in subject.name or "Parish" in subject.name
    styles = [f"{place}{st}.gov", f"ci.{place}.{st}.us", f"{place}-{st}.gov"]
    if county:
        styles = [f"{place}county{st}.gov", f"co.{place}.{st}.us", f"{place}sheriff{st}.org"]
    return rng.choice(styles)


def _state_cell(rng: random.Random, subject: Subject, style: str, language: str) -> str:
    if style == "postal":
        return subject.state
    if style == "iso":
        return f"US-{subject.state}"
    if style == "translated":
        return STATE_TRANSLATIONS[language].get(subject.state_name, subject.state_name)
    return subject.state_name


def _date(rng: random.Random, style: str) -> tuple[str, str]:
    """A row's date as printed and as ISO."""
    year, month, day = rng.randint(2017, 2023), rng.randint(1, 12), rng.randint(1, 28)
    if style == "month":
        return f"{MONTHS[month - 1]} {year}", f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{day:02d}"


@dataclass
class Document:
    """One document being written: its rows so far and how it states places."""

    name: str
    clue: str
    fmt: str
    suffix_style: str
    state_style: str
    language: str
    date_style: str
    title_state: str = ""


def _plan_documents(rng: random.Random, subjects: list[Subject]) -> list[Document]:
    docs: list[Document] = []
    fmts = ["csv", "xlsx", "csv", "xlsx", "txt", "log"]
    for i in range(rng.randint(2, 4)):
        fmt = rng.choice(fmts)
        clue = rng.choice(CLUES)
        if fmt == "log" and clue == "title":
            clue = "suffix"
        # In a sentence the place is a phrase ("X in Missouri"), not part of the name.
        if fmt == "txt" and clue == "suffix":
            clue = "state_col"
        doc = Document(
            name=f"{rng.choice(('agencies', 'sharing', 'customers', 'usage', 'report'))}_{i + 1}",
            clue=clue,
            fmt=fmt,
            suffix_style=rng.choice(("dash", "paren", "comma", "comma_full", "state_kind")),
            state_style=rng.choice(("full", "postal", "iso", "translated")),
            language=rng.choice(tuple(STATE_TRANSLATIONS)),
            # A log line is one event: it has a day.
            date_style="day" if fmt == "log" else rng.choice(("day", "month")),
        )
        if clue == "title":
            doc.title_state = rng.choice(subjects).state
        docs.append(doc)
    return docs


def _members(rng: random.Random, doc: Document, subjects: list[Subject]) -> list[Subject]:
    """Which subjects a document names: siblings side by side unless nothing tells them apart."""
    if doc.title_state:
        return [s for s in subjects if s.state == doc.title_state]
    picked = [s for s in subjects if rng.random() < 0.7]
    if doc.clue in {"none"} or (doc.fmt == "log" and doc.clue == "email"):
        seen: set[str] = set()
        kept: list[Subject] = []
        for s in picked:
            if s.group and s.group in seen:
                continue
            seen.add(s.group)
            kept.append(s)
        picked = kept
    return picked or [rng.choice(subjects)]


def _entity(subject: Subject, placed: bool) -> str:
    if subject.group and not placed and not subject.distinct:
        return f"?{subject.group}"
    return subject.ori


def generate_lookalikes(seed: int, folder: Path) -> tuple[Generated, list[Mention]]:
    """The documents of one seed, their truth rows, and each row's mention (with its row)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    subjects = _subjects(rng)
    docs = _plan_documents(rng, subjects)
    mentions: list[Mention] = []
    for doc in docs:
        mentions += _write(rng, folder, doc, _members(rng, doc, subjects))
    truth = [
        TruthRow(
            m.file,
            m.printed,
            m.count,
            m.date,
            entity=m.entity,
            country="US" if m.region else "",
            region=m.region,
        )
        for m in mentions
    ]
    generated = Generated(
        "lookalike",
        seed,
        folder,
        truth,
        variation={
            "docs": " ".join(f"{d.fmt}:{d.clue}" for d in docs),
            "groups": str(len({s.group for s in subjects if s.group})),
        },
    )
    return generated, mentions


def _detail(doc: Document) -> str:
    style = {"suffix": doc.suffix_style, "state_col": doc.state_style}.get(doc.clue, "")
    if doc.fmt == "txt" and doc.clue == "state_col":
        style = "phrase"  # "X in Missouri ran ..."
    return f"{doc.fmt} {style}".strip()


#: A row being written: subject, name as shown, state cell, count, date as printed, ISO date,
#: contact email, place stated.
Row = tuple[Subject, str, str, int, str, str, str, bool]


def _rows_for(
    rng: random.Random, doc: Document, members: list[Subject]
) -> list[tuple[Subject, str, bool, bool]]:
    """(subject, printed name, place stated, acronym) per row: full names first, then variants."""
    rows: list[tuple[Subject, str, bool, bool]] = []
    placed = doc.clue != "none"
    acronyms = [acronym(s.name) for s in members]
    for subject in members:
        rows.append((subject, subject.name, placed, False))
    for subject in members:
        for _ in range(rng.choice((0, 1, 1, 2))):
            short = acronym(subject.name)
            use_acronym = (
                placed and len(short) >= 2 and acronyms.count(short) == 1 and rng.random() < 0.3
            )
            printed = short if use_acronym else _spelling(rng, subject.name)
            rows.append((subject, printed, placed, use_acronym))
    rng.shuffle(rows)
    # An acronym only after its full name (a reader can only tie it to one it has seen).
    rows.sort(key=lambda r: r[3])
    return rows


def _write(
    rng: random.Random, folder: Path, doc: Document, members: list[Subject]
) -> list[Mention]:
    rows = _rows_for(rng, doc, members)
    counts = rng.sample(range(1, 20000), len(rows))
    out: list[Row] = []
    for (subject, printed, placed, _), count in zip(rows, counts, strict=True):
        shown = printed
        if doc.clue == "suffix":
            shown = _with_suffix(rng, printed, subject, doc.suffix_style)
        raw_date, iso = _date(rng, doc.date_style)
        email = f"{rng.choice(('records', 'jdoe', 'lpr.admin', 'chief'))}@{_domain(rng, subject)}"
        state = _state_cell(rng, subject, doc.state_style, doc.language)
        out.append((subject, shown, state, count, raw_date, iso, email, placed))
    file_name = f"{doc.name}.{doc.fmt}"
    writer = {"csv": _write_table, "xlsx": _write_table, "txt": _write_prose, "log": _write_log}
    line_of = writer[doc.fmt](folder / file_name, rng, doc, out)
    return [
        Mention(
            file_name,
            shown,
            _entity(subject, placed),
            f"US-{subject.state}" if placed else "",
            count if doc.fmt != "log" else 1,
            iso,
            line,
            subject.group,
            doc.clue,
            _detail(doc),
            subject.distinct,
        )
        for (subject, shown, _, count, _, iso, _, placed), line in zip(out, line_of, strict=True)
    ]


def _write_table(path: Path, rng: random.Random, doc: Document, rows: list[Row]) -> list[int]:
    """A CSV or XLSX table; returns each row's 1-based line (header and title counted)."""
    header = [rng.choice(("Agency", "Agency Name", "Organization", "Customer")), "Searches"]
    header.append("Month" if doc.date_style == "month" else "Date")
    with_country = doc.clue == "state_col" and rng.random() < 0.4
    if doc.clue == "state_col":
        header.insert(1, rng.choice(("State", "St", "Region", "Estado", "État", "Bundesstaat")))
    if with_country:
        header.insert(2, rng.choice(("Country", "País", "Pays", "Land")))
    with_email = doc.clue == "email"
    if with_email:
        header.append(rng.choice(("Contact", "Email", "User Email", "Admin")))
    country = rng.choice(COUNTRY_NAMES)
    table: list[list[object]] = []
    for _, shown, state, count, raw_date, _, email, _ in rows:
        line: list[object] = [shown, count, raw_date]
        if doc.clue == "state_col":
            line.insert(1, state)
        if with_country:
            line.insert(2, country)
        if with_email:
            line.append(email)
        table.append(line)
    lead: list[list[object]] = []
    if doc.title_state:
        lead = [[f"{_state_name(doc.title_state)} agencies"]]
    first = len(lead) + 2
    if path.suffix == ".xlsx":
        save_xlsx(path, [*lead, list(header), *table])
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([*lead, header, *table])
    return list(range(first, first + len(table)))


def _state_name(state: str) -> str:
    for agency in fbi_agencies():
        if agency.state == state:
            return agency.state_name
    return state


def _write_prose(path: Path, rng: random.Random, doc: Document, rows: list[Row]) -> list[int]:
    """Sentences, one a row: 'In March 2020, X in Missouri ran 1,204 searches.'"""
    lines: list[str] = []
    if doc.title_state:
        lines += [f"{_state_name(doc.title_state)} agencies", ""]
    numbers: list[int] = []
    for subject, shown, _, count, raw_date, _, email, _ in rows:
        when = f"In {raw_date}" if doc.date_style == "month" else f"On {raw_date}"
        where = f" in {subject.state_name}" if doc.clue == "state_col" else ""
        contact = f" (contact: {email})" if doc.clue == "email" else ""
        lines.append(f"{when}, {shown}{where}{contact} ran {count:,} searches.")
        numbers.append(len(lines))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return numbers


def _write_log(path: Path, rng: random.Random, doc: Document, rows: list[Row]) -> list[int]:
    """Audit lines, one search each, the place in the name, a state field or the user's email.

    Where the document states no place, the user is written without a domain: an email domain
    on the line places the agency (columbiamo.gov), and the truth of such a line says none.
    """
    lines: list[str] = []
    for _, shown, state, _, _, iso, email, _ in rows:
        day = iso if len(iso) == 10 else f"{iso}-15"
        stamp = f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
        place = f' state="{state}"' if doc.clue == "state_col" else ""
        user = email.split("@")[0] if doc.clue == "none" else email
        lines.append(f'{stamp} event=search agency="{shown}"{place} user={user} result=ok')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list(range(1, len(lines) + 1))


def _generate(seed: int, folder: Path) -> Generated:
    return generate_lookalikes(seed, folder)[0]


KINDS: dict[str, Generator] = {"lookalike": _generate}


@dataclass(frozen=True)
class EntityScore:
    """How records' agency ids and regions agree with the look-alike truth, over seeds."""

    mentions: int
    matched: int
    #: Look-alike entities (per seed; "?name" clusters included) sharing an id with a sibling.
    merged: int
    lookalikes: int
    precision: float
    recall: float
    f1: float
    region_stated: int
    region_right: int
    #: Records of unplaced look-alikes given a region anyway (a guess among siblings).
    region_guessed: int
    unplaced: int
    examples: tuple[str, ...] = ()

    @property
    def region_share(self) -> float:
        """Share of records whose region is right where the document states it."""
        return self.region_right / self.region_stated if self.region_stated else 1.0

    def lines(self) -> list[str]:
        return [
            f"lookalike entities: {self.matched}/{self.mentions} truth rows matched to records",
            f"  look-alike agencies merged with a sibling: {self.merged} of {self.lookalikes}",
            f"  B-cubed P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}",
            f"  region right where stated: {self.region_right}/{self.region_stated} "
            f"= {self.region_share:.3f}",
            f"  unplaced look-alike records given a region: {self.region_guessed}/{self.unplaced}",
            *(f"  e.g. {e}" for e in self.examples[:8]),
        ]


def match_records(records: pd.DataFrame, mentions: list[Mention]) -> list[tuple[int, Mention]]:
    """(record position, mention) pairs: by file and folded name, then count and date, then row."""
    by_name: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        by_name[(m.file, fold(m.printed))].append(m)
    data = records
    if "row_type" in data:
        data = data[data["row_type"].fillna("data") == "data"]
    pairs: list[tuple[int, Mention]] = []
    for position, (file, raw, count, day, row) in enumerate(
        zip(
            data["source_file"],
            data["agency_raw"],
            data["count"],
            data["date"],
            data["row"],
            strict=True,
        )
    ):
        found = by_name.get((str(file), fold(raw)), [])
        if not found:
            continue
        exact = [m for m in found if m.count == _int(count) and m.date == str(day)]
        if len(exact) == 1:
            found = exact
        elif len({m.entity for m in found}) > 1:
            found = [m for m in found if m.row == _int(row)]
        if len({m.entity for m in found}) == 1:
            pairs.append((int(data.index[position]), found[0]))
    return pairs


def _int(value: object) -> int | None:
    if isinstance(value, int | float):
        return None if pd.isna(value) else int(value)
    try:
        return int(str(value))
    except ValueError:
        return None


def score_entities(seeds: list[tuple[int, pd.DataFrame, list[Mention]]]) -> EntityScore:
    """Merges of look-alikes, B-cubed of agency_id against entity, and region where stated."""
    pairs: list[tuple[str, str]] = []
    ids_of: dict[str, set[str]] = defaultdict(set)
    groups: dict[str, set[str]] = defaultdict(set)
    matched = mentions = stated = right = guessed = unplaced = 0
    seen_rows: set[tuple[int, str, int]] = set()
    for seed, records, truth in seeds:
        mentions += len(truth)
        for m in truth:
            if m.group:
                groups[f"{seed}:{m.group}"].add(f"{seed}:{m.entity}")
        for position, m in match_records(records, truth):
            record = records.loc[position]
            seen_rows.add((seed, m.file, m.row))
            entity, cluster = f"{seed}:{m.entity}", f"{seed}:{record['agency_id']}"
            pairs.append((cluster, entity))
            ids_of[cluster].add(entity)
            region = "" if pd.isna(record.get("region")) else str(record.get("region"))
            if m.region:
                stated += 1
                right += region == m.region
            elif m.entity.startswith("?"):
                unplaced += 1
                guessed += bool(region)
        matched = len(seen_rows)
    merged: set[str] = set()
    examples: list[str] = []
    for siblings in groups.values():
        for cluster, entities in ids_of.items():
            together = entities & siblings
            if len(together) > 1:
                merged |= together
                examples.append(f"{cluster} holds {sorted(together)}")
    precision, recall, f1 = bcubed(pairs)
    return EntityScore(
        mentions,
        matched,
        len(merged),
        sum(len(s) for s in groups.values()),
        precision,
        recall,
        f1,
        stated,
        right,
        guessed,
        unplaced,
        tuple(examples),
    )
