"""A methodology generated from a run: what went in, how it was read, what was merged, limits."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from foialog.decisions import (
    correction_lines,
    hint_lines,
    read_verifications,
    with_current_values,
)
from foialog.export import Tables
from foialog.outputs import write_atomic
from foialog.rerun import changes_records, rerun_command, typed_inputs

#: Records below this confidence are called out as less sure (the review queue may differ).
LOW_CONFIDENCE = 0.8
#: Longest list printed in the text; the rest is counted and left to the CSVs.
MAX_ITEMS = 25
#: What the outputs lack when each step after reading is left out (foialog.stages notes it).
STEP_LACKS = {
    "repeats": "tables repeated across files were not looked for (a table in two files may be "
    "counted twice):",
    "resolution": "agency names were not resolved (agency and agency_id are empty; agencies.csv "
    "and review.csv are empty):",
    "tables": "agencies.csv and agencies_monthly.csv were not built:",
    "csv": "the CSVs were written by the run's own process instead, a chunk of rows at a time, "
    "after their own process was stopped:",
    "database": "foialog.sqlite was not written (run `foialog export OUT --format sqlite`):",
    "report": "report.html was not written (run `foialog report OUT`):",
    "methodology": "methodology.md was not written (run `foialog report OUT`):",
}
#: Private-use characters around text taken from the leak, until a format escapes it.
_OPEN, _CLOSE = "\ue000", "\ue001"
_QUOTED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.DOTALL)
#: Line breaks and tabs become spaces: a name must not start a heading or a list of its own.
_SPACES = dict.fromkeys(map(ord, "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"), " ")


def quoted(value: object) -> str:
    """Mark text taken from the leak (a file or member name, a header, an agency, an error).

    ``markdown_text`` shows it as a code span and ``html_text`` as escaped ``<code>``, so a
    name can plant no heading, link, image or tag; control and bidirectional-override
    characters are shown as U+FFFD.
    """
    text = str(value).translate(_SPACES)
    text = "".join(
        "\ufffd" if unicodedata.category(c) in {"Cc", "Cf", "Co"} and c != "\u200d" else c
        for c in text
    )
    return f"{_OPEN}{text}{_CLOSE}"


def markdown_text(text: str) -> str:
    """Return ``text`` for Markdown: each quoted part as a code span no content can close."""

    def span(match: re.Match[str]) -> str:
        inner = match.group(1)
        if not inner:
            return '""'
        longest = max((len(run) for run in re.findall("`+", inner)), default=0)
        fence = "`" * (longest + 1)
        pad = " " if inner[0] == "`" or inner[-1] == "`" or not inner.strip() else ""
        return f"{fence}{pad}{inner}{pad}{fence}"

    return _QUOTED.sub(span, text)


def html_text(text: str) -> Markup:
    """Return ``text`` escaped for HTML, each quoted part in ``<code>``."""
    escaped = str(escape(text))
    return Markup(escaped.replace(_OPEN, "<code>").replace(_CLOSE, "</code>"))


@dataclass(frozen=True)
class Section:
    """A heading, paragraphs, and a bulleted list."""

    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Methodology:
    """Sections of a methodology a reporter can adapt under a story."""

    sections: tuple[Section, ...]

    def markdown(self) -> str:
        """Return the methodology as Markdown."""
        lines = ["# How these figures were made", ""]
        for section in self.sections:
            lines += [f"## {section.title}", ""]
            for paragraph in section.paragraphs:
                lines += [markdown_text(paragraph), ""]
            lines += [f"- {markdown_text(item)}" for item in section.items]
            if section.items:
                lines.append("")
        return "\n".join(lines)


def methodology(
    tables: Tables, run: dict[str, object], *, folder: Path | None = None
) -> Methodology:
    """Describe a run from its tables and run.json, with its own figures.

    ``folder`` is the output folder holding the people's decisions (verifications.csv) and
    named in the command that reproduces the run.
    """
    records, agencies, documents = tables["records"], tables["agencies"], tables["documents"]
    data = records[records["row_type"] != "total"] if "row_type" in records else records
    left_out = _left_out(run)
    return Methodology(
        (
            _summary(data, agencies, documents, run),
            *([left_out] if left_out is not None else []),
            _inputs(documents),
            _ocr(data, documents),
            _rules(records, data, run),
            _hints(records),
            _logs(data),
            _merges(agencies, tables.get("review")),
            _thresholds(data, tables.get("review")),
            _decisions(records, run, folder),
            _limits(data, agencies, documents),
        )
    )


def _summary(
    data: pd.DataFrame, agencies: pd.DataFrame, documents: pd.DataFrame, run: dict[str, object]
) -> Section:
    status = documents["status"].value_counts()
    finished = str(run.get("finished", "")) or "an unrecorded date"
    version = str(run.get("foialog_version", "")) or "an unrecorded version"
    read = int(status.get("ok", 0)) + int(status.get("partial", 0))
    text = (
        f"We analysed {len(documents)} file(s) with foialog {version}, an open-source tool that "
        f"reads leaked and released logs offline, on {finished}. It read {read} of them "
        f"({int(status.get('partial', 0))} only in part); {int(status.get('failed', 0))} could "
        f"not be read and {int(status.get('skipped', 0))} were set aside (a kind it does not "
        "read, a copy of another file or of its table, or a container member never reached; "
        "documents.csv gives each one's reason). "
        f"It extracted {len(data):,} records naming {len(agencies):,} distinct agencies. Every "
        "record keeps the file, sheet or page, row and, for PDFs and scans, the box on the page "
        "it came from, beside the value exactly as written."
    )
    skipped = _skipped(run)
    if skipped:
        # A stage stopped at its limits (foialog.stages): the figures below lack its work.
        text += (
            f" {len(skipped)} step(s) after reading were left out of this run, so the figures "
            "and files below lack their work (see “Steps left out”): " + ", ".join(skipped) + "."
        )
    return Section("Summary", (text,))


def _skipped(run: dict[str, object]) -> dict[str, str]:
    """Each step after reading left out of the run (run.json's stages_skipped), and why."""
    skipped = run.get("stages_skipped")
    if not isinstance(skipped, dict):
        return {}
    return {str(stage): str(why) for stage, why in skipped.items()}


def _left_out(run: dict[str, object]) -> Section | None:
    """Which steps were stopped or failed, why, and what the outputs lack because of it."""
    skipped = _skipped(run)
    if not skipped:
        return None
    text = (
        "Each step after reading runs under a time and a memory limit (--stage-timeout, "
        "--memory-mb); a step stopped at one, or that failed, was left out and the run wrote "
        "what it had. run.json names the same steps under stages_skipped."
    )
    # The reason ends with the error's own text, which may quote the leak: shown as a quote.
    items = []
    for stage, why in skipped.items():
        lacks = STEP_LACKS.get(stage, "")
        if lacks and why.startswith(lacks):
            items.append(f"{stage}: {lacks} {quoted(why.removeprefix(lacks).strip())}")
        else:
            items.append(f"{stage}: {quoted(why)}")
    return Section("Steps left out", (text,), tuple(items))


def _inputs(documents: pd.DataFrame) -> Section:
    items = [
        f"{quoted(row['source_file'])} ({row['detected_type'] or 'unknown type'}; "
        f"SHA-256 {row['sha256']}; {row['status']}; {row['n_records']} records)"
        for row in documents.to_dict("records")
    ]
    return Section(
        "Inputs",
        (
            "Each file is identified by its SHA-256 hash, so anyone holding the same files can "
            "check they are working from identical copies.",
        ),
        _capped(items, "documents.csv"),
    )


def _ocr(data: pd.DataFrame, documents: pd.DataFrame) -> Section:
    scanned = documents[documents["ocr_pages"].fillna(0) > 0]
    pages = int(documents["pages"].fillna(0).sum())
    ocr_pages = int(documents["ocr_pages"].fillna(0).sum())
    ocr_records = int((data["method"] == "ocr").sum())
    if scanned.empty:
        text = (
            "No page was read by optical character recognition (OCR): every value comes from a "
            "spreadsheet cell or a PDF's text layer."
        )
        return Section("What was read by OCR", (text,))
    text = (
        f"{ocr_pages} of {pages} page(s) had no usable text layer and were read by OCR "
        f"(Tesseract); {ocr_records:,} record(s) come from them. OCR can misread characters, so "
        "figures from these pages were checked against the page images in the report."
    )
    items = [
        f"{quoted(row['source_file'])}: {row['ocr_pages']} of {row['pages']} page(s)"
        for row in scanned.to_dict("records")
    ]
    return Section("What was read by OCR", (text,), _capped(items, "documents.csv"))


def _rules(records: pd.DataFrame, data: pd.DataFrame, run: dict[str, object]) -> Section:
    qualifiers = data["count_qualifier"].replace("", None).dropna().value_counts()
    described = (
        ", ".join(f"{n:,} {str(q).replace('_', ' ')}" for q, n in qualifiers.items()) or "none"
    )
    dates = data["date"].astype(str)
    month_only = int(dates.str.fullmatch(r"\d{4}-\d{2}").sum())
    year_only = int(dates.str.fullmatch(r"\d{4}").sum())
    redacted = int((data["redacted"] != "").sum())
    totals = int((records.get("row_type", pd.Series(dtype=str)) == "total").sum())
    items = [
        "The type of each file was judged from its bytes, never from its name.",
        "A count is read only from a cell or phrase that holds a number; the text as written is "
        f"kept beside it. Qualifiers were kept, not dropped: {described}.",
        "Day-month order was decided per column from all of its values, never guessed per cell. "
        f"A partial date stays partial: {month_only:,} record(s) give only a month and "
        f"{year_only:,} only a year.",
        f"A redacted cell ((b)(6), REDACTED, blacked-out text) is never read as a value: "
        f"{redacted:,} record(s) have a redacted field, with the exemption code where printed.",
        f"Totals printed in the source were kept as separate rows, checked against the rows "
        f"above them and never added to any figure: {totals:,} totals row(s).",
    ]
    settings = run.get("settings")
    if isinstance(settings, dict):
        shown = {k: v for k, v in settings.items() if k != "password" and changes_records(k)}
        shown_text = json.dumps(shown, sort_keys=True, default=str)
        items.append(f"Settings of the run: {quoted(shown_text)}.")
    return Section("Parsing rules in force", (), tuple(items))


def _logs(data: pd.DataFrame) -> Section:
    """What event logs gave: events by kind, and vendor account codes joined to names."""
    logs = data[data["method"] == "log"]
    if logs.empty:
        return Section("Event logs", ("No event log was read.",))
    counts = pd.to_numeric(logs["count"], errors="coerce").fillna(0)
    kinds = counts.groupby(logs["metric"].fillna("")).sum().sort_values(ascending=False)
    said = ", ".join(f"{kind or 'events'} {int(n):,}" for kind, n in kinds.items())
    text = (
        f"{int(counts.sum()):,} event(s) were read from {logs['source_file'].nunique()} event "
        f"log(s), one per line or row: {said}. Only successful searches are counted as searches; "
        "logins, logouts, views, exports, admin actions and failed requests (HTTP status 400 and "
        "above, a result of error or denied) are their own metrics, never added to searches."
    )
    joined: dict[tuple[str, str, str], int] = {}
    extras = logs["extra"].astype(str)
    for code, name, extra, n in zip(
        logs["agency_raw"], logs["agency"], extras, counts, strict=True
    ):
        if "agency_joined_from" in extra:
            where = str(json.loads(extra)["agency_joined_from"]).rsplit(" row ", 1)[0]
            key = (str(code), str(name), where)
            joined[key] = joined.get(key, 0) + int(n)
    if not joined:
        return Section("Event logs", (text,))
    items = [
        f"{quoted(code)} is {quoted(name)} in {quoted(where)}: {n:,} event(s)"
        for (code, name, where), n in sorted(joined.items())
    ]
    return Section(
        "Event logs",
        (
            text,
            "Where a log names its customers only by an account code, the code was joined to the "
            "name another file of the inputs gives it (the nearest file to the log; codes named "
            "differently there are not joined). agency_raw keeps the code; extra says where the "
            "name came from. Codes no file names are listed in review.csv.",
        ),
        _capped(items, "records.csv"),
    )


def _hints(records: pd.DataFrame) -> Section:
    """Every reporter's hint that changed how rows were read, with the records it touched."""
    said = records.get("hints", pd.Series(dtype=str)).fillna("").astype(str)
    counts: dict[str, int] = {}
    for cell in said[said != ""]:
        for hint in cell.split(" | "):
            counts[hint] = counts.get(hint, 0) + 1
    if not counts:
        return Section(
            "Reporter's hints",
            (
                "No hint was given: every column role, header row and date order was foialog's "
                "own judgement, shown with its reason by `foialog inspect`.",
            ),
        )
    items = [f"{quoted(hint)}: {n:,} record(s)" for hint, n in sorted(counts.items())]
    return Section(
        "Reporter's hints",
        (
            "These decisions were the reporter's, given in a hints file or with --role, and "
            "override foialog's own reading of the tables they name:",
        ),
        _capped(items, "records.csv (column hints)"),
    )


def _merges(agencies: pd.DataFrame, review: pd.DataFrame | None) -> Section:
    spellings = {
        str(a): _json_list(v)
        for a, v in zip(agencies["agency_id"], agencies["variants"], strict=True)
    }
    several = agencies["agency_id"].map(lambda a: len(spellings[str(a)]) > 1).astype(bool)
    merged = agencies.loc[several].sort_values("n_records", ascending=False)
    linked = int((agencies["reference_id"] != "").sum())
    text = (
        "Spellings were grouped into agencies automatically: by a normalised key (case, "
        "punctuation, accents and common abbreviations set aside), by a link to a reference "
        "list of agencies where exactly one entry fits, and by close matches within the same "
        f"country and region; different countries never merge. {len(merged):,} of "
        f"{len(agencies):,} agencies were formed from more than one spelling; {linked:,} were "
        "linked to a reference entry (reference_id)."
    )
    items = [
        f"{quoted(name)} ← {', '.join(quoted(v) for v in spellings[str(a)])}"
        for a, name in zip(merged["agency_id"], merged["agency"], strict=True)
    ]
    lines = sorted(
        {
            line.strip()
            for cell in agencies.get("corrections", pd.Series(dtype=str))
            for line in str(cell).split(" | ")
            if line.strip()
        }
    )
    unmatched = 0
    if review is not None and "kind" in review.columns:
        unmatched = int((review["kind"] == "correction").sum())
    if lines or unmatched:
        applied = (
            f"Corrections made by the reporters ({len(lines):,} applied, {unmatched:,} that "
            "matched nothing in this run and are listed in review.csv): "
            + "; ".join(quoted(line) for line in lines)
            + "."
        )
    else:
        applied = (
            "No reporter's correction was applied in this run: every merge listed here was made "
            "by rule and should be checked by a person before publication."
        )
    return Section("Agency names: merges", (text, applied), _capped(items, "agencies.csv"))


def _thresholds(data: pd.DataFrame, review: pd.DataFrame | None) -> Section:
    confidence = data["confidence"].astype("Float64")
    low = int((confidence < LOW_CONFIDENCE).sum())
    share = f"{low / len(data):.0%}" if len(data) else "0%"
    text = (
        "Each record carries a confidence from 0 to 1: the weakest of the judgements behind it "
        f"(which column holds the agency, how a date or count was parsed). {low:,} record(s) "
        f"({share}) are below {LOW_CONFIDENCE}."
    )
    paragraphs = [text]
    if review is not None:
        paragraphs.append(f"{len(review):,} item(s) were put in the review queue (review.csv).")
    return Section("Thresholds", tuple(paragraphs))


def _limits(data: pd.DataFrame, agencies: pd.DataFrame, documents: pd.DataFrame) -> Section:
    items = [
        f"{quoted(row['source_file'])}: {row['status']}: {quoted(row['error'] or row['notes'])}"
        for row in documents[documents["status"] != "ok"].to_dict("records")
    ]
    not_exact = int(data["count_qualifier"].isin(["at_least", "at_most", "approx", "range"]).sum())
    if not_exact:
        items.append(
            f"{not_exact:,} count(s) are not exact (at least, at most, approximately, a range); "
            "totals add them as written, so a total including them is itself approximate."
        )
    counted = data["count"].notna()
    items.append(f"{int((~counted).sum()):,} record(s) have no count.")
    items.append(f"{int((data['date'] == '').sum()):,} record(s) have no date.")
    items.append(
        f"{int((agencies['country'] == '').sum()):,} agencies have no country: the source did "
        "not say and the name did not show it."
    )
    if (agencies["agency_type"] == "").all():
        items.append("Agencies were not classified by type in this run.")
    items.append(
        "foialog reports what the documents say. A count of searches or detections is the "
        "vendor's or agency's own figure; it was not verified against any other source."
    )
    return Section("Known limits", (), tuple(items))


def _decisions(records: pd.DataFrame, run: dict[str, object], folder: Path | None) -> Section:
    """Every decision a person made about the run, and the command that reproduces it."""
    settings = run.get("settings")
    settings = settings if isinstance(settings, dict) else {}
    hints_file, corrections_file = (
        Path(str(settings[k])) if settings.get(k) else None for k in ("hints", "corrections")
    )
    items = [f"hint ({quoted(hints_file)}): {quoted(h)}" for h in hint_lines(hints_file)]
    roles = settings.get("roles")
    items += [f"column role (--role): {quoted(r)}" for r in roles or [] if isinstance(r, str)]
    items += [
        f"correction ({quoted(corrections_file)}): {quoted(line)}"
        for line in correction_lines(corrections_file)
    ]
    verdicts = read_verifications(folder) if folder is not None else None
    judged = 0
    if verdicts is not None and not verdicts.empty:
        verdicts = with_current_values(verdicts, records)
        judged = len(verdicts)
        for v in verdicts.to_dict("records"):
            where = " ".join(
                f"{k} {v[k]}" for k in ("page", "row") if str(v[k]) not in {"", "<NA>"}
            )
            values = ", ".join(
                f"{k} {quoted(v[k])}" for k in ("agency_raw", "count_raw", "date_raw")
            )
            said = f": {quoted(v['note'])}" if v["note"] else ""
            items.append(
                f"{v['verdict']}: record {quoted(v['record_id'])}"
                + (f" ({quoted(v['source_file'])} {where}; {values})" if v["source_file"] else "")
                + f", on {v['at'] or 'an unrecorded date'}{said}; now {v['now']}"
            )
    command = rerun_command(typed_inputs(run), folder or Path("OUT"), settings)
    counted = (
        f"{len(items) - judged:,} hint(s), role(s) and correction(s), and {judged:,} record(s) "
        "marked verified or wrong (or review-queue items accepted) in verifications.csv"
    )
    paragraphs = [
        (
            f"Every decision a person made about this run is a line of a plain file: {counted}. "
            "Each is listed below; a verdict says whether the record still holds the values it "
            "was judged on."
            if items
            else "No person's decision shaped this run: no hint, correction or verdict."
        ),
        "The figures are reproduced from the same inputs by "
        + quoted(command.text)
        + "".join(f"; {note}" for note in command.notes)
        + ".",
    ]
    return Section(
        "Decisions made by people", tuple(paragraphs), _capped(items, "the decision files")
    )


def _json_list(text: object) -> list[str]:
    try:
        value = json.loads(str(text))
    except json.JSONDecodeError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _capped(items: list[str], where: str) -> tuple[str, ...]:
    if len(items) <= MAX_ITEMS:
        return tuple(items)
    return (*items[:MAX_ITEMS], f"… and {len(items) - MAX_ITEMS:,} more in {where}")


def write_methodology(
    folder: Path, tables: Tables, run: dict[str, object], *, decisions: Path | None = None
) -> list[Path]:
    """Write ``folder``/methodology.md for the run (``decisions``: the folder of the verdicts)."""
    text = methodology(tables, run, folder=decisions or folder).markdown()

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(folder / "methodology.md", write)
    return [folder / "methodology.md"]
