"""factory_boy factories: realistic, valid records that tests adjust as they need."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
import pyotp
from factory.alchemy import SQLAlchemyModelFactory

from crm.clock import lender_today
from crm.extensions import db
from crm.lending.installments import position
from crm.lending.schedule import RepaymentMethod
from crm.lending.status import LoanStatus
from crm.models import (
    Customer,
    Installment,
    Loan,
    Product,
    ProductCategory,
    Role,
    Task,
    User,
)
from crm.models.user import password_hash_method
from crm.second_factor.services import enrol, new_secret

PASSWORD = "correct-horse-42"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        # Committed, so that a request through the test client sees the rows.
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"User {n}")
    role = Role.MANAGER
    active = True
    password_hash = factory.LazyFunction(lambda: _password_hash())


_HASH_CACHE: dict[str, str] = {}


def _password_hash() -> str:
    # Hashing is deliberately slow; one hash (per hashing method) serves every test user.
    method = password_hash_method()
    if method not in _HASH_CACHE:
        user = User()
        user.set_password(PASSWORD)
        _HASH_CACHE[method] = user.password_hash
    return _HASH_CACHE[method]


class CustomerFactory(BaseFactory):
    class Meta:
        model = Customer

    last_name = factory.Sequence(lambda n: f"Шевченко{n}")
    first_name = "Тарас"
    patronymic = "Григорович"
    phone = factory.Sequence(lambda n: f"+38050{1000000 + n:07d}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    birth_date = date(1985, 3, 9)
    tax_id = factory.Sequence(lambda n: f"{3000000000 + n:010d}")
    address = "Київ, вул. Хрещатик, 1"


class ProductFactory(BaseFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Consumer loan {n}")
    annual_rate = Decimal("12.0000")
    category = ProductCategory.UNSECURED
    description = "Unsecured consumer loan."
    min_amount = Decimal("1000.00")
    max_amount = Decimal("100000.00")
    min_term = 3
    max_term = 36
    repayment_method = RepaymentMethod.ANNUITY
    active = True


class LoanFactory(BaseFactory):
    class Meta:
        model = Loan

    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    amount = Decimal("10000.00")
    term_months = 12
    annual_rate = factory.LazyAttribute(lambda loan: loan.product.annual_rate)
    status = LoanStatus.PENDING


class TaskFactory(BaseFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Call back {n}")
    due_on = factory.LazyFunction(lender_today)
    assignee = factory.SubFactory(UserFactory)


def loan_with_installments(
    rows: Iterable[tuple], status: LoanStatus = LoanStatus.ACTIVE, **loan_fields
) -> Loan:
    """A started loan with these installments, written straight to the database.

    Each row is (due_date, principal, interest) or (due_date, principal, interest,
    principal_paid, interest_paid), money as strings. The loan's amount is the sum of the
    principal parts, and its outstanding principal and oldest unpaid due date are what
    crm.lending.installments.position() makes of the rows, as the servicing functions keep them.
    """
    installments = []
    for number, (due_date, principal, interest, *paid) in enumerate(rows, start=1):
        principal_paid, interest_paid = paid or ("0", "0")
        installment = Installment(
            number=number,
            due_date=due_date,
            principal=Decimal(principal),
            interest=Decimal(interest),
            principal_paid=Decimal(principal_paid),
            interest_paid=Decimal(interest_paid),
        )
        installment.paid_on = due_date if installment.unpaid == 0 else None
        installments.append(installment)
    standing = position(installments)
    return LoanFactory(
        status=status,
        amount=sum(item.principal for item in installments),
        term_months=len(installments),
        disbursed_on=loan_fields.pop("disbursed_on", installments[0].due_date - timedelta(days=30)),
        installments=installments,
        principal_outstanding=standing.principal_outstanding,
        oldest_unpaid_due_on=standing.oldest_unpaid_due_date,
        **loan_fields,
    )


def enrol_second_factor(user: User, at: datetime) -> tuple[str, list[str]]:
    """Set up `user`'s second factor at the time `at`, through the service the page uses;
    returns the secret (pyotp.TOTP(secret).at(t) is the app's code) and the recovery codes.
    The code of `at`'s time step is then used up: the next log-in needs a later one."""
    secret = new_secret()
    codes = enrol(db.session, user, secret, pyotp.TOTP(secret).at(at), at=at)
    db.session.commit()
    return secret, codes
