"""A customer changes the e-mail address of their login: a link goes to the new address,
and the address changes (the login's and the customer record's both) only once it is
opened. Until then the old one stays. The old address is told of the change.

As with registrations, the page does not say whether the new address belongs to someone
else: such an address gets a message saying so instead of the link.
"""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.links.services.messages import hours, send
from crm.links.services.tokens import issue_link, lifetime, use_link, void_links
from crm.models import Customer, LinkPurpose, OneTimeLink, User
from crm.validation import FieldError, normalise_email


def request_email_change(session: Session, user: User, email: str, *, locale: str) -> str:
    """E-mail the new address `email` of `user` a link (valid EMAIL_CHANGE_LINK_LIFETIME)
    that makes it theirs, in the login's language (else `locale`); an earlier such link
    stops working. Returns the address normalised. Raises FieldError("email") for text
    that is no address, or the address the login has already."""
    address = normalise_email(email, "email", required=True)
    if address == user.email:
        raise FieldError("email", _("This is your e-mail address already."))
    language = user.locale or locale
    if _taken(session, address, user):
        send(session, "email_taken", to=address, locale=language)
        return address
    token = issue_link(
        session,
        LinkPurpose.EMAIL_CHANGE,
        email=address,
        user=user,
        payload={"previous": user.email},
    )
    send(
        session,
        "email_confirm",
        to=address,
        locale=language,
        token=token,
        previous=user.email,
        hours=hours(lifetime(LinkPurpose.EMAIL_CHANGE)),
    )
    return address


def check_email_change(link: OneTimeLink) -> User:
    """The login an open e-mail change is for, while it may still change: active, and
    still at the address it had when the change was asked for. Raises FieldError("link")."""
    user = link.user
    previous = (link.payload or {}).get("previous")
    if user is None or not user.active or user.email != previous:
        raise FieldError("link", _("This link is no longer valid. Ask for a new one."))
    return user


def confirm_email_change(session: Session, link: OneTimeLink) -> tuple[User, str]:
    """Give the link's login, and its customer record, the link's address; use the link up,
    void the login's other open links of this kind and its reset links (they went to the
    old address), and tell the old address. Returns the login and its previous address.

    Raises FieldError as check_email_change does, and FieldError("email") when the new
    address belongs to another login or customer by now; nothing changes then.
    """
    user = check_email_change(link)
    if _taken(session, link.email, user):
        raise FieldError(
            "email",
            _(
                "%(email)s belongs to another login or customer by now, so your address "
                "was not changed.",
                email=link.email,
            ),
        )
    previous = user.email
    user.email = link.email
    if user.customer is not None:
        user.customer.email = link.email
    use_link(session, link)
    void_links(session, LinkPurpose.EMAIL_CHANGE, user=user)
    void_links(session, LinkPurpose.RESET, user=user)
    send(session, "email_changed", to=previous, locale=user.locale, email=link.email)
    return user, previous


def _taken(session: Session, address: str, user: User) -> bool:
    """Whether a login or customer other than `user` and their own record has `address`."""
    other_login = select(User.id).where(User.email == address, User.id != user.id)
    other_customer = select(Customer.id).where(Customer.email == address)
    if user.customer_id is not None:
        other_customer = other_customer.where(Customer.id != user.customer_id)
    with session.no_autoflush:
        return any(
            session.scalar(statement.limit(1)) is not None
            for statement in (other_login, other_customer)
        )
