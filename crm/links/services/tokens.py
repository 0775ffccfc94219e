"""Making, opening, using and voiding one-time links.

A link's token is 32 random bytes (secrets.token_urlsafe), signed with SECRET_KEY under a
salt of the link's purpose (itsdangerous, HMAC-SHA256): a token someone altered, or one made
for another purpose, is refused before the database is asked. The row keeps the token's
SHA-256 only (crm.sessions.queries.token_hash, as log-in sessions do).

A new link voids the open ones of its purpose and subject (the address registering, the
customer invited, the login resetting or changing its address), in the same transaction:
only the newest link of each works.
"""

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, Signer
from sqlalchemy import ColumnElement, delete, null, or_, select, update
from sqlalchemy.orm import Session

from crm.clock import as_utc, utc_now
from crm.models import Customer, LinkPurpose, OneTimeLink, User
from crm.sessions.queries import token_hash

#: Random bytes in a token.
TOKEN_BYTES = 32
#: The setting that says how long each kind of link works (config.py).
LIFETIMES = {
    LinkPurpose.REGISTER: "REGISTRATION_LINK_LIFETIME",
    LinkPurpose.INVITE: "INVITATION_LINK_LIFETIME",
    LinkPurpose.RESET: "RESET_LINK_LIFETIME",
    LinkPurpose.EMAIL_CHANGE: "EMAIL_CHANGE_LINK_LIFETIME",
}


class LinkProblem(enum.StrEnum):
    """Why a link opens nothing."""

    #: Not signed by us for this purpose, or no such link: it never existed.
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    #: A newer link of its kind, or a change that made it pointless, replaced it.
    VOID = "void"


@dataclass(frozen=True)
class OpenedLink:
    """The link a token opens, or why it opens none (the link, when there is one)."""

    link: OneTimeLink | None
    problem: LinkProblem | None = None


def lifetime(purpose: LinkPurpose) -> timedelta:
    """How long a link of `purpose` works after it is made (the app's setting)."""
    return current_app.config[LIFETIMES[purpose]]


def _signer(purpose: LinkPurpose) -> Signer:
    return Signer(
        current_app.secret_key,
        salt=f"crm.one-time-link.{purpose.value}",
        digest_method=hashlib.sha256,
    )


def issue_link(
    session: Session,
    purpose: LinkPurpose,
    *,
    email: str,
    user: User | None = None,
    customer: Customer | None = None,
    payload: dict[str, Any] | None = None,
) -> str:
    """Void the open links of `purpose` for the same subject, add a new one sent to `email`
    (for `user` or `customer`, completing `payload`), and return its signed token: the only
    copy, for the link's address."""
    now = utc_now()
    void_links(session, purpose, user=user, customer=customer, email=email)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        OneTimeLink(
            purpose=purpose,
            token_hash=token_hash(token),
            email=email,
            user=user,
            customer=customer,
            payload=payload,
            created_at=now,
            expires_at=now + lifetime(purpose),
        )
    )
    session.flush()
    return _signer(purpose).sign(token).decode()


def open_link(
    session: Session, purpose: LinkPurpose, signed: str, *, lock: bool = False
) -> OpenedLink:
    """The link of `purpose` that the signed token `signed` (from the link's address) opens,
    or the problem: invalid (altered, another purpose's, unknown), used, void or expired.
    `lock`: hold the row until the transaction ends (a request about to use the link), so
    that of two requests using one link at once the second finds it used."""
    try:
        token = _signer(purpose).unsign(signed).decode()
    except (BadSignature, UnicodeError):
        return OpenedLink(None, LinkProblem.INVALID)
    statement = select(OneTimeLink).where(
        OneTimeLink.token_hash == token_hash(token), OneTimeLink.purpose == purpose
    )
    if lock:
        statement = statement.with_for_update()
    link = session.scalar(statement.execution_options(populate_existing=True))
    if link is None:
        return OpenedLink(None, LinkProblem.INVALID)
    if link.used_at is not None:
        return OpenedLink(link, LinkProblem.USED)
    if link.voided_at is not None:
        return OpenedLink(link, LinkProblem.VOID)
    if as_utc(link.expires_at) <= utc_now():
        return OpenedLink(link, LinkProblem.EXPIRED)
    return OpenedLink(link)


def use_link(session: Session, link: OneTimeLink) -> None:
    """Mark the link used: it opens nothing again. What it carried (a password hash) goes."""
    link.used_at = utc_now()
    link.payload = None
    session.flush()


def void_links(
    session: Session,
    purpose: LinkPurpose,
    *,
    user: User | None = None,
    customer: Customer | None = None,
    email: str | None = None,
) -> int:
    """Void the open links of `purpose` for one subject: the login `user` (resets, e-mail
    changes), else the `customer` (invitations), else the address `email` (registrations).
    Returns how many."""
    result = session.execute(
        update(OneTimeLink)
        .where(
            OneTimeLink.purpose == purpose,
            OneTimeLink.used_at.is_(None),
            OneTimeLink.voided_at.is_(None),
            _subject(user, customer, email),
        )
        .values(voided_at=utc_now(), payload=null())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def _subject(user: User | None, customer: Customer | None, email: str | None) -> ColumnElement:
    if user is not None:
        return OneTimeLink.user_id == user.id
    if customer is not None:
        return OneTimeLink.customer_id == customer.id
    if email is None:
        raise ValueError("a link is for a login, a customer or an address")
    return OneTimeLink.email == email


def prune_links(session: Session, *, before: datetime) -> int:
    """Delete the links used, voided or expired before `before`; returns how many. With
    them go the details (and password hashes) of registrations that were never confirmed."""
    statement = delete(OneTimeLink).where(
        or_(
            OneTimeLink.used_at < before,
            OneTimeLink.voided_at < before,
            OneTimeLink.expires_at < before,
        )
    )
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount
