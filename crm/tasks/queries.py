"""Reading tasks: a staff member's list, the navbar's count, and the next task of each
customer or loan."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from crm.models import Task


def task_list(*, assignee_id: int | None, done: bool = False) -> Select:
    """The tasks of one assignee (everyone's when None), with what a row shows loaded.

    Open tasks come by due date, oldest first: the overdue ones, then today's, then the
    later ones. Done tasks come newest done first. Served by
    ix_tasks_assignee_id_done_at_due_on when there is an assignee."""
    statement = select(Task).options(
        joinedload(Task.assignee), joinedload(Task.customer), joinedload(Task.done_by)
    )
    if assignee_id is not None:
        statement = statement.where(Task.assignee_id == assignee_id)
    if done:
        return statement.where(Task.done_at.is_not(None)).order_by(
            Task.done_at.desc(), Task.id.desc()
        )
    return statement.where(Task.done_at.is_(None)).order_by(Task.due_on, Task.id)


def my_tasks(user_id: int, *, done: bool = False) -> Select:
    """The open (or done) tasks assigned to `user_id`, as task_list orders them."""
    return task_list(assignee_id=user_id, done=done)


@dataclass(frozen=True)
class TaskCount:
    """A staff member's open tasks that are due: by today (`due`), of them before today
    (`overdue`)."""

    due: int
    overdue: int


def open_task_count(session: Session, user_id: int, today: date) -> TaskCount:
    """How many of `user_id`'s open tasks are due on `today` or before, and how many of them
    are overdue: one query on ix_tasks_assignee_id_done_at_due_on, whatever the data."""
    overdue = func.count().filter(Task.due_on < today)
    statement = select(func.count(), overdue).where(
        Task.assignee_id == user_id, Task.done_at.is_(None), Task.due_on <= today
    )
    due, late = session.execute(statement).one()
    return TaskCount(due=due or 0, overdue=late or 0)


def next_tasks(
    session: Session,
    *,
    customer_ids: Iterable[int] | None = None,
    loan_ids: Iterable[int] | None = None,
) -> dict[int, Task]:
    """The earliest open task (by due date, then the oldest) of each customer in
    `customer_ids`, or of each loan in `loan_ids` (give one of the two), by that id; those
    with no open task are left out. One query, whatever the number of ids."""
    if (customer_ids is None) == (loan_ids is None):
        raise ValueError("give customer_ids or loan_ids")
    column, ids = (
        (Task.customer_id, customer_ids) if customer_ids is not None else (Task.loan_id, loan_ids)
    )
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rank = func.row_number().over(partition_by=column, order_by=(Task.due_on, Task.id))
    ranked = (
        select(Task, rank.label("rank"))
        .where(column.in_(wanted), Task.done_at.is_(None))
        .subquery()
    )
    first = aliased(Task, ranked)
    statement = select(first).where(ranked.c.rank == 1)
    key = "customer_id" if customer_ids is not None else "loan_id"
    return {getattr(task, key): task for task in session.scalars(statement)}
