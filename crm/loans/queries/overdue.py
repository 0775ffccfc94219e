"""The overdue queue: active loans past due on a day, with what each owes, filtered and
sorted for the collector working through them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from sqlalchemy import ColumnElement, Select, Subquery, func, select
from sqlalchemy.orm import Bundle, Session, aliased

from crm.clock import lender_today
from crm.lending.delinquency import BUCKET_DAYS, Bucket, bucket_for
from crm.lending.promises import Promise, PromiseState, promise_state
from crm.loans.queries import follow_up
from crm.loans.queries.loans import managed_by
from crm.loans.queries.portfolio import from_cents, is_overdue, unpaid_cents
from crm.models import ContactOutcome, Customer, Installment, Loan, User
from crm.models.customer import person_name


@dataclass(frozen=True)
class OverdueLoan:
    """One row of the overdue queue; money in whole cents. What is worked out from the
    columns is kept once asked for: a row of the page asks for its promise's state 4–6 times."""

    as_of: date
    loan_id: int
    customer_id: int
    customer_name: str
    phone: str
    manager_name: str | None
    oldest_unpaid_due_on: date
    overdue_amount: Decimal
    principal_outstanding: Decimal
    #: The next payment: the next installment to fall due, on `as_of` or later; None once
    #: the term is over.
    next_due_on: date | None
    #: The customer's last contact, when there was one.
    last_contact_at: datetime | None
    last_contact_outcome: ContactOutcome | None
    #: The loan's latest promise to pay, and what was paid towards it by `as_of`.
    promise_amount: Decimal | None
    promise_made_on: date | None
    promise_due_on: date | None
    promise_paid: Decimal
    #: The open task due first about the loan or its customer.
    next_task_id: int | None
    next_task_title: str | None
    next_task_due_on: date | None

    @cached_property
    def days_past_due(self) -> int:
        return (self.as_of - self.oldest_unpaid_due_on).days

    @cached_property
    def bucket(self) -> Bucket:
        return bucket_for(self.days_past_due)

    @cached_property
    def promise_state(self) -> PromiseState | None:
        if self.promise_amount is None:
            return None
        promise = Promise(self.promise_amount, self.promise_made_on, self.promise_due_on)
        return promise_state(promise, self.promise_paid, self.as_of)

    @cached_property
    def next_action_on(self) -> date | None:
        """The earlier of the next task's date and the open promise's date; None when
        neither: the day the collector next has something to do about the loan. The queue's
        sort by it reads the same dates in SQL (follow_up.planned_on)."""
        dates = [self.next_task_due_on]
        if self.promise_state is PromiseState.OPEN:
            dates.append(self.promise_due_on)
        return min((day for day in dates if day is not None), default=None)


class _OverdueRows(Bundle):
    """Selects the queue's columns and hands back OverdueLoan objects, one per row."""

    def __init__(self, as_of: date, *columns) -> None:
        super().__init__("overdue_loan", *columns)
        self.as_of = as_of

    def create_row_processor(self, query, procs, labels):
        as_of = self.as_of

        def make(row) -> OverdueLoan:
            values = dict(zip(labels, (proc(row) for proc in procs), strict=True))
            name = (values.pop(part) for part in ("last_name", "first_name", "patronymic"))
            return OverdueLoan(
                as_of=as_of,
                customer_name=person_name(*name),
                overdue_amount=from_cents(values.pop("overdue_cents")),
                promise_paid=from_cents(values.pop("promise_paid_cents")),
                **values,
            )

        return make


#: ?sort= values of the queue (the leading minus means the largest or latest first), each
#: with its keys as (name, descending), the first first: the oldest unpaid due date, the
#: overdue amount, the next action's date and whether there is none (`unplanned`). The loan
#: id breaks the ties that are left.
SORT_KEYS = {
    "-dpd": (("oldest_unpaid_due_on", False), ("overdue_cents", True)),
    "dpd": (("oldest_unpaid_due_on", True), ("overdue_cents", False)),
    "-amount": (("overdue_cents", True), ("oldest_unpaid_due_on", False)),
    "amount": (("overdue_cents", False), ("oldest_unpaid_due_on", True)),
    "next": (("unplanned", False), ("next_action_on", False), ("oldest_unpaid_due_on", False)),
    "-next": (("unplanned", False), ("next_action_on", True), ("oldest_unpaid_due_on", False)),
}
SORTS = tuple(SORT_KEYS)
DEFAULT_SORT = "-dpd"


#: The customer's manager, joined by overdue_queue(); made once, as follow_up's aliases are.
manager = aliased(User, name="manager")


def sort_key(value: str | None) -> str:
    """The ?sort= value if it is one we know, otherwise the default (most overdue first)."""
    return value if value in SORTS else DEFAULT_SORT


def overdue_queue(
    as_of: date,
    *,
    sort: str = DEFAULT_SORT,
    limit: int | None = None,
    offset: int = 0,
    **filters,
) -> Select:
    """Active loans past due on `as_of`, as OverdueLoan rows, filtered (queue_filters()) and
    sorted; `limit` rows from `offset` on (all of them by default).

    One statement in two steps. A subquery picks the rows by the filters and the sort's keys
    alone: the oldest unpaid due date from the index; the overdue amount (sorted by days
    past due, SQLite and PostgreSQL work it out only for the loans that tie on the date as
    they walk the index); the next action's date from follow_up.planned_on(). Then the
    columns a row shows, correlated subqueries most of them, are worked out for the rows
    picked only, not for every overdue loan.
    """
    listed = queue_order(as_of, sort=sort, **filters).limit(limit).offset(offset)
    listed = listed.subquery("listed")
    keys = SORT_KEYS[sort_key(sort)]
    order = [listed.c[key].desc() if latest else listed.c[key] for key, latest in keys]
    return _rows(as_of, listed).order_by(*order, listed.c.loan_id)


def queue_order(as_of: date, *, sort: str = DEFAULT_SORT, **filters) -> Select:
    """The ids of the loans overdue_queue() lists, in its order (the first of its two steps),
    as the first column: what the queue's kept order holds (crm.loans.queue_order)."""
    return _listed(as_of, SORT_KEYS[sort_key(sort)], queue_filters(as_of, **filters))


def picked_rows(as_of: date, loan_ids: Sequence[int], **filters) -> Select:
    """OverdueLoan rows of `loan_ids` that still meet `filters`, in no order (the second step
    of overdue_queue()): a kept order may be older than the last payment."""
    listed = select(Loan.id.label("loan_id")).where(
        Loan.id.in_(loan_ids), *queue_filters(as_of, **filters)
    )
    return _rows(as_of, listed.subquery("listed"))


def _rows(as_of: date, listed: Subquery) -> Select:
    """The queue's columns for the loans `listed`: correlated subqueries most of them, worked
    out for those loans only."""
    statement = (
        select(
            _OverdueRows(
                as_of,
                Loan.id.label("loan_id"),
                Loan.customer_id,
                Customer.last_name,
                Customer.first_name,
                Customer.patronymic,
                Customer.phone,
                manager.display_name.label("manager_name"),
                Loan.oldest_unpaid_due_on,
                _overdue_cents(as_of).label("overdue_cents"),
                Loan.principal_outstanding,
                _next_due_on(as_of).label("next_due_on"),
                *follow_up.columns(as_of),
            )
        )
        .select_from(listed)
        .join(Loan, Loan.id == listed.c.loan_id)
        .join(Customer, Customer.id == Loan.customer_id)
        .outerjoin(manager, manager.id == Customer.manager_id)
    )
    return follow_up.join(statement)


def _listed(as_of: date, keys: tuple[tuple[str, bool], ...], filters: list) -> Select:
    """The loans meeting `filters`, with their `keys` columns, in the order of `keys`."""
    statement = select(Loan.id.label("loan_id")).where(*filters)
    names = [key for key, _latest in keys]
    columns = {"oldest_unpaid_due_on": Loan.oldest_unpaid_due_on}
    if "overdue_cents" in names:
        columns["overdue_cents"] = _overdue_cents(as_of)
    if "next_action_on" in names:
        planned = follow_up.planned_on(as_of).subquery("planned")
        statement = statement.outerjoin(planned, planned.c.loan_id == Loan.id)
        columns["next_action_on"] = planned.c.next_action_on
        # Loans with nothing planned come after those with a date, whichever way.
        columns["unplanned"] = planned.c.next_action_on.is_(None)
    labelled = {name: columns[name].label(name) for name in names}
    statement = statement.add_columns(*labelled.values())
    order = [labelled[key].desc() if latest else labelled[key] for key, latest in keys]
    return statement.order_by(*order, Loan.id)


def _overdue_cents(as_of: date) -> ColumnElement[int]:
    """The loan's overdue amount on `as_of` in cents: its installments from the oldest unpaid
    one (those before it are paid) to `as_of`, on ix_installments_loan_id_due_date."""
    return (
        select(func.sum(unpaid_cents()))
        .where(
            Installment.loan_id == Loan.id,
            Installment.due_date >= Loan.oldest_unpaid_due_on,
            Installment.due_date < as_of,
        )
        .scalar_subquery()
    )


def _next_due_on(as_of: date) -> ColumnElement[date]:
    """The due date of the loan's next installment on `as_of` or later; NULL after the last."""
    return (
        select(func.min(Installment.due_date))
        .where(Installment.loan_id == Loan.id, Installment.due_date >= as_of)
        .scalar_subquery()
    )


def queue_filters(
    as_of: date,
    *,
    bucket: Bucket | None = None,
    manager_id: int | None = None,
    not_contacted_since: datetime | None = None,
    promise_broken: bool = False,
) -> list[ColumnElement[bool]]:
    """Conditions on the loan alone: overdue on `as_of`, in `bucket` (an overdue bucket, not
    CURRENT), of `manager_id`'s customers, its customer not contacted since
    `not_contacted_since`, its latest promise broken (`promise_broken`)."""
    loans = [is_overdue(as_of)]
    if bucket is not None:
        low, high = BUCKET_DAYS[bucket]
        loans.append(Loan.oldest_unpaid_due_on <= as_of - timedelta(days=low))
        if high is not None:
            loans.append(Loan.oldest_unpaid_due_on >= as_of - timedelta(days=high))
    if manager_id is not None:
        loans.append(managed_by(manager_id))
    return loans + follow_up.filters(as_of, not_contacted_since, promise_broken)


def most_overdue(session: Session, as_of: date | None = None, limit: int = 10) -> list[OverdueLoan]:
    """The `limit` loans longest past due on `as_of` (default: the lender's today)."""
    return list(session.scalars(overdue_queue(as_of or lender_today(), limit=limit)))


def overdue_rows(as_of: date, **filters) -> Select:
    """The ids of the loans overdue_queue() lists with the same filters: what its pages count."""
    return select(Loan.id).where(*queue_filters(as_of, **filters))
