"""Real aliases: FBI hate-crime agency names linked to the FBI CDE list, scored by ORI."""

from __future__ import annotations

import pandas as pd
import pytest

from entities.link import link
from entities.mention import Mention
from tests.conftest import SHARED

GAZETTEER = SHARED / "data" / "gazetteer"
#: The hate-crime file's agency type column, in foialog's vocabulary (a column a leak may have).
TYPES = {
    "City": "local police",
    "County": "sheriff",
    "State Police": "state police",
    "University or College": "university or school",
    "Other State Agency": "other government",
    "Other": "other government",
    "Tribal": "local police",
}
STATES = {"NB": "NE", "GM": "GU"}


def _aliases() -> pd.DataFrame:
    names = GAZETTEER / "fbi_hate_crime_agencies.csv"
    cde = GAZETTEER / "fbi_cde_agencies_2018.csv"
    if not names.exists() or not cde.exists():
        pytest.skip(f"{GAZETTEER} is absent (set FOIALOG_SHARED to the shared/ folder)")
    hate = pd.read_csv(names, dtype=str, keep_default_na=False)
    oris = set(pd.read_csv(cde, dtype=str, keep_default_na=False, usecols=["ori"])["ori"])
    # Only agencies the CDE list holds can be linked; the ORI is the answer, never an input.
    return hate[hate["ORI"].isin(oris)]


def _score(hate: pd.DataFrame, *, with_type: bool) -> tuple[float, float, int]:
    right = wrong = 0
    for row in hate.itertuples(index=False):
        state = STATES.get(row.STATE_ABBR, row.STATE_ABBR)
        mention = Mention(
            raw=row.PUB_AGENCY_NAME,
            country="US",
            region=f"US-{state}",
            type_hint=TYPES.get(row.AGENCY_TYPE_NAME, "") if with_type else "",
        )
        found = link(mention).reference_id
        right += found == row.ORI
        wrong += bool(found) and found != row.ORI
    return right / len(hate), right / max(right + wrong, 1), wrong


def test_hate_crime_names_link_to_their_ori(capsys: pytest.CaptureFixture[str]) -> None:
    hate = _aliases()
    top1, precision, wrong = _score(hate, with_type=True)
    bare, bare_precision, _ = _score(hate, with_type=False)
    truncated = hate["PUB_AGENCY_NAME"].str.strip().str.endswith(":").sum()
    with capsys.disabled():
        print(
            f"\nFBI hate-crime names -> CDE ORI ({len(hate)} agencies): top-1 {top1:.3f} with "
            f"name + state + type column (precision of links made {precision:.3f}, {wrong} "
            f"wrong); {bare:.3f} with name + state only (precision {bare_precision:.3f}); "
            f"{truncated} names are truncated ('State Police:') and cannot be told apart"
        )
    assert top1 >= 0.90
    assert precision >= 0.98
