"""Registering for the personal account (crm.links.services.registration, crm/auth/
registration.py): the form, the e-mail, and the link that creates the customer and the
login; what an address or a phone that someone already has gets instead."""

import json

from sqlalchemy import func, select

from crm.extensions import db
from crm.models import Customer, OneTimeLink, OutboxMessage, Role, User
from tests import factories
from tests.audit.conftest import all_events
from tests.conftest import CSRF_INPUT
from tests.i18n.conftest import UKRAINIAN
from tests.links.conftest import REGISTRATION, link_in

NEWCOMER = {"email": "taras.bondar@example.com", "phone": "+380671112233"}


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def answer(client, **changes: str) -> tuple[int, str]:
    """What a registration shows the visitor: the status and the page it ends on, without
    the CSRF tokens (new in every page)."""
    response = client.post(
        "/auth/register", data={**REGISTRATION, **changes}, follow_redirects=True
    )
    return response.status_code, CSRF_INPUT.sub("", response.get_data(as_text=True))


def test_registering_then_opening_the_link_creates_the_customer_and_the_login(
    client, mailbox, register
):
    response = register()

    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/register/sent"
    assert "Check your e-mail" in client.get("/auth/register/sent").get_data(as_text=True)
    assert (count(Customer), count(User)) == (0, 0), "nothing exists before the link is opened"
    [message] = mailbox.messages
    assert message.message["To"] == REGISTRATION["email"]
    assert message.subject == "Confirm your registration at Credit CRM"
    link = link_in(message, "/auth/register/")
    assert link in message.html

    page = client.get(link)
    assert page.status_code == 200
    assert REGISTRATION["email"] in page.get_data(as_text=True)
    assert (count(Customer), count(User)) == (0, 0), "opening the page changes nothing"
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/auth/login"
    user = db.session.scalars(select(User)).one()
    customer = user.customer
    assert (user.email, user.role, user.active) == (REGISTRATION["email"], Role.CUSTOMER, True)
    assert (customer.last_name, customer.first_name, customer.patronymic) == (
        "Коваленко",
        "Олена",
        "Петрівна",
    )
    assert (customer.phone, customer.email) == ("+380501234567", REGISTRATION["email"])
    login = client.post(
        "/auth/login", data={"email": REGISTRATION["email"], "password": REGISTRATION["password"]}
    )
    assert login.headers["Location"] == "/account/"
    assert client.get("/account/").status_code == 200


def test_the_link_keeps_the_passwords_hash_never_the_password_and_drops_it_once_used(
    client, mailbox, register
):
    register()
    link = db.session.scalars(select(OneTimeLink)).one()
    stored = json.dumps(link.payload)
    assert REGISTRATION["password"] not in stored
    assert link.payload["password_hash"].startswith("scrypt:")

    client.post(link_in(mailbox.messages[0], "/auth/register/"))

    db.session.refresh(link)
    assert link.payload is None
    assert link.used_at is not None


def test_an_address_with_a_login_registers_nothing_and_its_owner_hears_of_it(
    client, mailbox, customer_user
):
    new = answer(client, **NEWCOMER)
    customers, users = count(Customer), count(User)

    taken = answer(client, email=customer_user.email.upper(), phone="+380671112244")

    assert taken == new, "the page says the same as for a new address"
    assert taken[0] == 200
    assert (count(Customer), count(User)) == (customers, users)
    message = mailbox.messages[-1]
    assert message.message["To"] == customer_user.email
    assert message.subject == "Someone tried to register with your address"
    assert "You already have a login" in message.text
    assert [link_in(message, "/auth/login"), link_in(message, "/auth/reset")] == [
        "/auth/login",
        "/auth/reset",
    ]
    assert client.get("/auth/reset").status_code == 200
    db.session.rollback()
    assert db.session.scalars(select(OneTimeLink).filter_by(email=customer_user.email)).all() == []


def test_an_address_of_a_customer_without_a_login_is_told_to_ask_for_an_invitation(client, mailbox):
    customer = factories.CustomerFactory()
    new = answer(client, **NEWCOMER)

    taken = answer(client, email=customer.email, phone="+380671112244")

    assert taken == new
    assert count(User) == 0
    assert count(Customer) == 1, "the customer's record is neither taken over nor copied"
    message = mailbox.messages[-1]
    assert message.message["To"] == customer.email
    assert "ask the lender to invite you" in message.text
    assert message.links == []


def test_a_new_address_with_a_customers_phone_is_told_to_contact_the_lender(client, mailbox):
    factories.CustomerFactory(phone="+380501234567")
    new = answer(client, **NEWCOMER)

    same_phone = answer(client)  # REGISTRATION's phone, 050 123 45 67, and a new address

    assert same_phone == new
    assert (count(Customer), count(User)) == (1, 0)
    message = mailbox.messages[-1]
    assert message.message["To"] == REGISTRATION["email"]
    assert message.subject == "Your registration at Credit CRM"
    assert "could not complete your registration online" in message.text
    assert message.links == []
    db.session.rollback()
    assert db.session.scalars(select(OneTimeLink.email)).all() == [NEWCOMER["email"]]


def test_bad_input_is_shown_by_its_field_and_sends_nothing(client, mailbox, register):
    for changes, message in [
        ({"phone": "12"}, "Not a valid phone number."),
        ({"last_name": " "}, "This field is required."),
        ({"email": "olena@"}, "Not a valid e-mail address."),
        ({"password": "short-pass", "confirm": "short-pass"}, "at least 12 characters"),
        (
            {"password": "kovalenko-olena", "confirm": "kovalenko-olena"},
            "built from your name or e-mail address",
        ),
        ({"confirm": "something else entirely"}, "The passwords differ."),
    ]:
        response = register(**changes)
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
        assert "is-invalid" in response.get_data(as_text=True)
    assert (count(OutboxMessage), count(OneTimeLink)) == (0, 0)
    assert mailbox.messages == []


def test_the_link_works_once(client, mailbox, register):
    register()
    link = link_in(mailbox.messages[0], "/auth/register/")
    assert client.post(link).status_code == 302

    again, page = client.post(link), client.get(link)

    for response in (again, page):
        assert response.status_code == 410
        assert "This link was already used." in response.get_data(as_text=True)
    assert count(User) == 1


def test_an_expired_link_creates_nothing(client, mailbox, register, clock):
    register()
    link = link_in(mailbox.messages[0], "/auth/register/")
    clock.advance(hours=24, seconds=1)

    response = client.post(link)

    assert response.status_code == 410
    assert "This link has expired." in response.get_data(as_text=True)
    assert (count(Customer), count(User)) == (0, 0)


def test_an_altered_link_or_one_of_another_kind_is_not_found(client, mailbox, register):
    register()
    link = link_in(mailbox.messages[0], "/auth/register/")
    token = link.removeprefix("/auth/register/")
    # The second-to-last character: the last one of a base64 text may carry padding bits
    # only, and changing those ("…B" to "…A") leaves the same bytes.
    altered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    first_changed = ("A" if token[0] != "A" else "B") + token[1:]

    for path in (
        f"/auth/register/{altered}",
        f"/auth/register/{first_changed}",
        f"/auth/register/{token.split('.')[0]}",
        f"/auth/reset/{token}",
        f"/auth/invite/{token}",
        f"/auth/email/{token}",
    ):
        response = client.post(path, data={"password": "x" * 20, "confirm": "x" * 20})
        assert response.status_code == 404, path
        assert "This link is not valid." in response.get_data(as_text=True)
    assert (count(Customer), count(User)) == (0, 0)
    assert client.post(link).status_code == 302, "the real link still works"


def test_registering_again_replaces_the_earlier_link(client, mailbox, register):
    register()
    register(first_name="Олеся")
    first, second = (link_in(message, "/auth/register/") for message in mailbox.messages)

    refused = client.post(first)

    assert refused.status_code == 410
    assert "replaced by a newer one" in refused.get_data(as_text=True)
    assert client.post(second).status_code == 302
    assert db.session.scalars(select(Customer.first_name)).all() == ["Олеся"]


def test_an_address_someone_took_since_the_link_was_sent_is_refused(client, mailbox, register):
    register()
    link = link_in(mailbox.messages[0], "/auth/register/")
    factories.CustomerFactory(email=REGISTRATION["email"])

    response = client.post(link)

    assert response.status_code == 409
    assert "already belongs to a login or a customer" in response.get_data(as_text=True)
    assert (count(Customer), count(User)) == (1, 0)


def test_the_message_and_the_login_speak_the_language_of_the_form(client, mailbox):
    client.post("/auth/register", data=REGISTRATION, headers=UKRAINIAN)

    [message] = mailbox.messages
    # (A long Cyrillic subject is folded so that the parser reads a leading space.)
    assert message.subject.strip() == "Підтвердьте реєстрацію в Credit CRM"
    assert "Щоб завершити реєстрацію в особистому кабінеті" in message.text
    client.post(link_in(message, "/auth/register/"))
    assert db.session.scalars(select(User.locale)).one() == "uk"


def test_a_logged_in_user_is_sent_home(client, login, customer_user):
    login(customer_user)
    response = client.get("/auth/register")
    assert response.headers["Location"] == "/account/"


def test_the_steps_are_security_events(client, mailbox, register, security_log):
    register()
    client.post(link_in(mailbox.messages[0], "/auth/register/"))
    client.post(link_in(mailbox.messages[0], "/auth/register/"))

    user = db.session.scalars(select(User)).one()
    [asked] = security_log("registration_requested")
    [done] = security_log("registration_completed")
    [refused] = security_log("link_refused")
    assert asked["email"] == REGISTRATION["email"]
    assert (done["user_id"], done["customer_id"]) == (user.id, user.customer_id)
    assert (refused["purpose"], refused["reason"]) == ("register", "used")
    stored = [event.action for event in all_events(customer_id=user.customer_id)]
    assert stored == ["create", "create", "registration_completed"]
