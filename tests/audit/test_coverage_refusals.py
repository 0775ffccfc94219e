"""A refused change writes no event of a record: bad input, a form built from a version
someone else has since saved over, and a manager posting to an admin's route. A refusal
writes its security event where it has one, and nothing else: a 403 its access_refused, a
wrong password its log_in_failed.

Every route whose valid post changes a record (its case in tests/audit/*_cases.py expects a
record event) needs a bad input here, and every form that carries a version a stale post.
"""

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from sqlalchemy import update

from crm.audit.registry import RECORD_ACTIONS
from crm.extensions import db
from crm.models import Customer, ImportBatch, Loan, Product, Task, User
from crm.models.audit import ANONYMOUS
from tests.audit.cases import Ctx, endpoint_of
from tests.audit.expected import (
    Event,
    actor_of,
    assert_events,
    audited_rows,
    last_event_id,
    written_since,
)
from tests.audit.test_coverage_routes import CASES
from tests.factories import PASSWORD
from tests.fuzz.routes import NEW_PASSWORDS, POST_ROUTES, Route, World, resolve
from tests.imports.batches import checked_batch

Values = Mapping[str, Any] | Callable[[World], Mapping[str, Any]] | Route
#: A link's page whose link was never made: its only input is the token in the address.
NO_SUCH_LINK = "not-a-link.forged-signature"

#: For each route that changes records, values (form fields) that it refuses, or a Route
#: posted instead of its own.
BAD_INPUT: dict[str, Values] = {
    "auth.login": {"password": "not-the-password"},
    "auth.confirm_registration": Route(f"/auth/register/{NO_SUCH_LINK}", anonymous=True),
    "auth.accept_invite": {**NEW_PASSWORDS, "password": "short"},
    "auth.reset_password_page": {"password": "password1234", "confirm": "password1234"},
    "auth.confirm_email": Route(f"/auth/email/{NO_SUCH_LINK}", anonymous=True),
    "auth.password": {"password": "short", "confirm": "short"},
    "language.switch": {"language": "xx"},
    "contacts.new": {"promise_amount": "0"},
    "loans.new_application": {"amount": "1"},
    "loans.start": {"disbursed_on": "2999-01-01"},
    "loans.refuse": {"reason": "  "},
    # Its form has nothing but the version: a mangled one.
    "loans.withdraw": {"version": "1e9"},
    "loans.write_off": {"reason": ""},
    "loans.record_payment": {"amount": "-5"},
    "loans.reverse_payment": {"reason": ""},
    "account.apply": {"amount": "1"},
    "account.withdraw": {"version": "1e9"},
    "account.profile": {"phone": "not a phone"},
    "account.password": {"current_password": "not-the-password"},
    "customer.create_view": {"phone": "not a phone"},
    "customer.edit_view": {"birth_date": "2999-01-01"},
    # Records that others still refer to: a customer with loans, an active loan, a product
    # with loans, a manager of customers.
    "customer.delete_view": lambda w: {"id": w.customer},
    "loan.create_view": {"amount": "999999999"},
    "loan.edit_view": {"term_months": "99"},
    "loan.delete_view": lambda w: {"id": w.active},
    "product.create_view": {"min_term": "0"},
    "product.edit_view": {"annual_rate": "-1"},
    "product.delete_view": lambda w: {"id": w.product},
    "user.create_view": {"password": "short"},
    "user.edit_view": {"email": "not an e-mail"},
    "user.delete_view": lambda w: {"id": w.user},
    "tasks.new": {"title": ""},
    # Their forms have nothing but the version: a mangled one.
    "tasks.done": {"version": "1e9"},
    "tasks.reopen": {"version": "1e9"},
    "customer.reassign_view": {"manager": "abc"},
    # Its form has nothing but the version of the dry run: a mangled one.
    "imports.apply": {"version": "1e9"},
}
#: The record each form with a version is built from: (model, World attribute, or a function
#: of the World giving the record's id).
VERSIONED = {
    "account.withdraw": (Loan, "pending"),
    "account.profile": (Customer, "customer"),
    "loans.start": (Loan, "pending"),
    "loans.refuse": (Loan, "pending"),
    "loans.withdraw": (Loan, "pending"),
    "loans.write_off": (Loan, "active"),
    "customer.edit_view": (Customer, "customer"),
    "loan.edit_view": (Loan, "pending"),
    "product.edit_view": (Product, "product"),
    "user.edit_view": (User, "user"),
    "tasks.done": (Task, "task"),
    "tasks.reopen": (Task, "done_task"),
    "imports.apply": (ImportBatch, lambda world: checked_batch(world.admin).id),
}
#: Routes only admins may take: a manager gets a 403.
ADMIN_ONLY = (
    "loans.write_off",
    "loans.reverse_payment",
    "customer.delete_view",
    "loan.delete_view",
    "product.create_view",
    "product.edit_view",
    "product.delete_view",
    "user.create_view",
    "user.edit_view",
    "user.delete_view",
    "user.action_view",
    "user.ajax_update",
    "user.end_sessions_view",
    "customer.reassign_view",
    "imports.index",
    "imports.mapping",
    "imports.apply",
)


def test_every_route_that_changes_records_has_its_refusals(app, client, clock):
    world = World.build()
    ctx = Ctx(app, client, world, clock)
    changing = {
        endpoint_of(key)
        for key, case in CASES.items()
        if any(event.action in RECORD_ACTIONS for event in case.expect(ctx))
    }
    assert not changing - set(BAD_INPUT), "give each a bad input"
    forms = {endpoint: resolve(route.form, world) for endpoint, route in POST_ROUTES.items()}
    versioned = {endpoint for endpoint, form in forms.items() if "version" in form}
    assert versioned == set(VERSIONED), "give each form with a version its record"


def post(client, endpoint: str, world: World, changes: Values | None = None):
    route = POST_ROUTES[endpoint]
    if isinstance(changes, Route):
        route, changes = changes, None
    return client.post(
        resolve(route.url, world),
        query_string=resolve(route.query, world),
        data={**resolve(route.form, world), **resolve(changes or {}, world)},
    )


def refused(client, response) -> bool:
    """Turned down: answered with a page (422, 400, …), or a redirect that flashes an error
    (as tests/fuzz/test_posts.py reads it)."""
    with client.session_transaction() as session:
        flashed = session.pop("_flashes", [])
    if not 300 <= response.status_code < 400:
        return True
    return any(category in ("error", "danger") for category, _message in flashed)


def assert_refused_without_a_trace(client, response, before, last: int) -> None:
    assert refused(client, response), response.status_code
    assert written_since(last) == []
    assert audited_rows() == before


def failed_log_in(world: World) -> list[Event]:
    """A refused log-in's security event: nobody is logged in, so its actor is anonymous."""
    email = db.session.get(User, world.admin).email
    changes = {"email": [None, email], "reason": [None, "wrong_password"]}
    return [Event("log_in_failed", "user", None, changes, ANONYMOUS, None, None)]


def no_such_link(purpose: str) -> Callable[[World], list[Event]]:
    """A link that never was: refused before any look-up, by whoever opened it."""
    changes = {"email": [None, None], "purpose": [None, purpose], "reason": [None, "invalid"]}
    return lambda _world: [Event("link_refused", "user", None, changes, ANONYMOUS, None, None)]


#: The security events a refusal writes, where it writes one.
def wrong_current_password(world: World) -> list[Event]:
    """A guess at the current password: recorded against the customer who made it."""
    changes = {"reason": [None, "wrong_password"]}
    login = world.customer_login
    return [Event("reauthentication_failed", "user", login, changes, "customer_login", None, None)]


REFUSAL_EVENTS = {
    "auth.login": failed_log_in,
    "account.password": wrong_current_password,
    "auth.confirm_registration": no_such_link("register"),
    "auth.confirm_email": no_such_link("email_change"),
}


@pytest.mark.parametrize("endpoint", sorted(BAD_INPUT))
def test_bad_input_is_refused_without_a_record_event(app, client, endpoint):
    world = World.build()
    POST_ROUTES[endpoint].log_in_as(client, world)
    expected = REFUSAL_EVENTS.get(endpoint, lambda _world: [])(world)
    # The link a route posts to (tests/fuzz/links.py) is made before anything is measured.
    resolve(POST_ROUTES[endpoint].form, world)
    before, last = audited_rows(), last_event_id()

    response = post(client, endpoint, world, BAD_INPUT[endpoint])

    assert refused(client, response), response.status_code
    assert_events(expected, written_since(last), actor_of(world))
    assert audited_rows() == before


def someone_else_saves(model: type, record_id: int) -> None:
    """Another user's save of the record, which moves its version on (SQL on the table: the
    save itself is not what this test is about)."""
    table = model.__table__
    statement = update(table).where(table.c.id == record_id).values(version=table.c.version + 1)
    db.session.execute(statement)
    db.session.commit()


@pytest.mark.parametrize("endpoint", sorted(VERSIONED))
def test_a_stale_form_is_refused_without_an_event(app, client, endpoint):
    world = World.build()
    POST_ROUTES[endpoint].log_in_as(client, world)
    model, record = VERSIONED[endpoint]
    form = dict(resolve(POST_ROUTES[endpoint].form, world))
    someone_else_saves(model, record(world) if callable(record) else getattr(world, record))
    before, last = audited_rows(), last_event_id()

    response = post(client, endpoint, world, form)

    assert_refused_without_a_trace(client, response, before, last)


@pytest.mark.parametrize("endpoint", ADMIN_ONLY)
def test_a_managers_post_to_an_admin_route_is_a_403_and_its_security_event(app, client, endpoint):
    world = World.build()
    manager = db.session.get(User, world.user)
    client.post("/auth/login", data={"email": manager.email, "password": PASSWORD})
    before, last = audited_rows(), last_event_id()
    path = resolve(POST_ROUTES[endpoint].url, world)

    response = post(client, endpoint, world)

    assert response.status_code == 403
    refusal = {"email": [None, manager.email], "method": [None, "POST"], "path": [None, path]}
    expected = Event("access_refused", "user", world.user, refusal, "user", None, None)
    assert_events([expected], written_since(last), actor_of(world))
    assert audited_rows() == before
