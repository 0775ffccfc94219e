"""The month-end figures kept in portfolio_month_ends: computed when missing, forgotten when
something is dated into the month they describe."""

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crm.lending.portfolio import PortfolioFigures
from crm.models import PortfolioMonthEnd
from crm.reports.queries.month_ends import closed_month_ends
from crm.reports.queries.portfolio import portfolio_as_of


def record_month_ends(session: Session, today: date, months: int) -> list[date]:
    """Compute and keep the figures of the last `months` closed month ends before `today`
    that are not kept yet; the days computed, oldest first."""
    wanted = closed_month_ends(today, months)
    kept = set(
        session.scalars(select(PortfolioMonthEnd.as_of).where(PortfolioMonthEnd.as_of.in_(wanted)))
    )
    missing = [day for day in wanted if day not in kept]
    for day in missing:
        session.add(month_end_row(portfolio_as_of(session, day)))
    session.flush()
    return missing


def month_end_row(figures: PortfolioFigures) -> PortfolioMonthEnd:
    return PortfolioMonthEnd(
        as_of=figures.as_of,
        active_loans=figures.active_loans,
        outstanding=figures.outstanding,
        overdue_loans=figures.overdue_loans,
        overdue_amount=figures.overdue_amount,
        par1_amount=figures.at_risk[1],
        par30_amount=figures.at_risk[30],
        par90_amount=figures.at_risk[90],
        loans_par1=figures.loans_at_risk[1],
        loans_par30=figures.loans_at_risk[30],
        loans_par90=figures.loans_at_risk[90],
    )


def forget_month_ends(session: Session, dated: date, today: date) -> None:
    """Drop the kept month ends from `dated` on, when something dated `dated` is written
    into a month already closed on `today` (a payment or a disbursement entered late);
    one statement then, none for a date in the current month."""
    if dated < today.replace(day=1):
        session.execute(delete(PortfolioMonthEnd).where(PortfolioMonthEnd.as_of >= dated))
