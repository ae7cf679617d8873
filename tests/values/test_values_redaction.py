"""Tests for foialog.extract.values.redaction: cells that are only a redaction marker."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foialog.extract.values.redaction import Redaction, find_redaction
from tests.values.hostile_values import COMMON

REDACTED_CASES: list[tuple[str, str]] = [
    # FOIA exemption codes, normalised
    ("(b)(6)", "(b)(6)"),
    ("(B)(6)", "(b)(6)"),
    ("b6", "(b)(6)"),
    ("B6", "(b)(6)"),
    ("(b) (6)", "(b)(6)"),
    ("b(6)", "(b)(6)"),
    ("(b)(7)(C)", "(b)(7)(C)"),
    ("(b)(7)(c)", "(b)(7)(C)"),
    ("(b) (7) (C)", "(b)(7)(C)"),
    ("b7c", "(b)(7)(C)"),
    ("B7E", "(b)(7)(E)"),
    ("(b)(6), (b)(7)(C)", "(b)(6), (b)(7)(C)"),
    ("(b)(6);(b)(7)(C)", "(b)(6), (b)(7)(C)"),
    ("(b)(6) and (b)(7)(C)", "(b)(6), (b)(7)(C)"),
    ("b6/b7c", "(b)(6), (b)(7)(C)"),
    ("(b)(6), (b)(6)", "(b)(6)"),
    ("Exemption 6", "(b)(6)"),
    ("Ex. 7(C)", "(b)(7)(C)"),
    ("FOIA (b)(3)", "(b)(3)"),
    ("Withheld pursuant to 5 U.S.C. § 552(b)(6)", "(b)(6)"),
    ("(b)(6) Personal Privacy", "(b)(6)"),
    # words
    ("REDACTED", ""),
    ("[REDACTED]", ""),
    ("Redacted", ""),
    ("<redacted>", ""),
    ("WITHHELD", ""),
    ("[withheld]", ""),
    ("Exempt", ""),
    ("Redacted – Law Enforcement", ""),
    ("REDACTED (b)(6)", "(b)(6)"),
    ("Redacted per (b)(6)", "(b)(6)"),
    ("(b)(6) - REDACTED", "(b)(6)"),
    # blocks and masks
    ("████", ""),
    ("█", ""),
    ("■■■", ""),
    ("██ ██", ""),
    ("XXXXX", ""),
    ("xxxxxxxx", ""),
    ("XXX-XX-XXXX", ""),
    ("*****", ""),
    # state exemptions: the code is the statute as printed
    ("Personal Privacy Information – ORS 192.355(2)(a)", "ORS 192.355(2)(a)"),
    ("ORS 192.355(2)(a)", "ORS 192.355(2)(a)"),
    ("RCW 42.56.230(1)", "RCW 42.56.230(1)"),
    ("5 ILCS 140/7(1)(c)", "5 ILCS 140/7(1)(c)"),
    ("Cal. Gov. Code § 6254(f)", "Cal. Gov. Code § 6254(f)"),
    ("G.L. c. 4, § 7(26)(c)", "G.L. c. 4, § 7(26)(c)"),
    ("Law Enforcement Records - RCW 42.56.240(1)", "RCW 42.56.240(1)"),
]


@pytest.mark.parametrize(("raw", "code"), REDACTED_CASES, ids=[r for r, _ in REDACTED_CASES])
def test_find_redaction(raw: str, code: str) -> None:
    assert find_redaction(raw) == Redaction(raw, code)


def test_marker_is_trimmed_but_kept_as_written() -> None:
    assert find_redaction("  [REDACTED]\n") == Redaction("[REDACTED]", "")


NOT_REDACTED: list[object] = [
    "",
    "   ",
    "Polk County Sheriff",
    "B6 Task Force",
    "Unit B6",
    "Room B6",
    "Exempt Organization Services Inc",
    "Polk County (b)(6)",
    "Redacted 320",
    "Redacted Smith",
    "XXXX",
    "XX-XX",
    "***",
    "□□□",
    "Section 8",
    "b10",
    "(b)(0)",
    "b66",
    "Ab6",
    "Privacy",
    "Personal Privacy Information",
    "The redacted version was released on 3 November 2019 after the agency reviewed it "
    "with counsel and the requester agreed to narrow the request to the remaining records",
    "320",
    "2019-11-03",
    "Police",
    320,
    1.5,
    True,
    None,
    dt.date(2019, 11, 3),
]


@pytest.mark.parametrize("raw", NOT_REDACTED, ids=[repr(raw)[:40] for raw in NOT_REDACTED])
def test_not_redacted(raw: object) -> None:
    assert find_redaction(raw) is None


HOSTILE: list[object] = [
    *COMMON,
    "REDACTED\x00",
    "\u202eREDACTED",
    "(b)(6)" * 2000,
    "█" * 10_000,
    "X" * 10_000,
    b"REDACTED",
    ["REDACTED"],
]


@pytest.mark.parametrize("raw", HOSTILE, ids=[repr(raw)[:30] for raw in HOSTILE])
def test_hostile_input_is_not_a_marker(raw: object) -> None:
    assert find_redaction(raw) is None


@given(st.text(max_size=60))
@settings(deadline=None)
def test_find_redaction_never_raises(text: str) -> None:
    found = find_redaction(text)
    assert found is None or found.marker == text.strip()


@given(
    st.lists(
        st.tuples(st.integers(1, 9), st.sampled_from(["", "A", "c", "E"])), min_size=1, max_size=3
    )
)
def test_code_lists_normalise(codes: list[tuple[int, str]]) -> None:
    text = "; ".join(f"(b) ({n}){f'({x})' if x else ''}" for n, x in codes)
    expected = ", ".join(
        dict.fromkeys(f"(b)({n})" + (f"({x.upper()})" if x else "") for n, x in codes)
    )
    assert find_redaction(text) == Redaction(text, expected)
