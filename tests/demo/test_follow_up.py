"""The demo's collections work: contacts, promises and tasks on the overdue loans only."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.loans.queries import overdue as queue
from crm.models import Interaction, Task


@pytest.fixture
def loaded(runner):
    result = runner.invoke(args=["demo", "load", "--customers", "30"])
    assert result.exit_code == 0, result.output


def test_demo_follow_ups_are_on_overdue_loans_for_their_managers(loaded):
    today = datetime.now(UTC).date()
    overdue = {row.loan_id: row for row in db.session.scalars(queue.overdue_queue(today))}
    contacts = db.session.scalars(select(Interaction)).all()
    tasks = db.session.scalars(select(Task)).all()

    assert contacts
    assert tasks
    assert {task.loan_id for task in tasks} <= set(overdue)
    assert {contact.customer_id for contact in contacts} <= {
        row.customer_id for row in overdue.values()
    }
    for task in tasks:
        assert task.assignee_id == task.customer.manager_id
        assert task.done_at is None
    promises = [contact for contact in contacts if contact.is_promise]
    assert promises
    for contact in promises:
        assert contact.loan_id in overdue
        assert contact.promise_made_on <= contact.promise_due_on
        assert contact.promise_made_on == contact.created_at.date()
    # The queue shows every state a promise can be in, read from the payments.
    assert {row.promise_state for row in overdue.values()} - {None}
