"""The admin's outbox: every e-mail the CRM wrote and how its delivery went, for admins.

Read only. Messages are written by the features that send them and changed only by their
delivery (crm/mail/), so the view has neither forms nor any route that takes a POST: not
merely refused, absent.
"""

from markupsafe import Markup

from crm.admin.base import ADMINS, StaffModelView
from crm.admin.columns import COLUMN_FORMATTERS, COLUMN_LABELS
from crm.admin.filters import enum_filter
from crm.admin.formatters import formatted, label_of
from crm.extensions import db
from crm.i18n.formats import day
from crm.i18n.labels import OUTBOX_STATUS_LABELS
from crm.i18n.texts import lazy_text as _l
from crm.models import OutboxMessage, OutboxStatus


def next_attempt(_view, _context, message: OutboxMessage, _name) -> str:
    """When the next try is due: only for a message that is waiting for one."""
    return day(message.next_attempt_at) if message.status == OutboxStatus.WAITING else ""


def preformatted(_view, _context, message: OutboxMessage, name) -> Markup:
    """A plain-text body with its line breaks, escaped."""
    return Markup('<pre class="mb-0">{}</pre>').format(getattr(message, name))


class OutboxAdmin(StaffModelView):
    index_group = _l("E-mail")
    allowed_roles = ADMINS
    can_create = can_edit = can_delete = False
    # Flask-Admin's routes that write (create, edit, delete, bulk actions, inline edits) and
    # the picker of created records: the view does not have them.
    create_view = edit_view = delete_view = action_view = ajax_update = picked_view = None
    list_template = "admin/crm_outbox_list.html"

    column_list = [
        "created_at",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    column_details_list = [*column_list, "locale", "message_id", "last_error", "text_body"]
    column_labels = {
        **COLUMN_LABELS,
        "created_at": _l("Written"),
        "recipient": _l("Recipient"),
        "subject": _l("Subject"),
        "status": _l("Status"),
        "attempts": _l("Tries"),
        "next_attempt_at": _l("Next try"),
        "sent_at": _l("Sent or logged"),
        "locale": _l("Language"),
        "message_id": _l("Message-ID"),
        "last_error": _l("Last error"),
        "text_body": _l("Text"),
    }
    # Newest first.
    column_default_sort = ("id", True)
    column_sortable_list = ["created_at", "status", "next_attempt_at", "sent_at"]
    column_searchable_list = ["recipient"]
    column_filters = [
        enum_filter(
            OutboxMessage.status, column_labels["status"], OutboxStatus, OUTBOX_STATUS_LABELS
        )
    ]
    column_formatters = {
        **COLUMN_FORMATTERS,
        "status": label_of(OUTBOX_STATUS_LABELS),
        "next_attempt_at": next_attempt,
        "sent_at": formatted(day),
    }
    column_formatters_detail = {**column_formatters, "text_body": preformatted}


def outbox_view() -> OutboxAdmin:
    return OutboxAdmin(OutboxMessage, db, name=_l("Outbox"), endpoint="outbox")
