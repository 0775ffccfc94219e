"""How a search's condition reads in each database's SQL (crm.models.search_term.looked_up_in):
PostgreSQL gets `= ANY(ARRAY(…))`, which it answers by looking the ids up, SQLite a plain IN,
and neither an `= 1` that no index answers; the words of a search are one lookup."""

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from crm.customers.queries import search_customers
from crm.loans.queries.loans import loans_found
from crm.models import Loan
from tests import factories

DIALECTS = {"postgresql": postgresql.dialect(), "sqlite": sqlite.dialect()}


def sql(statement, dialect: str) -> str:
    return " ".join(str(statement.compile(dialect=DIALECTS[dialect])).split())


def test_postgresql_looks_the_customers_found_up():
    statement = sql(search_customers("Гребенюк"), "postgresql")

    assert "WHERE customers.id = ANY(ARRAY(SELECT customer_search_terms.customer_id" in statement


def test_sqlite_gets_a_plain_in():
    statement = sql(search_customers("Гребенюк"), "sqlite")

    assert "WHERE customers.id IN (SELECT customer_search_terms.customer_id" in statement
    assert "= 1" not in statement


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_the_words_of_a_search_are_one_lookup(dialect):
    statement = sql(search_customers("Богдана Дорошенко"), dialect)
    lookup = "customers.id = ANY(" if dialect == "postgresql" else "customers.id IN ("

    assert statement.count(lookup) == 1
    assert "INTERSECT" in statement


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_the_loans_of_the_customers_found_are_looked_up_too(dialect):
    statement = sql(select(Loan.id).where(loans_found("Дорошенко")), dialect)

    looked_up = "= ANY(ARRAY(SELECT" if dialect == "postgresql" else "IN (SELECT"
    assert f"loans.customer_id {looked_up} customer_search_terms.customer_id" in statement
    # The customers' ids come from their search terms: the customers are not read for them.
    assert "FROM customers" not in statement


def test_a_search_of_two_words_finds_the_customers_both_find(app):
    both = factories.CustomerFactory(first_name="Богдана", last_name="Дорошенко")
    factories.CustomerFactory(first_name="Богдана", last_name="Коваль")
    factories.CustomerFactory(first_name="Олена", last_name="Дорошенко")

    found = app.extensions["sqlalchemy"].session.scalars(search_customers("дорош богд")).all()

    assert found == [both]
