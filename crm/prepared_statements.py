"""PostgreSQL connections that keep their prepared statements when a transaction is rolled back.

psycopg prepares a statement on the server once a connection has run it five times
(prepare_threshold), and from then on PostgreSQL skips parsing and planning it. But psycopg
forgets every statement it prepared at each rollback, because a rolled-back transaction may
have undone a table that a statement was planned for. Every request of the CRM ends in a
rollback (Flask-SQLAlchemy closes the session, the pool resets the connection), so no
statement ever reached five runs and PostgreSQL planned each one anew on every request.
Kept, the customer card at 100 000 customers costs the database server 1.6 ms of CPU a
request instead of 6.2 (docs/PERFORMANCE.md, round 9).

The CRM changes its schema only in migrations, which run in a process of their own and
commit; a request never creates a table. And PostgreSQL keeps a prepared statement through a
rollback (PREPARE is not transactional) and plans it again by itself when a migration has
changed a table it reads. So these connections roll back without forgetting. psycopg still
forgets everything when a statement drops or alters something on the connection, as the
test suite's set-up does.
"""

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event


class StatementsKeptConnection(psycopg.Connection):
    def rollback(self) -> None:
        if self.info.transaction_status == TransactionStatus.IDLE:
            return
        # With no threshold psycopg neither counts nor prepares the statement it runs, and so
        # does not look at its outcome, the ROLLBACK that would make it forget.
        threshold, self.prepare_threshold = self.prepare_threshold, None
        try:
            self.execute("ROLLBACK")
        finally:
            self.prepare_threshold = threshold


def keep_prepared_statements(engine: Engine) -> None:
    """Open each of `engine`'s connections as a StatementsKeptConnection."""
    event.listen(engine, "do_connect", _connect)


def _connect(_dialect, _record, cargs, cparams) -> StatementsKeptConnection:
    return StatementsKeptConnection.connect(*cargs, **cparams)
