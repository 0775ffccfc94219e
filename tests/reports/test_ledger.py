"""The portfolio as of a day, from the ledger (crm/reports/queries/ledger.py and portfolio.py):
the definitions on a hand-made loan taken through the real services, a reversal and a
write-off, and the same answer for a day whatever is recorded after it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crm.clock import lender_today
from crm.extensions import db
from crm.lending.delinquency import Bucket
from crm.loans.queries.portfolio import portfolio
from crm.loans.services.lifecycle import start_loan, write_off_loan
from crm.loans.services.payments import record_payment, reverse_payment
from crm.reports.queries.portfolio import portfolio_as_of, portfolio_report
from tests.factories import CustomerFactory, LoanFactory, ProductFactory, UserFactory

#: 10 000 at 12 % for 12 months, annuity (DESIGN.md's reference case): 888.49 a month.
PAYMENT = Decimal("888.49")
#: The principal of the first three rows: 788.49, 796.37 (interest 92.12), 804.34 (84.15).
AFTER_ONE = Decimal("9211.51")
AFTER_TWO = Decimal("8415.14")
AFTER_THREE = Decimal("7610.80")


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def at(month: int, day: int) -> datetime:
    """Mid-morning in Kyiv: the same lender day as the date."""
    return datetime(2026, month, day, 9, tzinfo=UTC)


class Book:
    """One 10 000 loan disbursed on 15 January (due on the 15th from February) and a one-month
    loan of 1 000 repaid on its due day; the manager who decides and records."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.manager = UserFactory()
        product = ProductFactory(min_term=1)
        self.loan = self._start(product, Decimal("10000.00"), 12, d(1, 15))
        self.short = self._start(product, Decimal("1000.00"), 1, d(1, 20))

    def _start(self, product, amount, term, disbursed_on):
        customer = CustomerFactory(manager=self.manager)
        loan = LoanFactory(
            customer=customer,
            product=product,
            amount=amount,
            term_months=term,
            created_at=at(1, 10),
        )
        start_loan(db.session, loan, disbursed_on=disbursed_on, by=self.manager, today=disbursed_on)
        db.session.commit()
        return loan

    def pay(
        self, loan, amount: str | Decimal, paid_on: date, reference: str, today: date | None = None
    ):
        """Record a payment, entered on its own day unless `today` says it was entered later."""
        posting = record_payment(
            db.session,
            loan,
            amount=Decimal(amount),
            paid_on=paid_on,
            reference=reference,
            by=self.manager,
            today=today or paid_on,
        )
        db.session.commit()
        return posting.payment

    def figures(self, day: date):
        return portfolio_as_of(db.session, day)


@pytest.fixture
def book(app, clock):
    clock.now = at(1, 20)
    return Book(clock)


def test_a_loan_counts_from_its_disbursement(book):
    assert book.figures(d(1, 14)).active_loans == 0
    assert book.figures(d(1, 15)).outstanding == Decimal("10000.00")


def test_a_payment_counts_from_the_day_it_is_dated(book):
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    assert book.figures(d(2, 14)).outstanding == Decimal("11000.00")
    assert book.figures(d(2, 15)).outstanding == AFTER_ONE + Decimal("1000.00")


def test_an_installment_due_today_is_not_overdue_until_tomorrow(book):
    book.pay(book.short, "1010.00", d(2, 20), "s1")
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    on_due_day, next_day = book.figures(d(3, 15)), book.figures(d(3, 16))
    assert on_due_day.overdue_loans == 0
    assert next_day.overdue_loans == 1
    assert next_day.overdue_amount == PAYMENT


@pytest.mark.parametrize(
    ("day", "par1", "par30", "par90"),
    [
        # One day past due is not yet more than one day.
        (d(3, 16), Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        (d(3, 17), Decimal("100.00"), Decimal("0.00"), Decimal("0.00")),
        (d(4, 14), Decimal("100.00"), Decimal("0.00"), Decimal("0.00")),
        (d(4, 15), Decimal("100.00"), Decimal("100.00"), Decimal("0.00")),
        (d(6, 14), Decimal("100.00"), Decimal("100.00"), Decimal("100.00")),
    ],
)
def test_par_counts_loans_more_than_n_days_past_due(book, day, par1, par30, par90):
    book.pay(book.short, "1010.00", d(2, 20), "s1")
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    figures = book.figures(day)
    assert (figures.par(1), figures.par(30), figures.par(90)) == (par1, par30, par90)


def test_par_weighs_the_whole_outstanding_principal_not_the_overdue_part(book):
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    figures = book.figures(d(2, 21))  # the short loan (1 010 due on 20 February) is 1 day late
    assert figures.at_risk[1] == Decimal("0.00")
    figures = book.figures(d(2, 22))
    assert figures.at_risk[1] == Decimal("1000.00")
    assert figures.par(1) == Decimal("9.79")  # 1 000 of 10 211.51


def test_a_repaid_loan_leaves_the_portfolio_on_the_day_it_is_repaid(book):
    book.pay(book.short, "1010.00", d(2, 20), "s1")
    assert book.figures(d(2, 19)).active_loans == 2
    assert book.figures(d(2, 20)).active_loans == 1


def test_a_reversal_counts_from_the_day_it_was_made(book):
    book.pay(book.short, "1010.00", d(2, 20), "s1")
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    book.pay(book.loan, PAYMENT, d(4, 20), "p2")
    third = book.pay(book.loan, PAYMENT, d(5, 10), "p3")
    book.clock.now = at(5, 20)
    reverse_payment(db.session, third, reason="Returned by the bank", by=book.manager)
    db.session.commit()
    before, after = book.figures(d(5, 19)), book.figures(d(5, 20))
    assert before.outstanding == AFTER_THREE
    assert before.overdue_amount == PAYMENT  # the installment due 15 May
    assert after.outstanding == AFTER_TWO
    assert after.overdue_amount == 2 * PAYMENT  # due 15 April and 15 May
    assert after.par(30) == Decimal("100.00")  # 35 days since 15 April


def test_a_written_off_loan_leaves_the_portfolio_on_the_day_of_the_write_off(book):
    book.pay(book.short, "1010.00", d(2, 20), "s1")
    book.clock.now = at(7, 1)
    write_off_loan(db.session, book.loan, reason="Uncollectable", by=book.manager)
    db.session.commit()
    assert book.figures(d(6, 30)).outstanding == Decimal("10000.00")
    assert book.figures(d(7, 1)).active_loans == 0


def test_a_day_gives_the_same_figures_whatever_is_recorded_after_it(book):
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    days = [d(2, 15), d(3, 17), d(4, 15)]
    first = [book.figures(day) for day in days]
    book.pay(book.short, "1010.00", d(4, 16), "s1")
    later = book.pay(book.loan, 2 * PAYMENT, d(4, 20), "p2")
    book.clock.now = at(5, 2)
    reverse_payment(db.session, later, reason="Returned by the bank", by=book.manager)
    book.clock.now = at(5, 3)
    write_off_loan(db.session, book.loan, reason="Uncollectable", by=book.manager)
    db.session.commit()
    assert [book.figures(day) for day in days] == first


def test_groups_and_buckets_add_up_to_the_whole(book):
    other_manager = UserFactory()
    book.short.customer.manager = other_manager
    db.session.commit()
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    day = d(4, 15)
    report = portfolio_report(db.session, day)
    buckets = {group.key: group.figures for group in report.by_bucket}
    assert report.total == book.figures(day)
    assert [group.figures.outstanding for group in report.by_manager] == [
        AFTER_ONE,
        Decimal("1000.00"),
    ]
    assert [group.figures for group in report.by_product] == [report.total]
    # 31 days since 15 March and 54 since 20 February: both in 31–60.
    assert buckets[Bucket.DPD_31_60].active_loans == 2
    assert list(buckets) == list(Bucket)
    assert buckets[Bucket.CURRENT].active_loans == 0


def test_a_report_filtered_by_manager_has_only_their_loans(book):
    other_manager = UserFactory()
    book.short.customer.manager = other_manager
    db.session.commit()
    report = portfolio_report(db.session, d(4, 15), manager_id=other_manager.id)
    assert [group.name for group in report.by_manager] == [other_manager.full_name]
    assert report.total.outstanding == Decimal("1000.00")


def test_today_from_the_ledger_is_today_from_the_loans_stored_figures(app, runner):
    """The demo's loans, payments and write-offs: the ledger read for today agrees with the
    figures the loan rows keep (crm/loans/queries/portfolio.py)."""
    result = runner.invoke(args=["demo", "load", "--customers", "60"])
    assert result.exit_code == 0, result.output
    today = lender_today()
    assert portfolio_as_of(db.session, today) == portfolio(db.session, today)
