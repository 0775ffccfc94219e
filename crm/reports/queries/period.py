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
Money is summed in whole cents (crm.loans.queries.portfolio.cents) and comes back Decimal,
in the results of crm.reports.queries.period_figures.
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlalchemy.orm import Session

from crm.lending.status import STARTED_STATUSES, LoanStatus
from crm.loans.queries.portfolio import cents, from_cents
from crm.models import Customer, Installment, Loan, Payment, PaymentAllocation, Product
from crm.reports.queries.ledger import counted_on, end_of, group_filters
from crm.reports.queries.monthly import Outcome
from crm.reports.queries.period_figures import (
    NO_COLLECTIONS,
    ByProduct,
    CollectionFigures,
    Counted,
    F,
    Funnel,
    Period,
    ProductLine,
)


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
