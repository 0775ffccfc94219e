"""The history on the customer's card: what was done to the customer's records, by whom and
when, newest first, a page at a time, in the reader's language."""

from datetime import UTC, datetime

import pytest

from crm.clock import lender_today
from crm.extensions import db
from tests import factories
from tests.audit.conftest import all_events
from tests.audit.pages import history, history_pages, history_rows
from tests.loans.conftest import pay

UKRAINIAN = {"Accept-Language": "uk"}


@pytest.fixture
def customer(app):
    return factories.CustomerFactory(phone="+380501234567", address="Київ, вул. Хрещатик, 1")


def card(client, customer, headers=None, **query) -> str:
    response = client.get(f"/customers/{customer.id}", query_string=query, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_card_shows_an_edit_field_by_field(app, logged_in, manager, customer, clock):
    clock.now = datetime(2025, 3, 9, 10, 30, tzinfo=UTC)  # 12:30 in Kyiv
    browser = logged_in(manager)
    customer.phone, customer.address = "+380677654321", None
    db.session.commit()

    [edit, created] = history_rows(card(browser, customer))

    assert (edit.action, created.action) == ("update", "create")
    assert edit.what == "Updated"
    assert edit.who == "System"
    assert edit.when.replace("\u202f", " ") == "3/9/25, 12:30 PM"
    assert f'<a href="/customers/{customer.id}">Customer #{customer.id}</a>' in edit.record
    assert edit.changes == {
        "phone": "Phone: +380501234567 → +380677654321",
        "address": "Address: Київ, вул. Хрещатик, 1 → —",
    }
    # A new record shows its values, with nothing before them.
    assert created.changes["phone"] == "Phone: +380501234567"


def test_the_card_names_who_acted_in_the_readers_language(app, logged_in, manager, customer):
    browser = logged_in(manager)
    customer.first_name = "Олена"
    db.session.commit()

    [edit, _created] = history_rows(card(browser, customer, UKRAINIAN))

    assert edit.what == "Змінено"
    assert edit.who == "Система"
    assert edit.changes["first_name"] == "Ім’я: Тарас → Олена"


def test_the_card_shows_the_customers_loans_and_payments_by_the_staff_who_made_them(
    app, staff_client, manager, customer, product
):
    loan = factories.LoanFactory(customer=customer, product=product)
    response = staff_client.post(
        f"/loans/{loan.id}/start",
        data={"version": loan.version, "disbursed_on": lender_today().isoformat()},
    )
    assert response.status_code == 302
    db.session.refresh(loan)
    pay(loan, manager, "500.00", "BANK-1", paid_on=lender_today())

    rows = history_rows(card(staff_client, customer))

    started = [row for row in rows if row.action == "start"]
    assert {row.who for row in started} == {manager.email}
    [loan_started] = [row for row in started if row.record.endswith(f"Loan #{loan.id}</a>")]
    assert loan_started.what == "Loan started"
    assert loan_started.changes["status"] == "Status: Pending → Active"
    assert any(row.what == "Payment recorded" for row in rows)


def test_the_card_shows_only_this_customers_events(staff_client, customer):
    other = factories.CustomerFactory(last_name="Чужий")
    other.phone = "+380999999999"
    db.session.commit()

    rows = history_rows(card(staff_client, customer))

    assert [row.event_id for row in rows] == [
        event.id for event in all_events(customer_id=customer.id)
    ][::-1]
    assert "Чужий" not in history(card(staff_client, customer))


def test_the_history_is_paged_newest_first(app, staff_client, customer):
    app.config["PER_PAGE"] = 3
    for number in range(7):  # 8 events with the creation
        customer.address = f"Адреса {number}"
        db.session.commit()
    newest_first = [event.id for event in all_events(customer_id=customer.id)][::-1]

    first = card(staff_client, customer)
    second = card(staff_client, customer, history_page=2)
    third = card(staff_client, customer, history_page=3)

    shown = [[row.event_id for row in history_rows(page)] for page in (first, second, third)]
    assert shown == [newest_first[:3], newest_first[3:6], newest_first[6:]]
    address = f"/customers/{customer.id}"
    assert history_pages(first) == {"Older": f"{address}?history_page=2#history"}
    assert history_pages(second) == {
        "Newer": f"{address}?history_page=1#history",
        "Older": f"{address}?history_page=3#history",
    }
    assert history_pages(third) == {
        "Newest": f"{address}?history_page=1#history",
        "Newer": f"{address}?history_page=2#history",
    }


@pytest.mark.parametrize("history_page", ["9", "0", "-2", "many"])
def test_a_page_out_of_range_still_shows_the_card(staff_client, customer, history_page):
    html = card(staff_client, customer, history_page=history_page)
    if history_page == "9":
        assert history_rows(html) == []
        assert "There are no older events." in history(html)
    else:
        assert [row.action for row in history_rows(html)] == ["create"]


def test_a_history_page_too_far_is_not_found(staff_client, customer):
    response = staff_client.get(f"/customers/{customer.id}", query_string={"history_page": 10**7})
    assert response.status_code == 404


def test_the_cards_queries_do_not_grow_with_its_history(app, staff_client, customer, count_queries):
    address = f"/customers/{customer.id}"  # read now: the edits' commits expire the customer
    db.session.expire_all()  # each request then loads what it shows, as on a server
    with count_queries() as short:
        staff_client.get(address)
    for number in range(30):
        customer.address = f"Адреса {number}"
        db.session.commit()
    db.session.expire_all()
    with count_queries() as long:
        assert len(history_rows(staff_client.get(address).get_data(as_text=True))) == 25

    assert long.count == short.count
    reads = [s for s in long.statements if "FROM audit_events" in s]
    # The history's page, and the timeline's lifecycle steps and payments (crm/timeline).
    assert len(reads) == 2
    assert not any("count(" in read.lower() for read in reads)
