"""Loans in each stage of their life, built through the servicing functions themselves."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.services import lifecycle, payments
from crm.models import Installment, Loan, Payment, PaymentAllocation, User
from tests import factories

#: Every status in which a loan takes no payment.
NOT_ACTIVE = [status for status in LoanStatus if status is not LoanStatus.ACTIVE]
#: Applied for and disbursed long enough ago that the whole schedule has fallen due.
APPLIED = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
DISBURSED = date(2025, 1, 15)


@pytest.fixture
def pending(product):
    """10 000 at 12 % for 12 months, annuity: the first reference case of
    tests/lending/test_schedule.py."""
    return factories.LoanFactory(product=product, created_at=APPLIED)


def start(loan: Loan, by: User, disbursed_on: date = DISBURSED) -> Loan:
    lifecycle.start_loan(db.session, loan, disbursed_on=disbursed_on, by=by)
    db.session.commit()
    return loan


def pay(loan: Loan, by: User, amount: str, reference: str, paid_on: date = DISBURSED):
    posting = payments.record_payment(
        db.session,
        loan,
        amount=Decimal(amount),
        paid_on=paid_on,
        reference=reference,
        by=by,
    )
    db.session.commit()
    return posting


@pytest.fixture
def active(pending, manager):
    return start(pending, manager)


@dataclass(frozen=True)
class LoanSnapshot:
    """Everything a servicing step may change on a loan, to show that a refused one did not."""

    row: tuple
    installments: tuple
    payments: tuple
    allocations: int


def snapshot(loan_id: int) -> LoanSnapshot:
    db.session.rollback()
    loan = db.session.get(Loan, loan_id, populate_existing=True)
    row = tuple(getattr(loan, column.key) for column in Loan.__table__.columns)
    installments = tuple(
        db.session.execute(
            select(
                Installment.number,
                Installment.principal_paid,
                Installment.interest_paid,
                Installment.paid_on,
            )
            .where(Installment.loan_id == loan_id)
            .order_by(Installment.number)
        )
    )
    payments = tuple(
        db.session.execute(
            select(Payment.id, Payment.amount, Payment.reversed_at)
            .where(Payment.loan_id == loan_id)
            .order_by(Payment.id)
        )
    )
    allocations = db.session.scalar(
        select(func.count())
        .select_from(PaymentAllocation)
        .join(Payment)
        .where(Payment.loan_id == loan_id)
    )
    db.session.rollback()
    return LoanSnapshot(row, installments, payments, allocations)
