"""One table as other people lay it out, drawn per seed; sheets.py, pdfs.py and texts.py print it.

A ``Plan`` is the table before it is written: title and banner lines, zero, one or two header
rows, the columns in the seed's order, data rows, blank spacer rows, subtotal and total rows,
and the truth of each data row (agency as printed, the counted quantity, the row's date).

Truth semantics (shared by every tabular kind):

- one truth row per data row; title, banner, header, blank, subtotal, total and summary rows
  are not truth rows;
- ``agency`` is the agency cell as printed (a name wrapped over lines is the name joined with
  single spaces); ``count`` is the counted quantity (the column whose header names searches,
  queries, requests or hits; with no header, the only integer column that is neither a running
  row number, an identifier, a user count nor money), never a row number, account id, fee or
  user count; numbers are read in the file's own convention (a ';'-separated file whose fees
  print "1.250,00" writes counts "1.234" = 1234);
- ``date`` is the row's own date as ISO (a day, or "YYYY-MM" when the row prints only a month;
  times and zones are dropped, the day is the printed day); when rows have no date, the date
  of the title (a month or a day) applies; "" when neither gives one. Slash dates are written
  so that the day/month order is decidable within the column (at least one day above 12).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.variation.words import AGENCIES, BANNERS, FLAGS, HEADERS, NOTES, US_AGENCIES, Agency

#: How often each distractor column appears (the property test checks these frequencies).
DISTRACTOR_P: dict[str, float] = {
    "rownum": 0.5,
    "account": 0.5,
    "users": 0.4,
    "fee": 0.4,
    "status": 0.35,
    "flag": 0.4,
    "notes": 0.3,
    "region": 0.4,
}

#: Row date formats: name -> (strftime-like writer, granularity).
DATE_FORMATS = (
    "iso",
    "us_dash_time",
    "iso_z",
    "iso_offset",
    "us_zone",
    "de_time",
    "us_ampm",
    "long",
    "eu_slash",
    "us_slash",
    "month",
    "ym",
)


@dataclass(frozen=True)
class Cell:
    """A cell as printed (text) and, for spreadsheets, as typed (value and number format)."""

    text: str
    #: The typed value a spreadsheet stores (int, float, datetime, str); None: store the text.
    value: object = None
    number_format: str = ""


BLANK = Cell("")


@dataclass
class Line:
    """One row under the header: data, blank spacer, subtotal or total."""

    kind: str
    cells: list[Cell]
    #: For subtotal/total rows: the positions (in Plan.lines) of the data rows summed.
    sums: tuple[int, ...] = ()


@dataclass
class Plan:
    """A table before it is written, and what a correct reading of it gives."""

    lang: str
    title: list[str]
    #: The upper row of a two-level header (a label over the first column of each span).
    groups: list[str] | None
    #: Spans of the upper header row: (first column, last column, label).
    spans: list[tuple[int, int, str]]
    #: The header row; None when the table has no header.
    header: list[str] | None
    roles: list[str]
    lines: list[Line]
    #: (agency as printed, count, ISO date) per data row, in order.
    truth: list[tuple[str, int | None, str]]
    variation: dict[str, str] = field(default_factory=dict)
    metric: str = ""
    #: Summary-sheet rows (workbooks): a header and a few aggregate rows, no agency.
    summary: list[list[Cell]] = field(default_factory=list)
    #: Lines of free text for a notes sheet or a footer.
    notes: list[str] = field(default_factory=list)
    #: Which data rows hold which agency (index into AGENCIES-like list), for callers.
    agencies: list[Agency] = field(default_factory=list)
    #: The number convention of printed numbers: plain, en (1,234), eu (1.234), fr (1 234).
    numbers: str = "plain"

    def col(self, role: str) -> int:
        """The position of the column with this role (-1 when absent)."""
        return self.roles.index(role) if role in self.roles else -1


@dataclass(frozen=True)
class Options:
    """What the target format can hold."""

    #: Typed cells: Excel date cells, numbers stored as numbers, formulas.
    excel: bool = False
    #: Which agency names the file's code page can hold.
    can_hold: Callable[[str], bool] = lambda _: True
    min_rows: int = 5
    max_rows: int = 40
    #: Number conventions the format may use.
    numbers: tuple[str, ...] = ("plain", "en", "eu", "fr")
    #: Header modes allowed: single, two-level, none.
    header_modes: tuple[str, ...] = ("single", "single", "single", "two-level", "none")
    #: The largest number of columns (narrow PDF pages hold fewer).
    max_cols: int = 11
    #: Allow subtotal rows.
    subtotals: bool = True


def fmt_int(n: int, numbers: str, nbsp: bool = True) -> str:
    """An integer in a number convention."""
    text = f"{n:,}"
    if numbers == "plain":
        return str(n)
    if numbers == "eu":
        return text.replace(",", ".")
    if numbers == "fr":
        return text.replace(",", "\u00a0" if nbsp else " ")
    return text


def fmt_money(amount: float, numbers: str, currency: str) -> str:
    """An amount of money as an export prints it ("$1,250.00", "1.250,00 €", "EUR 1 250,00")."""
    text = f"{amount:,.2f}"
    if numbers in {"eu", "fr"}:
        sep = "." if numbers == "eu" else " "
        text = text.replace(",", "_").replace(".", ",").replace("_", sep)
        return f"{text} {currency}"
    return f"{currency}{text}" if currency in {"$", "€", "£"} else f"{currency} {text}"


def fmt_date(day: dt.datetime, style: str, lang: str) -> str:
    """A date (and time) in one of DATE_FORMATS."""
    months = HEADERS[lang].months
    if style == "iso":
        return day.strftime("%Y-%m-%d")
    if style == "us_dash_time":
        return day.strftime("%m/%d/%Y - %H:%M")
    if style == "iso_z":
        return day.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "iso_offset":
        return day.strftime("%Y-%m-%dT%H:%M:%S") + ("-05:00", "+01:00", "+05:30")[day.day % 3]
    if style == "us_zone":
        hour = day.hour % 12 or 12
        noon = "AM" if day.hour < 12 else "PM"
        zone = ("EST", "PST", "CDT", "UTC")[day.day % 4]
        return f"{day.month}/{day.day}/{day.year} {hour}:{day.minute:02d} {noon} {zone}"
    if style == "de_time":
        return day.strftime("%d.%m.%Y %H:%M")
    if style == "us_ampm":
        hour = day.hour % 12 or 12
        noon = "AM" if day.hour < 12 else "PM"
        return f"{day.month}/{day.day}/{day.year} {hour}:{day.minute:02d} {noon}"
    if style == "eu_slash":
        return day.strftime("%d/%m/%Y")
    if style == "us_slash":
        return day.strftime("%m/%d/%Y")
    if style == "long":
        if lang == "en":
            return f"{day.day} {months[day.month - 1]} {day.year}"
        if lang == "de":
            return f"{day.day}. {months[day.month - 1]} {day.year}"
        if lang in {"es", "pt"}:
            return f"{day.day} de {months[day.month - 1]} de {day.year}"
        return f"{day.day} {months[day.month - 1]} {day.year}"
    if style == "month":
        return f"{months[day.month - 1]} {day.year}"
    if style == "ym":
        return day.strftime("%Y-%m")
    raise ValueError(f"unknown date style {style!r}")


def truth_date(day: dt.datetime, style: str) -> str:
    """The ISO date a correct reading gives for a date written in ``style``."""
    return day.strftime("%Y-%m") if style in {"month", "ym"} else day.strftime("%Y-%m-%d")


def _header(words: tuple[str, ...], rng: random.Random) -> str:
    return rng.choice(words)


def _decorate(text: str, colon: bool, newline: bool, upper: bool) -> str:
    if upper:
        text = text.upper()
    if newline and " " in text.strip():
        words = text.split(" ")
        cut = max(1, len(words) // 2)
        text = " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
    if colon and text and not text.endswith(":"):
        text += ":"
    return text


def group_of(agency: Agency) -> str:
    """The group a subtotal sums over: the state or region, else the country."""
    return agency.region or agency.country or "INT"


def pick_agencies(
    rng: random.Random, n: int, can_hold: Callable[[str], bool], grouped: bool = False
) -> list[Agency]:
    """n agencies (distinct unless the pool is short) that the file can hold.

    Grouped: from two to four groups of two or more agencies each (at most n agencies), so
    that per-group subtotals sum several rows.
    """
    pool_kind = rng.choice(("us", "us", "world", "mixed"))
    base = US_AGENCIES if pool_kind == "us" else AGENCIES
    if pool_kind == "world":
        base = tuple(a for a in AGENCIES if a.country != "US")
    pool = [a for a in base if can_hold(a.name)]
    if grouped:
        members: dict[str, list[Agency]] = {}
        for a in pool:
            members.setdefault(group_of(a), []).append(a)
        keys = sorted(k for k, v in members.items() if len(v) >= 2)
        chosen_keys = rng.sample(keys, min(len(keys), rng.randint(2, 4)))
        pool = [a for k in chosen_keys for a in members[k]]
        n = min(n, len(pool))
    rng.shuffle(pool)
    chosen = pool[:n]
    while len(chosen) < n:
        chosen.append(rng.choice(pool))
    return chosen


def _counts(rng: random.Random, n: int) -> list[int]:
    scale = rng.choice((40, 900, 9000, 250))
    counts = [int(rng.paretovariate(1.3) * scale / 6) % (scale + 1) for _ in range(n)]
    if counts == list(range(1, n + 1)):
        counts[0] += 7
    return counts


def make_plan(seed: int, kind: str, options: Options) -> Plan:
    """Draw one table for a kind and seed."""
    rng = random.Random(f"{kind}:{seed}")
    lang = rng.choice(("en", "en", "en", "fr", "de", "es", "nl", "it", "pt"))
    words = HEADERS[lang]
    n = rng.randint(options.min_rows, options.max_rows)
    header_mode = rng.choice(options.header_modes)
    # Thousands separators follow the language: a comma in English, a dot or space elsewhere.
    numbers = rng.choice(
        [x for x in options.numbers if (x in {"plain", "en"}) == (lang == "en") or x == "plain"]
    )
    date_mode = rng.choice(("row", "row", "row", "title", "title", "none"))
    date_style = rng.choice(DATE_FORMATS + (("excel", "excel") if options.excel else ()))
    variation: dict[str, str] = {
        "lang": lang,
        "rows": str(n),
        "header": header_mode,
        "numbers": numbers,
        "dates": date_mode if date_mode != "row" else f"row:{date_style}",
    }
    subtotals = options.subtotals and rng.random() < 0.25
    agencies = pick_agencies(rng, n, options.can_hold, grouped=subtotals)
    n = len(agencies)
    variation["rows"] = str(n)
    if date_mode == "row" and rng.random() < 0.3:
        # An activity log lists an agency once a month: some names repeat.
        for i in range(1, n, 3):
            agencies[i] = agencies[i - 1]
        variation["repeats"] = "yes"
    counts = _counts(rng, n)

    year = rng.randint(2017, 2024)
    month = rng.randint(1, 12)
    period = dt.datetime(year, month, 1)
    title_day = rng.random() < 0.3
    if title_day:
        period = period.replace(day=rng.randint(1, 28))

    # Row dates: within the title's month when the title names one, else over a year.
    days: list[dt.datetime] = []
    for _ in range(n):
        if date_mode == "row" and rng.random() < 0.5:
            start = dt.datetime(year, month, 1)
            day = start + dt.timedelta(days=rng.randint(0, 27), minutes=rng.randint(0, 1439))
        else:
            day = dt.datetime(year, 1, 1) + dt.timedelta(
                days=rng.randint(0, 364), minutes=rng.randint(0, 1439)
            )
        days.append(day)
    if date_style in {"us_slash", "eu_slash", "us_dash_time", "us_ampm", "us_zone"}:
        pos = rng.randrange(n)
        days[pos] = days[pos].replace(day=rng.randint(13, 28))
    if date_style in {"month", "ym"} and date_mode == "row":
        days = [d.replace(day=1) for d in days]

    # Columns.
    has_header = header_mode != "none"
    roles = ["agency", "count"] + (["date"] if date_mode == "row" else [])
    for role, p in DISTRACTOR_P.items():
        if role == "users" and not has_header:
            continue  # with no header, users and searches cannot be told apart by anyone
        if rng.random() < p:
            roles.append(role)
    extra_roles = roles[3 if date_mode == "row" else 2 :]
    while len(roles) > options.max_cols:
        roles.remove(extra_roles.pop())
    rng.shuffle(roles)
    if "rownum" in roles and rng.random() < 0.8:
        roles.remove("rownum")
        roles.insert(0, "rownum")
    variation["columns"] = ",".join(roles)

    account_style = rng.choice(("digits", "digits0", "code"))
    currency = rng.choice(("$", "EUR", "€", "£") if options.can_hold("€£") else ("$", "EUR"))
    flag_pair = rng.choice(FLAGS[lang] + FLAGS["en"])
    notes_rows = set(rng.sample(range(n), max(1, n // 7)))
    metric_header, metric = rng.choice(words.count)
    count_as_text = options.excel and rng.random() < 0.2
    if count_as_text:
        variation["count_cells"] = "text"
    ids = rng.sample(range(10000, 99999), n)

    def cell(role: str, i: int) -> Cell:
        a = agencies[i]
        if role == "agency":
            return Cell(a.name)
        if role == "count":
            text = fmt_int(counts[i], numbers)
            if not options.excel or count_as_text:
                return Cell(text, text if options.excel else None)
            return Cell(text, counts[i], "#,##0" if numbers != "plain" else "0")
        if role == "date":
            day = days[i]
            if date_style == "excel":
                return Cell(day.strftime("%Y-%m-%d %H:%M"), day, rng_fmt)
            return Cell(fmt_date(day, date_style, lang))
        if role == "rownum":
            number = position[i] + 1  # numbered as printed, after any regrouping
            return Cell(str(number), number if options.excel else None, "0")
        if role == "account":
            if account_style == "code":
                return Cell(f"{rng_prefix}-{ids[i]}")
            text = (
                f"{ids[i] % 100000:05d}" if account_style == "digits" else f"0{ids[i] % 10000:04d}"
            )
            return Cell(text, text if options.excel else None)
        if role == "users":
            u = 1 + (ids[i] % 60)
            return Cell(str(u), u if options.excel else None, "0")
        if role == "fee":
            amount = round((ids[i] % 400) * 12.5, 2)
            return Cell(
                fmt_money(amount, numbers, currency), amount if options.excel else None, "#,##0.00"
            )
        if role == "status":
            return Cell(words.status_values[ids[i] % len(words.status_values)])
        if role == "flag":
            return Cell(flag_pair[ids[i] % 2])
        if role == "notes":
            return Cell(NOTES[i % len(NOTES)] if i in notes_rows else "")
        if role == "region":
            return Cell(a.region.split("-")[-1] if a.region else a.country)
        raise ValueError(role)

    rng_fmt = rng.choice(("yyyy-mm-dd", "m/d/yyyy h:mm", "dd.mm.yyyy hh:mm", "d mmmm yyyy"))
    rng_prefix = rng.choice(("C", "ORG", "A"))
    if date_style == "excel" and date_mode == "row":
        variation["dates"] = f"row:excel[{rng_fmt}]"
    if account_style and "account" in roles:
        variation["account"] = account_style

    # Header row(s).
    colon = rng.random() < 0.2
    newline = rng.random() < 0.25
    upper = rng.random() < 0.15
    header_words = {
        "agency": _header(words.agency, rng),
        "count": metric_header,
        "date": _header(words.date, rng),
        "rownum": _header(words.rownum, rng),
        "account": _header(words.account, rng),
        "users": _header(words.users, rng),
        "fee": _header(words.fee, rng),
        "status": _header(words.status, rng),
        "flag": _header(words.flag, rng),
        "notes": _header(words.notes, rng),
        "region": _header(words.region, rng),
    }
    header = (
        [_decorate(header_words[r], colon, newline, upper) for r in roles] if has_header else None
    )
    if has_header:
        variation["header_style"] = (
            "".join(
                c for c, on in (("colon ", colon), ("newline ", newline), ("upper", upper)) if on
            ).strip()
            or "plain"
        )
    groups: list[str] | None = None
    spans: list[tuple[int, int, str]] = []
    if header_mode == "two-level":
        left, right = rng.choice(words.groups)
        customer = {"agency", "account", "region", "rownum", "status", "flag", "notes"}
        groups = [""] * len(roles)
        first = 0
        for i in range(1, len(roles) + 1):
            if i == len(roles) or (roles[i] in customer) != (roles[first] in customer):
                label = left if roles[first] in customer else right
                groups[first] = label
                spans.append((first, i - 1, label))
                first = i

    # Data lines, in region groups when subtotals are printed.
    order = list(range(n))
    group_key = [group_of(agencies[i]) for i in range(n)]
    if subtotals:
        order.sort(key=lambda i: (group_key[i], i))
        variation["subtotals"] = "yes"
    lines: list[Line] = []
    truth: list[tuple[str, int | None, str]] = []
    spacers = rng.random() < 0.3
    if spacers:
        variation["spacers"] = "yes"
    label_col = roles.index("agency")
    if rng.random() < 0.4 and roles[0] not in {"count", "users", "fee"}:
        label_col = 0
    numeric = {"count", "users", "fee"}

    def sum_line(kind: str, label: str, members: list[int]) -> Line:
        cells = [BLANK] * len(roles)
        cells[label_col] = Cell(label)
        for role in numeric & set(roles):
            j = roles.index(role)
            if role == "count":
                total = sum(counts[order[p]] for p in members)
                cells[j] = Cell(fmt_int(total, numbers), total if options.excel else None, "#,##0")
            elif role == "users":
                total = sum(1 + ids[order[p]] % 60 for p in members)
                cells[j] = Cell(str(total), total if options.excel else None, "0")
            else:
                amount = round(sum((ids[order[p]] % 400) * 12.5 for p in members), 2)
                cells[j] = Cell(
                    fmt_money(amount, numbers, currency),
                    amount if options.excel else None,
                    "#,##0.00",
                )
        return Line(kind, cells)

    position = {i: pos for pos, i in enumerate(order)}
    group_members: list[int] = []
    data_positions: list[int] = []
    for pos, i in enumerate(order):
        line_index = len(lines)
        lines.append(Line("data", [cell(r, i) for r in roles]))
        data_positions.append(line_index)
        group_members.append(pos)
        date = ""
        if date_mode == "row":
            date = truth_date(days[i], date_style)
        elif date_mode == "title":
            date = period.strftime("%Y-%m-%d" if title_day else "%Y-%m")
        truth.append((agencies[i].name, counts[i], date))
        last = pos == n - 1
        if subtotals and (last or group_key[order[pos + 1]] != group_key[i]):
            label = f"{_header(words.subtotal, rng)} {group_key[i]}"
            sub = sum_line("subtotal", label, list(group_members))
            sub.sums = tuple(data_positions[-len(group_members) :])
            lines.append(sub)
            group_members = []
        if spacers and not last and rng.random() < 0.15:
            lines.append(Line("blank", [BLANK] * len(roles)))
    if rng.random() < 0.5 or subtotals:
        if spacers:
            lines.append(Line("blank", [BLANK] * len(roles)))
        total = sum_line("total", _header(words.total, rng), list(range(n)))
        total.sums = tuple(data_positions)
        lines.append(total)
        variation["total"] = "yes"

    # Title block: a title (with the period when rows have no date), export banners.
    title: list[str] = []
    months = words.months
    if date_mode == "title" or rng.random() < 0.5:
        name = _header(words.report_title, rng)
        # A title period only where it cannot change the truth (rows dated) or is the truth.
        if date_mode == "title" or (date_mode == "row" and rng.random() < 0.5):
            if title_day:
                when = rng.choice((fmt_date(period, "long", lang), period.strftime("%Y-%m-%d")))
            else:
                when = rng.choice((f"{months[month - 1]} {year}", period.strftime("%Y-%m")))
            dash = " – " if options.can_hold("–") else " - "
            title.append(f"{name}{dash}{when}" if rng.random() < 0.5 else f"{name}, {when}")
        else:
            title.append(name)
    if rng.random() < 0.4:
        title.insert(0, rng.choice(BANNERS))
        if date_mode == "row":
            stamp = dt.datetime(year + 1, 1, 5, 14, 22)
            title.append(f"Export: {stamp.strftime('%Y-%m-%d %H:%M')}")
    if title:
        variation["title"] = " | ".join(t.replace("\n", " ") for t in title)

    summary: list[list[Cell]] = []
    if options.excel and rng.random() < 0.4:
        paid = sum(1 for i in range(n) if ids[i] % 2)
        summary = [
            [Cell("Account type"), Cell("Organizations"), Cell(metric_header.replace("\n", " "))],
            [
                Cell("Paid"),
                Cell(str(paid), paid),
                Cell(
                    str(sum(counts[i] for i in range(n) if ids[i] % 2)),
                    sum(counts[i] for i in range(n) if ids[i] % 2),
                ),
            ],
            [
                Cell("Trial"),
                Cell(str(n - paid), n - paid),
                Cell(
                    str(sum(counts[i] for i in range(n) if not ids[i] % 2)),
                    sum(counts[i] for i in range(n) if not ids[i] % 2),
                ),
            ],
        ]
        variation["summary_sheet"] = "yes"
    notes = []
    if rng.random() < 0.3:
        notes = [
            "Counts are searches run by users of each agency.",
            "Agencies with no activity are not listed.",
        ]
        variation["notes"] = "yes"

    return Plan(
        lang=lang,
        title=title,
        groups=groups,
        spans=spans,
        header=header,
        roles=roles,
        lines=lines,
        truth=truth,
        variation=variation,
        metric=metric,
        summary=summary,
        notes=notes,
        agencies=[agencies[i] for i in order],
        numbers=numbers,
    )
