"""How the CRM talks to SQLite, and why a request that may write takes the lock at once.

SQLite knows no Ukrainian alphabetical order, keeps foreign keys off unless asked, lets
readers wait for a writer unless the journal is WAL, and lets each connection grow its own
caches: each connection of the app's engine is set up for all four when it opens.

Why writes begin IMMEDIATE: a deferred transaction that reads and then writes cannot wait
for the write lock. When another writer committed in between, SQLite refuses it at once
("database is locked"), so of two managers posting payments on one loan, one would get an
error. BEGIN IMMEDIATE takes the lock when the transaction begins: the second writer waits
(busy_timeout) and then reads what the first one wrote. Requests that may write (POST, PUT,
PATCH, DELETE) begin that way; page views only read and begin deferred, so they never wait
for a writer. Outside requests (commands, tests) transactions stay deferred: SQLite still
never loses a write there, a clash fails instead of waiting. PostgreSQL needs none of this:
writers lock the rows they change (crm.loans.services.guards).

On every database, a pooled connection that sat idle is pinged before a request gets it
(ping_when_idle), and only then: see IDLE_BEFORE_PING.
"""

import time
from contextvars import ContextVar

from flask import request
from sqlalchemy import Engine, event
from sqlalchemy.exc import InvalidatePoolError

from crm.i18n.collation import sqlite_collation
from crm.models.sorting import SQLITE_COLLATION

#: Requests that may write; their transactions take the write lock when they begin.
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Whether transactions begun now may write: set per request, False elsewhere.
_may_write: ContextVar[bool] = ContextVar("may_write", default=False)
#: A connection handed back to the pool less than this many seconds ago is handed out again
#: without a ping. pool_pre_ping pinged before every request: on PostgreSQL one more round
#: trip, ~150 µs of a worker's CPU on loopback (docs/PERFORMANCE.md), for connections a busy
#: worker had used milliseconds before. The connections it still pings are those a server
#: restart or an idle-connection timeout would have closed.
IDLE_BEFORE_PING = 1.0
#: Where a pooled connection notes when it was last handed back (its record's info).
_RETURNED_AT = "crm_returned_at"
#: Bytes of SQLite memory a process keeps, all its connections together. Past it SQLite frees
#: pages before every allocation it makes, so it leaves room for twice the page caches of a
#: worker's threads: at 8 MB their four of 2 MB alone reached it, and the navbar's search for
#: "ко" cost a worker 61 ms of CPU served instead of 27 (docs/PERFORMANCE.md, round 9).
SOFT_HEAP_LIMIT = 16 * 2**20


def configure_sqlite(engine: Engine) -> None:
    """Set up every connection `engine` opens, when it is SQLite; other databases as they are."""
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _set_up_connection)
    event.listen(engine, "begin", _begin)


def ping_when_idle(engine: Engine, idle_seconds: float = IDLE_BEFORE_PING) -> None:
    """Ping each connection `engine`'s pool hands out after `idle_seconds` or more unused; a
    dead one is replaced, with every other connection pooled before it, as pool_pre_ping
    does."""

    def note_return(_dbapi_connection, record) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    def ping_if_idle(dbapi_connection, record, _proxy) -> None:
        returned_at = record.info.get(_RETURNED_AT)
        if returned_at is None or time.monotonic() - returned_at < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool then opens a fresh connection for this checkout.
            raise InvalidatePoolError from error

    event.listen(engine, "checkin", note_return)
    event.listen(engine, "checkout", ping_if_idle)


def writes_from_the_start() -> None:
    """Before each request: does its transaction take the write lock when it begins?"""
    _may_write.set(request.method in WRITING_METHODS)


def reads_after_the_request(_error: BaseException | None = None) -> None:
    """After each request: what runs next in this thread (a command, a test) begins deferred."""
    _may_write.set(False)


def _set_up_connection(dbapi_connection, _record) -> None:
    dbapi_connection.create_collation(SQLITE_COLLATION, sqlite_collation)
    # The sqlite3 module would BEGIN only before the first write, too late to take the
    # write lock (and it breaks SAVEPOINTs); _begin emits BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # All of a process's connections together keep at most SOFT_HEAP_LIMIT of pages and
    # temporary B-trees (SQLite's default lets each keep its own 2 MB cache plus the
    # temporary ones): a report grouping 650 000 installments grew a gunicorn worker by
    # 16 MB for good, as glibc keeps what SQLite frees. The operating system's file cache
    # holds the rest.
    cursor.execute(f"PRAGMA soft_heap_limit={SOFT_HEAP_LIMIT}")
    cursor.close()


def _begin(connection) -> None:
    # Straight to the driver, as psycopg begins implicitly: query counts match on both.
    statement = "BEGIN IMMEDIATE" if _may_write.get() else "BEGIN"
    connection.connection.dbapi_connection.execute(statement)
