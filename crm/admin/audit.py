"""The admin's audit trail: every event, newest first, for admins to read and never to change.

The view is read-only in two ways: it offers no form, action or inline edit, and it does not
even have the routes that would take a POST (create, edit, delete, the list's actions and
inline edits), so that nothing can be posted to it whatever a page or a client sends. The
trail grows without end, so the list never counts it and sorts only by the primary key.
"""

from markupsafe import Markup

from crm.admin.base import ADMINS, StaffModelView
from crm.admin.columns import COLUMN_LABELS
from crm.admin.filters import ChoiceFilter, TypedTextFilter, date_filters
from crm.admin.formatters import formatted
from crm.audit import display
from crm.i18n.formats import day
from crm.i18n.labels import ACTION_LABELS, ENTITY_LABELS
from crm.i18n.texts import lazy_text as _l
from crm.models import AuditEvent

#: What the details page shows above the event's changes.
DETAILS = ("id", "at", "actor", "action", "entity", "customer_id", "loan_id", "ip", "request_id")


def labelled(labels: dict) -> list[tuple[str, str]]:
    """A filter's options: (stored value, label) of each entry."""
    return [(value, str(label)) for value, label in labels.items()]


def _link(url: str | None, text: str) -> Markup | str:
    return text if url is None else Markup('<a href="{}">{}</a>').format(url, text)


def _record(_view, _context, event: AuditEvent, _name) -> Markup | str:
    return _link(display.record_url(event), display.record_name(event))


def _number_of(entity: str):
    """A column formatter for an id column naming a record of `entity`: #id, linked."""

    def formatter(_view, _context, event: AuditEvent, name: str) -> Markup | str:
        number = getattr(event, name)
        if number is None:
            return ""
        return _link(display.page_url(entity, number), f"#{number}")

    return formatter


class AuditAdmin(StaffModelView):
    index_group = _l("Audit")
    allowed_roles = ADMINS
    details_template = "admin/crm_audit_details.html"

    # Read only: none of the pages that write, and none of the routes that would take a post.
    can_create = can_edit = can_delete = False
    create_view = edit_view = delete_view = action_view = ajax_update = picked_view = None
    # Every event ever recorded: no COUNT(*) per page, only "next".
    simple_list_pager = True

    column_list = ["at", "actor", "action", "entity", "customer_id", "ip"]
    column_details_list = list(DETAILS)
    column_labels = {
        "id": COLUMN_LABELS["id"],
        "at": _l("When"),
        "actor": _l("Who"),
        "action": _l("Action"),
        "entity": _l("Record"),
        "customer_id": _l("Customer"),
        "loan_id": _l("Loan"),
        "ip": _l("IP address"),
        "request_id": _l("Request"),
    }
    # Newest first, by the primary key; other orders would sort the whole trail.
    column_sortable_list: list[str] = []
    column_default_sort = ("id", True)
    column_filters = [
        TypedTextFilter(AuditEvent.actor, column_labels["actor"]),
        ChoiceFilter(AuditEvent.entity, _l("Kind of record"), lambda: labelled(ENTITY_LABELS)),
        ChoiceFilter(AuditEvent.action, column_labels["action"], lambda: labelled(ACTION_LABELS)),
        *date_filters(AuditEvent.at, column_labels["at"]),
    ]
    column_formatters = {
        "at": formatted(day),
        "actor": lambda _view, _context, event, _name: display.actor_label(event),
        "action": lambda _view, _context, event, _name: display.action_label(event.action),
        "entity": _record,
        "customer_id": _number_of("customer"),
        "loan_id": _number_of("loan"),
    }
    # Flask-Admin builds the forms when the view is made; these pages never show them.
    form_columns = ["action"]
