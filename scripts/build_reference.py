"""Build entities/data/ from the gazetteer: FBI agencies, Federal Register agencies, Census places.

    .venv/bin/python scripts/build_reference.py [GAZETTEER_DIR]

GAZETTEER_DIR defaults to ../shared/data/gazetteer beside the repository. The output is
deterministic (sorted rows, fixed gzip time stamp), so a rebuild from the same inputs gives
byte-identical files and a clean git diff.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "entities" / "data"
VERSION = "2026.11.1"

REFERENCE_COLUMNS = (
    "reference_id", "name", "aliases", "acronyms", "agency_type", "country", "region",
    "county", "parent", "source",
)  # fmt: skip
PLACE_COLUMNS = ("name", "region", "type")

#: FBI CDE agency types to the project's agency_type (refined by name in foialog.entities.classify).
FBI_TYPES = {
    "City": "local police",
    "County": "sheriff",
    "State Police": "state police",
    "Other State Agency": "other government",
    "University or College": "university or school",
    "Tribal": "local police",
    "Other": "other government",
    "Federal": "federal",
}
#: The FBI writes Nebraska as NB and Guam as GM; ISO 3166-2 says NE and GU.
FBI_STATES = {"NB": "NE", "GM": "GU"}
STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
    "GU": "Guam", "VI": "Virgin Islands",
}  # fmt: skip
#: Census place types kept: the zcta (ZIP) and metro/micro rows name no jurisdiction.
PLACE_TYPES = {"city", "town", "village", "cdp", "borough", "county", "state"}


def fbi_rows(path: Path) -> list[dict[str, str]]:
    """One reference row per FBI CDE agency, keyed by ORI."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for r in frame.itertuples(index=False):
        state = FBI_STATES.get(r.state_abbr, r.state_abbr)
        name = r.agency_name.strip()
        aliases = []
        # State bodies are written with the state in front ("Texas Department of Public Safety").
        if r.agency_type_name in ("State Police", "Other State Agency") and state in STATE_NAMES:
            head = name.split(":")[0].strip()
            if not head.startswith(STATE_NAMES[state]):
                aliases.append(f"{STATE_NAMES[state]} {head}")
        rows.append(
            {
                "reference_id": r.ori,
                "name": name,
                "aliases": "|".join(aliases),
                "acronyms": "",
                "agency_type": FBI_TYPES.get(r.agency_type_name, "other government"),
                "country": "US",
                "region": f"US-{state}" if state else "",
                "county": r.county_name.title() if r.county_name not in ("", "0.0") else "",
                "parent": "",
                "source": "fbi-cde",
            }
        )
    return rows


def federal_register_rows(path: Path) -> list[dict[str, str]]:
    """One reference row per Federal Register agency, with its acronym and parent."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    slug_of = dict(zip(frame["id"], frame["slug"], strict=True))
    return [
        {
            "reference_id": f"fr:{r.slug}",
            "name": r.name.strip(),
            "aliases": "",
            "acronyms": r.short_name.strip(),
            "agency_type": "federal",
            "country": "US",
            "region": "",
            "county": "",
            "parent": f"fr:{slug_of[r.parent_id]}" if r.parent_id in slug_of else "",
            "source": "federal-register",
        }
        for r in frame.itertuples(index=False)
        if r.name.strip()
    ]


def place_rows(path: Path) -> list[dict[str, str]]:
    """US places with their state: cities, towns, villages, CDPs, boroughs, counties."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for r in frame.itertuples(index=False):
        if r.type not in PLACE_TYPES or "," not in r.name:
            continue
        name, _, state = r.name.rpartition(",")
        state = state.strip()
        if state not in STATE_NAMES:
            continue
        rows.append({"name": name.strip(), "region": f"US-{state}", "type": r.type})
    return rows


def write_csv_gz(rows: list[dict[str, str]], columns: tuple[str, ...], path: Path) -> None:
    """Write sorted rows as gzipped CSV with a fixed time stamp (byte-reproducible)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: tuple(r[c] for c in columns)))
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text.getvalue().encode())


def md5(path: Path) -> str:
    """MD5 of a file, as SOURCES.tsv records it."""
    return hashlib.md5(path.read_bytes()).hexdigest()


def main(gazetteer: Path) -> None:
    """Read the gazetteer and write reference.csv.gz, places.csv.gz and manifest.json."""
    fbi = gazetteer / "fbi_cde_agencies_2018.csv"
    fedreg = gazetteer / "federal_register_agencies_2016.csv"
    places = gazetteer / "census_places_faraday.csv"
    reference = fbi_rows(fbi) + federal_register_rows(fedreg)
    place = place_rows(places)
    OUT.mkdir(parents=True, exist_ok=True)
    write_csv_gz(reference, REFERENCE_COLUMNS, OUT / "reference.csv.gz")
    write_csv_gz(place, PLACE_COLUMNS, OUT / "places.csv.gz")
    manifest = {
        "version": VERSION,
        "build": "python scripts/build_reference.py ../shared/data/gazetteer",
        "sources": {p.name: md5(p) for p in (fbi, fedreg, places)},
        "rows": {"reference.csv.gz": len(reference), "places.csv.gz": len(place)},
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {len(reference)} reference rows and {len(place)} places to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/gazetteer")
