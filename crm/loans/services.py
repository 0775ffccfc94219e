"""Writing loans: applications and their checks against the product, the lifecycle
(start, refuse, withdraw, write off) and payments (record, reverse).

Every function takes the session first, flushes and never commits; a refusal raises
FieldError naming the field it is about ("status" for a step the loan's status does not
allow), or StaleDataError when the user's form was built from an older version of the loan.
"""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import to_user_timezone
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crm.clock import lender_today
from crm.i18n.formats import day, money
from crm.i18n.labels import STATUS_LABELS
from crm.lending import status as lifecycle
from crm.lending.allocation import OverpaymentError, allocate_payment
from crm.lending.installments import Position, amount_due, position
from crm.lending.schedule import build_schedule
from crm.lending.status import LoanStatus
from crm.models import Customer, Installment, Loan, Payment, PaymentAllocation, Product, User
from crm.models.types import utcnow
from crm.validation import FieldError, check_money, required_text

#: The longest payment reference the column holds.
MAX_REFERENCE = 64


def check_application(
    product: Product | None,
    amount: Decimal | None,
    term_months: int | None,
    *,
    new_product: bool = True,
) -> tuple[Decimal, int]:
    """The amount and term, checked against the product's limits.

    Raises FieldError on "product" when there is none or, for a product being chosen
    (`new_product`), when it is no longer offered; on
    "amount" for anything but a positive amount in whole cents within the product's
    limits, and on "term_months" for a term outside them.
    """
    if product is None:
        raise FieldError("product", _("This field is required."))
    if new_product and not product.active:
        raise FieldError("product", _("This product is no longer offered."))
    amount = check_money(amount, "amount")
    if not product.min_amount <= amount <= product.max_amount:
        raise FieldError(
            "amount",
            _(
                "%(product)s lends from %(low)s to %(high)s.",
                product=product.name,
                low=product.min_amount,
                high=product.max_amount,
            ),
        )
    if term_months is None:
        raise FieldError("term_months", _("This field is required."))
    if not product.min_term <= term_months <= product.max_term:
        raise FieldError(
            "term_months",
            _(
                "%(product)s lends for %(low)d to %(high)d months.",
                product=product.name,
                low=product.min_term,
                high=product.max_term,
            ),
        )
    return amount, term_months


def apply_for_loan(
    session: Session,
    customer: Customer | None,
    product: Product | None,
    amount: Decimal | None,
    term_months: int | None,
) -> Loan:
    """A pending application at the product's current rate (percent a year), which the loan
    keeps whatever later happens to the product. Raises FieldError (see check_application;
    also on "customer" when there is none).
    """
    if customer is None:
        raise FieldError("customer", _("This field is required."))
    amount, term_months = check_application(product, amount, term_months)
    loan = Loan(
        customer=customer,
        product=product,
        amount=amount,
        term_months=term_months,
        annual_rate=product.annual_rate,
        status=LoanStatus.PENDING,
    )
    session.add(loan)
    session.flush()
    return loan


def update_application(
    session: Session,
    loan: Loan,
    *,
    customer: Customer | None,
    product: Product | None,
    amount: Decimal | None,
    term_months: int | None,
    expected_version: int | None = None,
) -> Loan:
    """Change the customer, product, amount or term of an application.

    Only a pending application changes: once a loan is decided (refused, withdrawn) or has
    started, its terms are the record of what was agreed, and any change is refused with
    FieldError on the changed field. A new product brings its current rate; keeping the
    product keeps the rate copied at application. `expected_version` is the version the
    user's form was built from: when someone saved the loan since, StaleDataError is raised
    and nothing changes.
    """
    if expected_version is not None and expected_version != loan.version:
        raise StaleDataError(f"loan {loan.id} is at version {loan.version}, not {expected_version}")
    changes = {
        "customer": _id(customer) != loan.customer_id,
        "product": _id(product) != loan.product_id,
        "amount": amount != loan.amount,
        "term_months": term_months != loan.term_months,
    }
    if loan.status is not LoanStatus.PENDING:
        for field, changed in changes.items():
            if changed:
                raise FieldError(
                    field,
                    _(
                        "This loan is %(status)s: only a pending application can change "
                        "its customer, product, amount, term or rate.",
                        status=str(STATUS_LABELS[loan.status]).lower(),
                    ),
                )
        return loan
    if customer is None:
        raise FieldError("customer", _("This field is required."))
    if changes["product"] or changes["amount"] or changes["term_months"]:
        amount, term_months = check_application(
            product, amount, term_months, new_product=changes["product"]
        )
    loan.customer = customer
    if changes["product"]:
        loan.product = product
        loan.annual_rate = product.annual_rate
    loan.amount = amount
    loan.term_months = term_months
    session.flush()
    return loan


def _id(record: Customer | Product | None) -> int | None:
    return None if record is None else record.id


def delete_application(session: Session, loan: Loan) -> None:
    """Delete a pending application entered by mistake.

    A decided or started loan is the lender's record (the dashboard counts refusals, a
    schedule and payments hang off a started one), so deleting it is refused with
    FieldError on "status".
    """
    if loan.status is not LoanStatus.PENDING:
        raise FieldError(
            "status",
            _(
                "Loan %(number)s is %(status)s; only a pending application can be deleted.",
                number=str(loan),
                status=str(STATUS_LABELS[loan.status]).lower(),
            ),
        )
    session.delete(loan)
    session.flush()


# --- Lifecycle --------------------------------------------------------------------------------

#: Why a step is refused when the loan is in the wrong status; one message per step, so
#: that each reads naturally once translated.
_WRONG_STATUS = {
    LoanStatus.ACTIVE: lambda loan: _(
        "Only a pending application can be started; loan %(number)s is %(status)s.",
        number=str(loan),
        status=_status(loan),
    ),
    LoanStatus.REFUSED: lambda loan: _(
        "Only a pending application can be refused; loan %(number)s is %(status)s.",
        number=str(loan),
        status=_status(loan),
    ),
    LoanStatus.WITHDRAWN: lambda loan: _(
        "Only a pending application can be withdrawn; loan %(number)s is %(status)s.",
        number=str(loan),
        status=_status(loan),
    ),
    LoanStatus.WRITTEN_OFF: lambda loan: _(
        "Only an active loan can be written off; loan %(number)s is %(status)s.",
        number=str(loan),
        status=_status(loan),
    ),
}


def start_loan(
    session: Session,
    loan: Loan,
    *,
    disbursed_on: date | None,
    by: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> Loan:
    """Approve a pending application and disburse it on `disbursed_on`: the loan becomes
    active and its schedule is written (the product's repayment method, the loan's own rate).

    The date may not be in the future (`today`, the lender's by default) nor before the
    day of the application (FieldError on "disbursed_on"). Raises FieldError on "status"
    unless the loan is pending, and StaleDataError when `expected_version` is not the
    loan's current version.
    """
    _lock(session, loan, expected_version)
    status = _transition(loan, LoanStatus.ACTIVE)
    today = today or lender_today()
    if disbursed_on is None:
        raise FieldError("disbursed_on", _("This field is required."))
    if disbursed_on > today:
        raise FieldError("disbursed_on", _("The disbursement date cannot be in the future."))
    applied_on = to_user_timezone(loan.created_at).date()
    if disbursed_on < applied_on:
        raise FieldError(
            "disbursed_on",
            _(
                "The loan cannot be disbursed before it was applied for (%(date)s).",
                date=day(applied_on),
            ),
        )
    loan.status = status
    schedule = build_schedule(
        loan.amount,
        loan.annual_rate,
        loan.term_months,
        loan.product.repayment_method,
        disbursed_on,
    )
    session.add_all(
        Installment(
            loan=loan,
            number=row.number,
            due_date=row.due_date,
            principal=row.principal,
            interest=row.interest,
        )
        for row in schedule.rows
    )
    loan.decided_at = utcnow()
    loan.decided_by = by
    loan.disbursed_on = disbursed_on
    loan.principal_outstanding = schedule.total_principal
    loan.oldest_unpaid_due_on = schedule.rows[0].due_date
    session.flush()
    return loan


def refuse_loan(
    session: Session,
    loan: Loan,
    *,
    reason: str | None,
    by: User,
    expected_version: int | None = None,
) -> Loan:
    """Refuse a pending application, saying why (FieldError on "reason" when empty).

    Raises FieldError on "status" unless the loan is pending, and StaleDataError as
    start_loan().
    """
    _lock(session, loan, expected_version)
    status = _transition(loan, LoanStatus.REFUSED)
    loan.refusal_reason = required_text(reason, "reason")
    loan.status = status
    loan.decided_at = utcnow()
    loan.decided_by = by
    session.flush()
    return loan


def withdraw_loan(
    session: Session, loan: Loan, *, by: User, expected_version: int | None = None
) -> Loan:
    """Record that the customer withdrew a pending application; `by` is who recorded it.

    Raises FieldError on "status" unless the loan is pending, and StaleDataError as
    start_loan().
    """
    _lock(session, loan, expected_version)
    loan.status = _transition(loan, LoanStatus.WITHDRAWN)
    loan.decided_at = utcnow()
    loan.decided_by = by
    session.flush()
    return loan


def write_off_loan(
    session: Session,
    loan: Loan,
    *,
    reason: str | None,
    by: User,
    expected_version: int | None = None,
) -> Loan:
    """Write off an active loan, saying why (FieldError on "reason" when empty).

    Only admins may do this; the caller checks the role (`by` is who did it). The schedule
    and the outstanding principal stay as they are: they are what was written off. Raises
    FieldError on "status" unless the loan is active, and StaleDataError as start_loan().
    """
    _lock(session, loan, expected_version)
    status = _transition(loan, LoanStatus.WRITTEN_OFF)
    loan.write_off_reason = required_text(reason, "reason")
    loan.status = status
    session.flush()
    return loan


# --- Payments ---------------------------------------------------------------------------------


class Posting(NamedTuple):
    """What record_payment() did: the payment, and whether this call recorded it."""

    payment: Payment
    created: bool


def record_payment(
    session: Session,
    loan: Loan,
    *,
    amount: Decimal | None,
    paid_on: date | None,
    reference: str | None,
    by: User,
    today: date | None = None,
) -> Posting:
    """Record money received for an active loan and allocate it to the installments.

    Oldest unpaid installment first, interest before principal (crm.lending.allocation);
    the allocations are stored, the installments' paid amounts grow, and the loan's
    outstanding principal and oldest unpaid due date follow. The payment that clears the
    last cent finishes the loan.

    `amount` is money (positive, whole cents); `paid_on` is neither in the future (`today`,
    the lender's by default) nor before the disbursement; `reference` (the bank's or the
    cashier's, trimmed, at most 64 characters) is unique per loan, so posting the same
    payment again records nothing and returns the first one with `created` False (a
    reference whose payment was reversed is refused on "reference"). Raises FieldError on
    "amount", "paid_on" or "reference" for bad input or a payment larger than what the loan
    still owes, and on "status" when the loan is not active.

    The loan's row stays locked until the transaction ends, so payments posted at the same
    moment are allocated one after the other, each seeing what the other paid, and the
    look-up of the reference sees a payment the other has just recorded under it.
    """
    today = today or lender_today()
    amount = check_money(amount, "amount")
    if paid_on is None:
        raise FieldError("paid_on", _("This field is required."))
    if paid_on > today:
        raise FieldError("paid_on", _("The payment date cannot be in the future."))
    reference = required_text(reference, "reference")
    if len(reference) > MAX_REFERENCE:
        raise FieldError(
            "reference",
            _("The reference is at most %(count)d characters.", count=MAX_REFERENCE),
        )
    installments = _lock(session, loan)
    existing = _payment_by_reference(session, loan, reference)
    if existing is not None:
        return Posting(_check_not_reversed(existing), created=False)
    if loan.status is not LoanStatus.ACTIVE:
        raise FieldError(
            "status",
            _(
                "Payments are recorded only on active loans; loan %(number)s is %(status)s.",
                number=str(loan),
                status=_status(loan),
            ),
        )
    if loan.disbursed_on is not None and paid_on < loan.disbursed_on:
        raise FieldError(
            "paid_on",
            _(
                "The payment date cannot be before the loan was disbursed (%(date)s).",
                date=day(loan.disbursed_on),
            ),
        )
    try:
        allocations = allocate_payment(installments, amount)
    except OverpaymentError as error:
        raise FieldError(
            "amount",
            _(
                "The payment of %(amount)s is more than the %(outstanding)s the loan still owes.",
                amount=money(error.amount),
                outstanding=money(error.outstanding),
            ),
        ) from None
    payment = Payment(
        loan=loan, paid_on=paid_on, amount=amount, reference=reference, recorded_by=by
    )
    session.add(payment)
    by_number = {installment.number: installment for installment in installments}
    for allocation in allocations:
        installment = by_number[allocation.number]
        installment.interest_paid += allocation.interest
        installment.principal_paid += allocation.principal
        if amount_due(installment) == 0:
            installment.paid_on = paid_on
        session.add(
            PaymentAllocation(
                payment=payment,
                installment=installment,
                interest=allocation.interest,
                principal=allocation.principal,
            )
        )
    if _refresh_position(loan, installments).is_repaid:
        loan.status = lifecycle.transition(loan.status, LoanStatus.FINISHED)
    session.flush()
    return Posting(payment, created=True)


def reverse_payment(session: Session, payment: Payment, *, reason: str | None, by: User) -> Payment:
    """Undo a payment: what it paid on each installment is owed again, and a loan it
    finished is active again. The payment and its allocations stay, marked reversed.

    Only admins may do this; the caller checks the role. Raises FieldError on "reason"
    when empty, and on "status" when the payment is already reversed.
    """
    reason = required_text(reason, "reason")
    loan = payment.loan
    installments = _lock(session, loan)
    session.refresh(payment)
    if payment.is_reversed:
        raise FieldError(
            "status",
            _(
                "This payment was already reversed on %(date)s.",
                date=day(payment.reversed_at),
            ),
        )
    by_id = {installment.id: installment for installment in installments}
    for allocation in payment.allocations:
        installment = by_id[allocation.installment_id]
        installment.interest_paid -= allocation.interest
        installment.principal_paid -= allocation.principal
        installment.paid_on = None
    payment.reversed_at = utcnow()
    payment.reversed_by = by
    payment.reversal_reason = reason
    if not _refresh_position(loan, installments).is_repaid and loan.status is LoanStatus.FINISHED:
        # Not a lifecycle step: the repayment that finished the loan did not happen after all.
        loan.status = LoanStatus.ACTIVE
    session.flush()
    return payment


# --- Helpers ----------------------------------------------------------------------------------


def _lock(session: Session, loan: Loan, expected_version: int | None = None) -> list[Installment]:
    """Lock the loan's row for the rest of the transaction and read it and its installments
    afresh; returns the installments, oldest first.

    PostgreSQL: SELECT ... FOR UPDATE, so a second writer waits here and then reads what
    the first one committed. SQLite has no row locks; there a writing request's transaction
    holds the database's write lock from its start (crm/__init__.py, _sqlite_begin).
    Raises StaleDataError when `expected_version` is given and the loan has moved on.
    """
    # OF loans: the loan may have been loaded with outer-joined relations, which PostgreSQL
    # will not lock; only its own row matters.
    session.scalars(
        select(Loan)
        .where(Loan.id == loan.id)
        .with_for_update(of=Loan)
        .execution_options(populate_existing=True)
    ).one()
    if expected_version is not None and expected_version != loan.version:
        raise StaleDataError(f"loan {loan.id} is at version {loan.version}, not {expected_version}")
    statement = (
        select(Installment)
        .where(Installment.loan_id == loan.id)
        .order_by(Installment.number)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement))


def _refresh_position(loan: Loan, installments: list[Installment]) -> Position:
    """Store what the loan still owes; returns the Position."""
    current = position(installments)
    loan.principal_outstanding = current.principal_outstanding
    loan.oldest_unpaid_due_on = current.oldest_unpaid_due_date
    return current


def _payment_by_reference(session: Session, loan: Loan, reference: str) -> Payment | None:
    return session.scalar(
        select(Payment)
        .where(Payment.loan_id == loan.id, Payment.reference == reference)
        .execution_options(populate_existing=True)
    )


def _check_not_reversed(payment: Payment) -> Payment:
    """A repeated post of a payment returns it; a reversed one cannot stand for a new one."""
    if payment.is_reversed:
        raise FieldError(
            "reference",
            _(
                "The payment with this reference was reversed; give a new payment a "
                "reference of its own."
            ),
        )
    return payment


def _transition(loan: Loan, target: LoanStatus) -> LoanStatus:
    try:
        return lifecycle.transition(loan.status, target)
    except lifecycle.TransitionError:
        raise FieldError("status", _WRONG_STATUS[target](loan)) from None


def _status(loan: Loan) -> str:
    return str(STATUS_LABELS[loan.status]).lower()
