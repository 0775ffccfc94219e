"""The portfolio figures management reads, as CGAP and SEEP define them.

- Outstanding principal: principal lent and not yet repaid on the loans active on the day.
- PAR n (portfolio at risk): the outstanding principal (all of it, not only the part past due)
  of the loans with an installment unpaid for more than n days, divided by the outstanding
  principal of all active loans. Fineract's "portfolio at risk" divides overdue principal
  instead, which is an arrears rate, not PAR.
- Arrears: principal and interest of the installments past due and not paid.
- Collection efficiency: what was received for the installments due in a period, divided by
  what fell due in it.

Money is Decimal; every ratio is a percentage rounded to 0.01, half up, and None where the
whole it divides by is zero (no portfolio has no PAR, rather than a PAR of 0 %).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from crm.lending.money import CENT, ROUNDING, ZERO

#: The days past due of the PAR figures reported: PAR1, PAR30, PAR90.
PAR_DAYS = (1, 30, 90)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole` to 0.01 (1 of 3 → 33.33); None when `whole` is 0."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(CENT, rounding=ROUNDING)


@dataclass(frozen=True)
class PortfolioFigures:
    """The active loans on `as_of`, all together or one group of them (a product, a manager)."""

    as_of: date
    active_loans: int = 0
    outstanding: Decimal = ZERO
    overdue_loans: int = 0
    overdue_amount: Decimal = ZERO
    #: Outstanding principal of the loans more than n days past due, for each n of PAR_DAYS.
    at_risk: dict[int, Decimal] = field(default_factory=dict)
    #: How many loans are more than n days past due, for each n of PAR_DAYS.
    loans_at_risk: dict[int, int] = field(default_factory=dict)

    def par(self, days: int) -> Decimal | None:
        """PAR `days` as a percentage: PAR30 is par(30)."""
        return percent(self.at_risk.get(days, ZERO), self.outstanding)


def combined(as_of: date, parts: Iterable[PortfolioFigures]) -> PortfolioFigures:
    """The figures of the loans of all `parts` together (groups that share no loan)."""
    parts = list(parts)
    return PortfolioFigures(
        as_of=as_of,
        active_loans=sum(part.active_loans for part in parts),
        outstanding=sum((part.outstanding for part in parts), ZERO),
        overdue_loans=sum(part.overdue_loans for part in parts),
        overdue_amount=sum((part.overdue_amount for part in parts), ZERO),
        at_risk={
            days: sum((part.at_risk.get(days, ZERO) for part in parts), ZERO) for days in PAR_DAYS
        },
        loans_at_risk={
            days: sum(part.loans_at_risk.get(days, 0) for part in parts) for days in PAR_DAYS
        },
    )


@dataclass(frozen=True)
class Collections:
    """What fell due in a period and what was received for it by the period's end."""

    due: Decimal
    received: Decimal

    @property
    def efficiency(self) -> Decimal | None:
        return percent(self.received, self.due)

    @property
    def shortfall(self) -> Decimal:
        return self.due - self.received
