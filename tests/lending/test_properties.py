"""Properties of the engine over the whole range of loans the CRM accepts."""

import calendar
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crm.lending.allocation import OverpaymentError, allocate_payment, apply_allocations
from crm.lending.delinquency import Bucket, assess_delinquency
from crm.lending.installments import InstallmentState, amount_due
from crm.lending.money import CENT, is_cents
from crm.lending.schedule import (
    RepaymentMethod,
    add_months,
    annuity_payment,
    build_schedule,
)

LENDING = settings.get_profile("lending")
ONE_DAY = timedelta(days=1)

#: Up to the largest Numeric(14, 2) amount, in whole cents.
amounts = st.integers(1, 99_999_999_999_999).map(lambda cents: Decimal(cents).scaleb(-2))
#: 0 to 200 % a year, to four places as the Rate column holds it.
rates = st.integers(0, 2_000_000).map(lambda units: Decimal(units).scaleb(-4))
terms = st.integers(1, 360)
methods = st.sampled_from(list(RepaymentMethod))
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))


@LENDING
@given(amount=amounts, rate=rates, term=terms, method=methods, start=days)
def test_schedule_repays_the_amount_in_whole_cents_on_clamped_due_dates(
    amount, rate, term, method, start
):
    loan = build_schedule(amount, rate, term, method, start)
    assert len(loan.rows) == term
    assert loan.total_principal == amount
    assert loan.rows[-1].balance == 0
    balances = [amount - principal for principal in accumulate(row.principal for row in loan.rows)]
    assert [row.balance for row in loan.rows] == balances
    figures = {
        figure
        for row in loan.rows
        for figure in (row.principal, row.interest, row.payment, row.balance)
    }
    assert min(figures) >= 0
    assert all(is_cents(figure) for figure in figures)
    for row in loan.rows:
        # Counted from the disbursement, not chained: 31 Jan → 28/29 Feb → 31 Mar.
        due = row.due_date
        assert (due.year - start.year) * 12 + due.month - start.month == row.number
        assert due.day == min(start.day, calendar.monthrange(due.year, due.month)[1])


def cumulative_rounding_bound(rate: Decimal, term: int) -> Decimal:
    """How far rounding can move the balance from the exact one by the last-but-one row.

    The rounded payment and each row's rounded interest are off by half a cent at most, and
    an error in the balance earns interest: |error after k rows| ≤ 0.01 · ((1+r)^k − 1) / r.
    """
    r = rate / 1200
    if r == 0:
        return CENT * (term - 1)
    return CENT * (((1 + r) ** (term - 1) - 1) / r)


@LENDING
@given(amount=amounts, rate=rates, term=terms, start=days)
def test_annuity_rows_are_equal_except_the_last(amount, rate, term, start):
    payment = annuity_payment(amount, rate, term)
    # Beyond this bound (tiny amounts at extreme rates and terms) the rounded payment may
    # repay the loan before the term ends; rounding every row to the cent allows no better.
    assume(cumulative_rounding_bound(rate, term) < (payment - CENT / 2) / (1 + rate / 1200))
    loan = build_schedule(amount, rate, term, "annuity", start)
    assert {row.payment for row in loan.rows[:-1]} <= {payment}


@LENDING
@given(
    amount=amounts,
    rate=rates,
    term=st.integers(1, 60),
    method=methods,
    shares=st.lists(st.integers(1, 10**6), min_size=1, max_size=8),
)
def test_allocation_conserves_every_payment(amount, rate, term, method, shares):
    loan = build_schedule(amount, rate, term, method, date(2026, 1, 31))
    installments = tuple(InstallmentState.from_row(row) for row in loan.rows)
    for share in shares:
        owed = sum(amount_due(installment) for installment in installments)
        if owed == 0:
            break
        payment = max(CENT, (owed * share / 10**6).quantize(CENT))
        allocations = allocate_payment(installments, payment)
        assert sum(allocation.total for allocation in allocations) == payment
        assert all(a.interest >= 0 and a.principal >= 0 for a in allocations)
        after = apply_allocations(installments, allocations)
        # Oldest first: every installment before the last one paid into is settled.
        last = allocations[-1].number
        assert all(amount_due(item) == 0 for item in after if item.number < last)
        assert sum(amount_due(item) for item in after) == owed - payment
        installments = after
    owed = sum(amount_due(installment) for installment in installments)
    with pytest.raises(OverpaymentError) as raised:
        allocate_payment(installments, owed + CENT)
    assert raised.value.outstanding == owed


@LENDING
@given(amount=amounts, rate=rates, term=st.integers(1, 36), method=methods, start=days)
def test_paying_every_installment_on_its_due_date_keeps_the_loan_current(
    amount, rate, term, method, start
):
    loan = build_schedule(amount, rate, term, method, start)
    installments = tuple(InstallmentState.from_row(row) for row in loan.rows)
    for row in loan.rows:
        if row.payment:
            installments = apply_allocations(
                installments, allocate_payment(installments, row.payment)
            )
        the_day_after = assess_delinquency(installments, row.due_date + ONE_DAY)
        assert the_day_after.days_past_due == 0
    state = assess_delinquency(installments, add_months(loan.rows[-1].due_date, 12))
    assert (state.days_past_due, state.bucket) == (0, Bucket.CURRENT)
    assert state.outstanding_principal == 0
    assert all(amount_due(installment) == 0 for installment in installments)
