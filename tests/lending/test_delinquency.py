from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from crm.lending.allocation import allocate_payment, apply_allocations
from crm.lending.delinquency import Bucket, assess_delinquency, bucket_for
from crm.lending.installments import InstallmentState
from crm.lending.schedule import build_schedule

#: 10 000 at 12 %, 12 months, annuity, disbursed on 15 January 2026:
#: 888.49 due on the 15th of every month from 15 February 2026.
LOAN = build_schedule(Decimal(10000), Decimal(12), 12, "annuity", date(2026, 1, 15))


def unpaid():
    return [InstallmentState.from_row(row) for row in LOAN.rows]


def pay(installments, amount):
    return apply_allocations(installments, allocate_payment(installments, Decimal(amount)))


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, Bucket.CURRENT),
        (1, Bucket.DPD_1_30),
        (30, Bucket.DPD_1_30),
        (31, Bucket.DPD_31_60),
        (60, Bucket.DPD_31_60),
        (61, Bucket.DPD_61_90),
        (90, Bucket.DPD_61_90),
        (91, Bucket.DPD_OVER_90),
        (4000, Bucket.DPD_OVER_90),
    ],
)
def test_buckets_by_days_past_due(days, bucket):
    assert bucket_for(days) == bucket


def test_bucket_labels():
    assert [bucket.value for bucket in Bucket] == ["current", "1-30", "31-60", "61-90", "90+"]


def test_negative_days_past_due_is_an_error():
    with pytest.raises(ValueError, match="negative"):
        bucket_for(-1)


def test_new_loan_is_current_with_all_principal_outstanding():
    state = assess_delinquency(unpaid(), date(2026, 1, 20))
    assert (state.days_past_due, state.bucket, state.is_overdue) == (0, Bucket.CURRENT, False)
    assert state.overdue_amount == Decimal("0.00")
    assert state.outstanding_principal == Decimal("10000.00")
    assert state.oldest_overdue_due_date is None


def test_installment_is_not_overdue_on_its_due_date():
    assert assess_delinquency(unpaid(), date(2026, 2, 15)).days_past_due == 0


def test_installment_is_overdue_from_the_day_after_its_due_date():
    state = assess_delinquency(unpaid(), date(2026, 2, 16))
    assert (state.days_past_due, state.bucket) == (1, Bucket.DPD_1_30)
    assert state.oldest_overdue_due_date == date(2026, 2, 15)
    assert state.overdue_installments == 1
    assert (state.overdue_principal, state.overdue_interest) == (
        Decimal("788.49"),
        Decimal("100.00"),
    )
    assert state.overdue_amount == Decimal("888.49")


@pytest.mark.parametrize(
    ("as_of", "days", "bucket", "overdue"),
    [
        # February 2026 has 28 days: 15 February + 30 days is 17 March.
        (date(2026, 3, 17), 30, Bucket.DPD_1_30, "1776.98"),
        (date(2026, 3, 18), 31, Bucket.DPD_31_60, "1776.98"),
        (date(2026, 4, 16), 60, Bucket.DPD_31_60, "2665.47"),
        (date(2026, 4, 17), 61, Bucket.DPD_61_90, "2665.47"),
        (date(2026, 5, 16), 90, Bucket.DPD_61_90, "3553.96"),
        (date(2026, 5, 17), 91, Bucket.DPD_OVER_90, "3553.96"),
    ],
)
def test_unpaid_loan_moves_through_the_buckets(as_of, days, bucket, overdue):
    state = assess_delinquency(unpaid(), as_of)
    assert (state.days_past_due, state.bucket) == (days, bucket)
    assert state.overdue_amount == Decimal(overdue)
    assert state.outstanding_principal == Decimal("10000.00")


def test_partly_paid_installment_stays_overdue():
    installments = pay(unpaid(), "888.48")
    state = assess_delinquency(installments, date(2026, 3, 1))
    assert state.days_past_due == 14
    assert state.overdue_amount == Decimal("0.01")
    assert state.outstanding_principal == Decimal("9211.52")


def test_days_past_due_count_from_the_oldest_unpaid_installment():
    installments = pay(unpaid(), "888.49")
    state = assess_delinquency(installments, date(2026, 4, 1))
    assert state.days_past_due == 17
    assert state.oldest_overdue_due_date == date(2026, 3, 15)
    assert state.outstanding_principal == Decimal("9211.51")


def test_paying_ahead_keeps_the_loan_current():
    installments = pay(unpaid(), "1776.98")
    state = assess_delinquency(installments, date(2026, 3, 20))
    assert state.bucket == Bucket.CURRENT
    assert state.outstanding_principal == LOAN.rows[1].balance


def test_repaid_loan_owes_nothing_long_after_its_end():
    installments = pay(unpaid(), "10661.86")
    state = assess_delinquency(installments, date(2030, 1, 1))
    assert (state.days_past_due, state.bucket) == (0, Bucket.CURRENT)
    assert state.outstanding_principal == Decimal("0.00")


def test_overpaid_installment_data_is_refused():
    installments = unpaid()
    installments[3] = replace(installments[3], principal_paid=Decimal("10000"))
    with pytest.raises(ValueError, match="installment 4"):
        assess_delinquency(installments, date(2026, 3, 1))
