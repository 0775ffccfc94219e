"""The pages of the links, as an anonymous visitor or the customer sees them: in each
language without a word of the other (tests/i18n/test_every_page.py reads them), and with
no inline script or style for the Content-Security-Policy to refuse (tests/test_headers.py)."""

import pytest

from crm.extensions import db
from crm.links.services.tokens import issue_link
from crm.models import LinkPurpose
from tests import factories
from tests.i18n.conftest import ENGLISH, UKRAINIAN
from tests.i18n.test_every_page import (
    CYRILLIC_WORD,
    LATIN_WORD,
    OWN_NAMES,
    readable_text,
    words_in_the_records,
)
from tests.test_headers import inline_script


@pytest.fixture
def pages(app, customer_user) -> list[str]:
    """Every page of the links: the forms, the pages that say to check the e-mail, each
    link's page, and a link that is not one."""
    customer = factories.CustomerFactory(first_name="Олена")
    user = customer_user
    links = {
        "register": issue_link(
            db.session,
            LinkPurpose.REGISTER,
            email="olena@example.com",
            payload={"first_name": "Олена"},
        ),
        "invite": issue_link(
            db.session, LinkPurpose.INVITE, email=customer.email, customer=customer
        ),
        "reset": issue_link(db.session, LinkPurpose.RESET, email=user.email, user=user),
        "email": issue_link(
            db.session,
            LinkPurpose.EMAIL_CHANGE,
            email="olena.new@example.com",
            user=user,
            payload={"previous": user.email},
        ),
    }
    db.session.commit()
    return [
        "/auth/login",
        "/auth/register",
        "/auth/register/sent",
        "/auth/reset",
        "/auth/reset/sent",
        *(f"/auth/{kind}/{token}" for kind, token in links.items()),
        "/auth/reset/not-a-link",
    ]


@pytest.mark.parametrize(
    ("headers", "foreign", "language"),
    [(UKRAINIAN, LATIN_WORD, "uk"), (ENGLISH, CYRILLIC_WORD, "en")],
    ids=["uk", "en"],
)
def test_the_pages_speak_one_language_and_carry_no_inline_script(
    app, pages, headers, foreign, language
):
    allowed = OWN_NAMES[language] | words_in_the_records() | {"Credit", "CRM"}
    client = app.test_client()
    for path in pages:
        response = client.get(path, headers=headers)
        assert response.status_code in (200, 404), path
        html = response.get_data(as_text=True)
        text, _links = readable_text(html)
        assert sorted(set(foreign.findall(text)) - allowed) == [], path
        assert inline_script(html)[0] == [], path


def test_the_e_mail_form_speaks_ukrainian(client, login, customer_user):
    login(customer_user)
    html = client.get("/auth/email", headers=UKRAINIAN).get_data(as_text=True)
    text, _links = readable_text(html)
    allowed = OWN_NAMES["uk"] | words_in_the_records()
    assert sorted(set(LATIN_WORD.findall(text)) - allowed) == []
    assert inline_script(html)[0] == []
