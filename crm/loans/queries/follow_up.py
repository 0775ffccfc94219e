"""The collector's columns of an overdue loan: the customer's last contact, the loan's latest
promise to pay and what was paid towards it, the next open task, and the next action's date.

Each is a correlated subquery on an indexed key (interactions by customer and time, by loan;
tasks by loan and customer; payments by loan), so that the queue stays one statement and a
page costs the same whatever the number of contacts and tasks.
"""

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

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


def latest_promise_id() -> ColumnElement[int]:
    """The id of the loan's latest promise to pay."""
    return (
        select(Interaction.id)
        .where(
            Interaction.loan_id == Loan.id,
            Interaction.outcome == ContactOutcome.PROMISED_TO_PAY,
        )
        .order_by(Interaction.created_at.desc(), Interaction.id.desc())
        .limit(1)
        .scalar_subquery()
    )


#: The loan's latest promise, joined by latest_promise_id().
promise = aliased(Interaction, name="promise")


def promise_paid_cents(as_of: date) -> ColumnElement[int]:
    """What the loan's payments not reversed pay towards the latest promise by `as_of`, in
    cents: those from the day it was made to its date (crm.lending.promises.paid_towards)."""
    return (
        select(func.coalesce(func.sum(cents(Payment.amount)), 0))
        .where(
            Payment.loan_id == Loan.id,
            Payment.reversed_at.is_(None),
            Payment.paid_on >= promise.promise_made_on,
            Payment.paid_on <= promise.promise_due_on,
            Payment.paid_on <= as_of,
        )
        .scalar_subquery()
    )


def broken_promise(as_of: date) -> ColumnElement[bool]:
    """The latest promise's date passed before `as_of` without the payments reaching it."""
    return and_(
        promise.promise_due_on < as_of,
        promise_paid_cents(as_of) < cents(promise.promise_amount),
    )


def open_promise_due_on(as_of: date) -> ColumnElement[date]:
    """The latest promise's date while it is open on `as_of`; NULL otherwise."""
    is_open = and_(
        promise.promise_due_on >= as_of,
        promise_paid_cents(as_of) < cents(promise.promise_amount),
    )
    return case((is_open, promise.promise_due_on))


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


def next_action_on(as_of: date) -> ColumnElement[date]:
    """The earlier of the next task's due date and the open promise's date; NULL when
    neither: the day the collector next has something to do about the loan."""
    promised = open_promise_due_on(as_of)
    task = next_task.due_on
    return case(
        (task.is_(None), promised),
        (promised.is_(None), task),
        (task < promised, task),
        else_=promised,
    )


def contacted_since(moment: datetime) -> ColumnElement[bool]:
    """The customer was contacted at `moment` or later."""
    return exists().where(
        Interaction.customer_id == Loan.customer_id, Interaction.created_at >= moment
    )
