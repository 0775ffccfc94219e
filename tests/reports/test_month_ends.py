"""The month ends kept for the dashboard's PAR chart (crm/reports/services.py): computed once,
the same as the ledger's figures for the day, and dropped when something is dated into them."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from crm.extensions import db
from crm.models import PortfolioMonthEnd
from crm.reports.queries.month_ends import closed_month_ends, kept_month_ends
from crm.reports.queries.portfolio import portfolio_as_of
from crm.reports.services import record_month_ends
from tests.reports.test_ledger import PAYMENT, Book, at, d

TODAY = date(2026, 5, 10)


def kept() -> list[date]:
    return list(db.session.scalars(select(PortfolioMonthEnd.as_of).order_by("as_of")))


def test_the_month_ends_are_the_last_days_of_the_closed_months():
    assert closed_month_ends(date(2026, 3, 15), 3) == [
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
    ]
    assert closed_month_ends(date(2024, 3, 1), 1) == [date(2024, 2, 29)]


def test_each_month_end_is_computed_once_with_the_ledgers_figures(app, clock):
    clock.now = at(1, 20)
    book = Book(clock)
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    assert record_month_ends(db.session, TODAY, 4) == [d(1, 31), d(2, 28), d(3, 31), d(4, 30)]
    assert record_month_ends(db.session, TODAY, 4) == []
    figures = kept_month_ends(db.session, [d(3, 31)])[d(3, 31)]
    assert figures == portfolio_as_of(db.session, d(3, 31))
    assert figures.par(1) == Decimal("100.00")


def test_a_payment_dated_into_a_closed_month_drops_the_month_ends_from_its_day(app, clock):
    clock.now = at(1, 20)
    book = Book(clock)
    record_month_ends(db.session, TODAY, 4)
    db.session.commit()
    book.pay(book.loan, PAYMENT, d(3, 2), "p1", today=TODAY)
    assert kept() == [d(1, 31), d(2, 28)]
    assert record_month_ends(db.session, TODAY, 4) == [d(3, 31), d(4, 30)]


def test_a_payment_dated_in_the_current_month_keeps_them_all(app, clock):
    clock.now = at(1, 20)
    book = Book(clock)
    record_month_ends(db.session, d(2, 10), 1)
    db.session.commit()
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    assert db.session.scalar(select(func.count()).select_from(PortfolioMonthEnd)) == 1


def test_the_command_keeps_them_and_says_which(app, runner):
    first = runner.invoke(args=["reports", "month-ends", "--months", "2"])
    again = runner.invoke(args=["reports", "month-ends", "--months", "2"])
    assert first.exit_code == 0, first.output
    assert len(kept()) == 2
    assert kept()[-1].isoformat() in first.output
    assert "0 (—)" in again.output
