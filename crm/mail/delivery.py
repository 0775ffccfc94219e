"""Sending the outbox (crm/models/outbox.py) to the SMTP server of the MAIL_* settings.

A round claims the messages that are due, in a transaction of its own: on PostgreSQL the
rows are locked with SKIP LOCKED, so concurrent deliverers take different rows; on SQLite
the claim is one UPDATE, and the database's write lock lets one claimer in at a time. A
claim is a lease (MAIL_CLAIM_LEASE): a deliverer that dies leaves its rows to be taken
again once it runs out. Each message is then sent and marked sent in its own commit, or
its try is recorded and the next one scheduled, 1, 2, 4, … minutes later (at most an
hour), until MAIL_MAX_ATTEMPTS tries have failed or the server refused it for good (5xx):
then it is failed.

Without MAIL_SERVER (development), the claimed messages are written to the log (logger
crm.mail, the whole text, so that a developer can follow its links) and marked logged.

This module reads the app's settings and commits, so it belongs to the web and command
line layer: views reach it through crm/mail/hooks.py, commands through crm/cli/outbox.py.
"""

import logging
import smtplib
from collections.abc import Callable, Collection
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import Connection, Select, and_, func, or_, select, update

from crm.clock import utc_now
from crm.extensions import db, mail
from crm.models.outbox import MAX_ERROR, PENDING_STATUSES, OutboxMessage, OutboxStatus

logger = logging.getLogger("crm.mail")

OUTBOX = OutboxMessage.__table__
#: The wait after the first failed try; it doubles after each, up to LAST_RETRY.
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=1)
#: Headers of every message: a stable id, and "a machine wrote this" (RFC 3834), so that
#: out-of-office replies are not sent back.
AUTO_SUBMITTED = "auto-generated"
#: The last_error of a message whose deliverer never came back within its lease.
LEASE_LOST = "The deliverer that claimed it stopped answering before it finished."


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, as sent."""

    id: int
    recipient: str
    subject: str
    text_body: str
    html_body: str
    message_id: str
    attempts: int
    claimed_until: datetime


@dataclass
class Round:
    """What one round did: messages claimed, and how each ended."""

    claimed: int = 0
    sent: int = 0
    logged: int = 0
    #: Failed this time, to be tried again later.
    retrying: int = 0
    #: Given up.
    failed: int = 0

    def __add__(self, other: "Round") -> "Round":
        return Round(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Round)))


def deliver_due(*, stop: Callable[[], bool] = lambda: False) -> Round:
    """Rounds of deliver_waiting until no message is due (a failed try is due later, so
    this ends), or `stop()` says so between rounds."""
    total = Round()
    batch = current_app.config["MAIL_BATCH"]
    while not stop():
        done = deliver_waiting(limit=batch)
        total += done
        if done.claimed < batch:
            break
    return total


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` tries failed: 1, 2, 4, … minutes, ≤ 1 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


def deliver_waiting(
    *, now: datetime | None = None, limit: int | None = None, ids: Collection[int] | None = None
) -> Round:
    """Claim up to `limit` (MAIL_BATCH) messages due by `now` (the app's clock), only those
    of `ids` when given, and send them (or log them, without MAIL_SERVER).

    Runs on a connection of its own, whatever the caller's session holds, and commits the
    claim and each message's outcome. SMTP errors are recorded on the messages, never raised.
    """
    config = current_app.config
    with db.engine.connect() as connection:
        claimed = claim(
            connection,
            now=now or utc_now(),
            limit=limit or config["MAIL_BATCH"],
            ids=ids,
        )
        result = Round(claimed=len(claimed))
        if not claimed:
            return result
        if config.get("MAIL_SERVER"):
            send(connection, claimed, result)
        else:
            write_to_log(connection, claimed, result)
    return result


def claim(
    connection: Connection, *, now: datetime, limit: int, ids: Collection[int] | None = None
) -> list[Outgoing]:
    """Take the due messages for this deliverer: status sending, a lease, one more try.

    Due: waiting with next_attempt_at ≤ now, or sending with a lease run out (its
    deliverer died). Of those, the ones whose last try was the last allowed are failed.
    """
    config = current_app.config
    lease_lost = and_(OUTBOX.c.status == OutboxStatus.SENDING, OUTBOX.c.claimed_until < now)
    spent = select(OUTBOX.c.id).where(lease_lost, OUTBOX.c.attempts >= config["MAIL_MAX_ATTEMPTS"])
    connection.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(unclaimed(spent)))
        .values(status=OutboxStatus.FAILED, claimed_until=None, last_error=LEASE_LOST)
    )
    due = or_(
        and_(OUTBOX.c.status == OutboxStatus.WAITING, OUTBOX.c.next_attempt_at <= now),
        lease_lost,
    )
    chosen = select(OUTBOX.c.id).where(due)
    if ids is not None:
        chosen = chosen.where(OUTBOX.c.id.in_(list(ids)))
    chosen = chosen.order_by(OUTBOX.c.next_attempt_at, OUTBOX.c.id).limit(limit)
    lease = now + config["MAIL_CLAIM_LEASE"]
    rows = connection.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(unclaimed(chosen)))
        .values(status=OutboxStatus.SENDING, claimed_until=lease, attempts=OUTBOX.c.attempts + 1)
        .returning(*(OUTBOX.c[field.name] for field in fields(Outgoing)))
    ).all()
    connection.commit()
    return sorted((Outgoing(**row._mapping) for row in rows), key=lambda message: message.id)


def unclaimed(rows: Select) -> Select:
    """`rows`, less those another deliverer is claiming at this moment: on PostgreSQL they
    are locked, and passed over rather than waited for. SQLite has no row locks and leaves
    this out; its write lock lets one claiming UPDATE run at a time."""
    return rows.with_for_update(skip_locked=True)


def send(connection: Connection, claimed: list[Outgoing], result: Round) -> None:
    """Send the claimed messages over one SMTP connection; a server that cannot be reached
    fails the try of them all at once (one timeout, not one per message)."""
    smtp = smtp_connection()
    try:
        smtp.open()
    except Exception as error:
        logger.warning("SMTP server unreachable: %s", describe(error))
        for message in claimed:
            record_failure(connection, message, error, result)
        return
    try:
        for message in claimed:
            send_one(connection, smtp, message, result)
    finally:
        close_quietly(smtp)


def send_one(connection: Connection, smtp, message: Outgoing, result: Round) -> None:
    try:
        if not smtp.send_messages([email(message, smtp)]):
            raise smtplib.SMTPException("the message was not sent")
    except Exception as error:
        logger.warning("Message %s to %s not sent: %s", message.id, message.recipient, error)
        # The connection may be broken; the next message opens a new one.
        close_quietly(smtp)
        record_failure(connection, message, error, result)
        return
    # Marked in its own commit the moment the server took it: only a crash right here,
    # or an answer lost on the way, can make it go out again (with the same Message-ID).
    finish(connection, message, OutboxStatus.SENT)
    result.sent += 1


def smtp_connection():
    """A Flask-Mailman connection to the configured server (not opened yet), with the
    settings as they are now: MAIL_BACKEND, when set, chooses another backend (the tests'
    `locmem`, which Flask-Mailman also picks itself under TESTING)."""
    config = current_app.config
    return mail.get_connection(
        backend=config.get("MAIL_BACKEND") or None,
        host=config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        use_tls=config.get("MAIL_USE_TLS", False),
        timeout=config["MAIL_TIMEOUT"],
    )


def email(message: Outgoing, smtp) -> EmailMultiAlternatives:
    """The message as MIME: plain text, with the HTML as an alternative part."""
    built = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=current_app.config.get("MAIL_DEFAULT_SENDER"),
        to=[message.recipient],
        headers={"Message-ID": message.message_id, "Auto-Submitted": AUTO_SUBMITTED},
        connection=smtp,
    )
    built.attach_alternative(message.html_body, "text/html")
    return built


def close_quietly(smtp) -> None:
    try:
        smtp.close()
    except Exception as error:
        logger.info("Closing the SMTP connection failed: %s", describe(error))


def write_to_log(connection: Connection, claimed: list[Outgoing], result: Round) -> None:
    for message in claimed:
        logger.info(
            "MAIL_SERVER is not set: message %s logged, not sent.\nTo: %s\nSubject: %s\n"
            "Message-ID: %s\n\n%s",
            message.id,
            message.recipient,
            message.subject,
            message.message_id,
            message.text_body,
        )
        finish(connection, message, OutboxStatus.LOGGED)
        result.logged += 1


def finish(connection: Connection, message: Outgoing, status: OutboxStatus) -> None:
    connection.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id == message.id)
        .values(status=status, sent_at=utc_now(), claimed_until=None, last_error=None)
    )
    connection.commit()


def record_failure(
    connection: Connection, message: Outgoing, error: BaseException, result: Round
) -> None:
    """Schedule the next try, or give up after the last one or a final refusal. Only while
    the claim is still this deliverer's: a row taken over after its lease ran out is left
    to whoever took it."""
    give_up = refused_for_good(error) or (
        message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    )
    now = utc_now()
    connection.execute(
        update(OUTBOX)
        .where(
            OUTBOX.c.id == message.id,
            OUTBOX.c.status == OutboxStatus.SENDING,
            OUTBOX.c.claimed_until == message.claimed_until,
        )
        .values(
            status=OutboxStatus.FAILED if give_up else OutboxStatus.WAITING,
            next_attempt_at=now if give_up else now + retry_delay(message.attempts),
            claimed_until=None,
            last_error=describe(error),
        )
    )
    connection.commit()
    if give_up:
        result.failed += 1
    else:
        result.retrying += 1


def refused_for_good(error: BaseException) -> bool:
    """Whether the server refused the message itself with a permanent (5xx) reply: to
    every recipient, or its content. A refused sender or log-in is the settings' fault,
    and is tried again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def describe(error: BaseException) -> str:
    """The error as kept in last_error: its kind and message, on one line."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text[:MAX_ERROR]


def pending_count() -> int:
    """Messages that may still go out (waiting or sending), due or not."""
    with db.engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(OUTBOX).where(OUTBOX.c.status.in_(PENDING_STATUSES))
        )
