"""On PostgreSQL the app's connections keep the statements psycopg prepared through the
rollback that ends every request (crm/prepared_statements.py), and a rollback still undoes
the transaction."""

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DataError

from crm.extensions import db
from crm.models import Product
from tests import factories

PREPARED = text("SELECT statement FROM pg_prepared_statements")
#: A statement of the app's; psycopg prepares one when a connection has run it this often.
PRODUCTS = select(Product.name).where(Product.active).order_by(Product.name)
RUNS_BEFORE_PREPARED = 5


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def run_and_roll_back(connection, times: int) -> None:
    for _ in range(times):
        connection.execute(PRODUCTS).all()
        connection.rollback()


def prepared_product_statements(connection) -> list[str]:
    return [statement for statement in connection.scalars(PREPARED) if "FROM products" in statement]


@pytest.mark.usefixtures("postgresql_only")
def test_psycopg_alone_forgets_its_prepared_statements_at_each_rollback(app):
    plain = create_engine(db.engine.url)
    try:
        with plain.connect() as connection:
            run_and_roll_back(connection, RUNS_BEFORE_PREPARED + 1)
            assert prepared_product_statements(connection) == []
    finally:
        plain.dispose()


@pytest.mark.usefixtures("postgresql_only")
def test_the_apps_connections_keep_them_through_the_rollbacks(app):
    with db.engine.connect() as connection:
        run_and_roll_back(connection, RUNS_BEFORE_PREPARED + 1)
        assert len(prepared_product_statements(connection)) == 1


@pytest.mark.usefixtures("postgresql_only")
def test_a_page_requested_again_is_served_with_its_statements_prepared(client, login, manager):
    login(manager)
    for _ in range(RUNS_BEFORE_PREPARED + 1):
        assert client.get("/products/").status_code == 200
    with db.engine.connect() as connection:
        assert prepared_product_statements(connection)


@pytest.mark.usefixtures("postgresql_only")
def test_a_rollback_still_undoes_what_the_transaction_wrote(app):
    factories.ProductFactory(name="Kept")
    with db.engine.connect() as connection:
        run_and_roll_back(connection, RUNS_BEFORE_PREPARED + 1)
        connection.execute(Product.__table__.update().values(name="Undone"))
        connection.rollback()
        assert connection.scalars(select(Product.name)).all() == ["Kept"]


@pytest.mark.usefixtures("postgresql_only")
def test_after_a_failed_statement_the_rollback_lets_the_connection_go_on(app):
    factories.ProductFactory(name="Kept")
    with db.engine.connect() as connection:
        run_and_roll_back(connection, RUNS_BEFORE_PREPARED + 1)
        with pytest.raises(DataError):
            connection.execute(select(1 / func.abs(0)))
        connection.rollback()
        assert connection.execute(PRODUCTS).scalars().all() == ["Kept"]
        assert len(prepared_product_statements(connection)) == 1
