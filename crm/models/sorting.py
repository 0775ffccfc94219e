"""Ukrainian alphabetical order in SQL, on SQLite and PostgreSQL.

Neither database sorts Cyrillic this way by default: SQLite compares code points (which
puts Є, І, Ї and Ґ after Я), and PostgreSQL follows the database's collation, often C or
en_US. `ukrainian_order(column)` is an expression to ORDER BY, or to index, that compiles per
dialect to the collation registered on each SQLite connection (crm/database.py, with the
comparison in crm/i18n/collation.py) or to PostgreSQL's ICU collation for Ukrainian.

It lives beside the models, not in crm.i18n, because a model's index is built from it, and
the models import nothing from the layers above them (CONTRIBUTING.md, "Layers").
"""

from sqlalchemy import Index, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

#: ASCII apostrophe, right single quotation mark and modifier letter apostrophe: dictionaries
#: ignore the apostrophe when sorting (Дем'янчук sorts as Демянчук).
APOSTROPHES = "'\u2019\u02bc"
#: The name the SQLite collation is registered under.
SQLITE_COLLATION = "uk"
#: ICU's Ukrainian collation, which PostgreSQL builds with ICU (Debian's packages do) have.
POSTGRESQL_COLLATION = "uk-x-icu"


class ukrainian_order(FunctionElement):
    """`ukrainian_order(Customer.last_name)` sorts that column in Ukrainian order."""

    type = String()
    inherit_cache = True
    name = "ukrainian_order"


@compiles(ukrainian_order)
def _plain(element, compiler, **kw) -> str:
    # Other databases sort by their own collation.
    return compiler.process(element.clauses, **kw)


@compiles(ukrainian_order, "sqlite")
def _sqlite(element, compiler, **kw) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE {SQLITE_COLLATION}"


@compiles(ukrainian_order, "postgresql")
def _postgresql(element, compiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    # ICU's apostrophe is a character of its own; dropping it gives the dictionary order.
    quoted = APOSTROPHES.replace("'", "''")
    return f"translate({column}, '{quoted}', '') COLLATE \"{POSTGRESQL_COLLATION}\""


def in_ukrainian_order(index: Index) -> bool:
    """Whether the index stores a ukrainian_order() expression."""
    return any(isinstance(expression, ukrainian_order) for expression in index.expressions)


def compared_by_autogenerate(object_, _name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object hook (migrations/env.py, tests/test_migrations.py).

    Alembic cannot compare an index in ukrainian_order() with the database's: PostgreSQL
    reports each indexed expression without its collation, and SQLAlchemy reflects SQLite's
    `last_name COLLATE uk` as the plain column. So Alembic would report a change on
    PostgreSQL that is not there, and miss one on SQLite that is. Only that comparison is
    left out: a left-over index is still reported, and so is a missing one (on SQLite as
    Alembic's warning "autogenerate skipping ... expression-based index").
    tests/test_migrations.py compares these indexes itself.
    """
    comparing = type_ == "index" and not reflected and compare_to is not None
    return not (comparing and in_ukrainian_order(object_))
