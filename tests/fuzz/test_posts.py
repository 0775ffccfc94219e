"""Every POST route, and every field of the admin's create and edit forms, posted with
hostile values by a logged-in admin (the personal account's by a logged-in customer;
tests/fuzz/hostile.py): never a 5xx, and a refused post stores nothing.

"Refused" is any answer but a redirect, or a redirect that flashes an error. Nothing stored
means: every table has as many rows as before, and the rows of the CRM's own records
(COMPARED_ROWS) are as they were.
"""

from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from crm.audit.registry import RECORD_ACTIONS
from crm.extensions import db
from crm.models import AuditEvent
from tests.fuzz.hostile import MISSING, SWEEP, hostile_values
from tests.fuzz.routes import POST_ROUTES, Route, World, resolve

FUZZ = settings.get_profile("fuzz")
#: Tables compared row by row; any other table is compared by its number of rows.
COMPARED_ROWS = {
    "customers",
    "products",
    "loans",
    "installments",
    "payments",
    "payment_allocations",
    "users",
    "tasks",
}
REDIRECTS = {301, 302, 303, 307, 308}
#: Stands for a field's valid value in the examples Hypothesis draws.
VALID = type("Valid", (), {"__repr__": lambda self: "<valid>"})()


def post_routes(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}


def test_every_post_route_is_fuzzed(app):
    routes = post_routes(app)
    assert not routes - set(POST_ROUTES), "add a line for each to tests/fuzz/routes.py"
    assert not set(POST_ROUTES) - routes, "these routes are gone; remove their lines"


def snapshot() -> dict[str, Any]:
    """What the database holds: the rows of COMPARED_ROWS, the number of rows elsewhere, and
    of the trail's events only those of records (a refusal is itself a security event)."""
    db.session.rollback()
    state = {}
    for table in db.metadata.sorted_tables:
        if table.name in COMPARED_ROWS:
            statement = select(table).order_by(*table.primary_key.columns)
            state[table.name] = db.session.execute(statement).all()
        else:
            state[table.name] = db.session.scalar(select(func.count()).select_from(table))
    state[AuditEvent.__tablename__] = db.session.scalar(
        select(func.count()).where(AuditEvent.action.in_(RECORD_ACTIONS))
    )
    return state


def refused(client: FlaskClient, response) -> bool:
    """Whether the post was turned down (the flashed messages are read, and cleared)."""
    with client.session_transaction() as session:
        flashed = session.pop("_flashes", [])
    if response.status_code not in REDIRECTS:
        return True
    return any(category in ("error", "danger") for category, _message in flashed)


def fill(values: dict[str, Any], choices: dict[str, Any]) -> dict[str, Any]:
    """The valid `values` with each chosen field replaced (VALID keeps it, MISSING drops it)."""
    filled = dict(values)
    for name, choice in choices.items():
        if choice is MISSING:
            filled.pop(name, None)
        elif choice is not VALID:
            filled[name] = choice
    return filled


def field_choices(names) -> st.SearchStrategy:
    """For each field, its valid value or a hostile one."""
    return st.fixed_dictionaries(
        {name: st.one_of(st.just(VALID), hostile_values()) for name in names}
    )


@pytest.mark.parametrize("endpoint", sorted(POST_ROUTES))
def test_hostile_posts_are_never_a_5xx_and_a_refused_one_stores_nothing(app, client, endpoint):
    route: Route = POST_ROUTES[endpoint]
    world = World.build()
    route.log_in_as(client, world)
    form_fields = list(resolve(route.form, world))
    query_fields = list(resolve(route.query, world))
    posts = []

    def post(form: dict[str, Any], query: dict[str, Any]) -> None:
        posts.append(1)
        before = snapshot()
        response = client.post(
            resolve(route.url, world),
            query_string=fill(resolve(route.query, world), query),
            data=fill(resolve(route.form, world), form),
        )
        assert response.status_code < 500, (form, query)
        if refused(client, response):
            assert snapshot() == before, f"a refused post ({response.status_code}) stored data"
        if route.after is not None:
            route.after(client, world)

    for value in SWEEP:
        for name in form_fields:
            post({name: value}, {})
        for name in query_fields:
            post({}, {name: value})

    @FUZZ
    @given(form=field_choices(form_fields), query=field_choices(query_fields))
    def explore(form, query):
        post(form, query)

    explore()
    # The figures, for `pytest tests/fuzz -s`.
    fields = len(form_fields) + len(query_fields)
    print(f"\nfuzzed {endpoint}: {fields} fields, {len(posts)} posts", end="")
