"""The admin's customers: the fields the customer services take, listed and edited."""

from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, with_expression
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from crm.admin.base import ADMINS, CUSTOMERS_AND_LOANS, StaffModelView
from crm.admin.columns import COLUMN_FORMATTERS, COLUMN_LABELS
from crm.admin.fields import RecordSelectField
from crm.admin.filters import date_filters, manager_filter
from crm.admin.formatters import formatted
from crm.auth.access import has_role
from crm.auth.queries import staff_members, staff_names
from crm.clock import lender_today
from crm.customers import services as customer_services
from crm.extensions import db
from crm.i18n.fields import DateInputField
from crm.i18n.formats import day, phone
from crm.i18n.labels import FIELD_LABELS
from crm.i18n.texts import lazy_text as _l
from crm.models import Customer, Loan, Role
from crm.models.customer import MAX_ADDRESS
from crm.models.sorting import ukrainian_order
from crm.validation import MAX_TYPED_PHONE, FieldError, TakenError, parse_id

#: Fields the list leaves to the details page.
DETAILS_ONLY = ("birth_date", "address")
#: Which rows can be deleted (can_delete_record) is read with the rows: loading their loans
#: instead cost a query and a fifth of the page (docs/PERFORMANCE.md). Built once: building
#: it cost every page of the list ~0.8 M instructions.
WITH_HAS_LOANS = with_expression(
    Customer.has_loans, exists().where(Loan.customer_id == Customer.id)
)


def active_staff():
    """The staff members a customer may be given to: deactivated logins are left out."""
    return db.session.scalars(staff_members(active_only=True)).all()


def current_staff() -> Any:
    """The logged-in user when they are a manager (a new customer's default manager)."""
    if current_user.is_authenticated and current_user.role is Role.MANAGER:
        return current_user._get_current_object()
    return None


class ReassignForm(FlaskForm):
    #: The choices are the active staff (set by the view); any id is read, and the service
    #: refuses one that is not active staff, beside the field.
    manager = SelectField(_l("New manager"), coerce=parse_id, validate_choice=False)


class CustomerAdmin(StaffModelView):
    index_group = CUSTOMERS_AND_LOANS
    delete_roles = ADMINS
    # 100 000 customers: no COUNT(*) per page, only "next".
    simple_list_pager = True
    search_folded = True

    column_list = [
        *(name for name in customer_services.CUSTOMER_FIELDS if name not in DETAILS_ONLY),
        "created_at",
    ]
    column_details_list = ["id", *customer_services.CUSTOMER_FIELDS, "created_at"]
    column_labels = {
        **FIELD_LABELS["customer"],
        **COLUMN_LABELS,
        "search_text": _l("name, phone, e-mail or tax id"),
    }
    # Ukrainian alphabetical order, whatever the database's collation.
    column_sortable_list = [("last_name", ukrainian_order(Customer.last_name)), "created_at"]
    column_default_sort = [("created_at", True), ("id", True)]
    column_searchable_list = ["search_text"]
    column_filters = [
        manager_filter(),
        *date_filters(Customer.created_at, COLUMN_LABELS["created_at"]),
    ]
    column_formatters = {
        **COLUMN_FORMATTERS,
        "phone": formatted(phone),
        "birth_date": formatted(day),
    }
    form_columns = list(customer_services.CUSTOMER_FIELDS)
    #: The service normalises the phone: its column's length is not a limit on typing.
    form_normalised = ("phone",)
    form_overrides = {"manager": RecordSelectField, "birth_date": DateInputField}
    form_args = {
        "manager": {
            "query_factory": active_staff,
            "default": current_staff,
            "blank_text": _l("(nobody)"),
        },
        "phone": {
            "description": _l("Any common format; stored as +380501234567."),
            "render_kw": {"maxlength": MAX_TYPED_PHONE, "inputmode": "tel"},
        },
        "tax_id": {"description": _l("RNOKPP: 10 digits.")},
        # The column is TEXT; the limit is the service's (the VARCHAR fields show theirs).
        "address": {"render_kw": {"maxlength": MAX_ADDRESS}},
    }

    def create_record(self, session, data):
        return customer_services.create_customer(session, data, **self.checked_against())

    def update_record(self, session, customer, data, expected_version):
        return customer_services.update_customer(
            session,
            customer,
            data,
            expected_version=expected_version,
            **self.checked_against(),
        )

    def error_message(self, error: FieldError) -> str:
        # The staff may open the other customer: likely the same person, entered before.
        if not isinstance(error, TakenError):
            return error.message
        other = db.session.get(Customer, error.record_id)
        return Markup('{} <a href="{}" target="_blank" rel="noopener">{}</a>').format(
            error.message,
            url_for("customers.detail", customer_id=error.record_id),
            other.full_name if other is not None else error.record_id,
        )

    def get_query(self):
        return super().get_query().options(WITH_HAS_LOANS)

    def can_delete_record(self, customer: Customer) -> bool:
        # Loans are kept for the lender's records (customer_services.delete_customer).
        return not customer.has_loans

    def delete_record(self, session, customer):
        customer_services.delete_customer(session, customer)

    @staticmethod
    def checked_against() -> dict[str, Any]:
        """The phone region and the date that the customer services check a form against."""
        return {"region": current_app.config["PHONE_REGION"], "today": lender_today()}

    def is_action_allowed(self, name: str) -> bool:
        if name == "reassign" and not has_role(ADMINS):
            return False
        return super().is_action_allowed(name)

    @action("reassign", _l("Give to another manager"))
    def action_reassign(self, ids: list[str]):
        """The checked customers go to a page that asks whom to give them to."""
        return self.reassign_page(ReassignForm(formdata=None), ids)

    @expose("/reassign/", methods=["POST"])
    def reassign_view(self):
        """Give the checked customers (form fields `rowid`) to the `manager` chosen, in one
        transaction; a bad choice comes back to the page with the message (422)."""
        if not self.is_action_allowed("reassign"):
            abort(403)
        ids = request.form.getlist("rowid")
        form = ReassignForm()
        if form.validate_on_submit():
            try:
                moved = customer_services.reassign_customers(
                    db.session, [parse_id(value) for value in ids], form.manager.data
                )
                db.session.commit()
            except FieldError as error:
                db.session.rollback()
                errors = form.manager.errors if error.field == "manager" else form.form_errors
                errors.append(error.message)
            else:
                flash(
                    ngettext(
                        "%(num)d customer is given to another manager.",
                        "%(num)d customers are given to another manager.",
                        moved,
                    ),
                    "success",
                )
                return redirect(self.get_url(".index_view"))
        return self.reassign_page(form, ids), 422

    def reassign_page(self, form: ReassignForm, ids: list[str]) -> str:
        form.manager.choices = [SelectChoice("", _l("Choose a manager"))] + [
            SelectChoice(user_id, name)
            for user_id, name in staff_names(db.session, active_only=True)
        ]
        wanted = [
            number for number in map(parse_id, ids[: customer_services.MAX_REASSIGNED]) if number
        ]
        statement = (
            select(Customer)
            .options(joinedload(Customer.manager))
            .where(Customer.id.in_(wanted))
            .order_by(Customer.id)
        )
        customers = db.session.scalars(statement).all()
        return self.render("admin/crm_reassign.html", form=form, customers=customers, ids=ids)
