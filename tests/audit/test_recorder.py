"""Every change to an audited record writes one event, in the same transaction, with the
values before and after as stored, and who made it from where."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from crm.audit.recorder import AuditGap, record_flush
from crm.extensions import db
from crm.loans.services.payments import record_payment
from crm.models import Customer, Role
from crm.models.audit import HIDDEN, SYSTEM
from tests import factories
from tests.admin.pages import customer_form
from tests.loans.conftest import DISBURSED, pay


def edit_customer(client, customer, **fields):
    """Post the admin's edit form of `customer` with `fields` changed."""
    current = {
        "last_name": customer.last_name,
        "first_name": customer.first_name,
        "patronymic": customer.patronymic or "",
        "phone": customer.phone,
        "email": customer.email or "",
        "birth_date": customer.birth_date.isoformat(),
        "tax_id": customer.tax_id or "",
        "address": customer.address or "",
        "version": customer.version,
    }
    form = customer_form(**{**current, **fields})
    return client.post(
        "/admin/customer/edit/",
        query_string={"id": customer.id, "url": "/admin/customer/"},
        data=form,
    )


def test_an_edit_records_who_changed_which_field_from_what(app, logged_in, manager, events):
    customer = factories.CustomerFactory(phone="+380501234567", birth_date=date(1990, 5, 17))
    db.session.commit()
    browser = logged_in(manager, REMOTE_ADDR="203.0.113.7")

    response = edit_customer(browser, customer, phone="0677654321")
    assert response.status_code == 302, response.get_data(as_text=True)

    [event] = events(entity="customer", action="update")
    assert event.entity_id == event.customer_id == customer.id
    assert event.changes == {"phone": ["+380501234567", "+380677654321"]}
    assert (event.actor_id, event.actor, event.command) == (manager.id, manager.email, None)
    assert event.ip == "203.0.113.7"
    assert len(event.request_id) == 32


def test_a_refused_edit_writes_no_event(app, logged_in, manager, events):
    customer = factories.CustomerFactory()
    db.session.commit()
    browser = logged_in(manager)

    assert edit_customer(browser, customer, phone="not a phone").status_code == 422
    assert edit_customer(browser, customer, version=customer.version + 5).status_code in (409, 422)

    assert [event.action for event in events(entity="customer")] == ["create"]


def test_a_payment_is_one_request_of_events_with_money_as_stored(
    app, active, manager, events, staff_client
):
    response = staff_client.post(
        f"/loans/{active.id}/payments",
        data={"amount": "888.49", "reference": "BANK-1", "paid_on": DISBURSED.isoformat()},
    )
    assert response.status_code == 302

    written = [event for event in events(loan_id=active.id) if event.action == "payment"]
    assert {event.entity for event in written} == {"payment", "installment", "loan"}
    assert len({event.request_id for event in written}) == 1
    # One event per record the payment changed, however its writes were flushed.
    assert len(written) == len({(event.entity, event.entity_id) for event in written})
    [payment] = [event for event in written if event.entity == "payment"]
    assert payment.changes["amount"] == [None, "888.49"]
    assert payment.changes["paid_on"] == [None, DISBURSED.isoformat()]
    assert payment.customer_id == active.customer_id
    [first] = [event for event in written if event.entity == "installment"]
    assert first.changes["interest_paid"] == ["0.00", "100.00"]
    assert first.changes["principal_paid"] == ["0.00", "788.49"]
    [loan] = [event for event in written if event.entity == "loan"]
    assert loan.changes["principal_outstanding"] == ["10000.00", "9211.51"]


def test_lifecycle_steps_are_named_and_a_write_off_records_who_and_when(
    app, active, admin_user, events, clock
):
    from crm.loans.services.lifecycle import write_off_loan

    write_off_loan(db.session, active, reason="Uncollectable", by=admin_user)
    db.session.commit()

    actions = [event.action for event in events(entity="loan", entity_id=active.id)]
    assert actions == ["create", "start", "write_off"]
    assert active.written_off_by_id == admin_user.id
    assert active.written_off_at is not None
    [write_off] = events(action="write_off")
    assert write_off.changes["status"] == ["active", "written_off"]
    assert write_off.changes["written_off_by_id"] == [None, admin_user.id]
    assert write_off.changes["written_off_at"][1] == clock.now.isoformat()


def test_a_reversal_is_named_on_the_payment_and_the_records_it_restores(
    app, active, manager, admin_user, events
):
    from crm.loans.services.payments import reverse_payment

    posting = pay(active, manager, "888.49", "BANK-1")
    reverse_payment(db.session, posting.payment, reason="Wrong loan", by=admin_user)
    db.session.commit()

    reversal = events(action="reversal")
    assert {event.entity for event in reversal} == {"payment", "installment", "loan"}
    [payment] = [event for event in reversal if event.entity == "payment"]
    assert payment.changes["reversal_reason"] == [None, "Wrong loan"]


def test_commands_and_code_outside_requests_act_as_the_system(app, runner, events):
    result = runner.invoke(
        args=["users", "create", "new@example.com", "--role", "manager"],
        input="Correct-Horse-Battery-9\nCorrect-Horse-Battery-9\n",
    )
    assert result.exit_code == 0, result.output

    [event] = events(entity="user", action="create")
    assert (event.actor, event.command, event.ip) == (SYSTEM, "users create", None)
    assert event.changes["email"] == [None, "new@example.com"]
    assert event.changes["password_hash"] == [None, HIDDEN]
    assert event.changes["role"] == [None, Role.MANAGER.value]


def test_a_password_change_is_recorded_without_the_hash(app, manager, events):
    manager.set_password("Another-Good-Passphrase-7")
    db.session.commit()

    [event] = events(entity="user", action="update")
    assert event.changes == {"password_hash": [HIDDEN, HIDDEN]}


def test_an_event_rolls_back_with_its_change(app, events):
    db.session.add(factories.CustomerFactory.build())
    db.session.flush()
    db.session.rollback()

    assert events() == []


def test_a_bulk_update_that_would_skip_the_trail_is_refused(app):
    with pytest.raises(AuditGap):
        db.session.execute(update(Customer).values(address="nowhere"))


def test_a_delete_keeps_the_values_it_removed(app, events):
    customer = factories.CustomerFactory(last_name="Коваль")
    db.session.commit()
    customer_id = customer.id
    db.session.delete(customer)
    db.session.commit()

    [event] = events(entity="customer", action="delete")
    assert event.entity_id == customer_id
    assert event.changes["last_name"] == ["Коваль", None]


def post_payment(loan, by, reference: str, count_queries) -> list[str]:
    """The statements record_payment and its commit send."""
    with count_queries() as log:
        record_payment(
            db.session,
            loan,
            amount=Decimal("888.49"),
            paid_on=date(2025, 1, 20),
            reference=reference,
            by=by,
        )
        db.session.commit()
    return log.statements


def test_the_trail_costs_a_payment_one_statement(app, active, manager, count_queries):
    audited = post_payment(active, manager, "BANK-1", count_queries)
    event.remove(Session, "after_flush", record_flush)
    try:
        unaudited = post_payment(active, manager, "BANK-2", count_queries)
    finally:
        event.listen(Session, "after_flush", record_flush)

    added = [statement for statement in audited if statement not in unaudited]
    assert len(audited) == len(unaudited) + 1
    assert [statement.split("(")[0].strip() for statement in added] == ["INSERT INTO audit_events"]
