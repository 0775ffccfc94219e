"""Delivery to a real SMTP server: right after the commit, again later when the server was
away, with growing waits, never by two deliverers at once, and with one Message-ID."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from crm.clock import as_utc
from crm.extensions import db
from crm.mail.delivery import LAST_RETRY, LEASE_LOST, claim, deliver_waiting, retry_delay
from crm.models import OutboxMessage, OutboxStatus
from tests.factories import CustomerFactory, UserFactory
from tests.mail.smtp import SENDER


def stored(message: OutboxMessage) -> OutboxMessage:
    """The row as the deliverers left it (a new transaction: SQLite's reads see a snapshot)."""
    db.session.commit()
    return db.session.get(OutboxMessage, message.id)


def test_a_message_is_delivered_right_after_the_commit_as_text_and_html(app, queue, mailbox):
    message = queue(to="taras@example.com", locale="en", name="Taras")
    db.session.commit()

    [received] = mailbox.messages
    assert received.recipients == ["taras@example.com"]
    assert received.message["From"] == SENDER
    assert received.subject == "Outbox: Taras"
    assert received.message_id == message.message_id
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.text.startswith("Taras\n\nhttp://localhost/account/")
    assert "If you did not expect it, you can ignore it." in received.text
    assert '<a href="http://localhost/account/">Outbox</a>' in received.html
    assert '<html lang="en">' in received.html
    sent = stored(message)
    assert (sent.status, sent.attempts, sent.claimed_until) == (OutboxStatus.SENT, 1, None)
    assert sent.sent_at is not None


def test_a_message_in_ukrainian_has_a_utf8_cyrillic_subject_and_body(app, queue, mailbox):
    queue(locale="uk", name="Тарас")
    db.session.commit()

    [received] = mailbox.messages
    assert received.subject == "Вихідна пошта: Тарас"
    assert "=?utf-8?" in received.message.as_string().lower(), "the header is encoded"
    assert received.message.get_body(("plain",)).get_content_charset() == "utf-8"
    assert received.text.startswith("Тарас\n")
    assert "Якщо ви не чекали цього листа, просто не зважайте на нього." in received.text
    assert '<html lang="uk">' in received.html
    assert "Вихідна пошта</a>" in received.html


def test_the_link_in_a_delivered_message_opens_the_page(
    app, client, login, queue, mailbox, customer_user
):
    queue(to=customer_user.email)
    db.session.commit()
    [link] = mailbox.messages[0].links
    assert link == "http://localhost/account/"

    assert client.get(link).status_code == 302, "to the log-in page first"
    login(customer_user)
    assert client.get(link).status_code == 200


def test_links_start_with_crm_base_url_and_keep_its_path(app, queue, mailbox):
    app.config["CRM_BASE_URL"] = "https://crm.example.com/lender"
    queue()
    db.session.commit()

    assert mailbox.messages[0].links == ["https://crm.example.com/lender/account/"]


def test_with_the_server_down_the_request_succeeds_and_the_message_waits_then_goes_once(
    app, client, runner, mailbox, clock, queuing_page
):
    mailbox.stop()

    assert client.post(queuing_page).status_code == 204

    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == OutboxStatus.WAITING
    assert message.attempts == 1
    assert as_utc(message.next_attempt_at) == clock.now + timedelta(minutes=1)
    assert "ConnectionRefusedError" in message.last_error
    mailbox.start()
    assert runner.invoke(args=["outbox", "deliver", "--once"]).output.startswith(
        "Sent: 0, logged: 0, failed: 0 (given up: 0), waiting: 1."
    ), "not due yet"

    clock.advance(minutes=1)
    result = runner.invoke(args=["outbox", "deliver", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output == "Sent: 1, logged: 0, failed: 0 (given up: 0), waiting: 0.\n"
    assert [received.message_id for received in mailbox.messages] == [message.message_id]
    assert runner.invoke(args=["outbox", "deliver", "--once"]).exit_code == 0
    assert len(mailbox.messages) == 1, "sent exactly once"
    assert (stored(message).status, stored(message).attempts) == (OutboxStatus.SENT, 2)


def test_delivery_after_the_commit_cannot_break_the_request(
    app, client, mailbox, queuing_page, monkeypatch, caplog
):
    def broken(**_arguments):
        raise RuntimeError("a bug in delivery")

    monkeypatch.setattr("crm.mail.hooks.deliver_waiting", broken)

    assert client.post(queuing_page).status_code == 204

    assert db.session.scalars(select(OutboxMessage.status)).all() == [OutboxStatus.WAITING]
    assert "Delivery after the commit failed" in caplog.text


def test_waits_between_tries_double_up_to_an_hour_and_the_last_try_gives_up(
    app, queue, mailbox, clock
):
    mailbox.stop()
    message = queue()
    db.session.commit()
    waits = [as_utc(stored(message).next_attempt_at) - clock.now]
    while stored(message).status == OutboxStatus.WAITING:
        clock.now = as_utc(stored(message).next_attempt_at)
        deliver_waiting()
        waits.append(as_utc(stored(message).next_attempt_at) - clock.now)

    minutes = [int(wait.total_seconds() // 60) for wait in waits[:-1]]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    failed = stored(message)
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, 10)
    assert failed.last_error.startswith("ConnectionRefusedError")
    assert retry_delay(30) == LAST_RETRY
    clock.advance(days=1)
    assert deliver_waiting().claimed == 0, "a failed message is not tried again"


def test_a_recipient_the_server_refuses_for_good_fails_at_once(app, queue, mailbox):
    mailbox.handler.refused.add("nobody@example.com")
    message = queue(to="nobody@example.com")
    db.session.commit()

    failed = stored(message)
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, 1)
    assert "550" in failed.last_error
    assert mailbox.messages == []


def test_a_message_claimed_by_a_deliverer_that_died_is_sent_after_its_lease_with_its_id(
    app, queue, mailbox, clock
):
    message = queue()
    db.session.info.clear()  # not delivered after the commit: left to the deliverers
    db.session.commit()
    with db.engine.connect() as connection:
        [taken] = claim(connection, now=clock.now, limit=10)
    assert taken.id == message.id

    assert deliver_waiting().claimed == 0, "another deliverer leaves it alone while claimed"
    clock.advance(minutes=15, seconds=1)
    assert deliver_waiting().sent == 1

    assert [received.message_id for received in mailbox.messages] == [message.message_id]
    assert stored(message).attempts == 2


def test_a_message_whose_deliverer_died_on_its_last_try_fails_when_the_lease_runs_out(
    app, queue, mailbox, clock
):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    message = queue()
    db.session.info.clear()
    db.session.commit()
    with db.engine.connect() as connection:
        claim(connection, now=clock.now, limit=10)
    clock.advance(minutes=15, seconds=1)

    assert deliver_waiting().claimed == 0
    failed = stored(message)
    assert (failed.status, failed.attempts, failed.claimed_until) == (OutboxStatus.FAILED, 1, None)
    assert failed.last_error == LEASE_LOST
    assert mailbox.messages == []


def test_a_message_whose_acceptance_was_lost_goes_again_with_the_same_message_id(
    app, queue, mailbox, clock
):
    # The server kept it but the answer never came: SMTP cannot tell this from a failure,
    # so the message goes again, and the receiver can tell the copies apart by their id.
    mailbox.handler.hang_up_after_data = 1
    message = queue()
    db.session.commit()
    assert stored(message).status == OutboxStatus.WAITING

    clock.advance(minutes=1)
    deliver_waiting()

    assert [received.message_id for received in mailbox.messages] == [message.message_id] * 2
    assert stored(message).status == OutboxStatus.SENT


def test_without_a_mail_server_messages_are_logged_with_their_links(app, queue, caplog):
    caplog.set_level("INFO", logger="crm.mail")
    message = queue(to="dev@example.com")
    db.session.commit()

    logged = stored(message)
    assert logged.status == OutboxStatus.LOGGED
    assert logged.sent_at is not None
    [record] = [record for record in caplog.records if record.name == "crm.mail"]
    text = record.getMessage()
    assert "MAIL_SERVER is not set" in text
    assert "To: dev@example.com" in text
    assert "http://localhost/account/" in text


@pytest.mark.parametrize("factory", [UserFactory, CustomerFactory])
def test_other_commits_deliver_nothing(app, mailbox, factory):
    factory()
    db.session.commit()
    assert mailbox.messages == []
