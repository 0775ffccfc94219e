"""Registering for the personal account: the form is checked, a link confirms the address,
and using the link creates the customer and their login together.

What the address and the phone typed already belong to decides which e-mail goes out; the
page says the same ("check your e-mail") whatever it is, so that a registration can never
reveal, nor take over, anyone's record:

- a new address and a new phone: a link that completes the registration;
- an address that a login or a customer already has: a message to that address saying that
  someone tried to register with it, with the log-in and password-reset links (or, for a
  customer who has no login yet, how to ask the lender for an invitation); nothing else;
- a new address with the phone of an existing customer: a message to the new address saying
  that the registration could not be completed online and to contact the lender. A form
  anyone can fill in never links a login to an existing customer: the lender invites them
  (crm.links.services.invitation), having checked who they are.
"""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from crm.auth.passwords import check_new_password
from crm.customers.services import clean_customer_data, create_customer, taken_by
from crm.i18n.locale import known
from crm.links.services.messages import hours, send
from crm.links.services.tokens import issue_link, lifetime, use_link
from crm.models import Customer, LinkPurpose, OneTimeLink, Role, User
from crm.models.user import MAX_FULL_NAME, password_hash_method
from crm.validation import FieldError, normalise_email

#: The customer's details the form gives (the e-mail address and password aside).
DETAILS = ("last_name", "first_name", "patronymic", "phone")


def request_registration(
    session: Session, data: Mapping[str, Any], password: str, *, locale: str, region: str
) -> str:
    """Check a registration (`data`: DETAILS and "email"; `password` in plain) and e-mail
    the address typed, in `locale`, as the module says; returns the address normalised.

    Raises FieldError for the first bad field, writing nothing: a name or phone the
    customers' own checks refuse (`region` for numbers without a country code), an address
    that is not one, a password the policy refuses.
    """
    details = clean_customer_data(
        session, {name: data.get(name) for name in DETAILS}, region=region
    )
    email = normalise_email(data.get("email"), "email", required=True)
    names = (details["last_name"], details["first_name"], details["patronymic"])
    check_new_password(password, user_inputs=(email, *names))
    # Hashed whatever happens next, so that the time taken does not tell the cases apart.
    password_hash = generate_password_hash(password, method=password_hash_method())
    if _address_taken(session, email):
        _tell_the_owner(session, email, locale)
    elif _phone_taken(session, details["phone"]):
        send(session, "register_phone_taken", to=email, locale=locale)
    else:
        payload = {name: details[name] for name in DETAILS}
        payload |= {"password_hash": password_hash, "locale": known(locale)}
        token = issue_link(session, LinkPurpose.REGISTER, email=email, payload=payload)
        send(
            session,
            "register_confirm",
            to=email,
            locale=locale,
            token=token,
            name=details["first_name"],
            hours=hours(lifetime(LinkPurpose.REGISTER)),
        )
    return email


def complete_registration(session: Session, link: OneTimeLink) -> User:
    """Create the customer and their login (role customer) from an open registration link,
    and use the link up; returns the login.

    Raises FieldError("email") when the address, or FieldError("phone") when the phone,
    has since become someone else's (another registration, a customer the staff added),
    changing nothing.
    """
    details = link.payload or {}
    if _address_taken(session, link.email):
        raise FieldError(
            "email",
            _(
                "This e-mail address already belongs to a login or a customer, so the "
                "registration cannot be completed. Log in, or reset your password."
            ),
        )
    if _phone_taken(session, details.get("phone")):
        raise FieldError(
            "phone",
            _("The registration could not be completed online. Contact the lender, please."),
        )
    customer = create_customer(
        session, {**{name: details.get(name) for name in DETAILS}, "email": link.email}
    )
    user = User(
        email=link.email,
        role=Role.CUSTOMER,
        full_name=customer.full_name[:MAX_FULL_NAME],
        customer=customer,
        locale=known(details.get("locale")),
        # The hash made when the form was sent: the password itself was never kept.
        password_hash=details["password_hash"],
    )
    session.add(user)
    use_link(session, link)
    return user


def _address_taken(session: Session, email: str) -> bool:
    with session.no_autoflush:
        return (
            session.scalar(select(User.id).where(User.email == email).limit(1)) is not None
            or session.scalar(select(Customer.id).where(Customer.email == email).limit(1))
            is not None
        )


def _phone_taken(session: Session, phone: str | None) -> bool:
    return taken_by(session, Customer.phone, phone) is not None


def _tell_the_owner(session: Session, email: str, locale: str) -> None:
    """Someone tried to register with the address of a login or a customer: its owner hears
    of it, in their own language when their login has one."""
    user = session.scalar(select(User).where(User.email == email))
    customer = (
        None
        if user is not None
        else session.scalar(select(Customer).where(Customer.email == email))
    )
    if user is None and customer is not None:
        user = customer.login
    send(
        session,
        "register_address_taken",
        to=email,
        locale=(user.locale if user is not None else None) or locale,
        has_login=user is not None,
    )
