"""A promise to pay is kept, broken or open by the payments made towards it."""

from datetime import date
from decimal import Decimal

from crm.lending.promises import Promise, PromiseState, paid_towards, promise_state

PROMISE = Promise(amount=Decimal("500.00"), made_on=date(2026, 3, 1), due_on=date(2026, 3, 10))


def state(payments, as_of):
    return promise_state(PROMISE, paid_towards(PROMISE, payments), as_of)


def test_open_until_its_date_while_nothing_is_paid():
    assert state([], date(2026, 3, 10)) is PromiseState.OPEN


def test_broken_the_day_after_its_date():
    assert state([], date(2026, 3, 11)) is PromiseState.BROKEN


def test_part_payments_that_reach_the_amount_keep_it_even_before_its_date():
    payments = [(date(2026, 3, 2), Decimal("200.00")), (date(2026, 3, 5), Decimal("300.00"))]
    assert state(payments, date(2026, 3, 5)) is PromiseState.KEPT
    assert state(payments, date(2026, 4, 1)) is PromiseState.KEPT


def test_a_part_payment_alone_is_broken_after_the_date():
    assert state([(date(2026, 3, 2), Decimal("499.99"))], date(2026, 3, 11)) is (
        PromiseState.BROKEN
    )


def test_payments_before_the_promise_or_after_its_date_do_not_count():
    payments = [(date(2026, 2, 28), Decimal("500.00")), (date(2026, 3, 11), Decimal("500.00"))]
    assert paid_towards(PROMISE, payments) == Decimal("0.00")
    assert state(payments, date(2026, 3, 11)) is PromiseState.BROKEN


def test_payments_on_both_ends_count():
    payments = [(date(2026, 3, 1), Decimal("250.00")), (date(2026, 3, 10), Decimal("250.00"))]
    assert state(payments, date(2026, 3, 20)) is PromiseState.KEPT


def test_a_reversal_that_takes_the_payment_away_breaks_a_kept_promise():
    kept = [(date(2026, 3, 5), Decimal("500.00"))]
    assert state(kept, date(2026, 3, 20)) is PromiseState.KEPT
    assert state([], date(2026, 3, 20)) is PromiseState.BROKEN
