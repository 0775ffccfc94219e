"""The days a loan became overdue or moved into a worse bucket, from its due dates and the
days its installments were paid."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from crm.lending.delinquency import (
    BUCKET_ORDER,
    Bucket,
    BucketChange,
    assess_delinquency,
    bucket_change_on,
    delinquency_events,
)
from crm.lending.installments import InstallmentState
from crm.lending.schedule import add_months
from tests.lending.test_properties import LENDING

ONE_DAY = timedelta(days=1)
PAYMENT = Decimal("100.00")


@dataclass(frozen=True)
class Paid:
    due_date: date
    paid_on: date | None = None


def monthly(*paid_on: date | None, first: date = date(2026, 2, 15)) -> list[Paid]:
    return [Paid(add_months(first, number), day) for number, day in enumerate(paid_on)]


def test_a_loan_paid_on_time_never_falls_behind():
    installments = monthly(date(2026, 2, 15), date(2026, 3, 14), date(2026, 4, 16))
    assert delinquency_events(installments, date(2027, 1, 1)) == []


def test_an_unpaid_loan_moves_through_every_bucket_on_the_days_dpd_crosses_them():
    installments = monthly(None, None, None)
    assert delinquency_events(installments, date(2027, 1, 1)) == [
        BucketChange(date(2026, 2, 16), Bucket.DPD_1_30, Bucket.CURRENT),
        # February 2026 has 28 days: 15 February + 31 days is 18 March.
        BucketChange(date(2026, 3, 18), Bucket.DPD_31_60, Bucket.DPD_1_30),
        BucketChange(date(2026, 4, 17), Bucket.DPD_61_90, Bucket.DPD_31_60),
        BucketChange(date(2026, 5, 17), Bucket.DPD_OVER_90, Bucket.DPD_61_90),
    ]


def test_changes_stop_at_the_day_asked_about():
    installments = monthly(None, None)
    [change] = delinquency_events(installments, date(2026, 3, 17))
    assert (change.on, change.became_overdue) == (date(2026, 2, 16), True)
    assert delinquency_events(installments, date(2026, 2, 15)) == []


def test_a_cured_loan_that_falls_behind_again_becomes_overdue_again():
    # The first installment is paid 10 days late; the second is never paid.
    installments = monthly(date(2026, 2, 25), None)
    changes = delinquency_events(installments, date(2026, 4, 30))
    assert [(change.on, change.bucket, change.previous) for change in changes] == [
        (date(2026, 2, 16), Bucket.DPD_1_30, Bucket.CURRENT),
        (date(2026, 3, 16), Bucket.DPD_1_30, Bucket.CURRENT),
        (date(2026, 4, 15), Bucket.DPD_31_60, Bucket.DPD_1_30),
    ]


def test_paying_the_oldest_may_move_a_loan_to_a_better_bucket_and_back_into_a_worse_one():
    # 45 days behind on the first; paying it leaves the second (due 15 March) 17 days behind.
    installments = monthly(date(2026, 4, 1), None)
    changes = delinquency_events(installments, date(2026, 4, 20))
    assert [(change.on, change.bucket) for change in changes] == [
        (date(2026, 2, 16), Bucket.DPD_1_30),
        (date(2026, 3, 18), Bucket.DPD_31_60),
        (date(2026, 4, 15), Bucket.DPD_31_60),
    ]
    assert changes[-1].previous is Bucket.DPD_1_30


def test_an_installment_paid_the_day_after_its_due_date_is_never_overdue_at_a_days_end():
    assert delinquency_events(monthly(date(2026, 2, 16)), date(2026, 6, 1)) == []
    [change] = delinquency_events(monthly(date(2026, 2, 17)), date(2026, 6, 1))
    assert change.on == date(2026, 2, 16)


def test_the_change_of_one_day_is_the_one_the_history_gives_for_it():
    installments = monthly(None, None)
    assert bucket_change_on(installments, date(2026, 3, 18)) == BucketChange(
        date(2026, 3, 18), Bucket.DPD_31_60, Bucket.DPD_1_30
    )
    assert bucket_change_on(installments, date(2026, 3, 19)) is None


def states_on(installments: list[Paid], day: date) -> list[InstallmentState]:
    """The installments as assess_delinquency() reads them at the end of `day`."""
    return [
        InstallmentState(
            number,
            item.due_date,
            PAYMENT,
            Decimal("0.00"),
            principal_paid=PAYMENT if item.paid_on is not None and item.paid_on <= day else 0,
        )
        for number, item in enumerate(installments, start=1)
    ]


@st.composite
def paid_oldest_first(draw) -> list[Paid]:
    """Monthly installments, each paid some days before or after its due date, never before
    the one ahead of it; the last ones perhaps not yet."""
    count = draw(st.integers(1, 5))
    paid_count = draw(st.integers(0, count))
    installments, last_paid = [], date(2026, 1, 1)
    for number in range(count):
        due = add_months(date(2026, 1, 31), number + 1)
        paid_on = None
        if number < paid_count:
            paid_on = max(last_paid, due + timedelta(days=draw(st.integers(-20, 130))))
            last_paid = paid_on
        installments.append(Paid(due, paid_on))
    return installments


@LENDING
@given(installments=paid_oldest_first(), span=st.integers(0, 300))
def test_the_changes_are_the_days_assess_delinquency_finds_a_worse_bucket(installments, span):
    as_of = installments[-1].due_date + timedelta(days=span)
    start = installments[0].due_date - timedelta(days=2)
    buckets = {
        start + timedelta(days=offset): assess_delinquency(
            states_on(installments, start + timedelta(days=offset)),
            start + timedelta(days=offset),
        ).bucket
        for offset in range((as_of - start).days + 1)
    }
    expected = [
        BucketChange(day, bucket, buckets[day - ONE_DAY])
        for day, bucket in buckets.items()
        if day > start and BUCKET_ORDER[bucket] > BUCKET_ORDER[buckets[day - ONE_DAY]]
    ]

    changes = delinquency_events(installments, as_of)

    assert changes == expected
    assert all(buckets[change.on] is change.bucket for change in changes)
    by_day = {change.on: change for change in changes}
    for day in list(buckets)[1:]:
        assert bucket_change_on(installments, day) == by_day.get(day)
