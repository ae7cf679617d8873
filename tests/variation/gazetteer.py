"""Real agency names for the generators: the FBI agency list (name, ORI, state) in ../shared.

Read from the shared reference folder, not from foialog's own reference data, so that the
generated names are not chosen from what the reader already knows.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("FOIALOG_SHARED", ROOT.parent / "shared"))
FBI_AGENCIES = SHARED / "data" / "gazetteer" / "fbi_cde_agencies_2018.csv"

#: The FBI list's own state codes where they differ from the USPS / ISO 3166-2 ones.
_FBI_POSTAL = {"NB": "NE", "GM": "GU"}


@dataclass(frozen=True)
class GazetteerAgency:
    """One FBI-listed agency: its name, ORI, postal state (USPS), state name, county, type."""

    name: str
    ori: str
    state: str
    state_name: str
    county: str
    kind: str

    @property
    def region(self) -> str:
        """ISO 3166-2 subdivision code, e.g. US-MO."""
        return f"US-{self.state}"


class GazetteerMissing(FileNotFoundError):
    """The shared gazetteer is not where FOIALOG_SHARED points."""


@lru_cache(maxsize=1)
def fbi_agencies() -> tuple[GazetteerAgency, ...]:
    """Every agency of the FBI list with a name, an ORI and a two-letter state."""
    if not FBI_AGENCIES.exists():
        raise GazetteerMissing(
            f"{FBI_AGENCIES} is absent: set FOIALOG_SHARED to the shared/ folder holding "
            "data/gazetteer/fbi_cde_agencies_2018.csv"
        )
    found: list[GazetteerAgency] = []
    with FBI_AGENCIES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = " ".join(row["agency_name"].split())
            state = row["state_abbr"].strip()
            state = _FBI_POSTAL.get(state, state)
            if not name or not row["ori"] or len(state) != 2:
                continue
            found.append(
                GazetteerAgency(
                    name,
                    row["ori"].strip(),
                    state,
                    row["state_name"].strip(),
                    row["county_name"].strip().title(),
                    row["agency_type_name"].strip(),
                )
            )
    return tuple(found)


@lru_cache(maxsize=1)
def shared_names() -> dict[str, tuple[GazetteerAgency, ...]]:
    """Agency names that occur in two or more states, each with its agencies (one per state).

    Names that need no place to be read as a place-bound agency ("Police Department" of a
    city, "County Sheriff's Office") are what makes look-alikes; bare generic names such as
    "State Police" are left out because no document prints them without a place.
    """
    by_name: dict[str, dict[str, GazetteerAgency]] = defaultdict(dict)
    for agency in fbi_agencies():
        words = agency.name.split()
        if len(words) < 3 or ":" in agency.name:
            continue
        by_name[agency.name].setdefault(agency.state, agency)
    return {
        name: tuple(sorted(states.values(), key=lambda a: a.state))
        for name, states in sorted(by_name.items())
        if len(states) >= 2
    }


@lru_cache(maxsize=1)
def unique_names() -> tuple[GazetteerAgency, ...]:
    """Agencies whose name occurs once in the whole list (safe to print without a place)."""
    counts: dict[str, int] = defaultdict(int)
    for agency in fbi_agencies():
        counts[agency.name] += 1
    return tuple(
        a
        for a in fbi_agencies()
        if counts[a.name] == 1 and len(a.name.split()) >= 3 and ":" not in a.name
    )


@lru_cache(maxsize=1)
def state_names() -> dict[str, str]:
    """Postal code -> state name, for the states and territories the FBI list uses."""
    return {a.state: a.state_name for a in fbi_agencies() if a.state_name}
