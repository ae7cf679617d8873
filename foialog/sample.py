"""A synthetic leak of a fictional vendor's client log, written with its ground truth."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Final

import pandas as pd
from odf.element import Element
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from entities.errors import FoialogError

#: The vendor is invented; no real company's name appears in the sample.
VENDOR: Final = "Visage Metrics"
REDACTION: Final = "(b)(6)"
METRIC: Final = "searches"

CLIENTS_XLSX: Final = "visage_clients_2019.xlsx"
EU_CSV: Final = "searches_eu.csv"
US_TSV: Final = "us_agencies.tsv"
TRIALS_ODS: Final = "trial_accounts.ods"
NOHEADER_CSV: Final = "export_noheader.csv"
MONTHLY_CSV: Final = "monthly_usage.csv"
#: Every leak file the sampler owns, in writing order; nothing else in leak/ is touched.
LEAK_FILES: Final = (CLIENTS_XLSX, EU_CSV, US_TSV, TRIALS_ODS, NOHEADER_CSV, MONTHLY_CSV)
TRUTH_FILE: Final = "truth.csv"

# Fixed stamps so the zip-based formats are byte-identical for a given seed.
_GENERATED: Final = dt.datetime(2020, 1, 15, 9, 30)
_ZIP_TIME: Final = (2020, 1, 15, 9, 30, 0)
_FIRST_DAY: Final = dt.date(2019, 8, 1)
_LAST_DAY: Final = dt.date(2020, 1, 14)
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)

# Own month names: strftime's %b/%B follow the process locale and would break determinism.
_MONTHS: Final = (
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
_AP_MONTHS: Final = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
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

_BY_ID: Final = {a.entity_id: a for a in AGENCIES}
_EU_IDS: Final = (
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
_US_IDS: Final = tuple(a.entity_id for a in AGENCIES if a.country == "US")
_LOCAL_PARTS: Final = ("analyst", "investigator", "detective", "user", "officer", "intel")

# What tells two agencies of the same name apart in a file: nothing, the country, the state.
_Where = Callable[[Agency], tuple[str, ...]]


def _nowhere(agency: Agency) -> tuple[str, ...]:
    """Location key of a file with no location column."""
    return ()


def _by_country(agency: Agency) -> tuple[str, ...]:
    """Location key of a file with a country column."""
    return (agency.country,)


def _by_state(agency: Agency) -> tuple[str, ...]:
    """Location key of a file with a US state column."""
    return (agency.country, agency.region)


def _names(agency: Agency, where: _Where) -> tuple[str, ...]:
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


def _pool(ids: Sequence[str], where: _Where) -> list[Agency]:
    """The agencies that have at least one unambiguous spelling in such a file."""
    return [_BY_ID[i] for i in ids if _names(_BY_ID[i], where)]


def _kinds(
    rng: random.Random, n: int, weights: dict[str, float], forced: Sequence[str] = ()
) -> list[str]:
    """n value kinds: each forced kind at least once, the rest drawn by weight, shuffled."""
    kinds = list(forced)[:n]
    kinds += rng.choices(list(weights), list(weights.values()), k=n - len(kinds))
    rng.shuffle(kinds)
    return kinds


def _day(rng: random.Random, *, day_over_12: bool = False) -> dt.date:
    """A day in the leak's activity window; optionally one whose day number exceeds 12."""
    span = (_LAST_DAY - _FIRST_DAY).days + 1
    while True:
        day = _FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        if day.day > 12 or not day_over_12:
            return day


def _time(rng: random.Random) -> dt.time:
    """A working-hours time of day."""
    return dt.time(rng.randint(7, 22), rng.randrange(60))


def _searches(rng: random.Random, low: float = 0.5, high: float = 3.0) -> int:
    """A skewed search count: many small accounts, a few heavy ones."""
    return round(10 ** rng.uniform(low, high))


def _email(rng: random.Random, agency: Agency) -> str:
    """A fictional user address on the agency's reserved .example domain."""
    return f"{rng.choice(_LOCAL_PARTS)}{rng.randint(1, 99)}@{agency.domain}"


def _truth(
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


# --- visage_clients_2019.xlsx -------------------------------------------------------------

_CLIENT_HEADER: Final = (
    "Organization",
    "Country",
    "Account type",
    "Number of searches",
    "First search",
    "Contact email",
)
_CLIENT_COUNTS: Final = {
    "exact": 0.72,
    "plus": 0.04,
    "more_than": 0.04,
    "approx": 0.05,
    "thousands": 0.05,
    "up_to": 0.03,
    "na": 0.03,
    "dash": 0.02,
    "blank": 0.02,
}
_CLIENT_DATES: Final = {
    "date_cell": 0.5,
    "datetime_cell": 0.15,
    "ap": 0.08,
    "long": 0.08,
    "month": 0.06,
    "iso_time": 0.05,
    "blank": 0.08,
}
_ACCOUNTS: Final = {"Trial": "trial", "Paid": "paid", "trial (30 days)": "trial", "": ""}


def _client_count(rng: random.Random, kind: str) -> tuple[object, int | None, str]:
    """A Number of searches cell: (value written, truth count, truth qualifier)."""
    bound = rng.choice((50, 100, 200, 250, 320, 500))
    if kind == "exact":
        n = _searches(rng)
        return n, n, "exact"
    if kind == "plus":
        return f"{bound}+", bound, "at_least"
    if kind == "more_than":
        return f"more than {bound}", bound, "at_least"
    if kind == "approx":
        about = rng.randrange(100, 1001, 50)
        return f"~{about}", about, "approx"
    if kind == "thousands":
        n = rng.randint(1000, 9999)
        return f"{n:,}", n, "exact"
    if kind == "up_to":
        cap = rng.choice((10, 20, 25, 50))
        return f"up to {cap}", cap, "at_most"
    return {"na": "n/a", "dash": "-"}.get(kind), None, ""


def _client_date(rng: random.Random, kind: str) -> tuple[object, str, str]:
    """A First search cell: (value written, truth date, number format)."""
    day = _day(rng)
    if kind == "date_cell":
        fmt = rng.choice(("yyyy-mm-dd", "dd/mm/yyyy", "m/d/yyyy", "d mmm yyyy"))
        return dt.datetime.combine(day, dt.time()), day.isoformat(), fmt
    if kind == "datetime_cell":
        return dt.datetime.combine(day, _time(rng)), day.isoformat(), "yyyy-mm-dd hh:mm"
    if kind == "ap":
        return f"{_AP_MONTHS[day.month - 1]} {day.day}, {day.year}", day.isoformat(), ""
    if kind == "long":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}", day.isoformat(), ""
    if kind == "month":
        return f"{day:%Y-%m}", f"{day:%Y-%m}", ""
    if kind == "iso_time":
        return f"{day.isoformat()} {_time(rng):%H:%M}", day.isoformat(), ""
    return None, "", ""


def _clients_sheet(wb: Workbook, rng: random.Random) -> list[TruthRow]:
    """Fill the Clients sheet: title rows, a header on row 4, one merged country, a total."""
    where = _by_country
    pool = _pool([a.entity_id for a in AGENCIES], where)
    n = rng.randint(45, 65)
    block_len = rng.choice((2, 3))
    by_country: dict[str, list[Agency]] = {}
    for agency in pool:
        if agency.country:
            by_country.setdefault(agency.country, []).append(agency)
    block_country = rng.choice(sorted(c for c, m in by_country.items() if len(m) >= block_len))
    block = [(a, "block") for a in rng.sample(by_country[block_country], block_len)]
    # The redacted row hides a real agency; only its country stays printed.
    hidden = rng.choice([a for a in pool if a.country])
    seq = [(_BY_ID["interpol"], "story"), (hidden, "redacted")]
    seq += [(rng.choice(pool), "plain") for _ in range(n - 2 - block_len)]
    rng.shuffle(seq)
    block_at = rng.randint(0, len(seq))
    seq[block_at:block_at] = block
    story_at = [role for _, role in seq].index("story")
    count_kinds = _kinds(rng, n - 1, _CLIENT_COUNTS, [k for k in _CLIENT_COUNTS if k != "exact"])
    count_kinds.insert(story_at, "story")
    date_kinds = _kinds(rng, n, _CLIENT_DATES, list(_CLIENT_DATES))

    ws = wb.active
    ws.title = "Clients"
    ws["A1"] = f"{VENDOR} — client activity export"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(_CLIENT_HEADER))
    ws["A2"] = f"Generated {_GENERATED:%Y-%m-%d}"
    header_row = 4
    for col, title in enumerate(_CLIENT_HEADER, start=1):
        ws.cell(header_row, col, title).font = Font(bold=True)
    for letter, width in zip("ABCDEF", (44, 18, 16, 20, 20, 34), strict=True):
        ws.column_dimensions[letter].width = width

    truth: list[TruthRow] = []
    exact_sum = 0
    first = header_row + 1
    for i, (agency, role) in enumerate(seq):
        row = first + i
        if role == "story":
            # The row that started the project: a 30-day trial with "more than 320" searches.
            count_cell: object = "more than 320"
            count: tuple[int | None, str] = (320, "at_least")
            account = "trial (30 days)"
        else:
            count_cell, n_count, qualifier = _client_count(rng, count_kinds[i])
            count = (n_count, qualifier)
            account = rng.choice(list(_ACCOUNTS))
        if count[1] == "exact" and count[0] is not None:
            exact_sum += count[0]
        date_cell, date, fmt = _client_date(rng, date_kinds[i])
        roll = rng.random()
        email = "" if roll < 0.07 else REDACTION if roll < 0.15 else _email(rng, agency)
        redacted = []
        if role == "redacted":
            name, email = REDACTION, REDACTION
            redacted.append(f"agency:{REDACTION}")
        else:
            name = rng.choice(_names(agency, where))
        if email == REDACTION:
            redacted.append(f"user_email:{REDACTION}")
        # Only the top cell of a merged range holds its value.
        country_cell = (
            "" if block_at < i < block_at + block_len else rng.choice(COUNTRY_NAMES[agency.country])
        )
        values = (name, country_cell, account, count_cell, date_cell, email)
        for col, value in enumerate(values, start=1):
            if value is not None and value != "":
                ws.cell(row, col, value)
        if fmt:
            ws.cell(row, 5).number_format = fmt
        truth.append(
            _truth(
                CLIENTS_XLSX,
                "Clients",
                row,
                None if role == "redacted" else agency,
                "" if role == "redacted" else name,
                count,
                date,
                country=agency.country,
                account_type=_ACCOUNTS[account],
                redacted="; ".join(redacted),
                user_email="" if email == REDACTION else email,
            )
        )
    ws.merge_cells(
        start_row=first + block_at,
        start_column=2,
        end_row=first + block_at + block_len - 1,
        end_column=2,
    )
    total_row = first + len(seq)
    ws.cell(total_row, 1, "Total").font = Font(bold=True)
    ws.cell(total_row, 4, exact_sum).font = Font(bold=True)
    truth.append(
        TruthRow(
            source_file=CLIENTS_XLSX,
            sheet="Clients",
            row=total_row,
            row_type="total",
            agency_raw="Total",
            entity_id="",
            country="",
            region="",
            count=exact_sum,
            count_qualifier="exact",
            metric=METRIC,
            date="",
            account_type="",
            redacted="",
            user_email="",
        )
    )
    return truth


def _trials_sheet(wb: Workbook, rng: random.Random) -> list[TruthRow]:
    """Fill the Trials sheet: header on row 1, trial starts as bare Excel serial numbers."""
    where = _nowhere
    pool = _pool([a.entity_id for a in AGENCIES], where)
    n = rng.randint(12, 20)
    agencies = [_BY_ID["interpol"], *(rng.choice(pool) for _ in range(n - 1))]
    rng.shuffle(agencies)
    with_time = _kinds(rng, n, {"day": 0.85, "time": 0.15}, ["time"])
    ws = wb.create_sheet("Trials")
    for col, title in enumerate(("Agency", "Trial start", "Searches during trial"), start=1):
        ws.cell(1, col, title).font = Font(bold=True)
    truth: list[TruthRow] = []
    for i, agency in enumerate(agencies):
        row = 2 + i
        name = rng.choice(_names(agency, where))
        day = _day(rng)
        serial: float = (day - _EXCEL_EPOCH).days
        if with_time[i] == "time":
            moment = _time(rng)
            serial = round(serial + (moment.hour * 60 + moment.minute) / 1440, 6)
        searches = rng.randint(321, 399) if agency.entity_id == "interpol" else _searches(rng)
        for col, value in enumerate((name, serial, searches), start=1):
            ws.cell(row, col, value).number_format = "General"
        truth.append(
            _truth(
                CLIENTS_XLSX,
                "Trials",
                row,
                agency,
                name,
                (searches, "exact"),
                day.isoformat(),
                account_type="trial",
            )
        )
    return truth


def _xlsx(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """The vendor's own export: a titled Clients sheet and a Trials sheet."""
    wb = Workbook()
    wb.properties.creator = f"{VENDOR} export"
    wb.properties.created = _GENERATED
    wb.properties.modified = _GENERATED
    truth = _clients_sheet(wb, rng) + _trials_sheet(wb, rng)
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps "modified" with the clock.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _fixed_zip_times(buffer.getvalue()), truth


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every member stamped with one fixed time, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            fixed.create_system = 3
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


# --- delimited files ----------------------------------------------------------------------


def _delimited(records: Sequence[Sequence[str]], delimiter: str) -> str:
    """Records as delimited text with CRLF line ends, quoting only where needed."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(records)
    return buffer.getvalue()


def _eu_csv(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """A European export: cp1252, semicolons, 1.234 thousands, day-first dates."""
    where = _by_country
    pool = _pool(_EU_IDS, where)
    n = rng.randint(25, 35)
    agencies = [_BY_ID["ie-garda"], *(rng.choice(pool) for _ in range(n - 1))]
    rng.shuffle(agencies)
    counts = _kinds(rng, n, {"small": 0.8, "big": 0.12, "blank": 0.05, "dash": 0.03}, ["big"] * 4)
    days = _kinds(rng, n, {"any": 0.85, "over_12": 0.1, "blank": 0.05}, ["over_12"] * 4)
    records = [["Agency", "Country", "Searches", "Date"]]
    truth: list[TruthRow] = []
    for i, agency in enumerate(agencies):
        # Guarantees a byte that is not valid UTF-8 once encoded as cp1252.
        name = "An Garda Síochána" if i == agencies.index(_BY_ID["ie-garda"]) else None
        name = name or rng.choice(_names(agency, where))
        count: tuple[int | None, str] = (None, "")
        count_cell = {"blank": "", "dash": "-"}.get(counts[i], "")
        if counts[i] in ("small", "big"):
            value = rng.randint(1000, 9999) if counts[i] == "big" else _searches(rng, 0.3, 2.9)
            count = (value, "exact")
            count_cell = f"{value:,}".replace(",", ".")
        date, date_cell = "", ""
        if days[i] != "blank":
            day = _day(rng, day_over_12=days[i] == "over_12")
            date, date_cell = day.isoformat(), f"{day:%d/%m/%Y}"
        country = rng.choice(COUNTRY_NAMES[agency.country])
        records.append([name, country, count_cell, date_cell])
        truth.append(_truth(EU_CSV, "", i + 2, agency, name, count, date))
    return _delimited(records, ";").encode("cp1252"), truth


def _us_tsv(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """A US export: UTF-16 with BOM, tabs, 1,234 thousands, month-first dates, user emails."""
    where = _by_state
    pool = _pool(_US_IDS, where)
    n = rng.randint(25, 35)
    springfields = [_BY_ID["us-il-springfield-pd"], _BY_ID["us-mo-springfield-pd"]]
    agencies = springfields + [rng.choice(pool) for _ in range(n - 2)]
    rng.shuffle(agencies)
    forced_plain = {agencies.index(a) for a in springfields}
    counts = _kinds(rng, n, {"small": 0.8, "big": 0.15, "blank": 0.05}, ["big"] * 4)
    days = _kinds(rng, n, {"any": 0.85, "over_12": 0.15}, ["over_12"] * 4)
    records = [["Agency Name", "State", "Searches", "Date of Access", "User"]]
    truth: list[TruthRow] = []
    for i, agency in enumerate(agencies):
        # The two Springfields must share the one spelling only the State column separates.
        name = "Springfield Police Department" if i in forced_plain else None
        name = name or rng.choice(_names(agency, where))
        count: tuple[int | None, str] = (None, "")
        count_cell = ""
        if counts[i] != "blank":
            value = rng.randint(1000, 9999) if counts[i] == "big" else _searches(rng)
            count, count_cell = (value, "exact"), f"{value:,}"
        day = _day(rng, day_over_12=days[i] == "over_12")
        padded = rng.random() < 0.7
        date_cell = f"{day:%m/%d/%Y}" if padded else f"{day.month}/{day.day}/{day.year}"
        email = _email(rng, agency) if rng.random() < 0.8 else ""
        state = agency.region.removeprefix("US-")
        records.append([name, state, count_cell, date_cell, email])
        truth.append(
            _truth(US_TSV, "", i + 2, agency, name, count, day.isoformat(), user_email=email)
        )
    # Explicit little-endian plus BOM: plain "utf-16" would follow the machine's byte order.
    return b"\xff\xfe" + _delimited(records, "\t").encode("utf-16-le"), truth


def _ods(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """An OpenDocument sheet of trial accounts, dates as date cells or ISO strings."""
    where = _by_country
    pool = _pool([a.entity_id for a in AGENCIES], where)
    n = rng.randint(14, 20)
    counts = _kinds(rng, n, {"int": 0.9, "blank": 0.1}, ["blank"])
    dates = _kinds(
        rng,
        n,
        {"date_cell": 0.4, "datetime_cell": 0.1, "iso": 0.35, "iso_time": 0.15},
        ["date_cell", "datetime_cell", "iso", "iso_time", "iso_time"],
    )
    rows: list[list[object]] = []
    truth: list[TruthRow] = []
    for i in range(n):
        agency = rng.choice(pool)
        name = rng.choice(_names(agency, where))
        value = _searches(rng) if counts[i] == "int" else None
        day = _day(rng)
        date_cell: object = {
            "date_cell": day,
            "datetime_cell": dt.datetime.combine(day, _time(rng)),
            "iso": day.isoformat(),
        }.get(dates[i], f"{day.isoformat()} {_time(rng):%H:%M}")
        country = rng.choice(COUNTRY_NAMES[agency.country])
        rows.append([name, country, value, date_cell])
        truth.append(
            _truth(
                TRIALS_ODS,
                "Sheet1",
                i + 2,
                agency,
                name,
                (value, "exact"),
                day.isoformat(),
                account_type="trial",
            )
        )
    frame = pd.DataFrame(
        rows, columns=["Agency", "Country", "Trial searches", "Trial started"], dtype=object
    )
    buffer = io.BytesIO()
    # odfpy declares every namespace any earlier document in the process used (a class-level
    # dict); a fresh dict per write keeps the bytes independent of what ran before.
    shared = Element.namespaces
    Element.namespaces = {}
    try:
        with pd.ExcelWriter(buffer, engine="odf") as writer:
            frame.to_excel(writer, sheet_name="Sheet1", index=False)
    finally:
        Element.namespaces = shared
    return _fixed_zip_times(buffer.getvalue()), truth


def _noheader_csv(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """A headerless UTF-8-with-BOM dump: agency, country name, count, ISO date."""
    where = _by_country
    pool = _pool([a.entity_id for a in AGENCIES], where)
    n = rng.randint(15, 25)
    records: list[list[str]] = []
    truth: list[TruthRow] = []
    for i in range(n):
        agency = rng.choice(pool)
        name = rng.choice(_names(agency, where))
        value = _searches(rng, 0.5, 3.4)
        day = _day(rng)
        records.append([name, COUNTRY_NAMES[agency.country][0], str(value), day.isoformat()])
        truth.append(
            _truth(NOHEADER_CSV, "", i + 1, agency, name, (value, "exact"), day.isoformat())
        )
    return _delimited(records, ",").encode("utf-8-sig"), truth


def _monthly_csv(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """Monthly usage per agency with month-year dates such as "Nov 2019"."""
    where = _nowhere
    pool = _pool([a.entity_id for a in AGENCIES], where)
    months = [(2019, m) for m in range(8, 13)] + [(2020, 1)]
    records = [["Agency", "Month", "Searches"]]
    truth: list[TruthRow] = []
    for agency in rng.sample(pool, rng.randint(5, 7)):
        name = rng.choice(_names(agency, where))
        span = rng.randint(3, 4)
        start = rng.randint(0, len(months) - span)
        for year, month in months[start : start + span]:
            long = rng.random() < 0.5
            label = _MONTHS[month - 1] if long else _MONTHS[month - 1][:3]
            value = _searches(rng)
            records.append([name, f"{label} {year}", str(value)])
            truth.append(
                _truth(
                    MONTHLY_CSV,
                    "",
                    len(records),
                    agency,
                    name,
                    (value, "exact"),
                    f"{year}-{month:02d}",
                )
            )
    return _delimited(records, ",").encode("utf-8"), truth


# --- entry point --------------------------------------------------------------------------


def _truth_csv(rows: Sequence[TruthRow]) -> bytes:
    """truth.csv as UTF-8 with a header and LF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TRUTH_COLUMNS)
    for row in rows:
        writer.writerow("" if v is None else v for v in astuple(row))
    return buffer.getvalue().encode("utf-8")


def _refuse_directory(path: Path) -> None:
    """Raise when a directory sits where the sampler writes a file."""
    if path.is_dir():
        raise SampleError(
            f"{path} is a directory, but the sampler writes a file there; "
            "move it away or pass another directory"
        )


def _write(path: Path, data: bytes) -> None:
    """Write one file, naming the path when the system refuses."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise SampleError(
            f"cannot write {path}: {exc.strerror}; check permissions and free space"
        ) from exc


def write_sample(
    directory: Path, *, seed: int = 0, emails: bool = False, scans: bool = False
) -> SampleManifest:
    """Write a synthetic leak to directory/leak and its ground truth to directory/truth.csv.

    ``emails`` adds an email dump (mbox with prose and attachments) and an audit log.
    ``scans`` adds the client table scanned, as a PNG and an image-only PDF (read by OCR).
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SampleError(f"seed {seed!r} is not an integer; pass an int such as seed=0")
    directory = Path(directory)
    leak = directory / "leak"
    for folder in (directory, leak):
        if folder.exists() and not folder.is_dir():
            raise SampleError(
                f"{folder} exists and is not a directory; remove it or pass another directory"
            )
    try:
        leak.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SampleError(
            f"cannot create {leak}: {exc.strerror}; check permissions or pass another directory"
        ) from exc
    truth_csv = directory / TRUTH_FILE
    # Check every target first so a refusal leaves no half-written sample behind.
    for path in (*(leak / name for name in LEAK_FILES), truth_csv):
        _refuse_directory(path)
    # One generator per file, each seeded from the master, so files vary independently.
    master = random.Random(seed)
    builders = (_xlsx, _eu_csv, _us_tsv, _ods, _noheader_csv, _monthly_csv)
    built = [build(random.Random(master.getrandbits(64))) for build in builders]
    truth = [row for _, rows in built for row in rows]
    if emails:
        # Imported here: sample_email builds on this module's registry and helpers.
        from foialog.sample_email import write_email_dump

        truth += write_email_dump(leak, random.Random(master.getrandbits(64)))
    paths = tuple(leak / name for name in LEAK_FILES)
    for path, (data, _) in zip(paths, built, strict=True):
        _write(path, data)
    # Imported here: sample_pdf builds on this module's registry and truth rows.
    from foialog.sample_pdf import write_pdfs

    pdfs = write_pdfs(leak, master.getrandbits(64))
    truth, paths = [*truth, *pdfs.truth], (*paths, *pdfs.files)
    if scans:
        # Imported here: sample_scan builds on this module's registry and truth rows.
        from foialog.sample_scan import write_scans

        scanned = write_scans(leak, master.getrandbits(64))
        truth, paths = [*truth, *scanned.truth], (*paths, *scanned.files)
    _write(truth_csv, _truth_csv(truth))
    return SampleManifest(leak_dir=leak, truth_csv=truth_csv, files=paths, n_rows=len(truth))
