"""Staff and customer logins."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from crm.models.base import Base
from crm.models.types import utcnow

if TYPE_CHECKING:
    from crm.models.customer import Customer


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

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __str__(self) -> str:
        return self.display_name
