"""Configuration classes; every value that differs per deployment comes from the environment."""

import os
import secrets
from datetime import timedelta

from limits import parse_many


def _count_from_env(name: str) -> int:
    """A whole number ≥ 0 from the environment (0 when unset); anything else stops the start."""
    value = os.environ.get(name, "").strip() or "0"
    if not (value.isascii() and value.isdigit()):
        raise RuntimeError(f"{name}={value!r} is not a whole number (0, 1, 2, …)")
    return int(value)


def _limit_from_env(name: str, default: str) -> str:
    """A rate limit in Flask-Limiter's notation ("10 per 15 minutes") from the environment, else
    `default`; a value it cannot read stops the start rather than the first try it would count."""
    value = os.environ.get(name, "").strip() or default
    try:
        parse_many(value)
    except ValueError:
        raise RuntimeError(
            f"{name}={value!r} is not a rate limit such as '10 per 15 minutes'"
        ) from None
    return value


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment: 1, true, yes and on are yes; 0, false, no, off no."""
    value = os.environ.get(name, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return default


class Config:
    #: Signs the session and "remember me" cookies and the CSRF tokens. Unset in development,
    #: a random key is made on the first start and kept in SECRET_KEY_FILE; production refuses
    #: to start without a strong key of its own (crm/secret_key.py).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    #: Where development keeps the key it made (relative: inside instance/, which git ignores).
    SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)
    #: Production sets it: no start without a strong SECRET_KEY that appears nowhere in the code.
    REQUIRE_SECRET_KEY = False
    #: How many reverse proxies in front of the app set X-Forwarded-For and -Proto. 0 (the
    #: default): none, and those headers are ignored, since any client can send them.
    TRUSTED_PROXY_COUNT = _count_from_env("TRUSTED_PROXY_COUNT")
    #: A relative SQLite path is resolved inside instance/ by Flask-SQLAlchemy.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///crm.sqlite3")
    #: Requests larger than this get 413 before any view runs: the admin's import takes
    #: files up to this size. (Form fields other than files are held to Flask's
    #: MAX_FORM_MEMORY_SIZE, 500 kB, whatever this says.)
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    #: The most rows the admin's import takes in one file; larger files go through the
    #: command line (`flask --app wsgi import …`), which takes any size.
    IMPORT_MAX_ROWS = 5000
    PER_PAGE = 25
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: Log-in sessions (crm/sessions/): a session ends after this long without a request…
    STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
    CUSTOMER_IDLE_TIMEOUT = timedelta(minutes=15)
    #: …and this long after the log-in in any case.
    SESSION_LIFETIME = timedelta(hours=12)
    #: "Remember me": the session outlives the browser's and the limits above, up to this long
    #: (at most 30 days, crm/auth/login_sessions.py checks), and this long without a request.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBERED_IDLE_TIMEOUT = timedelta(days=7)
    #: A function returning the current time (aware UTC) instead of the system clock: tests
    #: move it by hand (crm.clock.utc_now).
    CLOCK = None
    #: The interface languages. A request gets the user's saved choice, else this browser's,
    #: else the best match in Accept-Language, else the first one here.
    LANGUAGES = ["uk", "en"]
    #: The source language of the texts; commands speak it unless LANG asks for another.
    BABEL_DEFAULT_LOCALE = "en"
    #: The language of commands' messages; None: the shell's locale (LANG) decides.
    COMMAND_LANGUAGE: str | None = None
    BABEL_DEFAULT_TIMEZONE = "Europe/Kyiv"
    PHONE_REGION = "UA"

    #: Rate-limit counters (crm/auth/limits.py) live here, shared by every worker and host;
    #: unset, each process counts in its own memory.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    #: Seconds the dashboard's figures may lag behind the data on a busy day (crm/figures_cache.py):
    #: while nothing changes they are served as computed; after a change, recomputed at most
    #: this often. 0: recomputed after every change.
    FIGURES_MAX_AGE = int(os.environ.get("FIGURES_MAX_AGE", "60"))
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    #: Redis down: each process counts in memory until it answers again (no 500, and still a
    #: limit, per process); a Redis that hangs is given up on after half a second.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    #: Tries of a secret (log-in; registration and password reset use the same), in
    #: Flask-Limiter's notation, from the environment if it sets them. Every try counts,
    #: right or wrong.
    GUESS_LIMIT_PER_ACCOUNT = _limit_from_env("GUESS_LIMIT_PER_ACCOUNT", "10 per 15 minutes")
    GUESS_LIMIT_PER_ADDRESS = _limit_from_env("GUESS_LIMIT_PER_ADDRESS", "50 per 15 minutes")
    #: Six-digit codes (the second factor, re-authentication) get fewer tries per account.
    CODE_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    #: Forms that e-mail a link to the address typed (registration, password reset): every
    #: try sends a message, so an address gets few of them, and a client few in all.
    LINK_REQUEST_LIMIT_PER_ACCOUNT = "5 per hour"
    LINK_REQUEST_LIMIT_PER_ADDRESS = "20 per hour"
    #: How long each kind of one-time link works after it is sent (crm/links/).
    REGISTRATION_LINK_LIFETIME = timedelta(hours=24)
    INVITATION_LINK_LIFETIME = timedelta(hours=72)
    RESET_LINK_LIFETIME = timedelta(hours=1)
    EMAIL_CHANGE_LINK_LIFETIME = timedelta(hours=24)
    #: Staff must set up a second factor (TOTP) before they can work; off, they may.
    STAFF_TOTP_REQUIRED = env_flag("STAFF_TOTP_REQUIRED", False)
    #: Seconds between the password and the code of a log-in, and how long a confirmation of
    #: the password (and code) allows sensitive changes (crm/auth/reauth.py).
    SECOND_STEP_MAX_AGE = 300
    REAUTH_MAX_AGE = 300

    #: The public address of the CRM, which links in e-mails start with (crm/mail/).
    #: Production refuses to start without one; development links to `make run`.
    CRM_BASE_URL = os.environ.get("CRM_BASE_URL", "").strip() or "http://127.0.0.1:5000"
    #: Outgoing mail (crm/mail/). Without MAIL_SERVER, messages are written to the log
    #: (logger crm.mail) instead of sent, and admins read them in the admin's outbox.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "").strip() or None
    MAIL_PORT = _count_from_env("MAIL_PORT") or 25
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    #: STARTTLS after connecting. (No client certificate: Flask-Mailman 1.1 mishandles one.)
    MAIL_USE_TLS = env_flag("MAIL_USE_TLS", False)
    #: The From of every message, "Credit CRM <noreply@example.com>"; required with MAIL_SERVER.
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "").strip() or None
    #: Seconds the SMTP server may take to answer each step; a request that queued mail waits
    #: for its delivery right after its commit, so keep it short.
    MAIL_TIMEOUT = 10
    #: Tries of one message before it is given up (failed); they wait 1, 2, 4, … minutes
    #: apart, at most an hour (crm/mail/delivery.py).
    MAIL_MAX_ATTEMPTS = 10
    #: How long a deliverer keeps the messages it claimed before another may take them: longer
    #: than a round of MAIL_BATCH messages can take (each SMTP step up to MAIL_TIMEOUT).
    MAIL_CLAIM_LEASE = timedelta(minutes=15)
    MAIL_BATCH = 10


class DevelopmentConfig(Config):
    DEBUG = False


class ProductionConfig(Config):
    REQUIRE_SECRET_KEY = True
    #: No default: links in e-mails must lead to the deployment's own address.
    CRM_BASE_URL = os.environ.get("CRM_BASE_URL", "").strip() or None
    SESSION_COOKIE_SECURE = True
    STAFF_TOTP_REQUIRED = env_flag("STAFF_TOTP_REQUIRED", True)
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    #: Browsers that once reached the CRM over HTTPS refuse plain HTTP for two years.
    STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


class TestingConfig(Config):
    TESTING = True
    #: Random per run: no key written in the code opens anything, even under this class.
    SECRET_KEY = secrets.token_urlsafe(32)
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    #: Tests read the English source texts unless they ask for Ukrainian (tests/i18n does),
    #: whatever the language of the browser or shell running them.
    LANGUAGES = ["en", "uk"]
    COMMAND_LANGUAGE = "en"
    #: Rate limits count in memory, fresh for each app, unless a test asks for Redis.
    REDIS_URL = None
    #: Figures are fresh after every change unless a test asks for the lag.
    FIGURES_MAX_AGE = 0
    STAFF_TOTP_REQUIRED = False
    #: Cheaper than production's scrypt (crm/models/user.py), so that hundreds of log-ins stay
    #: fast; TEST_PASSWORD_HASH_METHOD=scrypt:131072:8:1 runs the suite with production's.
    PASSWORD_HASH_METHOD = os.environ.get("TEST_PASSWORD_HASH_METHOD", "scrypt:16384:8:1")
    #: Messages are logged unless a test points the app at an SMTP server (tests/mail/).
    MAIL_SERVER = None
    MAIL_DEFAULT_SENDER = None
    CRM_BASE_URL = "http://localhost"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_from_env() -> type[Config]:
    """The class named by CRM_CONFIG (development by default); an unknown name is an error."""
    name = os.environ.get("CRM_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"CRM_CONFIG={name!r} is not one of {', '.join(CONFIGS)}") from None
