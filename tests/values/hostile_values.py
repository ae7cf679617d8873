"""Cell values that every value parser must survive; each test file adds cases of its own."""

from __future__ import annotations

#: Control and bidirectional characters, huge text and numbers, non-ASCII digits, non-text.
COMMON: list[object] = [
    "\x00",
    "x" * 10_000,
    "1e309",
    "9" * 400,
    "١٢٣",
    float("nan"),
    float("inf"),
    10**400,
    object(),
]
