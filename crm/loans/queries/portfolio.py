"""The loan portfolio as of a day: outstanding principal, arrears and PAR30.

Everything is computed in SQL from two figures each loan row keeps up to date
(`principal_outstanding` and `oldest_unpaid_due_on`, see crm.lending.installments.position)
and, for the amounts overdue, from the installments of the overdue loans only.

Money is summed in whole cents as integers: SQLite's SUM over NUMERIC is float arithmetic,
where a thousand 0.10s do not make 100.00, while integer cents add up exactly on every
database. Python turns the cents back into Decimal.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, ColumnElement, Select, case, cast, func, select
from sqlalchemy.orm import Session

from crm.clock import lender_today
from crm.lending.delinquency import BUCKET_DAYS, Bucket
from crm.lending.money import CENT, ROUNDING
from crm.lending.status import LoanStatus
from crm.models import Installment, Loan

#: PAR30 counts the loans more than this many days past due.
PAR_DAYS = 30


def cents(amount: ColumnElement) -> ColumnElement[int]:
    """A money expression as whole cents in an integer, which every database sums exactly."""
    return cast(func.round(amount * 100), BigInteger)


def from_cents(value: int | Decimal | None) -> Decimal:
    """Whole cents from SQL (None for a sum over no rows) as Decimal money: 1005 → 10.05."""
    return Decimal(int(value or 0)).scaleb(-2)


def is_overdue(as_of: date) -> ColumnElement[bool]:
    """An active loan with an installment left unpaid past its due date, on `as_of`."""
    return (Loan.status == LoanStatus.ACTIVE) & (Loan.oldest_unpaid_due_on < as_of)


def bucket_case(oldest_unpaid: ColumnElement[date], as_of: date) -> ColumnElement[str]:
    """The delinquency bucket (its value) at the end of `as_of` of a loan whose oldest unpaid
    installment fell due on `oldest_unpaid` (empty: none): DPD = as_of − that day, in the
    ranges of BUCKET_DAYS; an installment due on `as_of` itself is not overdue yet."""
    limits = [
        (oldest_unpaid >= as_of - timedelta(days=high), bucket.value)
        for bucket, (_low, high) in BUCKET_DAYS.items()
        if high is not None
    ]
    worst = next(bucket for bucket, (_low, high) in BUCKET_DAYS.items() if high is None)
    return case(
        (oldest_unpaid.is_(None) | (oldest_unpaid >= as_of), Bucket.CURRENT.value),
        *limits,
        else_=worst.value,
    )


def unpaid_cents() -> ColumnElement[int]:
    return cents(
        Installment.principal
        - Installment.principal_paid
        + Installment.interest
        - Installment.interest_paid
    )


def overdue_installments(until: date, *loans: ColumnElement[bool]) -> Select:
    """Installments from the oldest unpaid one to `until` (exclusive) of the loans that meet
    the `loans` conditions, which must include is_overdue().

    The installments before the oldest unpaid one are paid, so skipping them leaves every
    sum as it is and keeps the work proportional to the arrears, not to the portfolio.
    """
    return (
        select()
        .select_from(Installment)
        .join(Loan, Loan.id == Installment.loan_id)
        .where(
            *loans,
            Installment.due_date >= Loan.oldest_unpaid_due_on,
            Installment.due_date < until,
        )
    )


@dataclass(frozen=True)
class Portfolio:
    """The active loans on `as_of`; money in whole cents."""

    as_of: date
    active_loans: int
    #: Principal not yet repaid on the active loans, whether due or not.
    outstanding: Decimal
    overdue_loans: int
    #: Principal and interest of the installments due before `as_of` and not paid.
    overdue_amount: Decimal
    #: Outstanding principal of the loans more than PAR_DAYS past due.
    at_risk: Decimal

    @property
    def par30(self) -> Decimal | None:
        """at_risk ÷ outstanding as a percentage to 0.01; None without outstanding principal."""
        if not self.outstanding:
            return None
        return (self.at_risk * 100 / self.outstanding).quantize(CENT, rounding=ROUNDING)


def portfolio(session: Session, as_of: date | None = None) -> Portfolio:
    """The portfolio figures on `as_of` (default: the lender's today), in one query."""
    as_of = as_of or lender_today()
    outstanding = cents(Loan.principal_outstanding)
    overdue_amount = (
        overdue_installments(as_of, is_overdue(as_of))
        .add_columns(func.sum(unpaid_cents()))
        .scalar_subquery()
    )
    row = session.execute(
        select(
            func.count(),
            func.sum(outstanding),
            func.count(case((Loan.oldest_unpaid_due_on < as_of, Loan.id))),
            func.sum(
                case(
                    (Loan.oldest_unpaid_due_on < as_of - timedelta(days=PAR_DAYS), outstanding),
                    else_=0,
                )
            ),
            overdue_amount,
        ).where(Loan.status == LoanStatus.ACTIVE)
    ).one()
    active, total, overdue, at_risk, amount = row
    return Portfolio(
        as_of=as_of,
        active_loans=active,
        outstanding=from_cents(total),
        overdue_loans=overdue,
        overdue_amount=from_cents(amount),
        at_risk=from_cents(at_risk),
    )
