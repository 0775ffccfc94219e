"""One-time links e-mailed to people: confirming a registration, accepting an invitation,
resetting a password, confirming a new e-mail address (crm/links/).

The link carries a random token, signed with SECRET_KEY for its purpose; the row keeps only
the token's SHA-256, so a copy of the table opens nothing. A link works once, until it
expires, and only while it is the newest of its kind for its subject (a newer one, or a
change that makes it pointless such as a new password, voids it).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.models.base import Base
from crm.models.types import foreign_id

if TYPE_CHECKING:
    from crm.models.customer import Customer
    from crm.models.user import User


class LinkPurpose(enum.StrEnum):
    """What a link does; each signs its tokens apart, so one cannot stand for another."""

    REGISTER = "register"
    INVITE = "invite"
    RESET = "reset"
    EMAIL_CHANGE = "email_change"


class OneTimeLink(Base):
    __tablename__ = "one_time_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[LinkPurpose]
    #: SHA-256 (hex) of the random token the link carries; never the token itself.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The address the link was sent to: the one registering, the customer's, the login's,
    #: or the new address of an e-mail change.
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: The login a reset or an e-mail change is for.
    user_id: Mapped[int | None] = foreign_id("users", ondelete="CASCADE")
    #: The customer an invitation is for.
    customer_id: Mapped[int | None] = foreign_id("customers", ondelete="CASCADE")
    #: What the link completes: a registration's names, phone, password hash (never the
    #: password) and language; an e-mail change's previous address. Emptied once used.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    #: When the link did its work; it opens nothing after that.
    used_at: Mapped[datetime | None]
    #: When a newer link of its kind, or a change that made it pointless, voided it.
    voided_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    customer: Mapped[Customer | None] = relationship(foreign_keys=[customer_id])
