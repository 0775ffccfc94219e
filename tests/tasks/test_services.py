"""Adding, closing and reopening tasks (crm/tasks/services.py), and the reads the other
pages use (crm/tasks/queries.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from crm.extensions import db
from crm.models import Role, Task
from crm.models.task import MAX_TASK_TITLE
from crm.sessions.queries import due_task_counts
from crm.tasks.queries import next_task_id
from crm.tasks.services import add_task, complete_task, reopen_task
from crm.validation import FieldError
from tests import factories

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def task_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Task))


def add(**fields) -> Task | None:
    values = {
        "title": "Call about the March installment",
        "due_on": TODAY,
        "assignee_id": fields.pop("assignee").id,
        "created_by": None,
        "today": TODAY,
        **fields,
    }
    return add_task(db.session, **values)


def test_a_task_about_a_loan_is_about_its_customer(app, manager):
    loan = factories.LoanFactory()

    task = add(assignee=manager, loan_id=loan.id, created_by=manager)
    db.session.commit()

    assert (task.customer_id, task.loan_id, task.created_by_id) == (
        loan.customer_id,
        loan.id,
        manager.id,
    )
    assert task.title == "Call about the March installment"
    assert not task.is_done


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * (MAX_TASK_TITLE + 1)}, "title"),
        ({"title": "Call\x00back"}, "title"),
        ({"due_on": None}, "due_on"),
        ({"due_on": TODAY - timedelta(days=1)}, "due_on"),
        ({"customer_id": 999_999}, "customer_id"),
        ({"loan_id": 999_999}, "loan_id"),
        ({"interaction_id": 999_999}, "interaction_id"),
        ({"origin": "x" * 101}, "origin"),
    ],
)
def test_bad_values_are_refused_beside_their_field_and_nothing_is_added(
    app, manager, fields, field
):
    with pytest.raises(FieldError) as refused:
        add(assignee=manager, **fields)

    assert refused.value.field == field
    db.session.rollback()
    assert task_count() == 0


@pytest.mark.parametrize(
    "assignee",
    [
        lambda: factories.UserFactory(role=Role.MANAGER, active=False),
        lambda: factories.UserFactory(role=Role.CUSTOMER, customer=factories.CustomerFactory()),
    ],
    ids=["deactivated", "customer"],
)
def test_only_active_staff_are_given_tasks(app, assignee):
    with pytest.raises(FieldError) as refused:
        add(assignee=assignee())

    assert refused.value.field == "assignee_id"


def test_a_loan_of_another_customer_is_refused(app, manager):
    loan, other = factories.LoanFactory(), factories.CustomerFactory()

    with pytest.raises(FieldError) as refused:
        add(assignee=manager, customer_id=other.id, loan_id=loan.id)

    assert refused.value.field == "loan_id"


def test_the_same_origin_adds_one_task_and_keeps_the_transaction(app, manager):
    customer = factories.CustomerFactory()
    first = add(assignee=manager, customer_id=customer.id, origin="promise:17")
    # Other work of the same run, still to be committed with the second call's transaction.
    customer.address = "Львів, пл. Ринок, 1"

    second = add(assignee=manager, customer_id=customer.id, origin="promise:17")
    db.session.commit()

    assert first is not None
    assert second is None
    assert task_count() == 1
    assert db.session.get(type(customer), customer.id).address == "Львів, пл. Ринок, 1"


def test_a_race_past_the_look_up_is_stopped_by_the_unique_origin(app, manager, monkeypatch):
    add(assignee=manager, origin="bucket:42:31-60:2026-03-10")
    monkeypatch.setattr("crm.tasks.services._origin_taken", lambda *_args: False)
    customer = factories.CustomerFactory()
    customer.address = "Одеса"

    assert add(assignee=manager, origin="bucket:42:31-60:2026-03-10") is None
    db.session.commit()

    assert task_count() == 1
    assert db.session.get(type(customer), customer.id).address == "Одеса"


def test_a_task_is_closed_once_and_reopened(app, manager):
    task = factories.TaskFactory(assignee=manager)

    complete_task(db.session, task, by=manager, expected_version=1, at=NOW)
    db.session.commit()
    assert (task.is_done, task.done_by_id, task.version) == (True, manager.id, 2)
    with pytest.raises(FieldError):
        complete_task(db.session, task, by=manager, expected_version=2, at=NOW)

    reopen_task(db.session, task, expected_version=2)
    db.session.commit()
    assert (task.done_at, task.done_by_id, task.version) == (None, None, 3)
    with pytest.raises(FieldError):
        reopen_task(db.session, task, expected_version=3)


def test_a_stale_version_closes_nothing(app, manager):
    task = factories.TaskFactory(assignee=manager)

    with pytest.raises(StaleDataError):
        complete_task(db.session, task, by=manager, expected_version=0, at=NOW)

    assert not task.is_done


def test_the_count_is_of_open_tasks_due_by_today_and_says_how_many_are_late(app, manager):
    for days, done in [(-3, False), (-1, True), (0, False), (0, False), (1, False)]:
        factories.TaskFactory(
            assignee=manager,
            due_on=TODAY + timedelta(days=days),
            done_at=NOW if done else None,
        )
    factories.TaskFactory(due_on=TODAY - timedelta(days=5))

    def counts(today):
        return db.session.execute(select(*due_task_counts(manager.id)), {"today": today}).one()

    assert tuple(counts(TODAY)) == (3, 1)
    assert tuple(counts(TODAY - timedelta(days=10))) == (0, 0)


def test_the_next_task_is_the_customers_earliest_open_one(app, manager):
    loan = factories.LoanFactory()
    customer = loan.customer
    factories.TaskFactory(assignee=manager, customer=customer, due_on=TODAY, done_at=NOW)
    factories.TaskFactory(
        assignee=manager, customer=customer, loan=loan, due_on=TODAY + timedelta(days=3)
    )
    first = factories.TaskFactory(
        assignee=manager, customer=customer, due_on=TODAY + timedelta(days=1)
    )
    factories.TaskFactory(assignee=manager, customer=customer, due_on=TODAY + timedelta(days=1))
    nobody = factories.CustomerFactory()

    assert db.session.scalar(select(next_task_id(customer.id))) == first.id
    assert db.session.scalar(select(next_task_id(nobody.id))) is None
