"""foialog: leaked and FOIA-released logs into one verified table of agencies, counts and dates."""

from __future__ import annotations

from foialog.errors import FoialogError
from foialog.pipeline import Result, run
from foialog.settings import Settings
from foialog.version import __version__

__all__ = ["FoialogError", "Result", "Settings", "__version__", "run"]
