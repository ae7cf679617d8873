"""foialog's version (pyproject.toml holds the same number)."""

from __future__ import annotations

__version__ = "0.1.0"
