"""The collector's columns of an overdue loan: the customer's last contact, the loan's latest
promise to pay and what was paid towards it, and the next open task.

Each is a correlated subquery on an indexed key (interactions by customer and time, by loan;
tasks by loan and customer; payments by loan), so that the queue stays one statement and a
page costs the same whatever the number of contacts and tasks. The queue works them out for
the rows of its page only (crm.loans.queries.overdue); what it sorts and filters every
overdue loan by is read in other ways: planned_on() adds up the open tasks and promises
once, and the filters are conditions on the loan alone.
"""

from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, union_all
from sqlalchemy.orm import aliased

from crm.contacts.queries import counted_payments
from crm.loans.queries.portfolio import cents
from crm.models import ContactOutcome, Interaction, Loan, Payment, Task


def last_contact(column: ColumnElement) -> ColumnElement:
    """`column` (created_at, outcome, …) of the customer's latest contact."""
    return (
        select(column)
        .where(Interaction.customer_id == Loan.customer_id)
        .order_by(Interaction.created_at.desc(), Interaction.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def latest_promise_id(loan_id: ColumnElement[int] = Loan.id) -> ColumnElement[int]:
    """The id of the latest promise to pay about the loan `loan_id`."""
    return (
        select(Interaction.id)
        .where(
            Interaction.loan_id == loan_id,
            Interaction.outcome == ContactOutcome.PROMISED_TO_PAY,
        )
        .order_by(Interaction.created_at.desc(), Interaction.id.desc())
        .limit(1)
        .scalar_subquery()
        # The loan may be two levels up, as in broken_promise().
        .correlate_except(Interaction)
    )


#: The loan's latest promise, joined by latest_promise_id().
promise = aliased(Interaction, name="promise")


def promise_paid_cents(as_of: date, of: type[Interaction] = promise) -> ColumnElement[int]:
    """What the loan's payments pay towards the promise `of` by `as_of`, in cents."""
    return (
        select(func.coalesce(func.sum(cents(Payment.amount)), 0))
        .where(counted_payments(of, as_of))
        .scalar_subquery()
    )


def _unpaid(as_of: date, of: type[Interaction]) -> ColumnElement[bool]:
    """The payments by `as_of` fall short of the promise `of`."""
    return promise_paid_cents(as_of, of) < cents(of.promise_amount)


#: The promise broken_promise() looks at; planned_on()'s promises and their loans. Made once:
#: an alias of a mapped class builds its columns on first use, a good part of the time it
#: takes to build the queue's statement.
latest_promise = aliased(Interaction, name="latest_promise")
open_promise = aliased(Interaction, name="open_promise")
customer_loan = aliased(Loan, name="customer_loan")


def broken_promise(as_of: date) -> ColumnElement[bool]:
    """The loan's latest promise's date passed before `as_of` without the payments reaching
    it: a condition on the loan alone, so that a page and its count need no join for it."""
    return exists().where(
        latest_promise.id == latest_promise_id(),
        latest_promise.promise_due_on < as_of,
        _unpaid(as_of, latest_promise),
    )


def next_task_id() -> ColumnElement[int]:
    """The open task due first about the loan, or about its customer with no loan named."""
    return (
        select(Task.id)
        .where(
            Task.done_at.is_(None),
            or_(
                Task.loan_id == Loan.id,
                and_(Task.loan_id.is_(None), Task.customer_id == Loan.customer_id),
            ),
        )
        .order_by(Task.due_on, Task.id)
        .limit(1)
        .scalar_subquery()
    )


#: The next task, joined by next_task_id().
next_task = aliased(Task, name="next_task")


def planned_on(as_of: date) -> Select:
    """The next action's date (crm.loans.queries.overdue.OverdueLoan.next_action_on) of every
    loan with something planned, as (loan_id, next_action_on) rows: the earliest of its open
    tasks, of its customer's open tasks with no loan named, and of its latest promise's date
    while that promise is open (crm.lending.promises: not yet due, not paid in full). Read
    from the open tasks and the promises not yet due, a few rows whatever the size of the
    book, where the queue's columns look up each loan's next task and promise one by one."""
    open_task = Task.done_at.is_(None)
    dates = union_all(
        select(Task.loan_id, Task.due_on).where(open_task, Task.loan_id.is_not(None)),
        select(customer_loan.id, Task.due_on)
        .join(customer_loan, customer_loan.customer_id == Task.customer_id)
        .where(open_task, Task.loan_id.is_(None)),
        select(open_promise.loan_id, open_promise.promise_due_on).where(
            open_promise.outcome == ContactOutcome.PROMISED_TO_PAY,
            open_promise.promise_due_on >= as_of,
            open_promise.id == latest_promise_id(open_promise.loan_id),
            _unpaid(as_of, open_promise),
        ),
    ).subquery("planned_dates")
    return select(dates.c.loan_id, func.min(dates.c.due_on).label("next_action_on")).group_by(
        dates.c.loan_id
    )


def contacted_since(moment: datetime) -> ColumnElement[bool]:
    """The customer was contacted at `moment` or later."""
    return exists().where(
        Interaction.customer_id == Loan.customer_id, Interaction.created_at >= moment
    )


def columns(as_of: date) -> list[ColumnElement]:
    """The collector's columns of a loan, labelled as crm.loans.queries.overdue.OverdueLoan
    names them (the promise's paid amount in cents); needs join()."""
    return [
        last_contact(Interaction.created_at).label("last_contact_at"),
        last_contact(Interaction.outcome).label("last_contact_outcome"),
        promise.promise_amount,
        promise.promise_made_on,
        promise.promise_due_on,
        promise_paid_cents(as_of).label("promise_paid_cents"),
        next_task.id.label("next_task_id"),
        next_task.title.label("next_task_title"),
        next_task.due_on.label("next_task_due_on"),
    ]


def join(statement: Select) -> Select:
    """`statement` over loans, with each loan's latest promise and next task joined (outer)."""
    return statement.outerjoin(promise, promise.id == latest_promise_id()).outerjoin(
        next_task, next_task.id == next_task_id()
    )


def filters(
    as_of: date, not_contacted_since: datetime | None, promise_broken: bool
) -> list[ColumnElement[bool]]:
    """Conditions on the loan for "no contact since" (a moment) and "the latest promise is
    broken"."""
    conditions = []
    if not_contacted_since is not None:
        conditions.append(~contacted_since(not_contacted_since))
    if promise_broken:
        conditions.append(broken_promise(as_of))
    return conditions
