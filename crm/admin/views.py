"""The admin's model views: configuration, plus the services each one writes through."""

from collections.abc import Mapping
from enum import Enum
from typing import Any

from flask import current_app
from flask_admin.contrib.sqla import filters
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms import HiddenField, PasswordField
from wtforms.fields.choices import SelectChoice

from crm.admin.base import (
    ADMINS,
    AddableAjaxSelect2Widget,
    ChoiceFilter,
    DropDownField,
    RecordSelectField,
    StaffModelView,
    current_staff,
)
from crm.auth.queries import staff_members, staff_names
from crm.auth.services import create_user, delete_user, update_user
from crm.clock import lender_today
from crm.customers import services as customer_services
from crm.customers.queries import search_customers
from crm.extensions import db
from crm.i18n.fields import DateInputField, DecimalInputField, MoneyField
from crm.i18n.formats import day, money, percent, phone
from crm.i18n.labels import CATEGORY_LABELS, REPAYMENT_LABELS, ROLE_LABELS, STATUS_LABELS
from crm.lending.schedule import RepaymentMethod
from crm.lending.status import LoanStatus
from crm.loans.services import applications
from crm.models import Customer, Loan, Product, ProductCategory, Role, User
from crm.models.sorting import ukrainian_order
from crm.products import services as product_services
from crm.products.queries import product_names
from crm.templating import STATUS_COLOURS
from crm.validation import parse_id

CUSTOMERS_AND_LOANS = _l("Customers and loans")


def enum_choices(enum_class: type[Enum], labels: Mapping[Enum, str]) -> dict[str, Any]:
    """form_args for a drop-down of an enum's members, shown by label, read back as members."""
    return {
        "choices": [SelectChoice(member.value, labels[member]) for member in enum_class],
        "coerce": enum_class,
    }


def active_staff():
    return db.session.scalars(staff_members(active_only=True)).all()


def date_filters(column, name: str) -> list:
    """After, before and between, for a timestamp column (equality to the second is no use)."""
    return [
        filters.DateTimeGreaterFilter(column, name),
        filters.DateTimeSmallerFilter(column, name),
        filters.DateTimeBetweenFilter(column, name),
    ]


def formatted(function, attribute: str | None = None):
    """A column formatter that shows the model's attribute through a template filter."""

    def formatter(_view, _context, model, name):
        return function(getattr(model, attribute or name))

    return formatter


def status_badge(_view, _context, loan: Loan, _name) -> Markup:
    colour = STATUS_COLOURS[loan.status]
    return Markup('<span class="badge badge-{}">{}</span>').format(
        colour, STATUS_LABELS[loan.status]
    )


def label_of(labels: Mapping[Enum, str]):
    def formatter(_view, _context, model, name):
        return labels[getattr(model, name)]

    return formatter


class RecordLookup(QueryAjaxModelLoader):
    """A picker's loader that checks the id a form sends before the database sees it."""

    def get_one(self, pk):
        number = parse_id(pk)
        return None if number is None else super().get_one(number)


class CustomerLookup(RecordLookup):
    """Customers for a picker, found the way the staff search finds them (any alphabet's
    case, a phone typed with spaces), labelled with the phone to tell namesakes apart."""

    def get_list(self, term, offset=0, limit=10):
        statement = search_customers(term, sort="name").offset(offset or 0).limit(limit)
        return list(db.session.scalars(statement))

    def format(self, model):
        if model is None:
            return None
        return model.id, f"{model.full_name} · {phone(model.phone)}"


class ProductLookup(RecordLookup):
    """Products on offer for a picker; a lender has a handful, matched in Python so that
    case folding works for Cyrillic names on SQLite too."""

    def get_list(self, term, offset=0, limit=10):
        folded = (term or "").casefold()
        offered = db.session.scalars(select(Product).where(Product.active).order_by(Product.name))
        matches = [product for product in offered if folded in product.name.casefold()]
        start = offset or 0
        return matches[start : start + limit]


class CustomerAdmin(StaffModelView):
    index_group = CUSTOMERS_AND_LOANS
    delete_roles = ADMINS
    # 100 000 customers: no COUNT(*) per page, only "next".
    simple_list_pager = True
    search_folded = True

    column_list = [
        "last_name",
        "first_name",
        "patronymic",
        "phone",
        "email",
        "tax_id",
        "manager",
        "created_at",
    ]
    column_details_list = ["id", *customer_services.CUSTOMER_FIELDS, "created_at"]
    column_labels = {
        "id": _l("Number"),
        "last_name": _l("Last name"),
        "first_name": _l("First name"),
        "patronymic": _l("Patronymic"),
        "phone": _l("Phone"),
        "email": _l("E-mail"),
        "birth_date": _l("Date of birth"),
        "tax_id": _l("Tax id"),
        "address": _l("Address"),
        "manager": _l("Manager"),
        "created_at": _l("Created"),
        "search_text": _l("name, phone, e-mail or tax id"),
    }
    # Ukrainian alphabetical order, whatever the database's collation.
    column_sortable_list = [("last_name", ukrainian_order(Customer.last_name)), "created_at"]
    column_default_sort = [("created_at", True), ("id", True)]
    column_searchable_list = ["search_text"]
    column_filters = [
        ChoiceFilter(Customer.manager_id, _l("Manager"), lambda: staff_names(db.session), int),
        *date_filters(Customer.created_at, _l("Created")),
    ]
    column_formatters = {
        "phone": formatted(phone),
        "created_at": formatted(day),
        "birth_date": formatted(day),
    }
    form_columns = list(customer_services.CUSTOMER_FIELDS)
    form_overrides = {"manager": RecordSelectField, "birth_date": DateInputField}
    form_args = {
        "manager": {
            "query_factory": active_staff,
            "default": current_staff,
            "blank_text": _l("(nobody)"),
        },
        "phone": {"description": _l("Any common format; stored as +380501234567.")},
        "tax_id": {"description": _l("RNOKPP: 10 digits.")},
    }

    def create_record(self, session, data):
        return customer_services.create_customer(
            session, data, region=current_app.config["PHONE_REGION"], today=lender_today()
        )

    def update_record(self, session, customer, data):
        return customer_services.update_customer(
            session,
            customer,
            data,
            region=current_app.config["PHONE_REGION"],
            today=lender_today(),
        )

    def delete_record(self, session, customer):
        customer_services.delete_customer(session, customer)


class LoanAdmin(StaffModelView):
    index_group = CUSTOMERS_AND_LOANS
    delete_roles = ADMINS
    # 300 000 loans: no COUNT(*) per page, only "next".
    simple_list_pager = True
    search_folded = True

    column_list = [
        "id",
        "customer",
        "product",
        "amount",
        "term_months",
        "annual_rate",
        "status",
        "created_at",
    ]
    column_details_list = [
        "id",
        "customer",
        "product",
        "amount",
        "term_months",
        "annual_rate",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "refusal_reason",
        "disbursed_on",
        "principal_outstanding",
    ]
    column_labels = {
        "id": _l("Number"),
        "customer": _l("Customer"),
        "product": _l("Product"),
        "amount": _l("Amount"),
        "term_months": _l("Term, months"),
        "annual_rate": _l("Rate, % a year"),
        "status": _l("Status"),
        "created_at": _l("Applied"),
        "decided_at": _l("Decided"),
        "decided_by": _l("Decided by"),
        "refusal_reason": _l("Refusal reason"),
        "disbursed_on": _l("Disbursed on"),
        "principal_outstanding": _l("Principal outstanding"),
        "customer.search_text": _l("customer's name, phone, e-mail or tax id"),
    }
    column_sortable_list = ["id", "amount", "term_months", "annual_rate", "status", "created_at"]
    column_default_sort = [("created_at", True), ("id", True)]
    column_searchable_list = ["customer.search_text"]
    column_filters = [
        ChoiceFilter(
            Loan.status,
            _l("Status"),
            lambda: [(status.value, STATUS_LABELS[status]) for status in LoanStatus],
        ),
        ChoiceFilter(Loan.product_id, _l("Product"), lambda: product_names(db.session), int),
        ChoiceFilter(
            Product.category,
            _l("Category"),
            lambda: [(category.value, CATEGORY_LABELS[category]) for category in ProductCategory],
        ),
        ChoiceFilter(Customer.manager_id, _l("Manager"), lambda: staff_names(db.session), int),
        *date_filters(Loan.created_at, _l("Applied")),
    ]
    column_formatters = {
        "amount": formatted(money),
        "principal_outstanding": formatted(money),
        "annual_rate": formatted(percent),
        "status": status_badge,
        "created_at": formatted(day),
        "decided_at": formatted(day),
        "disbursed_on": formatted(day),
    }
    # The forms show the schedule the terms would give (GET /loans/preview) as they change.
    create_template = "admin/crm_loan_create.html"
    edit_template = "admin/crm_loan_edit.html"
    # Status, rate and decision fields are not in the form: a new loan is a pending
    # application at the product's rate, and status changes belong to the lifecycle
    # services (start, refuse), which also write the schedule.
    form_columns = ["customer", "product", "amount", "term_months", "version"]
    form_overrides = {"amount": MoneyField}
    form_ajax_refs = {
        "customer": CustomerLookup(
            "customer", db, Customer, fields=["search_text"], placeholder=_l("Find a customer")
        ),
        "product": ProductLookup(
            "product", db, Product, fields=["name"], placeholder=_l("Pick a product")
        ),
    }
    form_args = {
        "customer": {"widget": AddableAjaxSelect2Widget("customer", _l("Add a new customer"))},
        "product": {"widget": AddableAjaxSelect2Widget("product", _l("Add a new product"))},
        "amount": {"description": _l("Within the product's limits; whole cents.")},
        "term_months": {"description": _l("Within the product's limits.")},
    }
    #: The version the form was built from, so that saving over a newer one is refused.
    form_extra_fields = {"version": HiddenField()}

    def create_record(self, session, data):
        return applications.apply_for_loan(
            session, data["customer"], data["product"], data["amount"], data["term_months"]
        )

    def update_record(self, session, loan, data):
        return applications.update_application(
            session,
            loan,
            customer=data["customer"],
            product=data["product"],
            amount=data["amount"],
            term_months=data["term_months"],
            expected_version=parse_id(data.get("version")),
        )

    def delete_record(self, session, loan):
        applications.delete_application(session, loan)


class ProductAdmin(StaffModelView):
    index_group = _l("Catalogue")
    # Managers read the catalogue; only admins change what the lender offers.
    create_roles = edit_roles = delete_roles = ADMINS

    column_list = [
        "name",
        "category",
        "annual_rate",
        "min_amount",
        "max_amount",
        "min_term",
        "max_term",
        "repayment_method",
        "active",
    ]
    column_details_list = [*column_list, "description", "created_at"]
    column_labels = {
        "name": _l("Name"),
        "category": _l("Category"),
        "annual_rate": _l("Rate, % a year"),
        "min_amount": _l("Smallest amount"),
        "max_amount": _l("Largest amount"),
        "min_term": _l("Shortest term, months"),
        "max_term": _l("Longest term, months"),
        "repayment_method": _l("Repayment"),
        "active": _l("Active"),
        "description": _l("Description"),
        "created_at": _l("Created"),
    }
    column_sortable_list = ["name", "annual_rate", "active"]
    column_default_sort = "name"
    column_searchable_list = ["name"]
    column_filters = [
        ChoiceFilter(
            Product.category,
            _l("Category"),
            lambda: [(category.value, CATEGORY_LABELS[category]) for category in ProductCategory],
        ),
        ChoiceFilter(
            Product.repayment_method,
            _l("Repayment"),
            lambda: [(method.value, REPAYMENT_LABELS[method]) for method in RepaymentMethod],
        ),
        "active",
    ]
    column_formatters = {
        "category": label_of(CATEGORY_LABELS),
        "repayment_method": label_of(REPAYMENT_LABELS),
        "annual_rate": formatted(percent),
        "min_amount": formatted(money),
        "max_amount": formatted(money),
        "created_at": formatted(day),
    }
    form_columns = list(product_services.PRODUCT_FIELDS)
    form_overrides = {
        "category": DropDownField,
        "repayment_method": DropDownField,
        "annual_rate": DecimalInputField,
        "min_amount": MoneyField,
        "max_amount": MoneyField,
    }
    form_args = {
        "category": enum_choices(ProductCategory, CATEGORY_LABELS),
        "repayment_method": enum_choices(RepaymentMethod, REPAYMENT_LABELS),
        "annual_rate": {"description": _l("Nominal, percent a year: 18.5 means 18.5 %.")},
        "active": {"description": _l("Only active products take new applications.")},
    }

    def create_record(self, session, data):
        return product_services.create_product(session, data)

    def update_record(self, session, product, data):
        return product_services.update_product(session, product, data)

    def delete_record(self, session, product):
        product_services.delete_product(session, product)


class UserAdmin(StaffModelView):
    index_group = _l("Staff and logins")
    allowed_roles = ADMINS

    column_list = ["email", "full_name", "role", "active", "customer", "created_at"]
    column_details_list = column_list
    column_labels = {
        "email": _l("E-mail"),
        "full_name": _l("Full name"),
        "role": _l("Role"),
        "active": _l("Active"),
        "customer": _l("Customer"),
        "created_at": _l("Created"),
        "password": _l("Password"),
    }
    column_sortable_list = ["email", "full_name", "role", "created_at"]
    column_default_sort = "email"
    column_searchable_list = ["email", "full_name"]
    column_filters = [
        ChoiceFilter(
            User.role, _l("Role"), lambda: [(role.value, ROLE_LABELS[role]) for role in Role]
        ),
        "active",
    ]
    column_formatters = {"role": label_of(ROLE_LABELS), "created_at": formatted(day)}
    form_columns = ["email", "full_name", "role", "active", "customer", "password"]
    form_overrides = {"role": DropDownField}
    form_extra_fields = {
        "password": PasswordField(
            _l("Password"),
            description=_l("At least 8 characters. When editing, leave empty to keep it."),
        )
    }
    form_ajax_refs = {
        "customer": CustomerLookup(
            "customer", db, Customer, fields=["search_text"], placeholder=_l("Find a customer")
        )
    }
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

    def update_record(self, session, user, data):
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
        )

    def delete_record(self, session, user):
        delete_user(session, user, acting_user=current_user._get_current_object())
