"""Portfolio figures and the overdue queue's SQL, on a hand-built portfolio as of fixed days."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from crm.extensions import db
from crm.lending.delinquency import Bucket
from crm.lending.status import LoanStatus
from crm.loans.queries import overdue as queue
from crm.loans.queries import portfolio
from crm.models import Role
from tests.factories import CustomerFactory, LoanFactory, UserFactory, loan_with_installments

AS_OF = date(2025, 6, 30)


def d(month: int, day: int) -> date:
    return date(2025, month, day)


@pytest.fixture
def book(app):
    """Six active loans, current to 95 days past due on AS_OF, and loans that do not count.

    Rows: (due date, principal, interest[, principal paid, interest paid]).
    """
    olena = UserFactory(role=Role.MANAGER, full_name="Олена Коваль")
    petro = UserFactory(role=Role.MANAGER, full_name="Петро Мельник")

    def loan(rows, manager=None, status=LoanStatus.ACTIVE, last_name="Шевченко"):
        customer = CustomerFactory(manager=manager, last_name=last_name)
        return loan_with_installments(rows, status=status, customer=customer)

    return {
        "current": loan(
            [(d(5, 15), "1000", "50", "1000", "50"), (d(6, 15), "1000", "40", "1000", "40"),
             (d(7, 15), "1000", "30")],
            petro,
        ),
        # Due on AS_OF itself: not overdue until the day after.
        "due_today": loan([(d(5, 30), "300", "20", "300", "20"), (d(6, 30), "300", "10")]),
        # Interest and 100 of the principal paid: the rest is overdue.
        "late_10": loan(
            [(d(5, 20), "500", "50", "500", "50"), (d(6, 20), "500", "40", "100", "40"),
             (d(7, 20), "500", "30")],
            olena,
            last_name="Десятий",
        ),
        "late_30": loan([(d(5, 31), "2000", "100"), (d(6, 30), "2000", "50")], petro),
        "late_31": loan(
            [(d(5, 30), "700", "70"), (d(6, 30), "700", "35"), (d(7, 30), "700", "0")], petro
        ),
        "late_95": loan(
            [(d(3, 27), "250", "25"), (d(4, 27), "250", "20"), (d(5, 27), "250", "15"),
             (d(6, 27), "250", "10"), (d(7, 27), "250", "5")],
            olena,
            last_name="Давній",
        ),
        "finished": loan([(d(3, 1), "100", "5", "100", "5")], status=LoanStatus.FINISHED),
        "written_off": loan([(d(1, 10), "5000", "500")], status=LoanStatus.WRITTEN_OFF),
        "pending": LoanFactory(status=LoanStatus.PENDING),
        "managers": (olena, petro),
    }  # fmt: skip


def test_portfolio_counts_only_active_loans(book):
    figures = portfolio.portfolio(db.session, AS_OF)

    assert figures.as_of == AS_OF
    assert figures.active_loans == 6
    assert figures.outstanding == Decimal("1000") + 300 + 900 + 4000 + 2100 + 1250
    assert figures.overdue_loans == 4
    # Unpaid principal and interest due before AS_OF: late_10, late_30, late_31, late_95.
    assert figures.overdue_amount == Decimal("400") + 2100 + 770 + (275 + 270 + 265 + 260)
    assert figures.at_risk[30] == Decimal("2100") + 1250
    assert figures.par(30) == Decimal("35.08")  # 3 350 / 9 550


def test_portfolio_figures_move_with_the_day(book):
    early = portfolio.portfolio(db.session, d(6, 1))
    late = portfolio.portfolio(db.session, d(8, 1))

    # 1 June: late_30 and late_31 are a day or two late, late_95 66 days.
    assert early.overdue_loans == 3
    assert early.overdue_amount == Decimal("2100") + 770 + (275 + 270 + 265)
    assert early.at_risk[30] == Decimal("1250")
    # 1 August: every active loan is behind, all but "current" (15 July) by over 30 days.
    assert late.overdue_loans == 6
    assert late.at_risk[30] == Decimal("300") + 900 + 4000 + 2100 + 1250


def test_dpd_over_30_is_at_risk_and_30_is_not(app):
    thirty = loan_with_installments([(AS_OF - timedelta(days=30), "100.00", "1.00")])
    loan_with_installments([(AS_OF - timedelta(days=31), "200.00", "2.00")])

    figures = portfolio.portfolio(db.session, AS_OF)

    assert figures.at_risk[30] == Decimal("200.00")
    assert figures.par(30) == Decimal("66.67")
    rows = db.session.scalars(queue.overdue_queue(AS_OF)).all()
    assert [row.days_past_due for row in rows] == [31, 30]
    assert rows[1].loan_id == thirty.id
    assert [row.bucket for row in rows] == [Bucket.DPD_31_60, Bucket.DPD_1_30]


def test_empty_portfolio_has_no_par(app):
    LoanFactory(status=LoanStatus.PENDING)

    figures = portfolio.portfolio(db.session, AS_OF)

    assert (figures.active_loans, figures.overdue_loans) == (0, 0)
    assert figures.outstanding == figures.overdue_amount == figures.at_risk[30] == Decimal("0.00")
    assert figures.par(30) is None


def test_money_totals_are_exact_where_float_sums_are_not(app):
    # 30 loans, each owing 0.10 + 0.20 on three past installments and 0.10 on a future one.
    for _ in range(30):
        loan_with_installments(
            [(d(4, 1), "0.10", "0.20"), (d(5, 1), "0.10", "0.20"), (d(6, 1), "0.10", "0.20"),
             (d(7, 1), "0.10", "0.00")]
        )  # fmt: skip

    figures = portfolio.portfolio(db.session, AS_OF)

    assert str(figures.outstanding) == "12.00"
    assert str(figures.overdue_amount) == "27.00"
    assert str(figures.at_risk[30]) == "12.00"
    assert figures.par(30) == Decimal("100.00")
    assert sum(row.overdue_amount for row in db.session.scalars(queue.overdue_queue(AS_OF))) == 27
    if db.engine.dialect.name == "sqlite":
        # What a plain SUM would have given: SQLite adds NUMERIC values as floats.
        naive = db.session.scalar(text("SELECT SUM(principal_outstanding) FROM loans"))
        assert naive != 12


def test_queue_rows_carry_what_collections_need(book):
    rows = db.session.scalars(queue.overdue_queue(AS_OF)).all()

    assert [row.loan_id for row in rows] == [
        book[name].id for name in ("late_95", "late_31", "late_30", "late_10")
    ]
    oldest = rows[0]
    assert oldest.customer_id == book["late_95"].customer_id
    assert oldest.customer_name == "Давній Тарас Григорович"
    assert oldest.phone == book["late_95"].customer.phone
    assert oldest.manager_name == "Олена Коваль"
    assert oldest.days_past_due == 95
    assert oldest.bucket is Bucket.DPD_OVER_90
    assert oldest.overdue_amount == Decimal("1070.00")
    assert oldest.principal_outstanding == Decimal("1250.00")
    assert oldest.next_due_on == d(7, 27)
    late_30 = rows[2]
    # An installment due on the day itself is the next one due, not overdue.
    assert (late_30.days_past_due, late_30.overdue_amount) == (30, Decimal("2100.00"))
    assert late_30.next_due_on == AS_OF
    assert rows[3].overdue_amount == Decimal("400.00")


def test_queue_with_the_term_over_has_no_next_due(app):
    loan_with_installments([(d(4, 1), "100", "1"), (d(5, 1), "100", "1")])

    (row,) = db.session.scalars(queue.overdue_queue(AS_OF)).all()

    assert row.next_due_on is None
    assert row.overdue_amount == Decimal("202.00")


def test_customer_without_a_manager_shows_none(app):
    loan_with_installments([(d(6, 1), "100", "1")], customer=CustomerFactory(manager=None))

    (row,) = db.session.scalars(queue.overdue_queue(AS_OF)).all()

    assert row.manager_name is None


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("-dpd", ["late_95", "late_31", "late_30", "late_10"]),
        ("dpd", ["late_10", "late_30", "late_31", "late_95"]),
        ("-amount", ["late_30", "late_95", "late_31", "late_10"]),
        ("amount", ["late_10", "late_31", "late_95", "late_30"]),
        ("nonsense", ["late_95", "late_31", "late_30", "late_10"]),
    ],
)
def test_queue_sorts(book, sort, order):
    rows = db.session.scalars(queue.overdue_queue(AS_OF, sort=sort)).all()

    assert [row.loan_id for row in rows] == [book[name].id for name in order]


@pytest.mark.parametrize(
    ("bucket", "names"),
    [
        (Bucket.DPD_1_30, ["late_30", "late_10"]),
        (Bucket.DPD_31_60, ["late_31"]),
        (Bucket.DPD_61_90, []),
        (Bucket.DPD_OVER_90, ["late_95"]),
    ],
)
def test_queue_filters_by_bucket(book, bucket, names):
    rows = db.session.scalars(queue.overdue_queue(AS_OF, bucket=bucket)).all()

    assert [row.loan_id for row in rows] == [book[name].id for name in names]
    assert all(row.bucket is bucket for row in rows)


def test_queue_filters_by_manager(book):
    olena, petro = book["managers"]

    mine = db.session.scalars(queue.overdue_queue(AS_OF, manager_id=olena.id)).all()
    theirs = db.session.scalars(
        queue.overdue_queue(AS_OF, manager_id=petro.id, bucket=Bucket.DPD_1_30)
    ).all()

    assert [row.loan_id for row in mine] == [book["late_95"].id, book["late_10"].id]
    assert [row.loan_id for row in theirs] == [book["late_30"].id]


def test_most_overdue_are_the_first_of_the_queue(book):
    rows = queue.most_overdue(db.session, AS_OF, limit=2)

    assert [row.loan_id for row in rows] == [book["late_95"].id, book["late_31"].id]


def test_sort_key_falls_back_to_most_overdue_first():
    assert queue.sort_key("-amount") == "-amount"
    assert queue.sort_key(None) == queue.sort_key("dpd; drop") == "-dpd"


def test_cents_come_back_as_money():
    assert str(portfolio.from_cents(1005)) == "10.05"
    assert str(portfolio.from_cents(Decimal("100"))) == "1.00"
    assert str(portfolio.from_cents(None)) == "0.00"
