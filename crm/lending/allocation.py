"""Splitting a payment over a loan's installments.

Oldest unpaid installment first; within each, interest before principal. A payment larger
than the installment due fills the next ones (paying ahead); a payment larger than the whole
remaining balance is refused.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from crm.lending.errors import LendingError
from crm.lending.installments import (
    InstallmentLike,
    InstallmentState,
    amount_due,
    in_order,
    interest_due,
    principal_due,
)
from crm.lending.money import ZERO, is_cents


class OverpaymentError(LendingError):
    """The payment is larger than everything the loan still owes."""

    def __init__(self, amount: Decimal, outstanding: Decimal) -> None:
        self.amount = amount
        self.outstanding = outstanding
        super().__init__(
            f"The payment of {amount:,.2f} is more than the {outstanding:,.2f} the loan still owes."
        )


@dataclass(frozen=True)
class Allocation:
    """The part of a payment that goes to one installment; money in whole cents."""

    number: int
    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal


def allocate_payment(
    installments: Iterable[InstallmentLike], amount: Decimal
) -> tuple[Allocation, ...]:
    """Split `amount` over the installments; one Allocation per installment that gets money.

    `amount` is Decimal money, whole cents, > 0. The allocations add up to `amount` exactly.
    Raises TypeError for a float, ValueError for a non-positive amount, fractions of a cent or
    an installment paid beyond what it owes, and OverpaymentError when `amount` exceeds the
    loan's remaining principal and interest.
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amount must be Decimal or int, not {type(amount).__name__}")
    amount = Decimal(amount)
    if not (is_cents(amount) and amount > 0):
        raise ValueError(f"a payment must be positive whole cents, not {amount}")
    ordered = in_order(installments)
    outstanding = sum((amount_due(installment) for installment in ordered), ZERO)
    if amount > outstanding:
        raise OverpaymentError(amount, outstanding)
    allocations = []
    left = amount
    for installment in ordered:
        if left == 0:
            break
        to_interest = min(left, interest_due(installment))
        to_principal = min(left - to_interest, principal_due(installment))
        if to_interest or to_principal:
            allocations.append(Allocation(installment.number, to_interest, to_principal))
            left -= to_interest + to_principal
    return tuple(allocations)


def apply_allocations(
    installments: Iterable[InstallmentLike], allocations: Iterable[Allocation]
) -> tuple[InstallmentState, ...]:
    """The installments, oldest first, with the allocations added to what is paid on them.

    Raises ValueError when an allocation names an installment that is not there.
    """
    by_number = {
        item.number: InstallmentState(
            item.number,
            item.due_date,
            item.principal,
            item.interest,
            item.principal_paid,
            item.interest_paid,
        )
        for item in in_order(installments)
    }
    for allocation in allocations:
        if allocation.number not in by_number:
            raise ValueError(f"no installment number {allocation.number}")
        state = by_number[allocation.number]
        by_number[allocation.number] = replace(
            state,
            interest_paid=state.interest_paid + allocation.interest,
            principal_paid=state.principal_paid + allocation.principal,
        )
    return tuple(by_number.values())
