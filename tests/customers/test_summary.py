"""The customer card's summary strip and its buttons: where the customer stands, at a glance."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from crm.clock import lender_today, utc_now
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import ContactKind, ContactOutcome, Interaction, Payment
from tests import factories


def tile(html: str, key: str) -> str:
    """The text of the summary tile `key`, its whitespace squeezed."""
    match = re.search(
        rf'id="summary-{key}".*?<div class="crm-summary-value">(.*?)</div>\s*</div>\s*</div>',
        html,
        re.S,
    )
    assert match, f"no tile {key}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.fixture
def behind(app, manager):
    """A customer 40 days behind, with a refused application, two contacts (the latest a
    promise of 700 on the loan), and two tasks."""
    today = lender_today()
    customer = factories.CustomerFactory(manager=manager)
    loan = factories.loan_with_installments(
        [
            (today - timedelta(days=40), "1000.00", "100.00"),
            (today + timedelta(days=5), "1000.00", "90.00"),
        ],
        customer=customer,
    )
    factories.LoanFactory(customer=customer, status=LoanStatus.REFUSED)
    db.session.add_all(
        [
            Interaction(
                customer_id=customer.id,
                kind=ContactKind.CALL,
                outcome=ContactOutcome.NO_ANSWER,
                created_at=utc_now() - timedelta(days=3),
            ),
            Interaction(
                customer_id=customer.id,
                loan_id=loan.id,
                kind=ContactKind.CALL,
                outcome=ContactOutcome.PROMISED_TO_PAY,
                promise_amount=Decimal("700.00"),
                promise_made_on=today,
                promise_due_on=today + timedelta(days=4),
                created_at=utc_now(),
            ),
        ]
    )
    factories.TaskFactory(
        title="Call on Friday",
        due_on=today + timedelta(days=2),
        assignee=manager,
        customer=customer,
    )
    factories.TaskFactory(
        title="Later", due_on=today + timedelta(days=9), assignee=manager, customer=customer
    )
    db.session.commit()
    return customer, loan


def test_a_customer_behind_with_a_promise_and_a_task(staff_client, manager, behind):
    customer, loan = behind
    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    assert tile(html, "outstanding") == "UAH 2,000.00"
    assert tile(html, "overdue") == "UAH 1,100.00 40 days past due"
    assert tile(html, "next-payment").startswith("UAH 1,090.00")
    assert "Active 1" in tile(html, "loans")
    assert "Refused 1" in tile(html, "loans")
    assert tile(html, "manager") == manager.display_name
    assert tile(html, "last-contact").startswith("Promised to pay")
    assert tile(html, "promise").startswith("UAH 700.00")
    assert f"loan #{loan.id}" in tile(html, "promise")
    assert tile(html, "next-task").startswith("Call on Friday")


def test_a_new_customer_has_nothing_to_show_but_says_so(staff_client):
    customer = factories.CustomerFactory(manager=None)
    db.session.commit()

    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    assert tile(html, "outstanding") == "UAH 0.00"
    assert tile(html, "overdue") == "Nothing is overdue."
    assert tile(html, "next-payment") == "Nothing more is due."
    assert tile(html, "manager") == "Nobody assigned"
    assert tile(html, "last-contact") == "Never"
    assert tile(html, "promise") == "None"
    assert tile(html, "next-task") == "None"


def test_the_card_offers_the_officers_next_steps(staff_client):
    customer = factories.CustomerFactory()
    db.session.commit()

    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    assert f'href="/loans/new?customer_id={customer.id}"' in html
    assert f'href="/customers/{customer.id}/contacts/new"' in html
    assert f'href="/tasks/new?customer_id={customer.id}&amp;next=/customers/{customer.id}"' in html
    assert 'href="tel:' in html


def test_a_kept_promise_is_not_open(staff_client):
    today = lender_today()
    customer = factories.CustomerFactory()
    loan = factories.loan_with_installments(
        [(today + timedelta(days=5), "1000.00", "90.00")], customer=customer
    )
    db.session.add_all(
        [
            Interaction(
                customer_id=customer.id,
                loan_id=loan.id,
                kind=ContactKind.CALL,
                outcome=ContactOutcome.PROMISED_TO_PAY,
                promise_amount=Decimal("100.00"),
                promise_made_on=today,
                promise_due_on=today + timedelta(days=4),
            ),
            Payment(loan_id=loan.id, paid_on=today, amount=Decimal("100.00"), reference="P1"),
        ]
    )
    db.session.commit()

    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    assert tile(html, "promise") == "None"
