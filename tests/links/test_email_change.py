"""A customer's new e-mail address (crm.links.services.email_change, crm/auth/
email_change.py): the password and the new address, a link to it, and the change (of the
login's and the customer record's address) only once the link is used."""

from sqlalchemy import select

from crm.extensions import db
from crm.models import Customer, User
from tests import factories
from tests.conftest import PASSWORD
from tests.links.conftest import link_in

NEW_ADDRESS = "olena.new@example.com"


def ask(client, email: str = NEW_ADDRESS, password: str = PASSWORD):
    return client.post("/auth/email", data={"current_password": password, "email": email})


def addresses(user: User) -> tuple[str, str]:
    db.session.rollback()
    user = db.session.get(User, user.id)
    return user.email, user.customer.email


def test_the_address_changes_once_the_link_to_it_is_used(
    app, client, login, customer_user, mailbox
):
    old, before = customer_user.email, addresses(customer_user)
    login(customer_user)
    assert client.get("/auth/email").status_code == 200

    response = ask(client)

    assert response.headers["Location"] == "/auth/email"
    assert addresses(customer_user) == before, "nothing changes before the link is used"
    [message] = mailbox.messages
    assert message.message["To"] == NEW_ADDRESS
    assert old in message.text
    link = link_in(message, "/auth/email/")
    elsewhere = app.test_client()  # opened in the mail program's browser, not logged in
    page = elsewhere.get(link)
    assert page.status_code == 200
    assert NEW_ADDRESS in page.get_data(as_text=True)
    assert addresses(customer_user) == before, "opening the page changes nothing"

    done = elsewhere.post(link)

    assert done.headers["Location"] == "/auth/login"
    assert addresses(customer_user) == (NEW_ADDRESS, NEW_ADDRESS)
    notice = mailbox.messages[-1]
    assert notice.message["To"] == old
    assert f"is now {NEW_ADDRESS}" in notice.text
    assert client.get("/account/").status_code == 200, "the session goes on"
    fresh = app.test_client().post("/auth/login", data={"email": NEW_ADDRESS, "password": PASSWORD})
    assert fresh.status_code == 302
    assert elsewhere.post(link).status_code == 410


def test_a_wrong_password_is_refused_by_its_field(client, login, customer_user, mailbox):
    login(customer_user)

    response = ask(client, password="not-my-password")

    assert response.status_code == 422
    assert "This is not your current password." in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_the_current_address_or_no_address_is_refused_by_its_field(
    client, login, customer_user, mailbox
):
    login(customer_user)

    same, bad = ask(client, customer_user.email.upper()), ask(client, "olena@")

    assert (same.status_code, bad.status_code) == (422, 422)
    assert "This is your e-mail address already." in same.get_data(as_text=True)
    assert "Not a valid e-mail address." in bad.get_data(as_text=True)
    assert mailbox.messages == []


def test_an_address_someone_has_gets_a_message_and_no_link(client, login, customer_user, mailbox):
    other = factories.CustomerFactory()
    login(customer_user)

    response = ask(client, other.email)

    assert response.status_code == 302, "the page does not say whose the address is"
    [message] = mailbox.messages
    assert message.message["To"] == other.email
    assert message.subject == "Someone tried to use your address"
    assert message.links == []
    assert addresses(customer_user)[0] == customer_user.email


def test_an_address_taken_since_the_link_was_sent_is_refused(
    app, client, login, customer_user, mailbox
):
    login(customer_user)
    ask(client)
    link = link_in(mailbox.messages[0], "/auth/email/")
    factories.CustomerFactory(email=NEW_ADDRESS)

    response = client.post(link)

    assert response.status_code == 409
    assert "belongs to another login or customer by now" in response.get_data(as_text=True)
    assert addresses(customer_user) == (customer_user.email, customer_user.customer.email)


def test_a_newer_request_voids_the_earlier_link(client, login, customer_user, mailbox):
    login(customer_user)
    ask(client)
    ask(client, "olena.other@example.com")
    first, second = (link_in(message, "/auth/email/") for message in mailbox.messages)

    assert client.post(first).status_code == 410
    assert client.post(second).status_code == 302
    assert addresses(customer_user)[0] == "olena.other@example.com"


def test_the_new_address_voids_reset_links_sent_to_the_old_one(
    app, client, login, customer_user, mailbox
):
    app.test_client().post("/auth/reset", data={"email": customer_user.email})
    reset = link_in(mailbox.messages[0], "/auth/reset/")
    login(customer_user)
    ask(client)

    client.post(link_in(mailbox.messages[1], "/auth/email/"))

    assert app.test_client().get(reset).status_code == 410


def test_only_customers_change_their_address_here(client, staff_client):
    assert staff_client.get("/auth/email").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/auth/email")
    assert response.headers["Location"].startswith("/auth/login")


def test_the_steps_are_security_events(client, login, customer_user, mailbox, security_log):
    old = customer_user.email
    login(customer_user)
    ask(client)
    client.post(link_in(mailbox.messages[0], "/auth/email/"))

    [asked] = security_log("email_change_requested")
    [done] = security_log("email_changed")
    assert (asked["user_id"], asked["email"], asked["new_email"]) == (
        customer_user.id,
        old,
        NEW_ADDRESS,
    )
    assert (done["email"], done["previous"]) == (NEW_ADDRESS, old)
    customer = db.session.scalars(select(Customer)).one()
    assert customer.email == NEW_ADDRESS
