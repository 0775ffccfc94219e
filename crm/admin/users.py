"""The admin's logins: staff and customers' accounts, written through the auth services."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField

from crm.admin.base import ADMINS, StaffModelView
from crm.admin.columns import COLUMN_FORMATTERS, COLUMN_LABELS
from crm.admin.fields import DropDownField, enum_choices
from crm.admin.filters import enum_filter
from crm.admin.formatters import label_of
from crm.admin.lookups import customer_lookup
from crm.auth.services import create_user, delete_user, update_user
from crm.i18n.labels import ROLE_LABELS
from crm.models import Role, User

#: What the form sets and the list shows; the password is only ever written.
LOGIN_FIELDS = ("email", "full_name", "role", "active", "customer")


class UserAdmin(StaffModelView):
    index_group = _l("Staff and logins")
    allowed_roles = ADMINS

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
            description=_l("At least 8 characters. When editing, leave empty to keep it."),
        )
    }
    form_ajax_refs = {"customer": customer_lookup()}
    form_args = {
        "role": enum_choices(Role, ROLE_LABELS),
        "customer": {"description": _l("Only for a customer's login to the personal account.")},
    }

    def create_record(self, session, data):
        user = create_user(
            session,
            data["email"] or "",
            data["password"] or "",
            data["role"],
            full_name=data["full_name"],
            customer=data["customer"],
        )
        user.active = bool(data["active"])
        session.flush()
        return user

    def update_record(self, session, user, data, expected_version):
        return update_user(
            session,
            user,
            email=data["email"] or "",
            role=data["role"],
            active=bool(data["active"]),
            full_name=data["full_name"],
            customer=data["customer"],
            password=data["password"] or None,
            acting_user=current_user._get_current_object(),
            expected_version=expected_version,
        )

    def delete_record(self, session, user):
        delete_user(session, user, acting_user=current_user._get_current_object())
