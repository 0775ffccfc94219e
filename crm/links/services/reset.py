"""Resetting a forgotten password by a link e-mailed to the login's address.

The page that asks for it answers the same whatever was typed. An address with an active
login gets the link (valid RESET_LINK_LIFETIME); any other address gets a message saying
that there is no active login with it, so that the request takes the same steps either way.
Using the link sets the new password and ends every session of the login. A new link, a
password changed any other way (crm.auth.services.set_password, update_user) and a new
e-mail address void the open ones.
"""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.auth.services import set_password
from crm.links.services.messages import hours, send
from crm.links.services.tokens import issue_link, lifetime, use_link
from crm.models import LinkPurpose, OneTimeLink, User
from crm.validation import FieldError, normalise_email


def request_password_reset(session: Session, email: str, *, locale: str) -> str:
    """E-mail the address typed, in the login's language (else `locale`): a reset link when
    an active login has the address, a message saying there is none otherwise. Returns the
    address normalised; raises FieldError("email") for text that is no address."""
    address = normalise_email(email, "email", required=True)
    user = session.scalar(select(User).where(User.email == address))
    if user is None or not user.active:
        send(session, "reset_unavailable", to=address, locale=locale)
        return address
    token = issue_link(session, LinkPurpose.RESET, email=address, user=user)
    send(
        session,
        "reset",
        to=address,
        locale=user.locale or locale,
        token=token,
        hours=hours(lifetime(LinkPurpose.RESET)),
    )
    return address


def check_reset(link: OneTimeLink) -> User:
    """The login an open reset link is for, when it may still be reset: active, and still
    at the address the link was sent to. Raises FieldError("email") otherwise."""
    user = link.user
    if user is None or not user.active or user.email != link.email:
        raise FieldError("email", _("This link is no longer valid. Ask for a new one."))
    return user


def reset_password(session: Session, link: OneTimeLink, password: str) -> tuple[User, int]:
    """Give the link's login `password`, use the link up and end every session of the
    login; returns the login and how many sessions ended. Raises FieldError as check_reset
    does, and FieldError("password") for a password the policy refuses."""
    user = check_reset(link)
    use_link(session, link)
    ended = set_password(session, user, password, by=user)
    return user, ended
