"""Reading tasks: a staff member's list, the navbar's counts, and a customer's next task."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from crm.models import Task

#: The order in which open tasks come up: by due date, then the one added first.
OPEN_FIRST_DUE = (Task.due_on, Task.id)


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
    return statement.where(Task.done_at.is_(None)).order_by(*OPEN_FIRST_DUE)


def my_tasks(user_id: int, *, done: bool = False) -> Select:
    """The open (or done) tasks assigned to `user_id`, as task_list orders them."""
    return task_list(assignee_id=user_id, done=done)


@dataclass(frozen=True)
class TaskCount:
    """A staff member's open tasks that are due: by today (`due`), of them before today
    (`overdue`)."""

    due: int
    overdue: int


def due_task_counts(user_id: ColumnElement[int] | int) -> tuple[ScalarSelect, ScalarSelect]:
    """How many of `user_id`'s open tasks are due on the `today` bind parameter or before,
    and how many before it (overdue): two subqueries on ix_tasks_assignee_id_done_at_due_on,
    whatever the data. The navbar of every staff page shows them, so they are read with the
    request's log-in session (crm.sessions.queries.open_session)."""
    open_tasks = select(func.count()).where(Task.assignee_id == user_id, Task.done_at.is_(None))
    return (
        open_tasks.where(Task.due_on <= bindparam("today")).scalar_subquery(),
        open_tasks.where(Task.due_on < bindparam("today")).scalar_subquery(),
    )


def next_task_id(customer_id: int | ColumnElement[int]) -> ScalarSelect[int]:
    """The id of the customer's open task due first (the oldest of a day first), as a
    subquery; NULL when they have none. The id may be a bind parameter."""
    return (
        select(Task.id)
        .where(Task.customer_id == customer_id, Task.done_at.is_(None))
        .order_by(*OPEN_FIRST_DUE)
        .limit(1)
        .scalar_subquery()
    )
