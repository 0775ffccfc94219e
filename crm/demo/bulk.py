"""Writing many rows fast: one executemany of the database driver per call, with ids handed
out by the caller.

The demo load writes its hundreds of thousands of rows through here, and tests that need
many rows use it too. The rows skip the ORM entirely: no mapper events (so a customer's
`search_text` comes ready-made, and its search terms are rows the caller writes), no column
defaults (so every row carries every column the table needs), no ids read back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Date, Dialect, func, insert, select
from sqlalchemy.orm import Session

#: SQLite's page cache while many rows go in, in KiB (its default is 2 000). Each INSERT
#: lands on a page of every index of its table, and keys such as names, e-mails and search
#: terms land anywhere in theirs: with the default cache those pages are read back from the
#: file and spilled to the WAL over and over. For the demo's 100 000 customers this took
#: the system time from 12.6 s to 2.9 s (docs/PERFORMANCE.md); 16 MB did almost as well.
BULK_CACHE_KIB = 32 * 1024


def bulk_insert(session: Session, model, rows: list[dict]) -> None:
    """INSERT `rows` (dicts with the same keys) with one executemany of the database driver."""
    if not rows:
        return
    connection = session.connection()
    connection.exec_driver_sql(*bulk_statement(connection.dialect, model, rows))


def bulk_statement(dialect: Dialect, model, rows: list[dict]) -> tuple[str, list]:
    """The INSERT of `rows` (dicts with the same keys, at least one) for `dialect`, and its
    parameters ready for the driver's executemany: plain values, cheap to pickle.

    Core's insert() spends two thirds of its time preparing the parameters of each row
    through general machinery; the same conversions (each column type's own bind processor
    for this database) applied in one tight loop cost a fraction of that. The ORM's bulk
    path is slower still.
    """
    table = model.__table__
    statement = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
    names = list(statement.positiontup) if statement.positional else list(rows[0])
    columns = [(name, _bind_processor(table.c[name], dialect)) for name in names]
    params = []
    for row in rows:
        values = [processor(row[name]) if processor else row[name] for name, processor in columns]
        params.append(
            tuple(values) if statement.positional else dict(zip(names, values, strict=True))
        )
    return str(statement), params


def _bind_processor(column, dialect):
    """The column type's conversion of a value for the driver, or None. On SQLite a day is
    %-formatted in Python, and rows share days (the demo's 650 000 installments fall on
    1 345): each day is converted once a call, 2.4 s less for the demo's 100 000 customers."""
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    if processor is not None and isinstance(column.type, Date):
        return cache(processor)
    return processor


@contextmanager
def bulk_page_cache(session: Session) -> Iterator[None]:
    """On SQLite, a page cache of BULK_CACHE_KIB for the session's connection while inside,
    then the one it had; other databases keep theirs."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={previous}")


def next_id(session: Session, model) -> int:
    """The first id after those in `model`'s table, for rows that carry their own ids."""
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def advance_id_sequence(session: Session, model) -> None:
    """PostgreSQL hands out ids from a sequence that explicit ids do not move; move it."""
    if session.get_bind().dialect.name != "postgresql":
        return
    last_id = select(func.max(model.id)).scalar_subquery()
    session.execute(
        select(func.setval(func.pg_get_serial_sequence(model.__tablename__, "id"), last_id))
    )
