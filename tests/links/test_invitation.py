"""Inviting a customer to the personal account from their card (crm.links.services.invitation,
crm/customers/routes.py, crm/auth/invitation.py): the card says whether the customer has a
login, an open invitation or neither; the link sets the password and logs them in."""

import re

from sqlalchemy import select

from crm.extensions import db
from crm.models import Customer, OneTimeLink, Role, User
from tests import factories
from tests.audit.conftest import all_events
from tests.conftest import csrf_token
from tests.links.conftest import NEW_PASSWORD, link_in

PASSWORDS = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
ACCESS = re.compile(r'data-access="(\w+)"')


def access(client, customer: Customer) -> str:
    """What the card says of the customer's personal account: login, invited or none."""
    [state] = ACCESS.findall(client.get(f"/customers/{customer.id}").get_data(as_text=True))
    return state


def invite(client, customer: Customer):
    return client.post(f"/customers/{customer.id}/invite")


def flashed(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return session.pop("_flashes", [])


def test_from_the_card_to_a_login_of_the_customers_own(app, staff_client, mailbox):
    customer = factories.CustomerFactory()
    assert access(staff_client, customer) == "none"

    response = invite(staff_client, customer)

    assert response.headers["Location"] == f"/customers/{customer.id}"
    assert flashed(staff_client) == [
        ("success", f"An invitation to the personal account has been sent to {customer.email}.")
    ]
    assert access(staff_client, customer) == "invited"
    [message] = mailbox.messages
    assert message.message["To"] == customer.email
    link = link_in(message, "/auth/invite/")
    browser = app.test_client()
    page = browser.get(link)
    assert page.status_code == 200
    assert customer.email in page.get_data(as_text=True)
    done = browser.post(link, data=PASSWORDS)
    assert done.headers["Location"] == "/account/", "they are logged in"
    assert browser.get("/account/").status_code == 200
    user = db.session.scalars(select(User).filter_by(customer_id=customer.id)).one()
    assert (user.email, user.role) == (customer.email, Role.CUSTOMER)
    assert access(staff_client, customer) == "login"
    assert browser.post(link, data=PASSWORDS).status_code == 410


def test_inviting_again_voids_the_earlier_link(app, staff_client, mailbox):
    customer = factories.CustomerFactory()
    invite(staff_client, customer)
    invite(staff_client, customer)
    first, second = (link_in(message, "/auth/invite/") for message in mailbox.messages)
    browser = app.test_client()

    refused = browser.post(first, data=PASSWORDS)

    assert refused.status_code == 410
    assert "replaced by a newer one" in refused.get_data(as_text=True)
    assert browser.post(second, data=PASSWORDS).status_code == 302


def test_a_customer_who_has_a_login_is_not_invited(staff_client, mailbox, customer_user):
    customer = customer_user.customer
    assert access(staff_client, customer) == "login"
    assert "/invite" not in staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    invite(staff_client, customer)

    [(category, message)] = flashed(staff_client)
    assert category == "error"
    assert "already has a login to the personal account" in message
    assert mailbox.messages == []
    assert db.session.scalars(select(OneTimeLink)).all() == []


def test_a_customer_without_an_address_is_not_invited(staff_client, mailbox):
    customer = factories.CustomerFactory(email=None)
    page = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "Add an e-mail address to the record to invite the customer." in page

    invite(staff_client, customer)

    [(category, message)] = flashed(staff_client)
    assert (category, message.startswith("Add an e-mail address")) == ("error", True)
    assert mailbox.messages == []


def test_an_address_another_login_uses_is_not_invited(staff_client, mailbox, manager):
    customer = factories.CustomerFactory(email=manager.email)

    invite(staff_client, customer)

    [(category, _message)] = flashed(staff_client)
    assert category == "error"
    assert mailbox.messages == []


def test_only_staff_invite(client, login, customer_user, mailbox):
    other = factories.CustomerFactory()
    login(customer_user)

    assert invite(client, other).status_code == 403
    assert mailbox.messages == []


def test_the_invitation_is_csrf_protected(app, staff_client, mailbox):
    customer = factories.CustomerFactory()
    app.config["WTF_CSRF_ENABLED"] = True
    page = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    assert invite(staff_client, customer).status_code == 400
    with_token = staff_client.post(
        f"/customers/{customer.id}/invite", data={"csrf_token": csrf_token(page)}
    )
    assert with_token.status_code == 302
    assert len(mailbox.messages) == 1


def test_the_link_works_for_72_hours(app, staff_client, login, manager, mailbox, clock):
    customer = factories.CustomerFactory()
    invite(staff_client, customer)
    link = link_in(mailbox.messages[0], "/auth/invite/")
    clock.advance(hours=71, minutes=59)
    assert app.test_client().get(link).status_code == 200
    clock.advance(minutes=1)

    response = app.test_client().post(link, data=PASSWORDS)

    assert response.status_code == 410
    assert "This link has expired." in response.get_data(as_text=True)
    login(manager)  # again: the staff session ran out long ago
    assert access(staff_client, customer) == "none"


def test_a_new_address_on_the_record_voids_the_invitation(app, staff_client, mailbox):
    customer = factories.CustomerFactory()
    invite(staff_client, customer)
    link = link_in(mailbox.messages[0], "/auth/invite/")
    customer.email = "another.address@example.com"
    db.session.commit()

    response = app.test_client().post(link, data=PASSWORDS)

    assert response.status_code == 409
    assert "no longer valid" in response.get_data(as_text=True)
    assert db.session.scalars(select(User).filter_by(role=Role.CUSTOMER)).all() == []


def test_a_weak_password_is_refused_by_its_field(app, staff_client, mailbox):
    customer = factories.CustomerFactory()
    invite(staff_client, customer)
    link = link_in(mailbox.messages[0], "/auth/invite/")
    browser = app.test_client()

    weak = browser.post(link, data={"password": "short", "confirm": "short"})
    differ = browser.post(link, data={"password": NEW_PASSWORD, "confirm": "another"})

    assert (weak.status_code, differ.status_code) == (422, 422)
    assert "at least 12 characters" in weak.get_data(as_text=True)
    assert "The passwords differ." in differ.get_data(as_text=True)
    assert browser.post(link, data=PASSWORDS).status_code == 302


def test_the_message_is_in_the_default_language(app, staff_client, mailbox, production_languages):
    invite(staff_client, factories.CustomerFactory())

    [message] = mailbox.messages
    # (A long Cyrillic subject is folded so that the parser reads a leading space.)
    assert message.subject.strip() == "Ваше запрошення до особистого кабінету в Credit CRM"


def test_the_invitation_and_its_acceptance_are_in_the_customers_history(
    app, staff_client, manager, mailbox
):
    customer = factories.CustomerFactory()
    invite(staff_client, customer)
    app.test_client().post(link_in(mailbox.messages[0], "/auth/invite/"), data=PASSWORDS)

    events = all_events(customer_id=customer.id)[1:]  # after the record's own creation
    assert [(event.action, event.actor) for event in events] == [
        ("invitation_sent", manager.email),
        ("create", "anonymous"),
        ("invitation_accepted", customer.email),
    ]
    assert events[0].changes == {
        "email": [None, customer.email],
        "customer_id": [None, customer.id],
    }
    page = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "Invited to the personal account" in page
