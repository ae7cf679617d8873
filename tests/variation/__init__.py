"""A variation generator of leak documents with known truth, separate from the demo sample.

Each module beside this one holds the generators of some kinds in a ``KINDS`` dict
(kind name -> ``Generator``); ``kinds()`` collects them all.
"""

from __future__ import annotations

import importlib
import pkgutil

from tests.variation.core import Generated, Generator, Score, TruthRow, bcubed, score

__all__ = ["Generated", "Generator", "Score", "TruthRow", "bcubed", "kinds", "score"]


def kinds() -> dict[str, Generator]:
    """Every kind of every generator module, by name."""
    found: dict[str, Generator] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        # Test modules hold no generators; test_variation's KINDS is this function's result.
        if info.name == "core" or info.name.startswith(("_", "test_")):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, generator in getattr(module, "KINDS", {}).items():
            if name in found:
                raise ValueError(f"kind {name!r} is defined twice (in {info.name})")
            found[name] = generator
    return found
