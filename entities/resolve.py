"""Mentions in, agencies out: link, cluster, classify, apply corrections, queue for review."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from foialog.entities.classify import classify, country_from_domain, place_of
from foialog.entities.cluster import Clusters, Node, cluster, make_nodes, region_marks
from foialog.entities.corrections import Correction
from foialog.entities.link import Link, display_name
from foialog.entities.mention import Agency, Mention
from foialog.entities.reference import Reference, load_reference, us_places
from foialog.entities.review import ReviewRow, ordered


@dataclass(frozen=True)
class MentionStats:
    """How much a mention weighs: records naming it and the sum of their counts."""

    n_records: int = 1
    count_total: int = 0


@dataclass(frozen=True)
class Applied:
    """A correction and what it did on this run."""

    correction: Correction
    #: How many distinct spellings it touched; 0 means it matched nothing this run.
    matched: int


@dataclass(frozen=True)
class Resolution:
    """Each mention's agency, the rejected mentions, the review queue, corrections applied."""

    agencies: dict[Mention, Agency]
    rejected: frozenset[Mention]
    review: list[ReviewRow]
    applied: list[Applied]


def agency_id(key: str, country: str, region: str) -> str:
    """A short id that depends only on the key and the jurisdiction."""
    digest = hashlib.sha1(f"{key}|{country}|{region}".encode()).hexdigest()
    return f"ag-{digest[:10]}"


def reference_agency_id(reference_id: str) -> str:
    """The id of an agency linked to a reference entry: the same in every run and document."""
    return f"ag-{hashlib.sha1(f'ref|{reference_id}'.encode()).hexdigest()[:10]}"


def resolve(
    mentions: Mapping[Mention, MentionStats] | Iterable[Mention],
    corrections: Sequence[Correction] = (),
    ref: Reference | None = None,
) -> Resolution:
    """Resolve every distinct mention to an agency, applying the reporter's corrections."""
    ref = ref or load_reference()
    stats: dict[Mention, MentionStats] = (
        dict(mentions)
        if isinstance(mentions, Mapping)
        else {m: MentionStats() for m in dict.fromkeys(mentions)}
    )
    distinct = sorted((m for m in stats if m.raw.strip()), key=_order)
    applied: dict[int, int] = defaultdict(int)
    rejected = set()
    for k, c in enumerate(corrections):
        if c.action == "reject":
            hit = [m for m in distinct if _spelled(m.raw, c.name)]
            rejected.update(hit)
            applied[k] += len(hit)
    kept = [m for m in distinct if m not in rejected]
    nodes = make_nodes(kept, ref)
    for k, c in enumerate(corrections):
        if c.action == "link":
            for i, n in enumerate(nodes):
                if _spelled(n.mention.raw, c.name):
                    nodes[i] = replace(n, link=Link(c.value, 1.0, "correction"))
                    applied[k] += 1
    clusters = cluster(nodes)
    before = _ids(clusters, ref)
    touched: dict[int, list[str]] = defaultdict(list)
    for k, c in enumerate(corrections):
        if c.action not in ("merge", "split"):
            continue
        these = _select(clusters, before, c.name)
        others = _select(clusters, before, c.value) if c.value else []
        if c.action == "merge" and these and others:
            for i in these:
                clusters.union(others[0], i, force=True)
            applied[k] += len(these)
        elif c.action == "split" and these:
            # The split spelling no longer shares its old agency's reference entry.
            for i in these:
                clusters.nodes[i] = replace(clusters.nodes[i], link=Link("", 0.0, "split"))
            clusters.detach(these)
            for i in these if others else []:
                clusters.union(others[0], i, force=True)
            applied[k] += len(these)
        for i in these:
            touched[i].append(c.describe())
    after = _ids(clusters, ref)
    overrides: dict[int, dict[str, str]] = defaultdict(dict)
    for k, c in enumerate(corrections):
        if c.action in ("rename", "set_type", "set_country"):
            roots = {clusters.find(i) for i in _select(clusters, after | before, c.name)}
            for root in roots:
                overrides[root][c.action] = c.value
                touched[root].append(c.describe())
            applied[k] += len(roots)
    agencies = _agencies(clusters, stats, ref, after, overrides, touched)
    result = {n.mention: agencies[clusters.find(i)] for i, n in enumerate(nodes)}
    review = _review(clusters, stats, result, ref)
    review += [
        ReviewRow(
            kind="correction",
            score=0.0,
            reason=f"correction on line {c.line} matched nothing in this run",
            n_records=0,
            count_affected=0,
            agency_id="",
            agency="",
            variant=c.name,
            suggestion=_csv_line(c.action, c.name, c.value),
        )
        for k, c in enumerate(corrections)
        if not applied[k]
    ]
    return Resolution(
        agencies=result,
        rejected=frozenset(rejected),
        review=ordered(review),
        applied=[Applied(c, applied[k]) for k, c in enumerate(corrections)],
    )


def _order(m: Mention) -> tuple[str, ...]:
    """A stable order of mentions, so ids and tie-breaks do not depend on input order."""
    return (
        m.raw,
        m.country,
        m.region,
        m.email_domain,
        m.type_hint,
        m.context_country,
        m.context_region,
        m.place_raw,
    )


def _spelled(raw: str, name: str) -> bool:
    """A spelling as written matches a correction's name (white space and case aside)."""
    return " ".join(raw.split()).casefold() == name.casefold()


def _select(c: Clusters, ids: Mapping[int, str], name: str) -> list[int]:
    """Nodes a correction names: by agency_id (their whole agency) or by spelling."""
    if name.startswith("ag-"):
        roots = {root for root, aid in ids.items() if aid == name}
        return [i for i in range(len(c.nodes)) if c.find(i) in roots]
    return [i for i, n in enumerate(c.nodes) if _spelled(n.mention.raw, name)]


def _ids(c: Clusters, ref: Reference) -> dict[int, str]:
    """Each cluster root's agency id: from its reference entry, else its main key."""
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(c.nodes)):
        members[c.find(i)].append(i)
    ids = {}
    for root, group in members.items():
        refs = sorted(c.refs[root])
        if len(refs) == 1:
            ids[root] = reference_agency_id(refs[0])
            continue
        # A place written but unread ("?süd carolina") keeps its own id, apart from the
        # rows of the same name that state none.
        keys = Counter(
            (c.nodes[i].parsed.key, c.nodes[i].country, min(region_marks(c.nodes[i]), default=""))
            for i in group
        )
        key, country, region = sorted(keys.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        ids[root] = agency_id(key, country, region)
    return ids


def _nodes(c: Clusters, group: list[int]) -> list[Node]:
    return [c.nodes[i] for i in group]


def _agencies(
    c: Clusters,
    stats: Mapping[Mention, MentionStats],
    ref: Reference,
    ids: Mapping[int, str],
    overrides: Mapping[int, Mapping[str, str]],
    touched: Mapping[int, list[str]],
) -> dict[int, Agency]:
    """Build one Agency per cluster root."""
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(c.nodes)):
        members[c.find(i)].append(i)
    evidence: dict[int, list[float]] = defaultdict(list)
    for p in c.uncertain:
        if p.reason.startswith("merged"):
            evidence[c.find(p.a)].append(p.score)
    out: dict[int, Agency] = {}
    for root, group in members.items():
        nodes = _nodes(c, group)
        refs = sorted(c.refs[root])
        entry = ref.entry(refs[0]) if len(refs) == 1 else None
        weight = {n.mention: stats[n.mention].n_records for n in nodes}
        spellings: Counter[str] = Counter()
        for n in nodes:
            spellings[n.parsed.display] += weight[n.mention]
        name = sorted(spellings.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        if entry is not None:
            name = display_name(entry)
        if entry is not None and (entry.country or entry.source == "curated"):
            country, region = entry.country, entry.region
        else:
            country, region = place_of(
                [n.country for n in nodes for _ in range(weight[n.mention])],
                [n.region for n in nodes for _ in range(weight[n.mention])],
            )
            if not country:
                # Namesakes in one country ("Springfield Police Department": IL or MO) still
                # place the agency in that country.
                places = {
                    e.country
                    for n in nodes
                    for rid, _ in n.link.candidates
                    if (e := ref.entry(rid)) is not None
                }
                country = places.pop() if len(places) == 1 else ""
            if not country:
                inferred = [country_from_domain(n.mention.email_domain) for n in nodes]
                inferred += [n.mention.context_country for n in nodes]
                country, _ = place_of(inferred, [])
            if not country and any(_census_place(n) for n in nodes):
                country = "US"
        agency_type = classify(
            (n.parsed for n in nodes),
            entry,
            domains=(n.mention.email_domain for n in nodes),
            hints=(n.mention.type_hint for n in nodes),
        )
        fixes = overrides.get(root, {})
        if "set_country" in fixes:
            code = fixes["set_country"].upper()
            country, region = code.split("-")[0], code if "-" in code else ""
        confidence = min([1.0, *evidence.get(root, [])])
        if entry is not None:
            confidence *= max((n.link.score for n in nodes if n.link.reference_id), default=1.0)
        out[root] = Agency(
            agency_id=ids[root],
            name=fixes.get("rename", name),
            agency_type=fixes.get("set_type", agency_type),
            country=country,
            region=region,
            reference_id=entry.reference_id if entry is not None else "",
            confidence=round(confidence, 3),
            variants=tuple(sorted({n.mention.raw.strip() for n in nodes})),
            corrections=tuple(dict.fromkeys(d for i in [root, *group] for d in touched.get(i, []))),
        )
    return out


def _census_place(node: Node) -> bool:
    """A police department or sheriff named after a US Census place or county."""
    parsed = node.parsed
    if parsed.kind not in ("police", "sheriff") or not parsed.place:
        return False
    place = f"{parsed.place} county" if parsed.kind == "sheriff" else parsed.place
    return place in us_places()


def _review(
    c: Clusters,
    stats: Mapping[Mention, MentionStats],
    result: Mapping[Mention, Agency],
    ref: Reference,
) -> list[ReviewRow]:
    """Review rows for uncertain merges, near misses and ambiguous links."""
    weight: dict[str, tuple[int, int]] = {}
    for m, s in stats.items():
        agency = result.get(m)
        if agency is not None:
            n, total = weight.get(agency.agency_id, (0, 0))
            weight[agency.agency_id] = (n + s.n_records, total + s.count_total)
    rows: list[ReviewRow] = []
    for p in c.uncertain:
        a, b = c.nodes[p.a].mention, c.nodes[p.b].mention
        ga, gb = result[a], result[b]
        same = ga.agency_id == gb.agency_id
        sides = {ga.agency_id, gb.agency_id}
        n = sum(weight.get(s, (0, 0))[0] for s in sides)
        total = sum(weight.get(s, (0, 0))[1] for s in sides)
        rows.append(
            ReviewRow(
                kind="merge",
                score=round(p.score, 3),
                reason=p.reason if not same or p.reason.startswith("merged") else "merged",
                n_records=n,
                count_affected=total,
                agency_id=ga.agency_id,
                agency=ga.name,
                variant=a.raw,
                other_agency_id=gb.agency_id,
                other_agency=gb.name,
                other_variant=b.raw,
                suggestion=_csv_line("split", a.raw, "")
                if same
                else _csv_line("merge", a.raw, b.raw),
            )
        )
    for node in c.nodes:
        if node.link.reference_id or not node.link.candidates:
            continue
        agency = result[node.mention]
        if agency.reference_id in {rid for rid, _ in node.link.candidates}:
            continue  # settled by the other spellings of its agency
        n, total = weight.get(agency.agency_id, (0, 0))
        for rid, score in node.link.candidates[:3]:
            entry = ref.entry(rid)
            rows.append(
                ReviewRow(
                    kind="link",
                    score=round(score, 3),
                    reason=f"not linked ({node.link.method})",
                    n_records=n,
                    count_affected=total,
                    agency_id=agency.agency_id,
                    agency=agency.name,
                    variant=node.mention.raw,
                    reference_id=rid,
                    reference_name=entry.name if entry else "",
                    suggestion=_csv_line("link", node.mention.raw, rid),
                )
            )
    return rows


def _csv_line(action: str, name: str, value: str) -> str:
    """A corrections.csv line, quoted as CSV needs."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([action, name, value])
    return buffer.getvalue()
