"""The figures of a period (crm/reports/queries/period.py) and the loans behind each figure
(drill.py) on the hand-made book of tests/reports/period_book.py."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.lending.delinquency import Bucket
from crm.loans.services.lifecycle import write_off_loan
from crm.reports.queries.drill import Measure, period_list, position_list
from crm.reports.queries.ledger import NO_MANAGER
from crm.reports.queries.monthly import Outcome
from crm.reports.queries.period import applications, collections, disbursements, write_offs
from crm.reports.queries.period_figures import MAX_PERIOD_DAYS, Period, check_period
from crm.reports.queries.portfolio import portfolio_as_of, portfolio_report
from crm.validation import FieldError
from tests.reports.period_book import (
    APRIL_MAY,
    END_OF_MARCH,
    FEBRUARY,
    MARCH,
    build_book,
    later,
    utc,
)

JANUARY_TO_MAY = Period(date(2025, 1, 1), date(2025, 5, 31))


@pytest.fixture
def book(app, clock):
    return build_book(clock)


def money(text: str) -> Decimal:
    return Decimal(text)


def by_name(report) -> dict:
    return {line.name: line.figures for line in report.products}


def listed(loan_list) -> list:
    return list(db.session.scalars(loan_list.lines))


def counted(loan_list) -> int:
    return db.session.scalar(select(func.count()).select_from(loan_list.rows.subquery()))


def test_disbursements_count_the_loans_disbursed_in_the_period(book):
    report = disbursements(db.session, FEBRUARY)

    assert (report.total.loans, report.total.amount) == (2, money("15000.00"))
    assert {name: (f.loans, f.amount) for name, f in by_name(report).items()} == {
        "Alpha": (1, money("10000.00")),
        "Beta": (1, money("5000.00")),
    }
    assert disbursements(db.session, MARCH).total.loans == 0


def test_disbursements_by_product_and_manager(book):
    assert disbursements(db.session, FEBRUARY, product_id=book.beta.id).total.loans == 1
    by_iryna = disbursements(db.session, FEBRUARY, manager_id=book.iryna.id)
    assert [line.name for line in by_iryna.products] == ["Beta"]
    assert disbursements(db.session, FEBRUARY, manager_id=NO_MANAGER).total.amount == money(
        "10000.00"
    )
    assert disbursements(db.session, FEBRUARY, manager_id=book.petro.id).total.loans == 0


def test_collections_expected_received_and_paid(book):
    report = collections(db.session, MARCH)

    # Due in March: A's second installment, B's first and C's first.
    assert report.total.due == money("2081.89")
    # A paid its installment early (8 March), B on the day, C not at all.
    assert report.total.received == money("1193.40")
    assert report.total.efficiency == money("57.32")
    assert report.total.loans == 3
    # All the money dated in March and not reversed by its end: A's 888.49, B's 304.91
    # twice (the second was reversed only on 2 April); the 100.00 reversed on 21 March not.
    assert report.total.paid == money("1498.31")
    alpha, beta = by_name(report)["Alpha"], by_name(report)["Beta"]
    assert (alpha.due, alpha.received, alpha.paid) == (
        money("1776.98"),
        money("888.49"),
        money("888.49"),
    )
    assert (beta.due, beta.received, beta.paid) == (
        money("304.91"),
        money("304.91"),
        money("609.82"),
    )


def test_an_installment_due_on_or_after_the_write_off_day_is_not_expected(book, clock):
    later(book, clock)

    report = collections(db.session, APRIL_MAY)

    # A: 10 April and 10 May; C: 15 April and 15 May; G: 3 May. B was written off at
    # 00:30 on 6 April in Kyiv (21:30 UTC on the 5th): its installment of 5 April is still
    # expected, that of 5 May not.
    assert report.total.due == money("888.49") * 4 + money("304.91") + money("621.94")
    # Only A's 10 April installment was paid; C's April payment went to its March one.
    assert report.total.received == money("888.49")
    assert report.total.efficiency == money("19.83")
    assert report.total.paid == money("1776.98")


@pytest.mark.parametrize(
    ("written_off_at", "still_expected"),
    [
        # 00:30 on 15 March in Kyiv (winter time, UTC+2): the day C's installment is due.
        (utc(2025, 3, 14, 22, 30), False),
        (utc(2025, 3, 15, 21, 59), False),
        # 00:00 on 16 March in Kyiv: the installment of the 15th came before the write-off.
        (utc(2025, 3, 15, 22, 0), True),
    ],
)
def test_the_write_off_day_is_the_lenders(book, clock, written_off_at, still_expected):
    clock.now = written_off_at
    write_off_loan(db.session, book.loans["C"], reason="Fraud", by=book.admin)
    db.session.commit()

    report = collections(db.session, MARCH)

    assert report.total.loans == (3 if still_expected else 2)
    assert report.total.due == money("2081.89") - (0 if still_expected else money("888.49"))


def test_write_offs_count_the_principal_owed_at_the_write_off(book, clock):
    later(book, clock)

    report = write_offs(db.session, APRIL_MAY)

    # 5 000 less the principal of B's first payment (254.91); its second was reversed
    # before the write-off. The first was reversed after it, which the loan's stored
    # principal_outstanding follows and the figure does not.
    assert (report.total.loans, report.total.amount) == (1, money("4745.09"))
    assert book.loans["B"].principal_outstanding == money("5000.00")
    assert by_name(report).keys() == {"Beta"}
    assert write_offs(db.session, MARCH).total.loans == 0


def test_a_write_off_belongs_to_the_lenders_day(book, clock):
    later(book, clock)

    # 21:30 UTC on 5 April is 6 April in Kyiv.
    assert write_offs(db.session, Period(date(2025, 4, 1), date(2025, 4, 5))).total.loans == 0
    assert write_offs(db.session, Period(date(2025, 4, 6), date(2025, 4, 6))).total.loans == 1


def test_applications_by_outcome(book):
    report = applications(db.session, FEBRUARY)

    funnel = report.total
    assert {outcome: funnel[outcome].loans for outcome in Outcome} == {
        Outcome.PENDING: 0,
        Outcome.REFUSED: 1,
        Outcome.WITHDRAWN: 1,
        Outcome.APPROVED: 1,
    }
    assert funnel.total.amount == money("33000.00")
    assert funnel.approval_rate == money("33.33")
    assert by_name(report)["Alpha"][Outcome.REFUSED].amount == money("20000.00")


def test_applications_pending_at_the_end_of_the_period(book, clock):
    later(book, clock)

    march = applications(db.session, MARCH).total
    # G was decided on 3 April; F was made at 00:30 on 1 April in Kyiv, not in March.
    assert march[Outcome.PENDING].loans == 1
    assert march.total.loans == 1
    assert march.approval_rate is None
    whole = applications(db.session, JANUARY_TO_MAY).total
    assert [whole[outcome].loans for outcome in Outcome] == [0, 2, 1, 4]
    assert whole.approval_rate == money("57.14")


def test_period_figures_do_not_move_with_later_payments_and_reversals(book, clock):
    queries = (disbursements, collections, write_offs, applications)
    periods = (FEBRUARY, MARCH)
    before = [query(db.session, period) for query in queries for period in periods]

    later(book, clock)

    assert [query(db.session, period) for query in queries for period in periods] == before


def test_money_is_equal_to_the_cent(book):
    report = collections(db.session, MARCH)

    for figure in (report.total.due, report.total.received, report.total.paid):
        assert figure == figure.quantize(Decimal("0.01"))
        assert isinstance(figure, Decimal)


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        (date(2025, 3, 2), date(2025, 3, 1), "before it starts"),
        (date(2024, 1, 1), date(2025, 1, 1), "at most 366 days"),
        (date(2025, 3, 1), date(2025, 4, 2), "in the future"),
        (date(1899, 12, 31), date(1900, 1, 1), "too far in the past"),
    ],
)
def test_a_period_a_report_cannot_cover(app, since, until, message):
    with pytest.raises(FieldError) as error:
        check_period(since, until, today=date(2025, 4, 1))

    assert error.value.field == ("since" if since.year < 1900 else "until")
    assert message in error.value.message


def test_a_period_of_a_year_is_fine(app):
    period = check_period(date(2024, 1, 1), date(2024, 12, 31), today=date(2025, 1, 1))

    assert len(period.days) == MAX_PERIOD_DAYS


# --- The loans behind the figures -------------------------------------------------------------


def test_the_portfolio_figures_list_their_loans(book):
    figures = portfolio_as_of(db.session, END_OF_MARCH)

    expected = {
        Measure.ACTIVE: figures.active_loans,
        Measure.OVERDUE: figures.overdue_loans,
        Measure.PAR1: figures.loans_at_risk[1],
        Measure.PAR30: figures.loans_at_risk[30],
        Measure.PAR90: figures.loans_at_risk[90],
    }
    assert expected == {
        Measure.ACTIVE: 3,
        Measure.OVERDUE: 1,
        Measure.PAR1: 1,
        Measure.PAR30: 0,
        Measure.PAR90: 0,
    }
    for measure, count in expected.items():
        loan_list = position_list(END_OF_MARCH, measure)
        assert counted(loan_list) == count == len(listed(loan_list)), measure
    [overdue] = listed(position_list(END_OF_MARCH, Measure.PAR1))
    assert overdue.loan_id == book.loans["C"].id
    assert (overdue.days_past_due, overdue.overdue) == (16, money("888.49"))
    assert overdue.outstanding == money("10000.00")
    assert overdue.manager_name is None


def test_active_loans_list_adds_up_to_the_outstanding_principal(book):
    lines = listed(position_list(END_OF_MARCH, Measure.ACTIVE))

    assert (
        sum(line.outstanding for line in lines)
        == portfolio_as_of(db.session, END_OF_MARCH).outstanding
    )
    assert lines[0].loan_id == book.loans["C"].id, "the most overdue first"


def test_each_bucket_lists_its_loans(book):
    for group in portfolio_report(db.session, END_OF_MARCH).by_bucket:
        loan_list = position_list(END_OF_MARCH, Measure.BUCKET, bucket=group.key)
        loans = group.figures.active_loans
        assert counted(loan_list) == loans == len(listed(loan_list)), group.key
    assert counted(position_list(END_OF_MARCH, Measure.BUCKET, bucket=Bucket.DPD_1_30)) == 1


def test_the_lists_take_the_filters(book):
    loans = book.loans
    by_petro = listed(position_list(END_OF_MARCH, Measure.ACTIVE, manager_id=book.petro.id))
    nobodys = listed(position_list(END_OF_MARCH, Measure.ACTIVE, manager_id=NO_MANAGER))
    beta = listed(position_list(END_OF_MARCH, Measure.ACTIVE, product_id=book.beta.id))

    assert [line.loan_id for line in by_petro] == [loans["A"].id]
    assert [line.loan_id for line in nobodys] == [loans["C"].id]
    assert [line.loan_id for line in beta] == [loans["B"].id]


def test_the_period_figures_list_their_loans(book, clock):
    later(book, clock)
    loans = book.loans

    disbursed = listed(period_list(FEBRUARY, Measure.DISBURSED))
    written_off = listed(period_list(APRIL_MAY, Measure.WRITTEN_OFF))
    refused = listed(period_list(JANUARY_TO_MAY, Measure.APPLICATIONS, outcome=Outcome.REFUSED))
    made = period_list(JANUARY_TO_MAY, Measure.APPLICATIONS)

    assert [line.loan_id for line in disbursed] == [loans["B"].id, loans["C"].id]
    assert [line.disbursed_on for line in disbursed] == [date(2025, 2, 5), date(2025, 2, 15)]
    assert [(line.loan_id, line.written_off) for line in written_off] == [
        (loans["B"].id, money("4745.09"))
    ]
    assert [line.loan_id for line in refused] == [loans["D"].id, loans["F"].id]
    assert {line.outcome for line in refused} == {Outcome.REFUSED}
    assert counted(made) == len(listed(made)) == 7


def test_the_due_list_adds_up_to_the_collections_figures(book):
    report = collections(db.session, MARCH)
    loan_list = period_list(MARCH, Measure.DUE)
    lines = listed(loan_list)

    assert counted(loan_list) == len(lines) == report.total.loans
    assert sum(line.due for line in lines) == report.total.due
    assert sum(line.received for line in lines) == report.total.received
    assert lines[0].loan_id == book.loans["C"].id, "the largest shortfall first"
