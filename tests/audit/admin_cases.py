"""The coverage cases of the admin (Flask-Admin): each model view's create, edit and delete
with the fuzz test's valid forms (tests/fuzz/routes.py ADMIN_VALUES), its bulk actions and
its list's inline edits, and the end of a user's sessions."""

from collections.abc import Callable
from unittest.mock import ANY

from crm.models import Customer, Product, User
from tests.audit.cases import Case, Ctx, loan_event, nothing, security_event, user_event
from tests.audit.expected import Event
from tests.fuzz.routes import POST_ROUTES, Route, World, resolve

NEW_PASSWORD = "Another-Long-Passphrase-77"


def customer_created(ctx: Ctx) -> list[Event]:
    changes = {
        "last_name": [None, "Коваль"],
        "phone": [None, "+380501234567"],
        "tax_id": [None, "3012345678"],
        "manager_id": [None, ctx.world.user],
    }
    return [Event("create", "customer", ANY, changes, loan_id=None)]


def customer_edited(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "last_name": [ctx.stored(Customer, w.customer, "last_name"), "Коваль"],
        "phone": [ctx.stored(Customer, w.customer, "phone"), "+380501234567"],
        "birth_date": ["1985-03-09", "1990-05-17"],
    }
    return [Event("update", "customer", w.customer, changes, customer_id=w.customer, loan_id=None)]


def customer_deleted(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        column: [ctx.stored(Customer, w.spare_customer, column), None]
        for column in ("last_name", "phone", "tax_id")
    }
    return [
        Event(
            "delete",
            "customer",
            w.spare_customer,
            changes,
            customer_id=w.spare_customer,
            loan_id=None,
        )
    ]


def loan_created(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "customer_id": [None, w.customer],
        "product_id": [None, w.product],
        "amount": [None, "5000.00"],
        "term_months": [None, 12],
        "annual_rate": [None, "12.0000"],
        "status": [None, "pending"],
    }
    return [Event("create", "loan", ANY, changes, customer_id=w.customer)]


def loan_edited(ctx: Ctx) -> list[Event]:
    changes = {"amount": ["10000.00", "5000.00"]}
    return [loan_event(ctx, "update", "loan", ctx.world.pending, "pending", changes)]


def loan_deleted(ctx: Ctx) -> list[Event]:
    changes = {"status": ["pending", None], "amount": ["10000.00", None], "term_months": [12, None]}
    return [loan_event(ctx, "delete", "loan", ctx.world.pending, "pending", changes)]


def product_event(action: str, record_id, changes: dict) -> Event:
    return Event(action, "product", record_id, changes, customer_id=None, loan_id=None)


def product_created(_ctx: Ctx) -> list[Event]:
    changes = {
        "name": [None, "Автокредит"],
        "annual_rate": [None, "13.9000"],
        "category": [None, "secured"],
        "min_amount": [None, "10000.00"],
        "active": [None, True],
    }
    return [product_event("create", ANY, changes)]


def product_edited(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "name": [ctx.stored(Product, w.product, "name"), "Автокредит"],
        "annual_rate": ["12.0000", "13.9000"],
        "max_amount": ["200000.00", "1000000.00"],
    }
    return [product_event("update", w.product, changes)]


def product_deleted(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {"name": [ctx.stored(Product, w.spare_product, "name"), None], "active": [True, None]}
    return [product_event("delete", w.spare_product, changes)]


def user_created(_ctx: Ctx, active: bool = True) -> list[Event]:
    changes = {
        "email": [None, "new.manager@example.com"],
        "role": [None, "manager"],
        "active": [None, active],
        "password_hash": [None, "***"],
    }
    return [Event("create", "user", ANY, changes, customer_id=None, loan_id=None)]


def user_edited(ctx: Ctx) -> list[Event]:
    changes = {"full_name": [ctx.stored(User, ctx.world.user, "full_name"), "Нова Менеджерка"]}
    return [user_event(ctx, "update", "user", changes)]


def role_and_password_changed(ctx: Ctx) -> list[Event]:
    """One change of the login, whatever it took (a new role ends the manager's session, a
    new password would end the others), and its security events."""
    w = ctx.world
    changes = {
        "full_name": [ctx.stored(User, w.user, "full_name"), "Нова Менеджерка"],
        "role": ["manager", "admin"],
        "password_hash": ["***", "***"],
    }
    return [
        user_event(ctx, "update", "user", changes),
        security_event(ctx, "password_changed", "user", actor="admin", by=w.admin),
        security_event(
            ctx,
            "session_ended",
            "user",
            actor="admin",
            reason="role_changed",
            sessions=1,
            by=w.admin,
        ),
    ]


def deactivated(ctx: Ctx) -> list[Event]:
    """An unticked Active: the login and its sessions end, in one event each."""
    w = ctx.world
    changes = {
        "full_name": [ctx.stored(User, w.user, "full_name"), "Нова Менеджерка"],
        "active": [True, False],
    }
    ended = {"reason": "deactivated", "sessions": 1, "by": w.admin}
    return [
        user_event(ctx, "update", "user", changes),
        security_event(ctx, "session_ended", "user", actor="admin", **ended),
    ]


def user_deleted(ctx: Ctx) -> list[Event]:
    changes = {
        "email": [ctx.email("spare_user"), None],
        "role": ["manager", None],
        "password_hash": ["***", None],
    }
    return [user_event(ctx, "delete", "spare_user", changes)]


def sessions_ended(ctx: Ctx) -> list[Event]:
    facts = {"reason": "ended_by_admin", "sessions": 1, "by": ctx.world.admin}
    return [security_event(ctx, "session_ended", "user", actor="admin", **facts)]


def manager_logged_in_elsewhere(ctx: Ctx) -> None:
    ctx.log_in_elsewhere("user")


def edit_of_role_and_password(world: World) -> dict:
    form = dict(resolve(POST_ROUTES["user.edit_view"].form, world))
    return form | {"role": "admin", "password": NEW_PASSWORD}


def unticked(endpoint: str) -> Callable[[World], dict]:
    """The fuzz test's form of `endpoint` with Active unticked (an unticked box is not posted)."""

    def form(world: World) -> dict:
        values = dict(resolve(POST_ROUTES[endpoint].form, world))
        del values["active"]
        return values

    return form


def with_form(endpoint: str, form) -> Route:
    """The fuzz test's route for `endpoint`, with another form."""
    route = POST_ROUTES[endpoint]
    return Route(route.url, form, route.query)


def no_write(status: int) -> Case:
    return Case(nothing, status=status)


ADMIN_CASES: dict[str, Case] = {
    "customer.create_view": Case(customer_created),
    "customer.edit_view": Case(customer_edited),
    "customer.delete_view": Case(customer_deleted),
    "loan.create_view": Case(loan_created),
    "loan.edit_view": Case(loan_edited),
    "loan.delete_view": Case(loan_deleted),
    "product.create_view": Case(product_created),
    "product.edit_view": Case(product_edited),
    "product.delete_view": Case(product_deleted),
    "user.create_view": Case(user_created),
    "user.create_view (inactive)": Case(
        lambda ctx: user_created(ctx, active=False),
        with_form("user.create_view", unticked("user.create_view")),
    ),
    "user.edit_view": Case(user_edited),
    "user.edit_view (role and password)": Case(
        role_and_password_changed,
        with_form("user.edit_view", edit_of_role_and_password),
        setup=manager_logged_in_elsewhere,
    ),
    "user.edit_view (deactivate)": Case(
        deactivated,
        with_form("user.edit_view", unticked("user.edit_view")),
        setup=manager_logged_in_elsewhere,
    ),
    "user.delete_view": Case(user_deleted),
    "user.end_sessions_view": Case(sessions_ended, setup=manager_logged_in_elsewhere),
    # The bulk "delete" action is not allowed (crm/admin/base.py action_disallowed_list) and
    # no view has an editable list column (ajax_update answers 404): neither writes.
    **{f"{view}.action_view": no_write(302) for view in ("customer", "loan", "product", "user")},
    **{f"{view}.ajax_update": no_write(404) for view in ("customer", "loan", "product", "user")},
}
