"""What an installment owes: the shape allocation and delinquency read.

The engine reads installments through the InstallmentLike protocol, so it takes the
Installment rows of the database and the InstallmentState dataclass below alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Protocol

from crm.lending.money import ZERO
from crm.lending.schedule import ScheduleRow


class InstallmentLike(Protocol):
    """An installment: scheduled principal and interest, and how much of each is paid."""

    @property
    def number(self) -> int: ...
    @property
    def due_date(self) -> date: ...
    @property
    def principal(self) -> Decimal: ...
    @property
    def interest(self) -> Decimal: ...
    @property
    def principal_paid(self) -> Decimal: ...
    @property
    def interest_paid(self) -> Decimal: ...


@dataclass(frozen=True)
class InstallmentState:
    """An installment and what has been paid on it; money in whole cents."""

    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    principal_paid: Decimal = ZERO
    interest_paid: Decimal = ZERO

    @classmethod
    def from_row(cls, row: ScheduleRow) -> "InstallmentState":
        """A schedule row with nothing paid yet."""
        return cls(row.number, row.due_date, row.principal, row.interest)


def principal_due(installment: InstallmentLike) -> Decimal:
    """Principal still unpaid on the installment."""
    return installment.principal - installment.principal_paid


def interest_due(installment: InstallmentLike) -> Decimal:
    """Interest still unpaid on the installment."""
    return installment.interest - installment.interest_paid


def amount_due(installment: InstallmentLike) -> Decimal:
    """Principal and interest still unpaid on the installment."""
    return principal_due(installment) + interest_due(installment)


def next_due(installments: Iterable[InstallmentLike], as_of: date) -> InstallmentLike | None:
    """The "next payment" on `as_of`: the first installment falling due on `as_of` or later
    with something owed on it; None once the last one is past due. What is past due is the
    arrears (crm.lending.delinquency), shown as such, never as the next payment."""
    upcoming = (item for item in in_order(installments) if item.due_date >= as_of)
    return next((item for item in upcoming if amount_due(item) > 0), None)


def in_order(installments: Iterable[InstallmentLike]) -> list[InstallmentLike]:
    """The installments, oldest first; raises ValueError when one is paid beyond what it owes."""
    ordered = sorted(installments, key=attrgetter("number"))
    for item in ordered:
        if item.principal_paid > item.principal or item.interest_paid > item.interest:
            raise ValueError(f"installment {item.number} is paid beyond what it owes")
    return ordered


@dataclass(frozen=True)
class Position:
    """What a loan still owes, whatever the day: the figures stored on the loan row."""

    principal_outstanding: Decimal
    #: Due date of the oldest installment not fully paid; None once everything is paid.
    oldest_unpaid_due_date: date | None

    @property
    def is_repaid(self) -> bool:
        return self.oldest_unpaid_due_date is None


def position(installments: Iterable[InstallmentLike]) -> Position:
    """Principal still owed and the oldest unpaid due date; raises ValueError as in_order()."""
    ordered = in_order(installments)
    unpaid = [item for item in ordered if amount_due(item) > 0]
    return Position(
        principal_outstanding=sum((principal_due(item) for item in ordered), ZERO),
        oldest_unpaid_due_date=unpaid[0].due_date if unpaid else None,
    )
