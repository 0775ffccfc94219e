"""How a browser's cookies lead to a log-in session (crm.models.UserSession) and its user.

Flask-Login keeps the session's random token in the session cookie (and, with "remember
me", in its remember cookie): User.get_session_token is its id_attribute, so a cookie
never names a user, and a session ended on the server opens nothing however the cookie was
kept. Every request looks the token up before its view runs; once a minute it also notes
the request in last_seen_at, which the idle timeout reads.

"Strong" session protection compares a hash of the client's address and browser with the
one taken at log-in. Flask-Login's own hash reads X-Forwarded-For, which any client can
write; this one reads request.remote_addr, which comes from that header only behind the
TRUSTED_PROXY_COUNT proxies (crm/__init__.py).
"""

import hashlib
from datetime import timedelta

from flask import Flask, current_app, request, session
from flask_login import current_user, user_loaded_from_cookie
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from crm.auth.events import log_security_event, store_security_event
from crm.extensions import db, login_manager
from crm.models import User, UserSession
from crm.sessions.queries import IdleLimits, open_session
from crm.sessions.services import ENDED, record_activity

#: The longest "remember me" the CRM allows.
MAX_REMEMBER = timedelta(days=30)
#: Requests that need no user: static files, and the health check (which must answer 503,
#: not fail, while the database is down).
NO_USER_BLUEPRINTS = frozenset({"health"})


def register(app: Flask) -> None:
    if app.config["REMEMBER_COOKIE_DURATION"] > MAX_REMEMBER:
        raise RuntimeError("REMEMBER_COOKIE_DURATION may be at most 30 days.")
    login_manager.id_attribute = "get_session_token"
    login_manager._session_identifier_generator = client_fingerprint
    login_manager.user_loader(load_user)
    app.before_request(load_user_first)


def idle_limits() -> IdleLimits:
    config = current_app.config
    return IdleLimits(
        staff=config["STAFF_IDLE_TIMEOUT"],
        customer=config["CUSTOMER_IDLE_TIMEOUT"],
        remembered=config["REMEMBERED_IDLE_TIMEOUT"],
    )


def session_lifetime(remember: bool) -> timedelta:
    config = current_app.config
    return config["REMEMBER_COOKIE_DURATION"] if remember else config["SESSION_LIFETIME"]


def load_user(token: str) -> User | None:
    """The user of the open session behind `token`, with the session attached; else None."""
    record = open_session(db.session, token, idle=idle_limits())
    if record is None:
        return None
    _note_activity(record)
    user = record.user
    user.session_token, user.login_session = token, record
    return user


def current_login_session() -> UserSession | None:
    """The session the current request was made in (None when nobody is logged in)."""
    return getattr(current_user, "login_session", None)


def load_user_first() -> None:
    """Look the session up before the view runs, so that the once-a-minute write of
    last_seen_at is the first thing the request's transaction does and commits alone."""
    if request.endpoint != "static" and request.blueprint not in NO_USER_BLUEPRINTS:
        current_user._get_current_object()


def _note_activity(record: UserSession) -> None:
    try:
        if record_activity(db.session, record):
            db.session.commit()
    except OperationalError:
        # SQLite: a writer committed since this request began reading; the next request
        # notes the activity instead.
        db.session.rollback()


def client_fingerprint() -> str:
    """What "strong" session protection compares: the client's address and browser."""
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{request.remote_addr}|{agent}".encode()).hexdigest()


@user_loaded_from_cookie.connect
def _fingerprint_restored_session(_app, user=None) -> None:
    # Flask-Login leaves a session restored from the remember cookie without the fingerprint,
    # so under "strong" protection the next request would drop it: "remember me" would last
    # one request.
    session["_id"] = client_fingerprint()


def _ended_by_someone_else(db_session: Session) -> list[tuple[str, dict]]:
    """The sessions a change ended for someone else than their owner (an admin, a command),
    as security events; a user's own log-outs and password changes are recorded by the
    views as log_out, sessions_ended_everywhere and password_changed."""
    return [
        (
            "session_ended",
            {
                "user_id": ended.user_id,
                "email": ended.email,
                "reason": ended.reason.value,
                "sessions": ended.count,
                "by": ended.by_id if ended.by_id is not None else "system",
            },
        )
        for ended in db_session.info.get(ENDED, [])
        if ended.by_id != ended.user_id
    ]


@event.listens_for(Session, "before_commit")
def _store_ended_sessions(db_session: Session) -> None:
    # In the transaction that ends them: stored exactly when the sessions end.
    for action, facts in _ended_by_someone_else(db_session):
        store_security_event(db_session, action, facts)


@event.listens_for(Session, "after_commit")
def _log_ended_sessions(db_session: Session) -> None:
    for action, facts in _ended_by_someone_else(db_session):
        log_security_event(action, facts)
    db_session.info.pop(ENDED, None)


@event.listens_for(Session, "after_rollback")
def _forget_ended_sessions(db_session: Session) -> None:
    db_session.info.pop(ENDED, None)
