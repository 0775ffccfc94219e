"""The Ukrainian catalogue is complete and matches the code.

messages.pot must list exactly the texts the code marks (extracted here the way
`make translations` does, with the Makefile's EXTRACT_OPTIONS, from crm/ and from click), and
uk/messages.po must translate every one of them: no empty, fuzzy or obsolete entries, and the
same placeholders as the English text.
"""

import re
import shlex
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from tests.i18n.conftest import TRANSLATIONS, UK_PO

ROOT = TRANSLATIONS.parents[1]
#: Click's own words are in the catalogue too (see CLICK_SOURCES in the Makefile).
CLICK = str(Path(click.__file__).parent)
POT = TRANSLATIONS / "messages.pot"


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def keys(catalog: Catalog) -> set:
    return {(message.context, message.id) for message in catalog if message.id}


def lines(items) -> str:
    return "\n".join(repr(item) for item in sorted(items, key=str))


def extract_options() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^EXTRACT_OPTIONS\s*:=\s*(.+)$", makefile, re.MULTILINE)
    assert match, "the Makefile defines EXTRACT_OPTIONS"
    return shlex.split(match.group(1))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    output = tmp_path_factory.mktemp("pot") / "messages.pot"
    arguments = ["--quiet", "extract", "--mapping-file", str(ROOT / "babel.cfg")]
    arguments += [*extract_options(), "--output-file", str(output), str(ROOT / "crm"), CLICK]
    CommandLineInterface().run(["pybabel", *arguments])
    return read(output)


@pytest.fixture(scope="module")
def ukrainian() -> Catalog:
    return read(UK_PO, locale="uk")


def test_messages_pot_lists_exactly_the_texts_the_code_marks(extracted):
    template = keys(read(POT))
    code = keys(extracted)

    new, gone = code - template, template - code

    assert not new, f"new texts; run `make translations` and translate them:\n{lines(new)}"
    assert not gone, f"texts no longer in the code; run `make translations`:\n{lines(gone)}"


def test_every_text_has_a_ukrainian_translation(ukrainian):
    catalogue = {(message.context, message.id): message for message in ukrainian if message.id}
    untranslated = []
    for context, msgid in sorted(keys(read(POT)), key=str):
        message = catalogue.get((context, msgid))
        strings = message.string if message and isinstance(message.string, tuple) else None
        strings = strings or (message.string if message else "",)
        if not all(strings):
            untranslated.append(msgid)

    assert not untranslated, f"translate these in {UK_PO.name}:\n{lines(untranslated)}"


def test_no_translation_is_fuzzy_or_obsolete(ukrainian):
    fuzzy = [message.id for message in ukrainian if message.id and message.fuzzy]

    assert not ukrainian.fuzzy, "the catalogue's header is marked fuzzy"
    assert fuzzy == []
    assert list(ukrainian.obsolete) == [], "obsolete entries: run `make translations`"
    assert keys(ukrainian) <= keys(read(POT)), "entries for texts the code no longer has"


def test_translations_keep_the_placeholders_of_the_english_text(ukrainian):
    problems = [
        (message.id, [str(error) for error in errors]) for message, errors in ukrainian.check()
    ]

    assert problems == []


def test_plural_texts_have_the_three_ukrainian_forms(ukrainian):
    plurals = [message for message in ukrainian if isinstance(message.id, tuple)]

    assert ukrainian.num_plurals == 3
    assert plurals, "the catalogue has plural texts (ngettext)"
    for message in plurals:
        assert len(message.string) == 3, message.id
        assert all(message.string), message.id
