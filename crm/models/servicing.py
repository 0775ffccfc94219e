"""The repayment schedule of a started loan, and the payments made against it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.lending.installments import amount_due
from crm.models.base import Base
from crm.models.types import Money, foreign_id, utcnow

if TYPE_CHECKING:
    from crm.models.loan import Loan
    from crm.models.user import User

ZERO = Decimal("0.00")
#: The longest payment reference the column holds.
MAX_REFERENCE = 64


class Installment(Base):
    """One row of a schedule; written when the loan starts, changed only by payments."""

    __tablename__ = "installments"
    __table_args__ = (
        UniqueConstraint("loan_id", "number", name="uq_installments_loan_id_number"),
        CheckConstraint("number >= 1", "number_positive"),
        CheckConstraint("principal >= 0 AND interest >= 0", "amounts_not_negative"),
        CheckConstraint(
            "principal_paid >= 0 AND principal_paid <= principal "
            "AND interest_paid >= 0 AND interest_paid <= interest",
            "paid_within_due",
        ),
        Index("ix_installments_due_date", "due_date"),
        #: A loan's installments from a due date on: what each loan of the overdue queue owes
        #: and when it next pays (crm/loans/queries/overdue.py).
        Index("ix_installments_loan_id_due_date", "loan_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = foreign_id("loans")
    number: Mapped[int]
    due_date: Mapped[date]
    principal: Mapped[Money]
    interest: Mapped[Money]
    principal_paid: Mapped[Money] = mapped_column(default=ZERO)
    interest_paid: Mapped[Money] = mapped_column(default=ZERO)
    #: The day the last cent of this installment was paid; empty while anything is owed.
    paid_on: Mapped[date | None]

    loan: Mapped[Loan] = relationship(back_populates="installments")

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest

    @property
    def unpaid(self) -> Decimal:
        return amount_due(self)


class Payment(Base):
    """Money received for a loan; `reference` makes posting the same payment twice harmless."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("loan_id", "reference", name="uq_payments_loan_id_reference"),
        CheckConstraint("amount > 0", "amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = foreign_id("loans")
    paid_on: Mapped[date] = mapped_column(index=True)
    amount: Mapped[Money]
    #: The bank's or cashier's reference; unique per loan.
    reference: Mapped[str] = mapped_column(String(MAX_REFERENCE))
    recorded_by_id: Mapped[int | None] = foreign_id("users")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    reversed_at: Mapped[datetime | None]
    reversed_by_id: Mapped[int | None] = foreign_id("users")
    reversal_reason: Mapped[str | None] = mapped_column(Text)

    loan: Mapped[Loan] = relationship(back_populates="payments")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    reversed_by: Mapped[User | None] = relationship(foreign_keys=[reversed_by_id])
    allocations: Mapped[list[PaymentAllocation]] = relationship(
        back_populates="payment", cascade="all, delete-orphan"
    )

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None


class PaymentAllocation(Base):
    """How much of a payment went to one installment's interest and principal."""

    __tablename__ = "payment_allocations"
    __table_args__ = (CheckConstraint("principal >= 0 AND interest >= 0", "amounts_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = foreign_id("payments", ondelete="CASCADE")
    installment_id: Mapped[int] = foreign_id("installments")
    principal: Mapped[Money]
    interest: Mapped[Money]

    payment: Mapped[Payment] = relationship(back_populates="allocations")
    installment: Mapped[Installment] = relationship()
