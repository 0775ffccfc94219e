"""The payments journal: every payment received, newest first, with its loan and customer
and who recorded it, filtered by the day it was paid, the product and the manager."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import contains_eager, joinedload

from crm.models import Customer, Loan, Payment


@dataclass(frozen=True)
class PaymentFilters:
    """What the journal shows: every field left empty is no filter. `paid_from` and
    `paid_until` are days of payment, both included; `manager_id` is the customers'
    manager."""

    paid_from: date | None = None
    paid_until: date | None = None
    product_id: int | None = None
    manager_id: int | None = None


def _conditions(filters: PaymentFilters) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.paid_from is not None:
        conditions.append(Payment.paid_on >= filters.paid_from)
    if filters.paid_until is not None:
        conditions.append(Payment.paid_on <= filters.paid_until)
    if filters.product_id is not None:
        conditions.append(Loan.product_id == filters.product_id)
    if filters.manager_id is not None:
        conditions.append(Customer.manager_id == filters.manager_id)
    return conditions


def payments_journal(filters: PaymentFilters | None = None) -> Select:
    """Payments, reversed ones too, newest first (by the day paid, then the latest
    recorded), each with its loan, the loan's customer and product, and who recorded it:
    one query, however many rows a page has.

    The order walks the index on `paid_on` backwards, so a page of the newest payments
    reads that page, not the whole journal."""
    statement = (
        select(Payment)
        .join(Payment.loan)
        .join(Loan.customer)
        .options(
            contains_eager(Payment.loan).contains_eager(Loan.customer),
            contains_eager(Payment.loan).joinedload(Loan.product),
            joinedload(Payment.recorded_by),
        )
    )
    return statement.where(*_conditions(filters or PaymentFilters())).order_by(
        Payment.paid_on.desc(), Payment.id.desc()
    )
