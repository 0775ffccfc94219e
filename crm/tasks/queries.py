"""Reading tasks: a staff member's list and a customer's next task. (The navbar's count of
tasks due is read with the log-in session: crm.sessions.queries.due_task_counts.)"""

from sqlalchemy import ColumnElement, ScalarSelect, Select, select
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
