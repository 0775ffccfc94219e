"""Whether a promise to pay is kept: derived from the loan's payments, never typed in."""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crm.lending.money import ZERO


class PromiseState(enum.StrEnum):
    #: Its date has not passed and the payments have not reached its amount yet.
    OPEN = "open"
    #: Payments on the loan made from the day of the promise to its date reach its amount.
    KEPT = "kept"
    #: Its date has passed without that.
    BROKEN = "broken"


@dataclass(frozen=True)
class Promise:
    amount: Decimal
    #: The day the customer promised, and the day by which they promised to pay.
    made_on: date
    due_on: date


def paid_towards(promise: Promise, payments: Iterable[tuple[date, Decimal]]) -> Decimal:
    """What the (paid_on, amount) payments not reversed pay towards the promise: those made
    from the day it was made to its date, both included; what was paid before it was made
    does not count."""
    return sum(
        (amount for paid_on, amount in payments if promise.made_on <= paid_on <= promise.due_on),
        ZERO,
    )


def promise_state(promise: Promise, paid: Decimal, as_of: date) -> PromiseState:
    """The promise's state at the end of `as_of`, given what was paid towards it
    (`paid_towards`). A reversal lowers `paid`, and so may break a promise that was kept."""
    if paid >= promise.amount:
        return PromiseState.KEPT
    if as_of > promise.due_on:
        return PromiseState.BROKEN
    return PromiseState.OPEN
