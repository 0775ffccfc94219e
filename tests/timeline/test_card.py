"""The timeline on the customer's card, and phone numbers that dial."""

import re
from datetime import timedelta

import pytest

from crm.clock import lender_today
from crm.extensions import db
from tests import factories
from tests.factories import loan_with_installments
from tests.timeline.conftest import loans_with_payments

UKRAINIAN = {"Accept-Language": "uk"}


def card(client, customer, headers=None, **query) -> str:
    response = client.get(f"/customers/{customer.id}", query_string=query, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def timeline(html: str) -> str:
    return html[html.index('id="timeline"') : html.index('id="history"')]


def kinds(html: str) -> list[str]:
    return re.findall(r'data-kind="(\w+)"', timeline(html))


def lines(html: str, kind: str) -> list[str]:
    """The texts of the entries of `kind`, tags dropped and spaces squeezed."""
    entries = re.findall(rf'data-kind="{kind}"[^>]*>(.*?)</li>', timeline(html), re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", "", entry).split()) for entry in entries]


def line(html: str, kind: str) -> str:
    return lines(html, kind)[0]


def test_the_card_tells_what_happened_newest_first(story, staff_client):
    html = card(staff_client, story.customer)
    assert kinds(html)[:6] == [
        "written_off",
        "worse_bucket",
        "worse_bucket",
        "contact",
        "contact",
        "overdue",
    ]
    behind = story.behind.id
    assert line(html, "worse_bucket").startswith(f"Loan #{behind} moved to 61–90 days overdue")
    assert line(html, "overdue") == f"Loan #{behind} became overdue Mar 16, 2025"
    assert f'<a href="/loans/{behind}">#{behind}</a>' in timeline(html)
    note, promise = lines(html, "contact")
    assert note == "Note — Reached 4/1/25, 12:00 PM · Petro Manager"
    assert promise == (
        f"Call — promised to pay UAH 500.00 by Mar 27, 2025 Broken — loan #{behind} "
        "Will pay after payday. 3/20/25, 1:00 PM · Petro Manager"
    )
    repaid = story.repaid.id
    assert (
        f"Payment received UAH 10,661.86 on loan #{repaid}, dated Mar 10, 2025"
        in lines(html, "payment")[0]
    )


def test_the_card_tells_it_in_the_readers_language(story, staff_client):
    html = card(staff_client, story.customer, UKRAINIAN)
    assert line(html, "worse_bucket").startswith(
        f"Кредит #{story.behind.id} перейшов у прострочку 61–90 днів"
    )
    assert "20.05.2025, 18:00" in line(html, "written_off")  # in Kyiv's time


def test_a_filter_chip_shows_one_group_and_the_pages_keep_it(app, story, staff_client):
    app.config["PER_PAGE"] = 2
    html = card(staff_client, story.customer, timeline="payments")
    assert kinds(html) == ["payment", "reversal"]
    assert re.search(r'class="nav-link[^"]*active"[^>]*data-group="payments"', html)
    address = f"/customers/{story.customer.id}"
    assert f'href="{address}?timeline=payments&amp;timeline_page=2#timeline"' in html

    second = card(staff_client, story.customer, timeline="payments", timeline_page=2)
    assert kinds(second) == ["payment", "payment"]
    third = card(staff_client, story.customer, timeline="payments", timeline_page=3)
    assert kinds(third) == []
    assert "There are no older entries." in timeline(third)


def test_the_timeline_pages_apart_from_the_history(app, story, staff_client):
    app.config["PER_PAGE"] = 3
    first = card(staff_client, story.customer)
    second = card(staff_client, story.customer, timeline_page=2)
    assert kinds(first) != kinds(second)
    assert re.findall(r'data-event="(\d+)"', first) == re.findall(r'data-event="(\d+)"', second)


@pytest.mark.parametrize("value", ["nonsense", "", "0", "<script>"])
def test_an_unknown_filter_shows_everything(story, staff_client, value):
    everything = kinds(card(staff_client, story.customer))
    assert kinds(card(staff_client, story.customer, timeline=value)) == everything


@pytest.mark.parametrize("timeline_page", ["x", "-3", "0"])
def test_a_bad_timeline_page_is_the_first(story, staff_client, timeline_page):
    first = kinds(card(staff_client, story.customer))
    assert kinds(card(staff_client, story.customer, timeline_page=timeline_page)) == first


def test_a_timeline_page_too_far_is_not_found(story, staff_client):
    response = staff_client.get(
        f"/customers/{story.customer.id}", query_string={"timeline_page": 10**7}
    )
    assert response.status_code == 404


def test_a_new_customer_has_an_empty_timeline(staff_client):
    html = card(staff_client, factories.CustomerFactory())
    assert "Nothing has happened yet." in timeline(html)


def test_phone_numbers_dial(staff_client):
    customer = factories.CustomerFactory(phone="+380501234567", last_name="Дзвоненко")
    link = '<a class="text-nowrap crm-phone" href="tel:+380501234567">+380 50 123 4567</a>'
    assert link in card(staff_client, customer)
    listing = staff_client.get("/customers/", query_string={"q": "Дзвоненко"})
    assert link in listing.get_data(as_text=True)


def test_overdue_queue_phones_dial(staff_client):
    due = lender_today() - timedelta(days=10)
    customer = factories.CustomerFactory(phone="+380671112233")
    loan_with_installments([(due, "1000.00", "10.00")], customer=customer)
    html = staff_client.get("/loans/overdue").get_data(as_text=True)
    assert 'href="tel:+380671112233">+380 67 111 2233</a>' in html


def test_the_cards_queries_do_not_grow_with_loans_and_payments(
    staff_client, product, manager, count_queries
):
    few, many = factories.CustomerFactory(), factories.CustomerFactory()
    loans_with_payments(few, product, manager, 1)
    loans_with_payments(many, product, manager, 10)
    counts = []
    for customer_id in (few.id, many.id):
        db.session.expire_all()
        with count_queries() as log:
            html = staff_client.get(f"/customers/{customer_id}").get_data(as_text=True)
        counts.append(log.count)
    assert len(re.findall(r'data-kind="', timeline(html))) == 25
    assert counts[0] == counts[1]
