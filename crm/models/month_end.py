"""The portfolio's figures at month ends, kept so that a chart of twelve month ends reads
twelve rows instead of computing the ledger twelve times over.

A row is what crm.reports.queries.portfolio.portfolio_as_of() gave for the day, and it stays
true while nothing dated on or before that day is written: payments and disbursements dated
in a closed month delete the rows from that month on (crm.reports.services), and the next
`flask --app wsgi reports month-ends` computes them again.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base
from crm.models.types import Money, utcnow


class PortfolioMonthEnd(Base):
    __tablename__ = "portfolio_month_ends"

    #: The last day of a month; the figures are those at the end of that day.
    as_of: Mapped[date] = mapped_column(primary_key=True)
    active_loans: Mapped[int]
    outstanding: Mapped[Money]
    overdue_loans: Mapped[int]
    overdue_amount: Mapped[Money]
    par1_amount: Mapped[Money]
    par30_amount: Mapped[Money]
    par90_amount: Mapped[Money]
    loans_par1: Mapped[int]
    loans_par30: Mapped[int]
    loans_par90: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
