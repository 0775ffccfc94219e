"""`load_demo` called directly: the same moment of loading gives the same data."""

from datetime import UTC, datetime

from sqlalchemy import select

from crm.demo.load import load_demo
from crm.extensions import db
from crm.models import Customer, Installment, Loan, Payment
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
