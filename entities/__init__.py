"""Names -> agencies: normalise, group, (later) cluster, link, classify, correct."""

from foialog.errors import FoialogError, ReadError, SettingsError

__all__ = ["FoialogError", "ReadError", "SettingsError"]
