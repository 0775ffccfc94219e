"""Inviting a customer to the personal account: the staff send a link from the customer's
card to the address on their record; whoever opens it sets a password, and the login made
is linked to that customer. Inviting again voids the earlier link."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.auth.services import create_user
from crm.links.services.messages import hours, send
from crm.links.services.tokens import issue_link, lifetime, use_link
from crm.models import Customer, LinkPurpose, OneTimeLink, Role, User
from crm.models.user import MAX_FULL_NAME
from crm.validation import FieldError


def invite_customer(session: Session, customer: Customer) -> str:
    """E-mail `customer` a link, valid INVITATION_LINK_LIFETIME, to set the password of a
    login of their own; an earlier invitation's link stops working. Returns the address.

    Raises FieldError("login") when the customer already has a login, and
    FieldError("email") when their record has no e-mail address or another login uses it;
    nothing is sent then. The message is in the interface's default language: the customer
    has no login, so no language of their own yet.
    """
    if customer.login is not None:
        raise FieldError(
            "login",
            _("%(name)s already has a login to the personal account.", name=customer.full_name),
        )
    if not customer.email:
        raise FieldError(
            "email",
            _("Add an e-mail address to the customer's record first: the invitation goes there."),
        )
    if session.scalar(select(User.id).where(User.email == customer.email)) is not None:
        raise FieldError(
            "email",
            _(
                "Another login already uses %(email)s; the customer cannot be invited with it.",
                email=customer.email,
            ),
        )
    token = issue_link(session, LinkPurpose.INVITE, email=customer.email, customer=customer)
    send(
        session,
        "invitation",
        to=customer.email,
        locale=None,
        token=token,
        name=" ".join(filter(None, (customer.first_name, customer.patronymic))),
        hours=hours(lifetime(LinkPurpose.INVITE)),
    )
    return customer.email


def check_invitation(link: OneTimeLink) -> Customer:
    """The customer an open invitation is for, when it can still be accepted. Raises
    FieldError("login") when the customer has a login by now, FieldError("email") when
    their address is no longer the one invited."""
    customer = link.customer
    if customer is not None and customer.login is not None:
        raise FieldError("login", _("You already have a login: log in with it."))
    if customer is None or customer.email != link.email:
        raise FieldError(
            "email",
            _("This invitation is no longer valid. Ask the lender to invite you again."),
        )
    return customer


def accept_invitation(session: Session, link: OneTimeLink, password: str) -> User:
    """Create the invited customer's login with `password` and use the link up; returns
    the login. Raises FieldError as check_invitation does, and as create_user does (the
    password policy on "password"; "email" when another login has taken the address)."""
    customer = check_invitation(link)
    user = create_user(
        session,
        link.email,
        password,
        Role.CUSTOMER,
        full_name=customer.full_name[:MAX_FULL_NAME],
        customer=customer,
    )
    use_link(session, link)
    return user
