"""What the reports of a period give, and the periods they can cover: the lender's days
from `since` to `until` (both included) of crm.reports.queries.period, and its results, a
group of loans at a time (Counted, CollectionFigures, Funnel), by product and in all.

Money is Decimal; a ratio is a percentage to 0.01 (crm.lending.portfolio.percent), None
where there is nothing to divide by.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Generic, TypeVar

from flask_babel import gettext as _
from flask_babel import ngettext

from crm.clock import lender_day_start
from crm.lending.money import ZERO
from crm.lending.portfolio import Collections, percent
from crm.reports.queries.ledger import end_of
from crm.reports.queries.monthly import Outcome
from crm.validation import FieldError

#: The longest period a report covers, in days: a year, a leap one included.
MAX_PERIOD_DAYS = 366
#: The earliest day a report goes back to: an earlier one is a typing mistake (and the
#: arithmetic of days would soon leave the calendar).
EARLIEST_DAY = date(1900, 1, 1)

#: The figures a report gives for a group of loans (Counted, CollectionFigures, Funnel).
F = TypeVar("F")


@dataclass(frozen=True)
class Period:
    """The lender's days from `since` to `until`, both included."""

    since: date
    until: date

    @property
    def starts(self) -> datetime:
        """The UTC moment the period begins."""
        return lender_day_start(self.since)

    @property
    def ends(self) -> datetime:
        """The UTC moment the period ends: what happened before it happened in it or before."""
        return end_of(self.until)

    @property
    def days(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]


def check_day(day: date, field: str, today: date) -> date:
    """`day`, when a report can be asked for it: not after `today` (the lender's; a day not
    yet begun has no figures) nor before EARLIEST_DAY. Raises FieldError on `field`."""
    if day > today:
        raise FieldError(field, _("The day cannot be in the future."))
    if day < EARLIEST_DAY:
        raise FieldError(field, _("The day is too far in the past."))
    return day


def check_period(since: date, until: date, today: date) -> Period:
    """The period from `since` to `until`, when it is one a report can cover: both days
    are ones check_day() takes, it ends no earlier than it starts, and it spans at most
    MAX_PERIOD_DAYS. Raises FieldError on "since" or "until"."""
    check_day(since, "since", today)
    check_day(until, "until", today)
    if until < since:
        raise FieldError("until", _("The period cannot end before it starts."))
    if (until - since).days + 1 > MAX_PERIOD_DAYS:
        raise FieldError(
            "until",
            ngettext(
                "A period is at most %(num)d day long.",
                "A period is at most %(num)d days long.",
                MAX_PERIOD_DAYS,
            ),
        )
    return Period(since, until)


@dataclass(frozen=True)
class Counted:
    """Some loans: how many, and their amount (principal lent, applied for or written off)."""

    loans: int = 0
    amount: Decimal = ZERO

    def __add__(self, other: "Counted") -> "Counted":
        return Counted(self.loans + other.loans, self.amount + other.amount)


@dataclass(frozen=True)
class CollectionFigures(Collections):
    """What fell due in the period (`due`, on `loans` loans), what was received for it by
    the period's end (`received`), and all the money received in the period (`paid`)."""

    loans: int = 0
    paid: Decimal = ZERO

    def __add__(self, other: "CollectionFigures") -> "CollectionFigures":
        return CollectionFigures(
            due=self.due + other.due,
            received=self.received + other.received,
            loans=self.loans + other.loans,
            paid=self.paid + other.paid,
        )


NO_COLLECTIONS = CollectionFigures(due=ZERO, received=ZERO)


#: The outcomes of a decided application.
DECIDED = (Outcome.REFUSED, Outcome.WITHDRAWN, Outcome.APPROVED)


@dataclass(frozen=True)
class Funnel:
    """The applications of a period by outcome at its end, each with their amount."""

    by_outcome: dict[Outcome, Counted] = field(default_factory=dict)

    def __getitem__(self, outcome: Outcome) -> Counted:
        return self.by_outcome.get(outcome, Counted())

    def __add__(self, other: "Funnel") -> "Funnel":
        return Funnel({outcome: self[outcome] + other[outcome] for outcome in Outcome})

    @property
    def total(self) -> Counted:
        return sum((self[outcome] for outcome in Outcome), Counted())

    @property
    def decided(self) -> Counted:
        return sum((self[outcome] for outcome in DECIDED), Counted())

    @property
    def approval_rate(self) -> Decimal | None:
        """Approved applications as a percentage of the decided ones (withdrawn included),
        by count; None when none was decided."""
        return percent(Decimal(self[Outcome.APPROVED].loans), Decimal(self.decided.loans))


@dataclass(frozen=True)
class ProductLine(Generic[F]):
    """The figures of one product's loans."""

    product_id: int
    name: str
    figures: F


@dataclass(frozen=True)
class ByProduct(Generic[F]):
    """The figures of a period, product by product (those with any, by name), and in all."""

    total: F
    products: list[ProductLine[F]]
