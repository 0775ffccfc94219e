"""What the coverage tests (tests/audit/test_coverage_*.py) expect of the audit trail, and
how they compare it with what one request or command wrote.

Two checks, each exact:

- the events match the expectations one for one (Event: the action, the record, who acted,
  the key columns' [before, after]), with none left over;
- every record of an audited model (crm.audit.registry.AUDITED) whose row the request
  created, changed or deleted has exactly one event, whose `changes` are the difference
  between the row before and after, column by column, as stored. This half is read from the
  tables themselves, so it also catches a change that bypassed the session's hook.
"""

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from unittest.mock import ANY

from sqlalchemy import inspect, select

from crm.audit.registry import AUDITED, RECORD_ACTIONS
from crm.clock import as_utc
from crm.extensions import db
from crm.models import AuditEvent, User
from crm.models.audit import ANONYMOUS, HIDDEN, SYSTEM

#: The security events (crm.auth.events), stored beside them with entity "user".
SECURITY_ACTIONS = frozenset(
    {
        "log_in",
        "log_in_failed",
        "locked_out",
        "log_out",
        "sessions_ended_everywhere",
        "session_ended",
        "password_changed",
        "second_factor_enrolled",
        "second_factor_removed",
        "recovery_codes_renewed",
        "recovery_code_used",
        "reauthentication_failed",
        "second_factor_failed",
        "access_refused",
        "registration_requested",
        "registration_completed",
        "invitation_sent",
        "invitation_accepted",
        "password_reset_requested",
        "password_reset",
        "email_change_requested",
        "email_changed",
        "link_refused",
    }
)
#: Other actions an entry point may write: one event for the rows a command wrote or deleted
#: past the hook (the demo load's bulk rows, the prune's sessions and links), or for a chunk
#: of an import's rows (whose records have their own events).
OTHER_ACTIONS = frozenset({"demo_load", "prune", "import"})
#: Who acted: a World attribute naming a user ("admin", "user"), one of these, or the pair
#: (actor_id, actor) itself for a user the World does not name (one a post creates).
NOBODY = {SYSTEM: (None, SYSTEM), ANONYMOUS: (None, ANONYMOUS)}


@dataclass(frozen=True)
class Event:
    """One expected event. ANY (unittest.mock) stands for a value not known beforehand
    (a new record's id, a time); `changes` lists the key columns only, the table check
    compares every column."""

    action: str
    entity: str
    entity_id: Any = field(default_factory=lambda: ANY)
    changes: Mapping[str, list] = field(default_factory=dict)
    #: Who acted: a World attribute naming the user, SYSTEM or ANONYMOUS, or (actor_id, actor).
    by: str | tuple[Any, str] = "admin"
    customer_id: Any = field(default_factory=lambda: ANY)
    loan_id: Any = field(default_factory=lambda: ANY)


def written_since(last_id: int) -> list[AuditEvent]:
    """The events stored after the event `last_id`, oldest first."""
    db.session.rollback()
    statement = select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id)
    return list(db.session.scalars(statement))


def last_event_id() -> int:
    db.session.rollback()
    return db.session.scalar(select(db.func.max(AuditEvent.id))) or 0


def is_record_event(event: AuditEvent) -> bool:
    return event.action in RECORD_ACTIONS


def fits(want: Event, event: AuditEvent, actor: Callable[[str], tuple]) -> bool:
    return (
        (event.action, event.entity) == (want.action, want.entity)
        and (want.entity_id, want.customer_id, want.loan_id)
        == (event.entity_id, event.customer_id, event.loan_id)
        and (event.actor_id, event.actor) == actor(want.by)
        and all(event.changes.get(key, KeyError) == value for key, value in want.changes.items())
    )


def describe(event: AuditEvent) -> str:
    return (
        f"{event.action} {event.entity} {event.entity_id} by {event.actor} "
        f"(customer {event.customer_id}, loan {event.loan_id}): {event.changes}"
    )


def assert_events(
    expected: Iterable[Event], written: list[AuditEvent], actor: Callable[[str], tuple]
) -> None:
    """Each expected event is written once, and nothing else is."""
    left = list(written)
    missing = []
    for want in expected:
        found = next((event for event in left if fits(want, event, actor)), None)
        if found is None:
            missing.append(want)
        else:
            left.remove(found)
    report = "\n".join(
        [
            "missing:",
            *(f"  {want}" for want in missing),
            "not expected:",
            *(f"  {describe(event)}" for event in left),
            "written:",
            *(f"  {describe(event)}" for event in written),
        ]
    )
    assert not missing, report
    assert not left, report
    unknown = {event.action for event in written} - RECORD_ACTIONS - SECURITY_ACTIONS
    assert not unknown - OTHER_ACTIONS, f"actions nobody knows: {unknown}"


# --- The tables' side -----------------------------------------------------------------------

Row = dict[str, Any]
State = dict[tuple[str, int], Row]
SPECS = {spec.entity: spec for spec in AUDITED.values()}


def stored(value: Any) -> Any:
    """A column's value as the trail writes it: money and dates as text, times in UTC."""
    if value is None or (
        isinstance(value, bool | int | float) and not isinstance(value, enum.Enum)
    ):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date | Decimal):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return str(value)


def audited_rows() -> State:
    """Every row of every audited table, each column but the ignored ones, as stored."""
    db.session.rollback()
    state: State = {}
    for model, spec in AUDITED.items():
        mapper = inspect(model)
        columns = {
            attribute.key: attribute.columns[0]
            for attribute in mapper.column_attrs
            if attribute.key not in spec.ignored
        }
        [key] = [name for name, column in columns.items() if column.primary_key]
        for row in db.session.execute(select(*columns.values())):
            values = {name: stored(value) for name, value in zip(columns, row, strict=True)}
            state[(spec.entity, values.pop(key))] = values
    db.session.rollback()
    return state


def row_changes(before: State, after: State) -> dict[tuple[str, int], Row]:
    """{(entity, id): {column: [before, after]}} of each row created, changed or deleted."""
    changes = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, {}), after.get(key, {})
        hidden = SPECS[key[0]].hidden
        changed = {
            column: [
                hide(old.get(column), column in hidden),
                hide(new.get(column), column in hidden),
            ]
            for column in old.keys() | new.keys()
            if old.get(column) != new.get(column)
        }
        if changed:
            changes[key] = changed
    return changes


def hide(value: Any, hidden: bool) -> Any:
    return HIDDEN if hidden and value is not None else value


def assert_events_match_tables(
    before: State, written: list[AuditEvent], *, bulk: frozenset[str] = frozenset()
) -> None:
    """One event per changed row, carrying exactly the row's change; `bulk` names entities
    an entry point writes in bulk and accounts for with one event of its own."""
    expected = {
        key: changes
        for key, changes in row_changes(before, audited_rows()).items()
        if key[0] not in bulk
    }
    events = [event for event in written if is_record_event(event)]
    recorded = {(event.entity, event.entity_id): event.changes for event in events}
    assert len(recorded) == len(events), "a record has more than one event: " + "; ".join(
        describe(event) for event in events
    )
    missing = sorted(set(expected) - set(recorded))
    assert not missing, f"rows changed without an event: {missing}"
    for key, changes in recorded.items():
        table = expected.get(key)
        assert changes == table, f"{key}: the event says {changes}, the table {table}"


def actor_of(world: Any) -> Callable[[str], tuple[int | None, str]]:
    """(actor_id, actor) an event by `by` carries (see Event.by)."""

    def actor(by: str | tuple[Any, str]) -> tuple[Any, str]:
        if isinstance(by, tuple):
            return by
        if by in NOBODY:
            return NOBODY[by]
        user_id = getattr(world, by)
        return user_id, db.session.get(User, user_id).email

    return actor
