"""Okaloosa sharing list: product-tagged networks fold into their agency, agencies stay apart.

Input: the agency names of the community CSV beside the PDF (the PDF reader is being built);
the names are the same strings the PDF prints.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd
import pytest

from entities.mention import Mention
from entities.resolve import resolve
from tests.conftest import corpus_file

#: A network named as its organisation plus a product tag, judged without foialog's normaliser.
TAGGED = re.compile(
    r"\((?:Flex|FLEX|LR|Condors?|Falcon|Raven|Tech)\)"
    r"|- ?(?:Redspeed|RedSpeed|Raven|Falcon|Flex|Axon|Wing|Condor)\b| (?:Flex|Condor|Raven)$"
)


def test_okaloosa_variants_fold_and_agencies_stay_apart(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = corpus_file("okaloosa-sharing-agencies", "reference_Sharing_Agencies_EXTRACTED.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    orgs = sorted(set(table["Organization Name"]))
    names = set(orgs)
    tagged: list[tuple[str, str]] = []
    for row in table.itertuples(index=False):
        org, shared = row[1], row[2]
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
    with capsys.disabled():
        print(
            f"\nOkaloosa sharing list: {len(names)} distinct names -> "
            f"{len(set(ids.values()))} agencies; {len(orgs)} organisations -> {len(by_id)} "
            f"agencies ({len(merged)} merged groups); product-tagged networks folded into "
            f"their organisation: {folded}/{len(tagged)}"
        )
        for group in merged[:10]:
            print(f"    merged: {group}")
    assert len(by_id) >= 0.99 * len(orgs)
    assert folded >= 0.95 * len(tagged)
