"""Every real corpus document read by foialog and checked against its README row (issue 11).

    .venv/bin/python bench/corpus_sweep.py [--only NAME ...] [--no-write] [--keep DIR]

For each folder of ../shared/corpus (FOIALOG_SHARED overrides ../shared), `foialog.run` reads
the folder's documents (not its reference files) into a temporary output folder, one folder at
a time, and the folder's check, written from the README row's words and the reference file
beside it (never from foialog's code), turns the records into figures and a verdict. The table
goes between the corpus markers of docs/accuracy.md, one line per document. Where the README
withholds the answer, the figures a reader needs to judge are printed and the verdict says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import foialog  # noqa: E402
from foialog.outputs import spreadsheet_raw  # noqa: E402

SHARED = Path(os.environ.get("FOIALOG_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
DOC = ROOT / "docs" / "accuracy.md"
START, END = "<!-- corpus:start -->", "<!-- corpus:end -->"
SECTION = "## Every corpus document (`bench/corpus_sweep.py`)"
#: Files in a corpus folder that are someone's answer, not the document: never read as input.
REFERENCE_FILES = ("reference_*", "Public_Records.xlsx", "Public_Records_xlsx_as_csv__*")
#: Seconds one file may take; the 809-page audit and the OCR scans need minutes on 2 cores.
TIMEOUT = 3600.0


@dataclass(frozen=True)
class Outcome:
    """What foialog gave for one corpus folder."""

    folder: Path
    records: pd.DataFrame
    documents: pd.DataFrame
    seconds: float
    #: The traceback's last line when foialog.run raised (a crash, not a failed row).
    crash: str = ""


@dataclass(frozen=True)
class Finding:
    """One figure; ``ok`` says whether it is what the README row gives (None: not checkable)."""

    text: str
    ok: bool | None = None


Check = Callable[[Outcome], list[Finding]]


@dataclass(frozen=True)
class Document:
    """A corpus folder: what its README row says a correct extraction gives, and its check."""

    expected: str
    check: Check


@dataclass(frozen=True)
class Line:
    """One document's line of the table."""

    name: str
    expected: str
    got: str
    right: str
    seconds: float
    crash: str


# ---------------------------------------------------------------- figures from the records


def col(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as stripped text ('' for missing), whatever its dtype."""
    if name not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[name].astype(object).where(frame[name].notna(), "").astype(str).str.strip()


def num(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as numbers (NaN where it is not one)."""
    return pd.to_numeric(col(frame, name).str.replace(",", ""), errors="coerce")


def data(frame: pd.DataFrame) -> pd.DataFrame:
    """The records of source rows or mentions: not printed totals or account-type summaries."""
    if "row_type" not in frame.columns:
        return frame
    return frame[col(frame, "row_type").isin(["data", ""])]


def totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The records of printed totals and subtotals."""
    return frame[col(frame, "row_type") == "total"]


def row_keys(frame: pd.DataFrame) -> pd.Series:
    """One key per source row: file, sheet, page and row (a wide row gives several records)."""
    parts = [col(frame, c) for c in ("source_file", "sheet", "page", "row")]
    return parts[0] + "|" + parts[1] + "|" + parts[2] + "|" + parts[3]


def n_rows(frame: pd.DataFrame) -> int:
    """How many distinct source rows the data records come from."""
    return int(row_keys(data(frame)).nunique())


def one_per_row(frame: pd.DataFrame) -> pd.DataFrame:
    """The first data record of each source row."""
    rows = data(frame)
    return rows[~row_keys(rows).duplicated()]


def extras(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Each record's extra JSON (every other source column, raw)."""
    out: list[dict[str, object]] = []
    for text in col(frame, "extra"):
        try:
            value = json.loads(text) if text else {}
        except json.JSONDecodeError:
            value = {}
        out.append(value if isinstance(value, dict) else {})
    return out


def extra_keys(frame: pd.DataFrame) -> set[str]:
    """Every key of the records' extra: the source columns that took no role."""
    return {k.strip() for e in extras(frame) for k in e}


def share(mask: pd.Series) -> str:
    """'n of m' for a boolean series."""
    return f"{int(mask.sum()):,} of {len(mask):,}"


def filled(frame: pd.DataFrame, name: str) -> pd.Series:
    """True where the column holds a value."""
    return col(frame, name) != ""


def reference(folder: Path, name: str) -> pd.DataFrame:
    """A reference CSV of the folder, every cell as text."""
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding_errors="replace")


def equal(label: str, got: float, want: float, unit: str = "") -> Finding:
    """A figure and whether it equals the README's."""
    ok = bool(got == want)
    shown = f"{got:,.0f}" if float(got).is_integer() else f"{got:,.2f}"
    wanted = f"{want:,.0f}" if float(want).is_integer() else f"{want:,.2f}"
    return Finding(f"{label} {shown}{unit}" + ("" if ok else f" (README {wanted})"), ok)


def overview(out: Outcome) -> Finding:
    """Records, source rows, agency filled, count filled and dated share, and statuses."""
    r = data(out.records)
    statuses = Counter(col(out.documents, "status"))
    status = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    return Finding(
        f"{len(out.records):,} records ({n_rows(out.records):,} rows, "
        f"{len(totals(out.records))} total records); agency on {share(filled(r, 'agency_raw'))}, "
        f"count on {share(filled(r, 'count'))}, dated {share(filled(r, 'date'))}; "
        f"{col(r, 'agency').replace('', pd.NA).nunique()} agencies; files {status}"
    )


def methods(out: Outcome) -> str:
    """The methods that gave the records ('ocr 59')."""
    counts = Counter(col(out.records, "method"))
    return ", ".join(f"{k} {v:,}" for k, v in counts.most_common())


def norm(text: str) -> str:
    """Lower case, runs of space and dashes made one, for comparing names read two ways."""
    text = text.replace("‐", "-").replace("–", "-").replace("\n", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def norm_series(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column through ``norm``."""
    return col(frame, name).map(norm)


def multiset_hits(got: Iterable[str], want: Iterable[str]) -> int:
    """How many of ``want`` are in ``got``, each used once."""
    return sum((Counter(norm(g) for g in got) & Counter(norm(w) for w in want)).values())


def sheet_of(frame: pd.DataFrame, word: str) -> pd.DataFrame:
    """The records of the sheet (or table title) whose name holds ``word``."""
    return frame[col(frame, "sheet").str.lower().str.contains(word.lower(), regex=False)]


def header_role(frame: pd.DataFrame, header: str) -> tuple[int, int]:
    """How many data records took their agency from the column ``header``, of how many.

    A column that takes no role stays in a record's extra; the agency column is the one that
    does not, so the column's role is read from where its values went, not from the reader.
    """
    rows = data(frame)
    taken = sum(
        bool(a) and all(k.strip() != header.strip() for k in e)
        for e, a in zip(extras(rows), col(rows, "agency_raw"), strict=True)
    )
    return taken, len(rows)


# ---------------------------------------------------------------- one check per document


def check_nics(out: Outcome, rows_wanted: int) -> list[Finding]:
    """NICS: rows, each state's counts against BuzzFeed's CSV per month, month, Totals row."""
    ref = reference(out.folder, next(p.name for p in out.folder.glob("reference_*.csv")))
    r = data(out.records)
    got: dict[tuple[str, str], list[str]] = {}
    for state, month, value in zip(
        col(r, "agency_raw"), col(r, "date"), num(r, "count"), strict=True
    ):
        if value == value:
            got.setdefault((norm(state), month), []).append(str(int(value)))
    wanted = 0
    hits = 0
    value_columns = [c for c in ref.columns if c not in ("month", "state")]
    for _, row in ref.iterrows():
        cells = [str(int(float(row[c]))) for c in value_columns if row[c].strip()]
        wanted += len(cells)
        hits += multiset_hits(got.get((norm(row["state"]), row["month"]), []), cells)
    months = set(ref["month"])
    dated = col(r, "date").isin(months)
    t = totals(out.records)
    sums = r.assign(n=num(r, "count")).groupby(["source_file", "page", "metric"])["n"].sum()
    matched = 0
    for _, tot in t.iterrows():
        key = (tot["source_file"], tot["page"], tot["metric"])
        # A column printed blank on every row sums to 0.
        column_sum = float(sums[key]) if key in sums.index else 0.0
        matched += column_sum == float(num(pd.DataFrame([tot]), "count").fillna(-1).iloc[0])
    # The rows are about states: the canonical subject is the state, never an agency of it.
    states = one_per_row(r).drop_duplicates("agency_raw")
    as_state = int((norm_series(states, "agency") == norm_series(states, "agency_raw")).sum())
    return [
        equal("rows", n_rows(r), rows_wanted),
        Finding(
            f"{as_state} of {len(states)} states resolved as the state (not a police agency)",
            as_state == len(states),
        ),
        Finding(f"{hits:,} of {wanted:,} reference count cells equal", hits == wanted),
        Finding(f"month of the page title on {share(dated)} records", bool(dated.all())),
        Finding(
            f"Totals: {matched} of {len(t)} column totals equal the column sums",
            bool(len(t)) and matched == len(t),
        ),
    ]


def check_ca_warn(out: Outcome) -> list[Finding]:
    """CA WARN: company, city, employee count and three dates; page 1 against pdfplumber's."""
    ref = reference(out.folder, "reference_page1_pdfplumber_notebook.csv")
    r = one_per_row(out.records)
    page1 = r[col(r, "page") == "1"]
    # pdfplumber's output truncates wrapped cells: a reference name is the start of ours.
    names = [norm(n) for n in col(page1, "agency_raw")]
    named = sum(any(n.startswith(norm(w)) for n in names) for w in ref["Company"])
    counts = multiset_hits(col(page1, "count_raw"), ref["No. Of"])
    # The city is kept with the row whatever role it takes: in extra, or as region_raw.
    cities = [
        " ".join([*map(str, e.values()), p])
        for e, p in zip(extras(page1), col(page1, "region_raw"), strict=True)
    ]
    city = sum(any(norm(c) in norm(t) for t in cities) for c in set(ref["City"]))
    date_re = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
    # A notice is a row naming a company; the summary table beside the notices is not one.
    r = r[filled(r, "agency_raw")]
    three = 0
    for e, date in zip(extras(r), col(r, "date"), strict=True):
        others = [re.sub(r"\s", "", str(v)) for v in e.values()]
        three += bool(date) and sum(bool(date_re.match(v)) for v in others) >= 2
    return [
        overview(out),
        Finding(f"page 1: {named} of {len(ref)} companies as agency", named == len(ref)),
        Finding(f"page 1: {counts} of {len(ref)} employee counts", counts == len(ref)),
        Finding(
            f"page 1: {city} of {ref['City'].nunique()} cities kept",
            city == ref["City"].nunique(),
        ),
        Finding(f"three dates on {three:,} of {len(r):,} notices", three == len(r)),
    ]


def check_ghana(out: Outcome) -> list[Finding]:
    """Ghana awards: contractor, amount, currency, two date formats; page 1 against tabula's."""
    ref = reference(out.folder, "reference_page1_tabula_expected.csv")
    contractor = next(c for c in ref.columns if c.startswith("Contractor"))
    amount = next(c for c in ref.columns if c.endswith("Amount"))
    r = one_per_row(out.records)
    page1 = r[col(r, "page") == "1"]
    named = multiset_hits(col(page1, "agency_raw"), ref[contractor])
    amounts = [a.split("\n")[0] for a in ref[amount]]
    counted = multiset_hits(col(page1, "count_raw"), amounts)
    dated = filled(r, "date")
    return [
        overview(out),
        equal("page 1 rows", len(page1), len(ref)),
        Finding(f"page 1: {named} of {len(ref)} contractors as agency", named == len(ref)),
        Finding(f"page 1: {counted} of {len(ref)} amounts as count", counted == len(ref)),
        Finding(f"dated {share(dated)} rows", bool(dated.all())),
    ]


def check_donors(out: Outcome) -> list[Finding]:
    """Campaign donors: employer, amount, date; page 1 against tabula's output."""
    ref = reference(out.folder, "reference_page1_tabula_expected.csv")
    r = one_per_row(out.records)
    page1 = r[col(r, "page") == "1"]
    amounts = multiset_hits(col(page1, "count_raw"), ref["Amount"])
    amounts += multiset_hits(col(page1, "count_raw"), [a.split(".")[0] for a in ref["Amount"]])
    dates = multiset_hits(col(page1, "date_raw"), ref["Date"])
    employers = [e for e in ref["Employer"] if e.strip()]
    named = multiset_hits(col(page1, "agency_raw"), employers)
    return [
        overview(out),
        Finding(f"page 1: {len(page1)} rows (tabula {len(ref)})"),
        Finding(f"page 1: {amounts} of {len(ref)} amounts as count", amounts == len(ref)),
        Finding(f"page 1: {dates} of {len(ref)} dates", dates == len(ref)),
        Finding(
            f"page 1: {named} of {len(employers)} employers as agency", named == len(employers)
        ),
    ]


def check_san_jose(out: Outcome) -> list[Finding]:
    """San Jose: two lines per record; records against pdfplumber's 12 rows (serial, case)."""
    ref = reference(out.folder, "reference_page1_pdfplumber_notebook.csv")
    r = one_per_row(out.records)
    texts = [
        " ".join([*map(str, e.values()), a, c])
        for e, a, c in zip(extras(r), col(r, "agency_raw"), col(r, "count_raw"), strict=True)
    ]
    found = sum(any(case in t for t in texts) for case in ref["case_file_number"])
    return [
        overview(out),
        equal("rows", len(r), len(ref)),
        Finding(f"{found} of {len(ref)} case numbers on a row", found == len(ref)),
    ]


def check_senate(out: Outcome) -> list[Finding]:
    """Senate expenditures: payee, amount and date on every row (no reference)."""
    r = one_per_row(out.records)
    return [
        overview(out),
        Finding(f"payee as agency on {share(filled(r, 'agency_raw'))} rows", None),
        Finding(f"amount as count on {share(filled(r, 'count'))} rows", None),
        Finding(f"dated {share(filled(r, 'date'))} rows", None),
        Finding(
            "all three on every row",
            bool(len(r))
            and bool((filled(r, "agency_raw") & filled(r, "count") & filled(r, "date")).all()),
        ),
    ]


def check_okaloosa_sharing(out: Outcome) -> list[Finding]:
    """Okaloosa sharing list: ~857 organisations; comma-joined cells one record per agency."""
    ref = reference(out.folder, "reference_Sharing_Agencies_EXTRACTED.csv")
    r = data(out.records)
    own = r[[not e.get("listed in") for e in extras(r)]]
    listed = r[[bool(e.get("listed in")) for e in extras(r)]]
    hits = multiset_hits(col(own, "agency_raw"), ref["Organization Name"])
    cells = [c for column in ref.columns[2:] for c in ref[column] if "," in c]
    joined = sum(len([n for n in c.split(",") if n.strip()]) for c in cells)
    return [
        equal("organisation rows", len(own), len(ref)),
        Finding(f"{hits} of {len(ref)} organisations equal to the community CSV", None),
        Finding(
            f"{len(listed):,} records split from comma-joined cells (the CSV's {len(cells)} "
            f"such cells hold {joined:,} names)",
            len(listed) == joined,
        ),
        Finding(f"{col(r, 'agency_id').nunique():,} entities from {len(r):,} records"),
    ]


def check_okaloosa_audit(out: Outcome) -> list[Finding]:
    """Okaloosa audit: one record per search; time, networks, devices, reason per search ID."""
    ref = reference(out.folder, "reference_EXTRACTED.csv")
    r = data(out.records)
    got: dict[str, dict[str, str]] = {}
    for e, date, clock in zip(extras(r), col(r, "date"), col(r, "time"), strict=True):
        fields = {k.lower(): str(v).strip() for k, v in e.items()}
        ident = next((v for k, v in fields.items() if k == "id"), "")
        fields["when"] = f"{date} {clock}"
        got[ident] = fields

    def field(fields: dict[str, str], word: str) -> str:
        return next((v for k, v in fields.items() if word in k), "")

    same = Counter[str]()
    for row in ref.itertuples(index=False):
        fields = got.get(str(row.ID), {})
        when = dt.datetime.strptime(
            str(row.Search_Time).replace(" UTC", ""), "%m/%d/%Y, %I:%M:%S %p"
        )
        same["time"] += fields.get("when") == when.strftime("%Y-%m-%d %H:%M:%S")
        same["networks"] += field(fields, "network") == str(row.Total_Networks_Searched)
        devices = field(fields, "device")
        same["devices"] += devices == str(row.Total_Devices_Searched)
        # The community parser drops a count's last two digits where the month printed
        # next to it runs into it (page 68: 95210 in the PDF, 952 in its CSV).
        same["cut"] += len(devices) > 2 and devices[:-2] == str(row.Total_Devices_Searched)
        same["reason"] += norm(field(fields, "reason")) == norm(str(row.Reason))
    n = len(ref)
    return [
        equal("searches", len(r), n),
        Finding(f"search time {same['time']:,} of {n:,} equal (by ID)", same["time"] == n),
        Finding(f"networks {same['networks']:,}", same["networks"] == n),
        Finding(
            f"devices {same['devices']:,} (+{same['cut']} where the CSV cut two digits)",
            same["devices"] + same["cut"] == n,
        ),
        Finding(f"reason {same['reason']:,}", same["reason"] == n),
        Finding(f"methods {methods(out)}"),
    ]


def check_irvine(out: Outcome) -> list[Finding]:
    """Irvine ALPR workbook: the four agency lists, detections and hits, the audit sheet."""
    r = data(out.records)
    per_sheet = r.groupby(col(r, "sheet")).size()
    lists = sorted(int(n) for s, n in per_sheet.items() if re.match(r"A\d", str(s)))
    counts = set(num(r, "count").dropna().astype("int64"))
    audit = max((int(n) for s, n in per_sheet.items() if "audit" in str(s).lower()), default=0)
    audit_rows = r[col(r, "sheet").str.lower().str.contains("audit")]
    dated = filled(audit_rows, "date")
    return [
        Finding(
            f"agency lists {' / '.join(f'{n:,}' for n in lists)}",
            lists == sorted([316, 1553, 156, 1065]),
        ),
        Finding(
            f"107,472,041 detections {'found' if 107472041 in counts else 'missing'}, "
            f"31,278 hits {'found' if 31278 in counts else 'missing'}",
            107472041 in counts and 31278 in counts,
        ),
        equal("audit rows", audit, 44659),
        Finding(f"audit rows dated {share(dated)}", bool(len(dated)) and bool(dated.all())),
        Finding(f"sheets: {', '.join(f'{s} {n:,}' for s, n in per_sheet.items())}"),
    ]


def close_name(got: str, want: str) -> bool:
    """True when two names differ in one short token only (a state code, 'PR' for 'PD')."""
    g, w = norm(got).split(), norm(want).split()
    if len(g) != len(w):
        return False
    differ = [(x, y) for x, y in zip(g, w, strict=True) if x != y]
    return len(differ) == 1 and len(differ[0][0]) <= 2 and len(differ[0][1]) <= 2


def check_eugene_screens(out: Outcome) -> list[Finding]:
    """Eugene screenshots: 59 names by OCR against the human transcription (its errors known)."""
    ref = reference(out.folder, "reference_list_human.csv")
    r = data(out.records)
    got = Counter(norm(a) for a in col(r, "agency_raw"))
    want = Counter(norm(n) for n in ref["Name"])
    hits = sum((got & want).values())
    # The README: the transcription has wrong state codes and "PR" for "PD"; a name that
    # differs from it in one short token is that kind of error, either side's.
    left = list((got - want).elements())
    close = 0
    unmatched = []
    for name in (want - got).elements():
        match = next((g for g in left if close_name(g, name)), None)
        if match is None:
            unmatched.append(name)
        else:
            left.remove(match)
            close += 1
    return [
        equal("names", len(r), 59),
        Finding(
            f"{hits} of {len(ref)} equal to the transcription, {close} differ in one short "
            f"token (state code, PD/PR), {len(ref) - hits - close} otherwise (theirs "
            f"{', '.join(repr(n) for n in unmatched)}; ours {', '.join(repr(n) for n in left)})",
            hits + close == len(ref),
        ),
        Finding(f"methods {methods(out)}"),
    ]


def check_eugene_inventory(out: Outcome) -> list[Finding]:
    """Eugene inventory scan: systems and quantities against the xlsx released beside it."""
    ref = pd.read_excel(
        out.folder / "Public_Records.xlsx", header=None, dtype=str, engine="openpyxl"
    )
    pairs = []
    vendor = ""
    for _, row in ref.iterrows():
        cells = [str(c).strip() for c in row if isinstance(c, str) and str(c).strip()]
        if len(cells) == 1 and not re.fullmatch(r"[\d,]+", cells[0]):
            vendor = cells[0]
        elif cells and re.fullmatch(r"[\d,]+", cells[-1]):
            pairs.append((vendor, " ".join(cells[:-1]), cells[-1].replace(",", "")))
    r = data(out.records)
    texts = [
        (norm(" ".join([a, *map(str, e.values())])), c)
        for a, e, c in zip(col(r, "agency_raw"), extras(r), col(r, "count"), strict=True)
    ]
    # The scan words a system its own way ("Overwatch: 4 fixed cameras" for "Overwatch
    # Pods"): the system's first word and its quantity on one record is a match.
    found = sum(
        any(norm(system).split()[0] in t and c == qty for t, c in texts) for _, system, qty in pairs
    )
    return [
        overview(out),
        Finding(
            f"{found} of {len(pairs)} (system, quantity) pairs of the xlsx read from the scan",
            found == len(pairs),
        ),
        Finding(f"methods {methods(out)}"),
    ]


def check_figures_only(out: Outcome) -> list[Finding]:
    """No reference (withheld or none): the figures a reader needs to judge."""
    d = out.documents
    ocr = num(d, "ocr_pages").fillna(0).sum() if "ocr_pages" in d.columns else 0
    r = data(out.records)
    top = Counter(col(r, "agency_raw")).most_common(3)
    return [
        overview(out),
        Finding(f"pages {int(num(d, 'pages').fillna(0).sum())}, OCR pages {int(ocr)}"),
        Finding(f"methods {methods(out)}"),
        Finding("most frequent agency_raw: " + "; ".join(f"{a[:40]!r} {n}" for a, n in top)),
    ]


def check_eugene_prr(out: Outcome) -> list[Finding]:
    """Eugene request log (answer withheld): how many request numbers, dated, with amounts."""
    r = data(out.records)
    texts = [
        " ".join([a, *map(str, e.values())])
        for a, e in zip(col(r, "agency_raw"), extras(r), strict=True)
    ]
    numbers = [set(re.findall(r"EPD-\d{4}-\d+", t)) for t in texts]
    distinct = set().union(*numbers) if numbers else set()
    return [
        *check_figures_only(out),
        Finding(
            f"{len(distinct)} distinct request numbers (EPD-yyyy-n) on {len(r)} records; "
            f"{sum(len(n) == 1 for n in numbers)} records hold exactly one"
        ),
    ]


#: Words that end an agency's name; two in one name means two names run together.
_NAME_END = re.compile(
    r"\b(?:Department|Office|Task Force|Agency|Patrol|Marshal|Bureau|Division|Authority)\b"
    r"|\b(?:PD|SO|DA)\b"
)


def check_vigilant(out: Outcome) -> list[Finding]:
    """Irvine Vigilant report (no reference): agency names, and how many run two together."""
    r = data(out.records)
    merged = int(sum(len(_NAME_END.findall(a)) >= 2 for a in col(r, "agency_raw")))
    return [
        *check_figures_only(out),
        Finding(f"{merged} of {len(r)} agency names hold two name endings (two names joined?)"),
    ]


def check_ocsd(out: Outcome) -> list[Finding]:
    """OCSD dashboards (answer withheld): each file read; systems with counts; time frame."""
    findings = check_figures_only(out)
    d = out.documents
    for name, status, error in zip(
        col(d, "source_file"), col(d, "status"), col(d, "error"), strict=True
    ):
        r = data(out.records[col(out.records, "source_file") == name])
        named = r[filled(r, "agency_raw")]
        counted = named[filled(named, "count")]
        metrics = ", ".join(sorted(set(col(counted, "metric")) - {""})) or "-"
        findings.append(
            Finding(
                f"{name}: {status}, {len(named)} names, {len(counted)} with a count ({metrics}), "
                f"dated {share(filled(r, 'date'))}" + (f" ({error[:80]})" if error else ""),
                status == "ok" and len(named) > 0,
            )
        )
    return findings


def check_doj(out: Outcome) -> list[Finding]:
    """DOJ OLA log (answer withheld): Sub-Office as agency, one row per tracking number."""
    r = data(out.records)
    tracking = [str(e.get("Tracking Number", "")) for e in extras(r)]
    numbered = [t for t in tracking if t]
    closed = sum(
        bool(re.search(r"\d{1,2}/\d{1,2}/\d{4}", str(v)))
        for e in extras(r)
        for k, v in e.items()
        if "closed" in k.lower()
    )
    taken, total = header_role(out.records, "Sub-Office")
    return [
        *check_figures_only(out),
        Finding(f"agency = Sub-Office on {taken} of {total} records", taken == total),
        Finding(
            f"{len(set(numbered))} tracking numbers on {len(r)} records",
            bool(numbered) and len(set(numbered)) == len(r),
        ),
        Finding(f"submitted date on {share(filled(r, 'date'))}; a closed date kept on {closed}"),
    ]


def check_sec(out: Outcome) -> list[Finding]:
    """SEC FOIA log: 945 requests, Organization ('-' on 282), type from banners, subtotals."""
    ref = reference(out.folder, "reference_umd_processed.csv")
    ref = ref[ref["Request ID"].str.strip() != ""]
    r = data(out.records)
    # "-" is the log's 'no organisation': blank and "-" are the same answer. "B6" is the
    # privacy exemption printed in place of a name: a redaction of the agency gives it too.
    codes = col(r, "redacted").str.extract(r"agency:\(?(b)\)?\(?(\d)\)?", expand=True)
    redacted = (codes[0].fillna("") + codes[1].fillna("")).str.lower()
    got = col(r, "agency_raw").where(filled(r, "agency_raw"), redacted).replace("-", "")
    org = multiset_hits(got, ref["Organization"].str.strip().replace("-", ""))
    kinds = set(ref["Request Type"])
    types = Counter(v for e in extras(r) for v in map(str, e.values()) if v in kinds)
    # Each subtotal line against the rows read since the line before it (source order).
    ordered = out.records.assign(n=num(out.records, "row")).sort_values("n")
    group = 0
    equal_groups = 0
    subtotals = 0
    for kind, e in zip(col(ordered, "row_type"), extras(ordered), strict=True):
        if kind != "total":
            group += kind in ("data", "")
            continue
        printed = [m.group(1) for v in e.values() if (m := re.search(r":\s*(\d+)\s*$", str(v)))]
        subtotals += 1
        equal_groups += bool(printed) and int(printed[0]) == group
        group = 0
    return [
        equal("requests", n_rows(r), 945),
        Finding(f"{org} of {len(ref)} organisations equal to the Organization column", org >= 945),
        Finding(
            f"request type in each row: FOIA {types['FOIA']}, Triage {types['Triage']}, "
            f"Exhibit {types['Exhibit']}, FOIA/PA {types['FOIA/PA']}",
            (types["FOIA"], types["Triage"], types["Exhibit"], types["FOIA/PA"])
            == (355, 331, 194, 53),
        ),
        Finding(
            f"{equal_groups} of {subtotals} subtotal lines are totals equal to their group",
            subtotals == 10 and equal_groups == 10,
        ),
        Finding(f"dated {share(filled(r, 'date'))}", bool(filled(r, "date").all())),
    ]


def check_ustr(out: Outcome) -> list[Finding]:
    """USTR log: Intake 90 rows, org column, 17 + 17; Disposition 60; holidays not requests."""
    intake = data(sheet_of(out.records, "intake"))
    disposition = data(sheet_of(out.records, "dispos"))
    names = Counter(col(intake, "agency_raw"))
    dated = filled(intake, "date")
    return [
        equal("Intake rows", n_rows(intake), 90),
        Finding(
            f"Investigative Journalist {names['Investigative Journalist']}, "
            f"The Daily Signal {names['The Daily Signal']}",
            names["Investigative Journalist"] == 17 and names["The Daily Signal"] == 17,
        ),
        Finding(f"Intake dated {share(dated)}", bool(len(dated)) and bool(dated.all())),
        equal("Disposition rows", n_rows(disposition), 60),
        equal(
            "other records (holidays?)", len(data(out.records)) - len(intake) - len(disposition), 0
        ),
    ]


def check_usda(out: Outcome) -> list[Finding]:
    """USDA APHIS .xls: 72 rows, Organization (25 '-'), Received 2012-05-01..06-04, 13 closed."""
    r = data(out.records)
    dash = int((col(r, "agency_raw").isin(["-", ""])).sum())
    # The README says Received runs to 2012-06-04; the reference's serials run to 41067
    # (2012-06-07): the reference's dates are the check, the README's range is shown.
    ref = reference(out.folder, "reference_in2csv_cleaned.csv")
    serials = pd.to_numeric(ref["Received Date"], errors="coerce").dropna()
    want = (pd.Timestamp("1899-12-30") + pd.to_timedelta(serials, unit="D")).dt.strftime("%Y-%m-%d")
    hits = multiset_hits(col(r, "date"), want)
    dates = sorted(d for d in col(r, "date") if d)
    closed = sum(bool(str(e.get("Closed Date", "")).strip(" -")) for e in extras(r))
    return [
        equal("rows", n_rows(r), 72),
        equal("organisation '-' or blank", dash, 25),
        Finding(
            f"Received {dates[0] if dates else '-'} .. {dates[-1] if dates else '-'}; "
            f"{hits} of {len(want)} equal to the reference's Received serials",
            hits == len(want),
        ),
        equal("closed", closed, 13),
    ]


def check_leso(out: Outcome) -> list[Finding]:
    """LESO 1033: 297 items, Station Name (50; Cass County 37), sums equal the Summary row."""
    r = data(out.records)
    names = Counter(col(r, "agency_raw").str.lower())
    qty = 0.0
    cost = 0.0
    for e, metric, count in zip(extras(r), col(r, "metric"), num(r, "count"), strict=True):
        values = {k.strip().lower(): v for k, v in e.items()}
        values[metric.lower()] = count
        qty += float(str(values.get("quantity", 0)).replace(",", "") or 0)
        cost += float(str(values.get("total cost", 0)).replace(",", "").replace("$", "") or 0)
    return [
        equal("items", n_rows(r), 297),
        equal("agencies", len(names), 50),
        equal("Cass County Sheriff Dept", names["cass county sheriff dept"], 37),
        equal("Quantity sum", qty, 303),
        equal("Total Cost sum", round(cost, 2), 3468065.76),
    ]


def check_microsoft(out: Outcome) -> list[Finding]:
    """Microsoft LERR: per sheet the countries, requests and accounts; TOTAL rows = sums."""
    findings = []
    wanted = (("crim", 52, 25182, 45839), ("emerg", 35, 386, 586), ("civil", 7, 150, 265))
    for word, rows, requests, accounts in wanted:
        sheet = sheet_of(out.records, word)
        s = data(sheet)
        # The accounts column is the one of the row's numbers that sums to the README's.
        columns: dict[str, float] = {}
        for e in extras(s):
            for k, v in e.items():
                value = pd.to_numeric(str(v).replace(",", ""), errors="coerce")
                if value == value:
                    columns[k] = columns.get(k, 0.0) + float(value)
        has_accounts = accounts in {round(v) for v in columns.values()}
        got = num(s, "count").sum()
        t = totals(sheet)
        printed = num(t, "count").dropna()
        findings.append(
            Finding(
                f"{word}: {n_rows(s)} rows, {got:,.0f} requests, accounts sum {accounts:,} "
                f"{'found' if has_accounts else 'not found'}; TOTAL "
                f"{', '.join(f'{v:,.0f}' for v in printed) or 'none'}",
                n_rows(s) == rows
                and got == requests
                and has_accounts
                and list(printed) == [requests],
            )
        )
    return findings


def check_twitter(out: Outcome) -> list[Finding]:
    """Twitter: table 3/5 821 rows, 56 states, 2021-07-01 sum 2,325; table 5/5 the same."""
    r = data(out.records)
    tables = col(r, "sheet")
    t3 = r[tables.str.contains("3/5")]
    t5 = r[tables.str.contains("5/5")]
    others = r[~tables.str.contains("3/5|5/5")]
    half3 = num(t3[col(t3, "date").str.startswith("2021-07")], "count").sum()
    five = t5[col(t5, "date").str.startswith("2021-07")]
    half5 = num(five, "count").sum()
    return [
        equal("table 3/5 rows", n_rows(t3), 821),
        equal("table 3/5 states", col(t3, "agency_raw").nunique(), 56),
        equal("table 3/5 2021-07 requests", half3, 2325),
        equal("table 5/5 rows", n_rows(t5), 257),
        equal("table 5/5 2021-07 sum", half5, 2325),
        equal("records from tables 1, 2, 4", len(others), 0),
    ]


def check_zoom(out: Outcome) -> list[Finding]:
    """Zoom .xlsb: 242 rows, reporter_country_final, report_count 577, months 2020-12..2021-06."""
    r = data(out.records)
    sums = r.assign(n=num(r, "count")).groupby(col(r, "agency_raw"))["n"].sum()
    dates = sorted(d for d in col(r, "date") if d)
    return [
        equal("rows", n_rows(r), 242),
        equal("report_count sum", num(r, "count").sum(), 577),
        equal("US State and Local", float(sums.get("US State and Local", 0)), 255),
        equal("India", float(sums.get("India", 0)), 92),
        Finding(
            f"months {dates[0] if dates else '-'} .. {dates[-1] if dates else '-'}",
            bool(dates) and (dates[0], dates[-1]) == ("2020-12-31", "2021-06-30"),
        ),
    ]


def check_flock_portal(out: Outcome) -> list[Finding]:
    """Buena Park portal: 317 organisations; 760,198 / 4,237 / 837 / 13 / 30; 2026-01-25."""
    r = data(out.records)
    counts = set(num(r, "count").dropna().astype("int64"))
    figures = [760198, 4237, 837, 13, 30]
    found = [f for f in figures if f in counts]
    listed = r[~filled(r, "count") & (col(r, "method") != "prose")]
    prose = r[col(r, "method") == "prose"]
    dated = col(r[filled(r, "count")], "date")
    return [
        equal("organisations (records without a count)", len(listed), 317),
        Finding(f"{len(prose)} prose records beside them"),
        Finding(f"{len(found)} of 5 figures read", len(found) == 5),
        Finding(
            f"figures dated {', '.join(sorted(set(dated))) or '-'}",
            bool(len(dated)) and set(dated) == {"2026-01-25"},
        ),
    ]


def check_nist(out: Outcome) -> list[Finding]:
    """NIST SD18: 191 rows, organization_name (164 distinct), USA 70, timestamps dated."""
    r = data(sheet_of(out.records, "sd18"))
    other = data(out.records)
    other = other[~col(other, "sheet").str.contains("sd18")]
    return [
        equal("sd18 rows", n_rows(r), 191),
        equal("distinct organisations", col(r, "agency_raw").nunique(), 164),
        equal("country US", int((col(r, "country") == "US").sum()), 70),
        Finding(
            f"dated {share(filled(r, 'date'))}", bool(len(r)) and bool(filled(r, "date").all())
        ),
        Finding(
            f"Sheet1 adds {int(filled(other, 'agency_raw').sum())} agency records",
            not filled(other, "agency_raw").any(),
        ),
    ]


def check_lda(out: Outcome) -> list[Finding]:
    """LDA lobbying: 350 filings, 29 companies, spending as count against The Markup's sums."""
    ref = reference(out.folder, "reference_markup_period_spending.csv")
    r = data(out.records)
    spend = num(r, "count").sum()
    return [
        equal("rows", n_rows(r), 350),
        equal("companies", col(r, "agency_raw").nunique(), 29),
        Finding(
            f"spending as count: {spend:,.0f} (The Markup: "
            f"{num(ref, '2020 Spending').sum():,.0f}, plain sums overshoot)",
            spend > 0.9 * num(ref, "2020 Spending").sum(),
        ),
        Finding(f"period as date on {share(filled(r, 'date'))}", bool(filled(r, "date").all())),
    ]


def check_muckrock(out: Outcome) -> list[Finding]:
    """MuckRock scores: 4,661 agencies, total sums to 19,028, FBI 1,795."""
    r = data(out.records)
    fbi = num(r[col(r, "agency_raw").str.contains("Federal Bureau of Investigation")], "count")
    return [
        equal("records", len(r), 4661),
        equal("total sum", num(r, "count").sum(), 19028),
        equal("FBI", fbi.sum(), 1795),
        Finding(f"names with a comma {int(col(r, 'agency_raw').str.contains(',').sum())}"),
    ]


def check_google(out: Outcome) -> list[Finding]:
    """Google NSL page: 29 + 29 + 29 half-year rows, 20 NSLs with issue and release dates."""
    ref = reference(out.folder, "reference_nsl_letters_google_all_pages.csv").head(20)
    r = data(out.records)
    prose = r[col(r, "method") == "prose"]
    r = r[col(r, "method") != "prose"]
    sizes = sorted(Counter(col(r, "sheet") + col(r, "page")).values())
    last = r[col(r, "sheet") == col(r, "sheet").max()]
    issue = multiset_hits(col(r, "date"), ref["issue date"])
    bands = int(col(r, "count_raw").str.contains("–").sum())
    named = int(col(last, "agency_raw").str.contains("Google|FBI", regex=True).sum())
    return [
        Finding(f"tables of {', '.join(map(str, sizes))} records", sizes == [20, 29, 29, 29]),
        Finding(f"{issue} of 20 NSL issue dates", issue == 20),
        Finding(f"{bands} band counts kept whole; {len(prose)} prose records"),
        Finding(f"Google or FBI as agency on {named} of {len(last)} NSLs", named == len(last) > 0),
    ]


# ---------------------------------------------------------------- the table of documents

DOCUMENTS: dict[str, Document] = {
    "nics-2015-11": Document(
        "55 states x 24 counts equal to BuzzFeed's CSV; month from the title; Totals = sums",
        lambda o: check_nics(o, 55),
    ),
    "nics-2019-2023-multipage": Document(
        "3,135 rows; month from each page header; counts equal to BuzzFeed's CSV",
        lambda o: check_nics(o, 3135),
    ),
    "ca-warn-2015": Document(
        "company, city, employee count, 3 dates per notice; wrapped cells whole",
        check_ca_warn,
    ),
    "ghana-roads-procurement-awards": Document(
        "contractor, amount, currency, two date formats; page 1 as tabula's 13 rows",
        check_ghana,
    ),
    "campaign-donors-schools": Document(
        "employer, amount, date per donation; page 1 as tabula's rows", check_donors
    ),
    "san-jose-firearm": Document("one record per two-line item (12)", check_san_jose),
    "senate-expenditures": Document("payee, amount, date per row", check_senate),
    "okaloosa-sharing-agencies": Document(
        "~857 organisations; comma-joined cells one record per agency", check_okaloosa_sharing
    ),
    "okaloosa-flock-audit": Document(
        "one record per search (7,273): networks/devices counts, datetime, reason",
        check_okaloosa_audit,
    ),
    "irvine-alpr-cpra-xlsx": Document(
        "agency lists 316 / 1,553 / 156 / 1,065; 107,472,041 detections, 31,278 hits; "
        "44,659 dated audit rows",
        check_irvine,
    ),
    "eugene-flock-sharing-screenshots": Document(
        "59 agency names by OCR (transcription has known errors)", check_eugene_screens
    ),
    "eugene-surveillance-inventory-scan": Document(
        "systems and quantities of the xlsx released beside the scan", check_eugene_inventory
    ),
    "irvine-vigilant-2020-scan": Document("agency names (no reference)", check_vigilant),
    "doj-ola-foia-log-2017": Document(
        "Sub-Office as agency, submitted and closed dates, one row per request (withheld)",
        check_doj,
    ),
    "eugene-prr-log-imageonly": Document(
        "requester organisation, request date, amounts by OCR (withheld)", check_eugene_prr
    ),
    "ocsd-lpr-dashboard-reports": Document(
        "camera systems with detection counts; report time frame and date (withheld)",
        check_ocsd,
    ),
    "sec-foia-log-2024-04-cp1252": Document(
        "945 requests; Organization ('-' 282); type from banners (355/331/194/53); "
        "subtotals equal groups",
        check_sec,
    ),
    "ustr-foia-log-fy24q2-xlsx": Document(
        "Intake 90 rows, Requester Organization Name (17 + 17), dates; Disposition 60; "
        "holidays not rows",
        check_ustr,
    ),
    "usda-aphis-foia-log-2012-05-xls": Document(
        "72 rows; Organization (25 '-'); Received 2012-05-01..06-04; 13 closed", check_usda
    ),
    "leso-1033-nebraska-2014-xlsx": Document(
        "297 items, Station Name (50; Cass County 37); sums = Summary (303, 3,468,065.76)",
        check_leso,
    ),
    "microsoft-lerr-2021h2-xlsx": Document(
        "countries: 52 / 35 / 7 rows, 25,182 / 386 / 150 requests; TOTAL rows = sums",
        check_microsoft,
    ),
    "twitter-us-requests-2021h2-multitable-csv": Document(
        "table 3/5: 821 rows, 56 states, 2021-07 requests 2,325; table 5/5: 257 rows, same sum",
        check_twitter,
    ),
    "zoom-transparency-2021h1-xlsb": Document(
        "242 rows, reporter_country_final; report_count 577 (US S&L 255, India 92)", check_zoom
    ),
    "flock-buena-park-portal-html": Document(
        "317 organisations; 760,198 / 4,237 / 837 / 13 cameras / 30 days; 2026-01-25",
        check_flock_portal,
    ),
    "nist-sd18-access-requests-xlsx": Document(
        "191 rows, organization_name (164), USA 70, timestamps dated; Sheet1 no rows",
        check_nist,
    ),
    "lda-data-broker-lobbying-csv": Document(
        "350 filings, 29 companies, period, spending in dollars", check_lda
    ),
    "muckrock-agency-scores-json": Document(
        "4,661 agencies; total sums to 19,028 (FBI 1,795)", check_muckrock
    ),
    "google-nsl-transparency-html": Document(
        "3 half-year tables of 29 rows (bands), 20 NSLs with dates; Google, FBI",
        check_google,
    ),
}


# ---------------------------------------------------------------- running and writing


def inputs(folder: Path) -> list[Path]:
    """The folder's documents: every file but the reference answers."""
    return [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and not any(p.match(pattern) for pattern in REFERENCE_FILES)
    ]


def read(folder: Path, out: Path, workers: int = 1) -> Outcome:
    """Run foialog on the folder's documents into ``out``; a raised error is a crash.

    One worker process by default, so that the per-file timeout and memory limit hold; 0
    reads in this process (quicker for one small file).
    """
    started = time.perf_counter()
    settings: dict[str, object] = {"cache": False, "timeout": TIMEOUT, "workers": workers}
    try:
        result = foialog.run(inputs(folder), out, settings=settings)
    except Exception:  # a crash is what this sweep reports
        last = traceback.format_exc().strip().splitlines()[-1]
        empty = pd.DataFrame()
        return Outcome(folder, empty, empty, time.perf_counter() - started, last)
    return Outcome(folder, result.records, result.documents, time.perf_counter() - started)


def load(folder: Path, out: Path) -> Outcome:
    """An earlier run's outputs (``--keep``) read back, for re-judging without re-reading."""
    # The CSVs are written spreadsheet-safe ("'-" for "-"); read them back as they were.
    records = spreadsheet_raw(pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False))
    documents = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    return Outcome(folder, records, documents, float(num(documents, "seconds").sum()))


def judge(name: str, outcome: Outcome) -> Line:
    """The document's line: its check's figures and a verdict."""
    document = DOCUMENTS[name]
    if outcome.crash:
        return Line(
            name, document.expected, f"CRASH: {outcome.crash}", "no", outcome.seconds, outcome.crash
        )
    try:
        findings = document.check(outcome)
    except Exception:  # a broken check is a line, not the end of the sweep
        last = traceback.format_exc().strip().splitlines()[-1]
        findings = [overview(outcome), Finding(f"check failed: {last}", False)]
    failed = [d for d in col(outcome.documents, "status") if d == "failed"]
    if failed:
        findings.append(Finding(f"{len(failed)} file(s) failed", False))
    oks = [f.ok for f in findings if f.ok is not None]
    right = "to judge" if not oks else "yes" if all(oks) else "no" if not any(oks) else "partly"
    got = "; ".join(f.text + ("" if f.ok is None else " ✓" if f.ok else " ✗") for f in findings)
    return Line(name, document.expected, got, right, outcome.seconds, "")


def table(lines: list[Line], measured: dt.datetime | None = None) -> str:
    """The Markdown table, with when (default now) and where it was measured."""
    counts = Counter(line.right for line in lines)
    when = measured or dt.datetime.now(dt.timezone.utc)
    head = [
        f"Measured {when:%Y-%m-%d %H:%M} UTC on "
        f"{platform.machine()} {platform.system()}, {os.cpu_count()} cores, by "
        f"`bench/corpus_sweep.py` (`make bench-corpus`): every folder of ../shared/corpus read "
        f"whole by `foialog.run`, reference files left out. Right: "
        + ", ".join(f"{k} {counts[k]}" for k in ("yes", "partly", "no", "to judge"))
        + ". ✓ / ✗ mark each figure the README row (or the reference beside it) names.",
        "",
        "| document | a correct extraction gives (README) | foialog gives now | right? |",
        "|---|---|---|---|",
    ]
    rows = [
        f"| {line.name} | {line.expected} | {line.got.replace('|', '/')}; {line.seconds:.0f} s "
        f"| {line.right} |"
        for line in lines
    ]
    return "\n".join(head + rows)


def write_doc(text: str, path: Path = DOC) -> None:
    """Put the table between the corpus markers, adding the section at the end if absent."""
    doc = path.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        doc = doc.rstrip("\n") + f"\n\n{SECTION}\n\n{START}\n{END}\n"
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    """Read every corpus folder (or those named), print each line, write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=[], help="folder names to read")
    parser.add_argument("--no-write", action="store_true", help="print, leave docs alone")
    parser.add_argument("--keep", type=Path, help="write each run's outputs under this folder")
    parser.add_argument("--judge", type=Path, help="judge the outputs kept under this folder")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"{CORPUS} is absent: set FOIALOG_SHARED to the shared/ folder")
    folders = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
    unknown = sorted(set(folders) - set(DOCUMENTS))
    names = args.only or folders
    lines = []
    with tempfile.TemporaryDirectory(prefix="corpus-sweep-") as tmp:
        base = args.keep or Path(tmp)
        for name in names:
            if args.judge:
                outcome = load(CORPUS / name, args.judge / name)
            else:
                outcome = read(CORPUS / name, base / name)
            line = judge(name, outcome)
            lines.append(line)
            print(f"{name} [{line.right}, {line.seconds:.0f} s]: {line.got}", flush=True)
    for name in unknown:
        print(f"{name}: no check in DOCUMENTS; add one from its README row", flush=True)
    crashes = [line for line in lines if line.crash]
    for line in crashes:
        print(f"CRASH {line.name}: {line.crash}", flush=True)
    if not args.no_write and not args.only:
        # Judged outputs were measured when they were written, not now.
        measured = None
        if args.judge:
            stamp = min((args.judge / n / "documents.csv").stat().st_mtime for n in names)
            measured = dt.datetime.fromtimestamp(stamp, dt.timezone.utc)
        write_doc(table(lines, measured))
        print(f"wrote the table to {DOC}")


if __name__ == "__main__":
    main()
