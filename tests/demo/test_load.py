"""`load_demo` called directly: the same moment of loading gives the same data."""

from datetime import UTC, datetime

from sqlalchemy import select

from crm.clock import lender_today
from crm.demo.load import CUSTOMER_LOGIN_EMAIL, DEMO_PASSWORD, load_demo
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.queries.servicing import RowState, row_state
from crm.models import Customer, Installment, Loan, Payment, User
from tests.conftest import empty_all_tables


def demo_snapshot(moment: datetime) -> tuple[list[dict], ...]:
    """The customers, loans, installments and payments of a fresh demo load at `moment`,
    without their ids."""
    load_demo(db.session, customers=20, now=moment)
    db.session.commit()
    customers = db.session.execute(select(Customer.__table__).order_by(Customer.phone)).all()
    loans = db.session.execute(
        select(Customer.phone.label("customer_phone"), Loan.__table__)
        .join(Loan.customer)
        .order_by(Customer.phone, Loan.created_at)
    ).all()
    installments = db.session.execute(
        select(Installment.__table__).order_by(Installment.loan_id, Installment.number)
    ).all()
    payments = db.session.execute(
        select(Payment.__table__).order_by(Payment.loan_id, Payment.paid_on, Payment.id)
    ).all()
    empty_all_tables()
    ids = {"id", "customer_id", "loan_id", "reference"}
    return tuple(
        [{k: v for k, v in row._mapping.items() if k not in ids} for row in rows]
        for rows in (customers, loans, installments, payments)
    )


def test_demo_load_gives_the_same_data_every_time(app):
    moment = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)

    assert demo_snapshot(moment) == demo_snapshot(moment)


def test_demo_load_gives_the_same_people_and_loans_on_another_day(app):
    def lasting(moment: datetime) -> tuple[list, list]:
        customers, loans, _installments, _payments = demo_snapshot(moment)
        people = ("last_name", "first_name", "patronymic", "phone", "address", "manager_id")
        terms = ("customer_phone", "product_id", "amount", "term_months", "status")
        return (
            [[customer[k] for k in people] for customer in customers],
            [[loan[k] for k in terms] for loan in loans],
        )

    assert lasting(datetime(2026, 11, 25, 9, 30, tzinfo=UTC)) == lasting(
        datetime(2027, 3, 1, 23, 59, 59, tzinfo=UTC)
    )


def test_the_demo_customer_login_shows_every_state_of_a_loan(app, client):
    """customer@demo.crm: a loan paid off, a running one paid so far with its next
    installment paid in part (and a payment history), and an application waiting."""
    load_demo(db.session, customers=3)
    db.session.commit()
    login = db.session.scalar(select(User).where(User.email == CUSTOMER_LOGIN_EMAIL))
    loans = {
        loan.status: loan
        for loan in db.session.scalars(select(Loan).where(Loan.customer_id == login.customer_id))
    }

    assert set(loans) == {LoanStatus.FINISHED, LoanStatus.ACTIVE, LoanStatus.PENDING}
    active = loans[LoanStatus.ACTIVE]
    states = [row_state(item, lender_today()) for item in active.installments]
    assert states[0] is RowState.PAID
    assert RowState.PARTLY_PAID in states
    assert RowState.OVERDUE not in states
    assert len(active.payments) > 2
    assert all(item.unpaid == 0 for item in loans[LoanStatus.FINISHED].installments)

    response = client.post(
        "/auth/login", data={"email": CUSTOMER_LOGIN_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.headers["Location"] == "/account/"
    html = client.get("/account/").get_data(as_text=True)
    for loan in loans.values():
        assert f'data-loan="{loan.id}"' in html
    page = client.get(f"/account/loans/{active.id}").get_data(as_text=True)
    assert 'data-state="partly_paid"' in page
