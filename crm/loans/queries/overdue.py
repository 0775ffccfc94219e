"""The overdue queue: active loans past due on a day, with what each owes, filtered and
sorted for the collector working through them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, Subquery, case, func, select
from sqlalchemy.orm import Bundle, Session, aliased

from crm.clock import lender_today
from crm.lending.delinquency import BUCKET_DAYS, Bucket, bucket_for
from crm.lending.promises import Promise, PromiseState, promise_state
from crm.loans.queries import follow_up
from crm.loans.queries.portfolio import (
    from_cents,
    is_overdue,
    overdue_installments,
    unpaid_cents,
)
from crm.models import ContactOutcome, Customer, Installment, Loan, User
from crm.models.customer import person_name

#: Due dates are a month apart, so an overdue loan's next installment (if any) falls due
#: within this many days after any day: the queue looks no further for it.
NEXT_DUE_WITHIN = timedelta(days=31)


@dataclass(frozen=True)
class OverdueLoan:
    """One row of the overdue queue; money in whole cents."""

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
    #: The earlier of the next task's date and the open promise's date.
    next_action_on: date | None

    @property
    def days_past_due(self) -> int:
        return (self.as_of - self.oldest_unpaid_due_on).days

    @property
    def bucket(self) -> Bucket:
        return bucket_for(self.days_past_due)

    @property
    def promise_state(self) -> PromiseState | None:
        if self.promise_amount is None:
            return None
        promise = Promise(self.promise_amount, self.promise_made_on, self.promise_due_on)
        return promise_state(promise, self.promise_paid, self.as_of)


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


#: ?sort= values of the queue; the leading minus means the largest (latest) first.
SORTS = ("-dpd", "dpd", "-amount", "amount", "next", "-next")
DEFAULT_SORT = "-dpd"


def sort_key(value: str | None) -> str:
    """The ?sort= value if it is one we know, otherwise the default (most overdue first)."""
    return value if value in SORTS else DEFAULT_SORT


def overdue_queue(
    as_of: date,
    *,
    sort: str = DEFAULT_SORT,
    bucket: Bucket | None = None,
    manager_id: int | None = None,
    not_contacted_since: datetime | None = None,
    promise_broken: bool = False,
) -> Select:
    """Active loans past due on `as_of`, as OverdueLoan rows, filtered and sorted.

    One statement: the overdue amount and next due date of each loan come from a GROUP BY
    over its installments from the oldest unpaid one to a month past `as_of`, joined in;
    the collector's columns from correlated subqueries (crm.loans.queries.follow_up).
    `bucket` is an overdue bucket (not CURRENT); `manager_id` is the customer's manager;
    `not_contacted_since` keeps the loans whose customer had no contact since that moment;
    `promise_broken` those whose latest promise is broken.
    """
    loans = _queue_filters(as_of, bucket, manager_id)
    per_loan = _per_loan(as_of, loans)
    manager = aliased(User, name="manager")
    next_action = follow_up.next_action_on(as_of)
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
                per_loan.c.overdue_cents,
                Loan.principal_outstanding,
                per_loan.c.next_due_on,
                *follow_up.columns(as_of, next_action),
            )
        )
        .select_from(Loan)
        # Outer: the queue lists exactly the loans the dashboard counts as overdue.
        .outerjoin(per_loan, per_loan.c.loan_id == Loan.id)
        .join(Customer, Customer.id == Loan.customer_id)
        .outerjoin(manager, manager.id == Customer.manager_id)
    )
    statement = follow_up.join(statement).where(
        *loans, *follow_up.filters(as_of, not_contacted_since, promise_broken)
    )
    return statement.order_by(*_order(sort, per_loan, next_action), Loan.id)


def _order(sort: str, per_loan: Subquery, next_action) -> tuple:
    oldest_first, amount = Loan.oldest_unpaid_due_on, per_loan.c.overdue_cents
    # Loans with nothing planned come after those with a date, whichever way.
    unplanned = next_action.is_(None)
    return {
        "-dpd": (oldest_first, amount.desc()),
        "dpd": (oldest_first.desc(), amount),
        "-amount": (amount.desc(), oldest_first),
        "amount": (amount, oldest_first.desc()),
        "next": (unplanned, next_action, oldest_first),
        "-next": (unplanned, next_action.desc(), oldest_first),
    }[sort_key(sort)]


def _queue_filters(
    as_of: date, bucket: Bucket | None, manager_id: int | None
) -> list[ColumnElement[bool]]:
    """Conditions on the loans: overdue on `as_of`, in `bucket`, of `manager_id`'s customers."""
    loans = [is_overdue(as_of)]
    if bucket is not None:
        low, high = BUCKET_DAYS[bucket]
        loans.append(Loan.oldest_unpaid_due_on <= as_of - timedelta(days=low))
        if high is not None:
            loans.append(Loan.oldest_unpaid_due_on >= as_of - timedelta(days=high))
    if manager_id is not None:
        loans.append(
            Loan.customer_id.in_(select(Customer.id).where(Customer.manager_id == manager_id))
        )
    return loans


def _per_loan(as_of: date, loans: list[ColumnElement[bool]]) -> Subquery:
    """Each listed loan's overdue amount in cents and the next due date after `as_of`.

    The filters go into the GROUP BY as well, so that it adds up the loans shown only.
    """
    overdue = Installment.due_date < as_of
    return (
        overdue_installments(as_of + NEXT_DUE_WITHIN, *loans)
        .add_columns(
            Installment.loan_id,
            func.sum(case((overdue, unpaid_cents()), else_=0)).label("overdue_cents"),
            func.min(case((~overdue, Installment.due_date))).label("next_due_on"),
        )
        .group_by(Installment.loan_id)
        .subquery("per_loan")
    )


def most_overdue(session: Session, as_of: date | None = None, limit: int = 10) -> list[OverdueLoan]:
    """The `limit` loans longest past due on `as_of` (default: the lender's today)."""
    return list(session.scalars(overdue_queue(as_of or lender_today()).limit(limit)))


def overdue_rows(
    as_of: date,
    *,
    bucket: Bucket | None = None,
    manager_id: int | None = None,
    not_contacted_since: datetime | None = None,
    promise_broken: bool = False,
) -> Select:
    """The ids of the loans overdue_queue() lists with the same filters: what its pages count."""
    statement = select(Loan.id).select_from(Loan)
    if promise_broken:
        statement = follow_up.join(statement)
    return statement.where(
        *_queue_filters(as_of, bucket, manager_id),
        *follow_up.filters(as_of, not_contacted_since, promise_broken),
    )
