"""A forgotten password (crm.links.services.reset, crm/auth/password_reset.py): the same
answer whatever the address, a link that works once and for an hour, every session ended."""

from sqlalchemy import func, select

from crm.extensions import db
from crm.models import OneTimeLink, OutboxMessage, OutboxStatus, Role
from tests import factories
from tests.conftest import CSRF_INPUT, PASSWORD
from tests.links.conftest import NEW_PASSWORD, link_in

NEW = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}


def ask(client, email: str):
    return client.post("/auth/reset", data={"email": email})


def shown(response) -> tuple[int, str]:
    return response.status_code, CSRF_INPUT.sub("", response.get_data(as_text=True))


def can_log_in(app, email: str, password: str) -> bool:
    response = app.test_client().post("/auth/login", data={"email": email, "password": password})
    return response.status_code == 302


def test_the_link_sets_a_new_password_and_ends_every_session(
    app, client, mailbox, logged_in, customer_user
):
    elsewhere = logged_in(customer_user)
    assert elsewhere.get("/account/").status_code == 200

    response = ask(client, customer_user.email)

    assert response.headers["Location"] == "/auth/reset/sent"
    [message] = mailbox.messages
    assert message.message["To"] == customer_user.email
    link = link_in(message, "/auth/reset/")
    assert client.get(link).status_code == 200
    done = client.post(link, data=NEW)
    assert done.status_code == 302
    assert done.headers["Location"] == "/auth/login"
    assert elsewhere.get("/account/").status_code == 302, "the other browser is logged out"
    assert not can_log_in(app, customer_user.email, PASSWORD)
    assert can_log_in(app, customer_user.email, NEW_PASSWORD)
    again = client.post(link, data=NEW)
    assert again.status_code == 410
    assert "This link was already used." in again.get_data(as_text=True)


def test_the_answer_is_the_same_whether_the_address_has_a_login_or_not(client, mailbox, manager):
    known = shown(client.post("/auth/reset", data={"email": manager.email}, follow_redirects=True))
    unknown = shown(
        client.post("/auth/reset", data={"email": "nobody@example.com"}, follow_redirects=True)
    )

    assert known == unknown
    assert known[0] == 200
    first, second = mailbox.messages
    assert first.message["To"] == manager.email
    assert link_in(first, "/auth/reset/")
    assert second.message["To"] == "nobody@example.com"
    assert "There is no active login with this address" in second.text
    assert second.links == []
    assert db.session.scalar(select(func.count()).select_from(OneTimeLink)) == 1


def test_a_deactivated_login_gets_no_link(client, mailbox):
    user = factories.UserFactory(role=Role.MANAGER, active=False)

    assert ask(client, user.email).status_code == 302

    [message] = mailbox.messages
    assert message.links == []
    assert "There is no active login with this address" in message.text


def test_the_link_works_for_an_hour(client, mailbox, manager, clock):
    ask(client, manager.email)
    link = link_in(mailbox.messages[0], "/auth/reset/")
    clock.advance(minutes=59)
    assert client.get(link).status_code == 200
    clock.advance(minutes=1, seconds=1)

    response = client.post(link, data=NEW)

    assert response.status_code == 410
    assert "This link has expired." in response.get_data(as_text=True)
    assert can_log_in(client.application, manager.email, PASSWORD)


def test_a_newer_link_and_a_password_changed_otherwise_void_the_open_ones(
    client, mailbox, manager, login
):
    ask(client, manager.email)
    ask(client, manager.email)
    first, second = (link_in(message, "/auth/reset/") for message in mailbox.messages)
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200

    login(manager)
    changed = client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302

    response = client.get(second)
    assert response.status_code == 410
    assert "replaced by a newer one" in response.get_data(as_text=True)


def test_a_weak_password_is_refused_by_its_field_and_the_link_still_works(client, mailbox, manager):
    ask(client, manager.email)
    link = link_in(mailbox.messages[0], "/auth/reset/")

    weak = client.post(link, data={"password": "password1234", "confirm": "password1234"})

    assert weak.status_code == 422
    assert "This password is too easy to guess." in weak.get_data(as_text=True)
    assert client.post(link, data=NEW).status_code == 302


def test_text_that_is_no_address_is_shown_by_the_field(client, mailbox):
    response = ask(client, "nobody@")

    assert response.status_code == 422
    assert "Not a valid e-mail address." in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_the_request_says_which_address_was_tried_never_whose_it_is(
    client, mailbox, manager, security_log
):
    ask(client, manager.email)
    ask(client, "nobody@example.com")
    client.post(link_in(mailbox.messages[0], "/auth/reset/"), data=NEW)

    asked = security_log("password_reset_requested")
    assert [sorted(event) for event in asked] == [["at", "email", "event", "ip", "path"]] * 2
    assert [event["email"] for event in asked] == [manager.email, "nobody@example.com"]
    [done] = security_log("password_reset")
    assert (done["user_id"], done["sessions"]) == (manager.id, 0)


def test_with_the_mail_server_down_the_request_succeeds_and_the_link_goes_later(
    client, mailbox, manager, runner, clock
):
    mailbox.stop()

    response = ask(client, manager.email)

    assert response.status_code == 302
    assert mailbox.messages == []
    assert db.session.scalars(select(OutboxMessage.status)).all() == [OutboxStatus.WAITING]
    db.session.rollback()
    mailbox.start()
    clock.advance(minutes=2)
    result = runner.invoke(args=["outbox", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    [message] = mailbox.messages
    assert client.post(link_in(message, "/auth/reset/"), data=NEW).status_code == 302
