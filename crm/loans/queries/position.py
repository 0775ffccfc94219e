"""Where a customer stands on a day: the figures of the customer card's summary strip, from
one read of their schedule however many loans and installments there are."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import Row, Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from crm.lending.status import LoanStatus
from crm.loans.queries.portfolio import cents, from_cents, unpaid_cents
from crm.models import Installment, Loan


@dataclass(frozen=True)
class CustomerPosition:
    """A customer's active loans on `as_of`; money in Decimal."""

    as_of: date
    #: Principal not yet repaid, due or not.
    outstanding_principal: Decimal
    #: Principal and interest of the installments due before `as_of` and not paid.
    overdue_amount: Decimal
    #: Due date of the oldest unpaid installment of any active loan; None when none is owed.
    oldest_unpaid_due_on: date | None
    #: The next payment: the first day on or after `as_of` an installment with something
    #: owed falls due (crm.lending.installments.next_due over all the loans), and what is
    #: owed on that day's installments.
    next_due_on: date | None
    next_due_amount: Decimal

    @property
    def worst_days_past_due(self) -> int:
        """The DPD of the customer's most overdue loan; 0 when none is overdue."""
        if self.oldest_unpaid_due_on is None or self.oldest_unpaid_due_on >= self.as_of:
            return 0
        return (self.as_of - self.oldest_unpaid_due_on).days


def customer_schedule(session: Session, customer_id: int, as_of: date) -> list[Row]:
    """The installments of the customer's loans that the card reads, by loan and number, in
    one query: those not fully paid (the position) and those that fell due before `as_of`
    and were paid after their date (with the unpaid ones, the timeline's arrears,
    crm.timeline.queries). Each row has the loan's status and write-off, the due date, the
    day it was paid, and the principal and the whole amount still owed in cents.

    Found through the loans' customer index: the rows are that one customer's, whatever the
    size of the book. One paid on time is never read: it changes neither."""
    parameters = {"customer_id": customer_id, "as_of": as_of}
    return session.execute(_customer_schedule(), parameters).all()


@cache
def _customer_schedule() -> Select:
    """customer_schedule's statement, built once (see crm/customers/card.py); its parameters
    are customer_id and as_of."""
    return (
        select(
            Installment.loan_id,
            Loan.status,
            Loan.written_off_at,
            Installment.due_date,
            Installment.paid_on,
            cents(Installment.principal - Installment.principal_paid).label("principal_cents"),
            unpaid_cents().label("owed_cents"),
        )
        .select_from(Loan)
        .join(Installment, Installment.loan_id == Loan.id)
        # The status is checked below, not here: with it in the WHERE clause SQLite reads the
        # whole book through ix_loans_status_oldest_unpaid_due_on_customer_id instead of this
        # customer.
        .where(
            Loan.customer_id == bindparam("customer_id"),
            or_(
                Installment.paid_on.is_(None),
                and_(
                    Installment.due_date < bindparam("as_of"),
                    Installment.paid_on > Installment.due_date,
                ),
            ),
        )
        .order_by(Installment.loan_id, Installment.number)
    )


def position_on(schedule: Iterable[Row], as_of: date) -> CustomerPosition:
    """The customer's position on `as_of`, added up from their `customer_schedule` rows: the
    installments not fully paid of their active loans."""
    owed = [row for row in schedule if row.paid_on is None and row.status == LoanStatus.ACTIVE]
    upcoming = [row for row in owed if row.due_date >= as_of]
    next_on = min((row.due_date for row in upcoming), default=None)
    return CustomerPosition(
        as_of=as_of,
        outstanding_principal=from_cents(sum(row.principal_cents for row in owed)),
        overdue_amount=from_cents(sum(row.owed_cents for row in owed if row.due_date < as_of)),
        oldest_unpaid_due_on=min((row.due_date for row in owed), default=None),
        next_due_on=next_on,
        next_due_amount=from_cents(
            sum(row.owed_cents for row in upcoming if row.due_date == next_on)
        ),
    )
