"""Cost disclosure: total interest, total payable and the APRC (effective annual rate).

The APRC is the rate X that solves Σ advances·(1+X)^−t = Σ payments·(1+X)^−t, with t in
years from the first advance and a month counted as 1/12 of a year, as EU and Ukrainian
consumer-credit rules define it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from crm.lending.money import CENT, CONTEXT, ROUNDING
from crm.lending.schedule import Schedule

#: Solve for the monthly rate to far below the 0.005 % that rounding the APRC can notice.
_TOLERANCE = Decimal("1e-30")
_MAX_STEPS = 400


@dataclass(frozen=True)
class CashFlow:
    """Money changing hands `month` whole months after the first advance."""

    month: int
    amount: Decimal


@dataclass(frozen=True)
class Disclosure:
    """What a loan costs; money in whole cents, the APRC in percent a year to 0.01."""

    total_principal: Decimal
    total_interest: Decimal
    total_payable: Decimal
    apr_percent: Decimal


def disclose(schedule: Schedule) -> Disclosure:
    """Totals and APRC of a schedule: the amount advanced at month 0, row k paid at month k.

    No fees exist yet, so the total cost of credit is the total interest.
    """
    payments = [CashFlow(row.number, row.payment) for row in schedule.rows]
    return Disclosure(
        total_principal=schedule.total_principal,
        total_interest=schedule.total_interest,
        total_payable=schedule.total_payable,
        apr_percent=aprc_percent([CashFlow(0, schedule.amount)], payments),
    )


def aprc_percent(advances: Sequence[CashFlow], payments: Sequence[CashFlow]) -> Decimal:
    """The APRC in percent a year, rounded to 0.01 half up: Decimal("12.68") is 12.68 %.

    Amounts are Decimal money, months whole numbers ≥ 0. Every advance must come no later
    than every payment; that makes the present value fall as the rate rises, so the rate is
    unique. Raises TypeError for float amounts, and ValueError when there is no advance or
    payment, an amount is negative, an advance follows a payment, or no rate above −100 %
    balances the flows.
    """
    if not advances or not payments:
        raise ValueError("the APRC needs at least one advance and one payment")
    if any(flow.amount < 0 or flow.month < 0 for flow in (*advances, *payments)):
        raise ValueError("cash flows need amounts and months of 0 or more")
    if max(flow.month for flow in advances) > min(flow.month for flow in payments):
        raise ValueError("every advance must come before the payments")
    with localcontext(CONTEXT):
        net = [Decimal(0)] * (max(flow.month for flow in (*advances, *payments)) + 1)
        for flow in payments:
            net[flow.month] += flow.amount
        for flow in advances:
            net[flow.month] -= flow.amount
        monthly = _monthly_rate(net)
        yearly = (1 + monthly) ** 12 - 1
        return (yearly * 100).quantize(CENT, rounding=ROUNDING)


def _monthly_rate(net: list[Decimal]) -> Decimal:
    """The monthly rate i at which Σ net[m]·(1+i)^−m is zero; net value falls as i rises."""
    low, high = _bracket(net)
    rate = (low + high) / 2
    for _ in range(_MAX_STEPS):
        value, slope = _present_value(net, rate)
        if value == 0:
            return rate
        if value > 0:
            low = rate
        else:
            high = rate
        # Newton's step, kept inside the bracket; a bisection where it would leave it.
        step = rate - value / slope if slope else low
        if not low < step < high:
            step = (low + high) / 2
        if abs(step - rate) < _TOLERANCE:
            return step
        rate = step
    raise ValueError("the APRC did not converge")


def _bracket(net: list[Decimal]) -> tuple[Decimal, Decimal]:
    low = high = Decimal(0)
    at_zero = _present_value(net, Decimal(0))[0]
    if at_zero == 0:
        return low, high
    if at_zero > 0:
        high = Decimal(1)
        while _present_value(net, high)[0] > 0:
            if high > 10**6:
                raise ValueError("no rate balances these cash flows")
            low, high = high, high * 2
    else:
        low = Decimal("-0.5")
        while _present_value(net, low)[0] < 0:
            if low < Decimal("-0.999999"):
                raise ValueError("no rate balances these cash flows")
            high, low = low, (low - 1) / 2
    return low, high


def _present_value(net: list[Decimal], rate: Decimal) -> tuple[Decimal, Decimal]:
    """Σ net[m]·v^m with v = 1/(1+rate), and its derivative with respect to rate."""
    v = 1 / (1 + rate)
    value = derivative = Decimal(0)
    # Horner's rule gives the polynomial in v and its derivative in one pass.
    for amount in reversed(net):
        derivative = derivative * v + value
        value = value * v + amount
    return value, derivative * -(v * v)
