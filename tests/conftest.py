"""Fixtures shared by the whole suite.

The suite runs on a temporary SQLite file by default and on PostgreSQL when
TEST_DATABASE_URL is set. The schema is created once per session; every test starts
from empty tables.
"""

import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import redis
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import Table, event, literal, select, text, union_all

from config import TestingConfig
from crm import create_app
from crm.extensions import db
from crm.models import Product, Role, User
from crm.models.audit import APPEND_ONLY
from tests import factories
from tests.factories import PASSWORD

#: The Redis the tests that need one use (.ci/run starts it), and one nothing answers on.
REDIS_URL = "redis://127.0.0.1:6379/15"
#: Nothing listens on port 1: connections are refused at once, as with a Redis that is down.
REDIS_DOWN_URL = "redis://127.0.0.1:1/15"

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page (attribute order varies between libraries)."""
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


class RollbackClient(FlaskClient):
    """A test client that throws away whatever a request left uncommitted, and lets each
    request find its user from its own cookies.

    The test and the request share the app context, and so the session: without this,
    a view that forgot to commit would look as if it had saved its changes. They share `g`
    as well, where Flask-Login keeps the user it loaded: without this, a request would be
    served as whoever the previous one (of any client) was, and a replayed or ended
    session would look refused or accepted for that reason alone.
    """

    def open(self, *args, **kwargs):
        # Flask-Login keeps the request's user on `g`, which lives as long as the shared app
        # context: each request must find its own user from its own cookies, as on a server.
        if has_app_context():
            g.pop("_login_user", None)
        response = super().open(*args, **kwargs)
        db.session.rollback()
        return response


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    )


@pytest.fixture(scope="session")
def config_class(database_url) -> type[TestingConfig]:
    return type("SuiteConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})


@pytest.fixture(scope="session")
def _schema(config_class) -> Iterator[None]:
    app = create_app(config_class)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def empty_all_tables() -> None:
    """Start the next test from empty tables; the audit trail's guard, which refuses exactly
    that, is taken down for the moment and put back in the same transaction."""
    create_guard, drop_guard = APPEND_ONLY[db.engine.dialect.name]
    for statement in drop_guard:
        db.session.execute(text(statement))
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        empty_postgresql_tables(tables)
    else:
        # users and customers reference each other; SQLite checks keys per statement.
        db.session.execute(text("PRAGMA defer_foreign_keys=ON"))
        for table in tables:
            db.session.execute(table.delete())
    for statement in create_guard:
        db.session.execute(text(statement))
    db.session.commit()


def empty_postgresql_tables(tables: list[Table]) -> None:
    """Empty the tables a test filled, children first, and start every id at 1 again.

    TRUNCATE gives every table and index new files: 0.2 s a test, where most tests fill a few
    tables, which DELETE empties in a few milliseconds.
    """
    probes = union_all(
        *(select(literal(table.name)).where(select(table).exists()) for table in tables)
    )
    filled = set(db.session.scalars(probes))
    filled_tables = [table for table in tables if table.name in filled]
    # users and customers reference each other: the key added after both (use_alter) is
    # cleared first, as nothing else orders those two deletes.
    for table in filled_tables:
        for key in table.foreign_keys:
            if key.use_alter:
                db.session.execute(table.update().values({key.parent.name: None}))
    for table in filled_tables:
        db.session.execute(table.delete())
    db.session.execute(
        text(
            "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false) "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        )
    )


@pytest.fixture
def app(config_class, _schema) -> Iterator[Flask]:
    app = create_app(config_class)
    app.test_client_class = RollbackClient
    with app.app_context():
        yield app
        db.session.rollback()
        empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def build_app(config_class) -> Iterator[Callable[..., Flask]]:
    """`build_app(**settings)`: another app on the suite's database with `settings` on top of
    its configuration, as another deployment, worker or host builds it; its connections are
    closed after the test.

    An app left to the garbage collector leaves its pooled connections open: psycopg then
    warns in whichever later test the collector happens to run, and the suite fails there.
    """
    built: list[Flask] = []

    def build(**settings) -> Flask:
        other = create_app(type("BuiltConfig", (config_class,), settings))
        other.test_client_class = RollbackClient
        built.append(other)
        return other

    yield build
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def product(app) -> Product:
    """An annuity product at 12 % a year, lending 1 000 to 200 000 for 1 to 36 months."""
    return factories.ProductFactory(
        annual_rate=Decimal("12"),
        min_amount=Decimal("1000"),
        max_amount=Decimal("200000"),
        min_term=1,
        max_term=36,
    )


@pytest.fixture
def admin_user(app) -> User:
    return factories.UserFactory(role=Role.ADMIN, full_name="Olena Admin")


@pytest.fixture
def manager(app) -> User:
    return factories.UserFactory(role=Role.MANAGER, full_name="Petro Manager")


@pytest.fixture
def customer_user(app) -> User:
    return factories.UserFactory(role=Role.CUSTOMER, customer=factories.CustomerFactory())


@pytest.fixture
def login(client) -> Callable:
    """Log in through the real form; returns the response."""

    def _login(user: User, password: str = PASSWORD):
        response = client.post("/auth/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, "log-in failed"
        return response

    return _login


@pytest.fixture
def reauthenticate(client) -> Callable:
    """Confirm the logged-in user's password (and `code=`, when they have a second factor)
    through the real form, as before a sensitive change (crm/auth/reauth.py)."""

    def _reauthenticate(password: str = PASSWORD, **data: str):
        response = client.post("/auth/confirm", data={"password": password, **data})
        assert response.status_code == 302, "re-authentication failed"
        return response

    return _reauthenticate


@pytest.fixture
def logged_in(app) -> Callable[..., FlaskClient]:
    """`logged_in(user, remember=False)`: a client of its own (another browser, with its own
    cookies) logged in as `user` through the real form. Keyword arguments go into the
    requests' WSGI environment (REMOTE_ADDR=…)."""

    def _browser(user: User, *, remember: bool = False, **environ: str) -> FlaskClient:
        client = app.test_client()
        client.environ_base.update(environ)
        form = {"email": user.email, "password": PASSWORD}
        if remember:
            form["remember"] = "y"
        assert client.post("/auth/login", data=form).status_code == 302, "log-in failed"
        return client

    return _browser


@pytest.fixture
def staff_client(client, login, manager) -> FlaskClient:
    """A client logged in as a manager."""
    login(manager)
    return client


@pytest.fixture
def admin_client(client, login, admin_user) -> FlaskClient:
    """A client logged in as an admin."""
    login(admin_user)
    return client


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def counting(self) -> list[str]:
        """The statements that count rows (a pager's total, say), apart from the log-in
        session's read: it counts the user's tasks due for the navbar, on an index."""
        return [
            statement
            for statement in self.statements
            if "count(" in statement.lower() and "FROM user_sessions" not in statement
        ]


@pytest.fixture
def count_queries(app) -> Callable:
    """`with count_queries() as log: client.get(...)`, then `log.count`."""

    @contextmanager
    def _count() -> Iterator[QueryLog]:
        log = QueryLog()

        def record(_conn, _cursor, statement, *_args):
            log.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield log
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return _count


class HandClock:
    """A clock that tests move by hand; the app reads it through its CLOCK setting."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move on by a timedelta's arguments: advance(minutes=31)."""
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app) -> HandClock:
    """What the app takes for now (crm.clock.utc_now): time passes only when a test says so."""
    clock = HandClock(datetime.now(UTC).replace(microsecond=0))
    app.config["CLOCK"] = clock
    return clock


@pytest.fixture
def security_log(caplog) -> Callable[..., list[dict]]:
    """`security_log("log_in")`: the security events logged so far (all of them without a
    name), each as the dict its JSON line holds."""
    caplog.set_level(logging.INFO, logger="crm.security")

    def _events(name: str | None = None) -> list[dict]:
        lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "crm.security"]
        return [line for line in lines if name is None or line["event"] == name]

    return _events


@pytest.fixture(scope="session")
def redis_store() -> Iterator[redis.Redis]:
    """A connection to REDIS_URL; the test is skipped without a Redis, and fails on CI."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Redis answers on 127.0.0.1:6379 (.ci/run starts one)")
        pytest.skip("no Redis on 127.0.0.1:6379 (redis-server, or run .ci/run)")
    yield connection
    connection.close()
