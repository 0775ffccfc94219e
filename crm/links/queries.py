"""Reading one-time links: what the customer card says about the customer's login."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, select

from crm.models import Customer, LinkPurpose, OneTimeLink, User


@dataclass(frozen=True)
class LoginState:
    """A customer's access to the personal account: their login, else the invitation that
    is still open, else neither."""

    login: User | None
    invitation: OneTimeLink | None = None


def login_state(customer: Customer, invitation: OneTimeLink | None) -> LoginState:
    """The customer's login, else their `invitation` (open_invitation's)."""
    if customer.login is not None:
        return LoginState(customer.login)
    return LoginState(None, invitation)


def open_invitation(
    customer_id: int | ColumnElement[int], *, at: datetime | ColumnElement[datetime]
) -> ScalarSelect[int]:
    """The id of the customer's newest invitation open `at` (sent, not used, not replaced,
    not expired), as a subquery; NULL when there is none. Values or bind parameters."""
    return (
        select(OneTimeLink.id)
        .where(
            OneTimeLink.purpose == LinkPurpose.INVITE,
            OneTimeLink.customer_id == customer_id,
            OneTimeLink.used_at.is_(None),
            OneTimeLink.voided_at.is_(None),
            OneTimeLink.expires_at > at,
        )
        .order_by(OneTimeLink.id.desc())
        .limit(1)
        .scalar_subquery()
    )
