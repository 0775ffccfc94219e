"""The app's own database engine is set up for SQLite, and pings only connections that sat
idle; nothing else in the process is set up."""

import pytest
from flask import request
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from crm.database import ping_when_idle
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


@pytest.fixture
def own_engine(app):
    """An engine of the test database's own, and the pings its pool makes."""
    engine = create_engine(db.engine.url)
    pings = []
    do_ping = engine.dialect.do_ping

    def counted_ping(dbapi_connection):
        pings.append(dbapi_connection)
        return do_ping(dbapi_connection)

    engine.dialect.do_ping = counted_ping
    yield engine, pings
    engine.dispose()


def test_a_connection_handed_back_a_moment_ago_is_handed_out_without_a_ping(own_engine):
    engine, pings = own_engine
    ping_when_idle(engine, idle_seconds=3600)
    for _ in range(3):
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT 1")) == 1
    assert pings == []


def test_a_connection_idle_for_longer_is_pinged_first(own_engine):
    engine, pings = own_engine
    ping_when_idle(engine, idle_seconds=0)
    with engine.connect() as connection:
        connection.scalar(text("SELECT 1"))
    assert pings == [], "a connection just opened needs no ping"
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT 1")) == 1
    assert len(pings) == 1


def test_an_idle_connection_the_server_closed_is_replaced_before_a_request_gets_it(own_engine):
    engine, _pings = own_engine
    if engine.dialect.name != "postgresql":
        pytest.skip("only a server can close a connection under the pool")
    ping_when_idle(engine, idle_seconds=0)
    with engine.connect() as connection:
        closed_pid = connection.scalar(text("SELECT pg_backend_pid()"))
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": closed_pid})
        gone = text("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = :pid)")
        while not other.scalar(gone, {"pid": closed_pid}):
            other.rollback()
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT pg_backend_pid()")) != closed_pid
