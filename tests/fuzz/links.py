"""Working one-time links for the posts that use one (tests/fuzz/routes.py): a link is made
when a route's form is first read, before any post is measured, and again after each post
that used it up (the route's `after`), so that every post finds one that works.

The links are made straight by the service (crm.links.services.tokens), without an e-mail;
each is for records of its own (an address and a phone nobody has, a customer without a
login), so that using one never stands in the way of the next.
"""

from collections.abc import Callable, Mapping
from itertools import count
from typing import Any

from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from crm.extensions import db
from crm.links.services.tokens import issue_link, open_link
from crm.models import LinkPurpose, Role, User
from crm.models.user import password_hash_method
from tests import factories
from tests.factories import PASSWORD

#: A password the policy takes, for the forms that set one.
NEW_PASSWORD = "Lantern-orchard-9182-sunflower"
#: The current link of each purpose, by World (a World may come again in a later test,
#: after the tables were emptied: a link that no longer opens is replaced).
_current: dict[tuple[Any, LinkPurpose], str] = {}
_numbers = count(1)


def customer_login(world) -> User:
    """The World's customer with a login (made on first use): the one who changes their
    e-mail address."""
    email = f"fuzz-customer-{world.customer}@example.com"
    user = db.session.query(User).filter_by(email=email).one_or_none()
    if user is None:
        customer = factories.CustomerFactory(email=email)
        user = factories.UserFactory(role=Role.CUSTOMER, customer=customer, email=email)
    return user


def log_in_address_owner(client: FlaskClient, world) -> None:
    """Log in the customer who changes their e-mail address (customer_login)."""
    email = customer_login(world).email
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "the customer could not log in"


def _registration() -> tuple[str, dict[str, Any]]:
    number = next(_numbers)
    payload = {
        "last_name": "Коваленко",
        "first_name": "Олена",
        "patronymic": None,
        "phone": f"+38067{2000000 + number:07d}",
        "password_hash": generate_password_hash(NEW_PASSWORD, method=password_hash_method()),
        "locale": "uk",
    }
    return f"fuzz-registration-{number}@example.com", payload


def _make(world, purpose: LinkPurpose) -> str:
    if purpose is LinkPurpose.REGISTER:
        email, payload = _registration()
        return issue_link(db.session, purpose, email=email, payload=payload)
    if purpose is LinkPurpose.INVITE:
        customer = factories.CustomerFactory(email=f"fuzz-invited-{next(_numbers)}@example.com")
        return issue_link(db.session, purpose, email=customer.email, customer=customer)
    if purpose is LinkPurpose.RESET:
        user = db.session.get(User, world.user)
        return issue_link(db.session, purpose, email=user.email, user=user)
    user = customer_login(world)
    return issue_link(
        db.session,
        purpose,
        email=f"fuzz-new-address-{next(_numbers)}@example.com",
        user=user,
        payload={"previous": user.email},
    )


def working_link(world, purpose: LinkPurpose) -> str:
    """The signed token of a link of `purpose` that works: the current one, or a new one."""
    token = _current.get((world, purpose))
    if token is None or open_link(db.session, purpose, token).problem is not None:
        token = _current[(world, purpose)] = _make(world, purpose)
        db.session.commit()
    db.session.rollback()
    return token


def link_url(prefix: str, purpose: LinkPurpose) -> Callable[[Any], str]:
    """The address of the current link of `purpose`: `prefix` and its token."""
    return lambda world: f"{prefix}{working_link(world, purpose)}"


def link_form(purpose: LinkPurpose, values: Mapping[str, Any]) -> Callable[[Any], Mapping]:
    """The form of a link's page: `values`, once there is a link to post them to."""

    def form(world) -> Mapping[str, Any]:
        working_link(world, purpose)
        return values

    return form


def renew(purpose: LinkPurpose) -> Callable[[FlaskClient, Any], None]:
    """After a post: a new link when that one was used up (or voided)."""
    return lambda _client, world: working_link(world, purpose) and None
