"""The sample's truth: its agencies, their names, and one truth row per value written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Final

from foialog.errors import FoialogError

#: The vendor is invented; no real company's name appears in the sample.
VENDOR: Final = "Visage Metrics"

REDACTION: Final = "(b)(6)"

METRIC: Final = "searches"

TRUTH_FILE: Final = "truth.csv"

_FIRST_DAY: Final = dt.date(2019, 8, 1)

_LAST_DAY: Final = dt.date(2020, 1, 14)

#: English month names.
# Our own: strftime's %b/%B follow the process locale and would break determinism.
MONTH_NAMES: Final = (
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


class SampleError(FoialogError):
    """The sample leak could not be written; the message names the path and the fix."""


@dataclass(frozen=True)
class Agency:
    """One real public body the fictional vendor lists as a client, with its spellings."""

    entity_id: str
    country: str
    region: str
    names: tuple[str, ...]
    domain: str


@dataclass(frozen=True)
class TruthRow:
    """One row of truth.csv: what a perfect pipeline extracts from one source row."""

    source_file: str
    sheet: str
    row: int
    row_type: str
    agency_raw: str
    entity_id: str
    country: str
    region: str
    count: int | None
    count_qualifier: str
    metric: str
    date: str
    account_type: str
    redacted: str
    user_email: str
    #: The page of a PDF's row (rows are numbered within their page); None for other files.
    page: int | None = None


@dataclass(frozen=True)
class SampleManifest:
    """Where write_sample put the leak, its files and the truth."""

    leak_dir: Path
    truth_csv: Path
    files: tuple[Path, ...]
    n_rows: int


TRUTH_COLUMNS: Final = tuple(f.name for f in fields(TruthRow))


def _agency(entity_id: str, country: str, region: str, domain: str, *names: str) -> Agency:
    """Build one registry entry."""
    return Agency(entity_id, country, region, names, domain)


#: Real public institutions (never people); the first name is the canonical spelling.
AGENCIES: Final = (
    _agency(
        "interpol",
        "",
        "",
        "interpol.example",
        "INTERPOL",
        "Interpol",
        "International Criminal Police Organization (INTERPOL)",
        "ICPO-INTERPOL",
    ),
    _agency(
        "europol",
        "",
        "",
        "europol.example",
        "Europol",
        "EUROPOL",
        "European Union Agency for Law Enforcement Cooperation (Europol)",
    ),
    _agency(
        "ca-rcmp",
        "CA",
        "",
        "rcmp.example",
        "Royal Canadian Mounted Police",
        "RCMP",
        "Royal Canadian Mounted Police (RCMP)",
        "Gendarmerie royale du Canada",
    ),
    _agency(
        "gb-met-police",
        "GB",
        "",
        "met-police.example",
        "Metropolitan Police Service",
        "Met Police",
        "Metropolitan Police Service, London",
        "MPS London",
    ),
    _agency(
        "de-bka",
        "DE",
        "",
        "bka-de.example",
        "Bundeskriminalamt",
        "BKA",
        "Bundeskriminalamt (BKA)",
        "Bundeskriminalamt Wiesbaden",
    ),
    # Austria's federal criminal police office has the same name as Germany's.
    _agency(
        "at-bundeskriminalamt",
        "AT",
        "",
        "bk-at.example",
        "Bundeskriminalamt",
        "Bundeskriminalamt Österreich",
        "Bundeskriminalamt (Wien)",
    ),
    _agency(
        "fr-gendarmerie",
        "FR",
        "",
        "gendarmerie.example",
        "Gendarmerie nationale",
        "Gendarmerie Nationale",
        "GENDARMERIE NATIONALE",
        "Gendarmerie nationale (DGGN)",
    ),
    _agency(
        "br-policia-federal",
        "BR",
        "",
        "pf-br.example",
        "Polícia Federal",
        "Policia Federal",
        "Departamento de Polícia Federal",
        "Polícia Federal do Brasil",
    ),
    _agency(
        "au-afp",
        "AU",
        "",
        "afp-au.example",
        "Australian Federal Police",
        "AFP",
        "Australian Federal Police (AFP)",
    ),
    _agency(
        "nl-politie",
        "NL",
        "",
        "politie.example",
        "Politie Nederland",
        "Nationale Politie",
        "Dutch National Police",
    ),
    _agency(
        "ie-garda",
        "IE",
        "",
        "garda.example",
        "An Garda Síochána",
        "Garda Síochána",
        "Garda Siochana",
        "An Garda Siochana",
    ),
    _agency(
        "it-polizia-di-stato",
        "IT",
        "",
        "poliziadistato.example",
        "Polizia di Stato",
        "Polizia Di Stato",
        "POLIZIA DI STATO",
    ),
    _agency(
        "it-carabinieri",
        "IT",
        "",
        "carabinieri.example",
        "Arma dei Carabinieri",
        "Carabinieri",
        "Comando Generale dell'Arma dei Carabinieri",
    ),
    _agency(
        "es-guardia-civil",
        "ES",
        "",
        "guardiacivil.example",
        "Guardia Civil",
        "GUARDIA CIVIL",
        "Guardia Civil Española",
    ),
    _agency(
        "pt-policia-judiciaria",
        "PT",
        "",
        "pj-pt.example",
        "Polícia Judiciária",
        "Policia Judiciaria",
        "PJ - Polícia Judiciária",
    ),
    _agency(
        "se-polisen",
        "SE",
        "",
        "polisen.example",
        "Polismyndigheten",
        "Swedish Police Authority",
        "Polisen",
    ),
    _agency(
        "be-federal-police",
        "BE",
        "",
        "police-be.example",
        "Police fédérale",
        "Federale Politie",
        "Belgian Federal Police",
    ),
    _agency(
        "sa-sdaia",
        "SA",
        "",
        "sdaia.example",
        "Saudi Data and AI Authority",
        "SDAIA",
        "Saudi Data & AI Authority (SDAIA)",
    ),
    _agency(
        "ae-abu-dhabi-police",
        "AE",
        "",
        "adpolice.example",
        "Abu Dhabi Police",
        "Abu Dhabi Police GHQ",
        "ADP",
    ),
    _agency(
        "nz-police",
        "NZ",
        "",
        "police-nz.example",
        "New Zealand Police",
        "NZ Police",
        "Police (New Zealand)",
    ),
    _agency(
        "us-ca-lapd",
        "US",
        "US-CA",
        "lapd.example",
        "Los Angeles Police Department",
        "LAPD",
        "Los Angeles Police Dept.",
    ),
    _agency(
        "us-ny-nypd",
        "US",
        "US-NY",
        "nypd.example",
        "New York City Police Department",
        "NYPD",
        "New York Police Dept.",
    ),
    _agency(
        "us-fl-polk-county-so",
        "US",
        "US-FL",
        "polksheriff.example",
        "POLK COUNTY SHERIFF'S OFFICE",
        "Polk County FL SO",
        "Polk Co. Sheriff",
        "Polk County Sheriff's Office",
    ),
    # Two different agencies share a name; only the state tells them apart.
    _agency(
        "us-il-springfield-pd",
        "US",
        "US-IL",
        "springfield-il.example",
        "Springfield Police Department",
        "Springfield PD",
        "Springfield Police Department, IL",
    ),
    _agency(
        "us-mo-springfield-pd",
        "US",
        "US-MO",
        "springfield-mo.example",
        "Springfield Police Department",
        "Springfield PD",
        "Springfield Police Dept. (Mo.)",
    ),
    _agency(
        "us-tx-dps",
        "US",
        "US-TX",
        "txdps.example",
        "Texas Department of Public Safety",
        "Texas DPS",
        "TX Dept. of Public Safety",
    ),
    _agency(
        "us-ice",
        "US",
        "",
        "ice.example",
        "U.S. Immigration and Customs Enforcement",
        "ICE",
        "Immigration and Customs Enforcement (ICE)",
        "US ICE",
    ),
    _agency(
        "us-fbi",
        "US",
        "",
        "fbi.example",
        "Federal Bureau of Investigation",
        "FBI",
        "F.B.I.",
    ),
)

#: How the leak spells each country ("" is an international body); the first is English.
COUNTRY_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "": ("International", "INTL", ""),
    "CA": ("Canada", "CANADA", "CA"),
    "GB": ("United Kingdom", "UK", "Great Britain"),
    "DE": ("Germany", "Deutschland", "DE"),
    "AT": ("Austria", "Österreich", "AT"),
    "FR": ("France", "FRANCE", "FR"),
    "BR": ("Brazil", "Brasil", "BR"),
    "AU": ("Australia", "AUS", "AU"),
    "NL": ("Netherlands", "Nederland", "The Netherlands"),
    "IE": ("Ireland", "Éire", "IRL"),
    "IT": ("Italy", "Italia", "IT"),
    "ES": ("Spain", "España", "ES"),
    "PT": ("Portugal", "PORTUGAL", "PT"),
    "SE": ("Sweden", "Sverige", "SE"),
    "BE": ("Belgium", "Belgique", "België"),
    "SA": ("Saudi Arabia", "KSA", "Kingdom of Saudi Arabia"),
    "AE": ("United Arab Emirates", "UAE", "U.A.E."),
    "NZ": ("New Zealand", "NZ", "NEW ZEALAND"),
    "US": ("United States", "USA", "U.S."),
}

#: Each agency by its entity_id.
AGENCY_BY_ID: Final = {a.entity_id: a for a in AGENCIES}

#: The European agencies and the international bodies, for the European export.
EU_IDS: Final = (
    "europol",
    "interpol",
    "gb-met-police",
    "de-bka",
    "at-bundeskriminalamt",
    "fr-gendarmerie",
    "nl-politie",
    "ie-garda",
    "it-polizia-di-stato",
    "it-carabinieri",
    "es-guardia-civil",
    "pt-policia-judiciaria",
    "se-polisen",
    "be-federal-police",
)

#: The US agencies, for the US export.
US_IDS: Final = tuple(a.entity_id for a in AGENCIES if a.country == "US")

_LOCAL_PARTS: Final = ("analyst", "investigator", "detective", "user", "officer", "intel")

#: What tells two agencies of the same name apart in a file: nothing, the country, the state.
LocationKey = Callable[[Agency], tuple[str, ...]]


def no_location_key(agency: Agency) -> tuple[str, ...]:
    """Location key of a file with no location column."""
    return ()


def country_key(agency: Agency) -> tuple[str, ...]:
    """Location key of a file with a country column."""
    return (agency.country,)


def state_key(agency: Agency) -> tuple[str, ...]:
    """Location key of a file with a US state column."""
    return (agency.country, agency.region)


def distinct_names(agency: Agency, where: LocationKey) -> tuple[str, ...]:
    """The agency's spellings that no other agency shares at the same location."""
    return tuple(
        name
        for name in agency.names
        if not any(
            other is not agency
            and where(other) == where(agency)
            and name.casefold() in (n.casefold() for n in other.names)
            for other in AGENCIES
        )
    )


def nameable_agencies(ids: Sequence[str], where: LocationKey) -> list[Agency]:
    """The agencies that have at least one unambiguous spelling in such a file."""
    return [AGENCY_BY_ID[i] for i in ids if distinct_names(AGENCY_BY_ID[i], where)]


def draw_kinds(
    rng: random.Random, n: int, weights: dict[str, float], forced: Sequence[str] = ()
) -> list[str]:
    """n value kinds: each forced kind at least once, the rest drawn by weight, shuffled."""
    kinds = list(forced)[:n]
    kinds += rng.choices(list(weights), list(weights.values()), k=n - len(kinds))
    rng.shuffle(kinds)
    return kinds


def random_day(rng: random.Random, *, day_over_12: bool = False) -> dt.date:
    """A day in the leak's activity window; optionally one whose day number exceeds 12."""
    span = (_LAST_DAY - _FIRST_DAY).days + 1
    while True:
        day = _FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        if day.day > 12 or not day_over_12:
            return day


def random_time(rng: random.Random) -> dt.time:
    """A working-hours time of day."""
    return dt.time(rng.randint(7, 22), rng.randrange(60))


def random_searches(rng: random.Random, low: float = 0.5, high: float = 3.0) -> int:
    """A skewed search count: many small accounts, a few heavy ones."""
    return round(10 ** rng.uniform(low, high))


def random_email(rng: random.Random, agency: Agency) -> str:
    """A fictional user address on the agency's reserved .example domain."""
    return f"{rng.choice(_LOCAL_PARTS)}{rng.randint(1, 99)}@{agency.domain}"


def data_row_truth(
    file: str,
    sheet: str,
    row: int,
    agency: Agency | None,
    agency_raw: str,
    count: tuple[int | None, str],
    date: str,
    *,
    country: str | None = None,
    account_type: str = "",
    redacted: str = "",
    user_email: str = "",
) -> TruthRow:
    """One data row of truth; a None agency is a redacted one, located only by country."""
    return TruthRow(
        source_file=file,
        sheet=sheet,
        row=row,
        row_type="data",
        agency_raw=agency_raw,
        entity_id=agency.entity_id if agency else "",
        country=country if country is not None else agency.country if agency else "",
        region=agency.region if agency else "",
        count=count[0],
        count_qualifier=count[1] if count[0] is not None else "",
        metric=METRIC,
        date=date,
        account_type=account_type,
        redacted=redacted,
        user_email=user_email,
    )


def truth_csv_bytes(rows: Sequence[TruthRow]) -> bytes:
    """truth.csv as UTF-8 with a header and LF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TRUTH_COLUMNS)
    for row in rows:
        writer.writerow("" if v is None else v for v in astuple(row))
    return buffer.getvalue().encode("utf-8")
