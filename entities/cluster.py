"""Cluster distinct mentions into agencies: links, exact keys, acronyms, then fuzzy blocks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz, process

from foialog.entities.compare import MERGE_AT, REVIEW_AT, acronym_of, similarity
from foialog.entities.link import Link, Place, county_regions, link, place_of_mention
from foialog.entities.mention import Mention
from foialog.entities.normalise import ABBREVIATIONS, ParsedName, initials, parse_name
from foialog.entities.reference import Reference, load_reference, us_counties, us_places

#: Largest block compared all-against-all; bigger ones are split by kind and first letter.
MAX_BLOCK = 2500


@dataclass(frozen=True)
class Node:
    """One distinct mention, parsed, placed and linked."""

    mention: Mention
    parsed: ParsedName
    country: str
    region: str
    link: Link
    #: Which clue placed it (see link.Place), "" when none did.
    place_source: str = ""
    #: "country" or "region" when the name, unplaced, fits agencies of several countries or
    #: regions (two Bundeskriminalamts, a dozen Springfield police departments); else "".
    vague: str = ""
    #: Those places, (country, region), when vague.
    namesakes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Pair:
    """Two nodes that came close but were not merged (or merged on weak evidence)."""

    a: int
    b: int
    score: float
    reason: str


@dataclass
class Clusters:
    """Union-find over nodes that refuses merges across jurisdictions or reference entries."""

    nodes: list[Node]
    parent: list[int] = field(default_factory=list)
    refs: list[set[str]] = field(default_factory=list)
    regions: list[set[str]] = field(default_factory=list)
    countries: list[set[str]] = field(default_factory=list)
    #: Per root: the strongest Node.vague of its members while it has no region.
    vague: list[str] = field(default_factory=list)
    uncertain: list[Pair] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.parent = list(range(len(self.nodes)))
        self.refs = [{n.link.reference_id} - {""} for n in self.nodes]
        self.regions = [region_marks(n) for n in self.nodes]
        self.countries = [{n.country} - {""} for n in self.nodes]
        self.vague = [n.vague for n in self.nodes]

    def find(self, i: int) -> int:
        """The root of i's cluster."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflict(self, a: int, b: int) -> str:
        """Why the clusters of a and b must stay apart, or ""."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ""
        if self.refs[ra] and self.refs[rb] and self.refs[ra] != self.refs[rb]:
            return "different reference entries"
        if self.refs[ra] and self.refs[ra] == self.refs[rb]:
            return ""  # one entry is one agency: the FBI's rows in Missouri and in Texas
        if self.countries[ra] and self.countries[rb] and self.countries[ra] != self.countries[rb]:
            return "different countries"
        if self.regions[ra] and self.regions[rb] and self.regions[ra] != self.regions[rb]:
            return "different regions"
        if self._unsure_of(ra, rb) or self._unsure_of(rb, ra):
            return "the name fits several places and its rows give none"
        return ""

    def _unsure_of(self, root: int, other: int) -> bool:
        """True when root's name fits several places and other is placed at that level."""
        level = self.vague[root]
        if level == "region":
            return bool(self.regions[other])
        return level == "country" and bool(self.countries[other] or self.regions[other])

    def union(self, a: int, b: int, *, force: bool = False) -> bool:
        """Merge the clusters of a and b unless a veto applies (force: a reporter's merge)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and self.conflict(a, b):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.refs[ra] |= self.refs[rb]
        self.regions[ra] |= self.regions[rb]
        self.countries[ra] |= self.countries[rb]
        self.vague[ra] = _stronger(self.vague[ra], self.vague[rb]) if not self.regions[ra] else ""
        return True

    def detach(self, members: Iterable[int]) -> None:
        """Take nodes out of their clusters into one new cluster of their own."""
        moving = set(members)
        roots = [self.find(i) for i in range(len(self.nodes))]
        for i in range(len(self.nodes)):
            self.parent[i] = i
        keep: dict[int, int] = {}
        for i, root in enumerate(roots):
            if i in moving:
                continue
            keep.setdefault(root, i)
            self.parent[i] = keep[root]
        first = min(moving) if moving else -1
        for i in moving:
            self.parent[i] = first
        for i in range(len(self.nodes)):
            self.refs[i], self.regions[i], self.countries[i] = set(), set(), set()
            self.vague[i] = ""
        for i, n in enumerate(self.nodes):
            r = self.find(i)
            self.refs[r] |= {n.link.reference_id} - {""}
            self.regions[r] |= region_marks(n)
            self.countries[r] |= {n.country} - {""}
            self.vague[r] = _stronger(self.vague[r], n.vague)
        for r in range(len(self.nodes)):
            if self.regions[r]:
                self.vague[r] = ""

    def labels(self) -> list[int]:
        """The root of every node."""
        return [self.find(i) for i in range(len(self.nodes))]


def region_marks(node: Node) -> set[str]:
    """The region a node's cluster is in, for vetoes: its region, or the place its row wrote
    and nobody could read ("?süd carolina": apart from every placed namesake, and from the
    rows that state no place, unless the name is unique)."""
    if node.region:
        return {node.region}
    return {f"?{node.mention.place_raw}"} if node.mention.place_raw else set()


def _stronger(a: str, b: str) -> str:
    """The wider of two vagueness levels: country over region over none."""
    return a if _LEVELS.index(a) >= _LEVELS.index(b) else b


_LEVELS = ("", "region", "country")


def namesakes(
    parsed: ParsedName, found: Link, country: str, ref: Reference
) -> tuple[tuple[str, str], ...]:
    """Places (country, region) of the agencies an unplaced name may be, best first.

    The reference entries the link found equally good, then, for an unlinked police
    department or sheriff's office, the states with a Census place or county of its name.
    """
    places: dict[tuple[str, str], None] = {}
    if found.method == "ambiguous":
        for rid, _ in found.candidates:
            entry = ref.entry(rid)
            if entry is not None:
                places[(entry.country, entry.region)] = None
    short = parsed.acronym or (parsed.key if _has_acronym(parsed) else "")
    if short and not found.reference_id:
        # An acronym no list gives ("LCSO") is the initials of every agency whose name makes
        # it: Lowndes, Lee, Lake ... County Sheriff's Office.
        for i in ref.by_initials().get(short, ()):
            entry = ref.entries[i]
            places[(entry.country, entry.region)] = None
    if not found.reference_id and country in ("", "US") and parsed.place:
        regions: frozenset[str] = frozenset()
        if parsed.kind == "police":
            regions = us_places().get(parsed.place, frozenset())
        elif parsed.kind == "sheriff":
            regions = county_regions(parsed) or us_counties().get(
                f"{parsed.place} county", frozenset()
            )
        for region in sorted(regions):
            places[("US", region)] = None
    return tuple(p for p in places if not country or p[0] == country)


def vagueness(country: str, region: str, places: Sequence[tuple[str, str]]) -> str:
    """How an unplaced name is vague: "country", "region" or "" (see Node.vague)."""
    if region or len(places) < 2:
        return ""
    if not country and len({c for c, _ in places}) > 1:
        return "country"
    return "region" if len({r for _, r in places}) > 1 else ""


def make_nodes(mentions: Sequence[Mention], ref: Reference | None = None) -> list[Node]:
    """Parse, place and link each distinct mention."""
    ref = ref or load_reference()
    parsed = [parse_name(m.raw) for m in mentions]
    places = [place_of_mention(m, p) for m, p in zip(mentions, parsed, strict=True)]
    places = _placed_by_domain(mentions, parsed, places)
    nodes = []
    for m, p, place in zip(mentions, parsed, places, strict=True):
        placed = (
            m if place.region == m.region or not place.region else replace(m, region=place.region)
        )
        found = link(placed, ref)
        entry = ref.entry(found.reference_id) if found.reference_id else None
        if entry is not None and entry.region and not place.region:
            # A spelling only one entry bears ("Portland Police Bureau": Oregon's) is where
            # that entry is, so its unplaced namesakes stay apart from it.
            place = Place(entry.country, entry.region, "reference")
        sakes = namesakes(p, found, place.country, ref) if not place.region else ()
        level = vagueness(place.country, place.region, sakes)
        nodes.append(
            Node(
                m,
                p,
                place.country,
                place.region,
                found,
                place.source,
                level,
                sakes if level else (),
            )
        )
    return nodes


def _placed_by_domain(
    mentions: Sequence[Mention], parsed: Sequence[ParsedName], places: list[Place]
) -> list[Place]:
    """An unplaced spelling takes the one region that placed spellings of the same key and
    the same email domain have ("Polk Co. Sheriff" at polksheriff.org beside "Polk County FL
    SO" at polksheriff.org)."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m, p, place in zip(mentions, parsed, places, strict=True):
        if m.email_domain and p.key:
            seen[(m.email_domain, p.key)].add(place.region)
    out = list(places)
    for i, (m, p, place) in enumerate(zip(mentions, parsed, places, strict=True)):
        if place.region or not m.email_domain:
            continue
        regions = seen.get((m.email_domain, p.key), set()) - {""}
        if len(regions) == 1:
            region = next(iter(regions))
            if not place.country or region.startswith(place.country + "-"):
                out[i] = Place(region.split("-")[0], region, "email domain (other rows)")
    return out


def cluster(nodes: list[Node]) -> Clusters:
    """Group nodes: same reference entry, same key, acronyms, then near spellings."""
    c = Clusters(nodes)
    by_ref: dict[str, int] = {}
    for i, n in enumerate(nodes):
        if n.link.reference_id:
            c.union(by_ref.setdefault(n.link.reference_id, i), i)
    by_key: dict[tuple[str, str, str], int] = {}
    for i, n in enumerate(nodes):
        if n.parsed.key:
            c.union(by_key.setdefault((n.parsed.key, n.country, n.region), i), i)
    _attach_unplaced(c, by_ref)
    _attach_by_candidates(c, by_ref)
    _acronyms(c)
    _fuzzy(c)
    return c


def _attach_unplaced(c: Clusters, by_ref: dict[str, int]) -> None:
    """A mention with no region (then no country) joins the one placed cluster of its key,
    unless its name fits several places (then it stays apart and is queued for review)."""
    for level in ("region", "country"):
        placed: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(c.nodes):
            if getattr(n, level):
                placed[n.parsed.key].append(i)
        for i, n in enumerate(c.nodes):
            if getattr(n, level) or not n.parsed.key or n.link.reference_id:
                continue
            fits = [
                j
                for j in placed.get(n.parsed.key, [])
                if not n.country or c.nodes[j].country == n.country
            ]
            roots = {c.find(j) for j in fits} - {c.find(i)}
            named = {rid for rid, _ in n.link.candidates if rid in by_ref}
            if len(roots) == 1 and len(named) <= 1 and c.union(next(iter(roots)), i):
                continue
            for j in sorted(roots):
                c.uncertain.append(Pair(i, j, 0.5, _NOT_PLACED))


#: Why an unplaced name was kept apart from a placed namesake.
_NOT_PLACED = "not merged: the name fits several places and its rows give none"


def _attach_by_candidates(c: Clusters, by_ref: dict[str, int]) -> None:
    """An ambiguous link settles on the one candidate that the inputs also name, when all
    its candidates lie in one place or the mention is placed."""
    for i, n in enumerate(c.nodes):
        if n.link.reference_id or n.link.method != "ambiguous":
            continue
        present = {c.find(by_ref[rid]) for rid, _ in n.link.candidates if rid in by_ref}
        present.discard(c.find(i))
        if len(present) == 1:
            j = next(iter(present))
            if c.union(j, i):
                c.uncertain.append(Pair(i, j, 0.9, "merged: the one candidate named elsewhere"))
            else:
                c.uncertain.append(Pair(i, j, 0.5, _NOT_PLACED))


def _has_acronym(parsed: ParsedName) -> bool:
    """A short name with an acronym in it ("Texas DPS"), not a shouted or abbreviated one."""
    if not 2 <= len(parsed.words) <= 3 or parsed.raw.isupper():
        return False
    return any(
        2 <= len(w) <= 6 and w.isupper() and w.casefold() not in ABBREVIATIONS
        for w in parsed.raw.replace(".", "").split()
    )


def _acronyms(c: Clusters) -> None:
    """An unlinked acronym joins the one cluster whose name it abbreviates, if only one."""
    queries = {
        i: n.parsed.acronym or (n.parsed.key if _has_acronym(n.parsed) else "")
        for i, n in enumerate(c.nodes)
        if not n.link.reference_id
    }
    queries = {i: q for i, q in queries.items() if q}
    if not queries:
        return
    wanted = set(queries.values())
    by_initials: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(c.nodes):
        if 2 <= len(n.parsed.words) <= 10:
            for form in initials(n.parsed.words) & wanted:
                by_initials[form].append(i)
    for i, short in queries.items():
        n = c.nodes[i]
        fits = [
            j
            for j in by_initials.get(short, [])
            if j != i and not c.conflict(i, j) and acronym_of(n.parsed, c.nodes[j].parsed)
        ]
        by_root = {c.find(j): j for j in sorted(fits, reverse=True)}
        by_root.pop(c.find(i), None)
        if len(by_root) == 1:
            j = next(iter(by_root.values()))
            if c.union(j, i):
                # The evidence, kept for review.csv: which rule and which spelling.
                why = f"merged: acronym, the initials of {c.nodes[j].mention.raw!r}"
                c.uncertain.append(Pair(i, j, 0.95, why))
        elif len(by_root) > 1:
            for j in sorted(by_root.values())[:3]:
                c.uncertain.append(Pair(i, j, 0.9, "acronym fits several agencies"))


def _blocks(c: Clusters) -> list[list[int]]:
    """Blocks compared all-against-all: same country, region and first letter of the place."""
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, n in enumerate(c.nodes):
        if n.parsed.key:
            first = (n.parsed.place or n.parsed.key)[:1]
            blocks[(n.country, n.region, first)].append(i)
    return [
        members[k : k + MAX_BLOCK]
        for members in blocks.values()
        for k in range(0, len(members), MAX_BLOCK)
    ]


def _place(parsed: ParsedName) -> str:
    """What a fuzzy comparison looks at: the place part, or the key when there is none."""
    return parsed.place or parsed.key


def _fuzzy(c: Clusters) -> None:
    """Near spellings in the same block merge when no veto applies."""
    for block in _blocks(c):
        # Two linked names are already together, or kept apart by their entries: only
        # unlinked names need comparing, against every name of the block.
        queries = [i for i in block if not c.nodes[i].link.reference_id]
        if not queries or len(block) < 2:
            continue
        # Places, not whole keys: "Springdale Police" and "Springfield Police" share a long
        # tail that would pass every pair of a state through the checks below.
        scores = process.cdist(
            [_place(c.nodes[i].parsed) for i in queries],
            [_place(c.nodes[i].parsed) for i in block],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=REVIEW_AT,
            dtype=np.uint8,
            workers=2,
        )
        rows, cols = np.nonzero(scores)
        for r, col in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = queries[r], block[col]
            if a == b or c.find(a) == c.find(b):
                continue
            score = similarity(c.nodes[a].parsed, c.nodes[b].parsed)
            if score >= MERGE_AT and c.union(a, b):
                if score < 100:
                    c.uncertain.append(Pair(a, b, score / 100, "merged: near spelling"))
            elif score >= REVIEW_AT:
                c.uncertain.append(Pair(a, b, score / 100, "not merged: near spelling"))
