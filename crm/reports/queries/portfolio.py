"""The portfolio as of any day from the ledger: outstanding principal, arrears, PAR1/30/90,
and the same split by product, by manager and by delinquency bucket, each in one query over
the positions of crm.reports.queries.ledger."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, Subquery, case, func, literal, select
from sqlalchemy.orm import Session

from crm.lending.delinquency import BUCKET_DAYS, Bucket
from crm.lending.portfolio import PAR_DAYS, PortfolioFigures
from crm.loans.queries.portfolio import from_cents
from crm.models import Product, User
from crm.reports.queries.ledger import group_filters, more_than_days_past_due, positions


def figure_columns(position: Subquery, as_of: date) -> tuple[ColumnElement, ...]:
    """The aggregates a PortfolioFigures is made of, in the order from_row() reads them."""
    at_risk = []
    for days in PAR_DAYS:
        risky = more_than_days_past_due(position, as_of, days)
        at_risk.append(func.sum(case((risky, position.c.outstanding), else_=0)))
        at_risk.append(func.count(case((risky, position.c.loan_id))))
    return (
        func.count(position.c.loan_id),
        func.sum(position.c.outstanding),
        func.count(position.c.oldest_overdue),
        func.sum(position.c.overdue),
        *at_risk,
    )


def from_row(as_of: date, row) -> PortfolioFigures:
    """A PortfolioFigures from the columns of figure_columns(), money back from cents."""
    active, outstanding, overdue_loans, overdue, *at_risk = row
    return PortfolioFigures(
        as_of=as_of,
        active_loans=active or 0,
        outstanding=from_cents(outstanding),
        overdue_loans=overdue_loans or 0,
        overdue_amount=from_cents(overdue),
        at_risk={days: from_cents(at_risk[2 * n]) for n, days in enumerate(PAR_DAYS)},
        loans_at_risk={days: at_risk[2 * n + 1] or 0 for n, days in enumerate(PAR_DAYS)},
    )


def portfolio_as_of(
    session: Session,
    as_of: date,
    *,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> PortfolioFigures:
    """The active loans at the end of `as_of` (of one product, of one manager's customers)."""
    position = positions(as_of, *group_filters(product_id=product_id, manager_id=manager_id))
    row = session.execute(select(*figure_columns(position, as_of))).one()
    return from_row(as_of, row)


@dataclass(frozen=True)
class GroupFigures:
    """The figures of one group of loans: a product, a manager (None: no manager)."""

    key: int | None
    name: str
    figures: PortfolioFigures


def portfolio_by_product(
    session: Session, as_of: date, *, manager_id: int | None = None
) -> list[GroupFigures]:
    """The portfolio at the end of `as_of` product by product, largest outstanding first."""
    position = positions(as_of, *group_filters(manager_id=manager_id))
    statement = (
        select(Product.id, Product.name, *figure_columns(position, as_of))
        .join(position, position.c.product_id == Product.id)
        .group_by(Product.id, Product.name)
    )
    return _groups(session, statement, as_of)


def portfolio_by_manager(
    session: Session, as_of: date, *, product_id: int | None = None
) -> list[GroupFigures]:
    """The portfolio at the end of `as_of` by the customers' manager (customers without one
    make a group of their own), largest outstanding first."""
    position = positions(as_of, *group_filters(product_id=product_id))
    name = func.coalesce(func.nullif(User.full_name, ""), User.email, literal(""))
    statement = (
        select(position.c.manager_id, name, *figure_columns(position, as_of))
        .select_from(position)
        .outerjoin(User, User.id == position.c.manager_id)
        .group_by(position.c.manager_id, User.full_name, User.email)
    )
    return _groups(session, statement, as_of)


def _groups(session: Session, statement: Select, as_of: date) -> list[GroupFigures]:
    groups = [
        GroupFigures(key=key, name=name, figures=from_row(as_of, figures))
        for key, name, *figures in session.execute(statement)
    ]
    return sorted(groups, key=lambda group: (-group.figures.outstanding, group.name))


@dataclass(frozen=True)
class BucketFigures:
    bucket: Bucket
    loans: int
    outstanding: Decimal
    overdue_amount: Decimal


def bucket_of(position: Subquery, as_of: date) -> ColumnElement[str]:
    """The delinquency bucket of a position at the end of `as_of`, as its Bucket value."""
    whens = [(position.c.oldest_overdue.is_(None), Bucket.CURRENT.value)]
    for bucket, (_low, high) in BUCKET_DAYS.items():
        if high is not None:
            whens.append((position.c.oldest_overdue >= as_of - timedelta(days=high), bucket.value))
    return case(*whens, else_=Bucket.DPD_OVER_90.value)


def aging(
    session: Session,
    as_of: date,
    *,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> list[BucketFigures]:
    """The active loans at the end of `as_of` by delinquency bucket, every bucket present."""
    position = positions(as_of, *group_filters(product_id=product_id, manager_id=manager_id))
    bucket = bucket_of(position, as_of).label("bucket")
    rows = session.execute(
        select(
            bucket,
            func.count(position.c.loan_id),
            func.sum(position.c.outstanding),
            func.sum(position.c.overdue),
        ).group_by(bucket)
    ).all()
    found = {value: (loans, outstanding, overdue) for value, loans, outstanding, overdue in rows}
    figures = []
    for bucket in Bucket:
        loans, outstanding, overdue = found.get(bucket.value, (0, 0, 0))
        figures.append(
            BucketFigures(
                bucket=bucket,
                loans=loans,
                outstanding=from_cents(outstanding),
                overdue_amount=from_cents(overdue),
            )
        )
    return figures
