"""The loans pages' lists as CSV and XLSX files (crm/exports/): the loans, the overdue queue
and the payments journal, each filtered and sorted by the same arguments as its page, read
by the same function."""

from flask import request
from flask_babel import lazy_gettext as _l

from crm.clock import lender_today
from crm.exports.columns import Column, Kind, streamed
from crm.exports.download import Export, download
from crm.exports.writers import FileFormat
from crm.extensions import db
from crm.i18n.labels import (
    BUCKET_LABELS,
    CONTACT_OUTCOME_LABELS,
    PROMISE_STATE_LABELS,
    STATUS_LABELS,
)
from crm.loans import bp
from crm.loans.queries import overdue as queue
from crm.loans.queries.loans import loans_list, sort_key
from crm.loans.queries.payments import payments_journal
from crm.loans.routes.loan import loan_filters
from crm.loans.routes.overdue import queue_arguments
from crm.loans.routes.payments import payment_filters

#: The file's format, the last part of each export's address.
FORMAT = "export.<any(csv, xlsx):file_format>"

LOANS = Export(
    name="loans",
    title=_l("Loans"),
    entity="loan",
    filters=("q", "status", "product", "from", "to", "mine", "sort"),
    columns=(
        Column(_l("No."), Kind.INTEGER, lambda loan: loan.id),
        Column(_l("Applied"), Kind.DATETIME, lambda loan: loan.created_at),
        Column(_l("Customer"), Kind.TEXT, lambda loan: loan.customer.full_name),
        Column(_l("Tax id"), Kind.TEXT, lambda loan: loan.customer.tax_id),
        Column(_l("Product"), Kind.TEXT, lambda loan: loan.product.name),
        Column(_l("Amount"), Kind.MONEY, lambda loan: loan.amount),
        Column(_l("Term, months"), Kind.INTEGER, lambda loan: loan.term_months),
        Column(_l("Rate, % a year"), Kind.PERCENT, lambda loan: loan.annual_rate),
        Column(_l("Status"), Kind.TEXT, lambda loan: loan.status, STATUS_LABELS),
        Column(_l("Disbursed on"), Kind.DATE, lambda loan: loan.disbursed_on),
        Column(_l("Principal outstanding"), Kind.MONEY, lambda loan: loan.principal_outstanding),
    ),
)

OVERDUE = Export(
    name="overdue-loans",
    title=_l("Overdue loans"),
    entity="overdue_queue",
    filters=("bucket", "manager", "no_contact", "promise", "sort"),
    columns=(
        Column(_l("Loan"), Kind.INTEGER, lambda row: row.loan_id),
        Column(_l("Customer"), Kind.TEXT, lambda row: row.customer_name),
        Column(_l("Phone"), Kind.TEXT, lambda row: row.phone),
        Column(_l("Manager"), Kind.TEXT, lambda row: row.manager_name),
        Column(_l("Days past due"), Kind.INTEGER, lambda row: row.days_past_due),
        Column(_l("Bucket"), Kind.TEXT, lambda row: row.bucket, BUCKET_LABELS),
        Column(_l("Overdue"), Kind.MONEY, lambda row: row.overdue_amount),
        Column(_l("Outstanding"), Kind.MONEY, lambda row: row.principal_outstanding),
        Column(_l("Next payment"), Kind.DATE, lambda row: row.next_due_on),
        Column(_l("Last contact"), Kind.DATETIME, lambda row: row.last_contact_at),
        Column(
            _l("Outcome"),
            Kind.TEXT,
            lambda row: row.last_contact_outcome,
            CONTACT_OUTCOME_LABELS,
        ),
        Column(_l("Promised amount"), Kind.MONEY, lambda row: row.promise_amount),
        Column(_l("To be paid by"), Kind.DATE, lambda row: row.promise_due_on),
        Column(_l("Promise"), Kind.TEXT, lambda row: row.promise_state, PROMISE_STATE_LABELS),
        Column(_l("Next action"), Kind.DATE, lambda row: row.next_action_on),
        Column(_l("Task"), Kind.TEXT, lambda row: row.next_task_title),
    ),
)

PAYMENTS = Export(
    name="payments",
    title=_l("Payments"),
    entity="payment",
    filters=("from", "to", "product", "mine"),
    columns=(
        Column(_l("Date"), Kind.DATE, lambda payment: payment.paid_on),
        Column(_l("Loan"), Kind.INTEGER, lambda payment: payment.loan_id),
        Column(_l("Customer"), Kind.TEXT, lambda payment: payment.loan.customer.full_name),
        Column(_l("Product"), Kind.TEXT, lambda payment: payment.loan.product.name),
        Column(_l("Amount"), Kind.MONEY, lambda payment: payment.amount),
        Column(_l("Reference"), Kind.TEXT, lambda payment: payment.reference),
        Column(
            _l("Recorded by"),
            Kind.TEXT,
            lambda payment: payment.recorded_by and payment.recorded_by.display_name,
        ),
        Column(_l("Reversed"), Kind.DATETIME, lambda payment: payment.reversed_at),
    ),
)


@bp.get(f"/{FORMAT}")
def export(file_format: str):
    statement = loans_list(loan_filters(), sort_key(request.args.get("sort")))
    return download(LOANS, FileFormat(file_format), lambda: streamed(db.session, statement))


@bp.get(f"/overdue/{FORMAT}")
def export_overdue(file_format: str):
    arguments = queue_arguments()
    statement = queue.overdue_queue(lender_today(), sort=arguments.sort, **arguments.filters())
    return download(OVERDUE, FileFormat(file_format), lambda: streamed(db.session, statement))


@bp.get(f"/payments/{FORMAT}")
def export_payments(file_format: str):
    statement = payments_journal(payment_filters())
    return download(PAYMENTS, FileFormat(file_format), lambda: streamed(db.session, statement))
