"""Where contacts show and are logged from: the loan page's Contacts card and the overdue
queue's link per row."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape

from crm.extensions import db
from crm.i18n.formats import day, money
from crm.models import Interaction, Loan, User
from crm.models.interaction import ContactKind, ContactOutcome
from tests.contacts.conftest import days_from_today, promise
from tests.loans.conftest import pay
from tests.loans.test_overdue import overdue_loan

ENGLISH = {"Accept-Language": "en"}


def contacts_shown(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-contact="(\d+)"', html)]


def note(loan, author, minute: int, text: str = "Телефонував") -> Interaction:
    contact = Interaction(
        customer_id=loan.customer_id,
        loan_id=loan.id,
        kind=ContactKind.NOTE,
        outcome=ContactOutcome.REACHED,
        text=text,
        author=author,
        created_at=datetime(2025, 3, 1, 9, minute, tzinfo=UTC),
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def test_the_loan_page_shows_its_contacts_with_the_promise_state(staff_client, active, manager):
    kept = promise(active, "100.00", date(2025, 3, 1), date(2025, 3, 10), author=manager)
    pay(active, manager, "100.00", "BANK-1", date(2025, 3, 5))
    said = note(active, manager, 30, "Обіцяв <b>завтра</b>")
    html = staff_client.get(f"/loans/{active.id}", headers=ENGLISH).get_data(as_text=True)
    card = re.search(r'<div class="card shadow-sm mb-4" id="contacts">.*?</ul>', html, re.DOTALL)
    assert card, "no Contacts card"
    text = unescape(card.group(0))
    # The promise was logged now, the note in 2025: newest first.
    assert contacts_shown(card.group(0)) == [kept.id, said.id]
    assert 'data-promise-state="kept"' in card.group(0)
    assert f"{money(Decimal('100.00'))} by {day(date(2025, 3, 10))}" in text
    assert "Обіцяв <b>завтра</b>" in text  # escaped in the HTML, as typed on the page
    assert "<b>завтра" not in card.group(0)
    assert manager.display_name in text
    new = unescape(re.search(r'href="([^"]*)" id="log-contact"', html).group(1))
    assert new == (
        f"/customers/{active.customer_id}/contacts/new?loan_id={active.id}&next=/loans/{active.id}"
    )


def test_the_loan_page_pages_its_contacts(app, staff_client, active, manager):
    per_page = app.config["PER_PAGE"]
    made = [note(active, manager, minute) for minute in range(per_page + 2)]
    first = staff_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert contacts_shown(first) == [contact.id for contact in reversed(made)][:per_page]
    assert f'href="/loans/{active.id}?contacts_page=2#contacts"' in first
    second = staff_client.get(f"/loans/{active.id}?contacts_page=2").get_data(as_text=True)
    assert contacts_shown(second) == [made[1].id, made[0].id]


def test_the_loan_page_query_count_does_not_grow_with_its_contacts(
    staff_client, active, manager, count_queries
):
    url, loan_id, manager_id = f"/loans/{active.id}", active.id, manager.id
    promise(active, "100.00", date(2025, 3, 1), date(2025, 3, 10), author=manager)
    note(active, manager, 1)
    # Each request starts with an empty session, as it does when served.
    db.session.expunge_all()
    with count_queries() as small:
        assert staff_client.get(url).status_code == 200
    active, manager = db.session.get(Loan, loan_id), db.session.get(User, manager_id)
    for minute in range(2, 20):
        if minute % 2:
            note(active, manager, minute)
        else:
            promise(active, "10.00", date(2025, 3, 1), date(2025, 3, 10), author=manager)
    db.session.expunge_all()
    with count_queries() as large:
        html = staff_client.get(url).get_data(as_text=True)
    assert len(contacts_shown(html)) == 20
    assert small.count == large.count, large.statements


def test_the_queue_links_each_row_to_the_contact_form_and_back(staff_client):
    loan = overdue_loan(10)
    page = staff_client.get("/loans/overdue?bucket=1-30&sort=-amount").get_data(as_text=True)
    link = re.search(r'href="([^"]*)" title="Log a contact"', page)
    assert link, "no link to log a contact"
    target = unescape(link.group(1))
    assert target.startswith(f"/customers/{loan.customer_id}/contacts/new?loan_id={loan.id}&next=")
    form = staff_client.get(target)
    assert form.status_code == 200
    assert f'<option selected value="{loan.id}">' in form.get_data(as_text=True)
    done = staff_client.post(
        target,
        data={
            "kind": "call",
            "outcome": "promised_to_pay",
            "loan_id": str(loan.id),
            "promise_amount": "100",
            "promise_due_on": days_from_today(1).isoformat(),
        },
    )
    assert done.status_code == 302
    assert done.headers["Location"] == "/loans/overdue?bucket=1-30&sort=-amount"
