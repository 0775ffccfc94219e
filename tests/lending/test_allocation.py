from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from crm.lending.allocation import (
    Allocation,
    OverpaymentError,
    allocate_payment,
    apply_allocations,
)
from crm.lending.installments import InstallmentState, Position, amount_due, position
from crm.lending.schedule import build_schedule


def unpaid(amount="10000", term=12):
    """10 000 at 12 % over 12 months, annuity: 888.49 a month, 100.00 interest in row 1."""
    loan = build_schedule(Decimal(amount), Decimal(12), term, "annuity", date(2026, 1, 15))
    return [InstallmentState.from_row(row) for row in loan.rows]


def test_partial_payment_goes_to_interest_first():
    assert allocate_payment(unpaid(), Decimal("50.00")) == (
        Allocation(1, Decimal("50.00"), Decimal("0.00")),
    )


def test_payment_beyond_the_interest_reduces_principal():
    assert allocate_payment(unpaid(), Decimal("150.00")) == (
        Allocation(1, Decimal("100.00"), Decimal("50.00")),
    )


def test_exact_payment_settles_the_installment():
    installments = unpaid()
    allocations = allocate_payment(installments, Decimal("888.49"))
    assert allocations == (Allocation(1, Decimal("100.00"), Decimal("788.49")),)
    paid = apply_allocations(installments, allocations)
    assert amount_due(paid[0]) == 0
    assert amount_due(paid[1]) == Decimal("888.49")


def test_paying_ahead_fills_the_next_installments():
    allocations = allocate_payment(unpaid(), Decimal("1000.00"))
    assert allocations == (
        Allocation(1, Decimal("100.00"), Decimal("788.49")),
        Allocation(2, Decimal("92.12"), Decimal("19.39")),
    )
    assert sum(allocation.total for allocation in allocations) == Decimal("1000.00")


def test_payment_after_a_partial_one_starts_with_what_is_left():
    installments = apply_allocations(unpaid(), allocate_payment(unpaid(), Decimal("60.00")))
    assert installments[0].interest_paid == Decimal("60.00")
    assert allocate_payment(installments, Decimal("100.00")) == (
        Allocation(1, Decimal("40.00"), Decimal("60.00")),
    )


def test_oldest_installment_comes_first_whatever_the_input_order():
    installments = list(reversed(unpaid()))
    assert allocate_payment(installments, Decimal("10.00"))[0].number == 1


def test_settled_installments_are_skipped():
    installments = unpaid()
    installments[0] = replace(
        installments[0],
        principal_paid=installments[0].principal,
        interest_paid=installments[0].interest,
    )
    assert allocate_payment(installments, Decimal("92.12")) == (
        Allocation(2, Decimal("92.12"), Decimal("0.00")),
    )


def test_paying_the_whole_balance_settles_the_loan():
    installments = unpaid()
    paid = apply_allocations(installments, allocate_payment(installments, Decimal("10661.86")))
    assert all(amount_due(installment) == 0 for installment in paid)


def test_paying_more_than_the_balance_is_refused():
    with pytest.raises(OverpaymentError) as raised:
        allocate_payment(unpaid(), Decimal("10661.87"))
    assert raised.value.amount == Decimal("10661.87")
    assert raised.value.outstanding == Decimal("10661.86")
    assert str(raised.value) == (
        "The payment of 10,661.87 is more than the 10,661.86 the loan still owes."
    )


def test_paying_anything_on_a_settled_loan_is_refused():
    installments = unpaid(amount="100", term=1)
    paid = apply_allocations(installments, allocate_payment(installments, Decimal("101.00")))
    with pytest.raises(OverpaymentError):
        allocate_payment(paid, Decimal("0.01"))


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1.00"), Decimal("1.001")])
def test_payment_must_be_positive_whole_cents(amount):
    with pytest.raises(ValueError, match="positive whole cents"):
        allocate_payment(unpaid(), amount)


def test_float_payment_is_refused():
    with pytest.raises(TypeError):
        allocate_payment(unpaid(), 10.0)


def test_overpaid_installment_data_is_refused():
    installments = unpaid()
    installments[0] = replace(installments[0], interest_paid=Decimal("100.01"))
    with pytest.raises(ValueError, match="installment 1 is paid beyond"):
        allocate_payment(installments, Decimal("10.00"))


def test_allocation_to_a_missing_installment_is_refused():
    with pytest.raises(ValueError, match="no installment number 13"):
        apply_allocations(unpaid(), [Allocation(13, Decimal("1.00"), Decimal("0.00"))])


def test_position_follows_payments():
    schedule = build_schedule(Decimal("1200.00"), Decimal("0"), 3, "annuity", date(2026, 1, 10))
    states = tuple(InstallmentState.from_row(row) for row in schedule.rows)
    assert position(states) == Position(Decimal("1200.00"), date(2026, 2, 10))
    paid_first = apply_allocations(states, allocate_payment(states, Decimal("450.00")))
    assert position(paid_first) == Position(Decimal("750.00"), date(2026, 3, 10))
    paid_all = apply_allocations(paid_first, allocate_payment(paid_first, Decimal("750.00")))
    assert position(paid_all).is_repaid
    assert position(paid_all).principal_outstanding == Decimal("0.00")
