"""OUT/report.html: one self-contained page of totals, charts and the evidence for each number."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from foialog.decisions import no_verifications, read_verifications, with_current_values
from foialog.export import Tables, read_tables, run_info
from foialog.methodology import Methodology, html_text, methodology
from foialog.outputs import write_atomic
from foialog.report.charts import bar_chart, column_chart
from foialog.report.evidence import Box, crop_png, data_uri, find_source
from foialog.report.timeline import LeftOut, split_by_month
from foialog.version import __version__

#: Agencies shown in each top-agencies chart and table.
TOP = 12
#: Metrics given their own top-agencies chart, the most reported first.
MAX_METRICS = 3
#: Records shown as evidence for one number; the rest are counted, with the filter to find them.
EVIDENCE_PER_NUMBER = 5
#: The record columns an evidence item reads (see _EvidenceBuilder._item), with its sort key.
_ITEM_COLUMNS = frozenset(
    {
        *("record_id", "source_file", "sheet", "page", "row", "agency_id", "agency_raw"),
        *("region_raw", "country_raw", "metric", "count", "count_raw", "date_raw", "extra"),
        "bbox",
    }
)


@dataclass(frozen=True)
class Headline:
    """A headline number and the anchor of its evidence."""

    label: str
    value: str
    href: str
    note: str = ""
    #: Shown in the warning colour: something a reader must not miss (files not read...).
    warn: bool = False


@dataclass(frozen=True)
class Item:
    """One record shown as evidence: where it is, the cells as written, and the page image."""

    where: str
    cells: list[tuple[str, str]]
    image: str = ""
    note: str = ""
    #: A person's verdict on the record (verified or wrong), from verifications.csv.
    verdict: str = ""


@dataclass
class Evidence:
    """The records behind one number."""

    anchor: str
    title: str
    items: list[Item] = field(default_factory=list)
    more: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart with its data table beside it."""

    anchor: str
    title: str
    svg: str
    header: list[str]
    rows: list[list[tuple[str, str]]]  # (text, href or "") per cell
    #: Records of the chart's metric that it does not show, by reason (the timeline's).
    left_out: tuple[LeftOut, ...] = ()


def write_report(
    out: Path,
    *,
    inputs: Sequence[Path] | None = None,
    run: dict[str, object] | None = None,
    tables: Tables | None = None,
    password: str | None = None,
    decisions: Path | None = None,
) -> list[Path]:
    """Write OUT/report.html and OUT/methodology.md; ``run`` and ``tables`` default to OUT's.

    ``password`` opens encrypted PDFs for their page images (never written anywhere);
    ``decisions`` is the folder of verifications.csv, when not ``out`` (a run writes into a
    staging folder first).
    """
    if tables is None:
        tables = read_tables(out)
    if run is None:
        run = run_info(out)
    if inputs is None:
        inputs = [Path(str(p)) for p in _as_list(run.get("inputs"))]
    folder = decisions or out
    method = methodology(tables, run, folder=folder)
    verdicts = with_current_values(read_verifications(folder), tables["records"])
    html = build_report(
        tables, run, inputs=inputs, method=method, password=password, verifications=verdicts
    )
    for name, text in (("report.html", html), ("methodology.md", method.markdown())):

        def write(tmp: Path, text: str = text) -> None:
            tmp.write_text(text, encoding="utf-8")

        write_atomic(out / name, write)
    return [out / "report.html", out / "methodology.md"]


def build_report(
    tables: Tables,
    run: dict[str, object],
    *,
    inputs: Sequence[Path] = (),
    method: Methodology | None = None,
    password: str | None = None,
    verifications: pd.DataFrame | None = None,
) -> str:
    """Return the report as one HTML page with charts and images inline.

    ``verifications`` (read_verifications, with_current_values) are shown with their records.
    """
    records, agencies, documents = tables["records"], tables["agencies"], tables["documents"]
    data = records[records["row_type"] != "total"] if "row_type" in records else records
    data = data.assign(metric=data["metric"].replace("", "count"))
    counted = data[data["count"].notna()]
    metrics = list(counted["metric"].value_counts().index[:MAX_METRICS])
    verdicts = verifications if verifications is not None else no_verifications()
    judged = verdicts[verdicts["verdict"] != "accepted"]
    marks = dict(zip(judged["record_id"].astype(str), judged["verdict"].astype(str), strict=True))
    builder = _EvidenceBuilder(list(inputs), password, marks, _read_without_ocr(documents))
    # Only metrics whose counts name an agency get a top-agencies chart (an audit log of one
    # department's own searches, or a grand total, names none).
    named = counted[counted["agency_id"] != ""]["metric"].value_counts().index[:MAX_METRICS]
    top_charts = [_top_agencies(counted, agencies, m, builder) for m in named]
    headlines = _headlines(data, counted, agencies, documents, builder)
    if not judged.empty:
        wrong = int((judged["verdict"] == "wrong").sum())
        headlines.append(
            Headline(
                "records checked by a person",
                f"{len(judged) - wrong:,} verified",
                "#checked",
                f"{wrong:,} marked wrong",
                warn=wrong > 0,
            )
        )
    env = Environment(
        loader=PackageLoader("foialog.report", "."),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The methodology marks text taken from the leak; this filter escapes it as <code>.
    env.filters["leak_html"] = html_text
    return env.get_template("template.html").render(
        title=_title(documents),
        generated=str(run.get("finished", "")) or dt.date.today().isoformat(),
        version=str(run.get("foialog_version", __version__)),
        headlines=headlines,
        top_charts=top_charts,
        country_chart=_countries(data, agencies),
        type_chart=_types(agencies),
        timeline=_timeline(counted, metrics[0] if metrics else ""),
        metric_rows=_metrics(counted),
        documents=_documents(documents),
        failures=documents[documents["status"] != "ok"].to_dict("records"),
        checked=_rows_of(judged),
        ocr=_ocr(data, documents),
        method=method or methodology(tables, run),
        evidence=builder.blocks,
    )


class _EvidenceBuilder:
    """Collects evidence blocks, rendering each page crop once."""

    def __init__(
        self,
        inputs: list[Path],
        password: str | None = None,
        verdicts: dict[str, str] | None = None,
        text_layer: frozenset[str] = frozenset(),
    ) -> None:
        self.inputs = inputs
        self.password = password
        self.verdicts = verdicts or {}
        #: Source files the run read with no page by OCR (see _read_without_ocr).
        self.text_layer = text_layer
        self.blocks: list[Evidence] = []
        self._anchors: dict[str, str] = {}
        #: Each page crop made once: a wide table's row gives a record per count column,
        #: all with the row's box (NICS: a quarter of the crops were repeats).
        self._images: dict[tuple[Path, int, str], str] = {}

    def add(
        self,
        key: str,
        title: str,
        rows: pd.DataFrame,
        where: str,
        positions: np.ndarray | None = None,
    ) -> str:
        """Evidence for the rows at ``positions`` of ``rows`` (all when None); its link."""
        if key in self._anchors:
            return f"#{self._anchors[key]}"
        anchor = _anchor(key)
        while anchor in self._anchors.values():
            anchor += "-x"  # two metrics differing only in case or punctuation
        self._anchors[key] = anchor
        if positions is not None and not rows.index.is_unique:
            rows, positions = rows.iloc[positions], None  # the rows found again by label below
        # The count column sorted alone (the order sort_values gives the frame), then only the
        # rows shown taken: sorting every column of the rows took half of a report's time, and
        # taking every column of each agency's rows a tenth.
        counts = rows["count"] if positions is None else rows["count"].iloc[positions]
        order = counts.sort_values(ascending=False, na_position="last").index
        shown = rows.loc[order[:EVIDENCE_PER_NUMBER]]
        block = Evidence(anchor, title)
        block.items = [
            replace(
                self._item({str(k): v for k, v in r.items()}),
                verdict=self.verdicts.get(str(r.get("record_id", "")), ""),
            )
            for r in shown.to_dict("records")
        ]
        rest = len(counts) - len(block.items)
        if rest > 0:
            block.more = f"… and {rest:,} more record(s): in records.csv, filter {where}."
        self.blocks.append(block)
        return f"#{anchor}"

    def _item(self, r: dict[str, object]) -> Item:
        page, sheet, row = _text(r.get("page")), _text(r.get("sheet")), _text(r.get("row"))
        parts = [_text(r.get("source_file"))]
        parts += [f"sheet {sheet!r}"] if sheet else []
        parts += [f"page {page}"] if page else []
        parts += [f"row {row}"] if row else []
        cells = [("file", _text(r.get("source_file")))]
        cells += [("sheet", sheet)] if sheet else []
        cells += [("page", page)] if page else []
        cells += [("row", row), ("agency as written", _text(r.get("agency_raw")))]
        place = " / ".join(
            p for p in (_text(r.get("region_raw")), _text(r.get("country_raw"))) if p
        )
        cells += [("place as written", place)] if place else []
        metric = _text(r.get("metric")) or "count"
        cells += [
            (f"{metric} as written", _text(r.get("count_raw"))),
            ("date as written", _text(r.get("date_raw"))),
        ]
        try:
            extra = json.loads(_text(r.get("extra")) or "{}")
        except json.JSONDecodeError:
            extra = {}
        if isinstance(extra, dict):
            cells += [(str(k), str(v)) for k, v in extra.items()]
        bbox = _text(r.get("bbox"))
        if not (page and bbox):
            return Item(" · ".join(parts), cells)
        source = find_source(_text(r.get("source_file")), self.inputs)
        if source is None:
            note = "the source file was not found beside the run, so the page is not shown"
            return Item(" · ".join(parts), cells, note=note)
        try:
            text_layer = _text(r.get("source_file")) in self.text_layer
            image = self._image(source, int(page), bbox, text_layer=text_layer)
        except Exception as exc:  # a page image is evidence, not the report: never fatal
            note = f"page image not shown: {exc or type(exc).__name__}"
            return Item(" · ".join(parts), cells, note=note)
        return Item(" · ".join([*parts, f"box {bbox}"]), cells, image=image)

    def _image(self, source: Path, page: int, bbox: str, *, text_layer: bool = False) -> str:
        """The crop of ``page`` around ``bbox`` as a data URI, made once per page and box."""
        key = (source, page, bbox)
        image = self._images.get(key)
        if image is None:
            box = Box.parse(bbox)
            image = data_uri(crop_png(source, page, box, self.password, text_layer=text_layer))
            self._images[key] = image
        return image


def _read_without_ocr(documents: pd.DataFrame) -> frozenset[str]:
    """The documents whose every page was read from its text layer (none by OCR).

    Their boxes are the text layer's: the report shows their pages as printed without asking
    pdfium, page by page, whether OCR would read it (a fifth of a report's time on NICS).
    """
    if "ocr_pages" not in documents or "source_file" not in documents:
        return frozenset()
    pages = pd.to_numeric(documents["ocr_pages"], errors="coerce")
    return frozenset(documents.loc[pages == 0, "source_file"].astype(str))


def _headlines(
    data: pd.DataFrame,
    counted: pd.DataFrame,
    agencies: pd.DataFrame,
    documents: pd.DataFrame,
    builder: _EvidenceBuilder,
) -> list[Headline]:
    status = documents["status"].value_counts()
    read = int(status.get("ok", 0)) + int(status.get("partial", 0))
    pages = int(documents["pages"].fillna(0).sum())
    ocr_pages = int(documents["ocr_pages"].fillna(0).sum())
    result = [
        Headline("files read", f"{read:,} of {len(documents):,}", "#documents"),
        Headline("records", f"{len(data):,}", "#documents", "one per source row or mention"),
        Headline("agencies", f"{len(agencies):,}", "#countries", "after merging spellings"),
    ]
    metrics = counted["metric"].value_counts().index
    for metric in metrics[:MAX_METRICS]:
        group = counted[counted["metric"] == metric]
        total = int(group["count"].sum())
        href = builder.add(
            f"ev-metric-{metric}",
            f"Largest records behind the total of {total:,} {metric}",
            group,
            f"metric = {metric!r}",
        )
        result.append(Headline(str(metric), f"{total:,}", href, f"in {len(group):,} records"))
    if len(metrics) > MAX_METRICS:
        rest = f"{len(metrics) - MAX_METRICS:,} more"
        result.append(Headline("other metrics", rest, "#metrics", "totals in the metrics table"))
    not_in_full = len(documents) - int(status.get("ok", 0))
    broken = int(status.get("failed", 0)) + int(status.get("partial", 0))
    said = ", ".join(
        f"{int(status.get(s, 0)):,} {s}"
        for s in ("failed", "partial", "skipped")
        if int(status.get(s, 0))
    )
    result.append(
        Headline("files not read in full", f"{not_in_full:,}", "#failures", said, warn=broken > 0)
    )
    if pages:
        share = f"{ocr_pages / pages:.0%}"
        result.append(Headline("pages read by OCR", share, "#ocr", f"{ocr_pages:,} of {pages:,}"))
    else:
        result.append(Headline("pages read by OCR", "none", "#ocr", "no PDFs or scans"))
    return result


def _top_agencies(
    counted: pd.DataFrame, agencies: pd.DataFrame, metric: str, builder: _EvidenceBuilder
) -> Chart:
    # Only the columns an evidence item shows: each agency's rows are taken from these.
    shown = [c for c in counted.columns if c in _ITEM_COLUMNS]
    rows = counted.loc[(counted["metric"] == metric) & (counted["agency_id"] != ""), shown]
    totals = rows.groupby("agency_id")["count"].sum().sort_values(ascending=False).head(TOP)
    names = agencies.set_index("agency_id")
    shown = [str(names["agency"].get(a, a)) for a in totals.index]
    # Each agency's rows by their positions, found in one pass: a comparison of every row's
    # agency_id per agency shown was a tenth of the report's time on 80,000 records.
    positions = rows.groupby("agency_id", sort=False).indices
    table: list[list[tuple[str, str]]] = []
    labels: list[str] = []
    for agency_id, total in totals.items():
        name = str(names["agency"].get(agency_id, agency_id))
        country = str(names["country"].get(agency_id, ""))
        place = str(names["region"].get(agency_id, "")) or country
        if shown.count(name) > 1 and place:
            name = f"{name} ({place})"  # two agencies of one name: tell them apart
        href = builder.add(
            f"ev-{agency_id}-{metric}",
            f"{name}: {int(total):,} {metric}",
            rows,
            f"agency_id = {agency_id!r} and metric = {metric!r}",
            np.asarray(positions[agency_id]),
        )
        labels.append(name)
        table.append([(name, ""), (country, ""), (f"{int(total):,}", href)])
    title = f"Top agencies by {metric}"
    svg = bar_chart(labels, [float(t) for t in totals], title=title, key=f"top-{metric}")
    return Chart(_anchor(f"top-{metric}"), title, svg, ["agency", "country", metric], table)


def _countries(data: pd.DataFrame, agencies: pd.DataFrame) -> Chart | None:
    if agencies.empty:
        return None
    by_country = (
        agencies.assign(country=agencies["country"].replace("", "(unknown)"))
        .groupby("country")
        .agg(agencies=("agency_id", "size"), records=("n_records", "sum"))
        .sort_values(["agencies", "records"], ascending=False)
    )
    top = by_country.head(15)
    svg = bar_chart(
        list(top.index.astype(str)),
        [float(v) for v in top["agencies"]],
        title="Agencies by country",
        key="countries",
    )
    rows = [
        [(str(c), ""), (f"{int(r.agencies):,}", ""), (f"{int(r.records):,}", "")]
        for c, r in by_country.iterrows()
    ]
    return Chart("countries", "Agencies by country", svg, ["country", "agencies", "records"], rows)


def _metrics(counted: pd.DataFrame) -> list[tuple[str, str, str]]:
    totals = (
        counted.groupby("metric")["count"].agg(["sum", "size"]).sort_values("size", ascending=False)
    )
    return [(str(m), f"{int(r['sum']):,}", f"{int(r['size']):,}") for m, r in totals.iterrows()]


def _types(agencies: pd.DataFrame) -> Chart | None:
    if agencies.empty:
        return None
    types = agencies["agency_type"].replace("", "(not classified)").value_counts()
    svg = bar_chart(
        [str(t) for t in types.index],
        [float(n) for n in types],
        title="Agencies by type",
        key="types",
    )
    rows = [[(str(t), ""), (f"{int(n):,}", "")] for t, n in types.items()]
    return Chart("types", "Agencies by type", svg, ["type", "agencies"], rows)


def _timeline(counted: pd.DataFrame, metric: str) -> Chart | None:
    rows, left_out = split_by_month(counted[counted["metric"] == metric])
    if rows.empty:
        return None
    monthly = rows.assign(month=rows["date"].str[:7]).groupby("month")["count"].agg(["sum", "size"])
    months = pd.period_range(monthly.index.min(), monthly.index.max(), freq="M").astype(str)
    monthly = monthly.reindex(months, fill_value=0)
    title = f"{metric.capitalize()} per month"
    svg = column_chart(
        list(monthly.index), [float(v) for v in monthly["sum"]], title=title, key="timeline"
    )
    table = [
        [(str(m), ""), (f"{int(r['size']):,}", ""), (f"{int(r['sum']):,}", "")]
        for m, r in monthly.iterrows()
    ]
    return Chart("timeline", title, svg, ["month", "records", metric], table, tuple(left_out))


def _rows_of(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [{str(k): _text(v) for k, v in r.items()} for r in frame.to_dict("records")]


def _documents(documents: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "source_file": _text(r["source_file"]),
            "type": _text(r["detected_type"]),
            "status": _text(r["status"]),
            "records": _text(r["n_records"]),
            "pages": _text(r["pages"]),
            "ocr_pages": _text(r["ocr_pages"]),
            "sha256": _text(r["sha256"]),
        }
        for r in documents.to_dict("records")
    ]


def _ocr(data: pd.DataFrame, documents: pd.DataFrame) -> dict[str, object]:
    pages = int(documents["pages"].fillna(0).sum())
    ocr_pages = int(documents["ocr_pages"].fillna(0).sum())
    methods = data["method"].value_counts()
    return {
        "pages": pages,
        "ocr_pages": ocr_pages,
        "share": f"{ocr_pages / pages:.0%}" if pages else "0%",
        "methods": [(str(m), int(n)) for m, n in methods.items()],
        "ocr_records": int(methods.get("ocr", 0)),
    }


def _title(documents: pd.DataFrame) -> str:
    names = list(documents["source_file"].head(3))
    more = len(documents) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-")


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(value)
