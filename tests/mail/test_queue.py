"""Messages go into the outbox in the transaction of the change that causes them."""

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.mail.services import queue_message
from crm.models import OutboxMessage, OutboxStatus
from crm.validation import FieldError


def outbox() -> list[OutboxMessage]:
    db.session.commit()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_queued_message_waits_in_the_caller_transaction_until_it_commits(
    app, queue, mailbox, clock
):
    message = queue(to="Taras@Example.com")

    assert message.id is not None, "flushed, so the caller may refer to it"
    assert message.status == OutboxStatus.WAITING
    assert (message.recipient, message.attempts) == ("taras@example.com", 0)
    assert message.next_attempt_at == clock.now
    assert mailbox.messages == [], "nothing leaves before the commit"
    db.session.commit()
    assert [received.message_id for received in mailbox.messages] == [message.message_id]


def test_a_rollback_leaves_no_row_and_sends_nothing(app, queue, mailbox):
    queue()
    db.session.rollback()
    db.session.commit()

    assert outbox() == []
    assert mailbox.messages == []


def test_savepoints_are_not_the_commit(app, queue, mailbox):
    queue(to="before@example.com")
    with db.session.begin_nested():
        queue(to="released@example.com")
    with db.session.begin_nested() as savepoint:
        queue(to="dropped@example.com")
        savepoint.rollback()
    assert mailbox.messages == [], "nothing leaves before the outermost commit"
    db.session.commit()

    assert [row.recipient for row in outbox()] == ["before@example.com", "released@example.com"]
    assert [received.recipients for received in mailbox.messages] == [
        ["before@example.com"],
        ["released@example.com"],
    ]


@pytest.mark.parametrize(
    "address", ["", "not an address", "a@b@example.com", "x@example.com\nBcc: y@example.com"]
)
def test_an_address_that_is_not_one_is_refused(app, address):
    with pytest.raises(FieldError) as refused:
        queue_message(db.session, to=address, subject="S", text="T", html="<p>T</p>", locale="en")
    assert refused.value.field == "to"
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_subject_is_one_line_and_not_empty(app):
    message = queue_message(
        db.session, to="a@example.com", subject=" Two\r\nlines ", text="T", html="", locale="en"
    )
    assert message.subject == "Two lines"
    with pytest.raises(FieldError) as refused:
        queue_message(db.session, to="a@example.com", subject=" ", text="T", html="", locale="en")
    assert refused.value.field == "subject"


def test_each_message_gets_its_own_message_id_at_the_senders_domain(app, mailbox):
    first, second = (
        queue_message(db.session, to="a@example.com", subject="S", text="T", html="", locale=x)
        for x in ("en", "uk")
    )
    assert first.message_id != second.message_id
    assert first.message_id.startswith("<")
    assert first.message_id.endswith("@crm.test>")


def test_an_unknown_language_is_written_down_as_the_first_one(app):
    message = queue_message(
        db.session, to="a@example.com", subject="S", text="T", html="", locale="de"
    )
    assert message.locale == app.config["LANGUAGES"][0]
