"""Where a loan stands on a given day: days past due, bucket, overdue and outstanding amounts.

An installment is overdue from the day after its due date while it is not fully paid. A
loan's DPD (days past due) counts from the due date of its oldest overdue installment.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from crm.lending.installments import (
    InstallmentLike,
    amount_due,
    in_order,
    interest_due,
    principal_due,
)
from crm.lending.money import ZERO

ONE_DAY = timedelta(days=1)


class Bucket(enum.StrEnum):
    CURRENT = "current"
    DPD_1_30 = "1-30"
    DPD_31_60 = "31-60"
    DPD_61_90 = "61-90"
    DPD_OVER_90 = "90+"


#: The DPD range of each overdue bucket, in days, both ends included; None: no upper limit.
BUCKET_DAYS: dict[Bucket, tuple[int, int | None]] = {
    Bucket.DPD_1_30: (1, 30),
    Bucket.DPD_31_60: (31, 60),
    Bucket.DPD_61_90: (61, 90),
    Bucket.DPD_OVER_90: (91, None),
}


def bucket_for(days_past_due: int) -> Bucket:
    """The delinquency bucket of a DPD figure: 0 current, 1–30, 31–60, 61–90, over 90 "90+".

    Raises ValueError for a negative figure.
    """
    if days_past_due < 0:
        raise ValueError(f"days past due cannot be negative: {days_past_due}")
    for bucket, (low, high) in BUCKET_DAYS.items():
        if low <= days_past_due and (high is None or days_past_due <= high):
            return bucket
    return Bucket.CURRENT


@dataclass(frozen=True)
class Delinquency:
    """A loan's arrears on `as_of`; money in whole cents, days in calendar days."""

    as_of: date
    days_past_due: int
    bucket: Bucket
    #: Due date of the oldest installment not paid in time; None when nothing is overdue.
    oldest_overdue_due_date: date | None
    overdue_installments: int
    overdue_principal: Decimal
    overdue_interest: Decimal
    #: Principal not yet repaid, overdue or not.
    outstanding_principal: Decimal

    @property
    def overdue_amount(self) -> Decimal:
        return self.overdue_principal + self.overdue_interest

    @property
    def is_overdue(self) -> bool:
        return self.days_past_due > 0


def assess_delinquency(installments: Iterable[InstallmentLike], as_of: date) -> Delinquency:
    """The loan's arrears at the end of `as_of`, from its installments and what is paid on them.

    An installment due on `as_of` itself is not overdue yet. Raises ValueError when an
    installment is paid beyond what it owes.
    """
    ordered = in_order(installments)
    overdue = [
        installment
        for installment in ordered
        if installment.due_date < as_of and amount_due(installment) > 0
    ]
    oldest = min((installment.due_date for installment in overdue), default=None)
    days_past_due = (as_of - oldest).days if oldest else 0
    return Delinquency(
        as_of=as_of,
        days_past_due=days_past_due,
        bucket=bucket_for(days_past_due),
        oldest_overdue_due_date=oldest,
        overdue_installments=len(overdue),
        overdue_principal=sum((principal_due(item) for item in overdue), ZERO),
        overdue_interest=sum((interest_due(item) for item in overdue), ZERO),
        outstanding_principal=sum((principal_due(item) for item in ordered), ZERO),
    )


class PaidOnLike(Protocol):
    """An installment as its arrears history needs it: when it fell due and the day its
    last cent was paid (None while anything is owed)."""

    @property
    def due_date(self) -> date: ...
    @property
    def paid_on(self) -> date | None: ...


#: The buckets from best to worst; "worse" compares their places here.
BUCKET_ORDER = {bucket: place for place, bucket in enumerate(Bucket)}
#: Days past the due date at which a loan enters each overdue bucket.
BUCKET_STARTS = tuple(low for low, _high in BUCKET_DAYS.values())


@dataclass(frozen=True)
class BucketChange:
    """The day a loan entered a worse bucket than the day before: `previous` current means
    it became overdue that day."""

    on: date
    bucket: Bucket
    previous: Bucket

    @property
    def became_overdue(self) -> bool:
        return self.previous is Bucket.CURRENT


def delinquency_events(installments: Iterable[PaidOnLike], as_of: date) -> list[BucketChange]:
    """The days up to `as_of` on which the loan became overdue or moved into a worse
    bucket, oldest first, each judged at the end of the day as assess_delinquency() does.

    Reads only the due dates and the days each installment was fully paid, so a loan that
    was cured and fell behind again gives new changes. The bucket changes only on a day an
    installment falls overdue, a day one is paid, or a day the oldest overdue one crosses
    a bucket's threshold; only those days are looked at.
    """
    late = _ever_late(installments, as_of)
    days = sorted(
        {
            day
            for item in late
            for day in (
                item.paid_on,
                *(item.due_date + timedelta(days=start) for start in BUCKET_STARTS),
            )
            if day is not None and day <= as_of
        }
    )
    changes, previous = [], Bucket.CURRENT
    for day in days:
        bucket = _bucket_on(late, day)
        if BUCKET_ORDER[bucket] > BUCKET_ORDER[previous]:
            changes.append(BucketChange(day, bucket, previous))
        previous = bucket
    return changes


def bucket_change_on(installments: Iterable[PaidOnLike], day: date) -> BucketChange | None:
    """The change delinquency_events() gives for `day` itself, if any, without the loan's
    earlier history: what a daily run asks of each loan."""
    late = _ever_late(installments, day)
    bucket, previous = _bucket_on(late, day), _bucket_on(late, day - ONE_DAY)
    if BUCKET_ORDER[bucket] > BUCKET_ORDER[previous]:
        return BucketChange(day, bucket, previous)
    return None


def _ever_late(installments: Iterable[PaidOnLike], as_of: date) -> list[PaidOnLike]:
    """The installments that were overdue at the end of some day up to `as_of`: one paid
    by its due date never counts towards DPD."""
    return [
        item
        for item in installments
        if item.due_date < as_of
        and (item.paid_on is None or item.paid_on > item.due_date + ONE_DAY)
    ]


def _bucket_on(installments: list[PaidOnLike], day: date) -> Bucket:
    """The bucket at the end of `day`: DPD from the oldest installment due before it and
    not fully paid by then."""
    oldest = min(
        (
            item.due_date
            for item in installments
            if item.due_date < day and (item.paid_on is None or item.paid_on > day)
        ),
        default=None,
    )
    return bucket_for((day - oldest).days) if oldest else Bucket.CURRENT
