"""The figures of a period of the lender's days, from `since` to `until` (both included),
each as the ledger stood at the end of `until` (crm.reports.queries.ledger), so that the
report for a period gives the same answer whenever it is asked:

- Disbursements: the loans disbursed in the period, how many and their principal.
- Collections: what fell due in the period (principal and interest of the installments due
  in it) and what was received for those installments by the end of the period, whenever
  it was paid (a prepayment made before the period counts; a payment reversed by then does
  not), hence the collection efficiency (crm.lending.portfolio.Collections). An installment
  due on or after the day its loan was written off is not expected any more. Beside it, all
  the money received in the period, whatever it paid: it differs by the prepayments of
  later installments and the arrears of earlier ones.
- Write-offs: the loans written off in the period and the principal each still owed at the
  moment it was written off.
- Applications: those made in the period, by what had become of them at the end of
  `until`: pending (not decided by then), refused, withdrawn or approved.

Each figure comes out of one aggregate query, split by product (the total is the sum of the
products, added up in Python) and narrowed by the report's filters (ledger.group_filters).
Money is summed in whole cents (crm.loans.queries.portfolio.cents) and comes back Decimal.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Generic, TypeVar

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlalchemy.orm import Session

from crm.clock import lender_day_start
from crm.lending.money import ZERO
from crm.lending.portfolio import Collections, percent
from crm.lending.status import STARTED_STATUSES, LoanStatus
from crm.loans.queries.portfolio import cents, from_cents
from crm.models import Customer, Installment, Loan, Payment, PaymentAllocation, Product
from crm.reports.queries.ledger import counted_on, end_of, group_filters
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


# --- Results ----------------------------------------------------------------------------------


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


class Outcome(enum.StrEnum):
    """What had become of an application at the end of a day: a loan started by then counts
    as approved, whatever it became later (repaid, written off)."""

    PENDING = "pending"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"


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


def _by_product(rows: Iterable[tuple[int, str, F]], empty: F) -> ByProduct[F]:
    lines = sorted(
        (ProductLine(product_id, name, figures) for product_id, name, figures in rows),
        key=lambda line: (line.name, line.product_id),
    )
    total = sum((line.figures for line in lines), empty)
    return ByProduct(total=total, products=lines)


def _per_product(statement: Select, *, product_id: int | None, manager_id: int | None) -> Select:
    """`statement` over loans, with each loan's customer and product joined, narrowed by the
    report's filters and grouped by product."""
    return (
        statement.join(Customer, Customer.id == Loan.customer_id)
        .join(Product, Product.id == Loan.product_id)
        .where(*group_filters(product_id=product_id, manager_id=manager_id))
        .group_by(Product.id, Product.name)
    )


# --- Disbursements ----------------------------------------------------------------------------


def disbursed_in(period: Period) -> ColumnElement[bool]:
    """A loan disbursed in the period (and so started; a later write-off leaves it counted)."""
    return Loan.status.in_(STARTED_STATUSES) & Loan.disbursed_on.between(period.since, period.until)


def disbursements(
    session: Session,
    period: Period,
    *,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> ByProduct[Counted]:
    """The loans disbursed in the period and their principal, by product."""
    statement = _per_product(
        select(Product.id, Product.name, func.count(Loan.id), func.sum(cents(Loan.amount)))
        .select_from(Loan)
        .where(disbursed_in(period)),
        product_id=product_id,
        manager_id=manager_id,
    )
    rows = session.execute(statement)
    return _by_product(
        ((key, name, Counted(loans, from_cents(amount))) for key, name, loans, amount in rows),
        Counted(),
    )


# --- Collections ------------------------------------------------------------------------------


def day_ends(column: ColumnElement[date], days: list[date]) -> ColumnElement[datetime]:
    """The UTC moment each of `days` ends for the lender, picked by the date in `column`.

    A CASE over the days, worked out here: SQLite has no time zone database to find where a
    lender's day ends across summer time, and the same SQL then runs on both databases.
    """
    moment = Loan.written_off_at.type
    return case({day: literal(end_of(day), moment) for day in days}, value=column)


def expected(period: Period) -> ColumnElement[bool]:
    """An installment due in the period that the lender still expected then: of a started
    loan, and due before the day the loan was written off, if it was."""
    return (
        Installment.due_date.between(period.since, period.until)
        & Loan.status.in_(STARTED_STATUSES)
        & or_(
            Loan.written_off_at.is_(None),
            # Due on D and written off after D ended: D came before the write-off day.
            Loan.written_off_at >= day_ends(Installment.due_date, period.days),
        )
    )


def due_installments(period: Period, *where: ColumnElement[bool]) -> Select:
    """The installments due in the period (one row each, meeting `where`): their loan and
    product, the cents that fell due (`due`) and the cents received for them by the end of
    the period (`received`), from payments counted then (ledger.counted_on)."""
    received = (
        select(
            PaymentAllocation.installment_id.label("installment_id"),
            func.sum(cents(PaymentAllocation.principal) + cents(PaymentAllocation.interest)).label(
                "cents"
            ),
        )
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .join(Installment, Installment.id == PaymentAllocation.installment_id)
        .where(counted_on(period.until), Installment.due_date.between(period.since, period.until))
        .group_by(PaymentAllocation.installment_id)
        .subquery("received")
    )
    return (
        select(
            Installment.loan_id.label("loan_id"),
            Loan.product_id.label("product_id"),
            (cents(Installment.principal) + cents(Installment.interest)).label("due"),
            func.coalesce(received.c.cents, 0).label("received"),
        )
        .join(Loan, Loan.id == Installment.loan_id)
        .join(Customer, Customer.id == Loan.customer_id)
        .outerjoin(received, received.c.installment_id == Installment.id)
        .where(expected(period), *where)
    )


def collections(
    session: Session,
    period: Period,
    *,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> ByProduct[CollectionFigures]:
    """What fell due in the period and what was received for it, and the money received
    in the period, by product: two aggregate queries (installments, payments)."""
    filters = group_filters(product_id=product_id, manager_id=manager_id)
    due = due_installments(period, *filters).subquery("due")
    expected_rows = session.execute(
        select(
            Product.id,
            Product.name,
            func.count(func.distinct(due.c.loan_id)),
            func.sum(due.c.due),
            func.sum(due.c.received),
        )
        .join(due, due.c.product_id == Product.id)
        .group_by(Product.id, Product.name)
    )
    found = {
        key: (name, CollectionFigures(from_cents(owed), from_cents(got), loans=loans))
        for key, name, loans, owed, got in expected_rows
    }
    paid_rows = session.execute(
        _per_product(
            select(Product.id, Product.name, func.sum(cents(Payment.amount)))
            .select_from(Payment)
            .join(Loan, Loan.id == Payment.loan_id)
            .where(paid_in(period)),
            product_id=product_id,
            manager_id=manager_id,
        )
    )
    for key, name, paid in paid_rows:
        _name, figures = found.get(key, (name, NO_COLLECTIONS))
        found[key] = (name, replace(figures, paid=from_cents(paid)))
    return _by_product(
        ((key, name, figures) for key, (name, figures) in found.items()), NO_COLLECTIONS
    )


def paid_in(period: Period) -> ColumnElement[bool]:
    """A payment dated in the period and not reversed by its end."""
    return Payment.paid_on.between(period.since, period.until) & counted_on(period.until)


# --- Write-offs -------------------------------------------------------------------------------


def written_off_in(period: Period) -> ColumnElement[bool]:
    return (Loan.written_off_at >= period.starts) & (Loan.written_off_at < period.ends)


def written_off_principal() -> ColumnElement[int]:
    """The cents of principal a written-off loan still owed when it was written off: its
    amount less the principal of its payments not reversed by that moment. No payment is
    taken after a write-off, so every payment of the loan was made before it; one reversed
    later still counts. (The stored principal_outstanding would move with such a reversal.)"""
    repaid = (
        select(func.coalesce(func.sum(cents(PaymentAllocation.principal)), 0))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(
            Payment.loan_id == Loan.id,
            or_(Payment.reversed_at.is_(None), Payment.reversed_at >= Loan.written_off_at),
        )
        .correlate(Loan)
        .scalar_subquery()
    )
    return cents(Loan.amount) - repaid


def write_offs(
    session: Session,
    period: Period,
    *,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> ByProduct[Counted]:
    """The loans written off in the period and the principal written off, by product."""
    per_loan = (
        select(Loan.product_id.label("product_id"), written_off_principal().label("principal"))
        .join(Customer, Customer.id == Loan.customer_id)
        .where(written_off_in(period), *group_filters(product_id=product_id, manager_id=manager_id))
        .subquery("written_off")
    )
    rows = session.execute(
        select(Product.id, Product.name, func.count(), func.sum(per_loan.c.principal))
        .join(per_loan, per_loan.c.product_id == Product.id)
        .group_by(Product.id, Product.name)
    )
    return _by_product(
        ((key, name, Counted(loans, from_cents(amount))) for key, name, loans, amount in rows),
        Counted(),
    )


# --- Applications -----------------------------------------------------------------------------


def applied_in(period: Period) -> ColumnElement[bool]:
    return (Loan.created_at >= period.starts) & (Loan.created_at < period.ends)


def outcome_at(moment: datetime) -> ColumnElement[str]:
    """What had become of an application at `moment`, as its Outcome value."""
    return case(
        (or_(Loan.decided_at.is_(None), Loan.decided_at >= moment), Outcome.PENDING.value),
        (Loan.status.in_(STARTED_STATUSES), Outcome.APPROVED.value),
        (Loan.status == LoanStatus.REFUSED, Outcome.REFUSED.value),
        else_=Outcome.WITHDRAWN.value,
    )


def applications(
    session: Session,
    period: Period,
    *,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> ByProduct[Funnel]:
    """The applications made in the period by their outcome at its end, by product."""
    outcome = outcome_at(period.ends).label("outcome")
    statement = _per_product(
        select(Product.id, Product.name, outcome, func.count(Loan.id), func.sum(cents(Loan.amount)))
        .select_from(Loan)
        .where(applied_in(period)),
        product_id=product_id,
        manager_id=manager_id,
    ).group_by(outcome)
    found: dict[int, tuple[str, dict[Outcome, Counted]]] = {}
    for key, name, value, loans, amount in session.execute(statement):
        found.setdefault(key, (name, {}))[1][Outcome(value)] = Counted(loans, from_cents(amount))
    return _by_product(
        ((key, name, Funnel(by_outcome)) for key, (name, by_outcome) in found.items()), Funnel()
    )
