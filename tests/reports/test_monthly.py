"""The figures behind the dashboard's charts, on hand-made loans around month boundaries, in
the lender's time zone (Europe/Kyiv: UTC+3 in summer, UTC+2 in winter)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from crm.extensions import db
from crm.lending.delinquency import Bucket
from crm.lending.status import LoanStatus
from crm.reports.queries.monthly import (
    Outcome,
    applications_by_month,
    disbursements_by_month,
    month_starts,
    portfolio_by_bucket,
)
from tests.factories import CustomerFactory, LoanFactory, loan_with_installments

#: The day the charts are drawn: their twelve months run from June 2024 to May 2025.
TODAY = date(2025, 5, 10)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def month(year: int, number: int) -> int:
    """The place of a month among the twelve up to TODAY's."""
    return (year - 2024) * 12 + number - 6


def test_the_months_run_up_to_the_current_one_across_a_new_year():
    assert month_starts(date(2026, 1, 31), 3) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    starts = month_starts(TODAY)
    assert (len(starts), starts[0], starts[-2], starts[-1]) == (
        13,
        date(2024, 6, 1),
        date(2025, 5, 1),
        date(2025, 6, 1),
    )
    with pytest.raises(ValueError, match="at least one month"):
        month_starts(TODAY, 0)


def test_applications_fall_into_the_lenders_month_whatever_the_utc_date(app):
    made = [
        # 00:30 on 1 May in Kyiv (summer time): May, though still April in UTC.
        (utc(2025, 4, 30, 21, 30), LoanStatus.PENDING),
        # 23:59 on 30 April in Kyiv.
        (utc(2025, 4, 30, 20, 59), LoanStatus.REFUSED),
        # Midnight of 1 February in Kyiv (winter time, UTC+2).
        (utc(2025, 1, 31, 22, 0), LoanStatus.ACTIVE),
        (utc(2025, 1, 31, 21, 59, 59), LoanStatus.FINISHED),
        (utc(2025, 1, 15, 12, 0), LoanStatus.WRITTEN_OFF),
        (utc(2025, 1, 15, 12, 0), LoanStatus.WITHDRAWN),
        # The first moment of the first month (1 June 2024 in Kyiv), and the one before.
        (utc(2024, 5, 31, 21, 0), LoanStatus.WITHDRAWN),
        (utc(2024, 5, 31, 20, 59, 59), LoanStatus.PENDING),
        # Already June 2025 in Kyiv: after the last month.
        (utc(2025, 5, 31, 21, 0), LoanStatus.PENDING),
    ]
    for created_at, status in made:
        LoanFactory(created_at=created_at, status=status)

    months = applications_by_month(db.session, TODAY)

    assert [m.month for m in months] == month_starts(TODAY)[:-1]
    counts = {m.month: {o: n for o, n in m.by_outcome.items() if n} for m in months}
    assert counts == {m.month: {} for m in months} | {
        date(2024, 6, 1): {Outcome.WITHDRAWN: 1},
        date(2025, 1, 1): {Outcome.APPROVED: 2, Outcome.WITHDRAWN: 1},
        date(2025, 2, 1): {Outcome.APPROVED: 1},
        date(2025, 4, 1): {Outcome.REFUSED: 1},
        date(2025, 5, 1): {Outcome.PENDING: 1},
    }
    assert months[month(2025, 1)].total == 3
    assert all(set(m.by_outcome) == set(Outcome) for m in months)


def test_no_applications_give_twelve_empty_months(app):
    months = applications_by_month(db.session, TODAY)
    assert len(months) == 12
    assert {m.total for m in months} == {0}


def test_disbursements_count_and_sum_each_month_to_the_cent(app):
    for disbursed_on in (date(2024, 6, 1), date(2025, 5, 31), date(2025, 5, 31)):
        LoanFactory(status=LoanStatus.ACTIVE, disbursed_on=disbursed_on, amount=Decimal("1000.10"))
    # 30 × 0.10 is 3.00 exactly in whole cents (a float sum would not be).
    for _ in range(30):
        LoanFactory(
            status=LoanStatus.FINISHED, disbursed_on=date(2024, 12, 31), amount=Decimal("0.10")
        )
    LoanFactory(
        status=LoanStatus.WRITTEN_OFF, disbursed_on=date(2025, 3, 1), amount=Decimal("2500.00")
    )
    # Outside the months, or not disbursed.
    LoanFactory(status=LoanStatus.ACTIVE, disbursed_on=date(2024, 5, 31))
    LoanFactory(status=LoanStatus.ACTIVE, disbursed_on=date(2025, 6, 1))
    LoanFactory(status=LoanStatus.PENDING, disbursed_on=None)

    months = disbursements_by_month(db.session, TODAY)

    assert [m.month for m in months] == month_starts(TODAY)[:-1]
    found = {m.month: (m.count, m.amount) for m in months if m.count}
    assert found == {
        date(2024, 6, 1): (1, Decimal("1000.10")),
        date(2024, 12, 1): (30, Decimal("3.00")),
        date(2025, 3, 1): (1, Decimal("2500.00")),
        date(2025, 5, 1): (2, Decimal("2000.20")),
    }
    empty = months[month(2025, 4)]
    assert (empty.count, empty.amount) == (0, Decimal("0.00"))
    assert isinstance(empty.amount, Decimal)


def overdue_since(days: int, principal: str, **fields):
    """An active loan whose oldest unpaid installment fell due `days` days before TODAY."""
    due = TODAY - timedelta(days=days)
    return loan_with_installments(
        [(due, principal, "5.00"), (due + timedelta(days=31), "100.00", "1.00")], **fields
    )


def test_the_portfolio_by_bucket_from_each_loans_oldest_unpaid_installment(app):
    # DPD 0 (due today, not overdue yet), then each bucket's first and last day.
    for days, principal in [(-5, "1000.00"), (0, "500.00"), (1, "10.10"), (30, "20.20"),
                            (31, "30.30"), (60, "40.40"), (61, "50.50"), (90, "60.60"),
                            (91, "70.70"), (400, "80.80")]:  # fmt: skip
        overdue_since(days, principal)
    # Paid off, written off and finished loans are not in the portfolio.
    loan_with_installments([(TODAY - timedelta(days=40), "99.00", "1.00", "99.00", "1.00")])
    overdue_since(100, "999.00", status=LoanStatus.WRITTEN_OFF)
    LoanFactory(status=LoanStatus.FINISHED)

    shares = portfolio_by_bucket(db.session, TODAY)

    # Each loan's second installment adds 100.00 of principal to its bucket.
    assert [(s.bucket, s.loans, s.outstanding) for s in shares] == [
        (Bucket.CURRENT, 3, Decimal("1700.00")),
        (Bucket.DPD_1_30, 2, Decimal("230.30")),
        (Bucket.DPD_31_60, 2, Decimal("270.70")),
        (Bucket.DPD_61_90, 2, Decimal("311.10")),
        (Bucket.DPD_OVER_90, 2, Decimal("351.50")),
    ]


def test_an_empty_portfolio_has_every_bucket_at_zero(app):
    shares = portfolio_by_bucket(db.session, TODAY)
    assert [(s.bucket, s.loans, s.outstanding) for s in shares] == [
        (bucket, 0, Decimal("0.00")) for bucket in Bucket
    ]


def test_a_manager_sees_the_figures_of_the_customers_they_manage(app, manager):
    mine, other = CustomerFactory(manager=manager), CustomerFactory()
    for customer in (mine, other, other):
        LoanFactory(
            customer=customer,
            status=LoanStatus.ACTIVE,
            created_at=utc(2025, 5, 2, 9, 0),
            disbursed_on=date(2025, 5, 3),
            amount=Decimal("700.00"),
        )
        overdue_since(45, "300.00", customer=customer)

    applications = applications_by_month(db.session, TODAY, manager_id=manager.id)
    disbursed = disbursements_by_month(db.session, TODAY, manager_id=manager.id)
    shares = portfolio_by_bucket(db.session, TODAY, manager_id=manager.id)

    assert applications[-1].by_outcome[Outcome.APPROVED] == 1
    assert (disbursed[-1].count, disbursed[-1].amount) == (1, Decimal("700.00"))
    at_risk = shares[2]
    assert (at_risk.bucket, at_risk.loans, at_risk.outstanding) == (
        Bucket.DPD_31_60,
        1,
        Decimal("400.00"),
    )
    everyone = portfolio_by_bucket(db.session, TODAY)
    assert everyone[2].loans == 3


@pytest.mark.parametrize("months", [1, 3, 24])
def test_each_figure_is_one_query_whatever_the_months(app, count_queries, months):
    overdue_since(10, "100.00")
    with count_queries() as log:
        assert len(applications_by_month(db.session, TODAY, months)) == months
        assert len(disbursements_by_month(db.session, TODAY, months)) == months
        portfolio_by_bucket(db.session, TODAY)
    assert log.count == 3, log.statements
