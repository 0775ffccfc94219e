"""Logging a contact with a customer, and the promise to pay it may carry."""

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.i18n.formats import day, money
from crm.i18n.labels import status_word
from crm.lending.installments import amount_due
from crm.lending.money import ZERO
from crm.lending.status import LoanStatus
from crm.models import Customer, Installment, Interaction, Loan, User
from crm.models.interaction import (
    MAX_CONTACT_TEXT,
    MAX_PROMISE_DAYS,
    ContactKind,
    ContactOutcome,
)
from crm.validation import FieldError, check_money, optional_text, parse_id


def log_contact(
    session: Session,
    customer: Customer,
    *,
    kind: str | None,
    outcome: str | None,
    text: str | None,
    loan_id: int | str | None,
    promise_amount: Decimal | None,
    promise_due_on: date | None,
    author: User | None,
    today: date,
) -> Interaction:
    """Write down a contact with `customer` by `author`, made on `today` (the lender's day).

    `kind` and `outcome` are the values of ContactKind and ContactOutcome; `text` (trimmed,
    at most MAX_CONTACT_TEXT characters) may be empty; `loan_id`, when given, names one of
    the customer's loans. A "promised to pay" outcome needs an active loan, an amount in
    whole cents above zero and not above what the loan still owes (principal and interest),
    and a date from `today` to MAX_PROMISE_DAYS days later; the promise's fields are ignored
    for any other outcome. Raises FieldError on "kind", "outcome", "text", "loan_id",
    "promise_amount" or "promise_due_on"; nothing is written then.
    """
    kind = _member(ContactKind, kind, "kind")
    outcome = _member(ContactOutcome, outcome, "outcome")
    text = optional_text(text, "text", max_length=MAX_CONTACT_TEXT)
    loan = _customer_loan(session, customer, loan_id)
    contact = Interaction(
        customer=customer, loan=loan, kind=kind, outcome=outcome, text=text, author=author
    )
    if outcome is ContactOutcome.PROMISED_TO_PAY:
        loan = _promised_loan(loan)
        contact.promise_amount = _promise_amount(session, loan, promise_amount)
        contact.promise_due_on = _promise_date(promise_due_on, today)
        contact.promise_made_on = today
    session.add(contact)
    session.flush()
    return contact


Choice = TypeVar("Choice", bound=StrEnum)


def _member(enum: type[Choice], value: str | None, field: str) -> Choice:
    try:
        return enum(value)
    except ValueError:
        raise FieldError(field, _("Choose one of the options.")) from None


def _customer_loan(session: Session, customer: Customer, loan_id: int | str | None) -> Loan | None:
    """The customer's loan `loan_id`, or None when none is chosen."""
    if loan_id in (None, ""):
        return None
    loan = None
    if (number := parse_id(loan_id)) is not None:
        loan = session.scalar(
            select(Loan).where(Loan.id == number, Loan.customer_id == customer.id)
        )
    if loan is None:
        raise FieldError("loan_id", _("Choose one of the customer’s loans."))
    return loan


def _promised_loan(loan: Loan | None) -> Loan:
    if loan is None:
        raise FieldError("loan_id", _("A promise to pay is made on a loan: choose it."))
    if loan.status is not LoanStatus.ACTIVE:
        raise FieldError(
            "loan_id",
            _(
                "A promise to pay is taken only on an active loan; loan %(number)s is %(status)s.",
                number=str(loan),
                status=status_word(loan.status),
            ),
        )
    return loan


def _promise_amount(session: Session, loan: Loan, amount: Decimal | None) -> Decimal:
    """A promise may not exceed what the loan still owes, principal and interest."""
    field = "promise_amount"
    amount = check_money(amount, field)
    installments = session.scalars(select(Installment).where(Installment.loan_id == loan.id))
    owed = sum((amount_due(installment) for installment in installments), ZERO)
    if amount > owed:
        raise FieldError(
            field,
            _(
                "The promise of %(amount)s is more than the %(owed)s the loan still owes.",
                amount=money(amount),
                owed=money(owed),
            ),
        )
    return amount


def _promise_date(due_on: date | None, today: date) -> date:
    field = "promise_due_on"
    if due_on is None:
        raise FieldError(field, _("This field is required."))
    if due_on < today:
        raise FieldError(field, _("The date of a promise cannot be in the past."))
    latest = today + timedelta(days=MAX_PROMISE_DAYS)
    if due_on > latest:
        raise FieldError(
            field,
            _(
                "A promise is at most %(days)d days ahead: by %(date)s.",
                days=MAX_PROMISE_DAYS,
                date=day(latest),
            ),
        )
    return due_on
