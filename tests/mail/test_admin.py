"""The admin's outbox: admins read every message and its delivery; nobody changes one."""

from urllib.parse import urlsplit

import pytest

from crm.extensions import db
from crm.mail.services import queue_message

PAGES = ["/admin/outbox/", "/admin/outbox/details/?id=1"]


@pytest.fixture
def messages(app, clock):
    """Two messages a minute apart, both logged (no MAIL_SERVER): their ids."""
    first = queue_message(
        db.session, to="first@example.com", subject="First", text="One\nTwo", html="", locale="en"
    )
    db.session.commit()
    clock.advance(minutes=1)
    second = queue_message(
        db.session,
        to="second@example.com",
        subject="Друге <b>повідомлення</b>",
        text="Лінк: http://localhost/account/\n<script>x</script>",
        html="<p>Друге</p>",
        locale="uk",
    )
    db.session.commit()
    return first.id, second.id


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, messages, path):
    response = client.get(path)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


@pytest.mark.parametrize("path", PAGES)
def test_managers_and_customers_get_403(app, logged_in, manager, customer_user, messages, path):
    assert logged_in(manager).get(path).status_code == 403
    assert logged_in(customer_user).get(path).status_code == 403


def test_the_list_shows_the_newest_first_with_the_delivery(admin_client, messages):
    html = admin_client.get("/admin/outbox/").get_data(as_text=True)

    assert html.index("second@example.com") < html.index("first@example.com")
    for heading in ("Recipient", "Subject", "Status", "Tries", "Next try", "Sent or logged"):
        assert heading in html
    assert "Logged, not sent" in html
    assert "Друге &lt;b&gt;повідомлення&lt;/b&gt;" in html


def test_the_details_show_the_text_as_written_and_escaped(admin_client, messages):
    html = admin_client.get(f"/admin/outbox/details/?id={messages[1]}").get_data(as_text=True)

    assert '<pre class="mb-0">Лінк: http://localhost/account/\n&lt;script&gt;' in html
    assert "second@example.com" in html


def test_nothing_in_the_outbox_can_be_created_changed_or_deleted(app, admin_client, messages):
    routes = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("outbox.")]
    assert {rule.endpoint for rule in routes} == {
        "outbox.index_view",
        "outbox.details_view",
        "outbox.ajax_lookup",
        "outbox.export",
    }
    assert not [rule for rule in routes if "POST" in rule.methods]
    for path in ("/admin/outbox/new/", "/admin/outbox/edit/?id=1", "/admin/outbox/delete/"):
        assert admin_client.post(path, data={"id": "1"}).status_code == 404
    listing = admin_client.get("/admin/outbox/").get_data(as_text=True)
    assert "/admin/outbox/new/" not in listing
    assert "/admin/outbox/edit/" not in listing
    assert 'method="POST"' not in listing.split("<table", 1)[1]


def test_admins_find_the_outbox_on_the_start_page(admin_client):
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/outbox/"' in html
