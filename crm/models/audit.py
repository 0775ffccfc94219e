"""The audit trail: one row per change to a business record and per security event.

Rows are only ever added. The database itself refuses to update or delete them (the
triggers below, created with the table by `create_all` and by the migration), so neither
the application nor someone with SQL access can rewrite what happened; how long rows are
kept is the deployer's decision (docs/AUDIT.md), not a button.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base
from crm.models.types import utcnow

#: The actor of a change made outside any request: a command or a daily job.
SYSTEM = "system"
#: The actor of a request nobody was logged in for (a failed log-in, a registration).
ANONYMOUS = "anonymous"
#: What `changes` holds for a secret (a password hash): that it changed, never the value.
HIDDEN = "***"

APPEND_ONLY_MESSAGE = "audit_events is append-only"
#: The guard on each database: (statements that create it, statements that drop it).
APPEND_ONLY = {
    "sqlite": (
        (
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
            "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
        ),
        (
            "DROP TRIGGER IF EXISTS audit_events_no_delete",
            "DROP TRIGGER IF EXISTS audit_events_no_update",
        ),
    ),
    "postgresql": (
        (
            "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$",
            "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
        ),
        (
            "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
            "DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events",
            "DROP FUNCTION IF EXISTS audit_events_append_only()",
        ),
    ),
}


class AuditEvent(Base):
    """Who did what to which record, when and from where, with the values before and after.

    `changes` maps each changed column to `[before, after]` as stored (money and dates as
    strings); a created record has `None` befores, a deleted one `None` afters. A security
    event keeps its facts (the e-mail tried, the reason) the same way, with `None` befores.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        # The history of one record, of one customer, of one loan: newest first, one index each.
        Index("ix_audit_events_entity_entity_id_id", "entity", "entity_id", "id"),
        Index("ix_audit_events_customer_id_id", "customer_id", "id"),
        Index("ix_audit_events_loan_id_id", "loan_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: The user who acted; no foreign key, so that the trail outlives the users it names.
    actor_id: Mapped[int | None]
    #: The user's e-mail as it was then, SYSTEM or ANONYMOUS.
    actor: Mapped[str] = mapped_column(String(254), index=True)
    #: The command that acted, for SYSTEM ("users create", "demo load").
    command: Mapped[str | None] = mapped_column(String(100))
    #: create, update, delete, a lifecycle step (start, refuse, withdraw, write_off, payment,
    #: reversal) or a security event (log_in, log_in_failed, access_refused, …).
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: The kind of record (customer, loan, …) and its id; the user for a security event.
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    #: The customer and the loan the record belongs to, when it belongs to one.
    customer_id: Mapped[int | None]
    loan_id: Mapped[int | None]
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))
    #: Ties together the events of one request.
    request_id: Mapped[str | None] = mapped_column(String(32))

    def __str__(self) -> str:
        return f"{self.action} {self.entity} {self.entity_id or ''}".strip()


def _guard_with_the_table() -> None:
    """create_all() builds the guard with the table, as the migration does; drop_all()
    takes it down first."""
    for dialect, (create, drop) in APPEND_ONLY.items():
        for when, statements in (("after_create", create), ("before_drop", drop)):
            for statement in statements:
                event.listen(AuditEvent.__table__, when, DDL(statement).execute_if(dialect=dialect))


_guard_with_the_table()
