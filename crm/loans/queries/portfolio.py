"""Today's loan portfolio: outstanding principal, arrears and PAR1/30/90.

Everything is computed in SQL from two figures each loan row keeps up to date
(`principal_outstanding` and `oldest_unpaid_due_on`, see crm.lending.installments.position)
and, for the amounts overdue, from the installments of the overdue loans only.

Money is summed in whole cents as integers: SQLite's SUM over NUMERIC is float arithmetic,
where a thousand 0.10s do not make 100.00, while integer cents add up exactly on every
database. Python turns the cents back into Decimal.
"""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, ColumnElement, Select, case, cast, func, select
from sqlalchemy.orm import Session

from crm.clock import lender_today
from crm.lending.delinquency import BUCKET_DAYS, Bucket
from crm.lending.portfolio import PAR_DAYS, PortfolioFigures
from crm.lending.status import LoanStatus
from crm.models import Installment, Loan


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


def portfolio(session: Session, as_of: date | None = None) -> PortfolioFigures:
    """Today's portfolio figures (the definitions of crm.lending.portfolio) from the fields
    the active loans keep up to date, in one query; `as_of` (default: the lender's today)
    must be today for them to hold, since those fields are today's. Any other day is
    crm.reports' to read from the ledger."""
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
            overdue_amount,
            *at_risk_columns(
                lambda days: Loan.oldest_unpaid_due_on < as_of - timedelta(days=days),
                outstanding,
                Loan.id,
            ),
        ).where(Loan.status == LoanStatus.ACTIVE)
    ).one()
    return figures_from_row(as_of, row)


def at_risk_columns(
    more_than: Callable[[int], ColumnElement[bool]],
    outstanding: ColumnElement[int],
    loan_id: ColumnElement[int],
) -> list[ColumnElement]:
    """For each n of PAR_DAYS, the cents outstanding and the number of loans more than n days
    past due (`more_than(n)`), as figures_from_row() reads them after the four totals."""
    columns = []
    for days in PAR_DAYS:
        risky = more_than(days)
        columns.append(func.sum(case((risky, outstanding), else_=0)))
        columns.append(func.count(case((risky, loan_id))))
    return columns


def figures_from_row(as_of: date, row) -> PortfolioFigures:
    """PortfolioFigures from a row of: active loans, cents outstanding, overdue loans, cents
    overdue, then at_risk_columns(); money back from cents."""
    active, outstanding, overdue_loans, overdue, *at_risk = row
    return PortfolioFigures(
        as_of=as_of,
        active_loans=active or 0,
        outstanding=from_cents(outstanding),
        overdue_loans=overdue_loans or 0,
        overdue_amount=from_cents(overdue),
        at_risk={days: from_cents(at_risk[2 * n]) for n, days in enumerate(PAR_DAYS)},
        loans_at_risk={days: at_risk[2 * n + 1] or 0 for n, days in enumerate(PAR_DAYS)},
    )
