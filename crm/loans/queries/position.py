"""Where a customer stands on a day: the figures of the customer card's summary strip — all
their loans in one query however many loans and installments there are, and the last
contact, the open promise and the next task in one query each."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.contacts.queries import PromiseRow, last_contacts, open_promises
from crm.lending.status import LoanStatus
from crm.loans.queries.portfolio import cents, from_cents, unpaid_cents
from crm.models import Installment, Interaction, Loan, Task
from crm.tasks.queries import next_tasks


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


def customer_position(session: Session, customer_id: int, as_of: date) -> CustomerPosition:
    """The customer's position on `as_of`, in one query: the installments not fully paid of
    the customer's loans, found through the loans' customer index (the rows are that one
    customer's open schedule rows, whatever the size of the book), added up here."""
    rows = session.execute(
        select(
            Loan.status,
            Installment.due_date,
            cents(Installment.principal - Installment.principal_paid),
            unpaid_cents(),
        )
        .select_from(Loan)
        .join(Installment, Installment.loan_id == Loan.id)
        # The status is checked below, not here: with it in the WHERE clause SQLite reads the
        # whole book through ix_loans_status_oldest_unpaid_due_on instead of this customer.
        .where(Loan.customer_id == customer_id, Installment.paid_on.is_(None))
    ).all()
    owed = [row for row in rows if row.status == LoanStatus.ACTIVE]
    upcoming = [row for row in owed if row.due_date >= as_of]
    next_on = min((row.due_date for row in upcoming), default=None)
    return CustomerPosition(
        as_of=as_of,
        outstanding_principal=from_cents(sum(row[2] for row in owed)),
        overdue_amount=from_cents(sum(row[3] for row in owed if row.due_date < as_of)),
        oldest_unpaid_due_on=min((row.due_date for row in owed), default=None),
        next_due_on=next_on,
        next_due_amount=from_cents(sum(row[3] for row in upcoming if row.due_date == next_on)),
    )


@dataclass(frozen=True)
class CustomerSummary:
    """The card's summary strip: the loans' position and the collector's latest."""

    position: CustomerPosition
    last_contact: Interaction | None
    #: The latest promise to pay still open on the day.
    open_promise: PromiseRow | None
    #: The open task due first about the customer.
    next_task: Task | None


def customer_summary(session: Session, customer_id: int, as_of: date) -> CustomerSummary:
    """The customer's summary on `as_of`: four queries, whatever the data."""
    return CustomerSummary(
        position=customer_position(session, customer_id, as_of),
        last_contact=last_contacts(session, [customer_id]).get(customer_id),
        open_promise=open_promises(session, as_of, customer_ids=[customer_id]).get(customer_id),
        next_task=next_tasks(session, customer_ids=[customer_id]).get(customer_id),
    )
