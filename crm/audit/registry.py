"""Which models the audit trail covers, and how each is described; the one list to extend.

Every mapped model is either in AUDITED or in EXCLUDED with the reason
(tests/audit/test_registry.py fails on one that is in neither).
"""

from collections.abc import Callable
from dataclasses import dataclass

from crm.lending.status import LoanStatus
from crm.models import (
    AuditEvent,
    Customer,
    CustomerSearchTerm,
    ImportBatch,
    ImportMapping,
    Installment,
    Interaction,
    Loan,
    OneTimeLink,
    OutboxMessage,
    Payment,
    PaymentAllocation,
    PortfolioMonthEnd,
    Product,
    RecoveryCode,
    SecondFactor,
    Task,
    User,
    UserSession,
)

#: Changes of a loan's status that are lifecycle steps, by the step's name.
LIFECYCLE_ACTIONS = {
    (LoanStatus.PENDING, LoanStatus.ACTIVE): "start",
    (LoanStatus.PENDING, LoanStatus.REFUSED): "refuse",
    (LoanStatus.PENDING, LoanStatus.WITHDRAWN): "withdraw",
    (LoanStatus.ACTIVE, LoanStatus.WRITTEN_OFF): "write_off",
}
#: The actions of changes to records; every other action is a security event.
RECORD_ACTIONS = frozenset(
    {"create", "update", "delete", "payment", "reversal", *LIFECYCLE_ACTIONS.values()}
)
#: Bookkeeping every versioned model keeps: not a change anyone made.
VERSION = frozenset({"version"})


def _none(_record: object) -> int | None:
    return None


def _no_action(_record: object, _kind: str, _changes: dict) -> str | None:
    return None


def _loan_action(loan: Loan, kind: str, changes: dict) -> str | None:
    if kind != "update" or "status" not in changes:
        return None
    before, after = changes["status"]
    return LIFECYCLE_ACTIONS.get((LoanStatus(before), LoanStatus(after)))


def _payment_action(payment: Payment, kind: str, changes: dict) -> str | None:
    if kind == "create":
        return "payment"
    if kind == "update" and changes.get("reversed_at", [None, None])[1] is not None:
        return "reversal"
    return None


@dataclass(frozen=True)
class Audited:
    """How the records of one model are written into the trail."""

    #: The `entity` of its events.
    entity: str
    #: The customer and the loan a record belongs to, read from the record (no query).
    customer_id: Callable[[object], int | None] = _none
    loan_id: Callable[[object], int | None] = _none
    #: Columns whose values are secret: the event says they changed, not what to.
    hidden: frozenset[str] = frozenset()
    #: Columns that change without anyone changing the record (versions, derived text).
    ignored: frozenset[str] = frozenset()
    #: The action's name when it is more than create/update/delete: (record, kind, changes)
    #: → a name, or None for the kind.
    action: Callable[[object, str, dict], str | None] = _no_action
    #: An update is named after the step (start, payment, …) its transaction took.
    follows_step: bool = False


def _loan_customer(record: Installment | Payment) -> int | None:
    # The loan is in the session whenever its installments or payments change (the
    # services lock it first): a many-to-one by primary key is read from there, no query.
    return record.loan.customer_id if record.loan is not None else None


AUDITED: dict[type, Audited] = {
    Customer: Audited(
        "customer",
        customer_id=lambda customer: customer.id,
        # has_loans is read with a list's rows (a query_expression), never stored.
        ignored=VERSION | {"search_text", "has_loans"},
    ),
    Product: Audited("product", ignored=VERSION),
    Loan: Audited(
        "loan",
        customer_id=lambda loan: loan.customer_id,
        loan_id=lambda loan: loan.id,
        ignored=VERSION,
        action=_loan_action,
        follows_step=True,
    ),
    Installment: Audited(
        "installment",
        customer_id=_loan_customer,
        loan_id=lambda installment: installment.loan_id,
        follows_step=True,
    ),
    Payment: Audited(
        "payment",
        customer_id=_loan_customer,
        loan_id=lambda payment: payment.loan_id,
        action=_payment_action,
    ),
    Interaction: Audited(
        "contact",
        customer_id=lambda contact: contact.customer_id,
        loan_id=lambda contact: contact.loan_id,
    ),
    Task: Audited(
        "task",
        customer_id=lambda task: task.customer_id,
        loan_id=lambda task: task.loan_id,
        ignored=VERSION,
    ),
    User: Audited(
        "user",
        customer_id=lambda user: user.customer_id,
        hidden=frozenset({"password_hash"}),
        ignored=VERSION,
    ),
}

EXCLUDED: dict[type, str] = {
    AuditEvent: "the trail itself",
    CustomerSearchTerm: (
        "derived from the customer's name, phone and e-mail, whose changes the customer's "
        "events hold; rewritten by a mapper event on every such change"
    ),
    PortfolioMonthEnd: (
        "figures computed from the ledger, whose every change the trail holds; deleted and "
        "computed again whenever something is dated into a closed month"
    ),
    PaymentAllocation: (
        "how a payment was split is in the same request's events: the payment, and each "
        "installment's paid amounts before and after"
    ),
    UserSession: (
        "log-ins and their ends are security events (log_in, log_out, "
        "sessions_ended_everywhere, session_ended, password_changed); last_seen_at is "
        "bookkeeping written once a minute"
    ),
    SecondFactor: (
        "its secret is never written anywhere else; enrolment and removal are the security "
        "events second_factor_enrolled and second_factor_removed"
    ),
    RecoveryCode: (
        "hashes of one-time codes; renewing and using them are the security events "
        "recovery_codes_renewed and recovery_code_used"
    ),
    OutboxMessage: (
        "an e-mail is an effect of a change the trail already holds (the registration, the "
        "invitation), and its body holds one-time links that must not outlive it elsewhere; "
        "its delivery is bookkeeping kept on the row"
    ),
    ImportBatch: (
        "an uploaded file kept between the steps of an import: the customers and payments it "
        "writes are audited record by record, and each chunk it writes adds an import event "
        "with its counts"
    ),
    ImportMapping: "which column of a file goes to which field: a preference, not a record",
    OneTimeLink: (
        "one-time links hold token hashes (and a registration's password hash); the users "
        "and customers they create or change are audited, and sending, opening and refusing "
        "them are security events (registration_requested, invitation_sent, link_refused, …)"
    ),
}
