"""The reference lists shipped in entities/data: FBI, Federal Register, curated bodies, places."""

from __future__ import annotations

import csv
import gc
import gzip
import hashlib
import io
import json
import logging
import os
import pickle
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from foialog.entities.normalise import ABBREVIATIONS, ParsedName, fold, initials, parse_name
from foialog.errors import ReadError

DATA = Path(__file__).parent / "data"

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """One agency of a reference list."""

    reference_id: str
    name: str
    aliases: tuple[str, ...]
    acronyms: tuple[str, ...]
    agency_type: str
    country: str
    region: str
    county: str = ""
    parent: str = ""
    source: str = ""
    #: The body's own name in its language, when the curated list gives one.
    native_name: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class NameRow:
    """One written name of a reference entry, parsed once."""

    entry: int
    parsed: ParsedName


@dataclass
class Block:
    """The parsed names of the entries of one jurisdiction, indexed by key."""

    names: list[NameRow] = field(default_factory=list)
    by_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: Names that state a kind, by their place part ("polk county" of the sheriff's office).
    by_place: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class Reference:
    """Reference entries indexed by id, acronym and jurisdiction; names parsed on first use."""

    entries: list[Entry]
    version: str
    by_id: dict[str, int] = field(default_factory=dict)
    by_acronym: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    members: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    _blocks: dict[tuple[str, str], Block] = field(default_factory=dict)
    _keys: dict[str, list[NameRow]] | None = None
    _initials: dict[str, list[int]] | None = None
    _spaces: dict[tuple[tuple[str, str], ...], dict[str, tuple[list[NameRow], list[str]]]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        for i, entry in enumerate(self.entries):
            self.by_id[entry.reference_id] = i
            self.members[(entry.country, entry.region)].append(i)
            for acronym in entry.acronyms:
                self.by_acronym[acronym.casefold().replace(".", "")].append(i)

    def block(self, country: str, region: str) -> Block:
        """The parsed names of entries with exactly this country and region."""
        found = self._blocks.get((country, region))
        if found is None:
            found = Block()
            for i in self.members.get((country, region), []):
                for name in self.entries[i].names:
                    parsed = parse_name(name)
                    if parsed.key:
                        found.by_key[parsed.key].append(len(found.names))
                        if parsed.kind:
                            found.by_place[parsed.place].append(len(found.names))
                        found.names.append(NameRow(i, parsed))
            self._blocks[(country, region)] = found
        return found

    def by_key(self) -> dict[str, list[NameRow]]:
        """Every reference name by key (built on first use: it parses the whole list)."""
        if self._keys is None:
            index: dict[str, list[NameRow]] = defaultdict(list)
            for country, region in list(self.members):
                for row in self.block(country, region).names:
                    index[row.parsed.key].append(row)
            self._keys = index
        return self._keys

    def by_initials(self) -> dict[str, list[int]]:
        """Entries by the acronym forms of their names' words ("lapd", "sbcsd"), built once."""
        if self._initials is None:
            index: dict[str, set[int]] = defaultdict(set)
            for rows in self.by_key().values():
                for row in rows:
                    if 2 <= len(row.parsed.words) <= 10:
                        for form in initials(row.parsed.words):
                            index[form].add(row.entry)
            self._initials = {k: sorted(v) for k, v in index.items()}
        return self._initials

    def search_space(
        self, blocks: tuple[tuple[str, str], ...], initial: str = ""
    ) -> tuple[list[NameRow], list[str]]:
        """Names of several jurisdictions and their keys, for fuzzy search (cached).

        With ``initial``, only names whose place (or key, when they state no kind) starts
        with that letter: near spellings share their first letter, and a local agency differs
        from its neighbours by place.
        """
        spaces = self._spaces.get(blocks)
        if spaces is None:
            rows = [row for c, r in blocks for row in self.block(c, r).names]
            spaces = {"": (rows, [row.parsed.key for row in rows])}
            by_initial: dict[str, list[NameRow]] = defaultdict(list)
            for row in rows:
                text = row.parsed.place or row.parsed.key
                by_initial[("k" if row.parsed.kind else "n") + text[:1]].append(row)
            for letter, group in by_initial.items():
                spaces[letter] = (group, [row.parsed.key for row in group])
            self._spaces[blocks] = spaces
        return spaces.get(initial, ([], [])) if initial else spaces[""]

    @cached_property
    def _national(self) -> list[tuple[str, str]]:
        return [(c, r) for c, r in self.members if c != "US" or not r]

    def national_blocks(self) -> list[tuple[str, str]]:
        """Jurisdictions searched for a name that states no country: all but US localities."""
        return self._national

    def countries(self) -> list[str]:
        """Every country code with entries ("" for international bodies)."""
        return sorted({c for c, _ in self.members})

    def regions(self, country: str) -> list[str]:
        """The regions of a country that have entries ("" for national bodies)."""
        return sorted({r for c, r in self.members if c == country})

    def entry(self, reference_id: str) -> Entry | None:
        """The entry with this id, or None."""
        i = self.by_id.get(reference_id)
        return self.entries[i] if i is not None else None


def _rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV or gzipped CSV file as dicts of text."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(
            f"reference data {path} cannot be read ({exc}); "
            "rebuild it with: python scripts/build_reference.py"
        ) from exc
    text = gzip.decompress(raw).decode() if path.suffix == ".gz" else raw.decode()
    return list(csv.DictReader(io.StringIO(text)))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def load_entries(data: Path = DATA) -> tuple[list[Entry], str]:
    """Read the derived lists and the curated list; curated rows amend derived ones by id."""
    entries: dict[str, Entry] = {}
    for row in _rows(data / "reference.csv.gz"):
        entries[row["reference_id"]] = Entry(
            reference_id=row["reference_id"],
            name=row["name"],
            aliases=_split(row["aliases"]),
            acronyms=_split(row["acronyms"]),
            agency_type=row["agency_type"],
            country=row["country"],
            region=row["region"],
            county=row["county"],
            parent=row["parent"],
            source=row["source"],
        )
    for row in _rows(data / "curated_agencies.csv"):
        rid = row["reference_id"]
        known = entries.get(rid)
        aliases = [row["native_name"], *_split(row["aliases"])]
        if known is not None:
            aliases += [known.name, *known.aliases]
        name = row["name"]
        entries[rid] = Entry(
            reference_id=rid,
            name=name,
            aliases=tuple(dict.fromkeys(a for a in aliases if a and a != name)),
            acronyms=_split(row["acronyms"]),
            agency_type=row["agency_type"],
            country=row["country"],
            region=row["region"],
            county=known.county if known else "",
            parent=row["parent"],
            source="curated",
            native_name=row["native_name"],
        )
    manifest = json.loads((data / "manifest.json").read_text())
    return list(entries.values()), str(manifest["version"])


@cache
def load_reference() -> Reference:
    """The shipped reference data, parsed and indexed once per process."""
    return _index().reference


def warm_up() -> None:
    """Load the reference and index all its names now, not at the first lookup.

    A run calls this while its worker processes read the files, so that the time it takes
    is not added after them.
    """
    load_reference().by_initials()
    us_places()
    us_counties()


#: Place maps: folded name -> the regions that have a place (or county) of that name.
PlaceMap = dict[str, frozenset[str]]


@dataclass
class _Indexed:
    """The reference with every name parsed and indexed, and the US place maps."""

    reference: Reference
    places: PlaceMap
    counties: PlaceMap


#: The files the index is built from: a change to any of them builds it again.
_INDEX_DATA = ("reference.csv.gz", "curated_agencies.csv", "places.csv.gz", "manifest.json")
_INDEX_PREFIX = "reference-index-"


@cache
def _index() -> _Indexed:
    """The indexed reference, read from the per-user cache folder when it is current there.

    Parsing every reference name and the Census places took most of the 1.6 CPU-s a run's
    warm-up cost; the pickled result loads in about a tenth of that. The file is named by a
    hash of the data and of this package's code (which decides how names are parsed), so a
    change to either builds it again. It lives in the user's cache folder, never in the
    package (which may be read-only or shared between users); a cache folder that cannot be
    written is no error, only slower.
    """
    folder = cache_folder()
    if folder is None:
        _log.debug("no per-user cache folder (no home folder): reference index built in memory")
        return _build_index()
    path = folder / f"{_INDEX_PREFIX}{_index_key(DATA)}.pickle"
    loaded = _load_index(path)
    if loaded is not None:
        return loaded
    indexed = _build_index()
    _save_index(indexed, path)
    return indexed


def cache_folder() -> Path | None:
    """foialog's per-user cache folder (the folder itself may not exist yet); None if no home.

    $XDG_CACHE_HOME/foialog when that variable holds an absolute path (on any system),
    else the platform's: %LOCALAPPDATA%/foialog/Cache, ~/Library/Caches/foialog or
    ~/.cache/foialog. Written by hand: platformdirs is not one of foialog's dependencies.
    """
    xdg = Path(os.environ.get("XDG_CACHE_HOME", ""))
    if xdg.is_absolute():
        return xdg / "foialog"
    local = Path(os.environ.get("LOCALAPPDATA", ""))
    if sys.platform == "win32" and local.is_absolute():
        return local / "foialog" / "Cache"
    try:
        home = Path.home()
    except RuntimeError:  # no HOME and no password-database entry
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "foialog"
    return home / ".cache" / "foialog"


def _build_index() -> _Indexed:
    """Parse and index every reference name and read the US place maps."""
    entries, version = load_entries()
    reference = Reference(entries=entries, version=version)
    reference.by_initials()  # parses and indexes every name
    return _Indexed(reference, *_read_place_maps())


def _index_key(data: Path) -> str:
    """A hash of the index's data files, of this package's code and of the Python version."""
    digest = hashlib.sha256(f"{sys.version_info[:2]} {pickle.HIGHEST_PROTOCOL}".encode())
    code = sorted(Path(__file__).parent.glob("*.py"))
    for path in [*(data / name for name in _INDEX_DATA), *code]:
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:
            digest.update(path.name.encode() + b"\0missing")
    return digest.hexdigest()[:24]


def _load_index(path: Path) -> _Indexed | None:
    """The index pickled at ``path``; None when it is missing or cannot be read."""
    loaded = load_pickled(path)
    return loaded if isinstance(loaded, _Indexed) else None


def _save_index(indexed: _Indexed, path: Path) -> None:
    """Pickle the index to ``path`` atomically and remove older ones; skip an unwritable folder."""
    save_pickled(indexed, path, _INDEX_PREFIX, "reference index")


def load_pickled(path: Path) -> object:
    """What is pickled at ``path`` in the cache folder; None when it is missing or unreadable."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    # Unpickling makes a few hundred thousand objects: the cyclic collector, run again and
    # again as they are made, took four times as long as the loading itself.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(raw)
    except Exception:  # a file cut short or from other code: build it again
        return None
    finally:
        if enabled:
            gc.enable()


def save_pickled(value: object, path: Path, prefix: str, what: str) -> None:
    """Pickle ``value`` to ``path`` atomically, removing older ``prefix`` files; skip on error."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    except OSError as exc:
        _log.debug("%s not cached: cannot write in %s (%s)", what, path.parent, exc)
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        _log.debug("%s not cached: cannot write %s (%s)", what, path, exc)
        return
    for old in path.parent.glob(f"{prefix}*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)


def us_places() -> dict[str, frozenset[str]]:
    """Folded US place names (cities, towns, counties) to the regions that have one."""
    return _us_place_maps()[0]


#: Place-name abbreviations a parsed name expands ("St. Charles" is "saint charles" there).
PLACE_WORDS = {w: ABBREVIATIONS[w] for w in ("st", "ste", "ft", "mt", "pt")}


def place_key(name: str) -> str:
    """A Census place name folded and expanded as parsed agency names are."""
    return " ".join(PLACE_WORDS.get(w, w) for w in fold(name).split())


#: Words that end a US county or county-equivalent's name in the Census list.
COUNTY_WORDS = ("county", "parish", "borough", "census area", "municipality", "city and borough")


def us_counties() -> dict[str, frozenset[str]]:
    """Folded US county and county-equivalent names ("jefferson parish") to their regions."""
    return _us_place_maps()[1]


def _us_place_maps() -> tuple[PlaceMap, PlaceMap]:
    """us_places and us_counties, from the index."""
    indexed = _index()
    return indexed.places, indexed.counties


def _read_place_maps() -> tuple[PlaceMap, PlaceMap]:
    """us_places and us_counties, from one reading of the Census list (it was read twice)."""
    places: dict[str, set[str]] = defaultdict(set)
    counties: dict[str, set[str]] = defaultdict(set)
    for row in _rows(DATA / "places.csv.gz"):
        folded = fold(row["name"])
        key = " ".join(PLACE_WORDS.get(w, w) for w in folded.split())  # place_key, folded once
        places[folded].add(row["region"])
        places[key].add(row["region"])
        if row["type"] == "county" and key.endswith(COUNTY_WORDS):
            counties[key].add(row["region"])
    return (
        {k: frozenset(v) for k, v in places.items()},
        {k: frozenset(v) for k, v in counties.items()},
    )
