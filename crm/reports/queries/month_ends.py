"""The month ends a trend is drawn over, and the figures kept for them."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.lending.portfolio import PortfolioFigures
from crm.models import PortfolioMonthEnd


def closed_month_ends(today: date, months: int) -> list[date]:
    """The last days of the `months` months before the one `today` is in, oldest first:
    on 15 March, 12 gives 31 March of last year … 28 or 29 February."""
    ends, end = [], today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def kept_month_ends(session: Session, days: list[date]) -> dict[date, PortfolioFigures]:
    """The kept figures of those of `days` that have them, in one query."""
    rows = session.scalars(select(PortfolioMonthEnd).where(PortfolioMonthEnd.as_of.in_(days)))
    return {row.as_of: figures_of(row) for row in rows}


def month_end_figures(
    session: Session, today: date, months: int
) -> list[tuple[date, PortfolioFigures | None]]:
    """The last `months` closed month ends before `today`, oldest first, each with its kept
    figures or None where they are not computed yet; one query."""
    days = closed_month_ends(today, months)
    kept = kept_month_ends(session, days)
    return [(day, kept.get(day)) for day in days]


def figures_of(row: PortfolioMonthEnd) -> PortfolioFigures:
    return PortfolioFigures(
        as_of=row.as_of,
        active_loans=row.active_loans,
        outstanding=row.outstanding,
        overdue_loans=row.overdue_loans,
        overdue_amount=row.overdue_amount,
        at_risk={1: row.par1_amount, 30: row.par30_amount, 90: row.par90_amount},
        loans_at_risk={1: row.loans_par1, 30: row.loans_par30, 90: row.loans_par90},
    )
