"""Fixtures for the one-time links' tests: the SMTP server the app sends to
(tests/mail/smtp.py), and following a link from a delivered message."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from tests.i18n.conftest import production_languages  # noqa: F401 (fixture)
from tests.mail.smtp import Received, mailbox, smtp_server  # noqa: F401 (fixtures)

#: A registration as the form takes it.
REGISTRATION = {
    "last_name": "Коваленко",
    "first_name": "Олена",
    "patronymic": "Петрівна",
    "phone": "050 123 45 67",
    "email": "olena.kovalenko@example.com",
    "password": "Lantern-orchard-9182-sunflower",
    "confirm": "Lantern-orchard-9182-sunflower",
}
NEW_PASSWORD = "Quiet-harbour-7741-chestnut"


def path_of(url: str) -> str:
    """A link from a message as the test client opens it: CRM_BASE_URL is http://localhost."""
    parts = urlsplit(url)
    assert parts.netloc == "localhost", url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in(message: Received, path_start: str) -> str:
    """The path of the link in `message` that starts with `path_start`."""
    found = [path_of(url) for url in message.links if path_of(url).startswith(path_start)]
    assert len(found) == 1, message.text
    return found[0]


@pytest.fixture
def register(client) -> Callable[..., object]:
    """`register(**changes)`: the registration form posted, with `changes` to REGISTRATION."""

    def _register(**changes: str):
        return client.post("/auth/register", data={**REGISTRATION, **changes})

    return _register
