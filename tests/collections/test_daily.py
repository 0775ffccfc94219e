"""`flask --app wsgi collections daily`: follow-up tasks and reminders, once per day."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import (
    AuditEvent,
    ContactKind,
    ContactOutcome,
    Interaction,
    OutboxMessage,
    Payment,
    Role,
    Task,
)
from crm.models.audit import SYSTEM
from tests.factories import CustomerFactory, UserFactory, loan_with_installments

AS_OF = date(2026, 6, 15)


def run(runner, as_of=AS_OF):
    result = runner.invoke(args=["collections", "daily", "--as-of", as_of.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def tasks():
    return list(db.session.scalars(select(Task).order_by(Task.id)))


def outbox():
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def officer(app):
    return UserFactory(role=Role.MANAGER, email="officer@example.com")


def loan_due(officer, due_dates, *, email="borrower@example.com", paid=0, **fields):
    """An active loan with an installment of 1 000 + 100 due on each date; the first `paid`
    ones fully paid."""
    customer = CustomerFactory(manager=officer, email=email)
    rows = [
        (due, "1000.00", "100.00", *(("1000.00", "100.00") if number < paid else ()))
        for number, due in enumerate(due_dates)
    ]
    loan = loan_with_installments(rows, customer=customer, **fields)
    db.session.commit()
    return loan


def test_a_loan_that_enters_a_worse_bucket_gets_one_task_for_its_manager(runner, officer):
    loan = loan_due(officer, [AS_OF - timedelta(days=31), AS_OF + timedelta(days=30)])
    output = run(runner)
    [task] = tasks()
    assert (task.assignee_id, task.loan_id, task.customer_id) == (
        officer.id,
        loan.id,
        loan.customer_id,
    )
    assert task.due_on == AS_OF
    assert task.origin == f"bucket:{loan.id}:31-60:{AS_OF - timedelta(days=31)}"
    assert "1" in output


def test_a_loan_whose_bucket_began_long_ago_gets_no_task(runner, officer):
    loan_due(officer, [AS_OF - timedelta(days=45)])
    run(runner)
    assert tasks() == []


def test_a_missed_day_is_caught_up_within_a_week(runner, officer):
    loan_due(officer, [AS_OF - timedelta(days=3)])
    run(runner)
    assert [task.origin.split(":")[2] for task in tasks()] == ["1-30"]


def test_reminders_three_days_before_and_the_day_after_the_due_date(runner, officer):
    loan_due(officer, [AS_OF + timedelta(days=3)], email="soon@example.com")
    loan_due(officer, [AS_OF - timedelta(days=1)], email="late@example.com")
    loan_due(officer, [AS_OF + timedelta(days=4)], email="later@example.com")
    loan_due(
        officer,
        [AS_OF - timedelta(days=31), AS_OF - timedelta(days=1)],
        paid=1,
        email="paid@example.com",
    )
    run(runner)
    messages = {message.recipient: message for message in outbox()}
    assert set(messages) == {"soon@example.com", "late@example.com", "paid@example.com"}
    assert messages["soon@example.com"].dedupe_key.startswith("reminder:due:")
    assert messages["late@example.com"].dedupe_key.startswith("reminder:late:")
    # What is due on the installment: 1 000 principal and 100 interest.
    assert "1,100.00" in messages["soon@example.com"].text_body


def test_customers_without_an_email_are_skipped_and_counted(runner, officer):
    loan_due(officer, [AS_OF + timedelta(days=3)], email=None)
    output = run(runner)
    assert outbox() == []
    assert ": 1" in next(line for line in output.splitlines() if "e-mail" in line)


def test_paid_and_closed_loans_get_no_reminder(runner, officer):
    loan_due(officer, [AS_OF + timedelta(days=3)], paid=1)
    loan_due(
        officer,
        [AS_OF + timedelta(days=3)],
        email="gone@example.com",
        status=LoanStatus.WRITTEN_OFF,
    )
    run(runner)
    assert outbox() == []


def test_running_twice_for_a_day_adds_nothing_the_second_time(runner, officer):
    loan_due(officer, [AS_OF - timedelta(days=1), AS_OF + timedelta(days=30)])
    loan_due(officer, [AS_OF + timedelta(days=3)], email="soon@example.com")
    run(runner)
    first = (len(tasks()), len(outbox()))
    assert first == (1, 2)
    run(runner)
    assert (len(tasks()), len(outbox())) == first


def test_a_broken_promise_gets_a_follow_up_task_once(runner, officer):
    loan = loan_due(officer, [AS_OF - timedelta(days=20), AS_OF + timedelta(days=10)])
    promise = Interaction(
        customer_id=loan.customer_id,
        loan_id=loan.id,
        kind=ContactKind.CALL,
        outcome=ContactOutcome.PROMISED_TO_PAY,
        promise_amount=Decimal("500.00"),
        promise_made_on=AS_OF - timedelta(days=10),
        promise_due_on=AS_OF - timedelta(days=1),
        author_id=officer.id,
    )
    db.session.add(promise)
    db.session.add(
        Payment(
            loan_id=loan.id,
            paid_on=AS_OF - timedelta(days=5),
            amount=Decimal("499.99"),
            reference="part",
        )
    )
    db.session.commit()
    run(runner)
    run(runner)
    follow_ups = [task for task in tasks() if task.interaction_id == promise.id]
    assert len(follow_ups) == 1
    assert follow_ups[0].origin == f"promise:{promise.id}"
    assert follow_ups[0].assignee_id == officer.id


def test_a_kept_promise_gets_no_task(runner, officer):
    loan = loan_due(officer, [AS_OF + timedelta(days=10)])
    db.session.add_all(
        [
            Interaction(
                customer_id=loan.customer_id,
                loan_id=loan.id,
                kind=ContactKind.CALL,
                outcome=ContactOutcome.PROMISED_TO_PAY,
                promise_amount=Decimal("500.00"),
                promise_made_on=AS_OF - timedelta(days=10),
                promise_due_on=AS_OF - timedelta(days=1),
                author_id=officer.id,
            ),
            Payment(
                loan_id=loan.id,
                paid_on=AS_OF - timedelta(days=2),
                amount=Decimal("500.00"),
                reference="all",
            ),
        ]
    )
    db.session.commit()
    run(runner)
    assert [task for task in tasks() if task.interaction_id] == []


def test_the_run_is_audited_as_the_system(runner, officer):
    loan_due(officer, [AS_OF - timedelta(days=1), AS_OF + timedelta(days=30)])
    run(runner)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "task"))
    assert (event.action, event.actor, event.actor_id) == ("create", SYSTEM, None)


def test_a_bad_date_is_refused(runner):
    result = runner.invoke(args=["collections", "daily", "--as-of", "2026-02-30"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
    assert db.session.scalar(select(func.count()).select_from(Task)) == 0
