"""The admin's loans: applications written through the loan services, decisions only shown."""

from flask import request, url_for

from crm.admin.base import ADMINS, CUSTOMERS_AND_LOANS, StaffModelView
from crm.admin.columns import COLUMN_FORMATTERS, COLUMN_LABELS
from crm.admin.filters import (
    ChoiceFilter,
    category_filter,
    date_filters,
    enum_filter,
    manager_filter,
)
from crm.admin.formatters import formatted, status_badge
from crm.admin.lookups import customer_lookup, product_lookup
from crm.admin.widgets import AddableAjaxSelect2Widget
from crm.extensions import db
from crm.i18n.fields import MoneyField
from crm.i18n.formats import day, money
from crm.i18n.labels import STATUS_LABELS
from crm.i18n.texts import lazy_text as _l
from crm.lending.status import LoanStatus
from crm.loans.services import applications
from crm.models import Loan
from crm.products.queries import product_names

#: What an application sets: the arguments of applications.apply_for_loan.
APPLICATION_FIELDS = ("customer", "product", "amount", "term_months")
#: What the lifecycle services write (a decision, the disbursement): on the details page only.
DECISION_FIELDS = (
    "decided_at",
    "decided_by",
    "refusal_reason",
    "disbursed_on",
    "principal_outstanding",
)


class LoanAdmin(StaffModelView):
    index_group = CUSTOMERS_AND_LOANS
    delete_roles = ADMINS
    # 300 000 loans: no COUNT(*) per page, only "next".
    simple_list_pager = True
    search_folded = True

    column_list = ["id", *APPLICATION_FIELDS, "annual_rate", "status", "created_at"]
    column_details_list = [*column_list, *DECISION_FIELDS]
    column_labels = {
        **COLUMN_LABELS,
        "product": _l("Product"),
        "amount": _l("Amount"),
        "term_months": _l("Term, months"),
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
        enum_filter(Loan.status, column_labels["status"], LoanStatus, STATUS_LABELS),
        ChoiceFilter(
            Loan.product_id, column_labels["product"], lambda: product_names(db.session), int
        ),
        category_filter(),
        manager_filter(),
        *date_filters(Loan.created_at, column_labels["created_at"]),
    ]
    column_formatters = {
        **COLUMN_FORMATTERS,
        "amount": formatted(money),
        "principal_outstanding": formatted(money),
        "status": status_badge,
        "decided_at": formatted(day),
        "disbursed_on": formatted(day),
    }
    # The forms show the schedule the terms would give (GET /loans/preview) as they change.
    create_template = "admin/crm_loan_create.html"
    edit_template = "admin/crm_loan_edit.html"
    # Status, rate and decision fields are not in the form: a new loan is a pending
    # application at the product's rate, and status changes belong to the lifecycle
    # services (start, refuse), which also write the schedule.
    form_columns = list(APPLICATION_FIELDS)
    form_overrides = {"amount": MoneyField}
    form_ajax_refs = {"customer": customer_lookup(), "product": product_lookup()}
    form_args = {
        "customer": {"widget": AddableAjaxSelect2Widget("customer", _l("Add a new customer"))},
        "product": {"widget": AddableAjaxSelect2Widget("product", _l("Add a new product"))},
        "amount": {"description": _l("Within the product's limits; whole cents.")},
        "term_months": {"description": _l("Within the product's limits.")},
    }

    def can_edit_record(self, loan: Loan) -> bool:
        # A decided or started loan keeps its terms (applications.update_application).
        return loan.status is LoanStatus.PENDING

    def can_delete_record(self, loan: Loan) -> bool:
        return loan.status is LoanStatus.PENDING

    def get_save_return_url(self, model, is_created: bool = False) -> str:
        # A loan is started (or refused) on its staff page: the manager goes on there.
        if request.args.get("picker"):
            return super().get_save_return_url(model, is_created=is_created)
        return url_for("loans.detail", loan_id=model.id)

    def create_record(self, session, data):
        return applications.apply_for_loan(
            session, data["customer"], data["product"], data["amount"], data["term_months"]
        )

    def update_record(self, session, loan, data, expected_version):
        return applications.update_application(
            session,
            loan,
            customer=data["customer"],
            product=data["product"],
            amount=data["amount"],
            term_months=data["term_months"],
            expected_version=expected_version,
        )

    def delete_record(self, session, loan):
        applications.delete_application(session, loan)
