"""Log-in sessions: one row per log-in, so that every worker and host agrees on which
sessions are open and any of them can end one at once."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.models.base import Base
from crm.models.types import foreign_id

if TYPE_CHECKING:
    from crm.models.user import User


class SessionEnd(enum.StrEnum):
    """Why a session was ended before it expired."""

    LOG_OUT = "log_out"
    LOG_OUT_EVERYWHERE = "log_out_everywhere"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a reason, not a password)
    DEACTIVATED = "deactivated"
    ROLE_CHANGED = "role_changed"
    ENDED_BY_ADMIN = "ended_by_admin"


class UserSession(Base):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = foreign_id("users", ondelete="CASCADE")
    #: SHA-256 (hex) of the random token the browser's cookies carry; the token itself is
    #: never stored, so a copy of the table opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    #: The last request seen, written at most once a minute (crm.sessions.services.TOUCH_EVERY).
    last_seen_at: Mapped[datetime]
    #: The absolute end: 12 h after log-in, or the "remember me" duration (at most 30 days).
    expires_at: Mapped[datetime]
    #: "Remember me": the browser keeps the token in a cookie beyond its own session.
    remember: Mapped[bool] = mapped_column(default=False)
    #: The client's address as the server saw it (behind trusted proxies only: TRUSTED_PROXY_COUNT).
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    #: Set when the session was ended (log-out, a password change, an admin…); empty while open.
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[SessionEnd | None]
    #: Who ended it, when it was someone else than its owner (an admin).
    ended_by_id: Mapped[int | None] = foreign_id("users", ondelete="SET NULL")

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="sessions")
    #: Its user's open tasks due (crm.sessions.queries.TaskCount), read with the session by
    #: crm.sessions.queries.open_session for the navbar; never stored.
    tasks_due = None
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])
