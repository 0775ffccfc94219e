"""The bulk writer: days converted once per call, and a larger SQLite page cache while
loading, then the one there was."""

from datetime import date

import pytest
from sqlalchemy import select

from crm.demo.bulk import BULK_CACHE_KIB, bulk_insert, bulk_page_cache, next_id
from crm.extensions import db
from crm.models import Customer
from tests.bulk import START


def test_each_row_keeps_its_own_day_when_days_repeat(app):
    days = [date(1990, 5, 1), date(1985, 12, 31), date(1990, 5, 1), None, date(1985, 12, 31)]
    first = next_id(db.session, Customer)
    rows = [
        {
            "id": first + n,
            "last_name": "Бондаренко",
            "first_name": "Ірина",
            "phone": f"+38067{n:07d}",
            "birth_date": day,
            "created_at": START,
            "search_text": "",
            "version": 1,
        }
        for n, day in enumerate(days)
    ]
    bulk_insert(db.session, Customer, rows)

    stored = db.session.scalars(select(Customer.birth_date).order_by(Customer.id)).all()
    assert stored == days


def test_the_page_cache_is_larger_while_loading_and_as_it_was_after(app):
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("only SQLite's page cache is set")

    def cache_size() -> int:
        return connection.exec_driver_sql("PRAGMA cache_size").scalar()

    before = cache_size()
    with bulk_page_cache(db.session):
        assert cache_size() == -BULK_CACHE_KIB
    assert cache_size() == before
