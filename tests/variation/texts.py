"""Web pages, news articles and emails: HTML tables, nested HTML tables, prose, .eml files.

Kinds:

- ``html``: a table page (tests/variation/tabular.py states the truth semantics), saved as a
  browser or ``curl -i`` saves it: with or without the HTTP response header in front of
  ``<!DOCTYPE html>``, UTF-8 or windows-1252, accents as characters or entities, ``<br>`` in
  headers, two-level headers with colspan, totals in ``<tfoot>`` or the body.
- ``html_nested``: a vendor customer page: an outer table whose row names the customer and
  holds an inner table of months and searches. Truth: one row per inner row, agency = the
  outer row's customer, count = the inner row's searches, date = the inner row's month.
- ``text_news``: a news story saved as .txt: sentences with commas and quotes, each mention
  ("Interpol, which ran more than 320 searches in March 2020, ...") giving agency, count (the
  number printed, whatever its qualifier) and date (the month or day of the sentence);
  sentences with numbers that count nothing an agency did give no truth row.
- ``email``: an .eml whose prose body gives mentions as in ``text_news`` (source_file the
  .eml) and whose attachment is a CSV or XLSX table (source_file "msg.eml > name").
"""

from __future__ import annotations

import datetime as dt
import html
import random
import tempfile
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from tests.variation.core import Generated, Generator, TruthRow
from tests.variation.sheets import csv_kind, truth_rows, xlsx_kind
from tests.variation.tabular import Options, Plan, make_plan, pick_agencies
from tests.variation.words import HEADERS, Agency

MONTHS = HEADERS["en"].months


def _http_header(rng: random.Random, charset: str, length: int) -> str:
    lines = [
        rng.choice(("HTTP/1.1 200 OK", "HTTP/2 200", "HTTP/1.0 200 OK")),
        "Date: Tue, 05 Jan 2021 14:22:07 GMT",
        rng.choice(("Server: nginx", "Server: Apache/2.4.41 (Ubuntu)", "Server: cloudflare")),
        f"Content-Type: text/html; charset={charset}",
        f"Content-Length: {length}",
        "Cache-Control: no-cache",
    ]
    return "\r\n".join(lines) + "\r\n\r\n"


def _escape(text: str, entities: bool) -> str:
    escaped = html.escape(text, quote=False)
    if entities:
        escaped = escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return escaped.replace("\n", "<br>")


def _page(title: str, body: str, charset: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        f'<meta charset="{charset}">\n<title>{title}</title>\n'
        "<style>td,th{padding:2px 6px}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _save(rng: random.Random, folder: Path, name: str, page: str, charset: str) -> str:
    """Write the page, with the HTTP response header in front for about half the seeds."""
    codec = "cp1252" if charset == "windows-1252" else "utf-8"
    data = page.encode(codec)
    with_http = rng.random() < 0.45
    if with_http:
        data = _http_header(rng, charset, len(data)).encode("ascii") + data
    (folder / name).write_bytes(data)
    return "yes" if with_http else "no"


def _cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def html_kind(seed: int, folder: Path) -> Generated:
    """A table page."""
    rng = random.Random(f"html-file:{seed}")
    charset = rng.choice(("utf-8", "utf-8", "windows-1252"))
    entities = rng.random() < 0.3
    plan = make_plan(
        seed,
        "html",
        Options(can_hold=(lambda _: True) if charset == "utf-8" or entities else _cp1252),
    )
    parts: list[str] = []
    for i, title in enumerate(plan.title):
        tag = "h1" if i == len(plan.title) - 1 else "p"
        parts.append(f"<{tag}>{_escape(title, entities)}</{tag}>")
    parts.append('<table border="1" class="report">')
    if plan.header is not None or plan.groups is not None:
        parts.append("<thead>")
        if plan.groups is not None:
            cells = "".join(
                f'<th colspan="{end - start + 1}">{_escape(label, entities)}</th>'
                for start, end, label in plan.spans
            )
            parts.append(f"<tr>{cells}</tr>")
        if plan.header is not None:
            cells = "".join(f"<th>{_escape(h, entities)}</th>" for h in plan.header)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</thead>")
    tfoot = rng.random() < 0.5
    body, foot = [], []
    for line in plan.lines:
        cells = "".join(f"<td>{_escape(c.text, entities)}</td>" for c in line.cells)
        if line.kind == "total" and tfoot:
            foot.append(f'<tr class="total">{cells.replace("<td>", "<td><b>")}</tr>')
        else:
            body.append(f"<tr>{cells}</tr>")
    parts += ["<tbody>", *body, "</tbody>"]
    if foot:
        parts += ["<tfoot>", *foot, "</tfoot>"]
    parts.append("</table>")
    for note in plan.notes:
        parts.append(f"<p><small>{_escape(note, entities)}</small></p>")
    title = _escape(plan.title[-1] if plan.title else "Report", entities)
    name = rng.choice(("report.html", "customers.htm", "index.html"))
    http = _save(rng, folder, name, _page(title, "\n".join(parts), charset), charset)
    variation = {
        **plan.variation,
        "http_header": http,
        "charset": charset,
        "entities": str(entities),
        "tfoot": str(tfoot and "total" in plan.variation),
    }
    return Generated("html", seed, folder, truth_rows(plan, name), variation)


def html_nested(seed: int, folder: Path) -> Generated:
    """A customer page: each outer row a customer, its cell an inner table of months."""
    rng = random.Random(f"html_nested:{seed}")
    charset = rng.choice(("utf-8", "windows-1252"))
    entities = rng.random() < 0.3
    can_hold = (lambda _: True) if charset == "utf-8" or entities else _cp1252
    customers = pick_agencies(rng, rng.randint(3, 8), can_hold)
    year = rng.randint(2018, 2024)
    inner_header = rng.random() < 0.7
    outer_header = rng.random() < 0.7
    extra_col = rng.choice(("", "account", "status"))
    month_style = rng.choice(("Mon YYYY", "YYYY-MM", "MM/YYYY", "Month YYYY"))
    label = rng.choice(("Searches", "Queries", "Search Count", "Total Searches"))
    truth: list[TruthRow] = []
    rows: list[str] = []
    name = rng.choice(("customers.html", "portal.html"))
    for k, agency in enumerate(customers):
        start = rng.randint(1, 9)
        inner = []
        if inner_header:
            inner.append(f"<tr><th>Month</th><th>{label}</th></tr>")
        for m in range(start, start + rng.randint(1, 4)):
            n = int(rng.paretovariate(1.2) * 40)
            when = dt.date(year, m, 1)
            text = {
                "Mon YYYY": when.strftime("%b %Y"),
                "YYYY-MM": when.strftime("%Y-%m"),
                "MM/YYYY": when.strftime("%m/%Y"),
                "Month YYYY": f"{MONTHS[m - 1]} {year}",
            }[month_style]
            inner.append(f"<tr><td>{text}</td><td>{n:,}</td></tr>")
            truth.append(
                TruthRow(
                    name,
                    agency.name,
                    n,
                    when.strftime("%Y-%m"),
                    entity=agency.name,
                    country=agency.country,
                    region=agency.region,
                    metric="searches",
                )
            )
        extra = ""
        if extra_col == "account":
            extra = f"<td>C-{70000 + 37 * k + seed % 1000}</td>"
        elif extra_col == "status":
            extra = f"<td>{rng.choice(('Active', 'Trial'))}</td>"
        rows.append(
            f"<tr><td>{_escape(agency.name, entities)}</td>{extra}"
            f'<td><table class="usage">{"".join(inner)}</table></td></tr>'
        )
    head = ""
    if outer_header:
        middle = {"account": "<th>Account</th>", "status": "<th>Status</th>", "": ""}[extra_col]
        head = f"<tr><th>Customer</th>{middle}<th>Usage</th></tr>"
    body = (
        f'<h1>Customer usage {year}</h1>\n<table border="1" class="customers">'
        f"{head}{''.join(rows)}</table>"
    )
    http = _save(rng, folder, name, _page("Customers", body, charset), charset)
    variation = {
        "customers": str(len(customers)),
        "http_header": http,
        "charset": charset,
        "entities": str(entities),
        "inner_header": str(inner_header),
        "outer_header": str(outer_header),
        "extra_col": extra_col or "none",
        "months": month_style,
        "label": label,
    }
    return Generated("html_nested", seed, folder, truth, variation)


#: Mention sentences: {a} agency, {n} count as printed, {d} date phrase; the qualifier word.
MENTIONS = (
    "{a}, which ran more than {n} searches {d}, declined to comment on the figures.",
    "{D}, {a} ran {n} searches of the database, according to the records.",
    "Records show {a} performed about {n} queries {d}.",
    "\u201cWe use it every day,\u201d said a spokesperson for {a}, which logged {n} searches {d}.",
    "{a} conducted at least {n} searches {d}, the logs show, far more than its neighbours.",
    "According to the audit, {a} made nearly {n} requests {d}; officials did not respond.",
    '{a} ran {n} searches {d}, a figure the department said was "routine."',
)

FILLER = (
    "The records, obtained through a public records request, cover more than a year of use.",
    "Reporters reviewed 2,300 pages of logs, invoices and emails.",
    "\u201cThis is about accountability,\u201d said Maria Alvarez, a privacy lawyer.",
    "The contract, worth $1.2 million over three years, was renewed without a public vote.",
    "Civil liberties groups, including two local ones, have asked for an audit.",
    "It is not clear how many of the searches led to an arrest, or to a charge.",
)


def _date_phrase(rng: random.Random, year: int) -> tuple[str, str]:
    """A date as a story writes it, and its ISO truth."""
    month = rng.randint(1, 12)
    if rng.random() < 0.6:
        return f"in {MONTHS[month - 1]} {year}", f"{year}-{month:02d}"
    day = rng.randint(1, 28)
    text = rng.choice(
        (f"on {MONTHS[month - 1]} {day}, {year}", f"on {day} {MONTHS[month - 1]} {year}")
    )
    return text, f"{year}-{month:02d}-{day:02d}"


def prose(
    rng: random.Random, agencies: list[Agency], source_file: str
) -> tuple[str, list[TruthRow]]:
    """Paragraphs of a story naming each agency once, and the truth of its mentions."""
    sentences: list[str] = []
    truth: list[TruthRow] = []
    year = rng.randint(2018, 2024)
    for agency in agencies:
        template = rng.choice(MENTIONS)
        n = rng.choice((rng.randint(12, 999), rng.randint(1000, 25000)))
        phrase, iso = _date_phrase(rng, year)
        count = f"{n:,}"
        text = template.format(a=agency.name, n=count, d=phrase, D=phrase[0].upper() + phrase[1:])
        sentences.append(text)
        truth.append(
            TruthRow(
                source_file,
                agency.name,
                n,
                iso,
                entity=agency.name,
                country=agency.country,
                region=agency.region,
            )
        )
        if rng.random() < 0.5:
            sentences.append(rng.choice(FILLER))
    paragraphs, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if len(current) >= rng.randint(1, 3):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs), truth


def text_news(seed: int, folder: Path) -> Generated:
    """A news story saved as plain text."""
    rng = random.Random(f"text_news:{seed}")
    encoding = rng.choice(("utf-8", "utf-8", "cp1252", "utf-8-sig"))
    agencies = pick_agencies(
        rng, rng.randint(3, 7), _cp1252 if encoding == "cp1252" else (lambda _: True)
    )
    name = rng.choice(("story.txt", "article.txt", "draft.txt"))
    body, truth = prose(rng, agencies, name)
    headline = rng.choice(
        (
            "Police searched a license plate database thousands of times, records show",
            "Agencies ran searches, logs show; few said why",
        )
    )
    byline = rng.choice(("By Jordan Lee, Staff Writer", "By the Data Desk", ""))
    text = "\n\n".join(p for p in (headline, byline, body) if p) + "\n"
    if rng.random() < 0.5:
        text = text.replace("\n", "\r\n")
    (folder / name).write_bytes(text.encode(encoding))
    variation = {"encoding": encoding, "mentions": str(len(truth)), "byline": str(bool(byline))}
    return Generated("text_news", seed, folder, truth, variation)


def email_kind(seed: int, folder: Path) -> Generated:
    """An email whose body gives mentions in prose and whose attachment is a table."""
    rng = random.Random(f"email:{seed}")
    name = rng.choice(("msg.eml", "RE_ records request.eml", "fwd.eml"))
    agencies = pick_agencies(rng, rng.randint(1, 3), lambda _: True)
    body, truth = prose(rng, agencies, name)
    message = EmailMessage()
    message["From"] = "Records Unit <records@agency.example>"
    message["To"] = "reporter@newsroom.example"
    message["Subject"] = rng.choice(("RE: Public records request 2021-0457", "Search figures"))
    message["Date"] = "Tue, 05 Jan 2021 14:22:07 -0500"
    message["Message-ID"] = f"<variation-{seed}@agency.example>"
    greeting = "Hello,\n\nPlease find the responsive records attached. In summary:\n\n"
    text = greeting + body + "\n\nRegards,\nRecords Unit\n"
    charset = rng.choice(("utf-8", "iso-8859-1"))
    if charset == "iso-8859-1":
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            charset = "utf-8"
    message.set_content(text, charset=charset)
    alternative = rng.random() < 0.3
    if alternative:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
        message.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    attachment_kind = rng.choice(("csv", "xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        writer = csv_kind if attachment_kind == "csv" else xlsx_kind
        table = writer(seed, Path(tmp), f"email-{attachment_kind}")
        (path,) = list(Path(tmp).iterdir())
        data = path.read_bytes()
    if attachment_kind == "csv":
        message.add_attachment(data, maintype="text", subtype="csv", filename=path.name)
    else:
        message.add_attachment(
            data,
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=path.name,
        )
    message.set_boundary(f"==variation-{seed}==")
    for part in message.iter_parts():
        if part.is_multipart():
            part.set_boundary(f"==variation-{seed}-alt==")
    (folder / name).write_bytes(message.as_bytes(policy=SMTP))
    truth += [
        TruthRow(
            f"{name} > {t.source_file}",
            t.agency,
            t.count,
            t.date,
            entity=t.entity,
            country=t.country,
            region=t.region,
            metric=t.metric,
        )
        for t in table.truth
    ]
    variation = {
        "body_mentions": str(len(agencies)),
        "charset": charset,
        "html_alternative": str(alternative),
        "attachment": attachment_kind,
        **{f"att.{k}": v for k, v in table.variation.items()},
    }
    return Generated("email", seed, folder, truth, variation)


KINDS: dict[str, Generator] = {
    "html": html_kind,
    "html_nested": html_nested,
    "text_news": text_news,
    "email": email_kind,
}

__all__ = ["KINDS", "Plan", "make_plan"]
