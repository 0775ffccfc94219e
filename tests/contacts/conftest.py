"""A customer with an active loan (the loans tests' reference loan: 10 000 at 12 % for 12
months, disbursed on 2025-01-15, so that all of it has fallen due) and one finished."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.clock import lender_today
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Interaction
from crm.models.interaction import ContactKind, ContactOutcome
from tests import factories
from tests.loans.conftest import APPLIED, start


@pytest.fixture
def customer(app):
    return factories.CustomerFactory()


@pytest.fixture
def active(customer, product, manager):
    loan = factories.LoanFactory(customer=customer, product=product, created_at=APPLIED)
    return start(loan, manager)


@pytest.fixture
def finished(customer, product):
    return factories.LoanFactory(customer=customer, product=product, status=LoanStatus.FINISHED)


def contact_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Interaction))


def promise(
    loan,
    amount: str,
    made_on: date,
    due_on: date,
    *,
    author=None,
    at=None,
) -> Interaction:
    """A promise to pay written straight to the database, made and due on any day."""
    contact = Interaction(
        customer_id=loan.customer_id,
        loan_id=loan.id,
        kind=ContactKind.CALL,
        outcome=ContactOutcome.PROMISED_TO_PAY,
        promise_amount=Decimal(amount),
        promise_made_on=made_on,
        promise_due_on=due_on,
        author=author,
        **({"created_at": at} if at else {}),
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def days_from_today(days: int) -> date:
    return lender_today() + timedelta(days=days)
