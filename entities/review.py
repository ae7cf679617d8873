"""The review queue: uncertain merges and links, the ones that matter most first."""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields

#: Column order of review.csv.
REVIEW_COLUMNS = (
    "kind", "score", "reason", "n_records", "count_affected", "agency_id", "agency", "variant",
    "other_agency_id", "other_agency", "other_variant", "reference_id", "reference_name",
    "suggestion",
)  # fmt: skip


@dataclass(frozen=True)
class ReviewRow:
    """One decision a reporter should check, with the correction line that would reverse it."""

    #: merge (two spellings judged one agency, or close but kept apart), link, or correction.
    kind: str
    #: 0 to 1: the evidence behind the decision.
    score: float
    reason: str
    #: Records and summed counts of both sides: how much the decision changes the totals.
    n_records: int
    count_affected: int
    agency_id: str
    agency: str
    variant: str
    other_agency_id: str = ""
    other_agency: str = ""
    other_variant: str = ""
    reference_id: str = ""
    reference_name: str = ""
    #: A corrections.csv line (action,name,value) that applies the other decision.
    suggestion: str = ""

    def as_dict(self) -> dict[str, object]:
        """The row as a dict in REVIEW_COLUMNS order."""
        values = dict(zip((f.name for f in fields(self)), astuple(self), strict=True))
        return {c: values[c] for c in REVIEW_COLUMNS}


def ordered(rows: list[ReviewRow]) -> list[ReviewRow]:
    """Most counts affected first, then most records, then the weakest evidence."""
    unique = {
        (r.kind, r.variant, r.other_variant, r.other_agency_id, r.reference_id, r.reason): r
        for r in rows
    }
    return sorted(
        unique.values(),
        key=lambda r: (-r.count_affected, -r.n_records, r.score, r.variant, r.other_variant),
    )
