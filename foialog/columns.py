"""What each output column means and holds: the one source for docs, Datasette and typed exports.

docs/output.md shows these descriptions as tables; tests/outputs/test_export.py checks the two
agree.
"""

from __future__ import annotations

#: Plain-language meaning of each column, per output table, in column order.
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "records": {
        "record_id": "stable id: derived from the file's hash, sheet, page and row",
        "source_file": "path relative to the input folder",
        "source_sha256": "SHA-256 of the input file",
        "page": "1-based page (PDFs; empty for spreadsheets)",
        "sheet": "sheet name, for workbooks",
        "row": (
            "1-based row in the source: the spreadsheet row number, or the CSV record number "
            "(header = 1)"
        ),
        "bbox": "x0,top,x1,bottom in PDF points (PDFs)",
        "method": "how it was read: sheet, table, ocr, prose, log",
        "agency_raw": "the agency as written",
        "agency": "canonical name of the agency group (the reference name when linked)",
        "agency_id": (
            "id of the agency group; the same inputs always give the same id "
            "([foialog.entities.md](foialog.entities.md))"
        ),
        "agency_type": (
            "local police, sheriff, state police, federal, prosecutor, corrections, "
            "university or school, military, other government, private company, international"
        ),
        "country": (
            "ISO 3166-1 alpha-2: the row's own, else inferred from the agency (reference "
            "entry, name, email domain, the document's usual country)"
        ),
        "region": "ISO 3166-2, e.g. US-TX: the row's own, else the agency's",
        "count": (
            "the number, an integer; in a table whose only measure is money (contract awards, "
            "donations, spending), the amount in whole units (metric `amount`, qualifier approx "
            "when it had cents); money beside another count is never the count"
        ),
        "count_raw": "the count as written",
        "count_qualifier": (
            "exact, at_least (`320+`, `more than 320`), at_most (`fewer than 10`), approx "
            "(`~300`), range"
        ),
        "metric": (
            "what was counted, from the header (`Number of searches` -> searches) or a label "
            "cell; where columns split one metric (`Federal Requests`, `State Requests`) each "
            "gives its own record and its header is the metric"
        ),
        "date": "ISO 8601: YYYY-MM-DD, or YYYY-MM / YYYY when the source gives only that",
        "date_end": "end of a range, when the source gives one",
        "date_raw": "the date as written",
        "date_label": "the header (or `table title`) the date came from",
        "redacted": "field:code for each redacted cell, e.g. `agency:(b)(6)`",
        "extra": "JSON object of every other column of the row, raw",
        "confidence": (
            "0 to 1: the weakest of the column-role judgements and value parses behind the row"
        ),
        "row_type": (
            "data; total for a printed totals or subtotal row (kept, never summed); summary for "
            'a row of a breakdown by account type ("Paid | 12 organisations | 3,400 searches"), '
            "not an agency"
        ),
        "time": "HH:MM:SS when the source gave a time of day",
        "country_raw": "the country as written",
        "region_raw": "the state or region as written",
        "user_email": "the user or contact email, when a column holds one",
        "account_type": "trial or paid",
        "account_type_raw": "the account type as written",
        "hints": (
            "the reporter's hints that changed how the row was read (`hints.csv line 2: ...`, "
            "`--role ...`), separated by ` | `"
        ),
    },
    "agencies": {
        "agency_id": "id of the agency group, as in records.agency_id",
        "agency": "canonical name: the reference name when linked, else the most frequent spelling",
        "agency_type": "one of the agency types listed under records.csv",
        "country": (
            "ISO 3166-1 alpha-2: the reference entry's, else the most common among its records"
        ),
        "region": "ISO 3166-2: the reference entry's, else the most common among its records",
        "reference_id": (
            "the linked reference entry: an FBI ORI (`FL0530000`), a Federal Register id "
            "(`fr:justice-department`) or a curated id (`int:interpol`)"
        ),
        "n_records": "number of records naming the agency",
        "count_total": "JSON object: metric -> sum of counts (totals rows never summed)",
        "first_date": "earliest date among its records",
        "last_date": "latest date among its records",
        "variants": "JSON list of every raw spelling seen",
        "sources": "JSON list of the files it appears in",
        "confidence": "0 to 1: the weakest evidence behind the group (1 = exact link)",
        "corrections": "the corrections-file lines applied to this agency, separated by ` | `",
        "count_total_*": "one column per metric: the sum of that metric's counts",
    },
    "review": {
        "kind": (
            "merge (two spellings merged on weak evidence, or close but kept apart), link (no"
            " reference entry linked: several fit), correction (a corrections line that "
            "matched nothing), hidden text (a PDF redaction box with text still under it; "
            "listed first), column role (two columns scored almost alike for the agency or the "
            "count; the reason names both: check it, or name the column with `--role` or a "
            "hints file)"
        ),
        "score": "0 to 1: the evidence behind the decision",
        "reason": "what foialog decided and why",
        "n_records": "records of the agencies involved",
        "count_affected": "sum of their counts: how much the decision moves the totals",
        "agency_id": "the first side: its agency and the spelling",
        "agency": "the first side: its agency and the spelling",
        "variant": "the first side: its agency and the spelling",
        "other_agency_id": "the other side of a merge",
        "other_agency": "the other side of a merge",
        "other_variant": "the other side of a merge",
        "reference_id": "the candidate entry of a link",
        "reference_name": "the candidate entry of a link",
        "suggestion": "the corrections-file line that applies the other decision",
    },
    "agencies_monthly": {
        "agency_id": "the agency (as in agencies.csv)",
        "agency": "its canonical name",
        "month": "YYYY-MM of the records' dates (records with only a year are left out)",
        "metric": "what was counted",
        "n_records": (
            "records of that agency, month and metric (events, for one-line-per-search logs)"
        ),
        "count": "sum of their counts",
        "qualifiers": (
            "the count qualifiers summed: exact, or which others (at_least...) are included"
        ),
        "methods": (
            "how its records were read (method in records.csv): log = one event per record, "
            "counted from an event log; sheet, table, ocr, prose = rows or mentions"
        ),
    },
    "documents": {
        "source_file": "path relative to the input folder",
        "sha256": "SHA-256 of the file's bytes",
        "detected_type": "file type judged from the bytes, never from the extension",
        "pages": "number of pages (PDFs and scans)",
        "ocr_pages": "number of pages read by OCR",
        "status": "ok, partial, failed or skipped",
        "error": "one line naming the file, the problem and the fix",
        "n_records": "number of records extracted from the file",
        "seconds": "time spent reading the file",
        "sheets": "number of sheets read (workbooks)",
        "notes": "totals checks, empty sheets and other things noticed while reading",
    },
}

#: Columns stored as whole numbers in typed exports (XLSX, Parquet, SQLite, DuckDB).
INTEGER_COLUMNS = frozenset(
    {
        "page",
        "row",
        "count",
        "n_records",
        "pages",
        "ocr_pages",
        "sheets",
        "count_affected",
    }
)
#: Columns stored as decimals in typed exports.
FLOAT_COLUMNS = frozenset({"confidence", "seconds", "score"})


def column_kind(column: str) -> str:
    """Return integer, float or text: how a column is typed in the exports."""
    if column in INTEGER_COLUMNS or column.startswith("count_total_"):
        return "integer"
    if column in FLOAT_COLUMNS:
        return "float"
    return "text"


def describe(table: str, column: str) -> str:
    """Return a column's description, or "" for a column this version does not describe."""
    known = DESCRIPTIONS.get(table, {})
    if column in known:
        return known[column]
    if column.startswith("count_total_") and "count_total_*" in known:
        return f"sum of counts with metric {column.removeprefix('count_total_')!r}"
    return ""
