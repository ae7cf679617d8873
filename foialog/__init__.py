"""foialog: leaked and FOIA-released logs into one verified table of agencies, counts and dates."""

from __future__ import annotations

__version__ = "0.1.0"

from entities.errors import FoialogError
from foialog.pipeline import Result, run
from foialog.settings import Settings

__all__ = ["FoialogError", "Result", "Settings", "__version__", "run"]
