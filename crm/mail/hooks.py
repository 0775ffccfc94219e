"""Delivery right after the commit that queued the messages.

`queue_message` notes each new row's id in the session's `info` (QUEUED); when the
session's outermost transaction commits, those messages are sent (crm/mail/delivery.py)
with MAIL_TIMEOUT, before the request answers. A transaction that rolls back forgets them,
as its rows are gone. Delivery runs on a connection of its own, never through a session, so
its own commits cannot come back here; it is guarded against re-entry all the same. Nothing
it meets (an unreachable server, a bug) reaches the request, which has already committed:
the messages wait for `flask --app wsgi outbox deliver`.
"""

import logging
from contextvars import ContextVar

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from crm.mail.delivery import deliver_waiting
from crm.mail.services import QUEUED

logger = logging.getLogger("crm.mail")

#: True while this thread delivers after a commit.
_delivering: ContextVar[bool] = ContextVar("delivering", default=False)


def listen() -> None:
    """Listen to every session (once per process, as the audit trail's hook does)."""
    if not event.contains(Session, "after_commit", deliver_after_commit):
        event.listen(Session, "after_commit", deliver_after_commit)
        event.listen(Session, "after_transaction_end", forget_queued)


def deliver_after_commit(session: Session) -> None:
    # after_commit also follows a savepoint's release: the rows are not committed yet.
    if session.get_nested_transaction() is not None:
        return
    queued = session.info.pop(QUEUED, None)
    if not queued or _delivering.get() or not has_app_context():
        return
    token = _delivering.set(True)
    try:
        deliver_waiting(ids=queued, limit=len(queued))
    except Exception:
        logger.exception("Delivery after the commit failed; the messages wait in the outbox")
    finally:
        _delivering.reset(token)


def forget_queued(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended (after a commit, the ids were taken already)."""
    if transaction.parent is None:
        session.info.pop(QUEUED, None)
