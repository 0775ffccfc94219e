"""Credit CRM: the application factory."""

from flask import Flask, has_request_context, request
from flask_babel import refresh as refresh_locale
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import DEV_SECRET_KEY, Config, config_from_env
from crm.extensions import babel, csrf, db, login_manager, migrate


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the CRM app; without an argument the class comes from CRM_CONFIG."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class or config_from_env())
    if not app.testing:
        app.config.from_pyfile("config.py", silent=True)
    refuse_default_secret(app)
    register_extensions(app)
    register_blueprints(app)
    register_admin(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def refuse_default_secret(app: Flask) -> None:
    if app.config.get("SESSION_COOKIE_SECURE") and app.config["SECRET_KEY"] in (
        DEV_SECRET_KEY,
        "",
        None,
    ):
        raise RuntimeError("Production needs a SECRET_KEY of its own: set the SECRET_KEY variable.")


def register_extensions(app: Flask) -> None:
    import crm.models  # noqa: F401  (every model must be mapped before the first query)
    from crm.i18n.locale import select_locale

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel caches the locale on `g`, which lives as long as the app context; a test
    # (or anything else) that keeps one app context across requests must not see the
    # previous request's language.
    app.before_request(refresh_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"


def register_blueprints(app: Flask) -> None:
    from crm.account import bp as account_bp
    from crm.auth import bp as auth_bp
    from crm.customers import bp as customers_bp
    from crm.dashboard import bp as dashboard_bp
    from crm.health import bp as health_bp
    from crm.language import bp as language_bp
    from crm.loans import bp as loans_bp
    from crm.products import bp as products_bp

    for blueprint in (
        auth_bp,
        health_bp,
        language_bp,
        dashboard_bp,
        customers_bp,
        loans_bp,
        products_bp,
        account_bp,
    ):
        app.register_blueprint(blueprint)


def register_admin(app: Flask) -> None:
    from crm.admin import init_admin

    init_admin(app)


def register_errorhandlers(app: Flask) -> None:
    from crm.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from crm import templating

    templating.register(app)


def register_commands(app: Flask) -> None:
    from crm.cli import register

    register(app)


#: Requests that may write; their transactions take the write lock when they begin.
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_sqlite3(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__ == "sqlite3"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys are off by default in SQLite, and WAL lets readers run beside a writer."""
    if not _is_sqlite3(dbapi_connection):
        return
    from crm.i18n.collation import sqlite_collation
    from crm.models.sorting import SQLITE_COLLATION

    # SQLite knows no Ukrainian alphabetical order: names sort with this one (ukrainian_order).
    dbapi_connection.create_collation(SQLITE_COLLATION, sqlite_collation)
    # The sqlite3 module would BEGIN only before the first write, too late to take the
    # write lock (and it breaks SAVEPOINTs); _sqlite_begin emits BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """Begin a request's transaction that may write with the write lock already held.

    A deferred transaction that reads and then writes cannot wait for the lock: when another
    writer committed in between, SQLite refuses it at once ("database is locked"), so of two
    managers posting payments on one loan, one would get an error. BEGIN IMMEDIATE makes the
    second writer wait (busy_timeout) and then read what the first one wrote. Page views
    only read and begin deferred, so they never wait for a writer. Outside requests (CLI,
    tests) transactions stay deferred: SQLite still never loses a write there, a clash
    fails instead of waiting.
    """
    dbapi_connection = connection.connection.dbapi_connection
    if not _is_sqlite3(dbapi_connection):
        return
    writes = has_request_context() and request.method in WRITING_METHODS
    # Straight to the driver, as psycopg begins implicitly: query counts match on both.
    dbapi_connection.execute("BEGIN IMMEDIATE" if writes else "BEGIN")
