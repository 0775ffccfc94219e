"""What a customer sees of their own records; every query is scoped by their customer id,
so that another customer's loan is not found at all (404), whatever id is asked for."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from crm.lending.delinquency import Delinquency, assess_delinquency
from crm.lending.installments import amount_due, next_due
from crm.lending.status import LoanStatus
from crm.loans.queries.loans import newest_first
from crm.models import Customer, Installment, Loan, Payment

#: How many applications a customer may have waiting for a decision at once.
MAX_PENDING = 3
#: The customer id a login linked to no customer looks for: no record has it.
NO_CUSTOMER = 0


def own_customer(session: Session, customer_id: int | None) -> Customer | None:
    return None if customer_id is None else session.get(Customer, customer_id)


def _own(customer_id: int | None) -> Select:
    """The customer's loans; none at all for a login linked to no customer."""
    return select(Loan).where(Loan.customer_id == (customer_id or NO_CUSTOMER))


@dataclass(frozen=True)
class LoanLine:
    """One loan of the overview, with where it stands on `as_of` when it is running."""

    loan: Loan
    #: The arrears of an active loan; None for a loan that is not running.
    delinquency: Delinquency | None
    #: The next payment of an active loan (crm.lending.installments.next_due).
    next_installment: Installment | None

    @property
    def next_amount(self) -> Decimal | None:
        return None if self.next_installment is None else amount_due(self.next_installment)

    @property
    def is_overdue(self) -> bool:
        return self.delinquency is not None and self.delinquency.is_overdue


def loan_line(loan: Loan, as_of: date) -> LoanLine:
    """Where `loan` stands on `as_of`, from its loaded installments (no query)."""
    if loan.status is not LoanStatus.ACTIVE or not loan.installments:
        return LoanLine(loan, None, None)
    installments = list(loan.installments)
    return LoanLine(loan, assess_delinquency(installments, as_of), next_due(installments, as_of))


def overview(session: Session, customer_id: int | None, as_of: date) -> list[LoanLine]:
    """The customer's loans and applications, newest first, each with where it stands on
    `as_of`: two queries (the loans with their products, then all their installments),
    however many loans and installments there are."""
    statement = newest_first(_own(customer_id)).options(
        joinedload(Loan.product), selectinload(Loan.installments)
    )
    return [loan_line(loan, as_of) for loan in session.scalars(statement).unique()]


def own_loan(session: Session, customer_id: int | None, loan_id: int) -> Loan | None:
    """The customer's loan `loan_id` with its product, schedule, and payments with their
    allocations (one query each, however many rows); None when it is not theirs."""
    statement = _own(customer_id).where(Loan.id == loan_id)
    statement = statement.options(
        joinedload(Loan.product),
        selectinload(Loan.installments),
        selectinload(Loan.payments).selectinload(Payment.allocations),
    )
    return session.scalars(statement.execution_options(populate_existing=True)).first()


def own_loan_row(session: Session, customer_id: int | None, loan_id: int) -> Loan | None:
    """The customer's loan `loan_id` alone, for a step taken on it; None when not theirs."""
    return session.scalars(_own(customer_id).where(Loan.id == loan_id)).first()


def pending_count(session: Session, customer_id: int | None) -> int:
    """How many of the customer's applications wait for a decision."""
    return session.scalar(
        select(func.count()).where(
            Loan.customer_id == (customer_id or NO_CUSTOMER), Loan.status == LoanStatus.PENDING
        )
    )
