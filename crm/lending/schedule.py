"""Repayment schedules: annuity (level payments) and differentiated (level principal).

Conventions: monthly periods, periodic rate
r = annual rate / 12 / 100, every figure rounded to 0.01 half up per row, and the last row
takes the whole remaining balance, so the principal parts sum to the amount exactly.
"""

import calendar
import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from crm.lending.money import CONTEXT, ZERO, is_cents, round_money


class RepaymentMethod(enum.StrEnum):
    #: Level payments: each row pays the same, its interest share shrinking.
    ANNUITY = "annuity"
    #: Level principal: each row repays the same principal plus the interest on the balance.
    DIFFERENTIATED = "differentiated"


@dataclass(frozen=True)
class ScheduleRow:
    """One installment of a schedule; money in the loan's currency, whole cents."""

    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    #: Principal still owed once this row is paid.
    balance: Decimal

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest


@dataclass(frozen=True)
class Schedule:
    """A loan's schedule: the terms it was built from and its rows, in due-date order."""

    method: str
    amount: Decimal
    annual_rate_percent: Decimal
    term_months: int
    disbursed_on: date
    rows: tuple[ScheduleRow, ...]

    @property
    def total_principal(self) -> Decimal:
        return sum((row.principal for row in self.rows), ZERO)

    @property
    def total_interest(self) -> Decimal:
        return sum((row.interest for row in self.rows), ZERO)

    @property
    def total_payable(self) -> Decimal:
        return self.total_principal + self.total_interest


def add_months(start: date, months: int) -> date:
    """The same day of the month `months` months later, clamped to that month's last day.

    Raises ValueError when the result falls outside the years 1-9999.
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if not 1 <= year <= 9999:
        raise ValueError(f"{months} months after {start.isoformat()} is out of range")
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(disbursed_on: date, number: int) -> date:
    """Due date of installment `number` (1-based) of a loan disbursed on `disbursed_on`.

    Computed from the disbursement date each time, never from the previous due date, so a
    loan disbursed on 31 January falls due on 28/29 February and then on 31 March again.
    """
    return add_months(disbursed_on, number)


def annuity_payment(amount: Decimal, annual_rate_percent: Decimal, term_months: int) -> Decimal:
    """The level monthly payment A = P·r / (1 − (1+r)^−n), rounded to cents half up (P/n at 0 %).

    `amount` in money (whole cents, > 0), `annual_rate_percent` in percent a year (≥ 0),
    `term_months` ≥ 1. Raises TypeError for float or non-numeric input and ValueError for
    values outside those ranges.
    """
    amount, rate = _check_terms(amount, annual_rate_percent, term_months)
    with localcontext(CONTEXT):
        if rate == 0:
            return round_money(amount / term_months)
        discount = 1 - (1 + rate / 1200) ** -term_months
        # P·rate / 1200 over the discount factor, divided last as in _interest(), so the
        # payment is never less than the first row's interest, even where the factor is 1.
        return round_money(amount * rate / (1200 * discount))


def annuity_schedule(
    amount: Decimal, annual_rate_percent: Decimal, term_months: int, disbursed_on: date
) -> Schedule:
    """Level payments: interest = round(balance · r), principal = payment − interest.

    The last row takes the remaining balance. Where the rounding of the payment would repay
    the loan before the term ends (only at extreme rates and terms), principal stops at the
    balance, so no figure is ever negative. Units and errors as in annuity_payment().
    """
    payment = annuity_payment(amount, annual_rate_percent, term_months)
    return _schedule(
        RepaymentMethod.ANNUITY,
        amount,
        annual_rate_percent,
        term_months,
        disbursed_on,
        principal_part=lambda interest: payment - interest,
    )


def differentiated_schedule(
    amount: Decimal, annual_rate_percent: Decimal, term_months: int, disbursed_on: date
) -> Schedule:
    """Level principal round(P / n) plus interest round(balance · r); the last row takes the rest.

    Where rounding up P / n would exhaust the amount early (tiny amounts over long terms),
    principal stops at the balance. Units and errors as in annuity_payment().
    """
    amount, _rate = _check_terms(amount, annual_rate_percent, term_months)
    with localcontext(CONTEXT):
        level = round_money(amount / term_months)
    return _schedule(
        RepaymentMethod.DIFFERENTIATED,
        amount,
        annual_rate_percent,
        term_months,
        disbursed_on,
        principal_part=lambda _row_interest: level,
    )


def build_schedule(
    amount: Decimal,
    annual_rate_percent: Decimal,
    term_months: int,
    method: str,
    disbursed_on: date,
) -> Schedule:
    """The schedule for `method` ("annuity" or "differentiated"; a RepaymentMethod works too).

    Raises ValueError for an unknown method; otherwise as annuity_payment().
    """
    if method == RepaymentMethod.ANNUITY:
        return annuity_schedule(amount, annual_rate_percent, term_months, disbursed_on)
    if method == RepaymentMethod.DIFFERENTIATED:
        return differentiated_schedule(amount, annual_rate_percent, term_months, disbursed_on)
    raise ValueError(
        f"unknown repayment method {method!r}; expected one of {', '.join(RepaymentMethod)}"
    )


def _schedule(method, amount, annual_rate_percent, term_months, disbursed_on, principal_part):
    amount, rate = _check_terms(amount, annual_rate_percent, term_months)
    if not isinstance(disbursed_on, date):
        raise TypeError("disbursed_on must be a date")
    rows = []
    balance = amount
    with localcontext(CONTEXT):
        for number in range(1, term_months + 1):
            interest = _interest(balance, rate)
            last = number == term_months
            principal = balance if last else min(principal_part(interest), balance)
            balance -= principal
            rows.append(
                ScheduleRow(
                    number=number,
                    due_date=due_date(disbursed_on, number),
                    principal=principal,
                    interest=interest,
                    balance=balance,
                )
            )
    return Schedule(
        method=method,
        amount=amount,
        annual_rate_percent=rate,
        term_months=term_months,
        disbursed_on=disbursed_on,
        rows=tuple(rows),
    )


def _interest(balance: Decimal, annual_rate_percent: Decimal) -> Decimal:
    # 30/360 nominal: r = annual rate / 12 / 100, whatever the month's length. Divide last:
    # rate / 1200 may not terminate (1 % gives 0.000833…), and a truncated r would turn an
    # exact half cent, such as 6.00 at 1 %, into 0.00499… and round it down.
    return round_money(balance * annual_rate_percent / 1200)


def _check_terms(amount, annual_rate_percent, term_months) -> tuple[Decimal, Decimal]:
    for name, value in (("amount", amount), ("annual_rate_percent", annual_rate_percent)):
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"{name} must be Decimal or int, not {type(value).__name__}")
    if isinstance(term_months, bool) or not isinstance(term_months, int):
        raise TypeError(f"term_months must be int, not {type(term_months).__name__}")
    amount, rate = Decimal(amount), Decimal(annual_rate_percent)
    if not (is_cents(amount) and amount > 0):
        raise ValueError(f"amount must be positive whole cents, not {amount}")
    if not (rate.is_finite() and rate >= 0):
        raise ValueError(f"annual_rate_percent must be 0 or more, not {rate}")
    if term_months < 1:
        raise ValueError(f"term_months must be 1 or more, not {term_months}")
    return round_money(amount), rate
