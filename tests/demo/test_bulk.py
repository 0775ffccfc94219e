"""The bulk writer's settings for a load: a larger SQLite page cache, then the one there was."""

import pytest

from crm.demo.bulk import BULK_CACHE_KIB, bulk_page_cache
from crm.extensions import db


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
