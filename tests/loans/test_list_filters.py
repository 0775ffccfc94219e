"""The loans list's search, sorting, date range and "my customers" filter."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm import paging
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.queries.loans import LoanFilters, loan_rows, loans_list
from tests import bulk, factories

START = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)


def listed_ids(response) -> list[int]:
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    body = re.search(r'<table[^>]*id="loans".*?<tbody>(.*?)</tbody>', html, re.DOTALL)
    return [int(i) for i in re.findall(r'href="/loans/(\d+)"', body.group(1))]


@pytest.fixture
def loans(app):
    """Three loans of three customers, by the customer's last name."""
    product = factories.ProductFactory()
    spec = {
        "Бондар": ("+380501110001", "5000.00", START),
        "Антоненко": ("+380501110002", "20000.00", START + timedelta(days=2)),
        "Ващенко": ("+380671110003", "1000.00", START + timedelta(days=1)),
    }
    return {
        name: factories.LoanFactory(
            customer=factories.CustomerFactory(last_name=name, phone=phone),
            product=product,
            amount=Decimal(amount),
            created_at=created_at,
        )
        for name, (phone, amount, created_at) in spec.items()
    }


def ids(loans, *names) -> list[int]:
    return [loans[name].id for name in names]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-created", ["Антоненко", "Ващенко", "Бондар"]),
        ("created", ["Бондар", "Ващенко", "Антоненко"]),
        ("-amount", ["Антоненко", "Бондар", "Ващенко"]),
        ("amount", ["Ващенко", "Бондар", "Антоненко"]),
        ("customer", ["Антоненко", "Бондар", "Ващенко"]),
        ("-customer", ["Ващенко", "Бондар", "Антоненко"]),
        ("", ["Антоненко", "Ващенко", "Бондар"]),
        ("password_hash", ["Антоненко", "Ващенко", "Бондар"]),
    ],
)
def test_sorting(staff_client, loans, sort, expected):
    response = staff_client.get("/loans/", query_string={"sort": sort})
    assert listed_ids(response) == ids(loans, *expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("бонд", ["Бондар"]),
        ("ВАЩЕНКО Тарас", ["Ващенко"]),
        ("050 111", ["Антоненко", "Бондар"]),
        ("+38 (067) 111-00-03", ["Ващенко"]),
        ("Шевчук", []),
        ("%", []),
        ("x" * 10_000, []),
        ("a\x00", []),
    ],
)
def test_search_by_customer(staff_client, loans, query, expected):
    response = staff_client.get("/loans/", query_string={"q": query})
    assert listed_ids(response) == ids(loans, *expected)


@pytest.mark.parametrize("form", ["#{}", "№{}", "{}"])
def test_search_by_loan_number(staff_client, loans, form):
    wanted = loans["Ващенко"]
    response = staff_client.get("/loans/", query_string={"q": form.format(wanted.id)})
    assert listed_ids(response) == [wanted.id]


def test_search_keeps_the_other_filters(staff_client, loans):
    loans["Бондар"].status = LoanStatus.REFUSED
    db.session.commit()
    response = staff_client.get("/loans/?q=050+111&status=pending")
    assert listed_ids(response) == ids(loans, "Антоненко")


def test_date_range_on_the_lenders_calendar(staff_client, loans):
    # 21:30 UTC on 30 April is already 1 May in Kyiv (UTC+3 in summer).
    late = factories.LoanFactory(created_at=datetime(2025, 4, 30, 21, 30, tzinfo=UTC))
    assert listed_ids(staff_client.get("/loans/?from=2025-05-01&to=2025-05-01")) == [
        loans["Бондар"].id,
        late.id,
    ]
    assert listed_ids(staff_client.get("/loans/?to=2025-04-30")) == []
    assert listed_ids(staff_client.get("/loans/?from=2025-05-02")) == ids(
        loans, "Антоненко", "Ващенко"
    )
    assert listed_ids(staff_client.get("/loans/?from=2025-05-02&to=2025-05-02")) == ids(
        loans, "Ващенко"
    )


@pytest.mark.parametrize(
    "arguments",
    [
        "from=2025-13-01",
        "to=yesterday",
        "from=2025-5-1",
        "from=01.05.2025",
        "to=2025-02-30",
        "from=%D9%A2%D9%A0%D9%A2%D9%A5-05-01",
        "to=9999-12-31",
        "from=0001-01-01",
        "from=2025-05-01%00",
    ],
)
def test_a_bad_date_is_a_bad_request_that_says_so(staff_client, arguments):
    response = staff_client.get(f"/loans/?{arguments}")
    assert response.status_code == 400
    assert "is not a date; use YYYY-MM-DD" in response.get_data(as_text=True)


def test_a_range_that_ends_before_it_starts_is_a_bad_request(staff_client):
    response = staff_client.get("/loans/?from=2025-05-02&to=2025-05-01")
    assert response.status_code == 400
    assert "starts after it ends" in response.get_data(as_text=True)


def test_mine_lists_the_loans_of_my_customers(staff_client, manager, loans):
    for name in ("Бондар", "Ващенко"):
        loans[name].customer.manager = manager
    loans["Антоненко"].customer.manager = factories.UserFactory()
    db.session.commit()
    assert listed_ids(staff_client.get("/loans/?mine=1")) == ids(loans, "Ващенко", "Бондар")
    assert len(listed_ids(staff_client.get("/loans/?mine=0"))) == 3


@pytest.mark.parametrize(
    ("sort", "names"), [("customer", ["Бондар", "Ващенко"]), ("-customer", ["Ващенко", "Бондар"])]
)
def test_mine_sorted_by_customer_name(staff_client, manager, loans, sort, names):
    for name in ("Бондар", "Ващенко"):
        loans[name].customer.manager = manager
    db.session.commit()
    assert listed_ids(staff_client.get(f"/loans/?mine=1&sort={sort}")) == ids(loans, *names)


def test_the_filter_bar_keeps_what_was_chosen(staff_client, loans):
    html = staff_client.get(
        "/loans/?q=Бонд&from=2025-05-01&to=2025-05-03&sort=amount&mine=1"
    ).get_data(as_text=True)
    assert 'name="q" value="Бонд"' in html
    assert 'name="from" value="2025-05-01"' in html
    assert 'name="to" value="2025-05-03"' in html
    assert re.search(r'<option value="amount"\s+selected', html)
    assert re.search(r'name="mine" value="1" id="loans-mine"\s+checked', html)


def test_a_long_list_counts_no_further_than_the_cap(staff_client, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 30)
    product = factories.ProductFactory()
    bulk.add_loans(bulk.add_customers(3), product.id, 80)
    first = staff_client.get("/loans/").get_data(as_text=True)
    assert "More than 30" in first
    # The pages go on while they are full, past the pages the capped count knows.
    assert 'href="/loans/?page=4"' in staff_client.get("/loans/?page=3").get_data(as_text=True)
    last = staff_client.get("/loans/?page=4")
    assert len(listed_ids(last)) == 5
    assert "page=5" not in last.get_data(as_text=True)


@pytest.mark.parametrize(
    "arguments",
    [
        "q=Бондаренко",
        "q=0670000001",
        "q=%231",
        "sort=customer",
        "sort=-amount&status=active",
        "from=2024-01-01&to=2024-01-05&mine=1",
    ],
)
def test_filtered_query_count_does_not_grow(staff_client, count_queries, arguments):
    product = factories.ProductFactory()
    customers = bulk.add_customers(10)
    bulk.add_loans(customers, product.id, 10)
    with count_queries() as small:
        assert staff_client.get(f"/loans/?{arguments}").status_code == 200
    bulk.add_loans(bulk.add_customers(100), product.id, 300)
    with count_queries() as large:
        assert staff_client.get(f"/loans/?{arguments}").status_code == 200
    assert small.count == large.count


@pytest.mark.parametrize(
    "chosen",
    [
        {},
        {"query": "Бонд"},
        {"query": "0501110002"},
        {"query": "#1"},
        {"status": LoanStatus.PENDING},
        {"created_from": START + timedelta(days=1)},
        {"manager_id": "mine"},
        {"manager_id": "mine", "query": "ащ"},
        {"manager_id": "mine", "created_until": START + timedelta(days=2)},
    ],
)
def test_what_the_pages_count_is_what_the_list_lists(manager, loans, chosen):
    for name in ("Бондар", "Ващенко"):
        loans[name].customer.manager = manager
    loans["Антоненко"].customer.manager = factories.UserFactory()
    db.session.commit()
    if chosen.get("manager_id") == "mine":
        chosen = {**chosen, "manager_id": manager.id}
    filters = LoanFilters(**chosen)

    listed = [loan.id for loan in db.session.scalars(loans_list(filters))]
    counted = db.session.scalars(loan_rows(filters)).all()

    assert sorted(counted) == sorted(listed)
