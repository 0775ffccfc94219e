"""Staff and customer logins."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from crm.models.base import Base
from crm.models.types import utcnow

if TYPE_CHECKING:
    from crm.models.customer import Customer
    from crm.models.second_factor import SecondFactor
    from crm.models.user_session import UserSession

#: scrypt with OWASP's parameters: N = 2^17, r = 8, p = 1, so 128 MiB and about half a second
#: of one core per hash (each gunicorn thread checking a password holds that much memory).
#: The PASSWORD_HASH_METHOD setting overrides it (the tests use a cheaper one).
PASSWORD_HASH_METHOD = "scrypt:131072:8:1"  # noqa: S105 (a method, not a password)


def password_hash_method() -> str:
    """How new password hashes are made: the app's PASSWORD_HASH_METHOD, else OWASP's scrypt."""
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", PASSWORD_HASH_METHOD)
    return PASSWORD_HASH_METHOD


class Role(enum.StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    CUSTOMER = "customer"


#: Roles that work on the staff site.
STAFF_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
#: The longest full name the column holds.
MAX_FULL_NAME = 200


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case, so that log-in and uniqueness ignore case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(MAX_FULL_NAME), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(index=True)
    active: Mapped[bool] = mapped_column(default=True)
    #: The customer record a customer login belongs to; empty for staff.
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Interface language the user chose ("uk", "en"); empty means the browser decides.
    locale: Mapped[str | None] = mapped_column(String(8))
    #: Bumped on every update; a stale edit fails instead of overwriting someone else's.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    customer: Mapped[Customer | None] = relationship(
        foreign_keys=[customer_id], back_populates="login"
    )
    #: Every log-in's session; deleted with the login (by the database when not loaded).
    sessions: Mapped[list[UserSession]] = relationship(
        foreign_keys="UserSession.user_id",
        back_populates="user",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    #: The token of the log-in session this object was loaded for, and that session's row:
    #: set per request by crm.auth.login_sessions, never stored with the user.
    session_token = None
    login_session = None

    #: The authenticator app, when the user set one up. The logged-in user's is loaded with
    #: their log-in session (crm.sessions.queries), since every staff page asks whether there
    #: is one; other users' only when asked for: joined to every user a page shows (a
    #: customer's manager, who decided a loan), it cost the ORM a loader each.
    second_factor: Mapped[SecondFactor | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @hybrid_property
    def display_name(self) -> str:
        """The full name, or the e-mail for a login without one."""
        return self.full_name or self.email

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        return case((cls.full_name != "", cls.full_name), else_=cls.email)

    def get_session_token(self) -> str | None:
        """What Flask-Login keeps in the cookies (its id_attribute): the session's random
        token, never the user's id, so that ending the session on the server ends it."""
        return self.session_token

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def password_needs_rehash(self) -> bool:
        """True when the hash was made by another method or with other parameters than today's."""
        return not self.password_hash.startswith(f"{password_hash_method()}$")

    def __str__(self) -> str:
        return self.display_name
