"""How events read (crm/audit/display.py): a label for every field and action the trail can
hold, values as stored but for labelled ones, and a link to the record's page."""

import ast
from pathlib import Path

import pytest
from flask_login import login_user
from sqlalchemy import inspect

import crm
from crm.audit import display
from crm.audit.recorder import KINDS
from crm.audit.registry import AUDITED, LIFECYCLE_ACTIONS
from crm.i18n.labels import ACTION_LABELS, FIELD_LABELS
from crm.models import AuditEvent
from crm.models.audit import HIDDEN, SYSTEM

SOURCES = sorted(Path(crm.__file__).parent.rglob("*.py"))
#: The functions that store a security event: (name of the event, facts as keywords).
SECURITY_CALLS = {"security_event", "refusal_event"}
#: The one security event built as data rather than by a call (crm/auth/login_sessions.py).
BUILT_AS_DATA = {"session_ended": {"email", "reason", "sessions", "by"}}


def security_events() -> dict[str, set[str]]:
    """Each security event the code stores, with the names of its facts."""
    found: dict[str, set[str]] = {name: set(facts) for name, facts in BUILT_AS_DATA.items()}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in SECURITY_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                facts = {keyword.arg for keyword in node.keywords} - {"user_id"}
                found.setdefault(node.args[0].value, set()).update(facts)
    return found


def audited_columns() -> list[tuple[str, str]]:
    return [
        (spec.entity, attribute.key)
        for model, spec in AUDITED.items()
        for attribute in inspect(model).column_attrs
        if attribute.key not in spec.ignored and not attribute.columns[0].primary_key
    ]


def test_the_source_is_read_for_security_events():
    assert {"log_in", "log_in_failed", "access_refused", "password_changed"} <= set(
        security_events()
    )


def test_every_action_the_trail_can_hold_has_a_label():
    actions = {*KINDS, *LIFECYCLE_ACTIONS.values(), "payment", "reversal", *security_events()}
    assert actions - set(ACTION_LABELS) == set()


@pytest.mark.parametrize(("entity", "column"), audited_columns(), ids="{0[0]}.{0[1]}".format)
def test_every_audited_column_has_a_label(entity, column):
    assert column in FIELD_LABELS[entity]


def test_every_fact_of_a_security_event_has_a_label():
    facts = set().union(*security_events().values())
    assert facts - set(FIELD_LABELS["user"]) == set()


def event(**fields) -> AuditEvent:
    return AuditEvent(**{"actor": SYSTEM, "action": "update", "entity": "loan", **fields})


def test_values_are_shown_as_stored_except_labelled_ones(app):
    assert display.value_text("loan", "status", "written_off") == "Written off"
    assert display.value_text("product", "category", "secured") == "Secured"
    assert display.value_text("user", "role", "manager") == "Manager"
    assert display.value_text("user", "by", SYSTEM) == "System"
    assert display.value_text("loan", "amount", "10000.00") == "10000.00"
    assert display.value_text("loan", "refusal_reason", "written_off") == "written_off"
    assert display.value_text("product", "active", False) == "No"
    assert display.value_text("user", "password_hash", HIDDEN) == "changed (not shown)"
    assert display.value_text("loan", "decided_at", None) == "—"


def test_an_update_shows_befores_and_a_new_record_only_its_values(app):
    update = event(changes={"status": ["pending", "active"], "disbursed_on": [None, "2025-01-15"]})
    create = event(action="create", changes={"status": [None, "pending"], "amount": [None, "5.00"]})

    assert [(f.label, f.before, f.after) for f in display.changed_fields(update)] == [
        ("Status", "Pending", "Active"),
        ("Disbursed on", "—", "2025-01-15"),
    ]
    assert [(f.label, f.before, f.after) for f in display.changed_fields(create)] == [
        ("Status", None, "Pending"),
        ("Amount", None, "5.00"),
    ]


def test_a_field_or_action_nobody_labelled_is_shown_by_its_name(app):
    unknown = event(action="renamed", entity="thing", changes={"colour": ["red", "blue"]})
    assert display.action_label("renamed") == "renamed"
    assert display.record_name(unknown) == "thing"
    assert [(f.label, f.before, f.after) for f in display.changed_fields(unknown)] == [
        ("colour", "red", "blue")
    ]


def test_the_actor_is_named(app):
    assert display.actor_label(event(command="demo load")) == "System (demo load)"
    assert display.actor_label(event(actor="anonymous")) == "Anonymous visitor"
    assert display.actor_label(event(actor="olena@example.com")) == "olena@example.com"


@pytest.mark.parametrize("who", ["manager", "admin_user"])
def test_records_link_to_the_pages_the_reader_may_open(app, request, who):
    user = request.getfixturevalue(who)
    with app.test_request_context():
        login_user(user)
        assert display.record_url(event(entity_id=7, loan_id=7)) == "/loans/7"
        assert display.record_url(event(entity="payment", entity_id=3, loan_id=7)) == "/loans/7"
        assert display.record_url(event(entity="customer", entity_id=2)) == "/customers/2"
        assert display.record_url(event(entity="product", entity_id=4)) == (
            "/admin/product/details/?id=4"
        )
        login = display.record_url(event(entity="user", entity_id=5))
        assert login == ("/admin/user/details/?id=5" if who == "admin_user" else None)
        assert display.record_url(event(action="delete", entity_id=7, loan_id=7)) is None
        assert display.record_url(event(entity="user", entity_id=None)) is None
