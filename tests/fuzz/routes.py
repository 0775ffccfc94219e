"""How the fuzz test fills each POST route: the records it works on, and each route's
address, query string and form with valid values, which the test then replaces field by
field with hostile ones.

A new POST route is one line in POST_ROUTES (tests/fuzz/test_posts.py fails until it has
one), e.g. `"auth.confirm": Route("/auth/confirm", {"password": PASSWORD})`.
The fields of the admin's create and edit forms are read from the forms themselves
(create_form(), edit_form()); ADMIN_VALUES gives each a valid value.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask import current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.clock import lender_today
from crm.extensions import db
from crm.models import Customer, LinkPurpose, Loan, Product, Role, Task, User
from tests import factories
from tests.admin.pages import customer_form, product_form, user_form
from tests.factories import PASSWORD
from tests.fuzz.links import NEW_PASSWORD, link_form, link_url, log_in_address_owner, renew
from tests.imports.batches import IMPORT_POSTS
from tests.loans.conftest import APPLIED, DISBURSED, pay, start


@dataclass(frozen=True)
class World:
    """The records the posts work on, by id: a post may change or delete any of them."""

    admin: int
    customer: int
    spare_customer: int
    product: int
    spare_product: int
    pending: int
    active: int
    payment: int
    user: int
    spare_user: int
    #: The login of `customer`, for the personal account's posts.
    customer_login: int
    #: An open task of the manager (`user`) about `customer`'s active loan, and a done one.
    task: int
    done_task: int

    @classmethod
    def build(cls) -> "World":
        admin = factories.UserFactory(role=Role.ADMIN, full_name="Олена Адмін")
        manager = factories.UserFactory(role=Role.MANAGER)
        product = factories.ProductFactory(
            min_amount=Decimal("1000"), max_amount=Decimal("200000"), min_term=1, max_term=36
        )
        customer = factories.CustomerFactory(manager=manager)
        pending = factories.LoanFactory(customer=customer, product=product, created_at=APPLIED)
        active = start(
            factories.LoanFactory(customer=customer, product=product, created_at=APPLIED), manager
        )
        payment = pay(active, manager, "100.00", "BANK-0").payment
        task = factories.TaskFactory(assignee=manager, customer=customer, loan=active)
        done_task = factories.TaskFactory(
            assignee=manager, customer=customer, done_at=APPLIED, done_by=manager
        )
        return cls(
            admin=admin.id,
            customer=customer.id,
            spare_customer=factories.CustomerFactory().id,
            product=product.id,
            spare_product=factories.ProductFactory().id,
            pending=pending.id,
            active=active.id,
            payment=payment.id,
            user=manager.id,
            spare_user=factories.UserFactory(role=Role.MANAGER).id,
            customer_login=factories.UserFactory(role=Role.CUSTOMER, customer=customer).id,
            task=task.id,
            done_task=done_task.id,
        )

    def version(self, model, record_id: int) -> str:
        """The record's current version, as its edit form would carry it."""
        return str(db.session.scalar(select(model.version).where(model.id == record_id)) or 1)


Fill = Mapping[str, Any] | Callable[[World], Mapping[str, Any]]


def promised_by() -> date:
    """A date a promise to pay may be made for: a week from the lender's today."""
    return lender_today() + timedelta(days=7)


def resolve(fill: "Fill | str | Callable[[World], str]", world: World):
    return fill(world) if callable(fill) else fill


def log_in(client: FlaskClient, world: World) -> None:
    """Log the admin in and confirm their password, as the user admin and the second-factor
    pages ask before a change (crm/auth/reauth.py), so that the posts reach the forms."""
    email = db.session.get(User, world.admin).email
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "the admin could not log in again"
    response = client.post("/auth/confirm", data={"password": PASSWORD})
    assert response.status_code == 302, "the admin could not confirm their password"


def log_in_customer(client: FlaskClient, world: World) -> None:
    """Log the World's customer in, for the posts of their personal account."""
    email = db.session.get(User, world.customer_login).email
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "the customer could not log in"


def log_out(client: FlaskClient, _world: World) -> None:
    client.post("/auth/logout")


@dataclass(frozen=True)
class Route:
    """A POST route: its address, query string and form (valid values, or functions of the
    World giving them); `anonymous` for one posted without logging in, `log_in` for one
    posted by someone else than the admin (log_in_customer for the personal account's);
    the admin posts every other. `after` puts the client (or the records) back as the next
    post needs them (logged in or out, a fresh link)."""

    url: str | Callable[[World], str]
    form: Fill = field(default_factory=dict)
    query: Fill = field(default_factory=dict)
    anonymous: bool = False
    after: Callable[[FlaskClient, World], None] | None = None
    log_in: Callable[[FlaskClient, World], None] | None = None

    def log_in_as(self, client: FlaskClient, world: World) -> None:
        """Log in whoever posts to the route (the admin unless `log_in` says otherwise);
        nobody for an anonymous route."""
        if not self.anonymous:
            (self.log_in or log_in)(client, world)


# --- The admin's forms --------------------------------------------------------------------------

#: Valid values for every field of each admin model view's create and edit forms.
ADMIN_VALUES: dict[str, Callable[[World], dict[str, Any]]] = {
    "customer": lambda w: customer_form(
        patronymic="Петрівна",
        email="olena@example.com",
        tax_id="3012345678",
        address="Київ, вул. Хрещатик, 1",
        manager=w.user,
    ),
    "product": lambda _w: product_form(description="На авто"),
    "loan": lambda w: {
        "customer": w.customer,
        "product": w.product,
        "amount": "5000",
        "term_months": "12",
    },
    "user": lambda _w: user_form(password="Kestrel-umbra-9417-vyshyvanka"),
}
#: The model of each admin view, and which of its records each write works on.
ADMIN_MODELS = {"customer": Customer, "product": Product, "loan": Loan, "user": User}
EDITED = {"customer": "customer", "product": "product", "loan": "pending", "user": "user"}
DELETED = {
    "customer": "spare_customer",
    "product": "spare_product",
    "loan": "pending",
    "user": "spare_user",
}


def admin_view(endpoint: str):
    admin = current_app.extensions["admin"][0]
    return next(view for view in admin._views if view.endpoint == endpoint)


def admin_form_fields(view: str, kind: str, world: World) -> list[str]:
    """The fields of the view's create or edit form, as Flask-Admin builds it."""
    model_view = admin_view(view)
    with current_app.test_request_context(f"/admin/{view}/"):
        if kind == "create":
            form = model_view.create_form()
        else:
            record_id = getattr(world, EDITED[view])
            form = model_view.edit_form(obj=db.session.get(ADMIN_MODELS[view], record_id))
        return [item.name for item in form if item.name != "csrf_token"]


def admin_form(view: str, kind: str) -> Route:
    """The create or edit form of an admin view, every field filled with a valid value."""
    listed = f"/admin/{view}/"

    def form(world: World) -> dict[str, Any]:
        values = dict(ADMIN_VALUES[view](world))
        if kind == "edit":
            values["version"] = world.version(ADMIN_MODELS[view], getattr(world, EDITED[view]))
            if view == "user":
                values.update(email=db.session.get(User, world.user).email, password="")
        fields = admin_form_fields(view, kind, world)
        unknown = set(fields) - set(values)
        assert not unknown, f"the fuzz test has no valid value for {view} {kind}: {unknown}"
        return {name: values[name] for name in fields}

    def query(world: World) -> dict[str, Any]:
        if kind == "create":
            return {"url": listed}
        return {"id": getattr(world, EDITED[view]), "url": listed}

    return Route(f"/admin/{view}/{'new' if kind == 'create' else 'edit'}/", form, query)


def admin_routes(view: str) -> dict[str, Route]:
    """The POST routes Flask-Admin gives a model view."""
    listed = f"/admin/{view}/"
    return {
        f"{view}.create_view": admin_form(view, "create"),
        f"{view}.edit_view": admin_form(view, "edit"),
        f"{view}.delete_view": Route(
            f"{listed}delete/", lambda w: {"id": getattr(w, DELETED[view]), "url": listed}
        ),
        f"{view}.action_view": Route(
            f"{listed}action/", lambda w: {"action": "delete", "rowid": w.customer, "url": listed}
        ),
        f"{view}.ajax_update": Route(
            f"{listed}ajax/update/", lambda w: {"list_form_pk": w.customer, "name": "x"}
        ),
    }


# --- Registration, invitations, resets and e-mail changes (tests/fuzz/links.py) ----------------

NEW_PASSWORDS = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}


def link_route(prefix: str, purpose: LinkPurpose, values: Mapping[str, Any]) -> Route:
    """A link's page, posted anonymously with `values` to a link that works."""
    return Route(
        link_url(prefix, purpose),
        link_form(purpose, values),
        anonymous=True,
        after=renew(purpose),
    )


LINK_ROUTES: dict[str, Route] = {
    "auth.register": Route(
        "/auth/register",
        {
            "last_name": "Коваленко",
            "first_name": "Олена",
            "patronymic": "Петрівна",
            "phone": "050 123 45 67",
            "email": "olena.kovalenko@example.com",
            **NEW_PASSWORDS,
        },
        anonymous=True,
    ),
    "auth.confirm_registration": link_route("/auth/register/", LinkPurpose.REGISTER, {}),
    "auth.accept_invite": link_route("/auth/invite/", LinkPurpose.INVITE, NEW_PASSWORDS),
    "auth.request_reset": Route("/auth/reset", {"email": "olena@example.com"}, anonymous=True),
    "auth.reset_password_page": link_route("/auth/reset/", LinkPurpose.RESET, NEW_PASSWORDS),
    "auth.change_email": Route(
        "/auth/email",
        {"current_password": PASSWORD, "email": "olena.new@example.com"},
        log_in=log_in_address_owner,
    ),
    "auth.confirm_email": link_route("/auth/email/", LinkPurpose.EMAIL_CHANGE, {}),
}


# --- Every POST route ---------------------------------------------------------------------------

POST_ROUTES: dict[str, Route] = {
    "auth.login": Route(
        "/auth/login",
        lambda w: {
            "email": db.session.get(User, w.admin).email,
            "password": PASSWORD,
            "remember": "y",
        },
        {"next": "/customers/"},
        anonymous=True,
        after=log_out,
    ),
    "auth.logout": Route("/auth/logout", after=log_in),
    "auth.logout_everywhere": Route("/auth/logout-everywhere", after=log_in),
    # The new password is the current one, so that the admin can log in again after it.
    "auth.password": Route(
        "/auth/password", {"current_password": PASSWORD, "password": PASSWORD, "confirm": PASSWORD}
    ),
    "auth.confirm": Route("/auth/confirm", {"password": PASSWORD}, {"next": "/admin/user/"}),
    # With no log-in waiting for its code, every post goes back to the log-in page.
    "auth.login_code": Route("/auth/login/code", {"code": "123456"}),
    "second_factor.setup": Route("/second-factor/setup", {"code": "123456"}),
    "second_factor.recovery_codes": Route("/second-factor/recovery-codes"),
    "second_factor.remove_factor": Route("/second-factor/remove"),
    "user.end_sessions_view": Route(
        "/admin/user/sessions/end/", lambda w: {"user": w.user, "next": "/admin/user/"}
    ),
    "language.switch": Route("/language", {"language": "en", "next": "/customers/"}),
    **LINK_ROUTES,
    # The spare customer has an e-mail and no login (the World's customer has one).
    "customers.invite": Route(lambda w: f"/customers/{w.spare_customer}/invite"),
    "contacts.new": Route(
        lambda w: f"/customers/{w.customer}/contacts/new",
        lambda w: {
            "kind": "call",
            "outcome": "promised_to_pay",
            "text": "Обіцяв сплатити після зарплати",
            "loan_id": str(w.active),
            "promise_amount": "500.00",
            "promise_due_on": promised_by().isoformat(),
        },
        lambda w: {"loan_id": w.active, "next": "/loans/overdue"},
    ),
    "loans.new_application": Route(
        "/loans/new",
        lambda w: {"product": w.product, "amount": "5000", "term_months": "12"},
        query=lambda w: {"customer_id": w.customer},
    ),
    "loans.start": Route(
        lambda w: f"/loans/{w.pending}/start",
        lambda w: {"version": w.version(Loan, w.pending), "disbursed_on": DISBURSED.isoformat()},
    ),
    "loans.refuse": Route(
        lambda w: f"/loans/{w.pending}/refuse",
        lambda w: {"version": w.version(Loan, w.pending), "reason": "Дохід не підтверджено"},
    ),
    "loans.withdraw": Route(
        lambda w: f"/loans/{w.pending}/withdraw", lambda w: {"version": w.version(Loan, w.pending)}
    ),
    "loans.write_off": Route(
        lambda w: f"/loans/{w.active}/write-off",
        lambda w: {"version": w.version(Loan, w.active), "reason": "Позичальника не знайдено"},
    ),
    "loans.record_payment": Route(
        lambda w: f"/loans/{w.active}/payments",
        {"amount": "1000.50", "paid_on": DISBURSED.isoformat(), "reference": "BANK-1"},
    ),
    "loans.reverse_payment": Route(
        lambda w: f"/loans/{w.active}/payments/{w.payment}/reverse", {"reason": "Помилка каси"}
    ),
    "tasks.new": Route(
        "/tasks/new",
        lambda w: {
            "title": "Передзвонити щодо платежу",
            "due_on": lender_today().isoformat(),
            "assignee_id": w.user,
        },
        lambda w: {"customer_id": w.customer, "loan_id": w.active, "next": "/tasks/"},
    ),
    "tasks.done": Route(
        lambda w: f"/tasks/{w.task}/done",
        lambda w: {"version": w.version(Task, w.task), "next": "/tasks/?done=1"},
    ),
    "tasks.reopen": Route(
        lambda w: f"/tasks/{w.done_task}/reopen",
        lambda w: {"version": w.version(Task, w.done_task)},
    ),
    # The World's customer, from their manager to the spare one.
    "customer.reassign_view": Route(
        "/admin/customer/reassign/", lambda w: {"manager": w.spare_user, "rowid": w.customer}
    ),
    # The personal account, as the World's customer: an application (the customer has one
    # pending already, so the limit is reached after two more), withdrawing their pending
    # one, their phone and language, their password (the new one is the current one).
    "account.apply": Route(
        "/account/apply",
        lambda w: {"product_id": w.product, "amount": "5000", "term_months": "12"},
        log_in=log_in_customer,
    ),
    "account.withdraw": Route(
        lambda w: f"/account/loans/{w.pending}/withdraw",
        lambda w: {"version": w.version(Loan, w.pending)},
        log_in=log_in_customer,
    ),
    "account.profile": Route(
        "/account/profile",
        lambda w: {
            "phone": "067 123 45 67",
            "language": "uk",
            "version": w.version(Customer, w.customer),
        },
        log_in=log_in_customer,
    ),
    "account.password": Route(
        "/account/password",
        {"current_password": PASSWORD, "password": PASSWORD, "confirm": PASSWORD},
        log_in=log_in_customer,
    ),
    **admin_routes("customer"),
    **admin_routes("loan"),
    **admin_routes("product"),
    **admin_routes("user"),
    **{endpoint: Route(*post) for endpoint, post in IMPORT_POSTS.items()},
}
