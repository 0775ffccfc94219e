"""Contacts with customers (calls, meetings, e-mails, SMS, notes), and promises to pay."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.models.base import Base
from crm.models.types import Money, foreign_id, utcnow

if TYPE_CHECKING:
    from crm.models.customer import Customer
    from crm.models.loan import Loan
    from crm.models.user import User

#: The longest text of a contact: what was said, not a transcript.
MAX_CONTACT_TEXT = 2000
#: How far ahead a promise to pay may be dated, in days from the day it is made.
MAX_PROMISE_DAYS = 30


class ContactKind(enum.StrEnum):
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    SMS = "sms"
    NOTE = "note"


class ContactOutcome(enum.StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    PROMISED_TO_PAY = "promised_to_pay"
    REFUSED_TO_PAY = "refused_to_pay"
    CALL_BACK = "call_back"


class Interaction(Base):
    """One contact with a customer, logged by staff; never edited afterwards.

    A contact with the outcome "promised to pay" carries the promise: an amount on one loan
    by a date. Whether the promise is kept is derived from the loan's payments
    (crm.lending.promises), never stored.
    """

    __tablename__ = "interactions"
    __table_args__ = (
        CheckConstraint(
            "(outcome = 'promised_to_pay') = (promise_amount IS NOT NULL "
            "AND promise_made_on IS NOT NULL AND promise_due_on IS NOT NULL "
            "AND loan_id IS NOT NULL)",
            "promise_complete",
        ),
        CheckConstraint("promise_amount > 0", "promise_amount_positive"),
        CheckConstraint("promise_due_on >= promise_made_on", "promise_not_backdated"),
        # The customer's timeline and "last contact": newest first within a customer.
        Index("ix_interactions_customer_id_created_at", "customer_id", "created_at"),
        # The daily run's question: which promises fell due.
        Index("ix_interactions_outcome_promise_due_on", "outcome", "promise_due_on"),
        # A loan's latest promise, for each overdue loan (crm/loans/queries/follow_up.py).
        Index("ix_interactions_loan_id_outcome_created_at", "loan_id", "outcome", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = foreign_id("customers")
    loan_id: Mapped[int | None] = foreign_id("loans")
    kind: Mapped[ContactKind]
    outcome: Mapped[ContactOutcome]
    text: Mapped[str | None] = mapped_column(Text)
    #: The promise to pay (outcome promised_to_pay only): how much, made on which day of the
    #: lender's calendar, to be paid by which day.
    promise_amount: Mapped[Money | None]
    promise_made_on: Mapped[date | None]
    promise_due_on: Mapped[date | None]
    author_id: Mapped[int | None] = foreign_id("users")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship()
    loan: Mapped[Loan | None] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_promise(self) -> bool:
        return self.outcome is ContactOutcome.PROMISED_TO_PAY

    def __str__(self) -> str:
        return f"{self.kind.value} #{self.id}"
