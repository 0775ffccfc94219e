"""How an audit event reads in the user's language: its action, its actor, the record it
concerns (with a link to that record's page) and its changes field by field.

The labels themselves live with the others in crm/i18n/labels.py; values are shown as
stored (money and dates as the trail keeps them), except those with labels (statuses,
categories, roles), yes/no, and secrets, whose values the trail never kept.
"""

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _

from crm.auth.access import has_role
from crm.i18n.labels import ACTION_LABELS, ACTOR_LABELS, ENTITY_LABELS, FIELD_LABELS, VALUE_LABELS
from crm.models import STAFF_ROLES, Role
from crm.models.audit import HIDDEN, SYSTEM, AuditEvent

#: What stands for a field that had no value.
EMPTY = "—"
#: The page of each kind of record that has one: (endpoint, the argument naming the record,
#: the roles that may open it). Products and logins are shown in the admin.
RECORD_PAGES = {
    "customer": ("customers.detail", "customer_id", STAFF_ROLES),
    "loan": ("loans.detail", "loan_id", STAFF_ROLES),
    "product": ("product.details_view", "id", STAFF_ROLES),
    "user": ("user.details_view", "id", frozenset({Role.ADMIN})),
}
#: Records shown on their loan's page.
ON_THE_LOAN_PAGE = frozenset({"installment", "payment"})


@dataclass(frozen=True)
class ChangedField:
    """One line of an event's changes. `before` is None when there is nothing to show
    before the value: a record or a fact written for the first time, or a secret."""

    name: str
    label: str
    before: str | None
    after: str


def action_label(action: str) -> str:
    """The action in the user's language; one the labels do not know, as stored."""
    label = ACTION_LABELS.get(action)
    return action if label is None else str(label)


def entity_label(entity: str) -> str:
    label = ENTITY_LABELS.get(entity)
    return entity if label is None else str(label)


def actor_label(event: AuditEvent) -> str:
    """Who acted: the e-mail as it was then, or "System (the command)", "Anonymous visitor"."""
    label = ACTOR_LABELS.get(event.actor)
    if label is None:
        return event.actor
    if event.actor == SYSTEM and event.command:
        return f"{label} ({event.command})"
    return str(label)


def record_name(event: AuditEvent) -> str:
    """ "Loan #7": the kind of record and its number."""
    name = entity_label(event.entity)
    return name if event.entity_id is None else f"{name} #{event.entity_id}"


def record_url(event: AuditEvent) -> str | None:
    """The page of the record the event concerns, where there is one (none for a record
    the event deleted)."""
    if event.action == "delete":
        return None
    if event.entity in ON_THE_LOAN_PAGE:
        return page_url("loan", event.loan_id)
    return page_url(event.entity, event.entity_id)


def page_url(entity: str, number: int | None) -> str | None:
    """The page of the record `entity` #`number`, if the app has pages for that kind (the
    admin is registered apart from the rest) and the user may open them."""
    page = RECORD_PAGES.get(entity)
    if page is None or number is None:
        return None
    endpoint, argument, roles = page
    if endpoint not in current_app.view_functions or not has_role(roles):
        return None
    return url_for(endpoint, **{argument: number})


def field_label(entity: str, name: str) -> str:
    label = FIELD_LABELS.get(entity, {}).get(name)
    return name if label is None else str(label)


def value_text(entity: str, name: str, value: Any) -> str:
    """A stored value as the user reads it."""
    if value is None:
        return EMPTY
    if value == HIDDEN:
        return _("changed (not shown)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    label = VALUE_LABELS.get((entity, name), {}).get(value) if isinstance(value, str) else None
    return str(value) if label is None else str(label)


def changed_fields(event: AuditEvent) -> list[ChangedField]:
    """The event's changes, field by field in the order they were stored. Befores are left
    out when every one of them is empty (a new record, a security event's facts)."""
    changes: dict[str, list] = event.changes or {}
    first_values = all(before is None for before, _after in changes.values())
    return [
        ChangedField(
            name,
            field_label(event.entity, name),
            None if first_values or after == HIDDEN else value_text(event.entity, name, before),
            value_text(event.entity, name, after),
        )
        for name, (before, after) in changes.items()
    ]
