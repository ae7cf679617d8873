"""Agency ids: group raw names by key within a jurisdiction, stable across re-runs."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from entities.normalise import name_key


@dataclass(frozen=True)
class Mention:
    """An agency name as written, with the place the same row gives."""

    raw: str
    country: str = ""
    region: str = ""


@dataclass(frozen=True)
class Agency:
    """A group of mentions judged to be one agency."""

    agency_id: str
    name: str
    country: str
    region: str
    variants: tuple[str, ...]


def agency_id(key: str, country: str, region: str) -> str:
    """Return a short id that depends only on the key and the jurisdiction."""
    digest = hashlib.sha1(f"{key}|{country}|{region}".encode()).hexdigest()
    return f"ag-{digest[:10]}"


def group_mentions(mentions: Iterable[Mention]) -> dict[Mention, Agency]:
    """Map each mention to its agency; different countries or regions never merge."""
    # A mention with no region joins the one regional group of its key when there is exactly one.
    groups: dict[tuple[str, str, str], Counter[Mention]] = {}
    for m in mentions:
        if not m.raw.strip():
            continue
        groups.setdefault((name_key(m.raw), m.country, m.region), Counter())[m] += 1
    regional: dict[tuple[str, str], set[str]] = {}
    for key, country, region in groups:
        if region:
            regional.setdefault((key, country), set()).add(region)
    merged: dict[tuple[str, str, str], Counter[Mention]] = {}
    for (key, country, region), members in groups.items():
        target_region = region
        if not region and len(regional.get((key, country), set())) == 1:
            target_region = next(iter(regional[(key, country)]))
        merged.setdefault((key, country, target_region), Counter()).update(members)
    result: dict[Mention, Agency] = {}
    for (key, country, region), members in sorted(merged.items()):
        names = Counter[str]()
        for m, n in members.items():
            names[m.raw.strip()] += n
        # The most frequent spelling names the agency; ties go to the longest, then alphabetical.
        name = sorted(names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        agency = Agency(
            agency_id=agency_id(key, country, region),
            name=name,
            country=country,
            region=region,
            variants=tuple(sorted(names)),
        )
        for m in members:
            result[m] = agency
    return result
