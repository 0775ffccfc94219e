"""The customer lists sorted by name read ix_customers_name_order instead of sorting.

Each test makes the real request, records the SQL the page runs and asks the database how it
would run that statement. On PostgreSQL the question is asked with `enable_sort = off`: a plan
with a Sort is then priced out whenever any other plan exists, so the answer depends only on
whether an index can deliver the rows in the list's order, not on how many rows the test has
or on the planner's statistics. (`enable_seqscan = off` would not do: a scan of another index
followed by a Sort would still pass for an index plan.) How fast it is at 100 000 customers
is measured in docs/PERFORMANCE.md, not asserted here. SQLite has no statistics unless
ANALYZE runs and, given a LIMIT, takes an index that yields the ORDER BY without sorting.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from crm.customers.queries import finds_many
from crm.extensions import db
from tests import factories

INDEX = "ix_customers_name_order"


@contextmanager
def recorded_statements() -> Iterator[list[tuple[str, object]]]:
    """(SQL, parameters) of every statement run inside the block."""
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def page_query(client, url: str) -> tuple[str, object]:
    """The statement that reads the rows of the list page at `url`."""
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200
    (listing,) = [
        (sql, params) for sql, params in statements if "FROM customers" in sql and "ORDER BY" in sql
    ]
    return listing


def query_plan(statement: str, parameters) -> str:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL enable_sort = off"))
        rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return "\n".join(row[0] for row in rows)
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return "\n".join(row[-1] for row in rows)


def assert_read_in_index_order(plan: str) -> None:
    assert INDEX in plan, plan
    # PostgreSQL's Sort and Incremental Sort, SQLite's "USE TEMP B-TREE FOR ORDER BY".
    assert "Sort" not in plan, plan
    assert "ORDER BY" not in plan, plan


def assert_page_keys_read_in_index_order(plan: str) -> None:
    """Past the first page, the page's ids are read from the index (crm/paging.py: late row
    lookup) and only the page's rows are sorted, as they are looked up."""
    assert INDEX in plan, plan
    assert "SCAN customers\n" not in plan + "\n", plan
    assert "Seq Scan on customers" not in plan, plan


@pytest.fixture
def some_customers(app) -> None:
    for last_name in ("Шевчук", "Андрієнко", "Ґудзь", "Дем'янчук", "Їжакевич"):
        factories.CustomerFactory(last_name=last_name)


@pytest.mark.parametrize("url", ["/customers/?sort=name", "/customers/?sort=-name"])
def test_the_staff_list_sorted_by_name_reads_the_name_index(
    client, login, manager, some_customers, app, url
):
    app.config["PER_PAGE"] = 2
    login(manager)

    assert_read_in_index_order(query_plan(*page_query(client, url)))


@pytest.mark.parametrize("url", ["/customers/?sort=name&page=2", "/customers/?sort=-name&page=2"])
def test_a_later_page_sorted_by_name_reads_its_ids_from_the_name_index(
    client, login, manager, some_customers, app, url
):
    app.config["PER_PAGE"] = 2
    login(manager)

    assert_page_keys_read_in_index_order(query_plan(*page_query(client, url)))


@pytest.mark.parametrize("url", ["/admin/customer/?sort=0", "/admin/customer/?sort=0&desc=1"])
def test_the_admin_list_sorted_by_last_name_reads_the_name_index(
    client, login, admin_user, some_customers, url
):
    login(admin_user)

    assert_read_in_index_order(query_plan(*page_query(client, url)))


@pytest.mark.parametrize("search", ["ко", "Ш", "z"])
def test_a_navbar_search_of_two_letters_reads_the_name_index_and_sorts_no_matches(
    client, login, manager, some_customers, search
):
    """The first customers such a search finds come from walking the index and testing each,
    so that it sorts no thousands of names (crm.customers.queries.search_customers, in_order)."""
    login(manager)

    assert_read_in_index_order(query_plan(*page_query(client, f"/search?q={search}")))


@pytest.mark.parametrize(
    ("search", "many"),
    [("ко", True), ("Ш", True), ("Шев", False), ("ко ан", False), ("05", False), ("", False)],
)
def test_only_a_name_search_of_one_or_two_letters_counts_as_finding_many(search, many):
    assert finds_many(search) is many
