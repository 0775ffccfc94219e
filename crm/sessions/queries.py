"""Reading log-in sessions: the one behind a cookie's token, and a user's open ones."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, ScalarSelect, bindparam, func, select
from sqlalchemy.orm import Session, contains_eager

from crm.clock import as_utc, lender_today, utc_now
from crm.models import STAFF_ROLES, Task, User, UserSession


@dataclass(frozen=True)
class IdleLimits:
    """How long a session may go without a request before it ends (config: STAFF_IDLE_TIMEOUT,
    CUSTOMER_IDLE_TIMEOUT, REMEMBERED_IDLE_TIMEOUT)."""

    staff: timedelta
    customer: timedelta
    #: A "remember me" session outlives closing the browser, and so the short limits.
    remembered: timedelta

    def of(self, record: UserSession) -> timedelta:
        if record.remember:
            return self.remembered
        return self.staff if record.user.role in STAFF_ROLES else self.customer


def token_hash(token: str) -> str:
    """What the table stores of a token: SHA-256 in hex. The token is 32 random bytes, so
    a fast hash is enough; nobody can guess their way back to it."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


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
    request's log-in session (open_session). They live here, not in crm.tasks, because
    importing a feature's package registers its routes, and those import the log-in."""
    open_tasks = select(func.count()).where(Task.assignee_id == user_id, Task.done_at.is_(None))
    return (
        open_tasks.where(Task.due_on <= bindparam("today")).scalar_subquery(),
        open_tasks.where(Task.due_on < bindparam("today")).scalar_subquery(),
    )


def is_open(record: UserSession, *, idle: IdleLimits, now: datetime) -> bool:
    """Not ended, not past its absolute end, not idle past its limit, its user still active."""
    return (
        record.ended_at is None
        and record.user.active
        and now < as_utc(record.expires_at)
        and now - as_utc(record.last_seen_at) <= idle.of(record)
    )


#: Every request's first query, built once: building it took longer than running it
#: (~170 of 285 µs on SQLite). It counts the user's tasks due too (for the navbar of every
#: staff page): a query of their own cost a page ~0.9 M instructions more than these two
#: subqueries, and on PostgreSQL one more round trip (docs/PERFORMANCE.md).
BY_TOKEN_HASH = (
    select(UserSession, *due_task_counts(UserSession.user_id))
    .join(UserSession.user)
    .options(contains_eager(UserSession.user).joinedload(User.second_factor))
    .where(UserSession.token_hash == bindparam("token_hash"), UserSession.ended_at.is_(None))
)


def open_session(
    session: Session, token: str, *, idle: IdleLimits, today: date | None = None
) -> UserSession | None:
    """The open session whose token this is (its user loaded with it), or None; its
    `tasks_due` counts its user's open tasks due by `today` (the lender's, by default)."""
    now = utc_now()
    found = session.execute(
        BY_TOKEN_HASH, {"token_hash": token_hash(token), "today": today or lender_today()}
    ).one_or_none()
    if found is None:
        return None
    record, due, overdue = found
    if not is_open(record, idle=idle, now=now):
        return None
    record.tasks_due = TaskCount(due=due, overdue=overdue)
    return record


def open_sessions(session: Session, user: User, *, idle: IdleLimits) -> list[UserSession]:
    """`user`'s open sessions, the most recently used first."""
    now = utc_now()
    statement = (
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return [record for record in session.scalars(statement) if is_open(record, idle=idle, now=now)]
