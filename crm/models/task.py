"""Tasks: something a staff member must do by a date, about a customer or a loan."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.models.base import Base
from crm.models.types import foreign_id, utcnow

if TYPE_CHECKING:
    from crm.models.customer import Customer
    from crm.models.interaction import Interaction
    from crm.models.loan import Loan
    from crm.models.user import User

#: The longest title of a task: one line on a list.
MAX_TASK_TITLE = 200
#: The longest origin key of a task made by the daily run.
MAX_ORIGIN = 100


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        # "My tasks" and the navbar's count: one assignee's open tasks by due date.
        Index("ix_tasks_assignee_id_done_at_due_on", "assignee_id", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(MAX_TASK_TITLE))
    due_on: Mapped[date]
    assignee_id: Mapped[int] = foreign_id("users")
    customer_id: Mapped[int | None] = foreign_id("customers")
    loan_id: Mapped[int | None] = foreign_id("loans")
    #: The contact it follows up (a broken promise), when it does.
    interaction_id: Mapped[int | None] = foreign_id("interactions")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Who added it; empty for a task the daily run made.
    created_by_id: Mapped[int | None] = foreign_id("users")
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = foreign_id("users")
    #: What made the daily run add it ("promise:17", "bucket:42:31-60:2026-10-01"): unique,
    #: so that running it twice for a day adds nothing the second time. Empty for staff's tasks.
    origin: Mapped[str | None] = mapped_column(String(MAX_ORIGIN), unique=True)
    #: Bumped on every update; a stale edit fails instead of overwriting someone else's.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
    customer: Mapped[Customer | None] = relationship()
    loan: Mapped[Loan | None] = relationship()
    interaction: Mapped[Interaction | None] = relationship()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def __str__(self) -> str:
        return self.title
