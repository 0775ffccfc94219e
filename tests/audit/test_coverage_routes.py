"""Every mutating route of the staff site, the account and the admin, posted with valid
values, writes exactly the events its case expects (tests/audit/*_cases.py): the actions,
the records, who acted, the values before and after; one event per record its row changed,
and nothing else, all stamped with the one request.

The routes are read from the app's url_map (the admin's views register theirs there): a
new mutating route fails test_every_mutating_route_has_a_case until it has a case.
`pytest tests/audit/test_coverage_routes.py -s` prints the coverage figures.
"""

import pytest
from flask import Flask

from tests.audit.account_cases import PERSONAL_ACCOUNT_CASES
from tests.audit.admin_cases import ADMIN_CASES
from tests.audit.cases import Case, Ctx, endpoint_of
from tests.audit.contact_cases import CONTACT_CASES
from tests.audit.expected import (
    actor_of,
    assert_events,
    assert_events_match_tables,
    audited_rows,
    last_event_id,
    written_since,
)
from tests.audit.import_cases import IMPORT_CASES
from tests.audit.link_cases import LINK_CASES
from tests.audit.loan_cases import LOAN_CASES
from tests.audit.site_cases import ACCOUNT_CASES
from tests.audit.task_cases import TASK_CASES
from tests.fuzz.routes import POST_ROUTES, World, resolve

CASES: dict[str, Case] = {
    **ACCOUNT_CASES,
    **PERSONAL_ACCOUNT_CASES,
    **LINK_CASES,
    **LOAN_CASES,
    **CONTACT_CASES,
    **ADMIN_CASES,
    **TASK_CASES,
    **IMPORT_CASES,
}
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def mutating_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & MUTATING_METHODS}


def admin_endpoints(app: Flask) -> set[str]:
    """The mutating endpoints of the admin's views (each view's blueprint is its endpoint)."""
    views = {view.endpoint for view in app.extensions["admin"][0]._views}
    return {endpoint for endpoint in mutating_endpoints(app) if endpoint.split(".")[0] in views}


def test_every_mutating_route_has_a_case(app):
    routes = mutating_endpoints(app)
    covered = {endpoint_of(key) for key in CASES}
    assert not routes - covered, "give each a case in tests/audit/*_cases.py"
    assert not covered - routes, "these routes are gone; remove their cases"
    admin = admin_endpoints(app)
    print(
        f"\naudit coverage: mutating routes {len(routes & covered)}/{len(routes)}, "
        f"of them admin endpoints {len(admin & covered)}/{len(admin)}; {len(CASES)} scenarios"
    )


def cases():
    for key, case in sorted(CASES.items()):
        gap = [pytest.mark.xfail(strict=True, reason=case.known_gap)] if case.known_gap else []
        yield pytest.param(key, marks=gap, id=key)


def assert_one_request(written) -> None:
    """Every event of the post carries its request's id and the client's address."""
    stamps = {(event.request_id, event.ip, event.command) for event in written}
    assert len(stamps) <= 1, stamps
    for request_id, ip, command in stamps:
        assert (len(request_id or ""), ip, command) == (32, "127.0.0.1", None)


@pytest.mark.parametrize("key", list(cases()))
def test_a_valid_post_writes_exactly_its_events(app, client, clock, key):
    case = CASES[key]
    route = case.route or POST_ROUTES[endpoint_of(key)]
    world = World.build()
    ctx = Ctx(app, client, world, clock)
    route.log_in_as(client, world)
    form = {**resolve(route.form, world), **((case.setup and case.setup(ctx)) or {})}
    expected = case.expect(ctx)
    before, last = audited_rows(), last_event_id()

    response = client.post(
        resolve(route.url, world), query_string=resolve(route.query, world), data=form
    )

    assert response.status_code == case.status, response.get_data(as_text=True)[:3000]
    written = written_since(last)
    assert_one_request(written)
    assert_events(expected, written, actor_of(world))
    assert_events_match_tables(before, written)
