"""The e-mail outbox: one row per message, written in the transaction of the change that
causes it (a registration, an invitation), and sent from there (crm/mail/).

Delivery is at least once, never exactly once: SMTP has no way to ask a server whether it
took a message whose answer was lost (a timeout after the message was sent). What the
outbox does guarantee:

- a message exists only if the change that caused it was committed, and then it is sent
  (or, after MAIL_MAX_ATTEMPTS tries, marked failed where an admin sees it);
- two deliverers never send the same row at the same time: a deliverer first claims rows
  (status `sending`, a lease until `claimed_until`) in a transaction of its own;
- a row is marked `sent` in its own commit right after the server accepted it, so only a
  crash or a lost answer in between can make it go out again;
- when it does go out again, it carries the same `message_id` (the Message-ID header, made
  once when the row is written), by which mail systems recognise the duplicate.
"""

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base
from crm.models.types import utcnow

#: The longest recipient address (RFC 5321's limit for a path), and subject kept.
MAX_RECIPIENT = 254
MAX_SUBJECT = 255
#: The longest error text kept of a failed try: the gist, not a traceback.
MAX_ERROR = 500


class OutboxStatus(enum.StrEnum):
    #: Due at next_attempt_at (at once when queued; later after a failed try).
    WAITING = "waiting"
    #: Claimed by a deliverer until claimed_until; after that, any deliverer may take it again.
    SENDING = "sending"
    #: Accepted by the SMTP server at sent_at.
    SENT = "sent"
    #: Given up: MAIL_MAX_ATTEMPTS tries failed, or the server refused it for good (5xx).
    FAILED = "failed"
    #: No SMTP server was configured (MAIL_SERVER unset, as in development): written to the
    #: log at sent_at instead, and never sent by mail.
    LOGGED = "logged"


#: The statuses of messages that may still be sent.
PENDING_STATUSES = frozenset({OutboxStatus.WAITING, OutboxStatus.SENDING})


class OutboxMessage(Base):
    """One e-mail to one recipient, as it will be sent: rendered in the recipient's language."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The deliverers' question: which rows of a status are due by now.
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(MAX_RECIPIENT))
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    #: The language it was written in ("uk", "en").
    locale: Mapped[str] = mapped_column(String(8))
    #: The Message-ID header (with its angle brackets), the same on every try.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[OutboxStatus] = mapped_column(default=OutboxStatus.WAITING)
    #: Tries begun so far: counted when a deliverer claims the row.
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The lease of the deliverer that claimed it (status sending).
    claimed_until: Mapped[datetime | None]
    #: When the server accepted it (status sent), or it was written to the log (logged).
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(MAX_ERROR))
    #: What the message is about when it must go out once only ("reminder:due:123" for the
    #: daily run's reminder of installment 123); unique, so a second run queues nothing.
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
