"""Two customers with logins, and their loans in each state, built through the servicing
functions as the staff site would: dates count from the lender's today."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from flask.testing import FlaskClient

from crm.clock import lender_today
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Installment, Loan, Product, Role, User
from tests import factories
from tests.loans.conftest import pay, start

#: 10 000 at 12 % for 12 months, annuity: 888.49 a month (tests/lending/test_schedule.py).
PAYMENT = Decimal("888.49")
UKRAINIAN = {"Accept-Language": "uk"}
ENGLISH = {"Accept-Language": "en"}


def days_ago(days: int) -> date:
    return lender_today() - timedelta(days=days)


def started(customer, product: Product, by: User, disbursed_days_ago: int, **fields) -> Loan:
    """An active loan of 10 000 over 12 months, paid out `disbursed_days_ago` days ago."""
    disbursed_on = days_ago(disbursed_days_ago)
    applied = datetime.combine(disbursed_on - timedelta(days=2), time(10), UTC)
    loan = factories.LoanFactory(customer=customer, product=product, created_at=applied, **fields)
    return start(loan, by, disbursed_on)


def installments(loan: Loan) -> list[Installment]:
    db.session.expire_all()
    return list(db.session.get(Loan, loan.id).installments)


@dataclass
class Loans:
    """A customer's loans in each state."""

    #: Installment 1 paid, installment 2 (not due yet) paid in part: 300.00 of 888.49.
    current: Loan
    #: Installment 1 paid, installment 2 paid in part and past due, installment 3 past due.
    overdue: Loan
    finished: Loan
    pending: Loan
    refused: Loan


def loans_of(customer, product: Product, by: User, prefix: str) -> Loans:
    current = started(customer, product, by, 40)
    pay(current, by, str(PAYMENT), f"{prefix}-C1", days_ago(12))
    pay(current, by, "300.00", f"{prefix}-C2", days_ago(2))
    overdue = started(customer, product, by, 100)
    pay(overdue, by, str(PAYMENT), f"{prefix}-O1", days_ago(69))
    pay(overdue, by, "100.00", f"{prefix}-O2", days_ago(30))
    finished = started(customer, product, by, 400)
    pay(finished, by, "10661.86", f"{prefix}-F1", days_ago(300))
    pending = factories.LoanFactory(customer=customer, product=product, amount=Decimal("7000"))
    refused = factories.LoanFactory(
        customer=customer,
        product=product,
        status=LoanStatus.REFUSED,
        decided_at=datetime.now(UTC),
        decided_by=by,
        refusal_reason="Дохід не підтверджено",
    )
    return Loans(current, overdue, finished, pending, refused)


@pytest.fixture
def me(app) -> User:
    customer = factories.CustomerFactory(last_name="Коваленко", first_name="Олена")
    return factories.UserFactory(role=Role.CUSTOMER, customer=customer)


@pytest.fixture
def other(app) -> User:
    customer = factories.CustomerFactory(last_name="Чужинець", first_name="Борис")
    return factories.UserFactory(role=Role.CUSTOMER, customer=customer)


@pytest.fixture
def my_loans(me, product, manager) -> Loans:
    return loans_of(me.customer, product, manager, "MINE")


@pytest.fixture
def their_loans(other, manager) -> Loans:
    product = factories.ProductFactory(
        name="Чужий продукт", min_amount=Decimal("1000"), min_term=1, max_term=36
    )
    return loans_of(other.customer, product, manager, "THEIRS")


@pytest.fixture
def my_client(logged_in, me) -> FlaskClient:
    return logged_in(me)


@pytest.fixture
def their_client(logged_in, other) -> FlaskClient:
    return logged_in(other)


@pytest.fixture
def html_of(my_client) -> Callable[..., str]:
    """`page(url, headers=…)`: the HTML of a page of mine that opens (200)."""

    def _page(url: str, headers: dict | None = None) -> str:
        response = my_client.get(url, headers=headers or ENGLISH)
        assert response.status_code == 200, response.status_code
        return response.get_data(as_text=True)

    return _page
