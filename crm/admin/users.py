"""The admin's logins: staff and customers' accounts, written through the auth services,
and their open sessions, which an admin can end."""

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_babel import ngettext
from flask_login import current_user
from wtforms import PasswordField

from crm.admin.base import ADMINS, StaffModelView
from crm.admin.columns import COLUMN_FORMATTERS, COLUMN_LABELS
from crm.admin.fields import DropDownField, enum_choices
from crm.admin.filters import enum_filter
from crm.admin.formatters import label_of
from crm.admin.lookups import customer_lookup
from crm.auth.events import security_event
from crm.auth.login_sessions import current_login_session, idle_limits
from crm.auth.navigation import safe_next
from crm.auth.reauth import check_reauthenticated
from crm.auth.services import create_user, delete_user, update_user
from crm.extensions import db
from crm.i18n.labels import ROLE_LABELS
from crm.i18n.texts import lazy_text as _l
from crm.models import Role, SessionEnd, User, UserSession
from crm.sessions.queries import open_sessions
from crm.sessions.services import end_session, end_sessions
from crm.validation import parse_id

#: What the form sets and the list shows; the password is only ever written.
LOGIN_FIELDS = ("email", "full_name", "role", "active", "customer")
#: Views that create a login or change one (its role, password, active flag), or end someone's
#: sessions: the admin confirms their password (and code) first, as someone who found the
#: session open cannot.
REAUTHENTICATED_VIEWS = frozenset({"create_view", "edit_view", "delete_view", "end_sessions_view"})
#: Of those, the ones answering POSTs only: after the confirmation the admin comes back to the
#: list rather than to their address.
POST_ONLY_VIEWS = frozenset({"delete_view", "end_sessions_view"})


class UserAdmin(StaffModelView):
    index_group = _l("Staff and logins")
    allowed_roles = ADMINS
    # Both show the user's open sessions (admin/_user_sessions.html).
    edit_template = "admin/crm_user_edit.html"
    details_template = "admin/crm_user_details.html"

    column_list = [*LOGIN_FIELDS, "created_at"]
    column_details_list = column_list
    column_labels = {
        **COLUMN_LABELS,
        "full_name": _l("Full name"),
        "role": _l("Role"),
        "password": _l("Password"),
    }
    column_sortable_list = ["email", "full_name", "role", "created_at"]
    column_default_sort = "email"
    column_searchable_list = ["email", "full_name"]
    column_filters = [enum_filter(User.role, column_labels["role"], Role, ROLE_LABELS), "active"]
    column_formatters = {**COLUMN_FORMATTERS, "role": label_of(ROLE_LABELS)}
    form_columns = [*LOGIN_FIELDS, "password"]
    form_overrides = {"role": DropDownField}
    form_extra_fields = {
        "password": PasswordField(
            column_labels["password"],
            description=_l(
                "At least 12 characters, not a common password nor your name. "
                "When editing, leave empty to keep it."
            ),
        )
    }
    form_ajax_refs = {"customer": customer_lookup()}
    form_args = {
        "role": enum_choices(Role, ROLE_LABELS),
        "customer": {"description": _l("Only for a customer's login to the personal account.")},
    }

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is None and name in REAUTHENTICATED_VIEWS:
            back = self.get_url(".index_view") if name in POST_ONLY_VIEWS else None
            return check_reauthenticated(back)
        return refused

    def create_record(self, session, data):
        return create_user(
            session,
            data["email"] or "",
            data["password"] or "",
            data["role"],
            full_name=data["full_name"],
            customer=data["customer"],
            active=bool(data["active"]),
        )

    def update_record(self, session, user, data, expected_version):
        updated = update_user(
            session,
            user,
            email=data["email"] or "",
            role=data["role"],
            active=bool(data["active"]),
            full_name=data["full_name"],
            customer=data["customer"],
            password=data["password"] or None,
            acting_user=current_user._get_current_object(),
            keep=current_login_session(),
            expected_version=expected_version,
        )
        if data["password"]:
            by = current_user._get_current_object()
            security_event("password_changed", user_id=user.id, email=user.email, by=by.id)
        return updated

    def delete_record(self, session, user):
        delete_user(session, user, acting_user=current_user._get_current_object())

    def open_sessions(self, user: User) -> list[UserSession]:
        """The user's open sessions, for the edit and details pages."""
        return open_sessions(db.session, user, idle=idle_limits())

    @expose("/sessions/end/", methods=["POST"])
    def end_sessions_view(self):
        """End one session of a user (form field `session`) or all of them: the one place
        where an admin ends someone else's sessions (each is logged as session_ended)."""
        if not self.can_edit:
            abort(403)
        user = self.get_one(request.form.get("user", ""))
        if user is None:
            abort(404)
        admin = current_user._get_current_object()
        if request.form.get("session"):
            record = db.session.get(UserSession, parse_id(request.form["session"]) or 0)
            if record is None or record.user_id != user.id:
                abort(404)
            ended = int(end_session(db.session, record, reason=SessionEnd.ENDED_BY_ADMIN, by=admin))
        else:
            # An admin ending their own sessions here stays logged in where they do it.
            ended = end_sessions(
                db.session,
                user,
                reason=SessionEnd.ENDED_BY_ADMIN,
                keep=current_login_session(),
                by=admin,
            )
        db.session.commit()
        flash(ngettext("%(num)d session ended.", "%(num)d sessions ended.", ended), "success")
        return redirect(
            safe_next(request.form.get("next")) or self.get_url(".edit_view", id=user.id)
        )
