"""The hook that writes the audit trail: after each flush, one event per record of an
audited model (crm.audit.registry) that the flush inserted, changed or deleted, inserted
by the same transaction. A flush is where every entry point's changes meet, so no view,
admin page or command writes events itself, and none can forget to.

ORM updates and deletes that skip the flush (`session.execute(update(Model))`) would skip
the trail as well: they are refused for audited models. (SQL written against the tables
themselves is outside the application, as a database console is.)
"""

import enum
from dataclasses import asdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Column, Numeric, event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from crm.audit.context import Stamp, current_stamp
from crm.audit.registry import AUDITED, Audited
from crm.clock import as_utc, utc_now
from crm.models.audit import HIDDEN, AuditEvent

KINDS = ("create", "update", "delete")
#: The key in Session.info of the current transaction's named step.
STEP = "crm.audit_step"


class AuditGap(RuntimeError):
    """A write that would leave no trace in the audit trail."""


def register() -> None:
    if not event.contains(Session, "after_flush", record_flush):
        event.listen(Session, "after_flush", record_flush)
        event.listen(Session, "do_orm_execute", refuse_bulk_writes)
        for end in ("after_commit", "after_rollback", "after_soft_rollback"):
            event.listen(Session, end, _forget_step)
        _keep_values_before(AUDITED)


def _keep_values_before(models: dict[type, Audited]) -> None:
    """Load a column's stored value before it is overwritten, even when the record was
    not loaded (expired by a commit), so that every update knows its before."""
    for model in models:
        for attribute in inspect(model).column_attrs:
            event.listen(getattr(model, attribute.key), "set", _ignore_value, active_history=True)


def _ignore_value(_target, value, _old_value, _initiator):
    return value


def refuse_bulk_writes(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete:
        # update(Model) names the model; Model.__table__.update() is SQL on the table.
        entity = state.statement.table._annotations.get("parententity")
        if entity is not None and entity.class_ in AUDITED:
            raise AuditGap(f"{entity.class_.__name__} is audited: change it through the session")


def record_flush(session: Session, _flush_context: UOWTransaction) -> None:
    written = [
        (record, AUDITED[type(record)], kind, changes)
        for kind, records in zip(KINDS, (session.new, session.dirty, session.deleted), strict=True)
        for record in records
        if type(record) in AUDITED
        for changes in [_changes(record, AUDITED[type(record)], kind)]
        if changes
    ]
    if not written:
        return
    actions = [spec.action(record, kind, changes) for record, spec, kind, changes in written]
    step = _transaction_step(session, actions)
    stamp = asdict(current_stamp())
    at = utc_now()
    rows = [
        {
            **stamp,
            "at": at,
            "action": action or (step if step and spec.follows_step else kind),
            "entity": spec.entity,
            "entity_id": inspect(record).mapper.primary_key_from_instance(record)[0],
            "customer_id": spec.customer_id(record),
            "loan_id": spec.loan_id(record),
            "changes": changes,
        }
        for (record, spec, kind, changes), action in zip(written, actions, strict=True)
    ]
    session.connection().execute(insert(AuditEvent), rows)


def add_event(
    session: Session,
    *,
    action: str,
    entity: str,
    facts: dict[str, Any],
    entity_id: int | None = None,
    customer_id: int | None = None,
    stamp: Stamp | None = None,
) -> None:
    """Add to `session` an event no record's change writes: a security event, or the counts
    of rows a command wrote or deleted past the hook (in bulk, or in tables the trail leaves
    out). Its `facts` are its changes, with empty befores; `stamp` is the current one unless
    given."""
    session.add(
        AuditEvent(
            at=utc_now(),
            **asdict(stamp or current_stamp()),
            action=action,
            entity=entity,
            entity_id=entity_id,
            customer_id=customer_id,
            changes={key: [None, _fact(value)] for key, value in facts.items()},
        )
    )


def _fact(value: object) -> object:
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def _transaction_step(session: Session, actions: list[str | None]) -> str | None:
    """The named step (start, payment, …) this transaction took, in this flush or an
    earlier one: a step's changes may be flushed in parts (a query in the middle of it
    flushes what came before), and every part is named after it."""
    step = next((action for action in actions if action is not None), None)
    if step is not None:
        session.info[STEP] = step
    return session.info.get(STEP)


def _forget_step(session: Session, *_args) -> None:
    session.info.pop(STEP, None)


def _changes(record: object, spec: Audited, kind: str) -> dict[str, list]:
    """{column: [before, after]} of what the flush writes, as stored."""
    state = inspect(record)
    changes = {}
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        column = attribute.columns[0]
        if key in spec.ignored or column.primary_key:
            continue
        before, after = _before_after(state, key, kind)
        before, after = _stored(before, column), _stored(after, column)
        if before == after:
            continue
        if key in spec.hidden:
            before, after = (None if value is None else HIDDEN for value in (before, after))
        changes[key] = [before, after]
    return changes


def _before_after(state, key: str, kind: str) -> tuple[Any, Any]:
    if kind == "create":
        return None, state.dict.get(key)
    if kind == "delete":
        return state.dict.get(key), None
    history = state.attrs[key].history
    if not history.has_changes():
        return None, None
    before = history.deleted[0] if history.deleted else None
    after = history.added[0] if history.added else None
    return before, after


def _stored(value: Any, column: Column) -> Any:
    """`value` as the column stores it, in a form JSON keeps: money and dates as text."""
    if value is None or (
        isinstance(value, bool | int | float) and not isinstance(value, enum.Enum)
    ):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        scale = column.type.scale if isinstance(column.type, Numeric) else None
        if scale is not None:
            value = value.quantize(Decimal(1).scaleb(-scale), ROUND_HALF_UP)
        return str(value)
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
