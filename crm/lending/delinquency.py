"""Where a loan stands on a given day: days past due, bucket, overdue and outstanding amounts.

An installment is overdue from the day after its due date while it is not fully paid. A
loan's DPD (days past due) counts from the due date of its oldest overdue installment.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crm.lending.installments import (
    InstallmentLike,
    amount_due,
    in_order,
    interest_due,
    principal_due,
)
from crm.lending.money import ZERO


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
