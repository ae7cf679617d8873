"""The sample leak's email dump (an mbox of prose messages with attachments) and audit log."""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import io
import mailbox
import random
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Final

from foialog.sample.files import delimited_text, refuse_directory, write_file
from foialog.sample.truth import (
    AGENCIES,
    MONTH_NAMES,
    VENDOR,
    Agency,
    TruthRow,
    data_row_truth,
    random_email,
)

MBOX: Final = "visage_mail.mbox"
AUDIT_LOG: Final = "visage_audit.log"
#: Files this module writes into the leak folder.
EMAIL_FILES: Final = (MBOX, AUDIT_LOG)

_SENDERS: Final = ("sales@visage-metrics.example", "support@visage-metrics.example")
_FIRST_SENT: Final = dt.datetime(2019, 11, 4, 9, 0, tzinfo=dt.timezone.utc)
_QUALIFIERS: Final = (("", "exact"), ("more than ", "at_least"), ("about ", "approx"))
_FILLER: Final = (
    "Please find the latest figures below.",
    "Let me know if anything looks off.",
    "The usage export is attached for reference.",
    "We will follow up with the renewal paperwork next week.",
)


def _prose_pool() -> list[Agency]:
    """Agencies with a spelling that reads as one name in a sentence (no dots or brackets)."""
    return [a for a in AGENCIES if any(_plain(n) for n in a.names)]


def _plain(name: str) -> bool:
    return "." not in name and "(" not in name and "," not in name


def _relative(sent: dt.date, rng: random.Random) -> tuple[str, str]:
    """A relative date phrase and the value it resolves to against the sending date."""
    choice = rng.choice(("this_month", "last_month", "in_month"))
    if choice == "this_month":
        return "earlier this month", f"{sent:%Y-%m}"
    last = (sent.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if choice == "last_month":
        return "last month", f"{last:%Y-%m}"
    return f"in {MONTH_NAMES[last.month - 1]}", f"{last:%Y-%m}"


def _message(rng: random.Random, number: int, source: str) -> tuple[EmailMessage, list[TruthRow]]:
    """One email: greeting, two to four fact sentences, filler, maybe a CSV attachment."""
    sent = _FIRST_SENT + dt.timedelta(days=3 * number, hours=rng.randint(0, 8))
    pool = _prose_pool()
    lines = [rng.choice(("Hi all,", "Hello team,", "Dear colleagues,")), ""]
    truth: list[TruthRow] = []
    for _ in range(rng.randint(2, 4)):
        agency = rng.choice(pool)
        name = rng.choice([n for n in agency.names if _plain(n)])
        shape = rng.choice(("count_abs", "count_rel", "access_rel", "count_plain"))
        prefix, qualifier = rng.choice(_QUALIFIERS)
        n = rng.randint(12, 2500)
        month = sent.date() - dt.timedelta(days=rng.randint(35, 120))
        month_name = f"{MONTH_NAMES[month.month - 1]} {month.year}"
        row: tuple[tuple[int | None, str], str]
        if shape == "count_abs":
            sentence = f"In {month_name}, {name} ran {prefix}{n:,} searches."
            row = (n, qualifier), f"{month:%Y-%m}"
        elif shape == "count_rel":
            phrase, value = _relative(sent.date(), rng)
            sentence = f"{name} ran {prefix}{n:,} searches {phrase}."
            row = (n, qualifier), value
        elif shape == "count_plain":
            sentence = f"Our records show that {name} has run {prefix}{n:,} searches so far."
            row = (n, qualifier), ""
        else:
            phrase, value = _relative(sent.date(), rng)
            sentence = f"{name} was given access to the trial account {phrase}."
            row = (None, ""), value
        lines.append(sentence)
        truth.append(data_row_truth(source, "", 0, agency, name, row[0], row[1]))
    lines += ["", rng.choice(_FILLER), "", "Best regards,", f"{VENDOR} sales"]
    message = EmailMessage(policy=email.policy.SMTP)
    sender = rng.choice(_SENDERS)
    # mailbox stamps a message without a From_ line with the clock; the sent time keeps the
    # bytes seeded.
    message.set_unixfrom(f"From {sender} {time.asctime(sent.timetuple())}")
    message["From"] = sender
    message["To"] = "accounts@visage-metrics.example"
    message["Subject"] = f"Client update #{number}"
    message["Date"] = email.utils.format_datetime(sent)
    message["Message-ID"] = f"<update-{number}@visage-metrics.example>"
    message.set_content("\n".join(lines) + "\n")
    if number % 3 == 0:
        data, rows = _usage_csv(rng, f"{source} > usage_{number}.csv", sent.date())
        message.add_attachment(data, maintype="text", subtype="csv", filename=f"usage_{number}.csv")
        # The generator would draw a random boundary; a fixed one keeps the bytes seeded.
        message.set_boundary(f"visage-update-{number}")
        truth += rows
    return message, truth


def _usage_csv(rng: random.Random, source: str, sent: dt.date) -> tuple[bytes, list[TruthRow]]:
    """A small attached CSV of searches per agency."""
    pool = [a for a in AGENCIES if a.country]
    records = [["Agency", "Country", "Searches", "Date"]]
    truth = []
    for i in range(rng.randint(3, 6)):
        agency = rng.choice(pool)
        name = agency.names[0]
        n = rng.randint(1, 900)
        day = sent - dt.timedelta(days=rng.randint(1, 30))
        records.append([name, agency.country, str(n), day.isoformat()])
        truth.append(data_row_truth(source, "", i + 2, agency, name, (n, "exact"), day.isoformat()))
    return delimited_text(records, ",").encode("utf-8"), truth


def _mbox(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """An mbox of 8 to 14 messages; message N is named 'visage_mail.mbox > message N'."""
    truth: list[TruthRow] = []
    messages = []
    for number in range(1, rng.randint(8, 14) + 1):
        message, rows = _message(rng, number, f"{MBOX} > message {number}")
        messages.append(message)
        truth += rows
    # mailbox writes only to files; a temporary one keeps this function pure.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / MBOX
        box = mailbox.mbox(path)
        for message in messages:
            box.add(message)
        box.flush()
        box.close()
        data = path.read_bytes()
    return data, truth


def _audit_log(rng: random.Random) -> tuple[bytes, list[TruthRow]]:
    """A fixed-width audit log: legend of agency codes, header, one line per search."""
    pool = [a for a in AGENCIES if len(a.names[0]) <= 40]
    coded = rng.sample(pool, 4)
    codes = {a.entity_id: f"{a.country or 'INT'}-{i + 1:02d}" for i, a in enumerate(coded)}
    out = io.StringIO()
    out.write(f"{VENDOR} search audit export\nGenerated 2020-01-15 09:30 UTC\n\nAgency codes:\n")
    for agency in coded:
        out.write(f"  {codes[agency.entity_id]} = {agency.names[0]}\n")
    out.write("\n")
    out.write(f"{'Timestamp':<22}{'User':<40}{'Agency':<44}Reason\n")
    truth: list[TruthRow] = []
    # Title, generated, blank, 'Agency codes:', the legend, blank, header: events follow.
    line_number = 6 + len(coded)
    moment = dt.datetime(2019, 11, 1, 8, 0)
    agencies = [rng.choice(pool) for _ in range(rng.randint(6, 10))]
    emails = {a.entity_id: random_email(rng, a) for a in agencies}
    named_once: set[str] = set()
    for _ in range(rng.randint(60, 90)):
        agency = rng.choice(agencies)
        moment += dt.timedelta(minutes=rng.randint(3, 600))
        user = emails[agency.entity_id]
        if agency.entity_id in codes:
            cell = codes[agency.entity_id]
        elif agency.entity_id in named_once and rng.random() < 0.3:
            cell = ""  # only the email says who: the domain was tied to a name above
        else:
            cell = agency.names[0]
            named_once.add(agency.entity_id)
        reason = rng.choice(("case 19-", "bolo ", "investigation ", "welfare check "))
        reason += str(rng.randint(100, 9999))
        out.write(f"{moment:%Y-%m-%d %H:%M:%S}   {user:<40}{cell:<44}{reason}\n")
        line_number += 1
        truth.append(
            data_row_truth(
                AUDIT_LOG,
                "",
                line_number,
                agency,
                agency.names[0],
                (1, "exact"),
                moment.date().isoformat(),
                user_email=user,
            )
        )
    return out.getvalue().encode("utf-8"), truth


def write_email_dump(leak: Path, rng: random.Random) -> list[TruthRow]:
    """Write the email dump and the audit log into ``leak``; return their truth rows."""
    truth: list[TruthRow] = []
    for name, build in ((MBOX, _mbox), (AUDIT_LOG, _audit_log)):
        refuse_directory(leak / name)
        data, rows = build(random.Random(rng.getrandbits(64)))
        write_file(leak / name, data)
        truth += rows
    return truth
