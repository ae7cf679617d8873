"""The one base exception of the project; every layer raises subclasses of it."""

from __future__ import annotations


class FoialogError(Exception):
    """Base class of every error foialog raises on purpose."""


class ReadError(FoialogError):
    """A file could not be read; the message names the file, the problem and the fix."""


class SettingsError(FoialogError):
    """A setting has a value foialog cannot use; the message lists the valid choices."""


class CorrectionsError(FoialogError):
    """A corrections file has a line foialog cannot apply; the message names file, line, fix."""
