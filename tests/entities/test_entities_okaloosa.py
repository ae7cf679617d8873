"""Okaloosa sharing list: product-tagged networks fold into their agency, agencies stay apart.

Measured twice: on the names foialog's PDF reader extracts from Sharing_Agencies.pdf, and on
the community CSV made from the same PDF (a check that does not depend on the reader).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pandas as pd
import pytest

from foialog.entities.mention import Mention
from foialog.entities.resolve import resolve
from foialog.pipeline import run
from tests.conftest import corpus_file

FOLDER = "okaloosa-sharing-agencies"
SHARED_WITH_ME = "Networks Shared With Me"
#: A network named as its organisation plus a product tag, judged without foialog's normaliser.
TAGGED = re.compile(
    r"\((?:Flex|FLEX|LR|Condors?|Falcon|Raven|Tech)\)"
    r"|- ?(?:Redspeed|RedSpeed|Raven|Falcon|Flex|Axon|Wing|Condor)\b| (?:Flex|Condor|Raven)$"
)


def _measure(rows: list[tuple[str, str]], label: str) -> tuple[int, int, int, int]:
    """Resolve every name of (organisation, networks shared with it) rows; print and return
    (organisations, their agencies, tagged networks, tagged networks folded)."""
    orgs = sorted({org for org, _ in rows})
    names = set(orgs)
    tagged: list[tuple[str, str]] = []
    for org, shared in rows:
        for name in (n.strip() for n in shared.split(",")):
            if not name:
                continue
            names.add(name)
            same_start = name.split()[0].casefold() == org.split()[0].casefold()
            if name != org and TAGGED.search(name) and same_start:
                tagged.append((org, name))
    agencies = resolve([Mention(n) for n in sorted(names)]).agencies
    ids = {m.raw: a.agency_id for m, a in agencies.items()}
    by_id: dict[str, list[str]] = defaultdict(list)
    for org in orgs:
        by_id[ids[org]].append(org)
    merged = [group for group in by_id.values() if len(group) > 1]
    folded = sum(ids[org] == ids[name] for org, name in tagged)
    print(
        f"\nOkaloosa sharing list ({label}): {len(names)} distinct names -> "
        f"{len(set(ids.values()))} agencies; {len(orgs)} organisations -> {len(by_id)} "
        f"agencies ({len(merged)} merged groups); product-tagged networks folded into their "
        f"organisation: {folded}/{len(tagged)}"
    )
    for group in merged[:10]:
        print(f"    merged: {group}")
    return len(orgs), len(by_id), len(tagged), folded


def test_okaloosa_from_the_community_csv(capsys: pytest.CaptureFixture[str]) -> None:
    path = corpus_file(FOLDER, "reference_Sharing_Agencies_EXTRACTED.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = list(zip(table["Organization Name"], table[SHARED_WITH_ME], strict=True))
    with capsys.disabled():
        orgs, apart, tagged, folded = _measure(rows, "community CSV names")
    assert apart >= 0.99 * orgs
    assert folded >= 0.95 * tagged


def test_okaloosa_from_the_pdf(capsys: pytest.CaptureFixture[str]) -> None:
    pdf = corpus_file(FOLDER, "Sharing_Agencies.pdf")
    records = run(pdf, settings={"workers": 0, "cache": False}).records
    records = records[records["row_type"] == "data"]
    rows = []
    for raw, extra in zip(records["agency_raw"], records["extra"], strict=True):
        columns = json.loads(extra)
        # Rows the reader split out of a comma-joined cell are networks, not organisations.
        if raw and "listed in" not in columns:
            rows.append((raw, columns.get(SHARED_WITH_ME, "")))
    assert len(rows) >= 850, "the PDF reader should give one row per organisation"
    with capsys.disabled():
        orgs, apart, tagged, folded = _measure(rows, "names read from the PDF")
    assert apart >= 0.99 * orgs
    assert folded >= 0.95 * tagged
