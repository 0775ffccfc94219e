"""Reading loans: lists, counts per status, one customer's loans, and what the loan page
loads with a loan."""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, Select, bindparam, case, func, select, union
from sqlalchemy.orm import Session, aliased, contains_eager, joinedload, selectinload

from crm.customers.queries import clean_query, customer_ids_found
from crm.lending.status import LoanStatus
from crm.models import Customer, Loan, Payment
from crm.models.customer import NAME_ORDER
from crm.models.lookups import looked_up_in
from crm.validation import parse_id

#: A loan's number as people write it: "#123", "№123" or "123".
LOAN_NUMBER = re.compile(r"[#№]?\s*([0-9]+)")
#: ?sort= values of the loans list; the leading minus means the newest, largest or from Я.
SORTS = {
    "-created": (Loan.created_at.desc(), Loan.id.desc()),
    "created": (Loan.created_at, Loan.id),
    "-amount": (Loan.amount.desc(), Loan.id.desc()),
    "amount": (Loan.amount, Loan.id),
    "customer": (*NAME_ORDER, Loan.id),
    "-customer": (*(column.desc() for column in NAME_ORDER), Loan.id.desc()),
}
DEFAULT_SORT = "-created"


@dataclass(frozen=True)
class LoanFilters:
    """What the loans list shows: every field left empty is no filter. `created_from` and
    `created_until` are UTC moments (the start of the lender's first day, and of the day
    after the last); `manager_id` is the customers' manager."""

    query: str = ""
    status: LoanStatus | None = None
    product_id: int | None = None
    created_from: datetime | None = None
    created_until: datetime | None = None
    manager_id: int | None = None


def loan_counts_by_status(
    session: Session, *, customer_id: int | None = None
) -> dict[LoanStatus, int]:
    """How many loans are in each status (every status present, 0 when none), in one query."""
    statement = select(Loan.status, func.count()).group_by(Loan.status)
    if customer_id is not None:
        statement = statement.where(Loan.customer_id == customer_id)
    counts = dict.fromkeys(LoanStatus, 0)
    counts.update(session.execute(statement).all())
    return counts


def newest_first(statement: Select) -> Select:
    return statement.order_by(Loan.created_at.desc(), Loan.id.desc())


def sort_key(value: str | None) -> str:
    """The ?sort= value if it is one we know, otherwise the default (newest first)."""
    return value if value in SORTS else DEFAULT_SORT


def loan_number(query: str | None) -> int | None:
    """The loan number a search is ("#123", "№ 123", "123"), or None."""
    match = LOAN_NUMBER.fullmatch(clean_query(query))
    return parse_id(match.group(1)) if match else None


def loans_found(query: str | None) -> ColumnElement[bool] | None:
    """The loans a search finds: the one numbered so, and the loans of the customers it
    finds (crm.customers.queries.customer_ids_found); None for an empty search."""
    text, number = clean_query(query), loan_number(query)
    if number is not None and not text[0].isdigit():
        # "#123" and "№123" are loan numbers and nothing else.
        return Loan.id == number
    found = customer_ids_found(text)
    if found is None:
        return None if number is None else Loan.id == number
    if number is None:
        return looked_up_in(Loan.customer_id, found)
    # One IN over a UNION, not an OR: PostgreSQL would filter every loan for the OR.
    listed = aliased(Loan)
    return Loan.id.in_(
        union(
            select(listed.id).where(listed.id == number),
            select(listed.id).where(looked_up_in(listed.customer_id, found)),
        )
    )


def loan_rows(filters: LoanFilters) -> Select:
    """The ids of the loans loans_list() lists with `filters`: what its pages count.

    Without the joined customer and product a page shows; and the "my customers" filter goes
    from the manager's customers to their loans, both by index, where a page checks each
    loan in its order (managed_by): the count follows no order and stops at its cap."""
    statement = select(Loan.id).where(*_filter_conditions(replace(filters, manager_id=None)))
    if filters.manager_id is None:
        return statement
    return statement.join(Customer, Customer.id == Loan.customer_id).where(
        Customer.manager_id == filters.manager_id
    )


def _filter_conditions(filters: LoanFilters) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.query and (found := loans_found(filters.query)) is not None:
        conditions.append(found)
    if filters.status is not None:
        conditions.append(Loan.status == filters.status)
    if filters.product_id is not None:
        conditions.append(Loan.product_id == filters.product_id)
    if filters.created_from is not None:
        conditions.append(Loan.created_at >= filters.created_from)
    if filters.created_until is not None:
        conditions.append(Loan.created_at < filters.created_until)
    if filters.manager_id is not None:
        conditions.append(managed_by(filters.manager_id))
    return conditions


def managed_by(manager_id: int) -> ColumnElement[bool]:
    """The loan's customer is `manager_id`'s.

    Checked per loan while a list's order is walked: a manager's customers have many loans,
    and gathering them all to sort them costs more than finding a page of them. Correlated
    on the loan only: sorted by name, the loans list joins the customers too, and the
    subquery must keep its own."""
    managed = select(Customer.id).where(
        Customer.id == Loan.customer_id, Customer.manager_id == manager_id
    )
    return managed.correlate(Loan).exists()


def loans_list(filters: LoanFilters | None = None, sort: str = DEFAULT_SORT) -> Select:
    """Loans with their customer and product, filtered and sorted (newest first by default)."""
    sort = sort_key(sort)
    statement = select(Loan).where(*_filter_conditions(filters or LoanFilters()))
    if sort in ("customer", "-customer"):
        # The ORDER BY reads the customer's name from the join that loads the customer.
        statement = statement.join(Loan.customer).options(contains_eager(Loan.customer))
    else:
        statement = statement.options(joinedload(Loan.customer))
    return statement.options(joinedload(Loan.product)).order_by(*SORTS[sort])


def latest_loans(session: Session, limit: int) -> list[Loan]:
    return list(session.scalars(loans_list().limit(limit)))


#: The order of a customer's loans on the card: the ones being repaid (and so perhaps
#: overdue) first, then the applications waiting for a decision, then the closed ones.
CARD_STATUS_ORDER = case(
    (Loan.status == LoanStatus.ACTIVE, 0), (Loan.status == LoanStatus.PENDING, 1), else_=2
)


#: A customer's loans as the card lists them, built once (the card's statements are,
#: crm/customers/card.py): building it and its cache key took a third of its cost.
CUSTOMER_LOANS = (
    select(Loan)
    .where(Loan.customer_id == bindparam("customer_id"))
    .options(joinedload(Loan.product))
    .order_by(
        CARD_STATUS_ORDER,
        case((Loan.status == LoanStatus.ACTIVE, Loan.oldest_unpaid_due_on)).asc().nulls_last(),
        Loan.created_at.desc(),
        Loan.id.desc(),
    )
)


def customer_loans(session: Session, customer_id: int) -> list[Loan]:
    """A customer's loans with their products: active loans first, the longest overdue
    first (the oldest unpaid due date); then pending applications; then the rest; newest
    first within each."""
    return list(session.scalars(CUSTOMER_LOANS, {"customer_id": customer_id}))


def loan_detail_options() -> list:
    """What the loan page shows beside the loan itself: the customer, product, decider
    and writer-off in the loan's query, then the schedule and the payments (with who
    recorded and reversed them, and their allocations) in one query each, however many
    rows they have. Allocations find their installments among those already loaded,
    without a query."""
    return [
        joinedload(Loan.customer),
        joinedload(Loan.product),
        joinedload(Loan.decided_by),
        joinedload(Loan.written_off_by),
        selectinload(Loan.installments),
        selectinload(Loan.payments).options(
            joinedload(Payment.recorded_by),
            joinedload(Payment.reversed_by),
            selectinload(Payment.allocations),
        ),
    ]
