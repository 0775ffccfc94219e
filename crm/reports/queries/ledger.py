"""Where each loan stood at the end of a day, read from the ledger alone.

Every figure as of a day D comes from what is dated on or before D: the installments of the
loans disbursed by D, and the allocations of the payments dated by D that were not reversed by
D (a reversal counts from the lender's day it was made). Nothing is read from the fields the
loan rows keep up to date for today (status, principal_outstanding, oldest_unpaid_due_on), so
a report for D gives the same answer tomorrow, after new payments and reversals.

A loan is active on D when it was disbursed by D, not written off by D and still owed
something at the end of D; one repaid by then was finished.

Money is summed in whole cents as integers (crm.loans.queries.portfolio.cents), which SQLite
and PostgreSQL add up alike.
"""

from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, Subquery, case, func, or_, select

from crm.clock import lender_day_start
from crm.lending.status import STARTED_STATUSES
from crm.loans.queries.portfolio import cents
from crm.models import Customer, Installment, Loan, Payment, PaymentAllocation

ONE_DAY = timedelta(days=1)
#: The manager filter that keeps the customers no staff member manages: the report by
#: manager shows them as a group of their own, and its figures link to their loans. No
#: user has this id (ids start at 1).
NO_MANAGER = 0


def end_of(day: date):
    """The UTC moment `day` ends for the lender: what happened before it happened by `day`."""
    return lender_day_start(day + ONE_DAY)


def counted_on(as_of: date) -> ColumnElement[bool]:
    """A payment that counts at the end of `as_of`: dated by then and not reversed by then."""
    return (Payment.paid_on <= as_of) & or_(
        Payment.reversed_at.is_(None), Payment.reversed_at >= end_of(as_of)
    )


def started_by(as_of: date) -> ColumnElement[bool]:
    """A loan disbursed by `as_of` and not written off by then."""
    return (
        Loan.status.in_(STARTED_STATUSES)
        & (Loan.disbursed_on <= as_of)
        & or_(Loan.written_off_at.is_(None), Loan.written_off_at >= end_of(as_of))
    )


def paid_by(as_of: date) -> Subquery:
    """Per installment, the cents of principal and interest paid on it by the end of `as_of`."""
    return (
        select(
            PaymentAllocation.installment_id.label("installment_id"),
            func.sum(cents(PaymentAllocation.principal)).label("principal"),
            func.sum(cents(PaymentAllocation.interest)).label("interest"),
        )
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(counted_on(as_of))
        .group_by(PaymentAllocation.installment_id)
        .subquery("paid")
    )


def positions(as_of: date, *where: ColumnElement[bool]) -> Subquery:
    """One row per loan active at the end of `as_of` (and meeting `where`, conditions on the
    loan and its customer): the principal it still owed (`outstanding`), the due date of its
    oldest installment past due and unpaid (`oldest_overdue`, empty when none) and the
    principal and interest past due (`overdue`), all money in cents. Join Loan on `loan_id`
    for its product or customer: grouping by the installments' loan alone lets the database
    add each loan's installments up as it reads them."""
    paid = paid_by(as_of)
    unpaid_principal = cents(Installment.principal) - func.coalesce(paid.c.principal, 0)
    unpaid = unpaid_principal + cents(Installment.interest) - func.coalesce(paid.c.interest, 0)
    past_due = Installment.due_date < as_of
    return (
        select(
            Installment.loan_id.label("loan_id"),
            func.sum(unpaid_principal).label("outstanding"),
            func.min(case((past_due & (unpaid > 0), Installment.due_date))).label("oldest_overdue"),
            func.sum(case((past_due, unpaid), else_=0)).label("overdue"),
        )
        .join(Loan, Loan.id == Installment.loan_id)
        .join(Customer, Customer.id == Loan.customer_id)
        .outerjoin(paid, paid.c.installment_id == Installment.id)
        .where(started_by(as_of), *where)
        .group_by(Installment.loan_id)
        .having(func.sum(unpaid) > 0)
        .subquery("positions")
    )


def more_than_days_past_due(position: Subquery, as_of: date, days: int) -> ColumnElement[bool]:
    """A position with an installment unpaid for more than `days` days at the end of `as_of`."""
    return position.c.oldest_overdue < as_of - timedelta(days=days)


def group_filters(
    *, product_id: int | None = None, manager_id: int | None = None
) -> tuple[ColumnElement[bool], ...]:
    """The conditions on a loan of a report's filters: one product, one manager's customers
    (NO_MANAGER: the customers without a manager)."""
    conditions = []
    if product_id is not None:
        conditions.append(Loan.product_id == product_id)
    if manager_id == NO_MANAGER:
        conditions.append(Customer.manager_id.is_(None))
    elif manager_id is not None:
        conditions.append(Customer.manager_id == manager_id)
    return tuple(conditions)


def loans_of(position: Subquery) -> Select:
    """The loans of the positions, with their customer and product, for a list of them."""
    return (
        select(Loan, position)
        .join(position, position.c.loan_id == Loan.id)
        .order_by(position.c.oldest_overdue.asc().nulls_last(), Loan.id)
    )
