"""The reporter's decisions on one output folder, kept as plain files that re-runs reproduce.

Every change the review app makes is a line in one of three CSVs inside OUT:

- ``hints.csv``: column roles, metric, date order, header row (docs/hints.md), read by
  ``foialog run --hints``;
- ``corrections.csv``: merge, split, rename, set_type, set_country, link, reject
  (docs/foialog.entities.md), read by ``foialog run --corrections``;
- ``verifications.csv``: records marked verified or wrong, review rows accepted, with the
  values they had when judged; listed in methodology.md.

``Workbench.rerun`` runs foialog again on the run's inputs with the run's own settings (as
run.json keeps them) and the first two files, exactly as ``Workbench.command`` prints it:
``foialog run INPUTS -o OUT --hints OUT/hints.csv --corrections OUT/corrections.csv`` plus
every other setting of the run that changes records (--ocr-lang, --role, a placeholder for
--password ...). A hints or corrections file the run was given elsewhere is copied into OUT's
before the app's first line is added to it, so its lines stay in force.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from foialog.decisions import VERIFICATION_COLUMNS, VERIFICATIONS
from foialog.entities.corrections import ACTIONS, COLUMNS, parse_corrections
from foialog.errors import FoialogError
from foialog.export import read_tables, run_info
from foialog.extract.hints import FIELDS, Hint, hints_csv, make_hint
from foialog.inspect import Inspection, inspect_file
from foialog.report.evidence import find_source
from foialog.rerun import Command, rerun_command
from foialog.settings import Settings

HINTS = "hints.csv"
CORRECTIONS = "corrections.csv"
VERDICTS = ("verified", "wrong", "accepted")
#: Settings of run.json a re-run takes over (where and how fast work runs is the app's own).
_CARRIED = (
    "model",
    "max_depth",
    "max_member_mb",
    "workers",
    "timeout",
    "memory_mb",
    "stage_timeout",
    "raw_csv",
    "follow_links",
    "keep_duplicates",
    "roles",
    "ocr_languages",
    "ocr_timeout",
)


class ReviewError(FoialogError):
    """A review action that cannot be carried out: the message says why and what to do."""


@dataclass
class Workbench:
    """One output folder and the reporter's decisions about it."""

    out: Path
    #: The password of the run's encrypted inputs, for re-runs (never written anywhere).
    password: str | None = field(default=None, repr=False)
    _tables: dict[str, pd.DataFrame] | None = field(default=None, repr=False)
    _stamp: float = field(default=-1.0, repr=False)
    #: Looked up once per read of the tables: record_id -> position, and the filter choices.
    _positions: dict[str, int] = field(default_factory=dict, repr=False)
    _choices: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _publishing: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if not (self.out / "run.json").is_file():
            raise ReviewError(
                f"{self.out}: not a finished foialog output folder (no run.json); "
                "run `foialog run INPUTS -o OUT` first"
            )

    # --- what the run produced --------------------------------------------------------------

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's tables, read again only when records.csv has changed."""
        stamp = (self.out / "records.csv").stat().st_mtime
        if self._tables is None or stamp != self._stamp:
            self._tables, self._stamp = dict(read_tables(self.out)), stamp
            records = self._tables["records"]
            ids = records["record_id"].astype(str)
            self._positions = dict(zip(ids, range(len(ids)), strict=True))
            self._choices = {
                column: sorted(v for v in records[column].dropna().astype(str).unique() if v)
                for column in ("agency", "source_file", "metric")
            }
        return self._tables

    def record(self, record_id: str) -> pd.Series | None:
        """One record by its id, or None."""
        records = self.tables()["records"]
        position = self._positions.get(record_id)
        return None if position is None else records.iloc[position]

    def choices(self, column: str) -> list[str]:
        """The distinct values of a records column offered as filters (agency, file, metric)."""
        self.tables()
        return self._choices.get(column, [])

    def inputs(self) -> list[Path]:
        """The inputs of the run, as run.json names them."""
        inputs = run_info(self.out).get("inputs", [])
        return [Path(str(p)) for p in inputs] if isinstance(inputs, list) else []

    def source(self, source_file: str) -> Path | None:
        """The file on disk behind a source_file of the outputs (None for container members)."""
        if " > " in source_file:
            return None
        return find_source(source_file, self.inputs())

    def inspect(self, source_file: str) -> Inspection | None:
        """How foialog reads one input file now, with the hints of OUT applied."""
        path = self.source(source_file)
        if path is None:
            return None
        return inspect_file(path, options=self.settings().read_options(), name=source_file)

    # --- decisions ---------------------------------------------------------------------------

    def recorded(self) -> dict[str, object]:
        """The run's settings as run.json keeps them ({} for a run that kept none)."""
        kept = run_info(self.out).get("settings")
        return dict(kept) if isinstance(kept, dict) else {}

    def decision_file(self, name: str) -> Path | None:
        """The hints or corrections file in force: OUT's own, else the one the run was given."""
        mine = self.out / name
        if mine.is_file():
            return mine
        given = self.recorded().get("hints" if name == HINTS else "corrections")
        return Path(str(given)) if given and Path(str(given)).is_file() else None

    def settings(self) -> Settings:
        """The settings a re-run uses: the run's own, with OUT's hints and corrections files."""
        recorded = self.recorded()
        carried: dict[str, object] = {k: recorded[k] for k in _CARRIED if k in recorded}
        roles = carried.get("roles")
        if isinstance(roles, list):
            carried["roles"] = tuple(str(r) for r in roles)
        return Settings.resolve(
            {
                **carried,
                "password": self.password,
                "hints": self.decision_file(HINTS),
                "corrections": self.decision_file(CORRECTIONS),
            }
        )

    def hints(self) -> list[str]:
        """The lines of hints.csv in words."""
        if self.decision_file(HINTS) is None:
            return []
        return [h.describe() for h in self.settings().parsed_hints]

    def add_hint(self, values: dict[str, str]) -> Hint:
        """Check a hint and append it to OUT/hints.csv."""
        clean = {k: (values.get(k) or "").strip() for k in FIELDS}
        hint = make_hint(clean, "the review app")
        path = self._own(HINTS)
        line = hints_csv([hint]).splitlines()[1]
        _append(path, ",".join(FIELDS), line)
        return hint

    def _own(self, name: str) -> Path:
        """OUT's hints or corrections file, started from the run's own file when it had one."""
        mine = self.out / name
        given = self.decision_file(name)
        if given is not None and given != mine:
            # The run's lines stay in force: the re-run reads OUT's file alone.
            mine.write_bytes(given.read_bytes())
        return mine

    def add_correction(self, action: str, name: str, value: str = "", note: str = "") -> str:
        """Check a corrections line and append it to OUT/corrections.csv; return the line."""
        if action not in ACTIONS:
            raise ReviewError(f"action {action!r} is unknown; choose one of {', '.join(ACTIONS)}")
        line = _csv_line([action, name, value, note])
        parse_corrections(f"{','.join(COLUMNS)}\n{line}", "the review app")
        _append(self._own(CORRECTIONS), ",".join(COLUMNS), line)
        return line

    def add_suggestion(self, suggestion: str) -> str:
        """Append a review.csv suggestion (a ready corrections line) to OUT/corrections.csv."""
        rows = list(csv.reader(io.StringIO(suggestion)))
        if len(rows) != 1 or not rows[0]:
            raise ReviewError(f"suggestion {suggestion!r} is not one corrections line")
        cells = [*rows[0], "", "", ""][:4]
        return self.add_correction(cells[0], cells[1], cells[2], cells[3] or "from review.csv")

    def verify(self, record_id: str, verdict: str, note: str = "") -> dict[str, str]:
        """Mark a record verified or wrong (or a review row accepted) in verifications.csv."""
        if verdict not in VERDICTS:
            raise ReviewError(
                f"verdict {verdict!r} is unknown; choose one of {', '.join(VERDICTS)}"
            )
        row = dict.fromkeys(VERIFICATION_COLUMNS, "")
        records = self.tables()["records"]
        found = records[records["record_id"] == record_id]
        if verdict != "accepted":
            if found.empty:
                raise ReviewError(f"record {record_id!r} is not in {self.out / 'records.csv'}")
            record = found.iloc[0]
            for column in ("source_file", "page", "row", "agency_raw", "count_raw", "date_raw"):
                value = record[column]
                row[column] = "" if pd.isna(value) else str(value)
        row.update(
            record_id=record_id,
            verdict=verdict,
            note=note,
            at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        )
        _append(
            self.out / VERIFICATIONS,
            ",".join(VERIFICATION_COLUMNS),
            _csv_line([row[c] for c in VERIFICATION_COLUMNS]),
        )
        return row

    def publish(self) -> None:
        """Write report.html and methodology.md again, with the verdicts of verifications.csv.

        One at a time: a later call waits, then writes with every verdict given so far.
        """
        from foialog.report import write_report

        with self._publishing:
            write_report(self.out, password=self.password)

    def verifications(self) -> dict[str, str]:
        """Each judged record's latest verdict, by record_id."""
        path = self.out / VERIFICATIONS
        if not path.is_file():
            return {}
        with path.open(encoding="utf-8", newline="") as handle:
            return {r["record_id"]: r["verdict"] for r in csv.DictReader(handle)}

    def rerun(self) -> None:
        """Run foialog again on the run's inputs with OUT's hints and corrections."""
        from foialog.pipeline import run

        inputs = self.inputs()
        missing = [str(p) for p in inputs if not p.exists()]
        if missing:
            raise ReviewError(
                f"the run's inputs are gone ({', '.join(missing)}); the decisions are saved in "
                f"{self.out}, re-run by hand once the inputs are back"
            )
        if self.recorded().get("password") and self.password is None:
            raise ReviewError(
                "the run opened encrypted files with a password, which is never recorded; the "
                f"decision is saved in {self.out}: start the app with `foialog review "
                f"{self.out} --password ...` so that its re-runs can open them too"
            )
        run(inputs, self.out, settings=self.settings())
        self._tables = None

    def command(self) -> Command:
        """The command that reproduces this folder's outputs, with every setting of the run."""
        return rerun_command(
            self.inputs(),
            self.out,
            self.recorded(),
            hints=self.decision_file(HINTS),
            corrections=self.decision_file(CORRECTIONS),
        )


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _append(path: Path, header: str, line: str) -> None:
    """Append one CSV line, writing the header first when the file is new."""
    new = not path.is_file() or path.stat().st_size == 0
    with path.open("a", encoding="utf-8", newline="") as handle:
        if new:
            handle.write(header + "\n")
        handle.write(line + "\n")
