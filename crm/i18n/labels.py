"""What users read for each stored value (statuses, categories, methods, roles): the
stored values stay English identifiers."""

from crm.i18n.locale import LANGUAGE_NAMES
from crm.i18n.texts import lazy_text as _l
from crm.lending.delinquency import Bucket
from crm.lending.promises import PromiseState
from crm.lending.schedule import RepaymentMethod
from crm.lending.status import LoanStatus
from crm.models import (
    ContactKind,
    ContactOutcome,
    ImportKind,
    ImportOutcome,
    ImportStatus,
    LinkPurpose,
    OutboxStatus,
    ProductCategory,
    Role,
    SessionEnd,
)
from crm.models.audit import ANONYMOUS, SYSTEM

STATUS_LABELS = {
    LoanStatus.PENDING: _l("Pending"),
    LoanStatus.REFUSED: _l("Refused"),
    LoanStatus.WITHDRAWN: _l("Withdrawn"),
    LoanStatus.ACTIVE: _l("Active"),
    LoanStatus.FINISHED: _l("Finished"),
    LoanStatus.WRITTEN_OFF: _l("Written off"),
}

CATEGORY_LABELS = {
    ProductCategory.SECURED: _l("Secured"),
    ProductCategory.UNSECURED: _l("Unsecured"),
}

REPAYMENT_LABELS = {
    RepaymentMethod.ANNUITY: _l("Annuity"),
    RepaymentMethod.DIFFERENTIATED: _l("Differentiated"),
}

ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.MANAGER: _l("Manager"),
    Role.CUSTOMER: _l("Customer"),
}

BUCKET_LABELS = {
    Bucket.CURRENT: _l("Current"),
    Bucket.DPD_1_30: _l("1–30 days"),
    Bucket.DPD_31_60: _l("31–60 days"),
    Bucket.DPD_61_90: _l("61–90 days"),
    Bucket.DPD_OVER_90: _l("Over 90 days"),
}

CONTACT_KIND_LABELS = {
    ContactKind.CALL: _l("Call"),
    ContactKind.MEETING: _l("Meeting"),
    ContactKind.EMAIL: _l("E-mail"),
    ContactKind.SMS: _l("SMS"),
    ContactKind.NOTE: _l("Note"),
}

CONTACT_OUTCOME_LABELS = {
    ContactOutcome.REACHED: _l("Reached"),
    ContactOutcome.NO_ANSWER: _l("No answer"),
    ContactOutcome.WRONG_NUMBER: _l("Wrong number"),
    ContactOutcome.PROMISED_TO_PAY: _l("Promised to pay"),
    ContactOutcome.REFUSED_TO_PAY: _l("Refused to pay"),
    ContactOutcome.CALL_BACK: _l("Asked to call back"),
}

PROMISE_STATE_LABELS = {
    # TRANSLATORS: a promise to pay whose date has not come yet.
    PromiseState.OPEN: _l("Awaiting payment"),
    PromiseState.KEPT: _l("Kept"),
    PromiseState.BROKEN: _l("Broken"),
}

OUTBOX_STATUS_LABELS = {
    OutboxStatus.WAITING: _l("Waiting"),
    OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    # TRANSLATORS: an e-mail written to the server's log instead of sent (no mail server set).
    OutboxStatus.LOGGED: _l("Logged, not sent"),
}
#: The state of a schedule row on a day (crm.loans.queries.servicing.RowState), by its value.
ROW_STATE_LABELS = {
    "paid": _l("Paid"),
    "partly_paid": _l("Partly paid"),
    "overdue": _l("Overdue"),
    "unpaid": _l("Unpaid"),
}

#: The groups the customer's timeline is filtered by (crm.timeline.queries.Group), by value,
#: in the order of its filter.
TIMELINE_GROUP_LABELS = {
    "contacts": _l("Contacts"),
    "loans": _l("Applications and decisions"),
    "payments": _l("Payments"),
    "arrears": _l("Arrears"),
}

#: Imports (crm/imports/): what a file holds, how far its import went, what became of a row.
IMPORT_KIND_LABELS = {
    ImportKind.CUSTOMERS: _l("Customers"),
    ImportKind.PAYMENTS: _l("Payments from a bank statement"),
}
IMPORT_STATUS_LABELS = {
    ImportStatus.UPLOADED: _l("Columns not mapped yet"),
    ImportStatus.CHECKED: _l("Dry run done, not applied"),
    ImportStatus.APPLYING: _l("Being applied"),
    ImportStatus.APPLIED: _l("Applied"),
}
IMPORT_OUTCOME_LABELS = {
    ImportOutcome.CREATED: _l("New customer"),
    ImportOutcome.UPDATED: _l("Customer updated"),
    # TRANSLATORS: an imported row that is a customer already there, with the same details.
    ImportOutcome.UNCHANGED: _l("Already there, unchanged"),
    ImportOutcome.POSTED: _l("Payment posted"),
    ImportOutcome.ALREADY_POSTED: _l("Already posted"),
    ImportOutcome.REFUSED: _l("Refused"),
}


def status_word(status: LoanStatus) -> str:
    """The status as a word inside a sentence ("loan #7 is refused")."""
    return str(STATUS_LABELS[status]).lower()


# --- The audit trail (crm.models.AuditEvent) ------------------------------------------------

#: What each action of the trail is called: the changes (crm.audit.registry names the
#: lifecycle steps, payments and reversals) and the security events (crm.auth.events).
ACTION_LABELS = {
    "create": _l("Created"),
    "update": _l("Updated"),
    "delete": _l("Deleted"),
    "start": _l("Loan started"),
    "refuse": _l("Application refused"),
    "withdraw": _l("Application withdrawn"),
    "write_off": _l("Written off"),
    "payment": _l("Payment recorded"),
    "reversal": _l("Payment reversed"),
    "log_in": _l("Logged in"),
    "log_in_failed": _l("Log-in failed"),
    "locked_out": _l("Locked out"),
    "log_out": _l("Logged out"),
    "sessions_ended_everywhere": _l("Logged out everywhere"),
    "session_ended": _l("Sessions ended by someone else"),
    "password_changed": _l("Password changed"),
    "reauthentication_failed": _l("Password confirmation failed"),
    "second_factor_enrolled": _l("Second factor set up"),
    "second_factor_removed": _l("Second factor removed"),
    "second_factor_failed": _l("Wrong second-factor code"),
    "recovery_code_used": _l("Recovery code used"),
    "recovery_codes_renewed": _l("Recovery codes renewed"),
    "access_refused": _l("Access refused"),
    "registration_requested": _l("Registration asked for"),
    "registration_completed": _l("Registered"),
    "invitation_sent": _l("Invited to the personal account"),
    "invitation_accepted": _l("Invitation accepted"),
    "password_reset_requested": _l("Password reset asked for"),
    "password_reset": _l("Password reset"),
    "email_change_requested": _l("E-mail change asked for"),
    "email_changed": _l("E-mail changed"),
    "link_refused": _l("Link refused"),
    "demo_load": _l("Demo data loaded"),
    "import": _l("Rows imported"),
    "prune": _l("Ended sessions and links deleted"),
    # A list downloaded as a file (crm/exports/download.py).
    "export": _l("Exported"),
}

#: The kinds of record the trail speaks of (AuditEvent.entity).
ENTITY_LABELS = {
    "customer": _l("Customer"),
    "product": _l("Product"),
    "loan": _l("Loan"),
    "installment": _l("Installment"),
    "payment": _l("Payment"),
    "contact": _l("Contact"),
    "task": _l("Task"),
    "user": _l("Login"),
    "demo": _l("Demo data"),
    "import": _l("Import"),
    "maintenance": _l("Maintenance"),
    "overdue_queue": _l("Overdue queue"),
    # The reports downloaded (crm/reports/spreadsheets.py).
    "portfolio": _l("Portfolio"),
    "disbursements": _l("Disbursements"),
    "collections": _l("Collections"),
    "write_offs": _l("Write-offs"),
    "applications": _l("Applications"),
    "report_loans": _l("Loans behind a figure"),
}

#: The actors that are nobody's e-mail (AuditEvent.actor).
ACTOR_LABELS = {
    SYSTEM: _l("System"),
    ANONYMOUS: _l("Anonymous visitor"),
}

#: What each changed field is called, by entity: the columns of the audited models and the
#: facts of the security events (entity "user"); tests/audit/test_display.py checks that
#: every audited column has one.
_SHARED_FIELDS = {
    "customer_id": _l("Customer"),
    "product_id": _l("Product"),
    "loan_id": _l("Loan"),
    "email": _l("E-mail"),
    "amount": _l("Amount"),
    "annual_rate": _l("Rate, % a year"),
    "paid_on": _l("Paid on"),
    "active": _l("Active"),
    "created_at": _l("Created"),
}
#: The facts of an export's event (crm/exports/download.py), under the entity exported.
EXPORT_FACTS = {
    "rows": _l("Rows"),
    "format": _l("Format"),
    "filters": _l("Filters"),
    "complete": _l("Downloaded in full"),
}
FIELD_LABELS = {
    "customer": {
        **_SHARED_FIELDS,
        **EXPORT_FACTS,
        "last_name": _l("Last name"),
        "first_name": _l("First name"),
        "patronymic": _l("Patronymic"),
        "phone": _l("Phone"),
        "birth_date": _l("Date of birth"),
        "tax_id": _l("Tax id"),
        "address": _l("Address"),
        "manager_id": _l("Manager"),
    },
    "product": {
        **_SHARED_FIELDS,
        "name": _l("Name"),
        "category": _l("Category"),
        "description": _l("Description"),
        "min_amount": _l("Smallest amount"),
        "max_amount": _l("Largest amount"),
        "min_term": _l("Shortest term, months"),
        "max_term": _l("Longest term, months"),
        "repayment_method": _l("Repayment"),
    },
    "loan": {
        **_SHARED_FIELDS,
        **EXPORT_FACTS,
        "term_months": _l("Term, months"),
        "status": _l("Status"),
        "created_at": _l("Applied"),
        "decided_at": _l("Decided"),
        "decided_by_id": _l("Decided by"),
        "refusal_reason": _l("Refusal reason"),
        "disbursed_on": _l("Disbursed on"),
        "write_off_reason": _l("Write-off reason"),
        "written_off_at": _l("Written off"),
        "written_off_by_id": _l("Written off by"),
        "principal_outstanding": _l("Principal outstanding"),
        "oldest_unpaid_due_on": _l("Oldest unpaid due date"),
    },
    "installment": {
        **_SHARED_FIELDS,
        "number": _l("Number"),
        "due_date": _l("Due date"),
        "principal": _l("Principal"),
        "interest": _l("Interest"),
        "principal_paid": _l("Principal paid"),
        "interest_paid": _l("Interest paid"),
    },
    "payment": {
        **_SHARED_FIELDS,
        **EXPORT_FACTS,
        "reference": _l("Reference"),
        "recorded_by_id": _l("Recorded by"),
        "recorded_at": _l("Recorded"),
        "reversed_at": _l("Reversed"),
        "reversed_by_id": _l("Reversed by"),
        "reversal_reason": _l("Reversal reason"),
    },
    "overdue_queue": EXPORT_FACTS,
    "contact": {
        **_SHARED_FIELDS,
        "kind": _l("Kind"),
        "outcome": _l("Outcome"),
        "text": _l("What was said"),
        "promise_amount": _l("Promised amount"),
        "promise_made_on": _l("Promised on"),
        "promise_due_on": _l("To be paid by"),
        "author_id": _l("Logged by"),
    },
    "task": {
        **_SHARED_FIELDS,
        "title": _l("Task"),
        "due_on": _l("Due on"),
        "assignee_id": _l("Assignee"),
        "interaction_id": _l("Contact"),
        "created_by_id": _l("Added by"),
        "done_at": _l("Done"),
        "done_by_id": _l("Done by"),
        "origin": _l("Made by the daily run for"),
    },
    # The facts of an import event (crm/imports/running.py), one per chunk of rows written.
    "import": {
        "kind": _l("What was imported"),
        "file": _l("File"),
        "rows": _l("Rows"),
        "first_row": _l("First row"),
        "last_row": _l("Last row"),
        **IMPORT_OUTCOME_LABELS,
    },
    "user": {
        **_SHARED_FIELDS,
        "full_name": _l("Full name"),
        "password_hash": _l("Password"),
        "role": _l("Role"),
        "locale": _l("Language"),
        # The facts of the security events (crm.auth.events).
        "reason": _l("Reason"),
        "remember": _l("Remember me"),
        "by": _l("By"),
        "sessions": _l("Sessions"),
        "left": _l("Recovery codes left"),
        "step": _l("Step"),
        "method": _l("Method"),
        "path": _l("Page"),
        "scope": _l("Limited by"),
        "limit": _l("Limit"),
        "account": _l("Account"),
        "new_email": _l("New e-mail"),
        "previous": _l("Previous e-mail"),
        "purpose": _l("Link"),
    },
}

#: Why a log-in failed (crm.auth.services.LoginCheck) or a session ended (SessionEnd).
_REASON_LABELS = {
    "unknown_email": _l("Unknown e-mail"),
    "wrong_password": _l("Wrong password"),
    "inactive": _l("Login deactivated"),
    SessionEnd.LOG_OUT: _l("Logged out"),
    SessionEnd.LOG_OUT_EVERYWHERE: _l("Logged out everywhere"),
    SessionEnd.PASSWORD_CHANGED: _l("Password changed"),
    SessionEnd.DEACTIVATED: _l("Login deactivated"),
    SessionEnd.ROLE_CHANGED: _l("Role changed"),
    SessionEnd.ENDED_BY_ADMIN: _l("Ended by an admin"),
    # Why a one-time link opened nothing (crm.links.services.tokens.LinkProblem), or could
    # not do its work (crm/auth/one_time.py).
    "invalid": _l("Not a valid link"),
    "expired": _l("Expired"),
    "used": _l("Already used"),
    "void": _l("Replaced by a newer link"),
    "conflict": _l("The records changed since it was sent"),
}
#: What each kind of one-time link is for (crm.models.LinkPurpose).
_PURPOSE_LABELS = {
    LinkPurpose.REGISTER: _l("Registration"),
    LinkPurpose.INVITE: _l("Invitation"),
    LinkPurpose.RESET: _l("Password reset"),
    LinkPurpose.EMAIL_CHANGE: _l("E-mail change"),
}

#: Stored values shown by their labels, by (entity, field); every other value is shown as
#: stored. (The enums are StrEnums: a member and its stored text look up the same entry.)
VALUE_LABELS = {
    ("loan", "status"): STATUS_LABELS,
    ("product", "category"): CATEGORY_LABELS,
    ("contact", "kind"): CONTACT_KIND_LABELS,
    ("contact", "outcome"): CONTACT_OUTCOME_LABELS,
    ("product", "repayment_method"): REPAYMENT_LABELS,
    ("user", "role"): ROLE_LABELS,
    ("user", "locale"): {code: names[1] for code, names in LANGUAGE_NAMES.items()},
    ("user", "reason"): _REASON_LABELS,
    ("user", "purpose"): _PURPOSE_LABELS,
    ("user", "by"): {SYSTEM: ACTOR_LABELS[SYSTEM]},
    ("user", "step"): {"log_in": _l("Log-in"), "confirm": _l("Password confirmation")},
}
