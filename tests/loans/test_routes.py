import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from crm.lending.status import LoanStatus
from tests import bulk, factories

START = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)


def listed_ids(response) -> list[int]:
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    body = re.search(r'<table[^>]*id="loans".*?<tbody>(.*?)</tbody>', html, re.DOTALL)
    return [int(i) for i in re.findall(r'href="/loans/(\d+)"', body.group(1))]


def test_list_is_newest_first_with_customer_and_product(staff_client):
    product = factories.ProductFactory(name="Готівка")
    customer = factories.CustomerFactory(last_name="Шевченко", first_name="Тарас")
    older = factories.LoanFactory(customer=customer, product=product, created_at=START)
    newer = factories.LoanFactory(created_at=START + timedelta(days=1))
    response = staff_client.get("/loans/")
    assert listed_ids(response) == [newer.id, older.id]
    html = response.get_data(as_text=True)
    assert "Готівка" in html
    assert f'<a href="/customers/{customer.id}">Шевченко Тарас' in html


def test_filter_by_status(staff_client):
    pending = factories.LoanFactory(status=LoanStatus.PENDING)
    factories.LoanFactory(status=LoanStatus.REFUSED)
    assert listed_ids(staff_client.get("/loans/?status=pending")) == [pending.id]


def test_filter_by_product(staff_client):
    product = factories.ProductFactory()
    wanted = factories.LoanFactory(product=product)
    factories.LoanFactory()
    assert listed_ids(staff_client.get(f"/loans/?product={product.id}")) == [wanted.id]
    assert listed_ids(staff_client.get(f"/loans/?product={product.id}&status=refused")) == []


def test_empty_filters_and_a_non_numeric_product_show_all(staff_client):
    loans = factories.LoanFactory.create_batch(2)
    assert len(listed_ids(staff_client.get("/loans/?status=&product="))) == len(loans)
    assert len(listed_ids(staff_client.get("/loans/?product=abc"))) == len(loans)


def test_unknown_status_is_a_bad_request_that_says_so(staff_client):
    response = staff_client.get("/loans/?status=approved")
    assert response.status_code == 400
    assert "There is no loan status" in response.get_data(as_text=True)


def test_list_is_paginated(staff_client):
    product = factories.ProductFactory()
    ids = bulk.add_customers(3)
    bulk.add_loans(ids, product.id, 30)
    assert len(listed_ids(staff_client.get("/loans/"))) == 25
    assert len(listed_ids(staff_client.get("/loans/?page=2"))) == 5
    assert staff_client.get("/loans/?page=3").status_code == 404


def test_list_query_count_does_not_grow_with_the_data(staff_client, count_queries):
    product = factories.ProductFactory()
    ids = bulk.add_customers(10)
    bulk.add_loans(ids, product.id, 10)
    with count_queries() as small:
        assert len(listed_ids(staff_client.get("/loans/"))) == 10
    bulk.add_loans(ids, product.id, 90)
    with count_queries() as large:
        assert len(listed_ids(staff_client.get("/loans/"))) == 25
    assert small.count == large.count
    # One more than before the navbar counted the tasks due.
    assert large.count <= 5, large.statements


def test_loan_page_shows_its_fields(staff_client, manager):
    customer = factories.CustomerFactory(last_name="Шевченко", first_name="Тарас")
    loan = factories.LoanFactory(
        customer=customer,
        product=factories.ProductFactory(name="Готівка"),
        amount=Decimal("15000.00"),
        term_months=18,
        annual_rate=Decimal("24.5000"),
        status=LoanStatus.REFUSED,
        decided_at=START,
        decided_by=manager,
        refusal_reason="Недостатній дохід",
    )
    html = staff_client.get(f"/loans/{loan.id}").get_data(as_text=True)
    for text in (
        f'href="/customers/{customer.id}"',
        "Шевченко Тарас",
        "Готівка",
        "UAH\u00a015,000.00",
        "18 months",
        "24.50 %",
        'class="badge text-bg-danger">Refused<',
        "Petro Manager",
        "Недостатній дохід",
    ):
        assert text in html


def test_started_loan_shows_its_disbursement_date(staff_client):
    loan = factories.LoanFactory(status=LoanStatus.ACTIVE, disbursed_on=date(2025, 5, 2))
    html = staff_client.get(f"/loans/{loan.id}").get_data(as_text=True)
    assert "May 2, 2025" in html
    assert 'class="badge text-bg-primary">Active<' in html


@pytest.mark.parametrize("path", ["/loans/999999", "/loans/abc"])
def test_unknown_loan_is_not_found(staff_client, path):
    factories.LoanFactory()
    assert staff_client.get(path).status_code == 404
