"""Money received on a loan: recording a payment (allocated to the installments, oldest
first) and reversing one recorded by mistake."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.clock import lender_today, utc_now
from crm.i18n.formats import day, money
from crm.lending import status as lifecycle
from crm.lending.allocation import Allocation, OverpaymentError, allocate_payment
from crm.lending.installments import Position, amount_due, position
from crm.lending.status import LoanStatus
from crm.loans.services.guards import lock_loan, wrong_status
from crm.models import Installment, Loan, Payment, PaymentAllocation, User
from crm.models.servicing import MAX_REFERENCE
from crm.models.types import MAX_REASON
from crm.reports.services import forget_month_ends
from crm.validation import FieldError, check_money, required_text


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
    amount, paid_on, reference = _check_input(amount, paid_on, reference, today)
    installments = lock_loan(session, loan)
    existing = _payment_by_reference(session, loan, reference)
    if existing is not None:
        return Posting(_check_not_reversed(existing), created=False)
    _check_payable(loan, paid_on)
    allocations = _allocate(installments, amount)
    payment = Payment(
        loan=loan, paid_on=paid_on, amount=amount, reference=reference, recorded_by=by
    )
    session.add(payment)
    _apply(session, payment, installments, allocations)
    if _refresh_position(loan, installments).is_repaid:
        loan.status = lifecycle.transition(loan.status, LoanStatus.FINISHED)
    forget_month_ends(session, paid_on, today)
    session.flush()
    return Posting(payment, created=True)


def _check_input(
    amount: Decimal | None, paid_on: date | None, reference: str | None, today: date
) -> tuple[Decimal, date, str]:
    """The amount, date and reference of a payment, each checked; FieldError names a bad one."""
    amount = check_money(amount, "amount")
    if paid_on is None:
        raise FieldError("paid_on", _("This field is required."))
    if paid_on > today:
        raise FieldError("paid_on", _("The payment date cannot be in the future."))
    reference = required_text(reference, "reference", max_length=MAX_REFERENCE)
    return amount, paid_on, reference


def _check_payable(loan: Loan, paid_on: date) -> None:
    """Only an active loan takes payments, and none dated before its disbursement."""
    if loan.status is not LoanStatus.ACTIVE:
        raise wrong_status(
            loan, _l("Payments are recorded only on active loans; loan %(number)s is %(status)s.")
        )
    if loan.disbursed_on is not None and paid_on < loan.disbursed_on:
        raise FieldError(
            "paid_on",
            _(
                "The payment date cannot be before the loan was disbursed (%(date)s).",
                date=day(loan.disbursed_on),
            ),
        )


def _allocate(installments: list[Installment], amount: Decimal) -> tuple[Allocation, ...]:
    """How `amount` pays the installments; more than the loan owes is refused on "amount"."""
    try:
        return allocate_payment(installments, amount)
    except OverpaymentError as error:
        raise FieldError(
            "amount",
            _(
                "The payment of %(amount)s is more than the %(outstanding)s the loan still owes.",
                amount=money(error.amount),
                outstanding=money(error.outstanding),
            ),
        ) from None


def _apply(
    session: Session,
    payment: Payment,
    installments: list[Installment],
    allocations: tuple[Allocation, ...],
) -> None:
    """Add each allocation to its installment's paid amounts, and store it."""
    by_number = {installment.number: installment for installment in installments}
    for allocation in allocations:
        installment = by_number[allocation.number]
        installment.interest_paid += allocation.interest
        installment.principal_paid += allocation.principal
        if amount_due(installment) == 0:
            installment.paid_on = payment.paid_on
        session.add(
            PaymentAllocation(
                payment=payment,
                installment=installment,
                interest=allocation.interest,
                principal=allocation.principal,
            )
        )


def reverse_payment(session: Session, payment: Payment, *, reason: str | None, by: User) -> Payment:
    """Undo a payment: what it paid on each installment is owed again, and a loan it
    finished is active again. The payment and its allocations stay, marked reversed.

    Only admins may do this; the caller checks the role. Raises FieldError on "reason"
    when empty or longer than MAX_REASON characters, and on "status" when the payment is
    already reversed.
    """
    reason = required_text(reason, "reason", max_length=MAX_REASON)
    loan = payment.loan
    installments = lock_loan(session, loan)
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
    payment.reversed_at = utc_now()
    payment.reversed_by = by
    payment.reversal_reason = reason
    if not _refresh_position(loan, installments).is_repaid and loan.status is LoanStatus.FINISHED:
        # Not a lifecycle step: the repayment that finished the loan did not happen after all.
        loan.status = LoanStatus.ACTIVE
    session.flush()
    return payment


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
