"""The sample's spreadsheets and delimited files (xlsx, ods, csv, tsv) and their truth."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from typing import Final

import pandas as pd
from odf.element import Element
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from foialog.sample.files import delimited_text
from foialog.sample.truth import (
    AGENCIES,
    AGENCY_BY_ID,
    COUNTRY_NAMES,
    EU_IDS,
    METRIC,
    MONTH_NAMES,
    REDACTION,
    US_IDS,
    VENDOR,
    Agency,
    TruthRow,
    country_key,
    data_row_truth,
    distinct_names,
    draw_kinds,
    nameable_agencies,
    no_location_key,
    random_day,
    random_email,
    random_searches,
    random_time,
    state_key,
)

CLIENTS_XLSX: Final = "visage_clients_2019.xlsx"

EU_CSV: Final = "searches_eu.csv"

US_TSV: Final = "us_agencies.tsv"

TRIALS_ODS: Final = "trial_accounts.ods"

NOHEADER_CSV: Final = "export_noheader.csv"

MONTHLY_CSV: Final = "monthly_usage.csv"

#: Every leak file the sampler owns, in writing order; nothing else in leak/ is touched.
LEAK_FILES: Final = (CLIENTS_XLSX, EU_CSV, US_TSV, TRIALS_ODS, NOHEADER_CSV, MONTHLY_CSV)

# Fixed stamps so the zip-based formats are byte-identical for a given seed.
_GENERATED: Final = dt.datetime(2020, 1, 15, 9, 30)

_ZIP_TIME: Final = (2020, 1, 15, 9, 30, 0)

_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)

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
        n = random_searches(rng)
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
    day = random_day(rng)
    if kind == "date_cell":
        fmt = rng.choice(("yyyy-mm-dd", "dd/mm/yyyy", "m/d/yyyy", "d mmm yyyy"))
        return dt.datetime.combine(day, dt.time()), day.isoformat(), fmt
    if kind == "datetime_cell":
        return dt.datetime.combine(day, random_time(rng)), day.isoformat(), "yyyy-mm-dd hh:mm"
    if kind == "ap":
        return f"{_AP_MONTHS[day.month - 1]} {day.day}, {day.year}", day.isoformat(), ""
    if kind == "long":
        return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}", day.isoformat(), ""
    if kind == "month":
        return f"{day:%Y-%m}", f"{day:%Y-%m}", ""
    if kind == "iso_time":
        return f"{day.isoformat()} {random_time(rng):%H:%M}", day.isoformat(), ""
    return None, "", ""


def _clients_sheet(wb: Workbook, rng: random.Random) -> list[TruthRow]:
    """Fill the Clients sheet: title rows, a header on row 4, one merged country, a total."""
    where = country_key
    pool = nameable_agencies([a.entity_id for a in AGENCIES], where)
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
    seq = [(AGENCY_BY_ID["interpol"], "story"), (hidden, "redacted")]
    seq += [(rng.choice(pool), "plain") for _ in range(n - 2 - block_len)]
    rng.shuffle(seq)
    block_at = rng.randint(0, len(seq))
    seq[block_at:block_at] = block
    story_at = [role for _, role in seq].index("story")
    count_kinds = draw_kinds(
        rng, n - 1, _CLIENT_COUNTS, [k for k in _CLIENT_COUNTS if k != "exact"]
    )
    count_kinds.insert(story_at, "story")
    date_kinds = draw_kinds(rng, n, _CLIENT_DATES, list(_CLIENT_DATES))

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
        email = "" if roll < 0.07 else REDACTION if roll < 0.15 else random_email(rng, agency)
        redacted = []
        if role == "redacted":
            name, email = REDACTION, REDACTION
            redacted.append(f"agency:{REDACTION}")
        else:
            name = rng.choice(distinct_names(agency, where))
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
            data_row_truth(
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
    where = no_location_key
    pool = nameable_agencies([a.entity_id for a in AGENCIES], where)
    n = rng.randint(12, 20)
    agencies = [AGENCY_BY_ID["interpol"], *(rng.choice(pool) for _ in range(n - 1))]
    rng.shuffle(agencies)
    with_time = draw_kinds(rng, n, {"day": 0.85, "time": 0.15}, ["time"])
    ws = wb.create_sheet("Trials")
    for col, title in enumerate(("Agency", "Trial start", "Searches during trial"), start=1):
        ws.cell(1, col, title).font = Font(bold=True)
    truth: list[TruthRow] = []
    for i, agency in enumerate(agencies):
        row = 2 + i
        name = rng.choice(distinct_names(agency, where))
        day = random_day(rng)
        serial: float = (day - _EXCEL_EPOCH).days
        if with_time[i] == "time":
            moment = random_time(rng)
            serial = round(serial + (moment.hour * 60 + moment.minute) / 1440, 6)
        searches = rng.randint(321, 399) if agency.entity_id == "interpol" else random_searches(rng)
        for col, value in enumerate((name, serial, searches), start=1):
            ws.cell(row, col, value).number_format = "General"
        truth.append(
            data_row_truth(
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


def _eu_csv(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """A European export: cp1252, semicolons, 1.234 thousands, day-first dates."""
    where = country_key
    pool = nameable_agencies(EU_IDS, where)
    n = rng.randint(25, 35)
    agencies = [AGENCY_BY_ID["ie-garda"], *(rng.choice(pool) for _ in range(n - 1))]
    rng.shuffle(agencies)
    counts = draw_kinds(
        rng, n, {"small": 0.8, "big": 0.12, "blank": 0.05, "dash": 0.03}, ["big"] * 4
    )
    days = draw_kinds(rng, n, {"any": 0.85, "over_12": 0.1, "blank": 0.05}, ["over_12"] * 4)
    records = [["Agency", "Country", "Searches", "Date"]]
    truth: list[TruthRow] = []
    for i, agency in enumerate(agencies):
        # Guarantees a byte that is not valid UTF-8 once encoded as cp1252.
        name = "An Garda Síochána" if i == agencies.index(AGENCY_BY_ID["ie-garda"]) else None
        name = name or rng.choice(distinct_names(agency, where))
        count: tuple[int | None, str] = (None, "")
        count_cell = {"blank": "", "dash": "-"}.get(counts[i], "")
        if counts[i] in ("small", "big"):
            value = (
                rng.randint(1000, 9999) if counts[i] == "big" else random_searches(rng, 0.3, 2.9)
            )
            count = (value, "exact")
            count_cell = f"{value:,}".replace(",", ".")
        date, date_cell = "", ""
        if days[i] != "blank":
            day = random_day(rng, day_over_12=days[i] == "over_12")
            date, date_cell = day.isoformat(), f"{day:%d/%m/%Y}"
        country = rng.choice(COUNTRY_NAMES[agency.country])
        records.append([name, country, count_cell, date_cell])
        truth.append(data_row_truth(EU_CSV, "", i + 2, agency, name, count, date))
    return delimited_text(records, ";").encode("cp1252"), truth


def _us_tsv(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """A US export: UTF-16 with BOM, tabs, 1,234 thousands, month-first dates, user emails."""
    where = state_key
    pool = nameable_agencies(US_IDS, where)
    n = rng.randint(25, 35)
    springfields = [AGENCY_BY_ID["us-il-springfield-pd"], AGENCY_BY_ID["us-mo-springfield-pd"]]
    agencies = springfields + [rng.choice(pool) for _ in range(n - 2)]
    rng.shuffle(agencies)
    forced_plain = {agencies.index(a) for a in springfields}
    counts = draw_kinds(rng, n, {"small": 0.8, "big": 0.15, "blank": 0.05}, ["big"] * 4)
    days = draw_kinds(rng, n, {"any": 0.85, "over_12": 0.15}, ["over_12"] * 4)
    records = [["Agency Name", "State", "Searches", "Date of Access", "User"]]
    truth: list[TruthRow] = []
    for i, agency in enumerate(agencies):
        # The two Springfields must share the one spelling only the State column separates.
        name = "Springfield Police Department" if i in forced_plain else None
        name = name or rng.choice(distinct_names(agency, where))
        count: tuple[int | None, str] = (None, "")
        count_cell = ""
        if counts[i] != "blank":
            value = rng.randint(1000, 9999) if counts[i] == "big" else random_searches(rng)
            count, count_cell = (value, "exact"), f"{value:,}"
        day = random_day(rng, day_over_12=days[i] == "over_12")
        padded = rng.random() < 0.7
        date_cell = f"{day:%m/%d/%Y}" if padded else f"{day.month}/{day.day}/{day.year}"
        email = random_email(rng, agency) if rng.random() < 0.8 else ""
        state = agency.region.removeprefix("US-")
        records.append([name, state, count_cell, date_cell, email])
        truth.append(
            data_row_truth(
                US_TSV, "", i + 2, agency, name, count, day.isoformat(), user_email=email
            )
        )
    # Explicit little-endian plus BOM: plain "utf-16" would follow the machine's byte order.
    return b"\xff\xfe" + delimited_text(records, "\t").encode("utf-16-le"), truth


def _ods(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """An OpenDocument sheet of trial accounts, dates as date cells or ISO strings."""
    where = country_key
    pool = nameable_agencies([a.entity_id for a in AGENCIES], where)
    n = rng.randint(14, 20)
    counts = draw_kinds(rng, n, {"int": 0.9, "blank": 0.1}, ["blank"])
    dates = draw_kinds(
        rng,
        n,
        {"date_cell": 0.4, "datetime_cell": 0.1, "iso": 0.35, "iso_time": 0.15},
        ["date_cell", "datetime_cell", "iso", "iso_time", "iso_time"],
    )
    rows: list[list[object]] = []
    truth: list[TruthRow] = []
    for i in range(n):
        agency = rng.choice(pool)
        name = rng.choice(distinct_names(agency, where))
        value = random_searches(rng) if counts[i] == "int" else None
        day = random_day(rng)
        date_cell: object = {
            "date_cell": day,
            "datetime_cell": dt.datetime.combine(day, random_time(rng)),
            "iso": day.isoformat(),
        }.get(dates[i], f"{day.isoformat()} {random_time(rng):%H:%M}")
        country = rng.choice(COUNTRY_NAMES[agency.country])
        rows.append([name, country, value, date_cell])
        truth.append(
            data_row_truth(
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
    where = country_key
    pool = nameable_agencies([a.entity_id for a in AGENCIES], where)
    n = rng.randint(15, 25)
    records: list[list[str]] = []
    truth: list[TruthRow] = []
    for i in range(n):
        agency = rng.choice(pool)
        name = rng.choice(distinct_names(agency, where))
        value = random_searches(rng, 0.5, 3.4)
        day = random_day(rng)
        records.append([name, COUNTRY_NAMES[agency.country][0], str(value), day.isoformat()])
        truth.append(
            data_row_truth(NOHEADER_CSV, "", i + 1, agency, name, (value, "exact"), day.isoformat())
        )
    return delimited_text(records, ",").encode("utf-8-sig"), truth


def _monthly_csv(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """Monthly usage per agency with month-year dates such as "Nov 2019"."""
    where = no_location_key
    pool = nameable_agencies([a.entity_id for a in AGENCIES], where)
    months = [(2019, m) for m in range(8, 13)] + [(2020, 1)]
    records = [["Agency", "Month", "Searches"]]
    truth: list[TruthRow] = []
    for agency in rng.sample(pool, rng.randint(5, 7)):
        name = rng.choice(distinct_names(agency, where))
        span = rng.randint(3, 4)
        start = rng.randint(0, len(months) - span)
        for year, month in months[start : start + span]:
            long = rng.random() < 0.5
            label = MONTH_NAMES[month - 1] if long else MONTH_NAMES[month - 1][:3]
            value = random_searches(rng)
            records.append([name, f"{label} {year}", str(value)])
            truth.append(
                data_row_truth(
                    MONTHLY_CSV,
                    "",
                    len(records),
                    agency,
                    name,
                    (value, "exact"),
                    f"{year}-{month:02d}",
                )
            )
    return delimited_text(records, ",").encode("utf-8"), truth


#: One builder per LEAK_FILES entry, in the same order: each returns (bytes, truth rows).
SHEET_BUILDERS: Final = (_xlsx, _eu_csv, _us_tsv, _ods, _noheader_csv, _monthly_csv)
