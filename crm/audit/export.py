"""Reading the audit trail out for `flask --app wsgi audit export`: the events of a period,
oldest first, read a batch at a time, and written as JSON lines or CSV.

The read is keyset-paged on (at, id): each batch starts where the last one ended, through the
index on `at` that the period's bounds use too (on SQLite that index holds the id with each
entry; PostgreSQL sorts only the ties, the events of one flush). No batch grows with the
number of rows already read, and no more than one batch is held in memory, so a table of
millions of events streams in constant memory.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session, scoped_session

from crm.clock import as_utc
from crm.exports.columns import safe_text
from crm.models import AuditEvent

#: The keys of an exported event, in order (docs/AUDIT.md, /work/shared/DESIGN.md's CLI).
FIELDS = ("at", "actor", "action", "entity", "entity_id", "changes", "ip")
#: Events read per query.
BATCH_SIZE = 1000

COLUMNS = (
    AuditEvent.id,
    AuditEvent.at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.entity,
    AuditEvent.entity_id,
    AuditEvent.changes,
    AuditEvent.ip,
)


def period(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """The moments [start, end) from the start of `since` to the end of `until`, UTC days;
    None where the period is open."""
    start = datetime.combine(since, time(), UTC) if since else None
    end = None
    if until is not None and until < date.max:
        end = datetime.combine(until + timedelta(days=1), time(), UTC)
    return start, end


def read_events(
    session: Session | scoped_session, start: datetime | None = None, end: datetime | None = None
) -> Iterator[Row]:
    """The events with start <= at < end, oldest first (by `at`, then `id`), BATCH_SIZE at
    a time; each row has the FIELDS (and the id).

    Every batch reads the same snapshot of the table: SQLite's read transaction keeps one
    (WAL); on PostgreSQL the transaction is made REPEATABLE READ, so events committed while
    the export runs are left out rather than seen in part. Call it before the session's
    transaction begins (within one already begun, batches read as that transaction reads),
    and end the transaction after the last row.
    """
    _read_one_snapshot(session)
    first = select(*COLUMNS).order_by(AuditEvent.at, AuditEvent.id).limit(BATCH_SIZE)
    if start is not None:
        first = first.where(AuditEvent.at >= start)
    if end is not None:
        first = first.where(AuditEvent.at < end)
    statement = first
    while True:
        rows = session.execute(statement).all()
        yield from rows
        if len(rows) < BATCH_SIZE:
            return
        last = rows[-1]
        # `at >= last.at` alone is what the index reads; the rest skips the rows already sent.
        statement = first.where(
            AuditEvent.at >= last.at, or_(AuditEvent.at > last.at, AuditEvent.id > last.id)
        )


def _read_one_snapshot(session: Session | scoped_session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def record(row: Row) -> dict:
    """An event as exported: FIELDS in order, `at` as ISO 8601 in UTC."""
    return {
        "at": as_utc(row.at).isoformat(timespec="microseconds"),
        "actor": row.actor,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "changes": row.changes,
        "ip": row.ip,
    }


def jsonl_lines(rows: Iterable[Row]) -> Iterator[str]:
    """One JSON object per event, without the newline."""
    for row in rows:
        yield json.dumps(record(row), ensure_ascii=False)


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    """The header, then one CSV row per event, each with its newline; `changes` as JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def line(cells: Iterable) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield line(FIELDS)
    for row in rows:
        event = record(row)
        event["changes"] = json.dumps(event["changes"], ensure_ascii=False)
        # Every cell as text a spreadsheet will not run (crm.exports.columns).
        yield line(safe_text(value) for value in event.values())
