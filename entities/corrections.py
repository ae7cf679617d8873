"""Reporter decisions kept in a plain CSV file and applied on every run."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from foialog.entities.classify import AGENCY_TYPES
from foialog.errors import CorrectionsError

#: What a correction line can do; see docs/foialog.entities.md for each one with an example.
ACTIONS = ("merge", "split", "rename", "set_type", "set_country", "link", "reject")
COLUMNS = ("action", "name", "value", "note")


@dataclass(frozen=True)
class Correction:
    """One line of a corrections file."""

    action: str
    #: A spelling as written in the documents, or an agency_id ("ag-...").
    name: str
    #: merge/split: the other spelling or agency_id; rename: the new name; set_type: a type;
    #: set_country: ISO country or region ("US-FL"); link: a reference_id; reject: empty.
    value: str
    note: str = ""
    line: int = 0

    def describe(self) -> str:
        """One line for the outputs, e.g. "merge: Polk Co. Sheriff -> Polk County FL SO"."""
        arrow = f" -> {self.value}" if self.value else ""
        return f"{self.action}: {self.name}{arrow}"


def parse_corrections(text: str, source: str = "corrections") -> list[Correction]:
    """Read corrections from CSV text; lines starting with # are comments."""
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = [h.strip().casefold() for h in reader.fieldnames or []]
    missing = [c for c in ("action", "name") if c not in header]
    if missing:
        raise CorrectionsError(
            f"{source}: the header must have the columns {', '.join(COLUMNS)} "
            f"(missing {', '.join(missing)}); see docs/foialog.entities.md for the format"
        )
    out: list[Correction] = []
    for number, row in enumerate(reader, start=2):
        cells = {(k or "").strip().casefold(): (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue
        correction = Correction(
            action=cells.get("action", "").casefold(),
            name=" ".join(cells.get("name", "").split()),
            value=" ".join(cells.get("value", "").split()),
            note=cells.get("note", ""),
            line=number,
        )
        _check(correction, source)
        out.append(correction)
    return out


def load_corrections(path: Path) -> list[Correction]:
    """Read a corrections CSV file (UTF-8, with or without a byte-order mark)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionsError(
            f"corrections file {path} cannot be read ({exc}); save it as UTF-8 CSV"
        ) from exc
    return parse_corrections(text, str(path))


def _check(c: Correction, source: str) -> None:
    """Raise with the file, line and fix when a correction cannot be applied."""
    where = f"{source} line {c.line}"
    if c.action not in ACTIONS:
        raise CorrectionsError(
            f"{where}: unknown action {c.action!r}; use one of {', '.join(ACTIONS)}"
        )
    if not c.name:
        raise CorrectionsError(f"{where}: name is empty; give a spelling or an agency_id")
    needs_value = c.action in ("merge", "rename", "set_type", "set_country", "link")
    if needs_value and not c.value:
        raise CorrectionsError(f"{where}: {c.action} needs a value; see docs/foialog.entities.md")
    if c.action == "set_type" and c.value not in AGENCY_TYPES:
        raise CorrectionsError(
            f"{where}: agency type {c.value!r} is not one of {', '.join(AGENCY_TYPES)}"
        )
    if c.action == "set_country":
        code = c.value.upper()
        country = code.split("-")[0]
        if len(country) != 2 or not country.isalpha():
            raise CorrectionsError(
                f"{where}: country {c.value!r} is not an ISO code like DE or US-FL"
            )
