"""Opening, keeping and ending log-in sessions.

A session's token is 32 random bytes that only the browser keeps (in the session cookie,
and in the "remember me" cookie when asked); the table keeps its hash. Ending a session on
the server ends it in every browser, worker and host at once.

What end_sessions and end_session end is also noted in the database session's `info`
(ENDED): crm.auth.login_sessions logs it as a security event once it is committed, and
forgets it if it is rolled back.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from crm.clock import as_utc, utc_now
from crm.models import SessionEnd, User, UserSession
from crm.sessions.queries import token_hash

#: Random bytes in a token.
TOKEN_BYTES = 32
#: How stale last_seen_at may get before a request writes it again: no write per request.
TOUCH_EVERY = timedelta(minutes=1)
#: The key in Session.info under which ended sessions wait to be logged.
ENDED = "crm.sessions_ended"
#: The longest columns the client's description fits.
MAX_ADDRESS, MAX_USER_AGENT = 45, 255


@dataclass(frozen=True)
class SessionsEnded:
    """Sessions of one user that one change ended, for the security log."""

    user_id: int
    email: str
    reason: SessionEnd
    count: int
    #: Who ended them; None for the system (a command).
    by_id: int | None


def start_session(
    session: Session,
    user: User,
    *,
    remember: bool,
    lifetime: timedelta,
    ip_address: str | None = None,
    user_agent: str | None = None,
) -> str:
    """Open a session for `user` that ends `lifetime` from now at the latest; returns its
    token, the only copy of it (the row keeps a hash)."""
    now = utc_now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        UserSession(
            user=user,
            token_hash=token_hash(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
            remember=remember,
            ip_address=(ip_address or "")[:MAX_ADDRESS] or None,
            user_agent=(user_agent or "")[:MAX_USER_AGENT] or None,
        )
    )
    session.flush()
    return token


def record_activity(session: Session, record: UserSession) -> bool:
    """Move the session's last_seen_at to now when it is older than TOUCH_EVERY; True if
    that wrote (the caller commits). Other requests write nothing: no write lock for them.
    The condition is also in the UPDATE, so that two requests at once write once."""
    now = utc_now()
    due = now - TOUCH_EVERY
    if as_utc(record.last_seen_at) >= due:
        return False
    result = session.execute(
        update(UserSession)
        .where(UserSession.id == record.id, UserSession.last_seen_at < due)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount > 0


def end_session(
    session: Session, record: UserSession, *, reason: SessionEnd, by: User | None
) -> bool:
    """End one session (False if it had already ended). `by` is who ended it: its owner,
    someone else (an admin), or None for the system."""
    if record.ended_at is not None:
        return False
    record.ended_at, record.end_reason, record.ended_by = utc_now(), reason, by
    session.flush()
    _note(session, record.user, reason, 1, by)
    return True


def end_sessions(
    session: Session,
    user: User,
    *,
    reason: SessionEnd,
    keep: UserSession | None = None,
    by: User | None = None,
) -> int:
    """End every session of `user` that has not ended or expired, except `keep` (the one a
    user changes their password from); returns how many. `by` as for end_session."""
    now = utc_now()
    statement = update(UserSession).where(
        UserSession.user_id == user.id,
        UserSession.ended_at.is_(None),
        UserSession.expires_at > now,
    )
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    result = session.execute(
        statement.values(
            ended_at=now, end_reason=reason, ended_by_id=None if by is None else by.id
        ).execution_options(synchronize_session="fetch")
    )
    if result.rowcount:
        _note(session, user, reason, result.rowcount, by)
    return result.rowcount


def _note(session: Session, user: User, reason: SessionEnd, count: int, by: User | None) -> None:
    ended = SessionsEnded(user.id, user.email, reason, count, None if by is None else by.id)
    session.info.setdefault(ENDED, []).append(ended)


def prune_sessions(session: Session, *, before: datetime) -> int:
    """Delete the sessions that ended or expired before `before`; returns how many. They
    open nothing any more, and their addresses and browsers need not be kept."""
    statement = delete(UserSession).where(
        or_(UserSession.ended_at < before, UserSession.expires_at < before)
    )
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount
