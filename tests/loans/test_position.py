"""A customer's position over all their loans: outstanding, overdue, worst DPD, next payment;
and the schedule rows it is added up from, which the timeline's arrears read too."""

from datetime import date
from decimal import Decimal

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.queries.position import customer_schedule, position_on
from tests.factories import CustomerFactory, LoanFactory, loan_with_installments

AS_OF = date(2026, 5, 20)


def customer_position(customer_id: int, as_of: date = AS_OF):
    return position_on(customer_schedule(db.session, customer_id, as_of), as_of)


def test_a_customer_without_loans_owes_nothing(app):
    customer = CustomerFactory()
    db.session.commit()
    position = customer_position(customer.id)
    assert (position.outstanding_principal, position.overdue_amount) == (0, 0)
    assert (position.next_due_on, position.next_due_amount, position.worst_days_past_due) == (
        None,
        Decimal("0.00"),
        0,
    )


def test_figures_add_up_over_the_active_loans_only(app, count_queries):
    customer = CustomerFactory()
    # Overdue since 10 April (part paid), next due 10 June.
    loan_with_installments(
        [
            (date(2026, 3, 10), "100.00", "10.00", "100.00", "10.00"),
            (date(2026, 4, 10), "100.00", "10.00", "50.00", "10.00"),
            (date(2026, 5, 10), "100.00", "10.00"),
            (date(2026, 6, 10), "100.00", "10.00"),
        ],
        customer=customer,
    )
    # Current, next due 1 June: the earlier day is the customer's next payment.
    loan_with_installments(
        [(date(2026, 6, 1), "200.00", "20.00"), (date(2026, 7, 1), "200.00", "20.00")],
        customer=customer,
    )
    # Two installments on the same next day add up.
    loan_with_installments([(date(2026, 6, 1), "30.00", "3.00")], customer=customer)
    # Neither a finished loan nor an application counts.
    loan_with_installments(
        [(date(2026, 1, 1), "999.00", "9.00")], customer=customer, status=LoanStatus.FINISHED
    )
    LoanFactory(customer=customer, status=LoanStatus.PENDING)
    CustomerFactory.create_batch(2)
    db.session.commit()
    customer_id = customer.id
    with count_queries() as log:
        position = customer_position(customer_id)
    assert log.count == 1
    assert position.outstanding_principal == Decimal("250.00") + Decimal("400.00") + Decimal(
        "30.00"
    )
    assert position.overdue_amount == Decimal("50.00") + Decimal("110.00")
    assert position.worst_days_past_due == (AS_OF - date(2026, 4, 10)).days
    assert (position.next_due_on, position.next_due_amount) == (
        date(2026, 6, 1),
        Decimal("253.00"),
    )


def test_an_installment_due_today_is_the_next_payment_not_overdue(app):
    customer = CustomerFactory()
    loan_with_installments([(AS_OF, "100.00", "10.00")], customer=customer)
    db.session.commit()
    position = customer_position(customer.id)
    assert (position.overdue_amount, position.worst_days_past_due) == (Decimal("0.00"), 0)
    assert (position.next_due_on, position.next_due_amount) == (AS_OF, Decimal("110.00"))


def test_the_schedule_leaves_out_what_was_paid_on_time(app):
    customer = CustomerFactory()
    loan = loan_with_installments(
        [
            (date(2026, 2, 10), "100.00", "10.00", "100.00", "10.00"),
            (date(2026, 3, 10), "100.00", "10.00", "100.00", "10.00"),
            (date(2026, 4, 10), "100.00", "10.00"),
            (date(2026, 6, 10), "100.00", "10.00"),
        ],
        customer=customer,
    )
    # Paid 12 days late: the timeline's arrears read it, the position does not.
    loan.installments[1].paid_on = date(2026, 3, 22)
    CustomerFactory()
    db.session.commit()
    rows = customer_schedule(db.session, customer.id, AS_OF)
    assert [(row.due_date, row.paid_on) for row in rows] == [
        (date(2026, 3, 10), date(2026, 3, 22)),
        (date(2026, 4, 10), None),
        (date(2026, 6, 10), None),
    ]
    assert {row.loan_id for row in rows} == {loan.id}
    position = position_on(rows, AS_OF)
    assert (position.outstanding_principal, position.overdue_amount) == (
        Decimal("200.00"),
        Decimal("110.00"),
    )
