"""Messages rendered from crm/templates/mail/ in the recipient's language."""

import pytest

from crm.mail.services import absolute_url, render_message


def test_the_text_sets_the_subject_and_both_parts_share_the_context(app):
    subject, text, html = render_message("greeting", locale="en", name="Ann <Smith>")

    assert subject == "Outbox: Ann <Smith>"
    assert text.startswith("Ann <Smith>\n\nhttp://localhost/account/\n")
    assert "<p>Ann &lt;Smith&gt;</p>" in html, "the HTML escapes what it is given"
    assert "<title>Outbox: Ann &lt;Smith&gt;</title>" in html


def test_a_language_the_interface_does_not_speak_falls_back_to_the_first(app):
    app.config["LANGUAGES"] = ["uk", "en"]
    subject, _text, html = render_message("greeting", locale="de", name="Ann")
    assert subject == render_message("greeting", locale="uk", name="Ann")[0]
    assert '<html lang="uk">' in html


def test_the_language_is_the_recipients_not_the_requests(app):
    with app.test_request_context("/", headers={"Accept-Language": "uk"}):
        subject, _text, _html = render_message("greeting", locale="en", name="Ann")
    assert subject == "Outbox: Ann"


def test_a_message_without_a_subject_is_a_mistake(app):
    with pytest.raises(LookupError, match="sets no subject"):
        render_message("no_subject", locale="en", name="Ann")


def test_addresses_of_pages_are_absolute_under_the_base_url(app):
    app.config["CRM_BASE_URL"] = "https://crm.example.com/"
    assert absolute_url("auth.login", next="/account/") == (
        "https://crm.example.com/auth/login?next=/account/"
    )
