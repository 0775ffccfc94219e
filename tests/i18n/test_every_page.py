"""Every page a user can reach, walked in each language: no word of the other one.

Starting from the staff site, the admin and the personal account, the walk (tests/walk.py)
follows every link a reader can see and reads what people see or hear: text outside scripts
and hidden elements, and the title, placeholder, alt, aria-label and button values. In
Ukrainian no Latin word may show, in English no Cyrillic one, except the product's name,
each language's own name in the switcher, and words that come from the records themselves
(names, e-mail addresses, payment references), which the walk reads from the database.
"""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import Enum, String, Text, select

from crm.demo.load import DEMO_PASSWORD, load_demo
from crm.extensions import db
from crm.models import User
from tests.i18n.conftest import ENGLISH, UKRAINIAN
from tests.walk import walk

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CYRILLIC_WORD = re.compile(r"[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ]{2,}")
#: The product's name, the switcher, which names each language in that language, and the
#: file formats the lists download as.
OWN_NAMES = {
    "uk": {"Credit", "CRM", "ENG", "English", "CSV", "XLSX"},
    "en": {"УКР", "Українська"},
}
#: Text columns that hold codes rather than words people typed.
CODED_COLUMNS = {"password_hash", "locale"}
READ_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
START = {"admin": ["/", "/admin/"], "customer": ["/account/"]}
#: How many pages each walk reaches at least, so that a broken walk does not pass unnoticed.
PAGES_REACHED_AT_LEAST = {"admin": 40, "customer": 5}


class _SeenText(HTMLParser):
    """The text a reader meets, and the links on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        style = (attributes.get("style") or "").replace(" ", "")
        hidden = "hidden" in attributes or "d-none" in classes or "display:none" in style
        if tag in ("script", "style", "template") or hidden:
            self._hidden.append(tag)
        if tag in ("br", "img", "input", "meta", "link", "hr") and self._hidden[-1:] == [tag]:
            self._hidden.pop()
        if self._hidden:
            return
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        self.texts += [attributes[name] for name in READ_ATTRIBUTES if attributes.get(name)]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data):
        if not self._hidden:
            self.texts.append(data)


def words_in_the_records() -> set[str]:
    """Every word people typed into a record: names, addresses, e-mails, references (not
    statuses and other coded values, whose words the interface translates)."""
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [
            column
            for column in table.columns
            if isinstance(column.type, String | Text)
            and not isinstance(column.type, Enum)
            and column.name not in CODED_COLUMNS
        ]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for value in row:
                if value:
                    found.update(LATIN_WORD.findall(value))
                    found.update(CYRILLIC_WORD.findall(value))
    return found


def readable_text(html: str) -> tuple[str, list[str]]:
    """A page's readable text, and the links a reader can follow."""
    reader = _SeenText()
    reader.feed(html)
    return " ".join(reader.texts), reader.links


@pytest.fixture
def demo(app):
    load_demo(db.session, customers=6)
    db.session.commit()
    return {
        "admin": db.session.scalars(select(User).filter_by(email="admin@demo.crm")).one(),
        "customer": db.session.scalars(select(User).filter_by(email="customer@demo.crm")).one(),
    }


@pytest.mark.parametrize("who", ["admin", "customer"])
@pytest.mark.parametrize(
    ("language", "headers", "foreign"),
    [("uk", UKRAINIAN, LATIN_WORD), ("en", ENGLISH, CYRILLIC_WORD)],
    ids=["uk", "en"],
)
def test_no_page_shows_a_word_of_the_other_language(
    client, login, demo, who, language, headers, foreign
):
    login(demo[who], DEMO_PASSWORD)
    allowed = OWN_NAMES[language] | words_in_the_records()

    pages = walk(client, START[who], headers, readable_text)

    found = {url: sorted(set(foreign.findall(text)) - allowed) for url, text in pages.items()}
    assert len(pages) >= PAGES_REACHED_AT_LEAST[who], sorted(pages)
    assert not any(found.values()), "\n".join(
        f"{url}: {words}" for url, words in found.items() if words
    )
