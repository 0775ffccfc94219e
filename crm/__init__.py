"""Credit CRM: the application factory."""

import logging

from flask import Flask
from flask_babel import refresh as refresh_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_from_env
from crm.extensions import babel, csrf, db, limiter, login_manager
from crm.secret_key import configure_secret_key


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the CRM app; without an argument the class comes from CRM_CONFIG."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class or config_from_env())
    if not app.testing:
        app.config.from_pyfile("config.py", silent=True)
    configure_secret_key(app)
    register_proxies(app)
    register_logging(app)
    register_security_headers(app)
    register_extensions(app)
    register_blueprints(app)
    register_admin(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For and -Proto only from the TRUSTED_PROXY_COUNT proxies the
    deployer put in front: the client address (request.remote_addr) then is the one the
    nearest of them saw. Without proxies any client could write those headers, so they are
    ignored, and the address is the connection's."""
    count = app.config["TRUSTED_PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_logging(app: Flask) -> None:
    """The CRM's own loggers ("crm.*": security events, …) write INFO and above to standard
    error, where gunicorn's and the shell's output go, unless the deployer configured them."""
    logger = logging.getLogger("crm")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))


def register_security_headers(app: Flask) -> None:
    from crm.headers import register

    register(app)


def register_extensions(app: Flask) -> None:
    import crm.models  # noqa: F401  (every model must be mapped before the first query)
    from crm.i18n import texts
    from crm.i18n.locale import select_locale

    db.init_app(app)
    register_database(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    texts.register(app)
    # Flask-Babel caches the locale on `g`, which lives as long as the app context; a test
    # (or anything else) that keeps one app context across requests must not see the
    # previous request's language.
    app.before_request(refresh_locale)
    register_login(app)
    register_limiter(app)
    register_audit(app)
    register_mail(app)
    register_figures_cache(app)


def register_login(app: Flask) -> None:
    from crm.auth import login_sessions

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    login_sessions.register(app)


def register_limiter(app: Flask) -> None:
    """Rate-limit counters in Redis when REDIS_URL is set, else in this process's memory."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    # One Limiter serves every app the factory builds (the tests build many), and init_app
    # keeps its "store unreachable, counting in memory" state: each app starts trusting its own.
    limiter._storage_dead = False
    limiter.init_app(app)
    manager = limiter.limit_manager
    if not (manager.default_limits or manager.application_limits):
        # Every limit of the CRM sits on a view (crm/auth/limits.py), checked as that view
        # runs. Flask-Limiter also checks before every request, for default and application
        # limits (RATELIMIT_DEFAULT, RATELIMIT_APPLICATION): finding none took a tenth of
        # /healthz's instructions (docs/PERFORMANCE.md).
        app.before_request_funcs[None].remove(limiter._check_request_limit)


def register_audit(app: Flask) -> None:
    from crm import audit

    audit.register(app)


def register_mail(app: Flask) -> None:
    from crm import mail

    mail.register(app)


def register_figures_cache(app: Flask) -> None:
    from crm import figures_cache

    figures_cache.register(app)


def register_database(app: Flask) -> None:
    from crm.database import (
        configure_sqlite,
        ping_when_idle,
        reads_after_the_request,
        writes_from_the_start,
    )

    with app.app_context():
        configure_sqlite(db.engine)
        ping_when_idle(db.engine)
        if db.engine.dialect.driver == "psycopg":
            from crm.prepared_statements import keep_prepared_statements

            keep_prepared_statements(db.engine)
    app.before_request(writes_from_the_start)
    app.teardown_request(reads_after_the_request)


def register_blueprints(app: Flask) -> None:
    from crm.account import bp as account_bp
    from crm.auth import bp as auth_bp
    from crm.contacts import bp as contacts_bp
    from crm.customers import bp as customers_bp
    from crm.dashboard import bp as dashboard_bp
    from crm.health import bp as health_bp
    from crm.language import bp as language_bp
    from crm.loans import bp as loans_bp
    from crm.products import bp as products_bp
    from crm.reports import bp as reports_bp
    from crm.search import bp as search_bp
    from crm.second_factor import bp as second_factor_bp
    from crm.tasks import bp as tasks_bp

    for blueprint in (
        auth_bp,
        health_bp,
        language_bp,
        dashboard_bp,
        customers_bp,
        loans_bp,
        contacts_bp,
        products_bp,
        reports_bp,
        search_bp,
        tasks_bp,
        account_bp,
        second_factor_bp,
    ):
        app.register_blueprint(blueprint)


def register_admin(app: Flask) -> None:
    from crm.admin import init_admin

    init_admin(app)


def register_errorhandlers(app: Flask) -> None:
    from crm.auth import access
    from crm.errors import register

    register(app)
    access.register(app)


def register_template_helpers(app: Flask) -> None:
    from crm import templating

    templating.register(app)


def register_commands(app: Flask) -> None:
    from crm.cli import register

    register(app)
