"""`flask demo load`, run through Flask's CLI runner: what it prints, what it refuses, and
the customers, loans and payments it writes."""

from collections import defaultdict
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.clock import lender_date
from crm.demo.drawing import tax_id_check_digit
from crm.demo.load import ADMIN, CUSTOMER_LOGIN_EMAIL, DEMO_PASSWORD, MANAGERS
from crm.demo.tables import (
    DAYS_PER_YEAR,
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
    MOBILE_CODES,
    PRODUCTS,
    SURNAMES,
)
from crm.extensions import db
from crm.lending.allocation import allocate_payment, apply_allocations
from crm.lending.installments import InstallmentState, position
from crm.lending.schedule import build_schedule
from crm.lending.status import LoanStatus
from crm.loans.queries import overdue as queue
from crm.loans.queries import portfolio
from crm.models import (
    AuditEvent,
    Customer,
    Installment,
    Interaction,
    Loan,
    Payment,
    PaymentAllocation,
    Product,
    Role,
    Task,
    User,
)
from crm.models.audit import SYSTEM
from crm.models.customer import search_key
from crm.validation import normalise_phone
from tests import factories


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load(runner, *args: str):
    return runner.invoke(args=["demo", "load", *args])


@pytest.fixture
def loaded(runner):
    """The result of `demo load --customers 30`, which succeeded."""
    result = load(runner, "--customers", "30")
    assert result.exit_code == 0, result.output
    return result


def test_demo_load_creates_products_staff_customers_and_loans(loaded, rows_in):
    assert loaded.exit_code == 0, loaded.output
    assert "30 customers" in loaded.output
    products = db.session.scalars(select(Product)).all()
    assert len(products) == len(PRODUCTS)
    assert 5 <= len(products) <= 7
    assert sum(not product.active for product in products) == 1
    roles = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert roles == {Role.ADMIN: 1, Role.MANAGER: len(MANAGERS), Role.CUSTOMER: 1}
    assert rows_in(Customer) == 30
    assert 60 <= rows_in(Loan) <= 120
    statuses = set(db.session.scalars(select(Loan.status).distinct()))
    assert statuses == set(LoanStatus)


def test_demo_load_prints_the_logins(runner):
    result = load(runner, "--customers", "3")

    for email in (ADMIN.email, "manager@demo.crm", CUSTOMER_LOGIN_EMAIL):
        assert email in result.output
    assert DEMO_PASSWORD in result.output


def test_demo_logins_work_with_the_demo_password(runner, client):
    load(runner, "--customers", "3")

    for email, home in (("manager@demo.crm", "/"), (CUSTOMER_LOGIN_EMAIL, "/account/")):
        response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert response.headers["Location"] == home
        client.post("/auth/logout")


def test_demo_customer_login_belongs_to_the_first_customer(runner):
    load(runner, "--customers", "3")

    login = db.session.scalar(select(User).where(User.email == CUSTOMER_LOGIN_EMAIL))
    assert login.customer_id == db.session.scalar(select(func.min(Customer.id)))


def test_demo_customers_are_valid_and_unique(loaded):
    today = datetime.now(UTC).date()

    customers = db.session.scalars(select(Customer)).all()
    for customer in customers:
        assert normalise_phone(customer.phone) == customer.phone
        assert customer.phone[4:6] in MOBILE_CODES
        assert len(customer.phone) == 13
        assert customer.manager_id is None or customer.manager.role is Role.MANAGER
        age = (today - customer.birth_date).days / DAYS_PER_YEAR
        assert 18 <= age <= 75
        assert customer.address.startswith("м. ")
        assert customer.search_text == search_key(
            customer.last_name,
            customer.first_name,
            customer.patronymic,
            customer.phone,
            customer.email,
            customer.tax_id,
        )
    emails = [c.email for c in customers if c.email]
    tax_ids = [c.tax_id for c in customers if c.tax_id]
    assert 0 < len(emails) < len(customers)
    assert 0 < len(tax_ids) < len(customers)
    assert len(set(emails)) == len(emails)
    assert len(set(tax_ids)) == len(tax_ids)
    assert len({c.phone for c in customers}) == len(customers)


def test_demo_tax_ids_encode_birth_date_and_sex_and_check_out(loaded):
    for customer in db.session.scalars(select(Customer).where(Customer.tax_id.is_not(None))):
        tax_id = customer.tax_id
        assert len(tax_id) == 10
        assert tax_id.isdigit()
        assert int(tax_id[:5]) == (customer.birth_date - date(1899, 12, 31)).days
        female = customer.first_name in FEMALE_FIRST_NAMES
        assert int(tax_id[8]) % 2 == (0 if female else 1)
        assert tax_id[9] == tax_id_check_digit(tax_id[:9])


def test_demo_names_agree_in_gender(loaded):
    male_only = {male for male, female in SURNAMES if male != female}
    female_only = {female for male, female in SURNAMES if male != female}

    for customer in db.session.scalars(select(Customer)):
        female = customer.first_name in FEMALE_FIRST_NAMES
        assert female or customer.first_name in MALE_FIRST_NAMES
        assert customer.patronymic.endswith("вна") == female, customer.full_name
        assert customer.last_name not in (male_only if female else female_only)


def test_demo_loans_respect_their_products(loaded):
    rows = db.session.execute(select(Loan, Product).join(Loan.product)).all()
    for loan, product in rows:
        assert product.min_amount <= loan.amount <= product.max_amount
        assert product.min_term <= loan.term_months <= product.max_term
        assert loan.annual_rate == product.annual_rate
        assert loan.amount % 500 == 0
        if not product.active:
            assert loan.status in (LoanStatus.FINISHED, LoanStatus.WRITTEN_OFF)


def test_demo_loans_carry_what_their_status_needs(loaded):
    now = datetime.now(UTC)

    for loan in db.session.scalars(select(Loan)):
        decided = loan.status is not LoanStatus.PENDING
        started = loan.status in (LoanStatus.ACTIVE, LoanStatus.FINISHED, LoanStatus.WRITTEN_OFF)
        assert (loan.decided_at is not None) == decided
        assert (loan.refusal_reason is not None) == (loan.status is LoanStatus.REFUSED)
        assert (loan.write_off_reason is not None) == (loan.status is LoanStatus.WRITTEN_OFF)
        assert (loan.disbursed_on is not None) == started
        assert (loan.decided_by is not None) == (
            decided and loan.status is not LoanStatus.WITHDRAWN
        )
        assert loan.customer.created_at <= loan.created_at
        assert aware(loan.created_at) <= now
        if decided:
            assert loan.created_at <= loan.decided_at
            assert aware(loan.decided_at) <= now
        if started:
            assert loan.disbursed_on == lender_date(aware(loan.decided_at))
        if loan.decided_by is not None:
            assert loan.decided_by.role in (Role.ADMIN, Role.MANAGER)


def test_demo_first_customer_is_always_the_same(runner):
    load(runner, "--customers", "3")

    first = db.session.scalar(select(Customer).order_by(Customer.id).limit(1))
    assert (first.full_name, first.phone) == ("Гончар Христина Богданівна", "+380686655731")


def test_demo_started_loans_are_serviced_consistently(loaded):
    today = datetime.now(UTC).date()

    assert loaded.exit_code == 0, loaded.output
    assert "installments" in loaded.output
    loans = db.session.scalars(
        select(Loan).options(
            selectinload(Loan.product),
            selectinload(Loan.installments),
            selectinload(Loan.payments).selectinload(Payment.allocations),
        )
    ).all()
    started = 0
    for loan in loans:
        if loan.disbursed_on is None:
            assert loan.installments == loan.payments == []
            assert (loan.principal_outstanding, loan.oldest_unpaid_due_on) == (0, None)
            continue
        started += 1
        check_schedule(loan)
        check_payments(loan, today)
        standing = position(loan.installments)
        assert loan.principal_outstanding == standing.principal_outstanding, loan.id
        assert loan.oldest_unpaid_due_on == standing.oldest_unpaid_due_date, loan.id
        if loan.status is LoanStatus.FINISHED:
            assert all(item.unpaid == 0 for item in loan.installments)
            assert loan.principal_outstanding == 0
        elif loan.status is LoanStatus.ACTIVE:
            assert not standing.is_repaid
        else:
            assert loan.oldest_unpaid_due_on < today  # written off with arrears
    assert started >= 10


def check_schedule(loan: Loan) -> None:
    """The installments are the loan's schedule, as the lending engine builds it."""
    schedule = build_schedule(
        loan.amount,
        loan.annual_rate,
        loan.term_months,
        loan.product.repayment_method,
        loan.disbursed_on,
    )
    assert [(row.number, row.due_date, row.principal, row.interest) for row in schedule.rows] == [
        (item.number, item.due_date, item.principal, item.interest) for item in loan.installments
    ]
    assert sum(item.principal for item in loan.installments) == loan.amount


def check_payments(loan: Loan, today: date) -> None:
    """Replayed oldest first through allocate_payment, the payments give the stored
    allocations and paid amounts; each payment is the sum of its allocations."""
    numbers = {item.id: item.number for item in loan.installments}
    states = tuple(
        InstallmentState(item.number, item.due_date, item.principal, item.interest)
        for item in loan.installments
    )
    allocated = defaultdict(lambda: [0, 0])
    last_paid_on = {}
    for payment in sorted(loan.payments, key=lambda p: (p.paid_on, p.id)):
        assert loan.disbursed_on < payment.paid_on <= today
        assert sum(a.principal + a.interest for a in payment.allocations) == payment.amount
        expected = allocate_payment(states, payment.amount)
        stored = sorted(
            (numbers[a.installment_id], a.interest, a.principal) for a in payment.allocations
        )
        assert stored == [(a.number, a.interest, a.principal) for a in expected], payment.id
        states = apply_allocations(states, expected)
        for allocation in payment.allocations:
            allocated[allocation.installment_id][0] += allocation.principal
            allocated[allocation.installment_id][1] += allocation.interest
            last_paid_on[allocation.installment_id] = payment.paid_on
    for item, state in zip(loan.installments, states, strict=True):
        assert (item.principal_paid, item.interest_paid) == (
            state.principal_paid,
            state.interest_paid,
        )
        assert [item.principal_paid, item.interest_paid] == allocated[item.id]
        assert item.paid_on == (last_paid_on[item.id] if item.unpaid == 0 else None)


def test_demo_payments_are_unique_per_loan_and_booked_by_staff(loaded, rows_in):
    payments = db.session.scalars(select(Payment)).all()
    assert len({(p.loan_id, p.reference) for p in payments}) == len(payments) > 0
    assert all(p.recorded_by is None or p.recorded_by.role is Role.MANAGER for p in payments)
    assert rows_in(PaymentAllocation) >= len(payments)


def test_demo_has_overdue_loans_in_several_buckets(loaded):
    today = datetime.now(UTC).date()

    rows = db.session.scalars(queue.overdue_queue(today)).all()
    figures = portfolio.portfolio(db.session, today)

    assert len({row.bucket for row in rows}) >= 2
    assert figures.overdue_loans == len(rows)
    assert 0 < figures.at_risk[30] < figures.outstanding


def test_demo_load_refuses_to_load_twice(runner, rows_in):
    load(runner, "--customers", "5")
    before = (rows_in(Customer), rows_in(Loan), rows_in(Product), rows_in(User))

    result = load(runner, "--customers", "5")

    assert result.exit_code != 0
    assert "Demo data is already loaded: the login admin@demo.crm exists." in result.output
    assert (rows_in(Customer), rows_in(Loan), rows_in(Product), rows_in(User)) == before


def test_demo_load_refuses_a_database_with_products(runner, rows_in):
    factories.ProductFactory()

    result = load(runner, "--customers", "5")

    assert result.exit_code != 0
    assert "already has products" in result.output
    assert ADMIN.email not in result.output
    assert rows_in(Customer) == 0


def test_demo_load_if_empty_skips_loaded_data_and_still_shows_the_logins(runner, rows_in):
    load(runner, "--customers", "5")
    before = (rows_in(Customer), rows_in(Loan))

    result = load(runner, "--customers", "5", "--if-empty")

    assert result.exit_code == 0, result.output
    assert "Skipped." in result.output
    assert ADMIN.email in result.output
    assert DEMO_PASSWORD in result.output
    assert (rows_in(Customer), rows_in(Loan)) == before


def test_demo_load_if_empty_shows_no_demo_logins_where_there_are_none(runner):
    factories.ProductFactory()

    result = load(runner, "--if-empty")

    assert result.exit_code == 0, result.output
    assert "Skipped." in result.output
    assert DEMO_PASSWORD not in result.output


def test_demo_load_if_empty_loads_an_empty_database(runner, rows_in):
    result = load(runner, "--customers", "5", "--if-empty")

    assert result.exit_code == 0, result.output
    assert rows_in(Customer) == 5


def test_demo_load_adds_to_existing_customers_without_clashing(runner, rows_in):
    existing = factories.CustomerFactory()

    result = load(runner, "--customers", "5")

    assert result.exit_code == 0, result.output
    assert rows_in(Customer) == 6
    new_ids = db.session.scalars(select(Customer.id).where(Customer.id != existing.id)).all()
    assert min(new_ids) > existing.id
    # The id sequence moved past the demo's ids, so the next ordinary insert works.
    assert factories.CustomerFactory().id > max(new_ids)


def test_demo_load_writes_one_event_for_its_bulk_rows(runner, rows_in, clock):
    load(runner, "--customers", "7")

    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "demo_load"))
    assert (event.actor, event.command, event.entity, event.entity_id) == (
        SYSTEM,
        "demo load",
        "demo",
        None,
    )
    assert aware(event.at) == clock.now
    assert event.changes == {
        "products": [None, rows_in(Product)],
        "staff": [None, len(MANAGERS) + 1],
        "customers": [None, 7],
        "loans": [None, rows_in(Loan)],
        "installments": [None, rows_in(Installment)],
        "payments": [None, rows_in(Payment)],
        "contacts": [None, rows_in(Interaction)],
        "tasks": [None, rows_in(Task)],
    }
    # The rows written through the session have their own events; the bulk rows have none.
    entities = set(db.session.scalars(select(AuditEvent.entity).distinct()))
    assert entities == {"demo", "product", "user"}


def test_demo_load_refused_writes_no_demo_event(runner):
    factories.ProductFactory()

    assert load(runner, "--customers", "5").exit_code != 0
    assert load(runner, "--customers", "5", "--if-empty").exit_code == 0

    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "demo_load")) is None
