"""The portfolio as of any day from the ledger: outstanding principal, arrears, PAR1/30/90,
and the same split by product, by manager and by delinquency bucket.

Every split comes from one query over the positions of crm.reports.queries.ledger, grouped
by product, manager and bucket at once: a few dozen rows, which Python adds up into the
totals, the products, the managers and the buckets. Reading the ledger is the costly part
(every installment of the loans active on the day), so it is read once for the whole report.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Subquery, func, select
from sqlalchemy.orm import Session

from crm.lending.delinquency import Bucket
from crm.lending.portfolio import PortfolioFigures, combined
from crm.loans.queries.portfolio import at_risk_columns, bucket_case, figures_from_row
from crm.models import Customer, Loan, Product, User
from crm.reports.queries.ledger import group_filters, more_than_days_past_due, positions


def figure_columns(position: Subquery, as_of: date) -> tuple[ColumnElement, ...]:
    """The aggregates a PortfolioFigures is made of, in the order figures_from_row() reads."""
    return (
        func.count(position.c.loan_id),
        func.sum(position.c.outstanding),
        func.count(position.c.oldest_overdue),
        func.sum(position.c.overdue),
        *at_risk_columns(
            lambda days: more_than_days_past_due(position, as_of, days),
            position.c.outstanding,
            position.c.loan_id,
        ),
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
    return figures_from_row(as_of, row)


@dataclass(frozen=True)
class Group:
    """The figures of one group of loans: a product, a manager (key None: the customers
    without one), a bucket."""

    key: Hashable
    name: str
    figures: PortfolioFigures


@dataclass(frozen=True)
class _Cell:
    product: tuple[int, str]
    manager: tuple[int | None, str]
    bucket: Bucket
    figures: PortfolioFigures


@dataclass(frozen=True)
class PortfolioReport:
    """The portfolio at the end of `as_of`: the whole and its splits, largest first (the
    buckets in their own order, each present)."""

    as_of: date
    total: PortfolioFigures
    by_product: list[Group]
    by_manager: list[Group]
    by_bucket: list[Group]


def portfolio_report(
    session: Session,
    as_of: date,
    *,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> PortfolioReport:
    """The portfolio at the end of `as_of` (of one product, one manager's customers) with its
    splits by product, manager and bucket, in one query."""
    cells = _cells(session, as_of, product_id=product_id, manager_id=manager_id)
    return PortfolioReport(
        as_of=as_of,
        total=combined(as_of, (cell.figures for cell in cells)),
        by_product=_largest_first(_split(as_of, cells, lambda cell: cell.product)),
        by_manager=_largest_first(_split(as_of, cells, lambda cell: cell.manager)),
        by_bucket=_buckets(as_of, cells),
    )


def _cells(
    session: Session, as_of: date, *, product_id: int | None, manager_id: int | None
) -> list[_Cell]:
    position = positions(as_of, *group_filters(product_id=product_id, manager_id=manager_id))
    bucket = bucket_case(position.c.oldest_overdue, as_of).label("bucket")
    manager_name = func.coalesce(func.nullif(User.full_name, ""), User.email)
    keys = (Product.id, Product.name, Customer.manager_id, manager_name, bucket)
    statement = (
        select(*keys, *figure_columns(position, as_of))
        .select_from(position)
        .join(Loan, Loan.id == position.c.loan_id)
        .join(Product, Product.id == Loan.product_id)
        .join(Customer, Customer.id == Loan.customer_id)
        .outerjoin(User, User.id == Customer.manager_id)
        .group_by(*keys)
    )
    return [
        _Cell(
            product=(product, product_name),
            manager=(manager, name or ""),
            bucket=Bucket(bucket_value),
            figures=figures_from_row(as_of, figures),
        )
        for product, product_name, manager, name, bucket_value, *figures in session.execute(
            statement
        )
    ]


def _split(as_of: date, cells: list[_Cell], key: Callable[[_Cell], tuple]) -> list[Group]:
    parts: dict[tuple, list[PortfolioFigures]] = {}
    for cell in cells:
        parts.setdefault(key(cell), []).append(cell.figures)
    return [
        Group(key=group_key, name=name, figures=combined(as_of, figures))
        for (group_key, name), figures in parts.items()
    ]


def _largest_first(groups: list[Group]) -> list[Group]:
    return sorted(groups, key=lambda group: (-group.figures.outstanding, group.name))


def _buckets(as_of: date, cells: list[_Cell]) -> list[Group]:
    found = {group.key: group for group in _split(as_of, cells, lambda cell: (cell.bucket, ""))}
    return [found.get(bucket, Group(bucket, "", combined(as_of, ()))) for bucket in Bucket]
