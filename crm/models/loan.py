"""Loans, from application to closing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.lending.status import LoanStatus
from crm.models.base import Base
from crm.models.product import MAX_RATE, MAX_TERM, MIN_RATE, MIN_TERM
from crm.models.types import Money, Rate, foreign_id, utcnow

if TYPE_CHECKING:
    from crm.models.customer import Customer
    from crm.models.product import Product
    from crm.models.servicing import Installment, Payment
    from crm.models.user import User


class Loan(Base):
    __tablename__ = "loans"
    __table_args__ = (
        CheckConstraint("amount > 0", "amount_positive"),
        CheckConstraint(f"term_months >= {MIN_TERM} AND term_months <= {MAX_TERM}", "term_range"),
        CheckConstraint(f"annual_rate >= {MIN_RATE} AND annual_rate <= {MAX_RATE}", "rate_range"),
        Index("ix_loans_status_created_at", "status", "created_at"),
        #: The overdue loans in order of their oldest unpaid due date, with each one's customer
        #: for the overdue queue's filters (crm/loans/queries/overdue.py), from the index alone.
        Index(
            "ix_loans_status_oldest_unpaid_due_on_customer_id",
            "status",
            "oldest_unpaid_due_on",
            "customer_id",
        ),
        #: The loans list sorted by amount (crm/loans/queries/loans.py SORTS).
        Index("ix_loans_amount_id", "amount", "id"),
        #: The loans newest first, the staff list's and the admin's order: a deep page reads
        #: its ids from the index alone (with the id in it, PostgreSQL can; SQLite's entries
        #: hold the rowid anyway).
        Index("ix_loans_created_at_id", "created_at", "id"),
        #: A customer's loans, and the loans of the customers a search finds newest first:
        #: their page's ids from the index alone (crm.paging.paginate's sort_first).
        Index("ix_loans_customer_id_created_at_id", "customer_id", "created_at", "id"),
        #: The disbursements of a range of days (crm/reports/queries/monthly.py), with their
        #: amounts, read from the index alone.
        Index("ix_loans_disbursed_on_amount", "disbursed_on", "amount"),
        CheckConstraint("principal_outstanding >= 0", "outstanding_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed with the loans' order (ix_loans_customer_id_created_at_id), not alone.
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    product_id: Mapped[int] = foreign_id("products")
    #: Principal applied for and issued; the schedule's principal parts sum to it exactly.
    amount: Mapped[Money]
    term_months: Mapped[int]
    #: The product's rate (percent a year) copied at application;
    #: a later change of the product's rate never moves it.
    annual_rate: Mapped[Rate]
    status: Mapped[LoanStatus] = mapped_column(default=LoanStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = foreign_id("users")
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    disbursed_on: Mapped[date | None]
    #: Why, when and by whom the loan was written off.
    write_off_reason: Mapped[str | None] = mapped_column(Text)
    written_off_at: Mapped[datetime | None]
    written_off_by_id: Mapped[int | None] = foreign_id("users")
    #: Principal still owed; kept by the servicing functions so that portfolio totals,
    #: PAR and the overdue queue read one row per loan instead of every installment.
    principal_outstanding: Mapped[Money] = mapped_column(default=Decimal("0.00"))
    #: Due date of the oldest installment not fully paid (empty when nothing is owed);
    #: a loan is overdue when this is before today, and DPD counts from it.
    oldest_unpaid_due_on: Mapped[date | None]
    #: Bumped on every update; a stale edit fails instead of overwriting someone else's.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    customer: Mapped[Customer] = relationship(back_populates="loans")
    product: Mapped[Product] = relationship(back_populates="loans")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    written_off_by: Mapped[User | None] = relationship(foreign_keys=[written_off_by_id])
    installments: Mapped[list[Installment]] = relationship(
        back_populates="loan", order_by="Installment.number", passive_deletes="all"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="loan", order_by="Payment.paid_on, Payment.id", passive_deletes="all"
    )

    def __str__(self) -> str:
        return f"#{self.id}"
