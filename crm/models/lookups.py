"""A condition that the database answers by looking ids up one by one, on SQLite and
PostgreSQL alike, and the rows of a statement looked up by the ids it reads first."""

from sqlalchemy import Boolean, ColumnElement, Select, inspect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement


class _IdsCondition(FunctionElement):
    """`condition(column, ids)`: a test of `column` against `ids` (a scalar subquery), which
    each dialect writes its own way: `written`, and on PostgreSQL `written_on_postgresql`,
    with `{column}` and `{ids}` in them."""

    written: str
    written_on_postgresql: str
    type = Boolean()
    #: A condition as it is: SQLite (no boolean type) would otherwise be asked whether it
    #: `= 1`, which no index answers.
    _is_implicitly_boolean = True


class looked_up_in(_IdsCondition):
    """`looked_up_in(Customer.id, ids)`: `Customer.id IN (ids)`, which PostgreSQL is made to
    answer by looking each of the `ids` (a scalar subquery) up in the column's index.

    Planning a plain IN, PostgreSQL guesses how many ids the subquery gives and, past a few
    hundred, with its default random_page_cost reads the whole table to join them: the
    customers a search finds (a surname found 1 600 times at 100 000 customers: 48 ms where
    looking them up takes 12), or a page's 25 loans, which it read with every other loan of
    the search before taking those. `= ANY(ARRAY(…))` hides the count from it. SQLite looks
    an IN's ids up anyway."""

    inherit_cache = True
    name = "looked_up_in"
    written = "{column} IN {ids}"
    written_on_postgresql = "{column} = ANY(ARRAY{ids})"


class tested_in_order(_IdsCondition):
    """`tested_in_order(Customer.id, ids)`: `Customer.id IN (ids)` tested on each row as the
    statement reads them in its order, never used to read the rows by the `ids` instead: for
    the first few of thousands of matches (search_customers' `in_order`).

    SQLite is kept from using the IN by the unary plus on the column (its documented way to
    disqualify a term from an index), which costs less a row walked than `(… IN …) IS 1`
    (?q=ко at 100 000 customers, 35 839 names walked: 13.7 → 11.2 ms). PostgreSQL would turn
    the plus into a computation of each id; it is asked `(… IN …) IS true`, which it tests with
    a hash of the ids."""

    inherit_cache = True
    name = "tested_in_order"
    written = "+{column} IN {ids}"
    written_on_postgresql = "({column} IN {ids}) IS true"


@compiles(_IdsCondition)
def _written(element: _IdsCondition, compiler, **kw) -> str:
    return element.written.format(**_column_and_ids(element, compiler, kw))


@compiles(_IdsCondition, "postgresql")
def _written_on_postgresql(element: _IdsCondition, compiler, **kw) -> str:
    return element.written_on_postgresql.format(**_column_and_ids(element, compiler, kw))


def _column_and_ids(element: _IdsCondition, compiler, kw) -> dict[str, str]:
    column, ids = element.clauses.clauses
    return {"column": compiler.process(column, **kw), "ids": compiler.process(ids, **kw)}


def row_key(statement: Select) -> ColumnElement | None:
    """The primary key of the one model `statement` selects, when a page of it can be looked
    up late: not for rows of several models or columns, nor for DISTINCT or grouped rows."""
    described = statement.column_descriptions
    entity = described[0]["entity"] if len(described) == 1 else None
    if entity is None or described[0]["expr"] is not entity:
        return None
    if statement._distinct or statement._group_by_clauses:
        return None
    primary_key = inspect(entity).primary_key
    return primary_key[0] if len(primary_key) == 1 else None


def rows_looked_up_late(
    session: Session, statement: Select, *, size: int, offset: int = 0
) -> Select:
    """Rows `offset` to `offset + size` of `statement`; on PostgreSQL their ids are read first
    by its order alone, as a late page's are (crm/paging.py). A search read in name order
    (search_customers' `in_order`) then walks the name index alone instead of fetching every
    customer it passes and drops: ?q=ко at 100 000 customers passes 36 000, 37.5 → 20.5 ms
    (EXPLAIN ANALYZE, warm). SQLite reads a row by its rowid about as cheaply as the index
    entry, and the second statement would evaluate the search again (2.6 ms more a request):
    there the rows are read in the one walk."""
    key = row_key(statement)
    if key is None or session.get_bind().dialect.name != "postgresql":
        return statement.offset(offset).limit(size)
    keys = statement.with_only_columns(key, maintain_column_froms=True)
    return statement.where(looked_up_in(key, keys.offset(offset).limit(size).scalar_subquery()))
