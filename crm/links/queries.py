"""Reading one-time links: what the customer card says about the customer's login."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Customer, LinkPurpose, OneTimeLink, User


@dataclass(frozen=True)
class LoginState:
    """A customer's access to the personal account: their login, else the invitation that
    is still open, else neither."""

    login: User | None
    invitation: OneTimeLink | None = None


def login_state(session: Session, customer: Customer, *, at: datetime) -> LoginState:
    """The customer's login, or their invitation open `at` (sent, not used, not replaced,
    not expired)."""
    if customer.login is not None:
        return LoginState(customer.login)
    statement = (
        select(OneTimeLink)
        .where(
            OneTimeLink.purpose == LinkPurpose.INVITE,
            OneTimeLink.customer_id == customer.id,
            OneTimeLink.used_at.is_(None),
            OneTimeLink.voided_at.is_(None),
            OneTimeLink.expires_at > at,
        )
        .order_by(OneTimeLink.id.desc())
        .limit(1)
    )
    return LoginState(None, session.scalar(statement))
