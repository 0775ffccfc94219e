"""What the loan page shows about one loan: its schedule with each row's state on a day,
the arrears and what the loan costs; and the schedule a loan on given terms would have."""

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crm.lending.delinquency import Delinquency, assess_delinquency
from crm.lending.disclosure import Disclosure, disclose
from crm.lending.installments import amount_due, next_due
from crm.lending.schedule import Schedule, ScheduleRow, build_schedule
from crm.models import Installment, Loan


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
    #: The next payment: the first installment due on `as_of` or later with something owed
    #: (crm.lending.installments.next_due); what is past due is the delinquency's.
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
        next_installment=next_due(installments, as_of),
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
