"""Writing tasks: adding one (by staff, or by the daily collections run), closing and
reopening it."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.models import STAFF_ROLES, Customer, Interaction, Loan, Task, User
from crm.models.task import MAX_ORIGIN, MAX_TASK_TITLE
from crm.validation import FieldError, check_version, clean_name


def add_task(
    session: Session,
    *,
    title: str | None,
    due_on: date | None,
    assignee_id: int | None,
    created_by: User | None,
    today: date,
    customer_id: int | None = None,
    loan_id: int | None = None,
    interaction_id: int | None = None,
    origin: str | None = None,
) -> Task | None:
    """Add a task for `assignee_id` (an active staff member) due on `due_on` (`today`, the
    lender's day, or later), about a customer and/or one of their loans; a loan alone
    brings its customer. `created_by` is the staff member adding it, None for the daily run.

    `origin` is the daily run's key for what made the task: when a task with that origin
    exists already, nothing is added and None comes back, with the caller's transaction
    intact (a second run of a day adds nothing). Raises FieldError on "title" (empty, over
    MAX_TASK_TITLE characters), "due_on" (missing, before today), "assignee_id" (not an
    active staff member), "customer_id", "loan_id" (unknown, or the loan is another
    customer's), "interaction_id" (unknown) or "origin" (over MAX_ORIGIN characters).
    """
    if origin is not None and _origin_taken(session, origin):
        return None
    task = Task(
        title=clean_name(title, "title", max_length=MAX_TASK_TITLE),
        due_on=_check_due_on(due_on, today),
        assignee_id=_check_assignee(session, assignee_id).id,
        created_by=created_by,
        origin=_check_origin(origin),
        interaction_id=_check_interaction(session, interaction_id),
        **_subject(session, customer_id, loan_id),
    )
    if origin is None:
        session.add(task)
        session.flush()
        return task
    # Two runs racing past the look-up above: the unique origin keeps one, and the loser's
    # savepoint alone is undone, not the caller's transaction.
    try:
        with session.begin_nested():
            session.add(task)
    except IntegrityError:
        return None
    return task


def complete_task(
    session: Session, task: Task, *, by: User, expected_version: int | None, at: datetime
) -> Task:
    """Mark `task` done by `by` at `at` (UTC). Raises StaleDataError when the task is no
    longer at `expected_version` (someone closed, reopened or changed it since the page
    was shown), FieldError on "task" when it is done already."""
    check_version(task, expected_version)
    if task.is_done:
        raise FieldError("task", _("This task is done already."))
    task.done_at = at
    task.done_by = by
    session.flush()
    return task


def reopen_task(session: Session, task: Task, *, expected_version: int | None) -> Task:
    """Make a done task open again. Raises StaleDataError as complete_task does, FieldError
    on "task" when it is open."""
    check_version(task, expected_version)
    if not task.is_done:
        raise FieldError("task", _("This task is open already."))
    task.done_at = None
    task.done_by = None
    session.flush()
    return task


def _origin_taken(session: Session, origin: str) -> bool:
    return session.scalar(select(Task.id).where(Task.origin == origin)) is not None


def _check_origin(origin: str | None) -> str | None:
    if origin is not None and len(origin) > MAX_ORIGIN:
        raise FieldError("origin", _("The origin of a task is too long."))
    return origin


def _check_due_on(due_on: date | None, today: date) -> date:
    if due_on is None:
        raise FieldError("due_on", _("This field is required."))
    if due_on < today:
        raise FieldError("due_on", _("A task is due today or later."))
    return due_on


def _check_assignee(session: Session, assignee_id: int | None) -> User:
    user = session.get(User, assignee_id) if assignee_id is not None else None
    if user is None or user.role not in STAFF_ROLES or not user.active:
        raise FieldError("assignee_id", _("Choose an active staff member."))
    return user


def _check_interaction(session: Session, interaction_id: int | None) -> int | None:
    if interaction_id is not None and session.get(Interaction, interaction_id) is None:
        raise FieldError("interaction_id", _("There is no such contact."))
    return interaction_id


def _subject(session: Session, customer_id: int | None, loan_id: int | None) -> dict:
    """The customer and loan a task is about, checked: the loan must be the customer's."""
    if customer_id is not None and session.get(Customer, customer_id) is None:
        raise FieldError("customer_id", _("There is no such customer."))
    if loan_id is None:
        return {"customer_id": customer_id, "loan_id": None}
    loan = session.get(Loan, loan_id)
    if loan is None:
        raise FieldError("loan_id", _("There is no such loan."))
    if customer_id is not None and loan.customer_id != customer_id:
        raise FieldError("loan_id", _("This loan is another customer's."))
    return {"customer_id": loan.customer_id, "loan_id": loan.id}
