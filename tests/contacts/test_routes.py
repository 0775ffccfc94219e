"""The contact form: GET /customers/<id>/contacts/new and its post."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.clock import lender_today
from crm.extensions import db
from crm.models import AuditEvent, Interaction
from crm.models.interaction import MAX_CONTACT_TEXT, MAX_PROMISE_DAYS
from tests import factories
from tests.contacts.conftest import contact_count, days_from_today
from tests.loans.conftest import pay

ENGLISH = {"Accept-Language": "en"}


def url(customer, **query) -> str:
    args = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/customers/{customer.id}/contacts/new" + (f"?{args}" if args else "")


def error_beside(html: str, field: str) -> str:
    """The message under a field of the form (Bootstrap's invalid-feedback after it)."""
    match = re.search(
        rf'name="{field}"[^>]*>(?:[^<]|<(?!div))*<div class="invalid-feedback">([^<]*)<',
        html,
        re.DOTALL,
    )
    assert match, f"no message beside {field}"
    return match.group(1)


def promise_form(loan, **changes) -> dict:
    form = {
        "kind": "call",
        "outcome": "promised_to_pay",
        "text": "Обіцяв сплатити після зарплати",
        "loan_id": str(loan.id),
        "promise_amount": "1500.00",
        "promise_due_on": days_from_today(7).isoformat(),
    }
    return {**form, **changes}


def test_the_form_preselects_the_loan_and_lists_the_customers_loans(
    staff_client, customer, active, finished
):
    other = factories.LoanFactory()
    response = staff_client.get(url(customer, loan_id=active.id), headers=ENGLISH)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'<option selected value="{active.id}">', html)
    assert f'value="{finished.id}"' in html
    assert f'value="{other.id}"' not in html
    assert 'src="/static/js/contact-form.js"' in html


@pytest.mark.parametrize("loan_id", ["foreign", "999999", "abc", "99999999999999999999"])
def test_a_loan_not_of_the_customer_is_a_404(staff_client, customer, active, loan_id):
    if loan_id == "foreign":
        loan_id = factories.LoanFactory().id
    assert staff_client.get(url(customer, loan_id=loan_id)).status_code == 404
    assert staff_client.post(url(customer, loan_id=loan_id), data={}).status_code == 404


def test_an_unknown_customer_is_a_404(staff_client):
    assert staff_client.get("/customers/999999/contacts/new").status_code == 404
    assert staff_client.post("/customers/999999/contacts/new", data={}).status_code == 404


def test_customers_are_refused_and_visitors_sent_to_log_in(client, login, customer_user, customer):
    assert client.get(url(customer)).status_code == 302
    login(customer_user)
    assert client.get(url(customer)).status_code == 403
    form = {"kind": "note", "outcome": "reached", "text": "x"}
    assert client.post(url(customer), data=form).status_code == 403
    assert contact_count() == 0


def test_a_note_is_logged_audited_and_the_card_shown_next(staff_client, customer, manager):
    form = {"kind": "note", "outcome": "reached", "text": "  Уточнив адресу  ", "loan_id": ""}
    response = staff_client.post(url(customer), data=form)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/customers/{customer.id}"
    contact = db.session.scalars(select(Interaction)).one()
    assert (contact.kind.value, contact.outcome.value, contact.text) == (
        "note",
        "reached",
        "Уточнив адресу",
    )
    assert (contact.loan_id, contact.author_id, contact.promise_amount) == (None, manager.id, None)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "contact")).one()
    assert (event.action, event.entity_id, event.customer_id, event.actor_id) == (
        "create",
        contact.id,
        customer.id,
        manager.id,
    )


def test_a_promise_is_logged_and_the_page_it_came_from_shown_next(staff_client, customer, active):
    back = "/loans/overdue?bucket=90%2B&page=2"
    response = staff_client.post(
        url(customer, next="/loans/overdue%3Fbucket%3D90%252B%26page%3D2"),
        data=promise_form(active),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == back
    contact = db.session.scalars(select(Interaction)).one()
    assert (contact.loan_id, contact.promise_amount) == (active.id, Decimal("1500.00"))
    assert (contact.promise_made_on, contact.promise_due_on) == (
        lender_today(),
        days_from_today(7),
    )


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_a_next_off_the_site_is_ignored(staff_client, customer, target):
    form = {"kind": "sms", "outcome": "no_answer"}
    response = staff_client.post(url(customer), query_string={"next": target}, data=form)
    assert response.headers["Location"] == f"/customers/{customer.id}"


def test_promise_fields_are_ignored_for_other_outcomes(staff_client, customer, active):
    form = promise_form(active, outcome="call_back", promise_amount="garbage")
    assert staff_client.post(url(customer), data=form).status_code == 302
    contact = db.session.scalars(select(Interaction)).one()
    assert (contact.promise_amount, contact.promise_due_on, contact.loan_id) == (
        None,
        None,
        active.id,
    )


BAD_INPUT = [
    ({"loan_id": ""}, "loan_id", "A promise to pay is made on a loan: choose it."),
    ({"loan_id": "finished"}, "loan_id", "only on an active loan"),
    ({"loan_id": "foreign"}, "loan_id", "Choose one of the customer’s loans."),
    ({"promise_amount": "0"}, "promise_amount", "The amount must be greater than zero."),
    ({"promise_amount": "-5"}, "promise_amount", "Type an amount such as"),
    ({"promise_amount": ""}, "promise_amount", "This field is required."),
    ({"promise_amount": "1.005"}, "promise_amount", "at most 2 decimal places"),
    ({"promise_amount": "1e400"}, "promise_amount", "Type an amount such as"),
    ({"promise_amount": "999999999999999"}, "promise_amount", "The amount is too large."),
    ({"promise_amount": "10661.87"}, "promise_amount", "10,661.86 the loan still owes"),
    ({"promise_due_on": "yesterday"}, "promise_due_on", "cannot be in the past"),
    ({"promise_due_on": "31 days"}, "promise_due_on", f"at most {MAX_PROMISE_DAYS} days ahead"),
    ({"promise_due_on": ""}, "promise_due_on", "This field is required."),
    ({"promise_due_on": "2025-02-30"}, "promise_due_on", "Not a valid date value."),
    ({"text": "x" * (MAX_CONTACT_TEXT + 1)}, "text", "Too long: at most 2000 characters"),
    ({"text": "bell\x07"}, "text", "cannot be stored"),
    ({"kind": "fax"}, "kind", "Choose one of the options."),
    ({"outcome": "maybe"}, "outcome", "Choose one of the options."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_a_422_beside_its_field_and_writes_nothing(
    staff_client, customer, active, finished, changes, field, message
):
    named = {
        "finished": str(finished.id),
        "foreign": str(factories.LoanFactory().id),
        "yesterday": (lender_today() - timedelta(days=1)).isoformat(),
        "31 days": days_from_today(MAX_PROMISE_DAYS + 1).isoformat(),
    }
    changes = {key: named.get(value, value) for key, value in changes.items()}
    response = staff_client.post(
        url(customer), data=promise_form(active, **changes), headers=ENGLISH
    )
    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), field)
    assert contact_count() == 0


def test_the_last_day_and_whatever_the_loan_owes_are_accepted(staff_client, customer, active):
    form = promise_form(
        active,
        promise_amount="10661.86",
        promise_due_on=days_from_today(MAX_PROMISE_DAYS).isoformat(),
    )
    assert staff_client.post(url(customer), data=form).status_code == 302
    assert contact_count() == 1


def test_a_refused_post_keeps_what_was_typed(staff_client, customer, active):
    form = promise_form(active, promise_amount="0", text="Передзвонити ввечері")
    html = staff_client.post(url(customer, loan_id=active.id), data=form).get_data(as_text=True)
    assert "Передзвонити ввечері" in html
    assert re.search(rf'<option selected value="{active.id}">', html)
    assert f'action="/customers/{customer.id}/contacts/new?loan_id={active.id}"' in html


def test_a_promise_over_what_is_left_after_payments_is_refused(
    staff_client, customer, active, manager
):
    pay(active, manager, "1000.00", "BANK-1")
    form = promise_form(active, promise_amount="9661.87")
    response = staff_client.post(url(customer), data=form, headers=ENGLISH)
    assert response.status_code == 422
    assert "9,661.86 the loan still owes" in error_beside(
        response.get_data(as_text=True), "promise_amount"
    )
    assert contact_count() == 0
    form = promise_form(active, promise_amount="9661.86")
    assert staff_client.post(url(customer), data=form).status_code == 302
