"""The app's own database engine is set up for SQLite; nothing else in the process is."""

import pytest
from flask import request
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from crm.extensions import db


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite set-up applies to SQLite only")


@pytest.mark.usefixtures("sqlite_only")
def test_the_apps_connections_check_foreign_keys_and_use_wal(app):
    with db.engine.connect() as connection:
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"


def test_an_engine_the_app_did_not_build_is_left_as_it_is(app, tmp_path):
    other = create_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        with other.connect() as connection:
            assert connection.scalar(text("PRAGMA foreign_keys")) == 0
            assert connection.scalar(text("PRAGMA journal_mode")) == "delete"
    finally:
        other.dispose()


@pytest.mark.usefixtures("sqlite_only")
def test_a_writing_request_holds_the_write_lock_from_its_first_read(app, client):
    """While a POST is handled, a second connection cannot start writing; a GET only reads,
    so it never keeps a writer waiting."""
    other_could_write = {}

    @app.route("/_probe_lock", methods=["GET", "POST"])
    def probe():
        db.session.execute(text("SELECT 1"))
        other = create_engine(db.engine.url, connect_args={"timeout": 0})
        try:
            with other.connect() as connection:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                connection.exec_driver_sql("ROLLBACK")
            other_could_write[request.method] = True
        except OperationalError as error:
            other_could_write[request.method] = "locked" not in str(error)
        finally:
            other.dispose()
        return ""

    assert client.post("/_probe_lock").status_code == 200
    assert client.get("/_probe_lock").status_code == 200
    assert other_could_write == {"POST": False, "GET": True}
