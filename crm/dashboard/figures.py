"""The dashboard's figures that scan the loans: computed together, and kept between requests
(crm/figures_cache.py) for the lender's day and the staff member whose customers they count."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from crm.dashboard.queries import Summary, summary
from crm.figures_cache import Kept, kept
from crm.lending.portfolio import PortfolioFigures
from crm.loans.queries.overdue import OverdueLoan, most_overdue
from crm.loans.queries.portfolio import portfolio
from crm.models import PortfolioMonthEnd
from crm.reports.queries.month_ends import month_end_figures
from crm.reports.queries.monthly import (
    ApplicationsMonth,
    BucketShare,
    DisbursementsMonth,
    applications_by_month,
    disbursements_by_month,
    portfolio_by_bucket,
)

#: Rows in the most overdue loans.
MOST_OVERDUE = 10
#: How many month ends the PAR chart shows.
MONTH_ENDS = 12


@dataclass(frozen=True)
class DashboardFigures:
    summary: Summary
    portfolio: PortfolioFigures
    most_overdue: list[OverdueLoan]
    applications: list[ApplicationsMonth]
    disbursements: list[DisbursementsMonth]
    buckets: list[BucketShare]
    #: Always the whole portfolio's: the month ends are kept for it alone.
    month_ends: list[tuple[date, PortfolioFigures | None]]


def compute(session: Session, today: date, manager_id: int | None) -> DashboardFigures:
    """The figures on `today`, of `manager_id`'s customers or (None) of all: one query each."""
    return DashboardFigures(
        summary=summary(session, manager_id=manager_id),
        portfolio=portfolio(session, today),
        most_overdue=most_overdue(session, today, MOST_OVERDUE),
        applications=applications_by_month(session, today, manager_id=manager_id),
        disbursements=disbursements_by_month(session, today, manager_id=manager_id),
        buckets=portfolio_by_bucket(session, today, manager_id=manager_id),
        month_ends=month_end_figures(session, today, MONTH_ENDS),
    )


def dashboard_figures(
    session: Session, today: date, manager_id: int | None, reader_id: int | None = None
) -> Kept[DashboardFigures]:
    return kept(
        session,
        f"dashboard:{today.isoformat()}:{manager_id or 'all'}",
        lambda: compute(session, today, manager_id),
        derived=(PortfolioMonthEnd.computed_at,),
        reader_id=reader_id,
    )
