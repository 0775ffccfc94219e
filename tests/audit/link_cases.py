"""The coverage cases of registration, invitations, password resets and e-mail changes
(one-time links, tests/fuzz/links.py makes a working link for each post)."""

from unittest.mock import ANY

from crm.extensions import db
from crm.links.services.tokens import open_link
from crm.models import Customer, LinkPurpose, OneTimeLink, Role
from crm.models.audit import ANONYMOUS
from tests import factories
from tests.audit.cases import Case, Ctx, nothing, security_event
from tests.audit.expected import Event
from tests.fuzz.links import customer_login, working_link
from tests.fuzz.routes import LINK_ROUTES, Route

#: The address the registration form of tests/fuzz/routes.py gives.
REGISTERED = LINK_ROUTES["auth.register"].form["email"]


def current_link(ctx: Ctx, purpose: LinkPurpose) -> OneTimeLink:
    """The link of `purpose` the post uses (made now if there is none yet)."""
    return open_link(db.session, purpose, working_link(ctx.world, purpose)).link


def anonymous_event(action: str, **facts) -> Event:
    changes = {key: [None, value] for key, value in facts.items()}
    return Event(action, "user", None, changes, ANONYMOUS, customer_id=None, loan_id=None)


def registered(ctx: Ctx) -> list[Event]:
    """A customer and their login made from the link, by the visitor who opened it; the
    completion is the new login's own event."""
    email = current_link(ctx, LinkPurpose.REGISTER).email
    newcomer = (ANY, email)
    return [
        Event("create", "customer", changes={"email": [None, email]}, by=ANONYMOUS, loan_id=None),
        Event(
            "create",
            "user",
            changes={"email": [None, email], "role": [None, Role.CUSTOMER.value]},
            by=ANONYMOUS,
            loan_id=None,
        ),
        Event(
            "registration_completed",
            "user",
            changes={"email": [None, email]},
            by=newcomer,
            loan_id=None,
        ),
    ]


def invitation_accepted(ctx: Ctx) -> list[Event]:
    link = current_link(ctx, LinkPurpose.INVITE)
    newcomer = (ANY, link.email)
    customer = link.customer_id
    return [
        Event(
            "create",
            "user",
            changes={"email": [None, link.email], "customer_id": [None, customer]},
            by=ANONYMOUS,
            customer_id=customer,
            loan_id=None,
        ),
        Event(
            "invitation_accepted",
            "user",
            changes={"customer_id": [None, customer]},
            by=newcomer,
            customer_id=customer,
            loan_id=None,
        ),
        Event("log_in", "user", changes={"remember": [None, False]}, by=newcomer, customer_id=None),
    ]


def password_reset(ctx: Ctx) -> list[Event]:
    """The new password is the login's own change: the link proves who they are."""
    return [
        Event(
            "update",
            "user",
            ctx.world.user,
            {"password_hash": ["***", "***"]},
            by="user",
            customer_id=None,
            loan_id=None,
        ),
        security_event(ctx, "password_reset", "user", sessions=0),
    ]


def email_change_requested(ctx: Ctx) -> list[Event]:
    user = customer_login(ctx.world)
    changes = {"email": [None, user.email], "new_email": [None, "olena.new@example.com"]}
    by = (user.id, user.email)
    return [Event("email_change_requested", "user", user.id, changes, by, None, None)]


def email_changed(ctx: Ctx) -> list[Event]:
    """The login's address and its customer record's, changed by the login's owner (named
    by the address they had when they acted; the event by the one they have now)."""
    user = customer_login(ctx.world)
    new = current_link(ctx, LinkPurpose.EMAIL_CHANGE).email
    changed = {"email": [user.email, new]}
    before, after = (user.id, user.email), (user.id, new)
    return [
        Event("update", "user", user.id, changed, before, user.customer_id, None),
        Event("update", "customer", user.customer_id, changed, before, user.customer_id, None),
        Event("email_changed", "user", user.id, {"previous": [None, user.email]}, after, None),
    ]


def invited(ctx: Ctx) -> list[Event]:
    customer = db.session.get(Customer, ctx.world.spare_customer)
    changes = {"email": [None, customer.email], "customer_id": [None, customer.id]}
    return [Event("invitation_sent", "user", None, changes, "admin", customer.id, None)]


LINK_CASES: dict[str, Case] = {
    "auth.register": Case(
        lambda _ctx: [anonymous_event("registration_requested", email=REGISTERED)]
    ),
    # The same for an address that is a customer's already: nothing else happens.
    "auth.register (a customer's address)": Case(
        lambda _ctx: [anonymous_event("registration_requested", email=REGISTERED)],
        setup=lambda _ctx: factories.CustomerFactory(email=REGISTERED) and None,
    ),
    "auth.confirm_registration": Case(registered),
    "auth.accept_invite": Case(invitation_accepted),
    "auth.request_reset": Case(
        lambda _ctx: [anonymous_event("password_reset_requested", email="olena@example.com")]
    ),
    "auth.reset_password_page": Case(password_reset),
    "auth.change_email": Case(email_change_requested),
    "auth.confirm_email": Case(email_changed),
    "customers.invite": Case(invited),
    # Refused (a flashed message): nothing is sent, nothing written.
    "customers.invite (has a login)": Case(
        nothing, Route(lambda w: f"/customers/{w.customer}/invite")
    ),
}
