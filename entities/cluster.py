"""Cluster distinct mentions into agencies: links, exact keys, acronyms, then fuzzy blocks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from entities.compare import MERGE_AT, REVIEW_AT, acronym_of, similarity
from entities.link import Link, jurisdiction, link
from entities.mention import Mention
from entities.normalise import ABBREVIATIONS, ParsedName, initials, parse_name
from entities.reference import Reference, load_reference

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
    uncertain: list[Pair] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.parent = list(range(len(self.nodes)))
        self.refs = [{n.link.reference_id} - {""} for n in self.nodes]
        self.regions = [{n.region} - {""} for n in self.nodes]
        self.countries = [{n.country} - {""} for n in self.nodes]

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
        if self.countries[ra] and self.countries[rb] and self.countries[ra] != self.countries[rb]:
            return "different countries"
        if self.regions[ra] and self.regions[rb] and self.regions[ra] != self.regions[rb]:
            return "different regions"
        return ""

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
        for i, n in enumerate(self.nodes):
            r = self.find(i)
            self.refs[r] |= {n.link.reference_id} - {""}
            self.regions[r] |= {n.region} - {""}
            self.countries[r] |= {n.country} - {""}

    def labels(self) -> list[int]:
        """The root of every node."""
        return [self.find(i) for i in range(len(self.nodes))]


def make_nodes(mentions: Sequence[Mention], ref: Reference | None = None) -> list[Node]:
    """Parse, place and link each distinct mention."""
    ref = ref or load_reference()
    nodes = []
    for m in mentions:
        parsed = parse_name(m.raw)
        country, region = jurisdiction(m, parsed)
        nodes.append(Node(m, parsed, country, region, link(m, ref)))
    return nodes


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
    unless the reference knows namesakes that the inputs also name (two Bundeskriminalamts)."""
    for level in ("region", "country"):
        placed: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(c.nodes):
            if getattr(n, level):
                placed[n.parsed.key].append(i)
        for i, n in enumerate(c.nodes):
            if getattr(n, level) or not n.parsed.key or n.link.reference_id:
                continue
            named = {rid for rid, _ in n.link.candidates if rid in by_ref}
            if len(named) > 1:
                continue
            fits = [
                j
                for j in placed.get(n.parsed.key, [])
                if not n.country or c.nodes[j].country == n.country
            ]
            roots = {c.find(j) for j in fits} - {c.find(i)}
            if len(roots) == 1:
                c.union(next(iter(roots)), i)
            elif len(roots) > 1:
                for j in sorted(roots)[:3]:
                    c.uncertain.append(Pair(i, j, 1.0, "same name in several places"))


def _attach_by_candidates(c: Clusters, by_ref: dict[str, int]) -> None:
    """An ambiguous link settles on the one candidate that the inputs also name."""
    for i, n in enumerate(c.nodes):
        if n.link.reference_id or n.link.method != "ambiguous":
            continue
        present = {c.find(by_ref[rid]) for rid, _ in n.link.candidates if rid in by_ref}
        present.discard(c.find(i))
        if len(present) == 1:
            j = next(iter(present))
            if c.union(j, i):
                c.uncertain.append(Pair(i, j, 0.9, "merged: the one candidate named elsewhere"))


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
        roots = {c.find(j) for j in fits} - {c.find(i)}
        if len(roots) == 1:
            c.union(next(iter(roots)), i)
        elif len(roots) > 1:
            for j in sorted(roots)[:3]:
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
