import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from crm.lending.status import LoanStatus
from tests import bulk, factories

START = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)


def listed_ids(response) -> list[int]:
    """Customer ids in the list, in the order shown (each row links to the card twice)."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    body = re.search(r'<table[^>]*id="customers".*?<tbody>(.*?)</tbody>', html, re.DOTALL)
    ids = [int(i) for i in re.findall(r'href="/customers/(\d+)"', body.group(1))]
    return list(dict.fromkeys(ids))


# Search


def test_search_by_surname_ignores_case_in_cyrillic(staff_client):
    wanted = factories.CustomerFactory(last_name="Шевченко", first_name="Тарас")
    factories.CustomerFactory(last_name="Коваленко", first_name="Марія")
    assert listed_ids(staff_client.get("/customers/?q=шевченко")) == [wanted.id]
    assert listed_ids(staff_client.get("/customers/?q=ШЕВЧЕНКО")) == [wanted.id]


def test_search_matches_every_word_in_any_order(staff_client):
    wanted = factories.CustomerFactory(last_name="Шевченко", first_name="Тарас")
    factories.CustomerFactory(last_name="Шевченко", first_name="Ольга")
    assert listed_ids(staff_client.get("/customers/?q=тарас шевченко")) == [wanted.id]


@pytest.mark.parametrize(
    "query",
    ["+380501234567", "0501234567", "050 123 45 67", "+38 (050) 123-45-67", "123-45-67"],
)
def test_search_by_phone_however_it_is_typed(staff_client, query):
    wanted = factories.CustomerFactory(phone="+380501234567")
    factories.CustomerFactory(phone="+380671112233")
    assert listed_ids(staff_client.get("/customers/", query_string={"q": query})) == [wanted.id]


def test_search_by_email(staff_client):
    wanted = factories.CustomerFactory(email="taras_sh@example.com")
    factories.CustomerFactory(email="tarasXsh@example.com")
    # "_" is a LIKE wildcard; escaped, it matches only itself.
    assert listed_ids(staff_client.get("/customers/?q=Taras_Sh@Example.com")) == [wanted.id]


def test_search_by_tax_id(staff_client):
    wanted = factories.CustomerFactory(tax_id="3123456789")
    factories.CustomerFactory(tax_id="3999999999")
    assert listed_ids(staff_client.get("/customers/?q=3123456789")) == [wanted.id]


def test_search_without_a_match_says_so(staff_client):
    factories.CustomerFactory()
    response = staff_client.get("/customers/?q=нікого")
    assert listed_ids(response) == []
    assert "No customer matches" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["%", "_", "\\", "a\x00b", "x" * 5000, "   "])
def test_odd_search_input_is_harmless(staff_client, query):
    factories.CustomerFactory(last_name="Шевченко")
    response = staff_client.get("/customers/", query_string={"q": query})
    assert response.status_code == 200


# Sorting and pages


@pytest.fixture
def three_customers(app):
    return {
        "Бондар": factories.CustomerFactory(last_name="Бондар", created_at=START),
        "Антоненко": factories.CustomerFactory(
            last_name="Антоненко", created_at=START + timedelta(days=2)
        ),
        "Ващенко": factories.CustomerFactory(
            last_name="Ващенко", created_at=START + timedelta(days=1)
        ),
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Антоненко", "Бондар", "Ващенко"]),
        ("-name", ["Ващенко", "Бондар", "Антоненко"]),
        ("created", ["Бондар", "Ващенко", "Антоненко"]),
        ("-created", ["Антоненко", "Ващенко", "Бондар"]),
        ("", ["Антоненко", "Ващенко", "Бондар"]),
        ("password_hash", ["Антоненко", "Ващенко", "Бондар"]),
    ],
)
def test_sorting_by_name_and_date_newest_first_by_default(
    staff_client, three_customers, sort, expected
):
    response = staff_client.get("/customers/", query_string={"sort": sort})
    assert listed_ids(response) == [three_customers[name].id for name in expected]


def test_sort_header_reverses_the_current_order_and_keeps_the_search(staff_client):
    html = staff_client.get("/customers/?q=a&sort=name&page=1").get_data(as_text=True)
    assert 'href="/customers/?q=a&amp;sort=-name"' in html
    assert 'href="/customers/?q=a&amp;sort=-created"' in html


def test_twenty_six_customers_make_two_pages(staff_client):
    customers = [
        factories.CustomerFactory(created_at=START + timedelta(minutes=n)) for n in range(26)
    ]
    first = listed_ids(staff_client.get("/customers/"))
    second = listed_ids(staff_client.get("/customers/?page=2"))
    assert len(first) == 25
    assert second == [customers[0].id]
    assert 'href="/customers/?page=2"' in staff_client.get("/customers/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("number", "status"), [("abc", 200), ("0", 404), ("3", 404), ("9" * 30, 404)]
)
def test_page_numbers_out_of_range_are_not_found(staff_client, number, status):
    factories.CustomerFactory()
    assert staff_client.get("/customers/", query_string={"page": number}).status_code == status


def test_list_query_count_does_not_grow_with_the_data(staff_client, count_queries):
    bulk.add_customers(10)
    with count_queries() as small:
        assert len(listed_ids(staff_client.get("/customers/?sort=name"))) == 10
    bulk.add_customers(490)
    with count_queries() as large:
        assert len(listed_ids(staff_client.get("/customers/?sort=name"))) == 25
    assert small.count == large.count
    # The user, the page of customers, their count, and the navbar's count of tasks due.
    assert large.count <= 4, large.statements


def test_the_whole_list_is_counted_once_until_the_data_changes(staff_client, count_queries):
    bulk.add_customers(30)
    staff_client.get("/customers/")
    with count_queries() as again:
        second_page = listed_ids(staff_client.get("/customers/?page=2"))
    assert not again.counting, again.statements
    assert len(second_page) == 5

    bulk.add_customers(1)
    with count_queries() as changed:
        second_page = listed_ids(staff_client.get("/customers/?page=2"))
    assert changed.counting
    assert len(second_page) == 6

    with count_queries() as searched:
        staff_client.get("/customers/?q=a")
    with count_queries() as mine:
        staff_client.get("/customers/?mine=1")
    assert searched.counting
    assert mine.counting


# The customer card


def test_card_shows_the_customer(staff_client, manager):
    customer = factories.CustomerFactory(
        last_name="Шевченко",
        first_name="Тарас",
        patronymic="Григорович",
        phone="+380671234567",
        email="taras@example.com",
        tax_id="3123456789",
        address="Київ, вул. Хрещатик, 1",
        manager=manager,
    )
    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)
    for text in (
        "Шевченко Тарас Григорович",
        "+380 67 123 4567",
        "taras@example.com",
        "3123456789",
        "Київ, вул. Хрещатик, 1",
        "Petro Manager",
        "Mar 9, 1985",
    ):
        assert text in html


def test_card_lists_loans_being_repaid_first_then_applications_then_the_rest(staff_client):
    customer = factories.CustomerFactory()
    other = factories.CustomerFactory()
    product = factories.ProductFactory()

    def loan(status, created, oldest_unpaid=None):
        return factories.LoanFactory(
            customer=customer,
            product=product,
            status=status,
            created_at=datetime(2025, 1, created, tzinfo=UTC),
            oldest_unpaid_due_on=oldest_unpaid,
        )

    refused = loan(LoanStatus.REFUSED, 20)
    old_pending = loan(LoanStatus.PENDING, 2)
    current = loan(LoanStatus.ACTIVE, 25, date(2099, 1, 15))
    finished = loan(LoanStatus.FINISHED, 1)
    overdue = loan(LoanStatus.ACTIVE, 3, date(2025, 3, 15))
    new_pending = loan(LoanStatus.PENDING, 22)
    long_overdue = loan(LoanStatus.ACTIVE, 10, date(2025, 2, 15))
    # Written off long overdue: closed, so among the rest.
    written_off = loan(LoanStatus.WRITTEN_OFF, 5, date(2024, 2, 15))
    stranger = factories.LoanFactory(customer=other, product=product, amount=Decimal("99000.00"))

    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    table = re.search(r'id="customer-loans".*?</table>', html, re.DOTALL).group(0)
    shown = [int(i) for i in re.findall(r'href="/loans/(\d+)"', table)]
    in_order = [long_overdue, overdue, current, new_pending, old_pending, refused, written_off]
    assert shown == [loan.id for loan in [*in_order, finished]]
    assert f'href="/loans/{stranger.id}"' not in html
    assert re.search(r'id="loan-count">8<', html)
    counts = dict(re.findall(r'data-status="(\w+)">.*?crm-num">(\d+)<', html, re.DOTALL))
    assert counts == {
        "pending": "2",
        "active": "3",
        "refused": "1",
        "finished": "1",
        "written_off": "1",
    }


def test_card_of_a_customer_without_loans(staff_client):
    customer = factories.CustomerFactory()
    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "This customer has no loans." in html
    assert re.search(r'id="loan-count">0<', html)


def test_card_links_to_the_admin_form_when_the_admin_has_one(app, staff_client):
    customer = factories.CustomerFactory()
    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)
    if "customer.edit_view" in app.view_functions:
        assert f"/admin/customer/edit/?id={customer.id}" in html
    else:
        assert "Edit in admin" not in html


@pytest.mark.parametrize("path", ["/customers/999999", "/customers/abc", "/customers/-1"])
def test_unknown_customer_is_not_found(staff_client, path):
    factories.CustomerFactory()
    assert staff_client.get(path).status_code == 404


def test_card_query_count_does_not_grow_with_loans(staff_client, count_queries):
    product = factories.ProductFactory()
    few, many = bulk.add_customers(2)
    bulk.add_loans([few], product.id, 1)
    bulk.add_loans([many], product.id, 30)
    with count_queries() as small:
        assert staff_client.get(f"/customers/{few}").status_code == 200
    with count_queries() as large:
        html = staff_client.get(f"/customers/{many}").get_data(as_text=True)
    assert re.search(r'id="loan-count">30<', html)
    assert small.count == large.count
    # The user, the customer (with the login, the open invitation to the personal account
    # and the next task), the loans (counted by status), the installments (the position and
    # the timeline's arrears), the contacts (the last, the open promise, the timeline's and
    # its promises' states), the timeline's loan events, a page of the history and the
    # navbar's count of tasks due (crm/customers/card.py).
    assert large.count <= 8, large.statements


@pytest.mark.parametrize(
    "arguments",
    ["", "?timeline=payments", "?timeline=contacts", "?timeline_page=2", "?history_page=2"],
)
def test_every_view_of_the_card_costs_at_most_eight_queries(
    staff_client, customer_user, count_queries, arguments
):
    """A customer with a login (crm.links) and one without, whatever the card shows."""
    other = factories.CustomerFactory()
    for customer_id in (customer_user.customer_id, other.id):
        with count_queries() as log:
            assert staff_client.get(f"/customers/{customer_id}{arguments}").status_code == 200
        assert log.count <= 8, log.statements


def test_card_query_count_does_not_grow_with_customers(staff_client, count_queries):
    product = factories.ProductFactory()
    ids = bulk.add_customers(10)
    bulk.add_loans(ids, product.id, 20)
    with count_queries() as small:
        assert staff_client.get(f"/customers/{ids[0]}").status_code == 200
    more = bulk.add_customers(490)
    bulk.add_loans(more, product.id, 1000)
    with count_queries() as large:
        assert staff_client.get(f"/customers/{ids[0]}").status_code == 200
    assert small.count == large.count
