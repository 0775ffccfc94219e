"""Nobody rewrites the trail: the database itself refuses to change or remove an event
(tests/test_migrations.py checks that the migrations build the same guard)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from crm.extensions import db
from crm.models.audit import APPEND_ONLY_MESSAGE
from tests import factories

REWRITES = [
    "UPDATE audit_events SET actor = 'someone else'",
    "DELETE FROM audit_events",
]


def an_event_exists() -> None:
    factories.CustomerFactory()
    assert db.session.scalar(text("SELECT count(*) FROM audit_events")) >= 1


def assert_refused(statement: str) -> None:
    with (
        pytest.raises(DatabaseError, match=APPEND_ONLY_MESSAGE),
        db.engine.begin() as connection,
    ):
        connection.execute(text(statement))


@pytest.mark.parametrize("statement", REWRITES)
def test_the_database_refuses_to_rewrite_an_event(app, statement):
    an_event_exists()
    db.session.commit()
    before = db.session.scalar(text("SELECT count(*) FROM audit_events"))

    assert_refused(statement)

    assert db.session.scalar(text("SELECT count(*) FROM audit_events")) == before


def test_postgresql_refuses_to_truncate_the_trail(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has only DELETE")
    an_event_exists()
    db.session.commit()

    assert_refused("TRUNCATE audit_events")
