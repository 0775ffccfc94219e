"""Reading loans: lists, counts per status, one customer's loans, and what the loan page
shows about one loan (its schedule as of a day, arrears, what the loan costs)."""

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from crm.lending.delinquency import Delinquency, assess_delinquency
from crm.lending.disclosure import Disclosure, disclose
from crm.lending.installments import amount_due
from crm.lending.schedule import Schedule, ScheduleRow, build_schedule
from crm.lending.status import LoanStatus
from crm.models import Installment, Loan, Payment


def loan_counts_by_status(
    session: Session, *, customer_id: int | None = None
) -> dict[LoanStatus, int]:
    """How many loans are in each status (every status present, 0 when none), in one query."""
    statement = select(Loan.status, func.count()).group_by(Loan.status)
    if customer_id is not None:
        statement = statement.where(Loan.customer_id == customer_id)
    counts = dict.fromkeys(LoanStatus, 0)
    counts.update(session.execute(statement).all())
    return counts


def newest_first(statement: Select) -> Select:
    return statement.order_by(Loan.created_at.desc(), Loan.id.desc())


def loans_list(*, status: LoanStatus | None = None, product_id: int | None = None) -> Select:
    """Loans with their customer and product, newest first, optionally filtered."""
    statement = select(Loan).options(joinedload(Loan.customer), joinedload(Loan.product))
    if status is not None:
        statement = statement.where(Loan.status == status)
    if product_id is not None:
        statement = statement.where(Loan.product_id == product_id)
    return newest_first(statement)


def latest_loans(session: Session, limit: int) -> list[Loan]:
    return list(session.scalars(loans_list().limit(limit)))


def customer_loans(session: Session, customer_id: int) -> list[Loan]:
    """A customer's loans with their products, largest amount first (as the seed showed them)."""
    statement = (
        select(Loan)
        .where(Loan.customer_id == customer_id)
        .options(joinedload(Loan.product))
        .order_by(Loan.amount.desc(), Loan.id.desc())
    )
    return list(session.scalars(statement))


def loan_detail_options() -> list:
    """What the loan page shows beside the loan itself: the customer, product and decider
    in the loan's query, then the schedule and the payments (with who recorded and reversed
    them, and their allocations) in one query each, however many rows they have.
    Allocations find their installments among those already loaded, without a query."""
    return [
        joinedload(Loan.customer),
        joinedload(Loan.product),
        joinedload(Loan.decided_by),
        selectinload(Loan.installments),
        selectinload(Loan.payments).options(
            joinedload(Payment.recorded_by),
            joinedload(Payment.reversed_by),
            selectinload(Payment.allocations),
        ),
    ]


class RowState(enum.StrEnum):
    """Where one installment stands on a day."""

    PAID = "paid"
    PARTLY_PAID = "partly_paid"
    OVERDUE = "overdue"
    UNPAID = "unpaid"


def row_state(installment: Installment, as_of: date) -> RowState:
    """Paid in full; else overdue once its due date has passed (paid in part or not); else
    partly paid or unpaid."""
    if amount_due(installment) == 0:
        return RowState.PAID
    if installment.due_date < as_of:
        return RowState.OVERDUE
    if installment.principal_paid or installment.interest_paid:
        return RowState.PARTLY_PAID
    return RowState.UNPAID


@dataclass(frozen=True)
class ScheduleLine:
    installment: Installment
    state: RowState

    @property
    def paid(self) -> Decimal:
        return self.installment.principal_paid + self.installment.interest_paid


@dataclass(frozen=True)
class LoanServicing:
    """What the loan page shows about a started loan on `as_of`."""

    lines: list[ScheduleLine]
    delinquency: Delinquency
    disclosure: Disclosure
    #: The oldest installment not fully paid; None once the loan is repaid.
    next_installment: Installment | None

    @property
    def next_amount(self) -> Decimal | None:
        return None if self.next_installment is None else amount_due(self.next_installment)


def loan_servicing(loan: Loan, as_of: date) -> LoanServicing | None:
    """The schedule with each row's state, the arrears and the cost of a started loan,
    computed from its loaded installments (no query); None for a loan without a schedule."""
    installments = list(loan.installments)
    if not installments:
        return None
    return LoanServicing(
        lines=[ScheduleLine(item, row_state(item, as_of)) for item in installments],
        delinquency=assess_delinquency(installments, as_of),
        disclosure=disclose(stored_schedule(loan)),
        next_installment=next((item for item in installments if amount_due(item) > 0), None),
    )


def stored_schedule(loan: Loan) -> Schedule:
    """The schedule written when the loan started, as the engine's Schedule."""
    rows = []
    balance = loan.amount
    for installment in loan.installments:
        balance -= installment.principal
        rows.append(
            ScheduleRow(
                number=installment.number,
                due_date=installment.due_date,
                principal=installment.principal,
                interest=installment.interest,
                balance=balance,
            )
        )
    return Schedule(
        method=loan.product.repayment_method,
        amount=loan.amount,
        annual_rate_percent=loan.annual_rate,
        term_months=loan.term_months,
        disbursed_on=loan.disbursed_on,
        rows=tuple(rows),
    )


@dataclass(frozen=True)
class SchedulePreview:
    """A schedule computed, not stored: what a loan would look like if disbursed on a day."""

    schedule: Schedule
    disclosure: Disclosure

    @property
    def first_payment(self) -> Decimal:
        return self.schedule.rows[0].payment


def schedule_preview(
    amount: Decimal, annual_rate: Decimal, term_months: int, method: str, disbursed_on: date
) -> SchedulePreview:
    """The schedule and cost of a loan on these terms (money, percent a year, months)."""
    schedule = build_schedule(amount, annual_rate, term_months, method, disbursed_on)
    return SchedulePreview(schedule, disclose(schedule))
