"""The dashboard's figures, each from one aggregate query."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.customers.queries import customer_count
from crm.lending.status import LoanStatus
from crm.loans.queries.loans import loan_counts_by_status
from crm.models import Customer, Loan


@dataclass(frozen=True)
class Summary:
    loans_by_status: dict[LoanStatus, int]
    customers: int

    @property
    def loans(self) -> int:
        return sum(self.loans_by_status.values())


def summary(session: Session, *, manager_id: int | None = None) -> Summary:
    """Loans by status and customers: all of them, or with `manager_id` those of the
    customers that staff member manages."""
    if manager_id is None:
        by_status = loan_counts_by_status(session)
    else:
        by_status = managed_loan_counts(session, manager_id)
    return Summary(
        loans_by_status=by_status, customers=customer_count(session, manager_id=manager_id)
    )


def managed_loan_counts(session: Session, manager_id: int) -> dict[LoanStatus, int]:
    """How many loans of `manager_id`'s customers are in each status (every status present,
    0 when none), in one query: the customers by ix_customers_manager_id, their loans by
    ix_loans_customer_id."""
    statement = (
        select(Loan.status, func.count())
        .join(Customer, Customer.id == Loan.customer_id)
        .where(Customer.manager_id == manager_id)
        .group_by(Loan.status)
    )
    counts = dict.fromkeys(LoanStatus, 0)
    counts.update(session.execute(statement).all())
    return counts
