"""Helpers for the interface-language tests.

The suite's app speaks English by default (TestingConfig.LANGUAGES starts with "en"); these
tests ask for Ukrainian through the same ways a browser or a user does.
"""

import os
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from config import Config

TRANSLATIONS = Path(__file__).resolve().parents[2] / "crm" / "translations"
UK_PO = TRANSLATIONS / "uk" / "LC_MESSAGES" / "messages.po"
UKRAINIAN = {"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """Build the .mo files from the committed .po files when they are missing or older, as
    `make test` does, so that `pytest tests/i18n` alone checks the catalogue as it is."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        partial = mo.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        partial.replace(mo)


@pytest.fixture
def production_languages(app) -> list[str]:
    """The deployed order of languages (Ukrainian first, the default) in the test app."""
    app.config["LANGUAGES"] = list(Config.LANGUAGES)
    return app.config["LANGUAGES"]
